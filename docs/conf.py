"""Sphinx configuration of the ukcyber documentation (``make docs``, offline).

Sphinx reads the library's numpy-style docstrings (autodoc + napoleon) for the API reference,
which autosummary generates for every module of the package, and the Markdown guides with
myst-parser. The furo theme ships its own assets, so the site needs no network. ``make docs``
builds with ``-W --keep-going``: every warning is an error.
"""

from __future__ import annotations

import ukcyber

project = "ukcyber"
author = "the ukcyber project"
copyright = "the ukcyber project; data licences are listed per source"
release = version = ukcyber.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "**/.ipynb_checkpoints"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autosummary_generate = True
autosummary_imported_members = False
# Each object is documented once, in the module that defines it (not where __all__ re-exports it).
autodoc_default_options = {
    "members": True,
    "undoc-members": True,
    "show-inheritance": True,
    "ignore-module-all": True,
}
autodoc_member_order = "bysource"
# Methods overriding a third-party class document themselves or not at all (the parent's
# docstring is another project's markup).
autodoc_inherit_docstrings = False
autodoc_typehints = "description"
autodoc_typehints_format = "short"
# Docstrings are numpy style (Parameters / Returns / Raises / Examples).
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
# Names in docstrings written as ``code`` are not cross-reference targets to resolve.
nitpicky = False

html_theme = "furo"
html_title = "ukcyber documentation"
html_static_path: list[str] = []
html_show_sourcelink = False
