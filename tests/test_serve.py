"""`pressroom serve`: dist/ served with the right types, the reload script only in responses,
rebuilds on saves (debounced, editor files ignored), build errors told to the page, clean stops.

No make here: the rebuild is a fake that counts its calls. One test drives Debian's chromium
(skipped without it, unless CI is set) to see a page reload and show a build error.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import watchfiles

from pressroom.editor.serve import EVENTS, SCRIPT, inject, make_rebuild, serve, watch_filter
from pressroom.errors import UsageError

from .conftest import ROOT, run

RELEASE = "releases/2017-01-25-mexico-defenders.html"
ERROR = "source/x.md:5: headline: must not be empty; e.g. 'UN expert urges action'"
CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real build of the seed's web page and feeds, plus stand-ins for other file types."""
    dist = tmp_path_factory.mktemp("serve") / "dist"
    result = run("--source", str(ROOT / "source"), "--styles", str(ROOT / "styles"), "build",
                 "--dist", str(dist), "--format", "html,feed", "--no-cache", "--quiet")
    assert result.code == 0, result.err
    (dist / "epub").mkdir()
    (dist / "epub" / "x.epub").write_bytes(b"PK\x03\x04")
    (dist / "assets" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (dist / "feed" / "archive.xml").write_text("<?xml version='1.0'?><x/>")
    (dist / "feed" / "archive").mkdir()
    shutil.copy(dist / "feed" / "atom.xml", dist / "feed" / "archive" / "atom-1.xml")
    return dist


class FakeRebuild:
    """Counts its calls; returns `result` after `delay` seconds."""

    def __init__(self) -> None:
        self.calls = 0
        self.result: tuple[int, str] = (0, "")
        self.delay = 0.0
        self.started = threading.Event()
        self.called = threading.Event()

    def __call__(self) -> tuple[int, str]:
        self.started.set()
        time.sleep(self.delay)
        self.calls += 1
        self.called.set()
        return self.result


class Server:
    """serve() running in a thread on a free port, over a copy of the built dist/."""

    def __init__(self, root: Path, built: Path) -> None:
        self.root = root
        self.dist = root / "dist"
        shutil.copytree(built, self.dist)
        for folder in ("source", "styles"):
            (root / folder).mkdir()
            (root / folder / "keep.txt").write_text("x")
        self.rebuild = FakeRebuild()
        self.out = io.StringIO()
        self.stop = threading.Event()
        self.code: int | None = None
        self.thread = threading.Thread(target=self._run)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not (found := re.search(r"http://127\.0\.0\.1:(\d+)/", self.out.getvalue())):
            assert time.monotonic() < deadline and self.thread.is_alive(), self.out.getvalue()
            time.sleep(0.02)
        self.port = int(found[1])
        assert self.rebuild.calls == 1  # the first build, before the address is shown
        self.rebuild.calls = 0
        self.rebuild.started.clear()
        self.rebuild.called.clear()

    def _run(self) -> None:
        self.code = serve(root=self.root, dist_dir=self.dist, port=0, rebuild=self.rebuild,
                          watch=[self.root / "source", self.root / "styles"], out=self.out,
                          stop=self.stop)

    def get(self, path: str) -> tuple[int, http.client.HTTPMessage, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def events(self) -> Events:
        return Events(self.port)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        assert not self.thread.is_alive()


class Events:
    """A client of the event stream, connected once the server has subscribed it."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        self.connection.request("GET", EVENTS)
        self.socket = self.connection.sock  # the response keeps it; the connection lets go
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream"
        assert self.response.readline() == b"retry: 1000\n"  # written after subscribing
        assert self.response.readline() == b"\n"

    def next(self) -> tuple[str, str]:
        """The next event: (name, data)."""
        name = "message"
        data: list[str] = []
        while (line := self.response.readline().decode()) != "\n" or not data:
            assert line, "the stream ended"
            if line.startswith("event: "):
                name = line[7:-1]
            elif line.startswith("data: "):
                data.append(line[6:-1])
        return name, "\n".join(data)

    def quiet(self, seconds: float) -> bool:
        """Whether nothing arrives for that long."""
        self.socket.settimeout(seconds)
        try:
            self.response.readline()
        except TimeoutError:
            return True
        return False

    def close(self) -> None:
        self.response.close()
        self.connection.close()


def _serving(root: Path, built: Path) -> Iterator[Server]:
    running = Server(root, built)
    try:
        yield running
    finally:
        running.close()
    assert running.code == 0


@pytest.fixture
def server(tmp_path: Path, built: Path) -> Iterator[Server]:
    yield from _serving(tmp_path, built)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory, built: Path) -> Iterator[Server]:
    """One server for the tests that only read."""
    yield from _serving(tmp_path_factory.mktemp("shared"), built)


def save(path: Path, text: str) -> None:
    """Save as an editor does: a temporary file, renamed over the original, then touched."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text)
    temporary.replace(path)
    os.utime(path)


def snapshot(dist: Path) -> dict[str, bytes]:
    return {p.relative_to(dist).as_posix(): p.read_bytes() for p in dist.rglob("*") if p.is_file()}


# --- serving ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "kind"), [
    (RELEASE, "text/html; charset=utf-8"),
    ("index.html", "text/html; charset=utf-8"),
    ("assets/pressroom.css", "text/css; charset=utf-8"),
    ("feed/atom.xml", "application/atom+xml"),
    ("feed/rss.xml", "application/rss+xml"),
    ("feed/archive/atom-1.xml", "application/atom+xml"),
    ("feed/archive.xml", "application/xml"),
    ("feed/feed.json", "application/json"),
    ("epub/x.epub", "application/epub+zip"),
    ("assets/logo.svg", "image/svg+xml"),
    ("assets/fonts/NotoSansArabic-Regular.ttf", "font/ttf"),
    ("assets/fonts/NotoSansCJKsc-Regular-subset.otf", "font/otf"),
])
def test_types(shared: Server, path: str, kind: str) -> None:
    status, headers, body = shared.get(f"/{path}")
    assert (status, headers["Content-Type"]) == (200, kind)
    if not path.endswith(".html"):
        assert body == (shared.dist / path).read_bytes()
    assert headers["Cache-Control"] == "no-cache"


