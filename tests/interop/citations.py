"""Hand-built citations for the interop tests, one per case the real clients must get right.

Each case is a complete record of its type (so a client has no reason to warn about a missing
field) and stresses one thing: a group author, particles and suffixes, Unicode and LaTeX
specials in a title, an e-locator, an ahead-of-print record, an issue dated by a range of
months, a book and a chapter.
Keys are set here, so every client's answer can be matched to its record by id.
"""

from __future__ import annotations

from bibkit.model import Citation, Grant, MeshHeading, PartialDate, Person


def group_author() -> Citation:
    return Citation(
        id="who2021guideline",
        type="article-journal",
        title="Guideline on the management of chronic hepatitis B in adults",
        author=[
            Person(literal="World Health Organization"),
            Person(family="Lemoine", given="Maud"),
            Person(literal="Hepatitis B Guideline Development Group & Partners"),
        ],
        container_title="Bulletin of the World Health Organization",
        container_title_short="Bull World Health Organ",
        issued=PartialDate(year=2021, month=3),
        volume="99",
        issue="3",
        page="180-192",
        DOI="10.2471/BLT.20.272419",
        PMID="33716340",
        ISSN=["0042-9686"],
        language="eng",
    )


def particles_and_suffix() -> Citation:
    return Citation(
        id="vanderwaals2019continuity",
        type="article-journal",
        title="On the continuity of the gaseous and liquid states revisited",
        author=[
            Person(family="Waals", given="Johannes Diderik", non_dropping_particle="van der"),
            Person(family="King", given="Martin Luther", suffix="Jr."),
            Person(family="Gaulle", given="Anne", non_dropping_particle="de"),
            Person(family="Sánchez-García", given="José María"),
            Person(family="Øster", given="Søren"),
        ],
        container_title="Journal of Chemical Physics",
        container_title_short="J Chem Phys",
        issued=PartialDate(year=2019, month=11, day=7),
        volume="151",
        issue="17",
        page="1065-1080",
        DOI="10.1063/1.5127561",
        PMID="31703508",
        PMCID="PMC6845912",
    )


def unicode_title() -> Citation:
    return Citation(
        id="muller2022synuclein",
        type="article-journal",
        title=(
            "α-Synuclein and β₂-microglobulin in naïve Zürich cohorts: "
            "a 10-year study of <i>Escherichia coli</i> exposure—results from the DNA biobank"
        ),
        author=[Person(family="Müller", given="Jörg"), Person(family="Ångström", given="Åsa")],
        container_title="Movement Disorders",
        container_title_short="Mov Disord",
        issued=PartialDate(year=2022, month=5),
        volume="37",
        issue="5",
        page="1012-1024",
        DOI="10.1002/mds.28945",
        PMID="35137973",
        keyword=["α-synuclein", "Parkinson's disease", "biobank"],
        abstract=(
            "BACKGROUND: Cohort studies of α-synuclein are rare.\n"
            "RESULTS: Levels rose by 12% (p < 0.05) over 10 years."
        ),
    )


def latex_specials_title() -> Citation:
    return Citation(
        id="smith2020costs",
        type="article-journal",
        title=(
            "Costs of 5% NaCl & KCl infusions: $120 per patient, "
            "#1 reason for the IL_6 ~ CRP gap in COVID-19 {sic} and mRNA studies"
        ),
        author=[Person(family="Smith", given="Jane A."), Person(family="O'Brien", given="Liam")],
        container_title="Health Economics & Outcomes",
        container_title_short="Health Econ Outcomes",
        issued=PartialDate(year=2020, month=12, day=1),
        volume="8",
        issue="4",
        page="S56-S61",
        DOI="10.1000/heo_2020_8.4.s56",
        PMID="33260010",
        ISSN=["1057-9230", "1099-1050"],
        URL="https://example.org/heo/2020/8/4/S56?ref=a_b&x=50%25",
    )


def e_locator() -> Citation:
    return Citation(
        id="zhang2024biomimetic",
        type="article-journal",
        title="Biomimetic Cell Membrane-Coated Nanoparticles for Cancer Therapy",
        author=[Person(family="Zhang", given="Shu"), Person(family="Zhang", given="Xiaojuan")],
        container_title="ChemMedChem",
        container_title_short="ChemMedChem",
        issued=PartialDate(year=2024, month=11, day=18),
        available_date=PartialDate(year=2024, month=9, day=12),
        volume="19",
        issue="22",
        page="e202400410",
        DOI="10.1002/cmdc.202400410",
        PMID="39264862",
        keyword=["biomimetic", "cell membrane-coated nanoparticles", "drug delivery"],
        grants=[Grant(id="81872220", agency="National Natural Science Foundation of China")],
        mesh=[MeshHeading(descriptor="Nanoparticles", major=True)],
        publication_types=["Journal Article", "Review"],
    )


def ahead_of_print() -> Citation:
    return Citation(
        id="lee2024emerging",
        type="article-journal",
        title="The Emerging Role of Cell Membrane-coated Nanomaterials in Cancer Therapy",
        author=[Person(family="Lee", given="Min-Jun")],
        container_title="Current Pharmaceutical Design",
        container_title_short="Curr Pharm Des",
        issued=PartialDate(year=2024, month=3, day=1),
        available_date=PartialDate(year=2024, month=3, day=1),
        status="ahead-of-print",
        DOI="10.2174/0113816128293051240228065213",
        PMID="38441022",
    )


def issue_date_range() -> Citation:
    """PubMed's ``2010 Sep-Oct``: an issue dated by a range of months."""
    return Citation(
        id="kim2010seasonal",
        type="article-journal",
        title="Seasonal patterns of influenza in Korea",
        author=[Person(family="Kim", given="Ji-Woo")],
        container_title="Journal of Infection",
        container_title_short="J Infect",
        issued=PartialDate(year=2010, month=9, end=PartialDate(year=2010, month=10)),
        volume="61",
        issue="3",
        page="211-219",
        PMID="20600311",
    )


def book() -> Citation:
    return Citation(
        id="alberts2015molecular",
        type="book",
        title="Molecular Biology of the Cell",
        author=[
            Person(family="Alberts", given="Bruce"),
            Person(family="Johnson", given="Alexander"),
            Person(family="Lewis", given="Julian"),
        ],
        publisher="Garland Science",
        publisher_place="New York",
        edition="6",
        issued=PartialDate(year=2015),
        ISBN="978-0-8153-4432-2",
        number_of_pages="1464",
    )


def chapter() -> Citation:
    return Citation(
        id="hanahan2019hallmarks",
        type="chapter",
        title="Hallmarks of Cancer: The Next Generation",
        author=[
            Person(family="Hanahan", given="Douglas"),
            Person(family="Weinberg", given="Robert A."),
        ],
        editor=[Person(family="DeVita", given="Vincent T.", suffix="Jr.")],
        container_title="Cancer: Principles & Practice of Oncology",
        publisher="Wolters Kluwer",
        publisher_place="Philadelphia",
        edition="11",
        issued=PartialDate(year=2019),
        page="24-45",
        ISBN="978-1-4963-9463-7",
    )


CASES = {
    "group_author": group_author,
    "particles_and_suffix": particles_and_suffix,
    "unicode_title": unicode_title,
    "latex_specials_title": latex_specials_title,
    "e_locator": e_locator,
    "ahead_of_print": ahead_of_print,
    "issue_date_range": issue_date_range,
    "book": book,
    "chapter": chapter,
}
"""Case name -> builder; a fresh object per call, so no test can change another's input."""


def all_citations() -> list[Citation]:
    return [build() for build in CASES.values()]
