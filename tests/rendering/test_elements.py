"""Each gap bibkit closes in citeproc-py, pinned by a small style that exercises one CSL rule.

The styles are written inline so each test shows the exact CSL it relies on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bibkit.rendering import Engine
from bibkit.rendering.output import format_entries

HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" {attrs}>'
    "<info><title>test</title><id>test</id><updated>2024-01-01T00:00:00+00:00</updated></info>"
)


def style(tmp_path: Path, body: str, attrs: str = "", citation: str = "") -> Path:
    cite = citation or "<citation><layout><text variable='title'/></layout></citation>"
    path = tmp_path / "test.csl"
    path.write_text(HEAD.format(attrs=attrs) + cite + body + "</style>", encoding="utf-8")
    return path


def text(path: Path, items: list[dict[str, Any]], locale: str | None = None) -> list[str]:
    entries = Engine(path, locale).render(items)
    return format_entries(entries, "text").splitlines()


def article(item_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": item_id, "type": "article-journal", **fields}


SMITH = [{"family": "Smith", "given": "Emily R"}]


def test_year_suffix_added_when_author_and_year_repeat(tmp_path: Path) -> None:
    """CSL 1.0.2 Disambiguation: disambiguate-add-year-suffix; with no cs:text year-suffix in
    the style the suffix follows the first rendered year of issued."""
    path = style(
        tmp_path,
        "<bibliography><sort><key variable='title'/></sort><layout>"
        "<group delimiter=' '><names variable='author'><name/></names>"
        "<date variable='issued'><date-part name='year'/></date>"
        "<text variable='title'/></group></layout></bibliography>",
        citation="<citation disambiguate-add-year-suffix='true'><layout>"
        "<names variable='author'><name form='short'/></names>"
        "<date variable='issued' prefix=' '><date-part name='year'/></date></layout></citation>",
    )
    items = [
        article("b", author=SMITH, title="Beta", issued={"date-parts": [[2021]]}),
        article("a", author=SMITH, title="Alpha", issued={"date-parts": [[2021]]}),
        article("c", author=SMITH, title="Gamma", issued={"date-parts": [[2022]]}),
    ]
    assert text(path, items) == [
        "Emily R Smith 2021a Alpha",
        "Emily R Smith 2021b Beta",
        "Emily R Smith 2022 Gamma",
    ]


QUOTED = (
    "<bibliography><layout><group delimiter='. '><text variable='title' quotes='true'/>"
    "<text variable='container-title'/></group></layout></bibliography>"
)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en-US", "“Traits.” Genes"), ("en-GB", "‘Traits’. Genes")],
)
def test_punctuation_in_quote_follows_the_locale(
    tmp_path: Path, locale: str, expected: str
) -> None:
    """CSL 1.0.2 Locale options: punctuation-in-quote (true for en-US) moves a following
    period or comma inside the closing quote."""
    items = [article("a", title="Traits", **{"container-title": "Genes"})]
    assert text(style(tmp_path, QUOTED), items, locale) == [expected]


def test_question_mark_absorbs_following_period(tmp_path: Path) -> None:
    """Punctuation at a seam is not doubled: ``evidence?`` + ``.`` stays ``evidence?``."""
    path = style(
        tmp_path,
        "<bibliography><layout><text variable='title' suffix='.'/>"
        "<text variable='container-title' prefix=' '/></layout></bibliography>",
    )
    items = [article("a", title="Where is the evidence?", **{"container-title": "BMJ"})]
    assert text(path, items) == ["Where is the evidence? BMJ"]


def test_et_al_period_not_doubled(tmp_path: Path) -> None:
    """CSL 1.0.2 Affixes: a suffix period after the ``et al.`` term is not printed twice, even
    when the term is italic."""
    path = style(
        tmp_path,
        "<bibliography et-al-min='3' et-al-use-first='1'><layout>"
        "<names variable='author' suffix='. '><name/><et-al font-style='italic'/></names>"
        "<text variable='title'/></layout></bibliography>",
    )
    people = [{"family": f, "given": "A"} for f in ("Chen", "Li", "Wang")]
    items = [article("a", author=people, title="Omicron")]
    assert text(path, items) == ["A Chen et al. Omicron"]
    html = format_entries(Engine(path).render(items), "html")
    assert "et al.</i> Omicron" in html


def test_second_field_align_keeps_the_number_apart(tmp_path: Path) -> None:
    """CSL 1.0.2 Whitespace: second-field-align puts the first field (the number) in its own
    column; the text output separates it by a space, never ``1.Smith``."""
    path = style(
        tmp_path,
        "<bibliography second-field-align='flush'><layout>"
        "<text variable='citation-number' suffix='.'/>"
        "<names variable='author'><name/></names></layout></bibliography>",
    )
    entries = Engine(path).render([article("a", author=SMITH)])
    assert entries[0].left == "1."
    assert format_entries(entries, "text") == "1. Emily R Smith\n"
    assert 'class="csl-left-margin">1.</div>' in format_entries(entries, "html")


def test_second_field_align_with_nothing_after_the_number(tmp_path: Path) -> None:
    """An item with nothing to print after its number gets no layout suffix after nothing
    (Nature printed "25. ." for an empty record; citeproc-js prints "25.")."""
    path = style(
        tmp_path,
        "<bibliography second-field-align='flush'><layout suffix='.'>"
        "<text variable='citation-number' suffix='.'/>"
        "<text variable='title' prefix=' '/></layout></bibliography>",
    )
    entries = Engine(path).render([article("a"), article("b", title="T")])
    assert format_entries(entries, "text") == "1.\n2. T.\n"


def test_localized_date_keeps_its_delimiter(tmp_path: Path) -> None:
    """CSL 1.0.2 Localized date formats: the locale's cs:date (here the style's own locale)
    sets the delimiter; the calling cs:date may only add affixes and formatting."""
    path = style(
        tmp_path,
        "<locale xml:lang='en'><date form='text' delimiter=' '><date-part name='year'/>"
        "<date-part name='month' form='short' strip-periods='true'/><date-part name='day'/>"
        "</date></locale>"
        "<bibliography><layout><date variable='issued' form='text'/></layout></bibliography>",
    )
    items = [article("a", issued={"date-parts": [[2021, 1, 21]]})]
    assert text(path, items) == ["2021 Jan 21"]


def test_substituted_title_printed_once_and_sorted_by_it(tmp_path: Path) -> None:
    """CSL 1.0.2 Substitution: "Substituted variables are considered empty for the remainder
    of the output", even when a macro rendered them; sorting uses the substitute."""
    path = style(
        tmp_path,
        "<macro name='author'><names variable='author'><name/>"
        "<substitute><text macro='title'/></substitute></names></macro>"
        "<macro name='title'><text variable='title'/></macro>"
        "<bibliography><sort><key macro='author'/></sort><layout>"
        "<group delimiter='. '><text macro='author'/><text macro='title'/>"
        "<text variable='container-title'/></group></layout></bibliography>",
    )
    items = [
        article(
            "z",
            author=[{"family": "Zhang", "given": "Y"}],
            title="Lungs",
            **{"container-title": "Cell"},
        ),
        article("m", title="Measles: a tragedy", **{"container-title": "Lancet"}),
    ]
    assert text(path, items) == ["Measles: a tragedy. Lancet", "Y Zhang. Lungs. Cell"]


