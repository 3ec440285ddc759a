"""The `pressroom` command: thin argv handling over the library; errors become exit codes.

    pressroom build [--format pdf,epub,feed,html] [--changed PATH ...] [--jobs N] [--now T]
                    [--engine pool|dask [--scheduler ADDRESS]]
    pressroom check [--dist DIR] [--now T]
    pressroom pack [--from DATE] [--to DATE] [--keyword WORD] [--now T]
    pressroom schema [release|publication]

Exit codes: 0 ok, 2 invalid sources (unreadable ones included), 3 an output could not be
made, 4 an output failed its validator, 64 usage (a wrong option, or a wrong SOURCE_DATE_EPOCH
or PRESSROOM_NOW). Messages go to stderr as `path:line: field: message`; no tracebacks.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from contextlib import redirect_stdout
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO

from pressroom import __version__
from pressroom.build import BuildOptions, build, default_cache
from pressroom.engines import ENGINES
from pressroom.errors import CHECK_FAILED, PressroomError, RenderError, UsageError
from pressroom.layout import PACK_PATH
from pressroom.load.fields import PUBLICATION, RELEASE
from pressroom.load.jsonschema import json_schema
from pressroom.load.schema import LAST
from pressroom.model import Paper
from pressroom.plan.grouping import Selection
from pressroom.progress import Progress
from pressroom.render import FORMATS, ON_REQUEST

DESCRIPTION = """Write a press release once (source/*.md: YAML front matter + Markdown);
publish it as a PDF brief, an EPUB, a web page, Atom/RSS/JSON feeds and IPTC ninjs."""
EPILOG = """typical use (make runs these for you):
  pressroom new "Headline"        start source/<date>-<slug>.md
  pressroom check                 list every problem in source/, with file and line
  pressroom build                 render what changed into dist/
  pressroom check --dist dist     validate every output (EPUBCheck, feeds, PDF)
  pressroom preview               pictures of every output: .build/preview/index.html
  pressroom serve                 serve dist/, rebuild on save, reload the page

exit codes: 0 ok, 2 invalid sources (unreadable ones included), 3 an output could not be
made, 4 an output failed its validator, 64 usage (a wrong option, or a wrong
SOURCE_DATE_EPOCH or PRESSROOM_NOW).  Field reference: docs/writing-a-release.md"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def parser() -> argparse.ArgumentParser:
    """The argument parser (also used to document the commands)."""
    top = _Parser(prog="pressroom", description=DESCRIPTION, epilog=EPILOG,
                  formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=f"pressroom {__version__}")
    top.add_argument("--source", type=Path, default=Path("source"),
                     help="folder of release sources and publication.yaml (default: source)")
    top.add_argument("--styles", type=Path, default=Path("styles"),
                     help="folder of templates, stylesheets and fonts (default: styles)")
    sub = top.add_subparsers(dest="command", required=True, parser_class=_Parser,
                             metavar="{build,check,pack,new,schema,docs,preview,serve}")

    b = sub.add_parser("build", help="render outputs into dist/")
    b.add_argument("--dist", type=Path, default=Path("dist"), help="output folder (default: dist)")
    b.add_argument("--format", default=",".join(f for f in FORMATS if f not in ON_REQUEST),
                   help=f"comma-separated formats among {', '.join(FORMATS)} (default: all "
                        f"but {', '.join(sorted(ON_REQUEST))})")
    b.add_argument("--changed", nargs="*", default=None, metavar="PATH",
                   help="only what depends on these changed files")
    b.add_argument("--changed-from", type=Path, default=None, metavar="FILE",
                   help="the same, read from FILE, one path a line (make writes $? there, so "
                        "no file name ever passes through a shell)")
    b.add_argument("--paper", choices=[p.value for p in Paper],
                   help="paper size of PDF briefs (default: publication.yaml's, else a4)")
    b.add_argument("--quiet", action="store_true", help="print nothing but errors")
    b.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="worker processes for PDF and EPUB rendering (default: the cores)")
    b.add_argument("--engine", choices=ENGINES, default="pool",
                   help="where releases are rendered: pool (default: --jobs local worker "
                        "processes) or dask (pip install 'pressroom[cluster]'; the cluster at "
                        "--scheduler, else a local one of --jobs workers)")
    b.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="the Dask scheduler for --engine dask, e.g. tcp://10.0.0.5:8786")
    b.add_argument("--cache", type=Path, default=None, metavar="FILE",
                   help="cache of parsed sources (default: .build/cache/ beside the output "
                        "folder)")
    b.add_argument("--no-cache", action="store_true", help="parse every source afresh")
    b.add_argument("--state", type=Path, default=None, metavar="DIR",
                   help="tell make what the build decided, in DIR (make passes .build)")
    _now_option(b)
    b.add_argument("--drafts", action="store_true",
                   help="also build releases with status: draft, watermarked, into held/")

    p = sub.add_parser("pack", help="one briefing-pack PDF of many releases")
    p.add_argument("--dist", type=Path, default=Path("dist"), help="output folder (default: dist)")
    p.add_argument("--from", dest="start", type=_date, metavar="DATE",
                   help="only releases published on or after DATE (YYYY-MM-DD)")
    p.add_argument("--to", dest="end", type=_date, metavar="DATE",
                   help="only releases published on or before DATE (YYYY-MM-DD)")
    p.add_argument("--keyword", default="", help="only releases with this keyword")
    p.add_argument("--out", default=PACK_PATH,
                   help=f"path below the output folder (default: {PACK_PATH})")
    p.add_argument("--paper", choices=[p.value for p in Paper],
                   help="paper size (default: publication.yaml's, else a4)")
    _now_option(p)

    c = sub.add_parser("check", help="validate sources (and, with --dist, every built output)")
    c.add_argument("--dist", type=Path, default=None,
                   help="also validate the outputs in this folder with the real validators")
    _now_option(c)
    c.add_argument("--drafts", action="store_true",
                   help="the outputs were built with --drafts")

    n = sub.add_parser("new", help="start a release: source/<date>-<slug>.md to fill in")
    n.add_argument("headline", help="the headline (quote it)")
    n.add_argument("--language", default=None, help="BCP 47 tag (default: the publication's)")
    n.add_argument("--kind", choices=RELEASE["kind"].choices, default=RELEASE["kind"].default,
                   help=" or ".join(f"{kind} (default)" if kind == RELEASE["kind"].default
                                    else kind for kind in RELEASE["kind"].choices))
    n.add_argument("--slug", default=None,
                   help="file name after the date (default: from the headline)")
    n.add_argument("--date", type=_date, default=None,
                   help="YYYY-MM-DD (default: today in the publication's time zone)")

    v = sub.add_parser("preview", help="PNG pictures of every output and a contact sheet, "
                       ".build/preview/index.html")
    v.add_argument("--dist", type=Path, default=Path("dist"), help="built folder (default: dist)")
    v.add_argument("--resolution", type=int, default=80, metavar="DPI",
                   help="resolution of PDF page pictures (default: 80)")
    v.add_argument("--release", action="append", default=None, metavar="SLUG",
                   help="only this release's pictures (repeatable; default: everything)")
    v.add_argument("--quiet", action="store_true", help="print only the contact sheet's path")

    w = sub.add_parser("serve", help="serve dist/ locally, rebuild (make) on save, reload the page")
    w.add_argument("--dist", type=Path, default=Path("dist"),
                   help="folder to serve (default: dist; make builds into dist/)")
    w.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    w.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    w.add_argument("--open", action="store_true", help="open the site in a web browser")

    d = sub.add_parser("docs", help="the field reference page, generated from the field table")
    d.add_argument("--out", type=Path, default=None,
                   help="write it to FILE (default: print it, unless --readme is given)")
    d.add_argument("--readme", type=Path, default=None, metavar="FILE",
                   help="update the field table between the fields:start and fields:end "
                        "markers of FILE (make docs: README.md)")

    s = sub.add_parser("schema", help="print the JSON Schema of front matter or publication.yaml")
    s.add_argument("which", nargs="?", choices=("release", "publication"), default="release")
    return top


def main(argv: list[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run one command; return its exit code."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        try:
            with redirect_stdout(out):
                args = parser().parse_args(argv)
        except SystemExit as exc:  # --help, --version
            return exc.code if isinstance(exc.code, int) else 0
        return _run(args, out, err)
    except PressroomError as exc:
        print(str(exc), file=err)
        return exc.exit_code
    except KeyboardInterrupt:
        print("pressroom: interrupted", file=err)
        return 130
    except BrokenPipeError:  # output piped into `head` and closed
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as exc:  # a file or folder pressroom could not write or read
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"pressroom: {where}{exc.strerror or exc}", file=err)
        return RenderError.exit_code


def _now_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--now", type=_moment, default=None, metavar="DATE-TIME",
                         help="the moment embargoes are judged against, ISO 8601 with a zone "
                              "(default: $PRESSROOM_NOW, else the clock)")


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 date-time, e.g. "
                                         "2017-01-25T10:00:00Z") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no zone; add one, e.g. Z or +01:00")
    return moment


def _now(args: argparse.Namespace) -> datetime:
    """--now, else PRESSROOM_NOW, else the clock."""
    if getattr(args, "now", None) is not None:  # serve has no --now: make reads no option
        return args.now  # type: ignore[no-any-return]
    value = os.environ.get("PRESSROOM_NOW", "").strip()
    if not value:
        return datetime.now(UTC)
    try:
        return _moment(value)
    except argparse.ArgumentTypeError as exc:
        raise UsageError(f"PRESSROOM_NOW: {exc}") from None


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _source_date() -> datetime:
    """SOURCE_DATE_EPOCH (reproducible-builds.org), dating what no release dates: a whole
    number of seconds since 1970-01-01T00:00:00Z, in ASCII digits, up to the last moment the
    outputs can carry (load.schema.LAST)."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "0")
    latest = int(LAST.timestamp())
    if re.fullmatch(r"[0-9]{1,12}", value) and int(value) <= latest:
        return datetime.fromtimestamp(int(value), UTC)
    raise UsageError(f"SOURCE_DATE_EPOCH: {value!r} is not a number of seconds "
                     f"since 1970-01-01T00:00:00Z from 0 to {latest} "
                     f"({LAST:%Y-%m-%dT%H:%M:%SZ}); e.g. SOURCE_DATE_EPOCH=1485338400")


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.command == "schema":
        specs = RELEASE if args.which == "release" else PUBLICATION
        title = "pressroom release front matter" if args.which == "release" else \
            "pressroom publication.yaml"
        json.dump(json_schema(specs, title), out, indent=2, ensure_ascii=False, sort_keys=False)
        out.write("\n")
        return 0
    if args.command == "build":
        formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
        unknown = [f for f in formats if f not in FORMATS]
        if unknown or not formats:
            raise UsageError(f"pressroom build: unknown format {', '.join(unknown) or '(none)'};"
                             f" choose among {', '.join(FORMATS)}")
        given = args.changed
        if args.changed_from is not None:
            try:
                listed = args.changed_from.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                raise UsageError(f"{args.changed_from}: cannot read the changed files ({exc})"
                                 ) from None
            given = [*(given or ()), *(line for line in listed if line.strip())]
        changed = tuple(p for p in given if p != "FORCE") if given is not None else None
        options = BuildOptions(source_dir=args.source, styles_dir=args.styles,
                               dist_dir=args.dist, formats=formats, changed=changed,
                               paper=Paper(args.paper) if args.paper else None,
                               source_date=_source_date(), jobs=max(1, args.jobs),
                               cache=None if args.no_cache else
                               (args.cache or default_cache(args.dist)),
                               now=_now(args), drafts=args.drafts, state=args.state,
                               engine=args.engine, scheduler=args.scheduler)
        build(options, Progress(out, quiet=args.quiet, errors=err))
        return 0
    if args.command == "new":
        from pressroom.editor.new import new_release

        path = new_release(args.source, args.headline, today=args.date, language=args.language,
                           kind=args.kind, slug=args.slug)
        print(f"wrote {path}", file=out)
        print("next: write its summary and its text (below the closing ---), run make check, "
              "then set status: published", file=out)
        return 0
    if args.command == "preview":
        from pressroom.editor.preview import make_preview

        sheet = make_preview(args.dist, args.styles, resolution=args.resolution,
                             releases=args.release,
                             progress=(lambda line: None) if args.quiet else
                             (lambda line: print(line, file=out)))
        print(f"contact sheet: {sheet.resolve().as_uri()}", file=out)
        return 0
    if args.command == "serve":
        from pressroom.editor.serve import make_rebuild, serve, web_first

        root = Path.cwd()
        first = web_first(source=args.source, styles=args.styles, dist=args.dist,
                          now=lambda: _now(args), source_date=_source_date(),
                          say=lambda line: print(line, file=out, flush=True))
        return serve(root=root, dist_dir=args.dist, host=args.host, port=args.port,
                     rebuild=make_rebuild(root), watch=[args.source, args.styles], out=out,
                     open_browser=args.open, first=first)
    if args.command == "docs":
        from pressroom.load.docs import render_markdown, write_markdown, write_readme

        if args.out is None and args.readme is None:
            out.write(render_markdown())
            return 0
        if args.out is not None:
            print(f"wrote {args.out}" if write_markdown(args.out)
                  else f"{args.out} is up to date", file=out)
        if args.readme is not None:
            try:
                updated = write_readme(args.readme)
            except (OSError, ValueError) as exc:
                raise UsageError(f"{args.readme}: {exc}") from None
            print(f"updated the field table of {args.readme}" if updated
                  else f"{args.readme}'s field table is up to date", file=out)
        return 0
    if args.command == "pack":
        from pressroom.build import make_pack

        target = make_pack(args.source, args.styles, args.dist, args.out,
                           Selection(args.start, args.end, args.keyword),
                           Paper(args.paper) if args.paper else None, _now(args),
                           waiting=lambda line: print(f"pressroom: {line}", file=err))
        print(f"wrote {target}", file=out)
        return 0
    from pressroom.checks import check

    problems = check(args.source, args.styles, args.dist, _now(args), args.drafts,
                     report=lambda line: print(line, file=out),
                     warn=lambda line: print(line, file=err))
    for problem in problems:
        print(problem, file=err)
    return CHECK_FAILED if problems else 0