def test_folders_missing_files_and_favicon(shared: Server) -> None:
    status, _, body = shared.get("/")
    assert status == 200 and body == inject((shared.dist / "index.html").read_bytes())
    assert shared.get("/releases")[0] == 301
    assert shared.get("/nothing.html")[0] == 404
    assert shared.get("/favicon.ico")[0] == 204  # no icon, and no 404 in a browser's console
    assert shared.get("/../../etc/passwd")[0] == 404


def test_the_script_is_only_in_the_response(server: Server) -> None:
    before = snapshot(server.dist)
    status, _, body = server.get(f"/{RELEASE}")
    on_disk = (server.dist / RELEASE).read_bytes()
    assert status == 200 and body != on_disk
    script = re.findall(rb"<script>(.*?)</script>", body, re.DOTALL)
    assert script == [SCRIPT.encode()] and body.index(b"<script>") < body.rindex(b"</body>")
    assert EVENTS.encode() in script[0] and b"textContent" in script[0]
    assert b"innerHTML" not in script[0]
    csp = re.findall(rb'http-equiv="Content-Security-Policy" content="([^"]*)"', body)
    assert len(csp) == 1
    policy = dict(d.strip().split(" ", 1) for d in csp[0].decode().split(";"))
    digest = base64.b64encode(hashlib.sha256(script[0]).digest()).decode()
    assert policy["script-src"] == f"'sha256-{digest}'"  # that script, and nothing else
    assert policy["connect-src"] == "'self'"
    original = re.findall(rb'http-equiv="Content-Security-Policy" content="([^"]*)"', on_disk)
    assert b"script-src 'none'" in original[0]
    for directive in ("default-src 'none'", "style-src 'self'", "img-src 'self'",
                      "base-uri 'none'", "form-action 'none'"):
        assert directive in csp[0].decode()
    # Outside the two rewritten places, the response is the file.
    assert body.replace(script[0], b"").replace(csp[0], b"") == \
        on_disk.replace(original[0], b"").replace(b"</body>", b"<script></script></body>")
    assert snapshot(server.dist) == before
    assert not any(b"__pressroom" in data for data in before.values())