def test_initialize_false_keeps_given_names(tmp_path: Path) -> None:
    """CSL 1.0.2 Name attributes: initialize="false" keeps given names whole; only parts that
    are initials already get the initialize-with mark."""
    path = style(
        tmp_path,
        "<bibliography><layout><names variable='author'>"
        "<name initialize='false' initialize-with='. ' name-as-sort-order='all'/>"
        "</names></layout></bibliography>",
    )
    items = [article("a", author=[{"family": "Smith", "given": "Emily R"}])]
    assert text(path, items) == ["Smith, Emily R."]


@pytest.mark.parametrize(
    ("demote", "key", "expected"),
    [
        ("sort-only", "<key macro='author'/>", ["Adams", "Berg", "Ueda"]),
        ("sort-only", "<key variable='author'/>", ["Adams", "Berg", "Ueda"]),
        ("display-and-sort", "<key macro='author'/>", ["Adams", "Berg", "Ueda"]),
        ("never", "<key macro='author'/>", ["Adams", "Ueda", "Berg"]),
    ],
)
def test_non_dropping_particle_sorting(
    tmp_path: Path, demote: str, key: str, expected: list[str]
) -> None:
    """CSL 1.0.2 Name-part order / Sorting: a non-dropping particle is demoted in sort keys
    (also those a macro renders) unless demote-non-dropping-particle is "never"; with
    "sort-only" the display keeps "J van der Berg" but the entry sorts under B."""
    path = style(
        tmp_path,
        "<macro name='author'><names variable='author'><name name-as-sort-order='all'/>"
        f"</names></macro><bibliography><sort>{key}</sort><layout>"
        "<names variable='author'><name/></names></layout></bibliography>",
        attrs=f'demote-non-dropping-particle="{demote}"',
    )
    items = [
        article("b", author=[{"family": "Berg", "given": "J", "non-dropping-particle": "van der"}]),
        article("u", author=[{"family": "Ueda", "given": "K"}]),
        article("a", author=[{"family": "Adams", "given": "K"}]),
    ]
    found = [line.split()[-1] for line in text(path, items)]
    assert found == expected
    assert "J van der Berg" in text(path, items)


