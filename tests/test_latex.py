"""LaTeX escaping, capital protection and decoding: decode inverts what bibkit writes."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bibkit.latex import (
    _WORD_SPLIT,
    _WORD_SPLIT_ASCII,
    BALANCED_BRACES,
    MAX_DEPTH,
    SPECIALS,
    UNBALANCED_BRACES,
    TooDeeplyNested,
    ascii_form,
    decode,
    escape,
    is_sentence_case,
    name_to_latex,
    not_ascii_portable,
    protect_word,
    title_to_latex,
)


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("50% & $5", r"50\% \& \$5"),
        ("#1 a_b", r"\#1 a\_b"),
        ("a ~ b ^ c", r"a \textasciitilde{} b \textasciicircum{} c"),
        ("back\\slash", r"back\textbackslash{}slash"),
        ("{balanced}", r"\{balanced\}"),
        ("lone { brace", r"lone \textbraceleft{} brace"),
        ("} then {", r"\textbraceright{} then \textbraceleft{}"),
        ("1990--2000", "1990-{}-2000"),
        ("Müller β", "Müller β"),
    ],
)
def test_escape_plain(text: str, latex: str) -> None:
    assert escape(text) == latex
    assert decode(latex) == text


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("Müller", r"M{\"u}ller"),
        ("Ångström", r"{\AA}ngstr{\"o}m"),
        ("façade", r"fa{\c c}ade"),
        ("Dvořák", r"Dvo{\v r}{\'a}k"),
        ("Straße", r"Stra{\ss}e"),
        ("β-catenin", r"{$\beta$}-catenin"),
        ("TGF-β1", r"TGF-{$\beta$}1"),
        # Zotero garbles these forms; pdflatex reads them (the writer warns).
        ("Łódź ø λ θ ω ι", r"{\L}{\'o}d{\'z} {\o} {$\lambda$} {$\theta$} {$\omega$} {$\iota$}"),
        ("± µ – —", r"{$\pm$} {\textmu} {--} {---}"),
        ("H₂O x² ǘ ệ", r"H{$_2$}O x{$^2$} {\'{\"{u}}} {\^{\d{e}}}"),
        ("a\u00a0b", "a~b"),
        # No LaTeX form: kept as UTF-8.
        ("张 😀", "张 😀"),
    ],
)
def test_escape_ascii(text: str, latex: str) -> None:
    assert escape(text, ascii=True) == latex
    assert decode(latex) == text


@pytest.mark.parametrize(
    ("word", "first", "protected"),
    [
        ("DNA", False, True),
        ("NSCLC", False, True),
        ("mRNA", False, True),
        ("IL-15", False, True),
        ("COVID-19", False, True),
        ("T4", False, True),
        ("SARS-CoV-2", False, True),
        ("McDonald", False, True),
        ("T", False, True),
        ("T", True, False),
        ("Cancer", False, False),
        ("Membrane-Coated", False, False),
        ("Parkinson's", False, False),
        ("p53", False, False),
        ("cells", False, False),
    ],
)
def test_protect_word(word: str, first: bool, protected: bool) -> None:
    assert protect_word(word, first=first) is protected


@pytest.mark.parametrize(
    ("title", "latex"),
    [
        (
            "mRNA vaccines against IL-15 in NSCLC",
            "{mRNA} vaccines against {IL-15} in {NSCLC}",
        ),
        ("Role of T cells: Lessons from mice", "Role of {T} cells: {Lessons} from mice"),
        ("A review of <i>E. coli</i>", r"A review of \textit{{E}. coli}"),
        ("CO<sub>2</sub> and m<sup>2</sup>", r"{CO}\textsubscript{2} and m\textsuperscript{2}"),
        ("<b>Bold</b> and <sc>Small</sc>", r"\textbf{Bold} and \textsc{Small}"),
        ("<i>unclosed italics", "<i>unclosed italics"),
        ('The <span class="nocase">pH</span> scale', "The {pH} scale"),
        ("Cell Membrane-Coated Nanoparticles", "Cell Membrane-Coated Nanoparticles"),
    ],
)
def test_title_to_latex(title: str, latex: str) -> None:
    assert title_to_latex(title) == latex


def test_not_ascii_portable() -> None:
    assert not_ascii_portable("Müller ø — 张 ø") == ("ø—", "张")
    assert not_ascii_portable("Müller β") == ("", "")


@pytest.mark.parametrize(
    ("title", "sentence_case"),
    [
        ("Seasonal patterns of influenza in Korea", True),
        ("Cell Membrane-Coated Biomimetic Nanoparticles in Cancer Treatment", False),
        ("The DNA of naive Zurich cohorts: a study", True),
        ("DNA", False),
    ],
)
def test_is_sentence_case(title: str, sentence_case: bool) -> None:
    assert is_sentence_case(title) is sentence_case


def test_proper_names_of_a_sentence_case_title_are_protected() -> None:
    title = "Seasonal influenza in Korea and <i>Escherichia coli</i> infections in Zürich hospitals"
    assert title_to_latex(title) == (
        r"Seasonal influenza in {Korea} and \textit{{Escherichia} coli} infections"
        r" in {Zürich} hospitals"
    )
    # In a title-cased title a capital says nothing: only acronyms are braced.
    assert title_to_latex("Influenza In Korea And The DNA Of Mice") == (
        "Influenza In Korea And The {DNA} Of Mice"
    )


def test_nocase_span_reads_back_as_plain_text() -> None:
    # Braces protect the text; they do not say it was a nocase span.
    assert decode(title_to_latex('<span class="nocase">pH</span> scale')) == "pH scale"


def test_names_with_commas_or_and_are_braced() -> None:
    assert name_to_latex("Smith and Wesson") == "{Smith and Wesson}"
    assert name_to_latex("A, B") == "{A, B}"
    assert name_to_latex("Anderson") == "Anderson"


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"{\"o}ber \"{a} \c{c} {\c c} \'{\i}", "öber ä ç ç í"),
        (r"{\o}rsted {\L}{\'o}d{\'z} \aa{}", "ørsted Łódź å"),
        (r"{\it italic} and {\em more}", "<i>italic</i> and <i>more</i>"),
        (r"\emph{x} \textbf{y} $\alpha$-helix", "<i>x</i> <b>y</b> α-helix"),
        (r"H$_2$O and m$^{2}$", "H<sub>2</sub>O and m<sup>2</sup>"),
        (r"$x \pm y$", "x±y"),
        ("1990--2000---now", "1990–2000—now"),
        ("a~b", "a\u00a0b"),
        ("  spread\n   over    lines  ", "spread over lines"),
        ("para one\n\n   para two", "para one\npara two"),
        (r"\unknown{arg} kept", r"\unknown{arg} kept"),
        (r"$\unknownmath$", r"$\unknownmath$"),
        (r"\url{https://x.org} \href{https://y}{text}", "https://x.org text"),
        (r"{{DNA}} repair", "DNA repair"),
    ],
)
def test_decode_hand_written_latex(latex: str, text: str) -> None:
    assert decode(latex) == text


def test_decode_without_markup() -> None:
    assert decode(r"\textit{E. coli} $^{13}$C", markup=False) == "E. coli 13C"


def _normalised(text: str) -> str:
    """Titles as readers produce them: single ASCII spaces, none at the ends, no controls."""
    return " ".join(text.replace("\t", " ").replace("\r", " ").replace("\n", " ").split(" "))


titles = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")),
    max_size=60,
).map(lambda t: " ".join(part for part in _normalised(t).split(" ") if part))

markup = st.lists(
    st.one_of(
        titles,
        titles.map(lambda t: f"<i>{t}</i>"),
        titles.map(lambda t: f"<sup>{t}</sup>"),
        titles.map(lambda t: f"<sub>{t}</sub>"),
        titles.map(lambda t: f"<b>{t}</b>"),
        titles.map(lambda t: f"<sc>{t}</sc>"),
    ),
    max_size=4,
).map(lambda parts: " ".join(p for p in " ".join(parts).split(" ") if p))


@given(titles, st.booleans())
@example("{ \\ } $ # & % ~ ^ _ -- --- `` ''", False)
@example("Łódź β-catenin ǘ e\u0301 ß Å", True)
def test_decode_inverts_title_to_latex(title: str, ascii: bool) -> None:
    assert decode(title_to_latex(title, ascii=ascii)) == title


@given(markup, st.booleans())
@example("<i>a</i> <i>b</i> <b><i>nested</i></b>", False)
def test_decode_inverts_title_markup(title: str, ascii: bool) -> None:
    assert decode(title_to_latex(title, ascii=ascii)) == title


@pytest.mark.parametrize(
    "latex",
    ["{" * 5000 + "x" + "}" * 5000, "\\textit{" * 3000 + "x", "\\'" * 3000 + "e", "{\\it " * 3000],
)
def test_nesting_past_the_limit_is_refused_not_a_recursion_error(latex: str) -> None:
    with pytest.raises(TooDeeplyNested):
        decode(latex)


def test_nesting_up_to_the_limit_decodes() -> None:
    assert decode("{" * MAX_DEPTH + "x" + "}" * MAX_DEPTH) == "x"
    assert decode("\\textit{" * 30 + "x" + "}" * 30, markup=False) == "x"


def _escaped_char_by_char(text: str, ascii: bool) -> str:
    """What :func:`escape` means, one character at a time (its fast paths must agree)."""
    depth, balanced = 0, True
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        balanced = balanced and depth >= 0
    braces = BALANCED_BRACES if balanced and depth == 0 else UNBALANCED_BRACES
    out = []
    for index, char in enumerate(text):
        if char in SPECIALS:
            out.append(SPECIALS[char])
        elif char in braces:
            out.append(braces[char])
        elif char == "-" and text[index + 1 : index + 2] == "-":
            out.append("-{}")
        elif ascii and not char.isascii():
            out.append(ascii_form(char)[0])
        else:
            out.append(char)
    return "".join(out)


specials_text = st.text(alphabet=st.sampled_from(list("ab -%&$#_~^\\{}é–")), max_size=30)


@given(st.one_of(specials_text, st.text(max_size=30)), st.booleans())
@example("95% CI & a_b ~ c^2 #1 $5", False)
@example("{%} --", False)
@example("µ 5% é", True)
def test_escape_agrees_with_its_character_by_character_definition(text: str, ascii: bool) -> None:
    assert escape(text, ascii=ascii) == _escaped_char_by_char(text, ascii)


@given(st.one_of(titles, st.text(max_size=60)), st.booleans())
@example("Cohort 5: A study of DNA in Zürich: the T cells", False)
@example("A: b: Cdef Ghij klmn: Opqr", True)
def test_a_title_without_markup_is_written_as_after_markup(title: str, ascii: bool) -> None:
    # Titles without markup take their own (faster) road; after an empty tag pair they take
    # the general one. Both must protect and escape alike.
    assert title_to_latex("<i></i>" + title, ascii=ascii) == "\\textit{}" + title_to_latex(
        title, ascii=ascii
    )


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
@example("rock'n'roll -- IL-15 a-'b 'x' y- -z a--b")
def test_ascii_titles_split_into_the_same_words(text: str) -> None:
    # ASCII text takes a faster word pattern; it must find exactly the words of the general one.
    assert _WORD_SPLIT_ASCII.split(text) == _WORD_SPLIT.split(text)


@pytest.mark.parametrize("char", ["\u212b", "\u00c5", "A\u030a", "\u1e69"])
def test_ascii_forms_read_back_as_the_same_character(char: str) -> None:
    # The ANGSTROM SIGN decomposes like Å; written as {\\r A} it would read back as Å.
    assert decode(escape(char, ascii=True)) == char
