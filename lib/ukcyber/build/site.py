"""What the build tells the site about each notebook: one front-page section per notebook."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ukcyber.build.adhoc import base_title
from ukcyber.build.jobs import Job
from ukcyber.build.notebooks import NotebookInfo
from ukcyber.site.front import NotebookSection


def notebook_sections(
    jobs: Sequence[Job], infos: Mapping[str, NotebookInfo]
) -> list[NotebookSection]:
    """Give one front-page section per notebook, in matrix order: title, question, defaults."""
    sections: dict[str, NotebookSection] = {}
    for job in jobs:
        if job.notebook not in sections and job.notebook in infos:
            info = infos[job.notebook]
            sections[job.notebook] = NotebookSection(
                job.notebook, base_title(job), info.description, info.defaults
            )
    return list(sections.values())