def test_subsequent_author_substitute(tmp_path: Path) -> None:
    """CSL 1.0.2 Reference grouping: subsequent-author-substitute replaces names that repeat
    the previous entry's (rule complete-all)."""
    path = style(
        tmp_path,
        "<bibliography subsequent-author-substitute='———'><sort><key variable='title'/></sort>"
        "<layout><group delimiter='. '><names variable='author'><name/></names>"
        "<text variable='title'/></group></layout></bibliography>",
    )
    items = [
        article("a", author=SMITH, title="Alpha"),
        article("b", author=SMITH, title="Beta"),
        article("c", author=[{"family": "Li", "given": "Na"}], title="Gamma"),
    ]
    assert text(path, items) == ["Emily R Smith. Alpha", "———. Beta", "Na Li. Gamma"]


@pytest.mark.parametrize(
    ("range_format", "page", "expected"),
    [
        ("chicago-16", "2694-2701", "2694–701"),
        ("chicago-16", "1496-1504", "1496–504"),
        ("chicago-16", "S56-S61", "S56–61"),
        ("chicago-16", "71-72", "71–72"),
        ("chicago-16", "101-108", "101–8"),
        ("chicago", "1496-1504", "1496–1504"),
        ("minimal", "1012-1018", "1012–8"),
        ("expanded", "1065-80", "1065–1080"),
    ],
)
def test_page_range_format(tmp_path: Path, range_format: str, page: str, expected: str) -> None:
    """CSL 1.0.2 Appendix V, Page range formats (input pages are expanded first)."""
    path = style(
        tmp_path,
        "<bibliography><layout><text variable='page'/></layout></bibliography>",
        attrs=f'page-range-format="{range_format}"',
    )
    assert text(path, [article("a", page=page)]) == [expected]


def test_title_case_rules(tmp_path: Path) -> None:
    """CSL 1.0.2 Title case: lowercase words capitalized except stop words (unless first, last
    or after a colon); each part of a hyphenated compound; words with capitals untouched; a
    Greek letter is a symbol; text inside <span class="nocase"> is kept."""
    path = style(
        tmp_path,
        "<bibliography><layout><text variable='title' text-case='title'/></layout></bibliography>",
    )
    title = (
        'TNF-α blockade among adults: a cohort of <span class="nocase">iPhone</span> users '
        "with mRNA drug-resistant infections to look into"
    )
    assert text(path, [article("a", title=title)]) == [
        "TNF-α Blockade among Adults: A Cohort of iPhone Users with mRNA Drug-Resistant "
        "Infections to Look Into"
    ]
    french = article("f", title="prise en charge", language="fr")
    assert text(path, [french]) == ["prise en charge"]


