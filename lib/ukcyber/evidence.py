"""The query API: the curated evidence as tidy tables an analyst can quote from.

One call answers one question, with the sources in the answer:

- :func:`series` — a metric for a place, one row per figure: value, bound, period, caveat,
  whether it is the preferred figure, and a citation a reader can paste;
- :func:`latest` — the latest preferred figure of a metric for a place;
- :func:`find` — which metrics hold figures about some words (``"jobs"`` finds employment);
- :func:`metrics` and :func:`places` — what can be asked for;
- :func:`recommendations` — recommendations and commitments by document, theme, actor,
  instrument, country or words;
- :func:`norm_figures` — what the UK reported under one UN GGE norm;
- :func:`ranks` — cyber power index ranks of a country;
- :func:`cite` — the citation of one row as text: publisher, title, date, where in the
  document, and the words it printed.

Results are :class:`Evidence` tables (pandas DataFrames): every pandas operation works on them,
and in JupyterLab they display as a table whose sources are linked. A name that is not in the
data (a metric, a place, a theme...) raises :class:`~ukcyber.errors.ParameterError` with the
closest valid names ("did you mean").

Nothing here draws: charts, briefings and tables are built on these results by the
presentation modules.

Examples
--------
>>> from ukcyber import evidence
>>> jobs = evidence.series("employment", alternatives=False)
>>> for row in jobs.tail(2).itertuples():
...     print(row.year, row.figure)
2022 58,005 people
2024 67,300 people
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
from markupsafe import Markup

from ukcyber import analysis
from ukcyber.citations import PRESS_REPORT, short_title, source_of
from ukcyber.data import load, split_list
from ukcyber.errors import ParameterError
from ukcyber.formatting import format_row, plain_title
from ukcyber.templating import render

FIGURE_TABLES = (
    "sector_statistics",
    "technology_sector",
    "exports_and_market",
    "regional",
    "norm_measures",
)
"""The tables of figures (one observation a row, with value, unit, period and provenance)."""

SERIES_COLUMNS = [
    "title",
    "geography",
    "series_name",
    "period",
    "year",
    "figure",
    "value",
    "unit",
    "scale",
    "qualifier",
    "basis",
    "preferred",
    "not_preferred_because",
    "caveat",
    "as_printed",
    "citation",
    "source_url",
]
"""The columns :func:`series` puts first (after them: ``metric``, ``table``, provenance, ids)."""

SYNONYMS = (
    ("jobs", "employment", "employed", "workforce", "workers", "staff", "employees", "hires"),
    ("firms", "businesses", "companies", "firm", "business", "company"),
    ("gva", "gross value added", "value added"),
    ("salary", "salaries", "pay", "wages", "earnings"),
    ("revenue", "turnover", "income", "sales"),
    ("exports", "export", "exporters"),
    ("investment", "funding", "capital", "raised", "invested"),
    ("growth", "grew", "increase", "rise"),
    ("rank", "ranking", "ranks", "index"),
    ("start-ups", "startups", "start-up", "startup"),
    ("market", "markets"),
    ("spending", "spend"),
)
"""Groups of words that find each other in :func:`find` (``jobs`` finds employment)."""

DISPLAY_LIMIT = 60
"""Rows shown by an :class:`Evidence` table in JupyterLab (pandas keeps them all)."""


class Evidence(pd.DataFrame):
    """A DataFrame of evidence rows that displays with its sources linked.

    Every pandas operation works and returns an :class:`Evidence` table; ``attrs["caption"]``
    names what it holds. In JupyterLab the reader's columns are shown (never internal ids),
    each row's citation linked to its source, all text escaped.
    """

    @property
    def _constructor(self) -> type[Evidence]:
        return Evidence

    def _repr_html_(self) -> str:
        shown = [c for c in self.attrs.get("display", SERIES_COLUMNS) if c in self.columns]
        shown = [c for c in shown if c not in ("source_url", "value", "unit", "scale")]
        if not shown:
            return str(pd.DataFrame(self)._repr_html_())
        records = self.head(DISPLAY_LIMIT).to_dict("records")
        rows = [{c: _display(r.get(c)) for c in shown} for r in records]
        links = [_url(r.get("source_url")) for r in records]
        return str(
            render(
                "evidence.html.j2",
                caption=str(self.attrs.get("caption", "")),
                columns=[(c, c.replace("_", " ")) for c in shown],
                rows=list(zip(rows, links, strict=True)),
                total=len(self),
                limit=DISPLAY_LIMIT,
            )
        )


def _display(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _url(value: object) -> str:
    text = _display(value)
    return text if text.startswith(("https://", "http://")) else ""


# --- names and "did you mean" ------------------------------------------------------------------


def _normal(text: object) -> str:
    """Lower case, accents and punctuation removed, single spaces: how words are compared."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9£$%.-]+", " ", plain.lower()).split())


