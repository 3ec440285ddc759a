"""`pressroom serve`: dist/ on localhost, rebuilt when a source or style is saved, pages reloaded.

The injected `rebuild` (from the CLI: make) decides what a change affects; before it, `first`
(the CLI's: `web_first`) builds a saved release's web page in this warm process, so the page
reloads in a fraction of a second while make goes on with the PDFs and e-books. dist/ has no script
(its CSP says `script-src 'none'`): the reload script is only in this server's responses, before
`</body>`, the CSP rewritten to allow just that script (by hash) and `/__pressroom/events`.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import os
import queue
import re
import subprocess
import threading
import time
import webbrowser
from collections.abc import Callable
from datetime import datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import watchfiles

from pressroom.errors import UsageError
from pressroom.files import WAITING

Rebuild = Callable[[], tuple[int, str]]
First = Callable[[list[Path]], "tuple[int, str] | None"]
"""A quick step before the rebuild, given the changed files: (exit code, output), or None when
it does not apply to these changes (the rebuild alone then decides)."""
EVENTS = "/__pressroom/events"
STEP_MS = 150  # quiet time that ends a burst of changes (a save: temp file, rename, chmod)
PING_S = 15.0  # keep-alive comment on idle event streams, so that closed tabs are noticed
SCRIPT = (  # reload on "reload"; show a build error in a box (textContent: never markup)
    '(function(){var s=new EventSource("' + EVENTS + '");s.addEventListener("reload",function()'
    '{location.reload();});s.addEventListener("build-error",function(e){var b=document.'
    'getElementById("pressroom-build-error");if(!b){b=document.createElement("pre");b.id='
    '"pressroom-build-error";Object.assign(b.style,{position:"fixed",inset:"auto 1em 1em 1em",'
    'margin:"0",padding:"1em",maxHeight:"50vh",overflow:"auto",whiteSpace:"pre-wrap",zIndex:'
    '"2147483647",font:"14px/1.4 monospace",color:"#fff",background:"#a00"});document.body.'
    'appendChild(b);}b.textContent=e.data;});})();')
# The CSP source allowing the injected script, and nothing else.
SCRIPT_SOURCE = f"'sha256-{base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()}'"
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".xml": "application/xml", ".json": "application/json", ".epub": "application/epub+zip",
         ".pdf": "application/pdf", ".svg": "image/svg+xml", ".otf": "font/otf", ".ttf": "font/ttf",
         ".woff2": "font/woff2", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
FEED_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
_META = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_CSP_META = re.compile(rb"""http-equiv\s*=\s*["']?content-security-policy""", re.IGNORECASE)
_CONTENT = re.compile(rb'(\bcontent\s*=\s*")([^"]*)(")', re.IGNORECASE)
_REPLACED = {"script-src", "script-src-elem", "connect-src"}
# Dotfiles (.x.swp, .#x), backups (x~), vim's write test (4913), emacs (#x#), JetBrains.
_EDITOR_FILES = re.compile(r"^\.|~$|^4913$|^#.*#$|\.sw[a-p]$|___jb_...___$")
_MAKE_NOISE = re.compile(r"^make(\[\d+\])?: \*\*\* \[.*\] Error \d+$")


def inject(page: bytes) -> bytes:
    """The page with the reload script before `</body>` and its CSP allowing that script."""

    def allow(content: re.Match[bytes]) -> bytes:
        kept = [d.strip() for d in content[2].decode().split(";")
                if d.strip() and d.split()[0].lower() not in _REPLACED]
        policy = [*kept, f"script-src {SCRIPT_SOURCE}", "connect-src 'self'"]
        return content[1] + "; ".join(policy).encode() + content[3]

    page = _META.sub(lambda m: _CONTENT.sub(allow, m[0], 1) if _CSP_META.search(m[0]) else m[0],
                     page)
    script = b"<script>" + SCRIPT.encode() + b"</script>"
    at = page.rfind(b"</body>")
    return page[:at] + script + page[at:] if at >= 0 else page + script


