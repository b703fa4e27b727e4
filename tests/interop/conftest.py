"""Fixtures for the interop tests: each client, or a skip that names the missing tool.

With ``BIBKIT_REQUIRE_CLIENTS=1`` (set by CI, where .ci/install-clients has run) a missing
client fails the test instead, so CI can never pass by skipping.
"""

from __future__ import annotations

import os

import pytest

from tests.interop import clients
from tests.interop.outputs import INPUT_SETS, InputSet, Written, input_set


def _need(tool: str | None, what: str) -> str:
    if tool is None:
        message = f"{what} not installed: {clients.INSTALL_HINT}"
        if os.environ.get("BIBKIT_REQUIRE_CLIENTS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return tool


@pytest.fixture(scope="session")
def bibtex() -> str:
    return _need(clients.find_bibtex(), "bibtex (with plain.bst)")


@pytest.fixture(scope="session")
def biber() -> str:
    return _need(clients.find_biber(), "biber")


@pytest.fixture(scope="session")
def pandoc() -> str:
    return _need(clients.find_pandoc(), "pandoc 3.x (pypandoc-binary)")


@pytest.fixture(scope="session")
def node() -> str:
    return _need(clients.find_citationjs(), "node with citation-js (npm ci in tests/node)")


@pytest.fixture(params=INPUT_SETS)
def inputs(request: pytest.FixtureRequest) -> InputSet:
    return input_set(str(request.param))


def written(inputs: InputSet, to: str) -> Written:
    """The set in format ``to``; skips while bibkit has no writer for it."""
    out = inputs.written(to)
    if out is None:
        pytest.skip(f"bibkit has no {to} writer yet")
    return out