def test_inject_without_a_policy_or_a_body() -> None:
    assert inject(b"<p>hi") == b"<p>hi<script>" + SCRIPT.encode() + b"</script>"
    other = b'<meta name="description" content="script-src \'none\'"/></body>'
    assert inject(other).startswith(other[:-7])


# --- rebuilding ---------------------------------------------------------------------------------

def test_a_save_rebuilds_once_and_reloads(server: Server) -> None:
    events = server.events()
    try:
        save(server.root / "source" / "release.md", "one")
        for text in ("two", "three"):  # the same burst
            time.sleep(0.04)
            (server.root / "source" / "release.md").write_text(text)
        assert events.next() == ("reload", "")
        time.sleep(0.6)
        assert server.rebuild.calls == 1
        assert re.search(r"\] source/release\.md: rebuilt in \d+\.\d s\n", server.out.getvalue())
        save(server.root / "styles" / "web.css", "p {}")
        assert events.next() == ("reload", "")
        assert server.rebuild.calls == 2
        assert "styles/web.css: rebuilt in" in server.out.getvalue()
    finally:
        events.close()


def test_a_save_during_a_rebuild_is_not_lost(server: Server) -> None:
    server.rebuild.delay = 0.8
    events = server.events()
    try:
        save(server.root / "source" / "a.md", "a")
        assert server.rebuild.started.wait(5)
        time.sleep(0.3)  # inside the first rebuild
        save(server.root / "source" / "b.md", "b")
        assert events.next() == ("reload", "")
        assert events.next() == ("reload", "")
        assert server.rebuild.calls == 2
    finally:
        events.close()


def test_editor_files_do_not_rebuild(server: Server) -> None:
    source = server.root / "source"
    (source / ".git").mkdir()
    for name in (".release.md.swp", ".release.md.swx", "release.md~", "4913", ".#release.md",
                 "#release.md#", "release.md___jb_tmp___", ".git/index", ".DS_Store"):
        (source / name).write_text("x")
    (source / ".#release.md").unlink()
    time.sleep(1.0)
    assert server.rebuild.calls == 0
    save(source / "release.md", "x")  # the watcher was awake all along
    assert server.rebuild.called.wait(5) and server.rebuild.calls == 1


def test_watch_filter_looks_below_the_watched_folders(tmp_path: Path) -> None:
    root = tmp_path / ".hidden" / "source"  # a dot above the watched folder does not count
    wanted = watch_filter([root])
    modified = watchfiles.Change.modified
    assert wanted(modified, str(root / "release.md"))
    assert wanted(modified, str(root / "images" / "a.png"))
    assert not wanted(modified, str(root / ".cache" / "a.png"))
    assert not wanted(modified, str(root / "4913"))


def test_a_failed_build_is_told_and_the_last_good_build_served(server: Server) -> None:
    before = server.get(f"/{RELEASE}")[::2]
    server.rebuild.result = (2, f"pressroom build --format html (1 changed input(s))\n{ERROR}\n")
    events = server.events()
    try:
        save(server.root / "source" / "x.md", "broken")
        name, data = events.next()
        assert name == "build-error" and data.splitlines()[-1] == ERROR
        assert f"\n{ERROR}\n" in server.out.getvalue()  # exactly as pressroom printed it
        assert "build failed in" in server.out.getvalue()
        assert server.get(f"/{RELEASE}")[::2] == before
        late = server.events()  # a page opened since hears of the error at once
        try:
            assert late.next()[0] == "build-error"
        finally:
            late.close()
        server.rebuild.result = (0, "")
        save(server.root / "source" / "x.md", "fixed")
        assert events.next() == ("reload", "")
    finally:
        events.close()
    fresh = server.events()  # and once fixed, no more
    try:
        assert fresh.quiet(0.5)
    finally:
        fresh.close()


def test_stop_ends_serve_quickly_and_closes_streams(server: Server) -> None:
    events = server.events()
    try:
        start = time.monotonic()
        server.stop.set()
        server.thread.join(timeout=5)
        assert time.monotonic() - start < 2
        assert server.code == 0
        assert events.response.readline() == b""  # the stream was closed
        assert server.out.getvalue().endswith("pressroom serve: stopped\n")
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
    finally:
        events.close()


