"""`pressroom pack`: the briefing pack, one PDF of many releases with a cover, a contents page
with page numbers, bookmarks, and each release starting on a new page; its selection options,
refused output paths (outside dist/, or another output's), reproducibility, what a pack records
of its releases, packs following what is public (a release withdrawn or held back leaves every
pack), and `make pack`.

The sources are the test site (US Letter) and two short generated releases: four releases, each
one page long, so a pack of all of them has 2 + 4 pages.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from pressroom.checks.pdf import check_pdf, extract_text
from pressroom.errors import UsageError
from pressroom.load.site import load_site
from pressroom.packs import pack_releases
from pressroom.prepare.document import Document, prepare

from .conftest import FIXTURES, ROOT, Run, run

STYLES = ROOT / "styles"
PACK = Path("packs") / "briefing-pack.pdf"
EXTRA = (("2025-12-01", "december", "generated, budget"), ("2026-01-15", "january", "generated"))
WATER = "2026-03-10-water-rights"


def make_source(target: Path) -> Path:
    shutil.copytree(FIXTURES / "site", target)
    for day, name, keywords in EXTRA:
        (target / f"{day}-{name}.md").write_text(
            f"---\n# Unofficial test text.\nid: tag:press.example.org,{day}:ero/{name}\n"
            f"headline: The {name} release\nsummary: Summary of the {name} release.\n"
            f"published: {day}\nlanguage: en\nkeywords: [{keywords}]\n---\n\n"
            f"Body of the {name} release.\n", encoding="utf-8")
    return target


def pack(source: Path, dist: Path, *args: str) -> Run:
    return run("--source", str(source), "--styles", str(STYLES), "pack", "--dist", str(dist),
               *args)


def words(text: str) -> str:
    return " ".join(text.split())


def page_text(path: Path, number: int) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run([tool, "-enc", "UTF-8", "-f", str(number), "-l", str(number),
                             str(path), "-"], capture_output=True, check=True)
    return words(result.stdout.decode("utf-8"))


def page_count(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def outline(path: Path) -> list[tuple[str, int]]:
    """Top-level bookmarks: (title, 1-based page number of the destination)."""
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        with pdf.open_outline() as tree:
            return [(item.title, pages[item.destination[0].objgen])  # type: ignore[index]
                    for item in tree.root]


class Packed:
    def __init__(self, source: Path, dist: Path, result: Run) -> None:
        self.source, self.dist, self.result = source, dist, result
        self.path = dist / PACK
        self.docs: list[Document] = prepare(load_site(source))  # newest first


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> Packed:
    root = tmp_path_factory.mktemp("pack")
    source = make_source(root / "source")
    result = pack(source, root / "dist")
    assert result.code == 0, result.err
    return Packed(source, root / "dist", result)


def headlines(docs: list[Document]) -> list[str]:
    return [d.headline for d in docs]


# --- the default pack: every release -------------------------------------------------------------


def test_pack_of_every_release(packed: Packed) -> None:
    assert packed.result.out == f"wrote {packed.path}\n"
    assert packed.result.err == ""
    assert packed.path.read_bytes().startswith(b"%PDF-")
    assert [d.release.slug for d in packed.docs] == [
        WATER, "2026-02-01-short-note", "2026-01-15-january", "2025-12-01-december"]
    assert page_count(packed.path) == 2 + len(packed.docs)
    with pikepdf.open(packed.path) as pdf:  # the publication's paper
        assert [float(x) for x in pdf.pages[0].mediabox][2:] == pytest.approx([612, 792])


def test_cover_page(packed: Packed) -> None:
    cover = page_text(packed.path, 1)
    assert "Example Rights Office" in cover and "Briefing pack" in cover
    assert "4 releases, 1 December 2025 to 10 March 2026" in cover
    for doc in packed.docs:
        assert doc.headline not in cover


def test_contents_page_lists_every_release_with_its_page_number(packed: Packed) -> None:
    contents = page_text(packed.path, 2)
    assert contents.startswith("Contents")
    found = []
    for doc in packed.docs:
        match = re.search(re.escape(doc.headline) + r" \.{3,} (\d+)", contents)
        assert match, f"{doc.headline!r} not in the contents: {contents!r}"
        found.append(int(match.group(1)))
        assert doc.date_text in contents
    assert found == list(range(3, 3 + len(packed.docs)))


def test_each_release_starts_on_its_own_page(packed: Packed) -> None:
    for number, doc in enumerate(packed.docs, start=3):
        text = page_text(packed.path, number)
        others = [d.headline for d in packed.docs if d is not doc]
        assert doc.headline in text, number
        assert not [h for h in others if h in text], number
        assert doc.summary in text  # the page holds the release, not just its title
        assert f"Page {number} of {2 + len(packed.docs)}" in text


def test_every_sentence_is_in_the_pack(packed: Packed) -> None:
    from pressroom.checks.text import coverage as _coverage

    text = extract_text(packed.path)
    for doc in packed.docs:
        assert _coverage(doc, text, doc.release.slug) == []


def test_bookmarks_lead_to_each_release(packed: Packed) -> None:
    marks = [(title, page) for title, page in outline(packed.path)
             if title in headlines(packed.docs)]
    assert marks == [(d.headline, n) for n, d in enumerate(packed.docs, start=3)]
    assert "Contents" not in [title for title, _ in outline(packed.path)]


def test_pack_is_a_clean_tagged_pdf(packed: Packed) -> None:
    assert check_pdf(packed.path) == []
    with pikepdf.open(packed.path) as pdf:
        assert str(pdf.docinfo["/Title"]).startswith("Briefing pack")
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.MarkInfo.Marked


def test_same_sources_give_the_same_bytes(packed: Packed, tmp_path: Path) -> None:
    result = pack(packed.source, tmp_path / "dist", "--out", "packs/again.pdf")
    assert result.code == 0, result.err
    assert (tmp_path / "dist" / "packs" / "again.pdf").read_bytes() == packed.path.read_bytes()


# --- selection ------------------------------------------------------------------------------------


def test_from_and_to_select_a_date_range(packed: Packed, tmp_path: Path) -> None:
    result = pack(packed.source, tmp_path, "--from", "2026-01-15", "--to", "2026-02-01")
    assert result.code == 0, result.err
    chosen = [d for d in packed.docs
              if d.release.slug in ("2026-02-01-short-note", "2026-01-15-january")]
    assert page_count(tmp_path / PACK) == 2 + 2
    marks = [t for t, _ in outline(tmp_path / PACK) if t in headlines(packed.docs)]
    assert marks == headlines(chosen)
    assert "2 releases, 15 January 2026 to 1 February 2026" in page_text(tmp_path / PACK, 1)


def test_keyword_selects_releases_whatever_its_case(packed: Packed, tmp_path: Path) -> None:
    result = pack(packed.source, tmp_path, "--keyword", "WATER", "--out", "packs/water.pdf")
    assert result.code == 0, result.err
    path = tmp_path / "packs" / "water.pdf"
    assert page_count(path) == 3
    (water,) = [d for d in packed.docs if d.release.slug == WATER]
    assert [t for t, _ in outline(path) if t in headlines(packed.docs)] == [water.headline]
    cover = page_text(path, 1)
    assert "1 release," in cover and "WATER" in cover
    assert check_pdf(path) == []


@pytest.mark.parametrize("args", [
    ("--keyword", "no such keyword"),
    ("--from", "2030-01-01"),
    ("--to", "2000-01-01"),
    ("--from", "2026-03-01", "--to", "2026-01-01"),
    ("--from", "2026-01-02", "--to", "2026-01-14"),
], ids=["keyword", "from", "to", "reversed", "gap"])
def test_a_selection_matching_nothing_is_a_usage_error(packed: Packed, tmp_path: Path,
                                                       args: tuple[str, ...]) -> None:
    result = pack(packed.source, tmp_path, *args)
    assert result.code == UsageError.exit_code == 64
    assert "no release matches the selection" in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "packs").exists()


def test_a_bad_date_is_a_usage_error(packed: Packed, tmp_path: Path) -> None:
    result = pack(packed.source, tmp_path, "--from", "2026-13-01")
    assert result.code == 64
    assert "'2026-13-01' is not a date (YYYY-MM-DD)" in result.err


@pytest.mark.parametrize("out", ["../x.pdf", "packs/../../x.pdf", "ABSOLUTE", "packs/x.txt",
                                 "packs"])
def test_out_must_stay_inside_the_output_folder(packed: Packed, tmp_path: Path,
                                                out: str) -> None:
    dist = tmp_path / "a" / "dist"
    target = str(tmp_path / "abs.pdf") if out == "ABSOLUTE" else out
    result = pack(packed.source, dist, "--out", target)
    assert result.code == 64, result.err
    assert "--out must be a relative .pdf path inside the output folder" in result.err
    assert not list(tmp_path.rglob("*.pdf"))


@pytest.mark.parametrize("out", [f"pdf/{WATER}.pdf", "pdf/new.pdf", "images/x.pdf",
                                 "assets/fonts/x.pdf", "./pdf//x.pdf"])
def test_out_where_another_output_lives_is_refused(packed: Packed, tmp_path: Path,
                                                   out: str) -> None:
    """A pack written over a release's PDF (or among a format's files) would be overwritten or
    removed by the next build, or worse, kept: make would not know to repair the PDF."""
    dist = tmp_path / "dist"
    result = pack(packed.source, dist, "--out", out)
    assert result.code == 64, result.err
    assert f"--out {out} is where the " in result.err and "choose another path" in result.err
    assert "Traceback" not in result.err
    assert not list(tmp_path.rglob("*.pdf"))


# --- what a pack holds, and packs following what is public ---------------------------------------


def test_a_pack_records_the_ids_of_its_releases(packed: Packed) -> None:
    assert pack_releases(packed.path) == {d.release.id for d in packed.docs}


def test_a_pack_made_before_packs_recorded_their_releases_gives_their_slugs(
        packed: Packed, tmp_path: Path) -> None:
    old = tmp_path / "old.pdf"
    with pikepdf.open(packed.path) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            del meta["dc:relation"]
        pdf.save(old)
    assert pack_releases(old) == {d.release.slug for d in packed.docs}


def test_a_pdf_that_is_no_pack_has_no_pack_releases(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(tmp_path / "brief.pdf")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7 and nothing else")
    for name in ("brief.pdf", "broken.pdf", "missing.pdf"):
        with pytest.raises(ValueError, match=name):
            pack_releases(tmp_path / name)


DECEMBER = "2025-12-01-december"
JANUARY = "2026-01-15-january"


def _edit(source: Path, slug: str, old: str, new: str) -> None:
    path = source / f"{slug}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_packs_follow_what_is_public(tmp_path: Path) -> None:
    """A build remakes every pack holding a release that is no longer public (withdrawn, held
    back by an embargo) of those of its releases that still are, with its keyword and on its
    paper, as `pressroom pack` would make it now; a pack left with none is removed."""
    source, dist = make_source(tmp_path / "source"), tmp_path / "dist"

    def build(*args: str) -> None:
        result = run("--source", str(source), "--styles", str(STYLES), "build", "--dist",
                     str(dist), "--quiet", "--format", "pdf", *args)
        assert result.code == 0, result.err

    def made(out: str, *args: str, now: str = "2026-06-01T00:00:00Z") -> bytes:
        fresh = tmp_path / "fresh" / out
        result = pack(source, fresh, "--out", "p.pdf", "--now", now, *args)
        assert result.code == 0, result.err
        return (fresh / "p.pdf").read_bytes()

    build()
    for out, args in (("packs/briefing-pack.pdf", ()),
                      ("briefings/generated.pdf", ("--keyword", "generated", "--paper", "a4")),
                      ("packs/budget.pdf", ("--keyword", "budget"))):
        assert pack(source, dist, "--out", out, *args).code == 0
    untouched = (dist / "briefings" / "generated.pdf").read_bytes()
    build()  # nothing changed: no pack is touched
    assert (dist / "briefings" / "generated.pdf").read_bytes() == untouched

    _edit(source, DECEMBER, "language: en\n", "language: en\nstatus: withdrawn\nwithdrawn:\n"
          "  date: 2026-01-02\n  reason: Published in error.\n")
    build()
    december = "tag:press.example.org,2025-12-01:ero/december"
    assert not (dist / "packs" / "budget.pdf").exists()  # it held only December
    for out, args in (("packs/briefing-pack.pdf", ()),
                      ("briefings/generated.pdf", ("--keyword", "generated", "--paper", "a4"))):
        assert december not in pack_releases(dist / out)
        assert (dist / out).read_bytes() == made(out, *args), out
    assert page_count(dist / "briefings" / "generated.pdf") == 3  # cover, contents, January

    _edit(source, JANUARY, "language: en\n",
          "language: en\nembargo_until: 2026-01-15T10:00:00Z\n")
    build("--now", "2026-01-10T00:00:00Z")
    assert not (dist / "briefings" / "generated.pdf").exists()  # January was all it held
    assert (dist / "packs" / "briefing-pack.pdf").read_bytes() == made(
        "packs/briefing-pack.pdf", now="2026-01-10T00:00:00Z")
    assert len(pack_releases(dist / "packs" / "briefing-pack.pdf")) == 2


def test_out_may_name_a_subfolder_and_paper_may_change(packed: Packed, tmp_path: Path) -> None:
    result = pack(packed.source, tmp_path, "--keyword", "budget", "--out", "briefings/x.pdf",
                  "--paper", "a4")
    assert result.code == 0, result.err
    assert result.out == f"wrote {tmp_path / 'briefings' / 'x.pdf'}\n"
    path = tmp_path / "briefings" / "x.pdf"
    assert page_count(path) == 3
    with pikepdf.open(path) as pdf:  # --paper overrides publication.yaml's letter
        assert [float(x) for x in pdf.pages[0].mediabox][2:] == pytest.approx([595.28, 841.89],
                                                                             abs=0.1)


# --- make pack ------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
def test_make_pack_in_a_copy_of_the_project(tmp_path: Path) -> None:
    """`make pack KEYWORD=... FROM=...` runs `pressroom pack` (only: no other output is built).
    The copy is set up as in test_make.py: the venv's pressroom, the copy's src/ on
    PYTHONPATH, and a READY stamp newer than pyproject.toml so make never runs pip."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, root / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "src", root / "src", ignore=ignore)
    shutil.copytree(STYLES, root / "styles", ignore=ignore)
    make_source(root / "source")
    ready = root / "venv-ready.stamp"
    ready.touch()
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKELEVEL", "MFLAGS", "MAKEOVERRIDES", "MAKEFILES")}
    env.update(MAKEFLAGS="", LC_ALL="C.UTF-8", PYTHONPATH=os.pathsep.join(
        [str(root / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]))
    result = subprocess.run(["make", f"VENV={sys.prefix}", f"READY={ready}", "pack",
                             "KEYWORD=generated", "FROM=2026-01-01"],
                            cwd=root, env=env, capture_output=True, text=True, timeout=300,
                            check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "pip install" not in output and "Traceback" not in output
    assert "wrote dist/packs/briefing-pack.pdf" in result.stdout
    path = root / "dist" / PACK
    assert page_count(path) == 3  # only the January release: generated, from 2026
    assert "The january release" in page_text(path, 3)
    made = [p.relative_to(root / "dist").as_posix() for p in (root / "dist").rglob("*")
            if p.is_file()]
    assert made == [PACK.as_posix()]


def test_make_check_finds_a_withdrawn_release_in_a_pack(tmp_path: Path) -> None:
    """A pack left holding a release withdrawn since (the pdf build not yet run) is a problem
    `make check` names; the packs of public releases are not."""
    from datetime import UTC, datetime

    from pressroom.checks import check_packs
    from pressroom.plan import visibility

    source, dist = make_source(tmp_path / "source"), tmp_path / "dist"
    assert pack(source, dist, "--out", "packs/briefing-pack.pdf").code == 0
    now = datetime(2026, 6, 1, tzinfo=UTC)

    def public() -> list[Document]:
        return visibility.plan(prepare(load_site(source)), now).public

    assert check_packs(public(), dist) == []
    _edit(source, DECEMBER, "language: en\n", "language: en\nstatus: withdrawn\nwithdrawn:\n"
          "  date: 2026-01-02\n  reason: Published in error.\n")
    problems = check_packs(public(), dist)
    assert problems == [f"{dist / 'packs' / 'briefing-pack.pdf'}: holds "
                        "'tag:press.example.org,2025-12-01:ero/december', which is not public; "
                        "run make"]
