"""The outputs as real clients show them: an EPUB in Calibre, the Atom feed and the OPDS
catalogue in newsboat, an e-mail in NeoMutt (all Debian packages; `make preview` installs them).

Each client runs in a throwaway folder that is its HOME, its configuration, cache and temporary
folder, with a clean environment (nothing of the caller's settings reaches it, and it leaves
nothing behind), and reads only the file it is given: by path (Calibre, NeoMutt) or as a file://
URL (newsboat). No server runs and nothing is fetched.

- Calibre: `ebook-convert` turns the EPUB into an A5 PDF with its PDF output, which lays the
  book out in Calibre's own engine (Qt WebEngine, headless: QT_QPA_PLATFORM=offscreen, its
  sandbox off as Chromium's is in preview.LAUNCH_ARGS); pdftoppm draws the first page.
- newsboat and NeoMutt run in tmux (terminal.py) with their default colours and key bindings,
  driven by the keys a reader would press; each screen is captured as text and drawn.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pressroom.editor.terminal import Terminal, draw
from pressroom.errors import RenderError

EPUB_RESOLUTION = 110
"""Dots per inch of the Calibre page picture: an A5 page is 642 x 909 pixels, an e-reader's."""
CALIBRE_OPTIONS = ["--paper-size", "a5"]
"""ebook-convert's PDF output as it comes, on an e-reader-sized page (its default is Letter)."""
NEWSBOAT_CONFIG = """\
# The defaults, but for the article list's title, which shows the feed's URL by default:
# here a temporary file:// path, which says nothing.
articlelist-title-format "%N %V - Articles in feed '%T' (%u unread, %t total)"
"""
NEOMUTT_CONFIG = """\
# The defaults (no system configuration: -n), but: the text part of a multipart/alternative,
# the usual headers only, and nothing ever run or written (no mailcap, no caches).
alternative_order text/plain
ignore *
unignore from: to: cc: date: subject:
hdr_order from: to: cc: date: subject:
set mbox_type = Maildir
set folder = "{home}"
set tmpdir = "{home}"
set header_cache = ""
set message_cachedir = ""
set mailcap_path = "/dev/null"
set pager_index_lines = 3
set mark_old = no
set wait_key = no
"""


@dataclass(frozen=True, slots=True)
class Client:
    """A client that shows one kind of output, the programs it needs and its Debian packages."""

    name: str
    programs: tuple[str, ...]
    packages: str

    def missing(self) -> list[str]:
        return [program for program in self.programs if shutil.which(program) is None]


CALIBRE = Client("Calibre", ("ebook-convert", "pdftoppm"), "calibre")
NEWSBOAT = Client("newsboat", ("newsboat", "tmux"), "newsboat tmux")
NEOMUTT = Client("NeoMutt", ("neomutt", "tmux"), "neomutt tmux")


@dataclass(frozen=True, slots=True)
class Shot:
    """One picture of a client: its name's ending (before .png), the PNG, and the text the
    client showed (for a terminal client; '' for Calibre)."""

    suffix: str
    png: bytes
    text: str = ""


def _environment(home: Path) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "TZ": "UTC",
            "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"), "TMPDIR": str(home)}


def _run(argv: list[str], env: dict[str, str], what: Path) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
    if result.returncode:
        said = [line for line in (result.stderr + result.stdout).splitlines() if line.strip()]
        raise RenderError(f"{what}: {Path(argv[0]).name} failed (exit {result.returncode}): "
                          + " / ".join(said[-3:]))


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RenderError(f"{name} is missing")
    return found


def calibre(epub: Path) -> list[Shot]:
    """The EPUB's first page as Calibre lays it out (ebook-convert to PDF, then pdftoppm)."""
    with tempfile.TemporaryDirectory(prefix="pressroom-calibre-") as tmp:
        home = Path(tmp)
        env = {**_environment(home), "QT_QPA_PLATFORM": "offscreen",
               "QTWEBENGINE_DISABLE_SANDBOX": "1",
               "CALIBRE_CONFIG_DIRECTORY": str(home / "config"),
               "CALIBRE_CACHE_DIRECTORY": str(home / "cache"), "CALIBRE_TEMP_DIR": tmp}
        _run([_program("ebook-convert"), str(epub.resolve()), str(home / "book.pdf"),
              *CALIBRE_OPTIONS], env, epub)
        _run([_program("pdftoppm"), "-png", "-r", str(EPUB_RESOLUTION), "-f", "1", "-l", "1",
              "-singlefile", str(home / "book.pdf"), str(home / "page")], env, epub)
        return [Shot("", (home / "page.png").read_bytes())]


def _in_terminal(argv: list[str], home: Path, steps: Callable[[Terminal], list[Shot]]) -> \
        list[Shot]:
    with Terminal(home, argv, _environment(home)) as terminal:
        return steps(terminal)


def _shot(terminal: Terminal, suffix: str, waiting_for: str) -> Shot:
    text = terminal.wait(waiting_for)
    return Shot(suffix, draw(terminal.screen()), text)


def newsboat(feeds: list[Path], *, articles: bool) -> list[Shot]:
    """newsboat subscribed to `feeds`, the last of them opened: its article list ('-list'),
    and with `articles` the newest article open ('-article')."""
    with tempfile.TemporaryDirectory(prefix="pressroom-newsboat-") as tmp:
        home = Path(tmp)
        (home / "urls").write_text("".join(f"{f.resolve().as_uri()}\n" for f in feeds), "utf-8")
        (home / "config").write_text(NEWSBOAT_CONFIG, "utf-8")
        argv = [_program("newsboat"), "-u", str(home / "urls"), "-c", str(home / "cache.db"),
                "-C", str(home / "config")]
        _run([*argv, "-x", "reload"], _environment(home), feeds[-1])  # fetched before shown

        def steps(terminal: Terminal) -> list[Shot]:
            terminal.wait("Your feeds")
            terminal.keys(*["Down"] * (len(feeds) - 1), "Enter")
            shots = [_shot(terminal, "-list", "Articles in feed")]
            if articles:
                terminal.keys("Enter")
                shots.append(_shot(terminal, "-article", "Title: "))
            return shots

        return _in_terminal(argv, home, steps)


def neomutt(email: Path) -> list[Shot]:
    """The e-mail open in NeoMutt ('': its headers and text part) and its attachment list
    ('-attachments'), read from a Maildir holding it alone (read-only: -R)."""
    with tempfile.TemporaryDirectory(prefix="pressroom-neomutt-") as tmp:
        home = Path(tmp)
        for folder in ("cur", "new", "tmp"):
            (home / "mail" / folder).mkdir(parents=True)
        shutil.copyfile(email, home / "mail" / "cur" / "1.pressroom:2,S")  # seen, as opened
        (home / "neomuttrc").write_text(NEOMUTT_CONFIG.format(home=home), "utf-8")
        argv = [_program("neomutt"), "-n", "-F", str(home / "neomuttrc"), "-R",
                "-f", str(home / "mail")]

        def steps(terminal: Terminal) -> list[Shot]:
            terminal.wait("NeoMutt: ")
            terminal.keys("Enter")
            shots = [_shot(terminal, "", "Subject: ")]
            terminal.keys("v")
            shots.append(_shot(terminal, "-attachments", "Attachments"))
            return shots

        return _in_terminal(argv, home, steps)
