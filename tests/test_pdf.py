"""The PDF brief: PDF/UA structure, metadata, paper sizes, and a fetcher that reads nothing else."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from pressroom.checks.pdf import check_pdf
from pressroom.errors import SourceError
from pressroom.render.pdfwriter import STYLES_URL, RootedFetcher

from .conftest import ROOT, Built, run

SEED_PDF = "pdf/2017-01-25-mexico-defenders.pdf"


def test_seed_pdf_is_clean(seed_build: Built) -> None:
    assert check_pdf(seed_build.dist / SEED_PDF) == []


def test_metadata_and_tagging(seed_build: Built) -> None:
    with pikepdf.open(seed_build.dist / SEED_PDF) as pdf:
        info = pdf.docinfo
        assert str(info["/Title"]).startswith("Fighting impunity is the best way")
        assert str(info["/Author"]) == "UN News"
        assert "human rights defenders" in str(info["/Keywords"])
        assert str(info["/Subject"]).startswith("25 January 2017 – A United Nations")
        assert str(info["/CreationDate"]) == "D:20170125120000-05'00"
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.MarkInfo.Marked
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        meta = pdf.open_metadata()
        assert meta["xmpMM:DocumentID"].startswith("tag:press.example.org,2017-01-25:")
        assert meta["pdfuaid:part"] == "1"
        assert [float(x) for x in pdf.pages[0].mediabox][2:] == pytest.approx([595.28, 841.89],
                                                                             abs=0.1)


def test_page_numbers_are_artifacts(seed_build: Built) -> None:
    """'Page 1 of 1' is printed, but as a pagination artifact, not untagged content."""
    with pikepdf.open(seed_build.dist / SEED_PDF) as pdf:
        operators = list(pikepdf.parse_content_stream(pdf.pages[0]))
    artifacts = [operands for operands, op in operators
                 if str(op) == "BDC" and operands[0] == "/Artifact"]
    assert artifacts, "the page number should be marked as an artifact"


def test_checker_catches_weasyprints_untagged_margin_boxes(
        seed_build: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pressroom's wrapping (render/pdfmargins.py), the page number is outside the
    structure tree."""
    from weasyprint import CSS, HTML, draw
    from weasyprint.pdf import tags

    for module, name in ((draw, "draw_stacking_context"), (tags, "_build_box_tree")):
        wrapped = getattr(module, name)
        monkeypatch.setattr(module, name, getattr(wrapped, "__wrapped__", wrapped))

    from pressroom.load.site import load_site
    from pressroom.prepare import templates as theme
    from pressroom.prepare.document import prepare

    (doc,) = prepare(load_site(ROOT / "source"))
    xhtml = theme.release_xhtml(ROOT / "styles", doc, "pdf")
    css = [CSS(filename=str(ROOT / "styles" / n)) for n in ("base.css", "print.css")]
    raw = HTML(string=xhtml, base_url=str(ROOT / "styles") + "/").write_pdf(
        stylesheets=css, pdf_variant="pdf/ua-1")
    problems = check_pdf(io.BytesIO(raw))  # type: ignore[arg-type]
    assert any("not in structure tree" in p for p in problems)


def test_letter_paper(site_build: Built) -> None:
    """publication.yaml's `paper: letter` gives US Letter pages."""
    with pikepdf.open(site_build.dist / "pdf" / "2026-02-01-short-note.pdf") as pdf:
        assert [float(x) for x in pdf.pages[0].mediabox][2:] == pytest.approx([612, 792])


def test_paper_option_overrides(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    result = run("--source", str(ROOT / "source"), "build", "--dist", str(dist), "--format",
                 "pdf", "--paper", "letter", "--quiet")
    assert result.code == 0, result.err
    with pikepdf.open(dist / SEED_PDF) as pdf:
        assert [float(x) for x in pdf.pages[0].mediabox][2:] == pytest.approx([612, 792])


@pytest.mark.parametrize("url", [
    "http://example.org/style.css",
    "https://example.org/x.png",
    "file:///etc/passwd",
    "file:///pressroom/sourcex/a.png",
    "file:///pressroom/source//etc/passwd",
    "file:///pressroom/source/../../etc/passwd",
    "data:text/css,body{}",
    "file://otherhost/etc/passwd",
])
def test_fetcher_refuses_everything_outside_source_and_styles(url: str) -> None:
    fetcher = RootedFetcher(ROOT / "source", ROOT / "styles")
    with pytest.raises(PermissionError):
        fetcher.fetch(url)


def test_fetcher_refuses_escapes_from_styles() -> None:
    fetcher = RootedFetcher(ROOT / "source", ROOT / "styles")
    with pytest.raises(PermissionError):
        fetcher.fetch(STYLES_URL + "../pyproject.toml")
    with pytest.raises(PermissionError):  # the real address is not served either
        fetcher.fetch((ROOT / "styles" / "print.css").as_uri())
    assert fetcher.fetch(STYLES_URL + "print.css") is not None


def test_a_logo_outside_source_is_a_source_error(site_copy: Path, tmp_path: Path) -> None:
    publication = site_copy / "publication.yaml"
    publication.write_text(publication.read_text() + "logo: ../../../etc/passwd\n")
    result = run("--source", str(site_copy), "--styles", str(ROOT / "styles"), "build",
                 "--dist", str(tmp_path / "dist"), "--format", "pdf")
    assert result.code == SourceError.exit_code  # refused before rendering (issue 13)
    assert "logo: '../../../etc/passwd' must be a path below source/" in result.err
    assert "Traceback" not in result.err and not (tmp_path / "dist").exists()


LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
        '<rect width="120" height="40" fill="#0b5394"/><text x="60" y="26" font-size="16" '
        'font-family="Pressroom Sans" text-anchor="middle" fill="#fff">ERO</text></svg>')
"""Text in an SVG must name one of pressroom's families, or a system font gets embedded."""


def test_logo_on_the_letterhead_is_a_tagged_figure(site_copy: Path, tmp_path: Path) -> None:
    (site_copy / "logo.svg").write_text(LOGO)
    publication = site_copy / "publication.yaml"
    publication.write_text(publication.read_text() + "logo: logo.svg\n")
    dist = tmp_path / "dist"
    result = run("--source", str(site_copy), "--styles", str(ROOT / "styles"), "build",
                 "--dist", str(dist), "--format", "pdf", "--quiet")
    assert result.code == 0, result.err
    path = dist / "pdf" / "2026-02-01-short-note.pdf"
    assert check_pdf(path) == []
    with pikepdf.open(path) as pdf:
        figures = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary)
                   and o.get("/S") == "/Figure"]
        assert [str(f.get("/Alt")) for f in figures] == [
            "Example Rights Office",
            "QR code of the web address https://press.example.org/ero/releases/2026-02-01-short-note.html"]


@pytest.mark.skipif(shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None,
                    reason="zbar-tools (make test installs it) or poppler-utils missing")
def test_the_printed_qr_code_scans_as_the_release_s_address(seed_build: Built,
                                                            tmp_path: Path) -> None:
    """The code on the brief, printed at 150 dpi and read by a real scanner (zbar), is the
    web page's address: whatever mask pattern pressroom picks, a phone reads it."""
    [pdf] = sorted((seed_build.dist / "pdf").glob("*.pdf"))
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    scanned = set()
    for page in sorted(tmp_path.glob("page*.png")):
        found = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable",
                                str(page)], capture_output=True, text=True)
        scanned |= set(found.stdout.split())
    assert scanned == {f"https://press.example.org/un-news/releases/{pdf.stem}.html"}