def test_title_markup_is_formatting_not_text(tmp_path: Path) -> None:
    """CSL 1.0.2 Appendix VI Rich text: <i> in a title is italics; other markup-like text is
    text, escaped in HTML and shown as typed in plain text."""
    path = style(tmp_path, "<bibliography><layout><text variable='title'/></layout></bibliography>")
    items = [article("a", title="<i>Staphylococcus aureus</i> & the <script> tag")]
    entries = Engine(path).render(items)
    assert format_entries(entries, "text") == "Staphylococcus aureus & the <script> tag\n"
    assert "<i>Staphylococcus aureus</i> &amp; the &lt;script&gt; tag" in format_entries(
        entries, "html"
    )


MLA_LIKE_CITATION = (
    "<citation disambiguate-add-names='true' et-al-min='3' et-al-use-first='1'><layout>"
    "<group delimiter=', '><names variable='author'><name form='short' and='text'/></names>"
    "<choose><if disambiguate='true'><text variable='title'/></if></choose></group>"
    "</layout></citation>"
)
MLA_LIKE_BIBLIOGRAPHY = (
    "<bibliography et-al-min='3' et-al-use-first='1'><sort><key variable='title'/></sort>"
    "<layout><group delimiter='. '><names variable='author'><name form='short'/></names>"
    "<text variable='title'/></group></layout></bibliography>"
)


def people(*families: str) -> list[dict[str, str]]:
    return [{"family": f, "given": "A"} for f in families]


def test_added_names_show_in_the_bibliography(tmp_path: Path) -> None:
    """CSL 1.0.2 Disambiguation, disambiguate-add-names: "Patel et al." twice becomes "Patel,
    Shah, et al." and "Patel, O'Brien, et al."; with the same et-al settings in citation and
    bibliography the entries show the added names too (as citeproc-js does)."""
    path = style(tmp_path, MLA_LIKE_BIBLIOGRAPHY, citation=MLA_LIKE_CITATION)
    items = [
        article("a", author=people("Patel", "Shah", "Mehta"), title="AKI"),
        article("b", author=people("Patel", "Obrien", "Rossi"), title="TAVR"),
        article("c", author=people("Kim", "Lee", "Park"), title="GLP-1"),
    ]
    assert text(path, items) == [
        "Patel, Shah, et al. AKI",
        "Kim et al. GLP-1",
        "Patel, Obrien, et al. TAVR",
    ]


def test_disambiguate_branch_only_for_cites_names_cannot_separate(tmp_path: Path) -> None:
    """CSL 1.0.2 Choose, disambiguate="true": the branch renders only when the other methods
    leave cites identical (same authors here), never for every cite."""
    path = style(tmp_path, MLA_LIKE_BIBLIOGRAPHY, citation=MLA_LIKE_CITATION)
    items = [
        article("a", author=people("Zhang", "Li", "Zhou"), title="Atlas"),
        article("b", author=people("Zhang", "Li", "Zhou"), title="Macrophages"),
        article("c", author=people("Kim", "Lee", "Park"), title="GLP-1"),
    ]
    engine = Engine(path)
    engine.render(items)
    from citeproc import Citation, CitationItem

    bibliography = engine.last_bibliography
    cites = {}
    for key in ("a", "b", "c"):
        citation = Citation([CitationItem(key)])
        citation.bibliography = bibliography
        cites[key] = str(bibliography.cite(citation, lambda _: None))
    assert cites == {
        "a": "Zhang et al., Atlas",
        "b": "Zhang et al., Macrophages",
        "c": "Kim et al.",
    }


def test_no_et_al_when_every_name_is_shown(tmp_path: Path) -> None:
    """CSL 1.0.2 et-al-use-first: a list is truncated only when names are left out."""
    path = style(
        tmp_path,
        "<bibliography et-al-min='3' et-al-use-first='3'><layout><names variable='author'>"
        "<name form='short'/></names></layout></bibliography>",
    )
    items = [article("a", author=people("Chen", "Li", "Wang"))]
    assert text(path, items) == ["Chen, Li, Wang"]


