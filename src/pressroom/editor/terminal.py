"""A terminal program as a person sees it: run in tmux, driven by keys, its screen captured.

`Terminal` starts one program in a private tmux server (its own socket and configuration in a
throwaway folder, no status line, a clean environment: nothing of the caller's HOME, config
or cache reaches the program), sends it keys, waits for what it shows, and captures the screen
with its colours (tmux capture-pane -e). `draw` turns such a capture into a PNG the way a
terminal shows it: DejaVu Sans Mono (Debian fonts-dejavu-core) in a grid of cells, the 16 ANSI
colours, the 256-colour cube and true colour, bold, reverse and underline. It has no bidi and
no shaping, as most terminals: what the program printed is what is drawn, cell by cell.
"""

from __future__ import annotations

import functools
import io
import re
import shlex
import subprocess
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType

from PIL import Image, ImageDraw, ImageFont

from pressroom.errors import RenderError

TMUX = "tmux"
COLUMNS, ROWS = 100, 32
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
MONO = {False: DEJAVU / "DejaVuSansMono.ttf", True: DEJAVU / "DejaVuSansMono-Bold.ttf"}
FALLBACK = (DEJAVU / "DejaVuSans.ttf",)
"""Glyphs the monospace font lacks (a script it does not cover) come from these, if present."""
SIZE = 16
"""Font size in pixels: a cell is about 10 x 19 pixels."""
PADDING = 12
# A dark terminal theme (Tango's colours, as GNOME Terminal's default): black, red, green,
# yellow, blue, magenta, cyan, white, then their bright forms.
PALETTE = ("#2e3436", "#cc0000", "#4e9a06", "#c4a000", "#3465a4", "#75507b", "#06989a",
           "#d3d7cf", "#555753", "#ef2929", "#8ae234", "#fce94f", "#729fcf", "#ad7fa8",
           "#34e2e2", "#eeeeec")
FOREGROUND, BACKGROUND = "#d3d7cf", "#1e1e1e"
SGR = re.compile(r"\x1b\[([0-9;:]*)m")
OTHER_ESCAPE = re.compile(r"\x1b(?:\[[0-9;:?]*[A-Za-z]|\][^\x07\x1b]*(?:\x07|\x1b\\)|.)")


class Terminal:
    """One program in a private tmux server of `columns` x `rows` cells, until the `with`
    block ends. `env` is the program's whole environment (TERM is set here)."""

    def __init__(self, folder: Path, argv: list[str], env: dict[str, str], *,
                 columns: int = COLUMNS, rows: int = ROWS) -> None:
        self.folder, self.argv, self.columns, self.rows = folder, argv, columns, rows
        self.env = {**env, "TERM": "screen-256color"}
        self.socket = folder / "tmux.socket"

    def _tmux(self, *args: str) -> str:
        result = subprocess.run([TMUX, "-S", str(self.socket), *args], capture_output=True,
                                text=True, check=False, env={"PATH": "/usr/bin:/bin",
                                                             "LANG": "C.UTF-8"})
        if result.returncode:
            raise RenderError(f"{self.argv[0]} in tmux: tmux {args[0]} failed: "
                              f"{result.stderr.strip()}")
        return result.stdout

    def __enter__(self) -> Terminal:
        config = self.folder / "tmux.conf"  # the pane keeps an exited program's last words
        config.write_text("set -g status off\nset -g remain-on-exit on\n"
                          "set -g default-terminal screen-256color\n", "utf-8")
        command = shlex.join(["env", "-i", *(f"{k}={v}" for k, v in self.env.items()),
                              *self.argv])
        self._tmux("-f", str(config), "new-session", "-d", "-x", str(self.columns),
                   "-y", str(self.rows), command)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        subprocess.run([TMUX, "-S", str(self.socket), "kill-server"], capture_output=True,
                       check=False)

    def keys(self, *keys: str) -> None:
        """Press keys (tmux key names: Enter, Down, j, ...)."""
        self._tmux("send-keys", *keys)

    def text(self) -> str:
        """The screen as plain text."""
        return self._tmux("capture-pane", "-p")

    def screen(self) -> str:
        """The screen with its colours and attributes (SGR escapes), each line its full width."""
        return self._tmux("capture-pane", "-p", "-e", "-N")

    def wait(self, text: str, timeout: float = 20.0) -> str:
        """Wait until the screen shows `text` and has stopped changing; return it (plain).
        RenderError, with what the screen shows, when it does not in `timeout` seconds."""
        deadline, last = time.monotonic() + timeout, None
        while True:
            now = self.text()
            if text in now and now == last:
                return now
            if time.monotonic() > deadline:
                shown = "\n".join(line for line in now.splitlines() if line.strip())
                raise RenderError(f"{self.argv[0]}: did not show {text!r} within {timeout:g} s;"
                                  f" the screen shows:\n{shown}")
            last = now
            time.sleep(0.15)


@dataclass(frozen=True, slots=True)
class _Style:
    foreground: str | int | None = None  # None: the default; int: a palette index
    background: str | int | None = None
    bold: bool = False
    underline: bool = False
    reverse: bool = False
    dim: bool = False


