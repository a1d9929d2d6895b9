"""One report to build (a notebook and one parameter set) and its bounded file-name slug."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

ParamValue = str | int | float | bool
Params = dict[str, ParamValue]

SLUG_LIMIT = 80
"""Longest slug: file names stay far below the 255-byte limit of common file systems."""


@dataclass(frozen=True)
class Job:
    """One report: a notebook run with one parameter set, published as ``<notebook>/<slug>``."""

    notebook: str
    params: Params = field(default_factory=dict)
    title: str = ""
    description: str = ""
    slug: str = "default"

    @property
    def key(self) -> str:
        """The job's unique name, ``notebook/slug``."""
        return f"{self.notebook}/{self.slug}"


def params_digest(params: Mapping[str, ParamValue]) -> str:
    """Short, stable hash of a whole parameter set (names, values and their types)."""
    text = json.dumps(sorted((k, type(v).__name__, v) for k, v in params.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def slugify(params: Mapping[str, ParamValue], *, hashed: bool = False) -> str:
    """File-name slug of a parameter set: ``{}`` → ``default``, region London → ``region-london``.

    A slug longer than :data:`SLUG_LIMIT` (or any slug when ``hashed``) is cut and ends with a
    short hash of the full parameter set, so long values give bounded, still distinct names.
    """
    if not params:
        return "default"
    slug = "__".join(_ascii(f"{name}-{value}") for name, value in sorted(params.items()))
    if hashed or len(slug) > SLUG_LIMIT:
        slug = f"{slug[: SLUG_LIMIT - 10].rstrip('-_')}-{params_digest(params)}"
    return slug
