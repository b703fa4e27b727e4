"""bibkit's reference lists against citeproc-js (Zotero's engine), entry by entry.

Strict: HTML turned into text and whitespace normalised, nothing else forgiven. The entries that
still differ are listed in ``tests/data/rendering/agreement-ratchet.json``: a new difference fails,
and so does a listed one that now agrees (update the file with
``python -m tests.rendering.agreement --update`` so the ratchet only ever shrinks).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.rendering import agreement

MIN_AGREEMENT = 0.95


@pytest.fixture(scope="module")
def measured() -> tuple[list[dict[str, str]], dict[str, float]]:
    reason = agreement.node_missing()
    if reason:
        pytest.skip(reason)
    return agreement.measure()


def _ratchet() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(agreement.RATCHET.read_text(encoding="utf-8"))
    return rows


def test_fixture_set_is_large_enough() -> None:
    assert len(agreement.load_items()) >= 60


@pytest.mark.parametrize("style", agreement.STYLES)
def test_no_new_difference(
    measured: tuple[list[dict[str, str]], dict[str, float]], style: str
) -> None:
    rows, _ = measured
    known = {(r["style"], r["item"]): r for r in _ratchet()}
    new = [r for r in rows if r["style"] == style and known.get((style, r["item"])) != r]
    assert not new, (
        "entries that differ from citeproc-js and are not in the ratchet:\n"
        + "\n".join(
            f"{r['item']}\n  citeproc-js: {r['citeproc_js']}\n  bibkit:      {r['bibkit']}"
            for r in new
        )
    )


@pytest.mark.parametrize("style", agreement.STYLES)
def test_ratchet_lists_only_real_differences(
    measured: tuple[list[dict[str, str]], dict[str, float]], style: str
) -> None:
    rows, _ = measured
    now = {(r["style"], r["item"]) for r in rows}
    fixed = [r["item"] for r in _ratchet() if r["style"] == style and (style, r["item"]) not in now]
    assert not fixed, f"now agree with citeproc-js, remove them from the ratchet: {fixed}"


@pytest.mark.parametrize("style", agreement.STYLES)
def test_agreement_share(
    measured: tuple[list[dict[str, str]], dict[str, float]], style: str
) -> None:
    _, shares = measured
    assert shares[style] >= MIN_AGREEMENT, f"{style}: {shares[style]:.1%} of entries agree"


def test_html_to_text_is_strict() -> None:
    """Only tags and whitespace runs are normalised; punctuation and case are compared."""
    assert agreement.html_to_text("<i>Cell</i>  184,&amp; 2021.") == "Cell 184,& 2021."
    assert agreement.html_to_text("a.”") != agreement.html_to_text("a”.")
    left = '<div class="csl-left-margin">1.</div><div class="csl-right-inline">Smith J.</div>'
    assert agreement.html_to_text(left) == "1. Smith J."