def _colour(codes: list[int], at: int) -> tuple[str | int | None, int]:
    """An extended colour (38/48;5;n or ;2;r;g;b) at codes[at]; the value and codes used."""
    if at + 1 < len(codes) and codes[at + 1] == 5 and at + 2 < len(codes):
        n = codes[at + 2]
        if n < 16:
            return n, 3
        if n < 232:  # the 6x6x6 cube
            r, g, b = ((n - 16) // 36, (n - 16) // 6 % 6, (n - 16) % 6)
            return "#" + "".join(f"{0 if c == 0 else 55 + 40 * c:02x}" for c in (r, g, b)), 3
        grey = 8 + 10 * (n - 232)
        return f"#{grey:02x}{grey:02x}{grey:02x}", 3
    if at + 1 < len(codes) and codes[at + 1] == 2 and at + 4 < len(codes):
        return "#" + "".join(f"{min(c, 255):02x}" for c in codes[at + 2:at + 5]), 5
    return None, len(codes)


def _apply(style: _Style, parameters: str) -> _Style:
    codes = [int(c) if c else 0 for c in re.split(r"[;:]", parameters)] if parameters else [0]
    i = 0
    while i < len(codes):
        code, used = codes[i], 1
        if code == 0:
            style = _Style()
        elif code in (1, 2, 4, 7):
            style = replace(style, **{{1: "bold", 2: "dim", 4: "underline", 7: "reverse"}[code]:
                                      True})
        elif code == 22:
            style = replace(style, bold=False, dim=False)
        elif code in (24, 27):
            style = replace(style, **{{24: "underline", 27: "reverse"}[code]: False})
        elif 30 <= code <= 37 or 90 <= code <= 97:
            style = replace(style, foreground=code - 30 if code < 90 else code - 82)
        elif 40 <= code <= 47 or 100 <= code <= 107:
            style = replace(style, background=code - 40 if code < 100 else code - 92)
        elif code == 38:
            value, used = _colour(codes, i)
            style = replace(style, foreground=value)
        elif code == 48:
            value, used = _colour(codes, i)
            style = replace(style, background=value)
        elif code == 39:
            style = replace(style, foreground=None)
        elif code == 49:
            style = replace(style, background=None)
        i += used
    return style


def cells(screen: str, columns: int) -> Iterator[tuple[int, int, str, _Style]]:
    """(row, column, character, style) of every cell a capture fills; a wide character (East
    Asian wide or full-width) takes two cells, as in the terminal."""
    style = _Style()
    for row, line in enumerate(screen.split("\n")):
        column = 0
        for i, part in enumerate(SGR.split(line)):  # text, parameters, text, parameters, ...
            if i % 2:
                style = _apply(style, part)
                continue
            for char in OTHER_ESCAPE.sub("", part):
                if unicodedata.combining(char) or column >= columns:
                    continue
                yield row, column, char, style
                column += 2 if unicodedata.east_asian_width(char) in "WF" else 1


@functools.cache
def _font(path: Path) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), SIZE)


@functools.cache
def _covers(path: Path) -> frozenset[int]:
    import uharfbuzz as hb

    return frozenset(hb.Face(hb.Blob.from_file_path(str(path))).unicodes)


def _font_for(char: str, bold: bool) -> ImageFont.FreeTypeFont:
    for path in (MONO[bold], *FALLBACK):
        if path.is_file() and ord(char) in _covers(path):
            return _font(path)
    return _font(MONO[bold])


def _rgb(value: str | int | None, default: str, bold: bool = False) -> str:
    if value is None:
        return default
    if isinstance(value, int):
        return PALETTE[value + 8 if bold and value < 8 else value]  # bold is bright, as xterm
    return value


def draw(screen: str, columns: int = COLUMNS, rows: int = ROWS) -> bytes:
    """A capture (Terminal.screen) drawn as the terminal shows it: a PNG."""
    if not MONO[False].is_file():
        raise RenderError(f"{MONO[False]} is missing (Debian package fonts-dejavu-core)")
    regular = _font(MONO[False])
    width = regular.getlength("M")
    ascent, descent = regular.getmetrics()
    height = ascent + descent + 1
    image = Image.new("RGB", (round(columns * width) + 2 * PADDING, rows * height + 2 * PADDING),
                      BACKGROUND)
    pen = ImageDraw.Draw(image)
    for row, column, char, style in cells(screen, columns):
        if row >= rows:
            break
        fore = _rgb(style.foreground, FOREGROUND, style.bold)
        back = _rgb(style.background, BACKGROUND)
        if style.reverse:
            fore, back = back, fore
        wide = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        x, y = PADDING + round(column * width), PADDING + row * height
        right = PADDING + round((column + wide) * width)
        if back != BACKGROUND:
            pen.rectangle((x, y, right - 1, y + height - 1), fill=back)
        if not char.isspace():
            pen.text((x, y + ascent), char, font=_font_for(char, style.bold), fill=fore,
                     anchor="ls")
        if style.underline:
            pen.line((x, y + ascent + 2, right - 1, y + ascent + 2), fill=fore)
    data = io.BytesIO()
    image.save(data, "PNG", optimize=True)
    return data.getvalue()