def unknown(kind: str, value: object, valid: Iterable[str], *, hint: str = "") -> ParameterError:
    """The one error for a name not in the data: the closest valid names, else the first few.

    Parameters
    ----------
    kind : what was asked for (``"metric"``, ``"place"``, ``"theme"``...).
    value : the name given.
    valid : every valid name.
    hint : a sentence added to the message (where to find the valid names).

    Examples
    --------
    >>> print(unknown("place", "Walse", ["Wales", "London"]))
    unknown place 'Walse'; did you mean 'Wales'?
    """
    names = sorted({str(v) for v in valid})
    lowered = {n.lower(): n for n in names}
    close = [lowered[m] for m in difflib.get_close_matches(str(value).lower(), lowered, n=3)]
    contains = [n for n in names if str(value).lower() in n.lower()][:3]
    suggestions = list(dict.fromkeys(close + contains))[:3]
    if suggestions:
        said = " or ".join(repr(s) for s in suggestions)
        message = f"unknown {kind} {value!r}; did you mean {said}?"
    else:
        listed = ", ".join(names[:12]) + (", …" if len(names) > 12 else "")
        message = f"unknown {kind} {value!r}; valid: {listed}"
    return ParameterError(f"{message} {hint}".strip())


def _choose(kind: str, value: object, valid: Sequence[str], *, hint: str = "") -> str:
    """``value`` if it is one of ``valid`` (case and accents ignored), else :func:`unknown`."""
    if isinstance(value, str):
        if value in valid:
            return value
        by_words = {_normal(v): v for v in valid}
        if _normal(value) in by_words:
            return by_words[_normal(value)]
    raise unknown(kind, value, valid, hint=hint)


# --- the tables ----------------------------------------------------------------------------


def _sources() -> dict[str, dict[str, Any]]:
    return {str(r["source_id"]): r for r in load("sources").to_dict("records")}


def _figure_rows() -> pd.DataFrame:
    """Every row of every figure table, with the table's name in ``table``."""
    parts = [load(name).assign(table=name) for name in FIGURE_TABLES]
    return pd.concat(parts, ignore_index=True)


def _metric_titles() -> pd.Series:
    return load("metrics").set_index("metric")["title"]


def _metric(metric: str) -> str:
    """A metric id, given its id or its title (unit left off); else "did you mean"."""
    titles = _metric_titles()
    by_title = {_normal(plain_title(t)): m for m, t in titles.items()}
    if isinstance(metric, str) and _normal(metric) in by_title:
        return str(by_title[_normal(metric)])
    if isinstance(metric, str) and metric in titles.index:
        return metric
    found = find(metric) if isinstance(metric, str) else pd.DataFrame()
    related = list(found["metric"][:3]) if len(found) else []
    if related:
        named = " or ".join(f"{m!r} ({plain_title(titles[m])})" for m in related)
        raise ParameterError(
            f"unknown metric {metric!r}; did you mean {named}? "
            f"evidence.find({metric!r}) lists every metric about it"
        )
    raise unknown("metric", metric, titles.index, hint="evidence.metrics() lists them")