class _Hub:
    """The open event streams, each a queue of messages (None: hang up)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.clients: set[queue.Queue[str | None]] = set()
        self.failure, self.closed = "", False  # the last build error, told to newcomers

    def subscribe(self) -> queue.Queue[str | None]:
        client: queue.Queue[str | None] = queue.Queue()
        with self.lock:
            if self.closed or self.failure:
                client.put(None if self.closed else self.failure)
            self.clients.add(client)
        return client

    def send(self, event: str, data: str = "") -> None:
        lines = data.splitlines() or [""]
        message = f"event: {event}\n" + "".join(f"data: {line}\n" for line in lines) + "\n"
        with self.lock:
            self.failure = message if event == "build-error" else ""
            for client in self.clients:
                client.put(message)

    def close(self) -> None:
        with self.lock:
            self.closed = True
            for client in self.clients:
                client.put(None)


class _Handler(SimpleHTTPRequestHandler):
    hub: _Hub

    def do_GET(self) -> None:
        if self.path.split("?")[0] == EVENTS:
            self._events()
        else:
            super().do_GET()

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if self.path == "/favicon.ico" and not os.path.exists(path):
            self.send_response(204)  # no icon, and no 404 in the console
            self.end_headers()
            return None
        if not path.endswith(".html") or not os.path.isfile(path):
            return super().send_head()
        body = inject(Path(path).read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", TYPES[".html"])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        name = Path(path).name.lower()
        feed = (t for p, t in FEED_TYPES.items() if name.startswith(p) and name.endswith(".xml"))
        return next(feed, None) or TYPES.get(Path(name).suffix) or super().guess_type(path)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def _events(self) -> None:
        client = self.hub.subscribe()  # before the headers: a client that has them is told
        try:  # until serve() stops, or the tab is closed (ConnectionError, see handle)
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            self.wfile.write(b"retry: 1000\n\n")
            while True:
                try:
                    message = client.get(timeout=PING_S)
                except queue.Empty:
                    message = ": ping\n\n"
                if message is None:
                    break
                self.wfile.write(message.encode())
        finally:
            with self.hub.lock:
                self.hub.clients.discard(client)
            self.close_connection = True

    def handle(self) -> None:
        with contextlib.suppress(ConnectionError):  # the tab was closed or reloaded
            super().handle()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def make_rebuild(root: Path, *targets: str,
                 say: Callable[[str], None] | None = None) -> Rebuild:
    """A rebuild running `make QUIET=1 [targets]` in root: (exit code, its output). make holds
    the tree's lock: a rebuild that has to wait for another build of the tree (a `make` in
    another terminal) says so at once, through `say` (default: stdout)."""
    command = ["make", "--no-print-directory", "QUIET=1", *targets]
    tell = say or (lambda line: print(line, flush=True))

    def rebuild() -> tuple[int, str]:
        kept: list[str] = []
        with subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) as done:
            assert done.stdout is not None
            for line in done.stdout:
                line = line.rstrip("\n")
                if WAITING in line:
                    tell(line)
                elif not _MAKE_NOISE.match(line):
                    kept.append(line)
        return done.returncode, "\n".join(kept)

    return rebuild


def web_first(*, source: Path, styles: Path, dist: Path, now: Callable[[], datetime],
              source_date: datetime, say: Callable[[str], None] | None = None) -> First:
    """The web pages of a saved release, built in this process (imports, templates and the
    parsed-source cache warm) before make builds everything: the browser reloads as soon as
    the page is written, the PDFs and e-books follow. Make then renders the same page again,
    to the same bytes, and keeps its own record of what is up to date.

    Only for releases and pictures under source/: a style, a template or publication.yaml
    changes every page and what this process keeps (compiled templates, parsed stylesheets)
    is per build, so those go to make alone, as does a release added or removed."""
    from pressroom.build import BuildOptions, build, default_cache
    from pressroom.errors import PressroomError, RenderError
    from pressroom.load.site import PUBLICATION_FILE
    from pressroom.progress import Progress

    folder = source.resolve()
    tell = say or (lambda line: print(line, flush=True))

    def first(changed: list[Path]) -> tuple[int, str] | None:
        paths = [p.resolve() for p in changed]
        if not paths or not all(p.is_relative_to(folder) and p.is_file()
                                and p.name != PUBLICATION_FILE for p in paths):
            return None
        options = BuildOptions(source_dir=source, styles_dir=styles, dist_dir=dist,
                               formats=("html",), changed=tuple(map(str, paths)),
                               source_date=source_date, cache=default_cache(dist), now=now())
        try:
            build(options, Progress(quiet=True), waiting=lambda line: tell(f"pressroom: {line}"))
        except PressroomError as exc:
            return exc.exit_code, str(exc)
        except OSError as exc:
            return RenderError.exit_code, f"pressroom: {exc.filename or ''} {exc.strerror or exc}"
        return 0, ""

    return first


def watch_filter(roots: list[Path]) -> Callable[[watchfiles.Change, str], bool]:
    """Whether a change matters: not an editor's temporary file, nor in a hidden folder."""

    def wanted(change: watchfiles.Change, path: str) -> bool:
        changed = Path(path)
        base = next((r for r in roots if changed.is_relative_to(r)), changed.parent)
        return not any(_EDITOR_FILES.search(part) for part in changed.relative_to(base).parts)

    return wanted


