"""ukcyber: curated UK cyber sector and policy data, analysis, charts, briefings and reports."""

__version__ = "0.1.0"
