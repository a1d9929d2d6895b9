"""Escaping text taken from the data for each output format it is placed in."""

from __future__ import annotations

import html
import json
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def escape_html(text: object) -> str:
    """Escape text for HTML element content and attribute values."""
    return html.escape(str(text), quote=True)


def escape_markdown(text: object) -> str:
    """Escape text for Markdown so that it renders literally (no links, emphasis or HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


def script_json(data: object) -> str:
    """JSON safe to place inside ``<script type="application/json">`` (no ``<``, ``>``, ``&``)."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