def serve(*, root: Path, dist_dir: Path, host: str = "127.0.0.1", port: int = 8000,
          rebuild: Rebuild, watch: list[Path], out: TextIO, open_browser: bool = False,
          stop: threading.Event | None = None, first: First | None = None) -> int:
    """Serve dist_dir on host:port; rebuild when a file below `watch` changes, and reload the
    pages open in browsers (as soon as `first`, given the changed files, has made the web pages;
    else after the rebuild). Returns 0 on Ctrl-C or `stop.set()`; raises UsageError (exit code
    64) when the address cannot be listened on or a watched folder is missing."""
    roots = [p.resolve() for p in watch]
    if missing := [str(p) for p in roots if not p.is_dir()]:
        raise UsageError(f"pressroom serve: no folder {', '.join(missing)} to watch")
    hub = _Hub()
    handler = partial(type("Handler", (_Handler,), {"hub": hub}), directory=str(dist_dir))
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except (OSError, OverflowError) as exc:  # in use, no such address, port above 65535
        raise UsageError(f"pressroom serve: cannot listen on {host}:{port}: "
                         f"{getattr(exc, 'strerror', None) or exc}; choose another --port or "
                         "--host") from None
    url = f"http://{host}:{server.server_port}/"
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    started = False

    def rebuild_and_report(why: str, changed: list[Path]) -> None:
        start = time.monotonic()
        quick = first(changed) if first is not None and changed else None
        if quick is not None:
            code, output = quick
            took, stamp = f"{time.monotonic() - start:.1f} s", time.strftime("%H:%M:%S")
            if code == 0:
                print(f"[{stamp}] {why}: web pages in {took}", file=out, flush=True)
                hub.send("reload")
            else:  # make would stop at the same problem: say it now
                text = output.strip() or f"the build failed with exit code {code}"
                print(f"[{stamp}] {why}: build failed in {took}; still serving the last good "
                      f"build\n{text}", file=out, flush=True)
                hub.send("build-error", text)
                return
        code, output = rebuild()
        took, stamp = f"{time.monotonic() - start:.1f} s", time.strftime("%H:%M:%S")
        if code == 0:
            print(f"[{stamp}] {why}: rebuilt in {took}", file=out, flush=True)
            if quick is None:  # else the page already shows it: the same bytes again
                hub.send("reload")
        else:
            text = output.strip() or f"the build failed with exit code {code}"
            print(f"[{stamp}] {why}: build failed in {took}; still serving the last good build\n"
                  f"{text}", file=out, flush=True)
            hub.send("build-error", text)

    try:  # the watcher is up before the first build (a timeout): no save is missed
        for changes in watchfiles.watch(*roots, watch_filter=watch_filter(roots), step=STEP_MS,
                                        stop_event=stop, rust_timeout=250, yield_on_timeout=True):
            if changes or not started:
                paths = sorted({os.path.relpath(path, root.resolve()) for _, path in changes})
                rebuild_and_report(f"{paths[0]}{f' and {len(paths) - 1} more' if paths[1:] else ''}"
                                   if paths else "start", [root / p for p in paths])
            if not started:
                started = True
                print(f"serving {dist_dir} at {url} (watching {', '.join(map(str, watch))}; "
                      "Ctrl-C stops)", file=out, flush=True)
                if open_browser:
                    webbrowser.open(url)
    except KeyboardInterrupt:
        pass
    finally:
        hub.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    print("pressroom serve: stopped", file=out, flush=True)
    return 0