def _place(place: str, rows: pd.DataFrame) -> str:
    """A geography name of the data (case ignored), else "did you mean" among those of ``rows``."""
    names = sorted(load("geographies")["name"])
    aliases = {"united kingdom": "UK", "great britain": "UK", "britain": "UK"}
    if isinstance(place, str) and _normal(place) in aliases:
        canonical = aliases[_normal(place)]
        raise ParameterError(
            f"unknown place {place!r}; the data call it {canonical!r} (use place={canonical!r})"
        )
    having = sorted(set(rows["geography"])) or names
    if isinstance(place, str) and place not in names and _normal(place) not in map(_normal, names):
        raise unknown("place", place, names, hint=f"places with these figures: {', '.join(having)}")
    chosen = _choose("place", place, names)
    if chosen not in having:
        raise ParameterError(
            f"no figures for {chosen!r}; places with these figures: {', '.join(having)}"
        )
    return chosen


def cite(row: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """The citation of one data row as text a reader can paste.

    Publisher, title and date of the document, where in it (the section heading), and the
    words it printed; for a figure read in press coverage of official statistics, the official
    edition first, *as reported by* the outlet. Never an internal id or a file name.

    Parameters
    ----------
    row : a row of any table with a ``source_id`` (a dict, or a pandas row).
    sources : ``source_id`` → row of ``sources`` (loaded when not given).

    Returns
    -------
    str
        The citation, ending with the source's address or a note that it has none.

    Examples
    --------
    >>> from ukcyber import evidence
    >>> row = evidence.latest("employment")
    >>> print(evidence.cite(row))  # doctest: +ELLIPSIS
    Department for Science, Innovation and Technology (gov.uk), “DSIT cyber security newsletter - March 2025 (gov.uk)” (13 March 2025), section “A1. Sectoral analysis - national figures”: printed as “67,300”. https://www.gov.uk/...
    """
    lookup = sources if sources is not None else _sources()
    record = dict(lookup.get(str(row.get("source_id", "")), {}))
    source = source_of(record) if record else None
    if source is None:
        return "Source not recorded."
    title = source.title
    dated = f"“{title}”" + (f" ({source.date})" if source.date else "")
    edition = _text(row.get("edition"))
    if record.get("kind") == PRESS_REPORT:
        official = edition if edition and not edition.isdigit() else "official statistics"
        lead = f"{official}, as reported by {source.publisher or source.short_title}, {dated}"
    else:
        lead = f"{source.publisher}, {dated}" if source.publisher else dated
    parts = [lead]
    section = _text(row.get("section"))
    if section:
        parts.append(f"section “{section}”")
    printed = _text(row.get("as_printed"))
    text = ", ".join(parts) + (f": printed as “{printed}”." if printed else ".")
    return f"{text} {source.url}" if source.url else f"{text} (No public web address is known.)"


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def cited(rows: pd.DataFrame) -> Evidence:
    """Any rows of a figure table with columns added, as an :class:`Evidence` table.

    The columns added are ``figure`` (the value in words) and ``citation``, ``source`` and
    ``source_url``.

    Examples
    --------
    >>> from ukcyber import evidence
    >>> from ukcyber.data import load
    >>> rows = evidence.cited(load("regional").head(1))
    >>> rows["figure"].iloc[0], rows["source"].iloc[0]
    ('91%', 'Cybersecuronomics')
    """
    out = rows.assign(figure=[format_row(r) for r in rows.to_dict("records")])
    return _evidence(_with_citations(out), "", SERIES_COLUMNS)


def _with_citations(rows: pd.DataFrame) -> pd.DataFrame:
    lookup = _sources()
    records = rows.to_dict("records")
    urls = [
        source_of(lookup[str(r["source_id"])]).url if str(r["source_id"]) in lookup else ""
        for r in records
    ]
    return rows.assign(
        citation=[cite(r, lookup) for r in records],
        source=[_label(r, lookup) for r in records],
        source_url=urls,
    )


def _label(row: Mapping[str, Any], lookup: Mapping[str, Mapping[str, Any]]) -> str:
    record = lookup.get(str(row.get("source_id", "")), {})
    return short_title(record) if record else ""


def _evidence(rows: pd.DataFrame, caption: str, display: Sequence[str]) -> Evidence:
    out = Evidence(rows.reset_index(drop=True))
    out.attrs.update(caption=caption, display=list(display))
    return out


# --- figures -------------------------------------------------------------------------------


def series(
    metric: str,
    place: str = "UK",
    *,
    alternatives: bool = True,
    years: tuple[int, int] | None = None,
    basis: str | None = None,
) -> Evidence:
    """Every figure of ``metric`` for ``place``, one row per figure, oldest first.

    Parameters
    ----------
    metric : a metric id (``"employment"``) or its title without the unit
        (``"Sector revenue"``); :func:`find` and :func:`metrics` list them.
    place : a geography of the data (``"UK"``, ``"Wales"``, ``"London and the South East"``).
    alternatives : also return the figures that give way to a preferred one (a repeat, a
        rounded restatement, a second-hand citation); ``preferred`` tells them apart and
        ``not_preferred_because`` says why.
    years : keep figures with ``years[0] <= year <= years[1]``.
    basis : keep only ``"observed"``, ``"forecast"`` or ``"target"`` figures.

    Returns
    -------
    Evidence
        Columns :data:`SERIES_COLUMNS` (``series_name`` only for tables of several series,
        such as one provider's market estimates; ``figure`` is the value in words, a bound kept as a
        bound; ``citation`` is :func:`cite`), then ``metric``, ``table``, ``source``,
        ``series`` and ``provider`` (market estimates), ``evidence`` (regional), ``edition``,
        provenance and the row ``id`` (for joining, not for quoting).

    Raises
    ------
    ParameterError
        For an unknown metric or place ("did you mean"), or a place without this metric.

    Examples
    --------
    >>> from ukcyber import evidence
    >>> rows = evidence.series("revenue", alternatives=False, years=(2021, 2022))
    >>> for row in rows.itertuples():
    ...     print(row.year, row.figure, row.qualifier)
    2021 £10.1 billion exact
    2022 more than £10.5 billion more_than
    """
    metric = _metric(metric)
    rows = _figure_rows()
    rows = rows[rows["metric"] == metric]
    place = _place(place, rows)
    rows = _kept(rows[rows["geography"] == place], alternatives, years, basis)
    rows = _with_citations(_named_series(_in_words(rows, metric)))
    first = [c for c in SERIES_COLUMNS if c in rows.columns]
    rest = [c for c in rows.columns if c not in first and not rows[c].isna().all()]
    caption = f"{plain_title(_metric_titles()[metric])}, {place}"
    return _evidence(rows[first + rest], caption, SERIES_COLUMNS)


def _kept(
    rows: pd.DataFrame, alternatives: bool, years: tuple[int, int] | None, basis: str | None
) -> pd.DataFrame:
    """The rows :func:`series` keeps: preferred only without ``alternatives``, within ``years``."""
    if not alternatives:
        rows = rows[rows["preferred"].fillna(False).astype(bool)]
    if years is not None:
        rows = rows[(rows["year"] >= years[0]) & (rows["year"] <= years[1])]
    if basis is not None:
        rows = rows[rows["basis"] == _choose("basis", basis, ["observed", "forecast", "target"])]
    return rows


def _in_words(rows: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Rows with the metric's title and each figure in words; by year, preferred first."""
    return rows.assign(
        title=plain_title(_metric_titles()[metric]),
        figure=[format_row(r) for r in rows.to_dict("records")],
        preferred=rows["preferred"].fillna(False).astype(bool),
    ).sort_values(["year", "preferred", "id"], ascending=[True, False, True], na_position="last")


def _named_series(rows: pd.DataFrame) -> pd.DataFrame:
    """A reader's name for each row's ``series`` (market estimates, export series), if any."""
    if "series" not in rows.columns or not rows["series"].fillna("").astype(bool).any():
        return rows
    named = rows[rows["series"].fillna("").astype(bool)]
    labels = analysis.series_labels(named, _metric_titles(), load("sources"))
    return rows.assign(series_name=rows["series"].map(labels).fillna(""))


def latest(metric: str, place: str = "UK") -> pd.Series:
    """The latest preferred observed figure of ``metric`` for ``place`` (a row of :func:`series`).

    Raises
    ------
    ParameterError
        For an unknown metric or place, or when no dated observed figure is preferred.

    Examples
    --------
    >>> from ukcyber import evidence
    >>> row = evidence.latest("active_firms")
    >>> f"{row['figure']} in {row['year']}"
    'more than 2,165 firms in 2024'
    """
    rows = series(metric, place, alternatives=False, basis="observed")
    rows = rows[rows["year"].notna()]
    if rows.empty:
        raise ParameterError(f"no dated observed figure of {metric!r} for {place!r}")
    return rows.sort_values(["year", "id"]).iloc[-1]


def metrics() -> Evidence:
    """Every metric that has figures: title, unit, where and when, how many figures.

    Examples
    --------
    >>> from ukcyber import evidence
    >>> table = evidence.metrics()
    >>> table.set_index("metric").at["gva", "title"]
    'Sector gross value added'
    """
    return _summarise(_figure_rows(), caption="Every metric with figures")


def _summarise(
    rows: pd.DataFrame, *, caption: str, matched: Mapping[str, str] | None = None
) -> Evidence:
    info = load("metrics").set_index("metric")
    table_titles = {name: str(load(name).attrs.get("title", name)) for name in FIGURE_TABLES}
    out = []
    for metric, part in rows.groupby("metric", sort=False):
        years = part["year"].dropna().astype(int)
        span = (
            ""
            if years.empty
            else f"{years.min()}–{years.max()}"
            if years.nunique() > 1
            else f"{years.min()}"
        )
        out.append(
            {
                "metric": metric,
                "title": plain_title(info.at[metric, "title"]),
                "unit": info.at[metric, "unit"],
                "places": "; ".join(sorted(set(part["geography"]))),
                "years": span,
                "figures": len(part),
                "tables": "; ".join(table_titles[t] for t in dict.fromkeys(part["table"])),
                "matched": (matched or {}).get(str(metric), ""),
                "description": info.at[metric, "description"],
            }
        )
    frame = pd.DataFrame(out)
    if matched is None and len(frame):
        frame = frame.drop(columns="matched").sort_values("metric")
    display = ["metric", "title", "places", "years", "figures", "matched"]
    return _evidence(frame, caption, display)


def places(metric: str | None = None) -> list[str]:
    """The places that have figures (of ``metric``, when given), sorted.

    Examples
    --------
    >>> from ukcyber import evidence
    >>> "Wales" in evidence.places("active_firms")
    True
    """
    rows = _figure_rows()
    if metric is not None:
        rows = rows[rows["metric"] == _metric(metric)]
    return sorted(set(rows["geography"]))


def _variants(word: str) -> list[str]:
    for group in SYNONYMS:
        if word in group:
            return list(group)
    return [word]


def _matches(text: str, word: str) -> bool:
    return any(
        re.search(rf"(?<![a-z0-9]){re.escape(v)}(s|es)?(?![a-z0-9])", text) for v in _variants(word)
    )


def find(words: str) -> Evidence:
    """Metrics whose title, description or printed words contain every one of ``words``.

    Common synonyms count (``jobs`` finds employment, ``GVA`` gross value added, ``pay``
    salaries, ``companies`` firms). Metrics matched by their title come first.

    Parameters
    ----------
    words : a few words, e.g. ``"jobs"``, ``"export"``, ``"salary London"``, ``"£10.5bn"``.

    Returns
    -------
    Evidence
        One row per metric: ``metric`` (pass it to :func:`series`), ``title``, ``places``,
        ``years``, ``figures`` (how many), ``tables``, ``matched`` (where the words were found)
        and ``description``.

    Examples
    --------
    >>> from ukcyber import evidence
    >>> "employment" in set(evidence.find("jobs")["metric"])
    True
    """
    wanted = _normal(words).split()
    rows = _figure_rows()
    info = load("metrics").set_index("metric")
    matched: dict[str, str] = {}
    rank: dict[str, int] = {}
    for metric in dict.fromkeys(rows["metric"]):
        title = _normal(plain_title(info.at[metric, "title"]))
        about = _normal(info.at[metric, "description"])
        printed = rows.loc[rows["metric"] == metric, "as_printed"].astype(str)
        text = " ".join([title, about, *map(_normal, printed)])
        if not wanted or not all(_matches(text, w) for w in wanted):
            continue
        hits = [p for p in printed if all(_matches(_normal(p), w) for w in wanted)]
        if all(_matches(title, w) for w in wanted):
            matched[metric], rank[metric] = "title", 0
        elif all(_matches(f"{title} {about}", w) for w in wanted):
            matched[metric], rank[metric] = "description", 1
        else:
            matched[metric], rank[metric] = (
                f"printed as “{hits[0] if hits else printed.iloc[0]}”",
                2,
            )
    found = rows[rows["metric"].isin(matched)]
    result = _summarise(found, caption=f"Metrics about “{words}”", matched=matched)
    if result.empty:
        return result
    order = result.assign(_rank=result["metric"].map(rank)).sort_values(
        ["_rank", "figures", "metric"], ascending=[True, False, True]
    )
    return _evidence(
        order.drop(columns="_rank"), str(result.attrs["caption"]), result.attrs["display"]
    )


# --- recommendations, norms, ranks ---------------------------------------------------------

RECOMMENDATION_COLUMNS = [
    "document",
    "theme",
    "actor",
    "instrument",
    "kind",
    "summary",
    "countries",
    "citation",
    "source_url",
]


def documents() -> list[str]:
    """The documents whose recommendations are held, by their short titles."""
    recs, lookup = load("recommendations"), _sources()
    return sorted({_label({"source_id": s}, lookup) for s in recs["source_id"]})


def recommendations(
    *,
    document: str = "all",
    theme: str = "all",
    actor: str = "all",
    instrument: str = "all",
    country: str = "all",
    words: str = "",
) -> Evidence:
    """Recommendations, priority actions and commitments, filtered; ``"all"`` is no filter.

    Parameters
    ----------
    document : a document's short title (:func:`documents`), e.g. ``"Cybersecuronomics"``.
    theme : the document's own heading (``ukcyber.options.themes()``).
    actor : who should act (``ukcyber.options.actors()``), e.g. ``"UK government"``.
    instrument : the policy instrument (``ukcyber.options.instruments()``), e.g. ``"funding"``.
    country : a country named as a model or a partner (``ukcyber.options.countries()``).
    words : words every summary must contain (synonyms count, as in :func:`find`).

    Returns
    -------
    Evidence
        One row per item, in document order: ``document``, ``theme``, ``actor``,
        ``instrument``, ``kind``, ``summary`` (our words), ``countries``, ``citation``,
        ``source_url``, then the raw columns.

    Raises
    ------
    ParameterError
        For a value not in the data ("did you mean").

    Examples
    --------
    >>> from ukcyber import evidence
    >>> rows = evidence.recommendations(instrument="skills", actor="UK government")
    >>> len(rows) > 0, set(rows["instrument"])
    (True, {'skills'})
    """
    recs = load("recommendations")
    lookup = _sources()
    recs = recs.assign(document=[_label(r, lookup) for r in recs.to_dict("records")])
    columns = {"document": document, "theme": theme, "actor": actor, "instrument": instrument}
    recs, country = _matching(recs, columns, country, words)
    recs = recs.assign(
        countries=[
            "; ".join(split_list(f"{a};{b}"))
            for a, b in zip(recs["comparator_countries"], recs["partner_countries"], strict=True)
        ]
    )
    recs = _with_citations(recs)
    first = RECOMMENDATION_COLUMNS
    out = recs[first + [c for c in recs.columns if c not in first]]
    filters = [v for v in (document, theme, actor, instrument, country) if v != "all"]
    caption = "Recommendations and commitments" + (f": {', '.join(filters)}" if filters else "")
    return _evidence(out, caption, RECOMMENDATION_COLUMNS)


def _matching(
    recs: pd.DataFrame, columns: Mapping[str, str], country: str, words: str
) -> tuple[pd.DataFrame, str]:
    """The recommendations matching every filter (``"all"``: any), and the country as chosen."""
    for column, value in columns.items():
        if value != "all":
            value = _choose(column, value, sorted(set(recs[column])))
            recs = recs[recs[column] == value]
    if country != "all":
        from ukcyber.options import countries

        country = _choose("country", country, countries())
        named = recs[["comparator_countries", "partner_countries"]].map(split_list).sum(axis=1)
        recs = recs[named.map(lambda names: country in names)]
    for word in _normal(words).split():
        recs = recs[recs["summary"].map(lambda s, w=word: _matches(_normal(s), w))]
    return recs, country


def norm_figures(norm: str) -> Evidence:
    """The figures the UK's 2019 non-paper reports under one UN GGE norm.

    Parameters
    ----------
    norm : the norm's id (``"13b"``), paragraph (``"13(b)"``) or short name.

    Examples
    --------
    >>> from ukcyber import evidence
    >>> rows = evidence.norm_figures("13b")
    >>> rows.attrs["caption"]
    'Norm 13(b): Weigh full context of incidents'
    """
    norms = load("norms")
    names = {
        **dict(zip(norms["paragraph"], norms["norm_id"], strict=True)),
        **dict(zip(norms["short_name"], norms["norm_id"], strict=True)),
        **dict(zip(norms["norm_id"], norms["norm_id"], strict=True)),
    }
    chosen = names[_choose("norm", norm, sorted(names))]
    info = norms.set_index("norm_id").loc[chosen]
    rows = load("norm_measures")
    rows = rows[rows["norm_id"] == chosen]
    rows = rows.assign(
        title=rows["metric"].map(_metric_titles()).map(plain_title),
        figure=[format_row(r) for r in rows.to_dict("records")],
        preferred=rows["preferred"].fillna(False).astype(bool),
        norm=f"Norm {info['paragraph']}: {info['short_name']}",
    )
    rows = _with_citations(rows)
    caption = f"Norm {info['paragraph']}: {info['short_name']}"
    out = _evidence(rows, caption, ["title", "period", "figure", "as_printed", "citation"])
    out.attrs["summary"] = str(info["uk_measures_summary"])
    return out


def ranks(country: str) -> Evidence:
    """Every cyber power index rank the sources give ``country``, by index and edition.

    Examples
    --------
    >>> from ukcyber import evidence
    >>> uk = evidence.ranks("United Kingdom")
    >>> for row in uk[uk["preferred"]].head(2).itertuples():
    ...     print(row.index_name, row.edition, row.rank)
    Belfer National Cyber Power Index 2020 3
    Belfer National Cyber Power Index 2022 4
    """
    table = load("cyber_power_rankings")
    from ukcyber.options import countries

    country = _choose("country", country, countries())
    rows = table[table["country"] == country].sort_values(["index_name", "edition", "id"])
    rows = rows.assign(preferred=rows["preferred"].fillna(False).astype(bool))
    return _evidence(
        _with_citations(rows),
        f"Cyber power index ranks: {country}",
        ["index_name", "edition", "rank", "rank_change", "preferred", "as_printed", "citation"],
    )


def citations(rows: pd.DataFrame) -> list[str]:
    """The distinct citations of ``rows``, in order of first appearance."""
    if "citation" in rows.columns:
        return list(dict.fromkeys(rows["citation"]))
    lookup = _sources()
    return list(dict.fromkeys(cite(r, lookup) for r in rows.to_dict("records")))


def html(rows: pd.DataFrame) -> Markup:
    """``rows`` as the escaped HTML table JupyterLab shows (for pages that embed one)."""
    table = rows if isinstance(rows, Evidence) else Evidence(rows)
    return Markup(table._repr_html_())
