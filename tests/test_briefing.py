"""Briefings: number formatting, ordinals, escaping of data values, citations and tables."""

from __future__ import annotations

import re

import mistune
import pandas as pd
import pytest
from ukcyber.briefing import Brief, MainPoints, citation
from ukcyber.escaping import escape_markdown
from ukcyber.formatting import (
    format_row,
    format_value,
    join_words,
    listed,
    number,
    ordinal,
    plural,
    tie_words,
    words,
)
from ukcyber.mime import BRIEF_MIME, MAIN_POINTS_MIME, TABLE_MIME
from ukcyber.tables import Table

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[x](javascript:alert(1))"

SOURCES = pd.DataFrame(
    {
        "source_id": ["stats_2024", "paper_2023"],
        "title": ["Cyber Security Sectoral Analysis 2024", "Cybersecuronomics"],
        "date": ["2024-05", "2023-09"],
        "kind": ["official_statistics", "think_tank_paper"],
    }
)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((10.5, "GBP", "billion", "more_than"), "more than £10.5 billion"),
        ((13.2, "GBP", "billion"), "£13.2 billion"),
        ((1.234, "GBP", "billion"), "£1.23 billion"),
        ((15, "GBP", "million"), "£15 million"),
        ((28.5, "USD", "trillion"), "$28.5 trillion"),
        ((3.5, "USD", "billion", "approximately"), "about $3.5 billion"),
        ((52000, "GBP"), "£52,000"),
        ((1, "percent", "one", "less_than"), "less than 1%"),
        ((91, "percent"), "91%"),
        ((3.94, "percent"), "3.9%"),
        ((50, "percent", "one", "at_least"), "at least 50%"),
        ((5, "percent", "one", "at_most"), "at most 5%"),
        ((4, "rank"), "4th"),
        ((3.0, "rank"), "3rd"),
        ((58005, "people"), "58,005 people"),
        ((1979, "firms"), "1,979 firms"),
        ((2000, "firms", "one", "approximately"), "about 2,000 firms"),
        ((2.5, "people", "thousand"), "2.5 thousand people"),
        ((7, "years"), "7 years"),
    ],
)
def test_format_value(args, expected):
    assert format_value(*args) == expected


def test_format_value_unknown_qualifier_adds_no_words():
    assert format_value(12, "percent", "one", "whatever") == "12%"


def test_format_row_reads_value_unit_scale_and_qualifier():
    row = pd.Series({"value": 10.5, "unit": "GBP", "scale": "billion", "qualifier": "more_than"})
    assert format_row(row) == "more than £10.5 billion"
    assert format_row({"value": 300, "unit": "firms", "qualifier": "approximately"}) == (
        "about 300 firms"
    )


def test_number_drops_needless_decimals():
    assert number(58005.0) == "58,005"
    assert number(3.90) == "3.9"
    assert number(1234567.25, 2) == "1,234,567.25"
    assert number(2.0, 2) == "2"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
        (0, "0th"),
    ],
)
def test_ordinal(n, expected):
    assert ordinal(n) == expected


# --- Brief -----------------------------------------------------------------------------------


def hostile_brief() -> Brief:
    brief = Brief(f"Region {SCRIPT}")
    brief.para("Investment in {region} was {value}.", region=SCRIPT, value="£1 billion")
    brief.bullet("Picture: {x}", x=IMG)
    brief.bullet("Link: {x}", x=LINK)
    brief.para("Note: {x}", x="**bold** _em_ `code` # heading")
    return brief


def test_brief_html_escapes_every_data_value():
    html = hostile_brief().to_html()
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert html.startswith('<section class="ukc-brief">\n<h3>Region &lt;script&gt;')
    # Template text is trusted and kept as written.
    assert "<p>Investment in &lt;script&gt;alert(1)&lt;/script&gt; was £1 billion.</p>" in html


def test_brief_html_escapes_quotes_in_values():
    html = Brief("t").para("<a title='{v}'>x</a>", v="' onmouseover='alert(1)").to_html()
    assert "onmouseover='alert" not in html
    assert "&#39; onmouseover=&#39;alert(1)" in html


def test_brief_markdown_has_no_raw_html_and_no_links():
    md = hostile_brief().to_markdown()
    assert not re.search(r"<[A-Za-z/!]", md), md
    assert "](" not in md
    assert r"\[x\]\(javascript:alert\(1\)\)" in md
    assert md.startswith("### Region &lt;script&gt;")
    assert r"\*\*bold\*\* \_em\_ \`code\` \# heading" in md


def test_brief_markdown_renders_as_literal_text():
    rendered = mistune.html(hostile_brief().to_markdown())
    assert "<script" not in rendered
    assert "<img" not in rendered
    assert "<a " not in rendered
    assert "<strong>" not in rendered and "<em>" not in rendered and "<code>" not in rendered
    assert "javascript:alert(1)" in rendered  # shown as text, not as a link
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered


def test_escape_markdown_escapes_specials():
    assert escape_markdown("a*b_c") == r"a\*b\_c"
    assert escape_markdown("x < y & z") == "x &lt; y &amp; z"
    assert escape_markdown(42) == "42"


