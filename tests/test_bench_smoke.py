"""`make bench`'s harness runs end to end on a tiny corpus (no pandoc, nothing written)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_bench_harness_smoke() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "bench" / "run.py"), "--smoke"],
                            capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "no-op" in result.stdout
    assert "### At scale" in result.stdout and "| 4 | one release edited" in result.stdout