def _ctrl_c_as_in_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    """A real SIGINT, to a real process: exit code 0, no traceback."""
    (tmp_path / "source").mkdir()
    (tmp_path / "dist").mkdir()
    program = ("import faulthandler, signal, sys; faulthandler.register(signal.SIGUSR1); "
               "from pathlib import Path; from pressroom.editor.serve import serve; "
               "p = Path(sys.argv[1]); sys.exit(serve(root=p, dist_dir=p / 'dist', port=0, "
               "rebuild=lambda: (0, ''), watch=[p / 'source'], out=sys.stdout))")
    # As from a terminal: a shell without job control starts a background command (a CI
    # runner's `cmd &`) with SIGINT ignored, and Python then installs no Ctrl-C handler.
    with subprocess.Popen([sys.executable, "-c", program, str(tmp_path)], text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          preexec_fn=_ctrl_c_as_in_a_terminal) as process:
        try:
            assert process.stdout is not None
            assert "start: rebuilt in" in process.stdout.readline()
            assert "serving" in process.stdout.readline()
            process.send_signal(signal.SIGINT)
            try:
                out, err = process.communicate(timeout=30)  # a loaded machine is slow, not hung
            except subprocess.TimeoutExpired:  # hung: where? every thread's stack, then fail
                process.send_signal(signal.SIGUSR1)
                time.sleep(1)
                process.kill()
                out, err = process.communicate()
                pytest.fail(f"no exit 30 s after Ctrl-C; its threads:\n{err}")
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0, err
    assert err == "" and out == "pressroom serve: stopped\n"


def test_a_busy_port_or_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "source").mkdir()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        expected = f"cannot listen on 127.0.0.1:{port}: Address already in use; choose another"
        with pytest.raises(UsageError, match=re.escape(expected)) as caught:
            serve(root=tmp_path, dist_dir=tmp_path, port=port, rebuild=lambda: (0, ""),
                  watch=[tmp_path / "source"], out=io.StringIO())
    assert caught.value.exit_code == 64
    for host, port in (("127.0.0.1", 70000), ("no.such.host.invalid", 0)):
        with pytest.raises(UsageError, match=f"cannot listen on {host}:{port}: "):
            serve(root=tmp_path, dist_dir=tmp_path, host=host, port=port,
                  rebuild=lambda: (0, ""), watch=[tmp_path / "source"], out=io.StringIO())
    with pytest.raises(UsageError, match=r"no folder .*styles to watch"):
        serve(root=tmp_path, dist_dir=tmp_path, port=0, rebuild=lambda: (0, ""),
              watch=[tmp_path / "source", tmp_path / "styles"], out=io.StringIO())


