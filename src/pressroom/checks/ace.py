"""EPUB accessibility: DAISY Ace (npm `@daisy/ace-cli`, run on Debian's chromium).

`make check` installs Ace, pinned, into .build/ace/ (the Makefile is the one home of the
version and the install command) and Debian's chromium beside it; this module runs it on every
EPUB and reports each violation Ace finds. Without Node.js the check is skipped, and says so.

Ace's cost is axe-core running in a browser page per XHTML document, plus, per `ace` run, a
Node.js start (0.4 s) and a browser start (0.6 s). So every book is checked in one Node.js
process and one browser (`node/ace-batch.js`, Ace's own engine and Puppeteer runner, the
browser launched once), up to one book per core at a time."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from pressroom.files import write_if_changed
from pressroom.layout import state_dir

NEEDS_NODE = "DAISY Ace needs Node.js"
ACE_FOLDER = "ace"
"""Where `make check` installs Ace: .build/ace/ beside dist/ (node_modules/ inside)."""
CHROMIUM = ("chromium", "chromium-browser")
# Headless, no sandbox (run as root in containers), and no traffic of its own: the machine may
# be offline, and a Chromium that tries the network at start waits on it. Ace itself refuses
# every http(s) request a book makes; no name resolves either.
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--host-resolver-rules=MAP * ~NOTFOUND")
TIMEOUT = 3600
"""Seconds for one batch (every book): 76 books took 150 s here on two busy cores."""
FAILING = frozenset({"fail", "cantTell"})
"""Outcomes of an Ace assertion that are violations (`pass` and `inapplicable` are not)."""


def ace_home(dist: Path) -> Path:
    """The folder `make check` installs Ace into for the outputs in `dist`."""
    return state_dir(dist) / ACE_FOLDER


def skipped(home: Path) -> str | None:
    """Why Ace cannot run here (None: it can)."""
    if shutil.which("node") is None:
        return NEEDS_NODE
    if not (home / "node_modules" / "@daisy" / "ace-core").is_dir():
        return f"DAISY Ace is not installed in {home}/ (make check installs it)"
    return None


def ace(paths: list[Path], home: Path, cache: Path | None = None) -> dict[Path, list[str]]:
    """Ace's violations, by book, each `<rule> (<impact>): <description> at <location>`;
    [] means 0 violations. With `cache` (a folder), a book whose bytes this Ace checked before
    is not checked again."""
    version = _version(home)
    known: dict[Path, list[str]] = {}
    keys = {path: _key(path, version) for path in paths} if cache is not None else {}
    for path, key in keys.items():
        with contextlib.suppress(OSError, ValueError):
            assert cache is not None
            known[path] = json.loads((cache / f"{key}.json").read_text(encoding="utf-8"))
    found = _batch(home, [path for path in paths if path not in known])
    if cache is not None:
        for path, messages in found.items():
            if not any(m.startswith("could not check") for m in messages):
                write_if_changed(cache / f"{keys[path]}.json", json.dumps(messages) + "\n")
    return {path: known[path] if path in known else found[path] for path in paths}


def _version(home: Path) -> str:
    """Ace's version and that of the axe-core it runs (the rules)."""
    found = []
    for name in ("ace-core", "axe-core-for-ace"):
        package = home / "node_modules" / "@daisy" / name / "package.json"
        with contextlib.suppress(OSError, ValueError, KeyError):
            found.append(f"{name} {json.loads(package.read_text(encoding='utf-8'))['version']}")
    return ", ".join(found)


def _key(path: Path, version: str) -> str:
    """What a report depends on: the book's bytes and the Ace that read them."""
    digest = hashlib.sha256(path.read_bytes())
    digest.update(f"ace {version}".encode())
    return digest.hexdigest()


def _batch(home: Path, paths: list[Path]) -> dict[Path, list[str]]:
    """Every book in one Node.js process and one browser."""
    if not paths:
        return {}
    node = shutil.which("node")
    chromium = next((found for name in CHROMIUM if (found := shutil.which(name))), None)
    if node is None or chromium is None:
        missing = "Node.js" if node is None else "chromium (apt-get install chromium)"
        return {path: [f"could not check: DAISY Ace needs {missing}"] for path in paths}
    script = resources.files("pressroom.checks") / "node" / "ace-batch.js"
    with tempfile.TemporaryDirectory(prefix="pressroom-ace-") as folder:
        work = Path(folder)
        (work / "ace-batch.js").write_text(script.read_text(encoding="utf-8"), encoding="utf-8")
        launcher = work / "chromium"  # Puppeteer takes a program, not extra arguments
        launcher.write_text(f'#!/bin/sh\nexec {shlex.join([chromium, *CHROMIUM_ARGS])} "$@"\n',
                            encoding="utf-8")
        launcher.chmod(0o755)
        outdirs = {path: work / f"book-{index}" for index, path in enumerate(paths)}
        for outdir in outdirs.values():
            outdir.mkdir()
        env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(launcher),
               "PUPPETEER_SKIP_DOWNLOAD": "1", "TMPDIR": str(work)}
        for xdg in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
            env[xdg] = str(work / "home")  # Ace's settings and logs, chromium's: not the user's
        pairs = [str(item) for path, outdir in outdirs.items()
                 for item in (path.resolve(), outdir)]
        try:
            run = subprocess.run([node, str(work / "ace-batch.js"), str(home.resolve()),
                                  str(os.cpu_count() or 1), *pairs],
                                 capture_output=True, env=env, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return {path: [f"could not check: Ace took more than {TIMEOUT} s"] for path in paths}
        stderr = run.stderr.decode("utf-8", "replace")[-500:]
        return {path: _findings(outdir, run.returncode, stderr)
                for path, outdir in outdirs.items()}


def _findings(outdir: Path, code: int, stderr: str) -> list[str]:
    """The violations of one Ace report."""
    try:
        report = json.loads((outdir / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        error = outdir / "error.txt"
        why = error.read_text(encoding="utf-8") if error.is_file() else f"exit {code}: {stderr}"
        return [f"could not check: Ace gave no report: {why.strip()}"]
    found = [message for document in report.get("assertions", [])
             for message in _violations(document)]
    if not found and report.get("earl:result", {}).get("earl:outcome") != "pass":
        found.append(f"Ace's outcome is {report.get('earl:result')!r}")
    return found


def _violations(document: dict[str, Any]) -> list[str]:
    """`<rule> (<impact>): <description> at <location>` for each failed test of one document
    (a content document, the navigation document, or the package document's metadata)."""
    where = str(document.get("earl:testSubject", {}).get("url", "?")).lstrip("/")
    found = []
    for assertion in document.get("assertions", []):
        result = assertion.get("earl:result", {})
        if result.get("earl:outcome") not in FAILING:
            continue
        test = assertion.get("earl:test", {})
        rule = test.get("dct:title", "?")
        impact = test.get("earl:impact", "?")
        lines = str(result.get("dct:description") or test.get("dct:description", "")).splitlines()
        description = "; ".join(" ".join(line.split()) for line in lines if line.strip())
        css = result.get("earl:pointer", {}).get("css", [])  # the element, then related ones
        found.append(f"{rule} ({impact}): {description} at {where}{f' {css[0]}' if css else ''}")
    return found