def test_sort_keys_ignore_markup_and_et_al(tmp_path: Path) -> None:
    """Sort keys compare the text a reader sees: an italic title sorts by its first letter,
    and "Ivanova et al." sorts with "Ivanova" (then by title)."""
    path = style(
        tmp_path,
        "<macro name='author'><names variable='author'><name form='short'/></names></macro>"
        "<bibliography et-al-min='3' et-al-use-first='1'>"
        "<sort><key macro='author'/><key variable='title'/></sort>"
        "<layout><group delimiter='. '><text macro='author'/><text variable='title'/></group>"
        "</layout></bibliography>",
    )
    items = [
        article("s", author=people("Ivanova"), title="Sleep"),
        article("g", author=people("Ivanova", "Chen", "Li"), title="Genomes"),
        article("p", author=people("Okafor"), title="<i>Plasmodium</i>"),
        article("h", author=people("Okafor"), title="Hydroxyurea"),
    ]
    assert text(path, items) == [
        "Ivanova et al. Genomes",
        "Ivanova. Sleep",
        "Okafor. Hydroxyurea",
        "Okafor. Plasmodium",
    ]


TITLE_IN_QUOTES = (
    "<bibliography><layout><group delimiter=' | '><text variable='title'/>"
    "<text variable='title' quotes='true'/></group></layout></bibliography>"
)


def test_typed_quotes_become_locale_quotes(tmp_path: Path) -> None:
    """CSL 1.0.2 Appendix VI, Rich text: straight double quotes in a field are the locale's
    quotes; inside a quoted rendering they are the inner quotes."""
    items = [article("a", title='The "obesity paradox" revisited')]
    assert text(style(tmp_path, TITLE_IN_QUOTES), items, "en-US") == [
        "The “obesity paradox” revisited | “The ‘obesity paradox’ revisited”"
    ]
    assert text(style(tmp_path, TITLE_IN_QUOTES), [article("b", title='5" screens')]) == [
        '5" screens | “5" screens”'
    ]


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([[2010, 3], [2010, 4]], "2010 Mar–Apr"),
        ([[2010, 3, 1], [2010, 3, 14]], "2010 Mar 1–14"),
        ([[2009, 11], [2010, 2]], "2009 Nov–2010 Feb"),
    ],
)
def test_date_ranges(tmp_path: Path, parts: list[list[int]], expected: str) -> None:
    """CSL 1.0.2 Date ranges: shared parts once, the differing run for both dates."""
    path = style(
        tmp_path,
        "<bibliography><layout><date variable='issued' delimiter=' '>"
        "<date-part name='year'/><date-part name='month' form='short' strip-periods='true'/>"
        "<date-part name='day'/></date></layout></bibliography>",
    )
    assert text(path, [article("a", issued={"date-parts": parts})]) == [expected]


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([[2010, 9, 1], [2010, 10, 3]], "September 1–October 3, 2010"),
        # No day: the suffix trimmed before the dash is the month's, not the absent day's
        # (AMA printed "September –October 2010").
        ([[2010, 9], [2010, 10]], "September–October 2010"),
        ([[2010, 9], [2011, 10]], "September 2010–October 2011"),
    ],
)
def test_localized_date_range_drops_the_inner_suffix(
    tmp_path: Path, parts: list[list[int]], expected: str
) -> None:
    path = style(
        tmp_path,
        "<bibliography><layout><date variable='issued' form='text'/></layout></bibliography>",
    )
    items = [article("a", issued={"date-parts": parts})]
    assert text(path, items, "en-US") == [expected]


def test_season_printed_whatever_the_month_form(tmp_path: Path) -> None:
    """CSL 1.0.2 Seasons: a date with a season prints the season term in the month's place."""
    path = style(
        tmp_path,
        "<bibliography><layout><date variable='issued' delimiter=' '><date-part name='year'/>"
        "<date-part name='month' form='short'/></date></layout></bibliography>",
    )
    items = [article("a", issued={"date-parts": [[2009]], "season": 1})]
    assert text(path, items, "en-US") == ["2009 Spring"]


