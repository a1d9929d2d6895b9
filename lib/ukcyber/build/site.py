"""What the build tells the site about each notebook: one front-page section per notebook."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from ukcyber.build.adhoc import base_title
from ukcyber.build.jobs import Job
from ukcyber.build.notebooks import NotebookInfo, declared_parameters
from ukcyber.site.front import NotebookSection


def _description(info: NotebookInfo) -> str:
    try:
        meta = json.loads(info.raw.decode("utf-8")).get("metadata", {}).get("ukcyber", {})
    except (UnicodeDecodeError, ValueError, AttributeError):
        return ""
    return str(meta.get("description", "")) if isinstance(meta, dict) else ""


def notebook_sections(
    jobs: Sequence[Job], infos: Mapping[str, NotebookInfo]
) -> list[NotebookSection]:
    """Give one front-page section per notebook, in matrix order: title, question, defaults."""
    sections: dict[str, NotebookSection] = {}
    for job in jobs:
        if job.notebook in sections or job.notebook not in infos:
            continue
        info = infos[job.notebook]
        defaults = {d.name: d.default for d in declared_parameters(info.raw)}
        sections[job.notebook] = NotebookSection(
            name=job.notebook,
            title=base_title(job),
            description=_description(info),
            defaults={k: v for k, v in defaults.items() if v is not None},
        )
    return list(sections.values())
