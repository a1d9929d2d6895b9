"""The reader's pages of the site, linked from every footer, and the whole data package as a ZIP.

The pages are about the data and its methods, the glossary, how to cite, corrections, and the
licences.

Each page is made from plain inputs (the data package's descriptor and tables) so it can be
tested without a build; :func:`reader_site` returns every file by path from the site's root.
The ZIP is written byte for byte the same while the data is the same (fixed timestamps, sorted
names), so an unchanged build rewrites nothing.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ukcyber.citations import kind_words, source_of
from ukcyber.site.glossary import GLOSSARY
from ukcyber.templating import render

DATA_ZIP = "ukcyber-data.zip"
PAGES = ("about.html", "glossary.html", "cite.html", "corrections.html", "licence.html")
"""The reader pages, by file name at the site's root."""
CODE_LICENCE = "MIT"
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
"""Every member of the ZIP is dated alike, so its bytes change only when the data does."""


def data_licence(descriptor: Mapping[str, Any]) -> dict[str, str]:
    """The licence of our compiled data, from ``datapackage.json`` (name and title)."""
    licences = descriptor.get("licenses") or [{}]
    first = licences[0] if isinstance(licences, list) and licences else {}
    return {
        "name": str(first.get("name", "not stated")),
        "title": str(first.get("title", first.get("name", "not stated"))),
        "path": str(first.get("path", "")),
    }


def source_licences(sources: pd.DataFrame) -> list[dict[str, Any]]:
    """Every source with its licence in words, how to get it when it has no address."""
    out = []
    for record in sources.sort_values("title").to_dict("records"):
        source = source_of(record)
        licence = source.licence if source.licence and source.licence != "unknown" else ""
        out.append(
            {**source.__dict__, "licence": licence or "not stated", "how": source.how_to_get}
        )
    return out


def kinds_used(sources: pd.DataFrame) -> list[tuple[str, int]]:
    """Each kind of source in reader words, with how many sources are of it."""
    counts = Counter(kind_words(k) for k in sources["kind"])
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _page(name: str, title: str, meta: Sequence[tuple[str, str]], **values: Any) -> str:
    template = name.replace(".html", "") + "_page.html.j2"
    return str(render(template, title=title, meta=list(meta), root="", assets="assets", **values))


def reader_pages(
    descriptor: Mapping[str, Any],
    tables: Mapping[str, pd.DataFrame],
    *,
    meta: Sequence[tuple[str, str]] = (),
) -> dict[str, str]:
    """The five reader pages, by file name."""
    sources = tables["sources"]
    resources = [
        {"title": r.get("title", r["name"]), "path": r["path"], "rows": len(tables[r["name"]])}
        for r in descriptor["resources"]
    ]
    licence = data_licence(descriptor)
    return {
        "about.html": _page(
            "about.html",
            "About the data and methods",
            meta,
            kinds=kinds_used(sources),
            resources=resources,
            documents=_documents(sources),
        ),
        "glossary.html": _page("glossary.html", "Glossary", meta, terms=GLOSSARY),
        "cite.html": _page("cite.html", "How to cite", meta, licence=licence),
        "corrections.html": _page("corrections.html", "Corrections", meta),
        "licence.html": _page(
            "licence.html",
            "Licences",
            meta,
            licence=licence,
            code=CODE_LICENCE,
            sources=source_licences(sources),
        ),
    }


def _documents(sources: pd.DataFrame) -> list[dict[str, Any]]:
    """The five documents whose recommendations and figures are curated from their text."""
    rows = (
        sources[sources["text_edition"].astype(str).str.len() > 0]
        if "text_edition" in sources
        else sources.iloc[0:0]
    )
    return [
        source_of(r).__dict__ | {"how": source_of(r).how_to_get} for r in rows.to_dict("records")
    ]


def zip_readme(descriptor: Mapping[str, Any], resources: Sequence[Mapping[str, Any]]) -> str:
    """The README of the data ZIP: what it holds, how it is licensed, how to cite it."""
    return str(
        render(
            "data_readme.txt.j2",
            title=descriptor.get("title", "ukcyber data"),
            description=descriptor.get("description", ""),
            resources=resources,
            licence=data_licence(descriptor),
        )
    )


def data_zip(data_dir: Path, descriptor: Mapping[str, Any]) -> bytes:
    """The whole data package as one ZIP, under ``ukcyber-data/``; the same bytes for the same data.

    It holds ``datapackage.json``, every CSV it lists, a README and the licence.
    """
    resources = [
        {"title": r.get("title", r["name"]), "path": r["path"]} for r in descriptor["resources"]
    ]
    members: dict[str, bytes] = {
        "datapackage.json": json.dumps(descriptor, indent=2, ensure_ascii=False).encode("utf-8"),
        "README.txt": zip_readme(descriptor, resources).encode("utf-8"),
        "LICENCE.txt": str(render("data_licence.txt.j2", licence=data_licence(descriptor))).encode(
            "utf-8"
        ),
    }
    for resource in descriptor["resources"]:
        members[resource["path"]] = (data_dir / resource["path"]).read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(f"ukcyber-data/{name}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name])
    return buffer.getvalue()


def reader_site(
    descriptor: Mapping[str, Any],
    tables: Mapping[str, pd.DataFrame],
    data_dir: Path,
    *,
    meta: Sequence[tuple[str, str]] = (),
) -> dict[str, str | bytes]:
    """Every reader file by path from the site's root: the five pages and the data ZIP."""
    files: dict[str, str | bytes] = dict(reader_pages(descriptor, tables, meta=meta))
    files[DATA_ZIP] = data_zip(data_dir, descriptor)
    return files