def test_consecutive_bullets_form_one_list():
    brief = Brief("Title").para("Intro").bullet("one").bullet("two").bullet("three").para("End")
    html = brief.to_html()
    assert html.count("<ul>") == 1 and html.count("</ul>") == 1
    assert "<ul><li>one</li><li>two</li><li>three</li></ul>" in html
    assert html.index("<p>Intro</p>") < html.index("<ul>") < html.index("<p>End</p>")
    md = brief.to_markdown()
    assert "- one\n- two\n- three\n" in md
    text = brief.to_text()
    assert text.splitlines() == ["Title", "Intro", "  * one", "  * two", "  * three", "End"]


def test_separated_bullets_form_separate_lists():
    brief = Brief("T").bullet("a").para("middle").bullet("b").bullet("c")
    html = brief.to_html()
    assert html.count("<ul>") == 2
    assert html.rstrip().endswith("<ul><li>b</li><li>c</li></ul>\n</section>")


def cited_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_id": ["stats_2024", "stats_2024", "paper_2023", "unknown_src"],
            "locator": ["line 10", "line 10", "line 464", "p. 3"],
            "section": ["Key findings", "Key findings", "", "Intro"],
            "as_printed": ["1,979", "1,979", "58,005", ""],
        }
    )


def test_citation_text():
    rows = cited_rows()
    assert citation(rows.iloc[0], SOURCES) == (
        "Cyber Security Sectoral Analysis 2024 (May 2024), section “Key findings”, "
        "printed as “1,979”"
    )
    assert citation(rows.iloc[2], SOURCES) == (
        "Cybersecuronomics (September 2023), printed as “58,005”"
    )
    assert citation(rows.iloc[3], SOURCES) == "Unknown source, section “Intro”, p. 3"


def test_cite_lists_each_location_once():
    brief = Brief("T").para("Body")
    brief.cite(cited_rows(), SOURCES)
    brief.cite(cited_rows().iloc[2], SOURCES)  # a Series already cited
    brief.cite(
        {"source_id": "paper_2023", "locator": "line 478", "section": "", "as_printed": "14%"},
        SOURCES,
    )
    assert brief.cited == [
        "Cyber Security Sectoral Analysis 2024 (May 2024), section “Key findings”, "
        "printed as “1,979”",
        "Cybersecuronomics (September 2023), printed as “58,005”",
        "Unknown source, section “Intro”, p. 3",
        "Cybersecuronomics (September 2023), printed as “14%”",
    ]
    html = brief.to_html()
    assert '<p class="ukc-cite-heading">Sources of this briefing</p>' in html
    assert html.count("printed as “58,005”") == 1
    assert html.count("<li>") == 4
    assert "(think-tank paper)" in html and "(official statistics)" in html
    text = brief.to_text()
    assert "Sources:" in text and text.count("1,979") == 1
    assert "**Sources**" in brief.to_markdown()


def test_cited_text_from_data_is_escaped():
    sources = pd.DataFrame({"source_id": ["s"], "title": [SCRIPT]})
    brief = Brief("T").cite({"source_id": "s", "locator": IMG, "section": ""}, sources)
    html = brief.to_html()
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert not re.search(r"<[A-Za-z/!]", brief.to_markdown())


def test_brief_without_citations_has_no_sources_heading():
    brief = Brief("T").para("Body")
    assert "Sources" not in brief.to_html()
    assert "Sources" not in brief.to_text()


def test_brief_text_keeps_values_unescaped():
    text = hostile_brief().to_text()
    assert text.splitlines()[0] == f"Region {SCRIPT}"
    assert f"Investment in {SCRIPT} was £1 billion." in text
    assert f"  * Picture: {IMG}" in text


def test_brief_bundle_groups_consecutive_bullets_for_the_page():
    brief = hostile_brief()
    bundle = brief._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain", BRIEF_MIME}
    assert bundle["text/plain"] == brief.to_text()
    assert bundle[BRIEF_MIME]["title"] == brief.title
    assert [kind for kind, _ in bundle[BRIEF_MIME]["groups"]] == ["p", "ul", "p"]


def test_a_chained_brief_renders_paragraphs_bullets_and_sources_in_order():
    row = {"source_id": "paper_2023", "locator": "line 4", "section": "Intro"}
    brief = Brief("T").para("a {x}", x=1).bullet("b {y}", y="<i>").cite(row, SOURCES)
    assert brief.to_text().splitlines() == [
        "T",
        "a 1",
        "  * b <i>",
        "Sources:",
        "  * Cybersecuronomics (September 2023), section “Intro” (think-tank paper)",
    ]
    html = brief.to_html()
    assert html.index("<p>a 1</p>") < html.index("<li>b &lt;i&gt;</li>") < html.index("Sources")


# --- Table -----------------------------------------------------------------------------------