def test_institution_after_people_joined_by_and_only(tmp_path: Path) -> None:
    path = style(
        tmp_path,
        "<bibliography><layout><names variable='author'><name and='symbol' "
        "delimiter-precedes-last='always' initialize-with='. ' name-as-sort-order='all'/>"
        "</names></layout></bibliography>",
    )
    items = [
        article("a", author=[{"family": "Sadoff", "given": "Jerald"}, {"literal": "J&J Group"}]),
        article("b", author=[{"family": "Patel", "given": "R"}, {"family": "Shah", "given": "A"}]),
    ]
    assert text(path, items) == ["Sadoff, J. & J&J Group", "Patel, R., & Shah, A."]


def test_substituted_editors_not_repeated(tmp_path: Path) -> None:
    """CSL 1.0.2 Substitution: editors standing in for authors are not printed again by a
    later cs:names that lists them with other roles; a shorthand cs:names nested in cs:choose
    inside cs:substitute uses the parent's cs:name and cs:label."""
    path = style(
        tmp_path,
        "<bibliography><layout><group delimiter='. '>"
        "<names variable='author'><name name-as-sort-order='all' and='text'/>"
        "<label form='short' prefix=', '/>"
        "<substitute><choose><if type='book'><names variable='editor'/></if></choose>"
        "</substitute></names>"
        "<text variable='title'/>"
        "<names variable='editor translator'><label form='verb' suffix=' '/><name/></names>"
        "</group></layout></bibliography>",
    )
    items = [
        {
            "id": "h",
            "type": "book",
            "title": "Internal medicine",
            "editor": [
                {"family": "Loscalzo", "given": "Joseph"},
                {"family": "Fauci", "given": "Anthony S"},
            ],
        }
    ]
    assert text(path, items, "en-US") == [
        "Loscalzo, Joseph and Fauci, Anthony S, eds. Internal medicine"
    ]


def test_engine_reused_for_a_second_list(tmp_path: Path) -> None:
    """State of one list (the previous entry's names) never leaks into the next."""
    path = style(
        tmp_path,
        "<bibliography subsequent-author-substitute='———'><layout>"
        "<names variable='author'><name/></names></layout></bibliography>",
    )
    engine = Engine(path)
    items = [article("a", author=SMITH)]
    first = format_entries(engine.render(items), "text")
    assert format_entries(engine.render(items), "text") == first == "Emily R Smith\n"


@pytest.mark.parametrize(
    ("asked", "used"), [("fr", "fr-FR"), ("en_gb", "en-GB"), ("de-DE", "de-DE")]
)
def test_locale_names(tmp_path: Path, asked: str, used: str) -> None:
    path = style(tmp_path, "<bibliography><layout><text term='and'/></layout></bibliography>")
    assert Engine(path, asked).locale == used


def test_label_needs_its_variable(tmp_path: Path) -> None:
    """CSL 1.0.2 Label: rendered only when the variable is non-empty."""
    path = style(
        tmp_path,
        "<bibliography><layout><group delimiter=', '><text variable='title'/>"
        "<group><label variable='page' form='short' suffix=' '/><text variable='page'/>"
        "</group></group></layout></bibliography>",
    )
    items = [article("a", title="Alpha", page="5-9"), article("b", title="Beta")]
    assert text(path, items, "en-US") == ["Alpha, pp. 5–9", "Beta"]


@pytest.mark.parametrize(
    ("range_format", "expected"), [("minimal", "S56–61"), ("expanded", "S56–S61")]
)
def test_page_prefix_written_once(tmp_path: Path, range_format: str, expected: str) -> None:
    path = style(
        tmp_path,
        "<bibliography><layout><text variable='page'/></layout></bibliography>",
        attrs=f'page-range-format="{range_format}"',
    )
    assert text(path, [article("a", page="S56-S61")]) == [expected]


