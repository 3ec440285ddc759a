"""Help that answers: every command and every make target is documented, in --help, in
`make help` and in the README, and none of them can be added without the others."""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys

import pytest

from pressroom.cli import parser

from .conftest import ROOT, run

README = (ROOT / "README.md").read_text(encoding="utf-8")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    actions = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices)


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):.*## ", text, re.M))


def test_every_command_has_help_and_is_in_the_readme() -> None:
    commands = subcommands()
    assert {"build", "check", "pack", "new", "schema", "docs"} <= set(commands)
    top = run("--help")
    assert top.code == 0
    for name, sub in commands.items():
        assert name in top.out, f"pressroom --help does not list {name}"
        assert f"pressroom {name}" in README, f"README does not document `pressroom {name}`"
        result = run(name, "--help")
        assert result.code == 0 and result.out.startswith("usage: pressroom"), name
        for action in sub._actions:
            if action.option_strings and action.dest != "help":
                assert action.help, f"pressroom {name} {action.option_strings[0]} has no help"
                assert action.option_strings[-1] in result.out


def test_every_make_target_is_in_the_readme() -> None:
    targets = make_targets()
    assert {"all", "pdf", "epub", "feed", "html", "ninjs", "check", "test", "new", "docs"} \
        <= targets
    for target in targets - {"all"}:
        assert f"`make {target}" in README, f"README does not document `make {target}`"


@pytest.mark.slow  # runs make
def test_every_make_target_is_in_make_help() -> None:
    targets = make_targets()
    if shutil.which("make") is None:
        pytest.skip("GNU make is not installed")
    listed = subprocess.run(["make", "--no-print-directory", "-s", "help"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    assert set(re.findall(r"^\s*make ([a-z-]+)\s", listed, re.M)) == targets


def test_docs_page_is_linked_from_the_readme() -> None:
    assert "docs/writing-a-release.md" in README


def test_check_of_sources_is_fast_and_imports_no_renderer() -> None:
    """`pressroom check` without --dist validates sources only: no WeasyPrint (a second to
    import), no renderer."""
    code = ("import sys; from pressroom.cli import main; code = main(['--source', 'source', "
            "'check']); print(sorted(m for m in sys.modules if m.startswith('weasyprint') "
            "or m.startswith('pressroom.render.'))); sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