def hostile_table() -> Table:
    rows = pd.DataFrame(
        {
            "geography": [SCRIPT, "Wales & Borders"],
            "value": [IMG, "5"],
            "ignored": ["<b>not shown</b>", "x"],
        }
    )
    return Table(rows, {"geography": "Where <i>", "value": "Value"}, caption="Caption <u>")


def test_table_html_escapes_every_cell_header_and_caption():
    html = hostile_table().to_html()
    assert "<script" not in html and "<img" not in html
    assert "<i>" not in html and "<u>" not in html
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in html
    assert "<td>&lt;img src=x onerror=alert(1)&gt;</td>" in html
    assert "<td>Wales &amp; Borders</td>" in html
    assert '<th scope="col">Where &lt;i&gt;</th><th scope="col">Value</th>' in html
    assert "<caption>Caption &lt;u&gt;</caption>" in html
    assert "not shown" not in html
    assert html.count("<tr>") == 3


def test_table_text_is_plain():
    assert hostile_table().to_text().splitlines() == [
        "Caption <u>",
        f"{SCRIPT} | {IMG}",
        "Wales & Borders | 5",
    ]


def test_empty_table():
    table = Table(pd.DataFrame({"a": []}), {"a": "A"})
    assert table.to_text() == "(no rows)"
    assert "<caption>" not in table.to_html()
    assert "<tbody>\n</tbody>" in table.to_html()


def test_table_mimebundle():
    table = hostile_table()
    bundle = table._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain", TABLE_MIME}
    assert bundle["text/html"] == table.to_html()
    assert bundle["text/plain"] == table.to_text()
    assert bundle[TABLE_MIME]["rows"][1] == {"geography": "Wales & Borders", "value": "5"}
    assert bundle[TABLE_MIME]["row_citations"] == []


def test_percent_change_is_shown_as_a_percentage():
    assert format_value(12, "percent_change") == "12%"
    assert format_value(14.1, "percent_change", qualifier="approximately") == "about 14.1%"


# --- honest arithmetic in words: counts, ties, plurals ------------------------------------------


@pytest.mark.parametrize(
    ("count", "word", "plural_form", "expected"),
    [
        (1, "partnership", None, "1 partnership"),
        (8, "partnership", None, "8 partnerships"),
        (0, "figure", None, "0 figures"),
        (2, "country", "countries", "2 countries"),
        (1, "country", "countries", "1 country"),
        (1200, "item", None, "1,200 items"),
    ],
)
def test_plural_is_a_real_plural(count, word, plural_form, expected):
    assert plural(count, word, plural_form) == expected
    assert "(s)" not in plural(count, word, plural_form)


def test_a_stated_count_equals_the_items_listed():
    assert listed(8, 8, "partnership") == "8 partnerships"
    assert listed(11, 8, "partnership") == "11 partnerships (8 of 11 listed)"
    assert listed(1, 1, "partnership") == "1 partnership"
    assert listed(3, 5, "item") == "3 items"  # never claims more listed than exist


def test_ties_are_named_as_ties():
    assert tie_words(["funding"], 5, "item") == "funding (5 items)"
    assert tie_words(["funding", "skills"], 1, "item") == "funding and skills, tied at 1 item each"
    assert tie_words(["a", "b", "c"], 2, "item") == "a, b and c, tied at 2 items each"


def test_join_words():
    assert join_words([]) == ""
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b"]) == "a and b"
    assert join_words(["a", "b", "c"], "or") == "a, b or c"


def test_codes_in_data_values_become_words():
    assert words("investment_screening") == "investment screening"
    assert words("priority_action") == "priority action"
    assert words("rec-000-01") == "rec-000-01"
    assert words("UK_Gov") == "UK_Gov"  # not a lower-case code
    brief = Brief("T").para("Most often about {i}.", i="investment_screening")
    assert "investment screening" in brief.to_text() and "_" not in brief.to_text()


def test_main_points_are_one_to_five_cited_findings():
    rows = cited_rows()
    points = MainPoints()
    with pytest.raises(ValueError, match="1 to 5 findings, got 0; add one saying there is nothing"):
        points._repr_mimebundle_()
    points.add("Revenue was {v}.", rows=rows.iloc[0], sources=SOURCES, v=SCRIPT)
    assert len(points.to_json()["points"]) == 1  # one finding is a page's main point
    points.add("Two sources: {n}.", rows=rows.iloc[:3], sources=SOURCES, n=2)
    points.add("No source needed.")
    bundle = points._repr_mimebundle_()
    data = bundle[MAIN_POINTS_MIME]["points"]
    assert len(data) == 3
    assert "&lt;script&gt;" in data[0]["html"] and "<script" not in bundle["text/html"]
    assert [c["label"] for c in data[1]["citations"]] == [
        "Cyber Security Sectoral Analysis 2024 (May 2024)",
        "Cybersecuronomics (September 2023)",
    ]
    assert data[2]["citations"] == []
    assert bundle["text/plain"].splitlines()[0] == "Main points"
    assert "Main points" in bundle["text/html"]
    for extra in range(3):
        points.add("More {n}.", n=extra)
    with pytest.raises(ValueError, match="got 6"):
        points.to_json()
