"""The import contracts (.importlinter, run by `make lint`) hold, and they have teeth: the same
contracts fail on a copy of the package given one forbidden import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytest.importorskip("importlinter")
LINT_IMPORTS = Path(sys.prefix) / "bin" / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports with root/.importlinter on the package in root/src."""
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run([str(LINT_IMPORTS), "--config", str(root / ".importlinter"),
                           "--no-cache"], cwd=root, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def copy_package(root: Path) -> Path:
    shutil.copytree(ROOT / "src" / "pressroom", root / "src" / "pressroom",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / ".importlinter", root / ".importlinter")
    return root / "src" / "pressroom"


def test_the_import_contracts_hold() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("checks/epub.py", "from pressroom.render import html", "Checks never import a renderer"),
    ("render/pdf.py", "from pressroom.render import epub", "Format modules know nothing"),
    ("load/site.py", "from pressroom import cache", "know nothing of building"),
    ("prepare/document.py", "from pressroom.plan import grouping", "Data flows one way"),
])
def test_a_forbidden_import_breaks_a_contract(tmp_path: Path, module: str, line: str,
                                              broken: str) -> None:
    path = copy_package(tmp_path) / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    broken_section = result.stdout.split("Broken contracts")[-1]
    assert broken in broken_section, result.stdout