@pytest.mark.slow  # runs make (a two-line Makefile)
def test_make_rebuild(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """make's own failure line is dropped; what the recipe printed is kept, in order."""
    (tmp_path / "Makefile").write_text(
        "all:\n\t@echo 'pressroom build --format html (1 changed input(s))'\n"
        f"\t@echo \"{ERROR}\" >&2; [ -z \"$(QUIET)\" ]\n")
    assert make_rebuild(tmp_path)() == (2, f"pressroom build --format html (1 changed input(s))"
                                           f"\n{ERROR}")
    (tmp_path / "Makefile").write_text("all:\n\t@[ \"$(QUIET)\" = 1 ] && echo \"$$PRESSROOM_X\"\n")
    monkeypatch.setenv("PRESSROOM_X", "passed through")
    assert make_rebuild(tmp_path)() == (0, "passed through")


# --- a real browser -----------------------------------------------------------------------------

@pytest.mark.slow
def test_a_browser_reloads_and_shows_build_errors(server: Server) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        sync_playwright = None  # type: ignore[assignment]
    if sync_playwright is None or not CHROMIUM.is_file():
        if IN_CI:
            pytest.fail(f"CI is set but playwright or {CHROMIUM} is missing")
        pytest.skip(f"needs playwright and {CHROMIUM}")
    problems: list[str] = []

    def streams(response: Any) -> bool:
        return response.url.endswith(EVENTS)  # type: ignore[no-any-return]

    def console(message: Any) -> None:
        if message.type in ("error", "warning"):
            problems.append(f"{message.type}: {message.text}")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page()
            page.on("console", console)
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            with page.expect_response(streams):
                page.goto(f"http://127.0.0.1:{server.port}/{RELEASE}")
            page.evaluate("window.marker = 1")
            with page.expect_event("load", timeout=10_000), page.expect_response(streams):
                save(server.root / "source" / "release.md", "x")
            assert page.evaluate("window.marker") is None  # a new document
            hostile = '<img src=x onerror="window.owned=1">'
            server.rebuild.result = (2, f"{ERROR}\n{hostile}")
            save(server.root / "source" / "release.md", "y")
            box = page.wait_for_selector("#pressroom-build-error", timeout=10_000)
            assert box is not None and box.text_content() == f"{ERROR}\n{hostile}"
            assert page.evaluate("document.querySelectorAll('#pressroom-build-error *').length") \
                == 0 and page.evaluate("window.owned") is None
            server.rebuild.result = (0, "")
            with page.expect_event("load", timeout=10_000):
                save(server.root / "source" / "release.md", "z")
            assert page.query_selector("#pressroom-build-error") is None
        finally:
            browser.close()
    assert problems == []


def _make_in(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "--no-print-directory", f"VENV={sys.prefix}",
                           f"READY={root / 'ready.stamp'}", "QUIET=1", *args], cwd=root,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.slow  # nested make, WeasyPrint
@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
def test_a_saved_release_s_web_page_comes_first_and_every_output_equals_a_cold_make(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The web page of a save is built in serve's own process and the page reloads; make then
    builds the rest. Afterwards dist/ is byte for byte what a cold make of the same sources
    makes, and a second make has nothing to do."""
    from pressroom.editor.serve import web_first

    from .conftest import copy_project

    for name in ("MAKELEVEL", "MFLAGS", "MAKEOVERRIDES", "MAKEFILES", "PRESSROOM_NOW"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MAKEFLAGS", "")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    roots = {name: tmp_path / name for name in ("watched", "cold")}
    for root in roots.values():
        copy_project(root, ROOT / "source")
        (root / "ready.stamp").touch()
    watched = roots["watched"]
    assert _make_in(watched).returncode == 0
    dist = watched / "dist"
    out = io.StringIO()
    stop = threading.Event()
    first = web_first(source=watched / "source", styles=watched / "styles", dist=dist,
                      now=lambda: datetime.now(UTC), source_date=datetime.fromtimestamp(0, UTC),
                      say=lambda line: None)
    make_args = (f"VENV={sys.prefix}", f"READY={watched / 'ready.stamp'}")
    thread = threading.Thread(target=lambda: serve(
        root=watched, dist_dir=dist, port=0, rebuild=make_rebuild(watched, *make_args),
        watch=[watched / "source", watched / "styles"], out=out, stop=stop, first=first))
    thread.start()
    try:
        deadline = time.monotonic() + 120
        while not (found := re.search(r"http://127\.0\.0\.1:(\d+)/", out.getvalue())):
            assert time.monotonic() < deadline and thread.is_alive(), out.getvalue()
            time.sleep(0.05)
        events = Events(int(found[1]))
        try:
            [release] = sorted((watched / "source").glob("*.md"))
            edited = release.read_text() + "\nA paragraph written while the page was open.\n"
            save(release, edited)
            assert events.next() == ("reload", "")
            assert "web pages in" in out.getvalue()
            page = (dist / "releases" / f"{release.stem}.html").read_text()
            assert "A paragraph written while the page was open." in page
            while "rebuilt in" not in out.getvalue().split("web pages in", 1)[1]:
                assert time.monotonic() < deadline and thread.is_alive(), out.getvalue()
                time.sleep(0.05)
        finally:
            events.close()
    finally:
        stop.set()
        thread.join(timeout=30)
    assert "build failed" not in out.getvalue(), out.getvalue()
    (roots["cold"] / "source" / release.name).write_text(edited)
    assert _make_in(roots["cold"]).returncode == 0

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes()
                for p in sorted(root.rglob("*")) if p.is_file()}

    warm, cold = files(dist), files(roots["cold"] / "dist")
    assert sorted(warm) == sorted(cold)
    assert [name for name in warm if warm[name] != cold[name]] == []
    again = _make_in(watched)
    assert again.returncode == 0 and "pressroom build" not in again.stdout + again.stderr
