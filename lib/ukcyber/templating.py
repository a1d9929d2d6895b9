"""The one Jinja2 environment every HTML fragment and page is rendered through.

Autoescaping is on for ``.html``/``.j2`` templates, so text taken from the data is escaped
wherever it is placed; templates themselves are trusted project files under ``templates/``.
Fragments rendered here (a briefing, a table) come back as :class:`markupsafe.Markup`, so they
can be placed inside a page without being escaped twice.
"""

from __future__ import annotations

import functools
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup


@functools.cache
def environment() -> Environment:
    """The shared environment: package templates, autoescaping, undefined names are errors."""
    return Environment(
        loader=PackageLoader("ukcyber", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(name: str, **context: Any) -> Markup:
    """Render template ``name`` with ``context``; the result is safe HTML."""
    return Markup(environment().get_template(name).render(**context))


def template_text(name: str) -> str:
    """The raw text of a template file (the stylesheet and scripts copied to ``assets/``)."""
    env = environment()
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    return source