def test_period_after_semicolon_dropped(tmp_path: Path) -> None:
    """An ahead-of-print item: ``2024;`` then the style's period gives ``2024;``."""
    path = style(
        tmp_path,
        "<bibliography><layout><group suffix='.'><date variable='issued' suffix=';'>"
        "<date-part name='year'/></date><text variable='volume'/></group>"
        "<text variable='DOI' prefix=' doi: '/></layout></bibliography>",
    )
    items = [article("a", issued={"date-parts": [[2024]]}, DOI="10.1/x")]
    assert text(path, items) == ["2024; doi: 10.1/x"]


def test_year_suffix_on_a_localized_date(tmp_path: Path) -> None:
    """The implicit year suffix also follows a year printed through a locale date format."""
    path = style(
        tmp_path,
        "<bibliography><sort><key variable='title'/></sort><layout><group delimiter=' '>"
        "<date variable='issued' form='numeric' date-parts='year'/><text variable='title'/>"
        "</group></layout></bibliography>",
        citation="<citation disambiguate-add-year-suffix='true'><layout>"
        "<names variable='author'><name form='short'/></names></layout></citation>",
    )
    items = [
        article("a", author=SMITH, title="Alpha", issued={"date-parts": [[2020]]}),
        article("b", author=SMITH, title="Beta", issued={"date-parts": [[2020]]}),
    ]
    assert text(path, items, "en-US") == ["2020a Alpha", "2020b Beta"]


@pytest.mark.parametrize(
    ("page", "numeric"), [("211-236", True), ("2, 4", True), ("S56-S61", True), ("12 Suppl", False)]
)
def test_is_numeric_accepts_ranges_and_lists(tmp_path: Path, page: str, numeric: bool) -> None:
    """CSL 1.0.2 Choose, is-numeric: ranges and lists of (affixed) numbers are numeric."""
    path = style(
        tmp_path,
        "<bibliography><layout><choose><if is-numeric='page'><text value='numeric'/></if>"
        "<else><text value='text'/></else></choose></layout></bibliography>",
    )
    assert text(path, [article("a", page=page)]) == ["numeric" if numeric else "text"]


def test_group_asks_only_the_matched_branch_whether_it_calls_a_variable(tmp_path: Path) -> None:
    """CSL 1.0.2 Group: suppressed when it calls variables and all are empty. The matched
    branch prints a term (no variable); the other branch's variable does not count (APA's
    thesis printed a lone "(Publication)")."""
    path = style(
        tmp_path,
        "<bibliography><layout><group delimiter=' '><text variable='title'/>"
        "<group delimiter=' ' prefix='(' suffix=')'>"
        "<choose><if variable='genre'><text value='Publication'/></if>"
        "<else-if variable='number'><text variable='genre'/></else-if></choose>"
        "<text variable='number' prefix='No. '/></group></group></layout></bibliography>",
    )
    items = [
        {"id": "a", "type": "thesis", "title": "A", "genre": "PhD thesis"},
        {"id": "b", "type": "thesis", "title": "B", "genre": "PhD thesis", "number": "123"},
        {"id": "c", "type": "thesis", "title": "C"},
    ]
    assert text(path, items) == ["A", "B (Publication No. 123)", "C"]


def test_a_literal_date_is_printed_only_where_the_year_goes(tmp_path: Path) -> None:
    """citeproc-js prints a literal date (``circa 1850``) for a date showing the year only:
    Chicago's month-and-day date after the journal printed it a second time."""
    path = style(
        tmp_path,
        "<bibliography><layout><group delimiter='|'><text value='A'/>"
        "<date variable='issued'><date-part name='month'/><date-part name='day'/></date>"
        "<text value='B'/><date variable='issued'><date-part name='year'/></date>"
        "<text value='C'/><date variable='issued' form='text' date-parts='month-day'/>"
        "<text value='D'/><date variable='issued' form='text'/></group></layout></bibliography>",
    )
    items = [{"id": "a", "type": "book", "issued": {"literal": "circa 1850"}}]
    assert text(path, items) == ["A|B|circa 1850|C|D|circa 1850"]


