"""Settings every test module shares."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
# CI judges a clean checkout: it must pass or fail the same way on every run. Development runs
# (the default profile) keep drawing new examples, which is how property tests find bugs.
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
