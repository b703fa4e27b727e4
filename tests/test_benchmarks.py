"""The benchmarks' stack-floor phase: it must measure every record the reader makes, and hand
its numbers back from its own process intact (the README quotes them)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import bench_medline  # noqa: E402
import bench_pubmed_xml  # noqa: E402
from measure import Floor, run_floor  # noqa: E402


@pytest.mark.parametrize(
    ("script", "name", "count"),
    [(bench_medline, "big.nbib", 23), (bench_pubmed_xml, "big.xml", 17)],
)
def test_floor_phase_times_every_record(
    script: object, name: str, count: int, tmp_path: Path
) -> None:
    big = tmp_path / name
    script.generate(big, count)  # type: ignore[attr-defined]
    floor = run_floor(script.__file__, big)  # type: ignore[attr-defined]
    assert floor is not None
    assert floor.records == count
    assert floor.validation > 0 and floor.serialisation > 0


def test_floor_line_reads_back_exactly() -> None:
    floor = Floor(3, 0.1 + 0.2, 1 / 3)
    records, validation, serialisation = floor.line().split()
    assert Floor(int(records), float(validation), float(serialisation)) == floor
    assert floor.per_record(floor.serialisation) == pytest.approx(1e6 / 9)