def test_number_of_pages_has_its_label(tmp_path: Path) -> None:
    """CSL 1.0.2 Label: ``number-of-pages`` takes the term, plural for more than one page
    (Vancouver's book "412 p."; citeproc-py dropped the label)."""
    path = style(
        tmp_path,
        "<bibliography><sort><key variable='title'/></sort><layout><group delimiter=' '>"
        "<text variable='number-of-pages'/><label variable='number-of-pages'/>"
        "<label form='short' plural='never' variable='number-of-pages'/></group></layout>"
        "</bibliography>",
    )
    items = [
        {"id": "a", "type": "book", "title": "A", "number-of-pages": "1"},
        {"id": "b", "type": "book", "title": "B", "number-of-pages": "412"},
    ]
    assert text(path, items) == ["1 page p.", "412 pages p."]


@pytest.mark.parametrize(
    ("rule", "suffixed"),
    [
        # Cites add initials only: Li Y and Li Yan both read "Y. Li 2023" (citeproc-js: a, b).
        ("primary-name-with-initials", True),
        # Cites may add the whole given name, which tells them apart: no suffix.
        ("by-cite", False),
    ],
)
def test_year_suffix_when_initials_cannot_tell_authors_apart(
    tmp_path: Path, rule: str, suffixed: bool
) -> None:
    """CSL 1.0.2 Disambiguation: a given name helps only as far as cites can show it."""
    path = style(
        tmp_path,
        "<bibliography><sort><key variable='title' sort='descending'/></sort><layout>"
        "<group delimiter=' '><names variable='author'><name form='short'/></names>"
        "<date variable='issued'><date-part name='year'/></date>"
        "<text variable='title'/></group></layout></bibliography>",
        citation="<citation disambiguate-add-year-suffix='true' disambiguate-add-names='true'"
        f" disambiguate-add-givenname='true' givenname-disambiguation-rule='{rule}'><layout>"
        "<names variable='author'><name form='short' initialize-with='. '/></names>"
        "<date variable='issued' prefix=' '><date-part name='year'/></date></layout></citation>",
    )
    items = [
        article("a", author=[{"family": "Li", "given": "Y"}], title="Alpha",
                issued={"date-parts": [[2023]]}),
        article("b", author=[{"family": "Li", "given": "Yan"}], title="Beta",
                issued={"date-parts": [[2023]]}),
    ]  # fmt: skip
    lines = text(path, items)
    if suffixed:
        assert lines == ["Li 2023a Beta", "Li 2023b Alpha"]
    else:
        assert not any("2023a" in line or "2023b" in line for line in lines)


def test_a_range_in_a_number_variable_takes_an_en_dash(tmp_path: Path) -> None:
    """A number variable printed with cs:text gets the en dash cs:number gives it (Vancouver
    printed "19(4-5)"; citeproc-js "19(4–5)"); text that is no plain range stays."""
    path = style(
        tmp_path,
        "<bibliography><sort><key variable='title'/></sort><layout><group delimiter='|'>"
        "<text variable='volume'/><text variable='issue'/><number variable='issue'/>"
        "<text variable='number'/></group></layout></bibliography>",
    )
    items = [
        {"id": "a", "type": "book", "title": "A", "volume": "3-4", "issue": "4 - 5",
         "number": "12-13"},
        {"id": "b", "type": "book", "title": "B", "volume": "S1-S2", "issue": "4-5",
         "number": "A-1"},
    ]  # fmt: skip
    assert text(path, items) == ["3–4|4–5|4–5|12–13", "S1-S2|4–5|4–5|A-1"]


def test_a_number_range_takes_the_styles_range_delimiter(tmp_path: Path) -> None:
    """AMA defines a hyphen as its range delimiter: citeproc-js prints "19(4-5)" there."""
    path = style(
        tmp_path,
        "<locale><terms><term name='page-range-delimiter'>-</term></terms></locale>"
        "<bibliography><layout><text variable='issue'/></layout></bibliography>",
    )
    assert text(path, [{"id": "a", "type": "book", "issue": "4-5"}]) == ["4-5"]
