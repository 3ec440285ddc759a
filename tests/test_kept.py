"""What a build keeps in .build/ for the next one (compiled templates, renderings of releases
that did not change, scaled photos) and the processes it starts ahead or beside itself: each
saves time, none may change a byte of what is published."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from pressroom import media
from pressroom.build import BuildOptions, ahead_workers
from pressroom.load.site import load_site
from pressroom.prepare import templates
from pressroom.prepare.document import prepare

from .conftest import FIXTURES, ROOT, build, build_ok, snapshot

STYLES = ROOT / "styles"
NEWSROOM = FIXTURES / "newsroom"
PHOTO = NEWSROOM / "images"


@pytest.fixture
def keeping(tmp_path: Path):  # type: ignore[no-untyped-def]
    """templates.keep and media.keep on a folder of the test's own, undone afterwards."""
    templates.keep(tmp_path / "templates")
    media.keep(tmp_path / "pictures")
    templates._environment.cache_clear()
    yield tmp_path
    templates.keep(None)
    media.keep(None)
    templates._environment.cache_clear()


def _photo() -> Path:
    return next(p for p in sorted(PHOTO.iterdir()) if p.suffix.lower() in (".jpg", ".jpeg"))


def test_a_photo_is_scaled_once_and_the_kept_photo_is_the_same_bytes(
        keeping: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = media.prepare(_photo())
    assert len(list((keeping / "pictures").iterdir())) == 1

    def no_scaling(data: bytes, format_: str) -> tuple[bytes, tuple[int, int]]:
        raise AssertionError("the kept photo was not used")

    monkeypatch.setattr(media, "_raster", no_scaling)
    assert media.prepare(_photo()) == fresh


def test_a_changed_photo_is_scaled_again(keeping: Path, tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    shutil.copy(_photo(), photo)
    first = media.prepare(photo)
    from PIL import Image

    with Image.open(photo) as image:
        image.transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(photo, "JPEG")
    second = media.prepare(photo)
    assert second.data != first.data
    assert len(list((keeping / "pictures").iterdir())) == 2


def test_a_kept_rendering_serves_only_the_same_release_templates_and_code(
        keeping: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles)
    doc = prepare(load_site(FIXTURES / "site", styles_dir=styles))[0]
    first = templates.release_xhtml(styles, doc, "epub", stylesheets=["style.css"])
    assert (keeping / "templates" / "rendered" / "epub" / f"{doc.release.slug}.html").is_file()

    def no_render(*args: object, **kwargs: object) -> str:
        raise AssertionError("rendered again")

    with monkeypatch.context() as patched:  # the same release, templates and code: kept
        patched.setattr(templates, "render", no_render)
        assert templates.release_xhtml(styles, doc, "epub", stylesheets=["style.css"]) == first
    changed = dataclasses.replace(doc, headline="Another headline")
    assert "Another headline" in templates.release_xhtml(styles, changed, "epub",
                                                         stylesheets=["style.css"])
    article = styles / "templates" / "_article.html"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "<article", "<article data-edited=\"yes\"", 1), encoding="utf-8")
    templates._templates_text.cache_clear()
    templates._environment.cache_clear()
    assert 'data-edited="yes"' in templates.release_xhtml(styles, doc, "epub",
                                                           stylesheets=["style.css"])


def test_only_the_renderings_collections_repeat_are_kept(keeping: Path) -> None:
    doc = prepare(load_site(FIXTURES / "site", styles_dir=STYLES))[0]
    templates.release_xhtml(STYLES, doc, "pdf")
    templates.article(STYLES, doc, "feed")
    kept = {p.parent.name for p in (keeping / "templates" / "rendered").rglob("*.html")}
    assert kept == {"feed"}


def test_a_build_with_what_it_kept_equals_a_build_without(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(NEWSROOM, source)
    build_ok(source, tmp_path / "first", "--now", "2026-05-01T00:00:00Z")
    kept = tmp_path / ".build" / "cache"
    assert any((kept / "templates" / "compiled").iterdir())
    assert any((kept / "templates" / "rendered" / "epub").iterdir())
    assert any((kept / "pictures").iterdir())
    build_ok(source, tmp_path / "second", "--now", "2026-05-01T00:00:00Z")
    build_ok(source, tmp_path / "clean", "--no-cache", "--now", "2026-05-01T00:00:00Z")
    clean = _bytes(tmp_path / "clean")
    assert _bytes(tmp_path / "first") == clean
    assert _bytes(tmp_path / "second") == clean


def _bytes(dist: Path) -> dict[str, str]:
    """Each file's hash (not its time)."""
    return {name: digest for name, (_, digest) in snapshot(dist).items()}


def _options(source: Path, **kwargs: object) -> BuildOptions:
    values: dict[str, object] = {"source_dir": source, "styles_dir": STYLES,
                                 "dist_dir": source.parent / "dist",
                                 "formats": ("pdf", "epub", "html"), "jobs": 2}
    values.update(kwargs)
    return BuildOptions(**values)  # type: ignore[arg-type]


def test_workers_are_started_ahead_only_for_briefs_to_lay_out(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(FIXTURES / "site", source)
    one = source / "2026-02-01-short-note.md"
    assert ahead_workers(_options(source)) == 2  # two releases, two workers
    assert ahead_workers(_options(source, changed=(str(one),))) == 1
    assert ahead_workers(_options(source, changed=(str(source / "publication.yaml"),))) == 2
    assert ahead_workers(_options(source, jobs=1)) == 1
    assert ahead_workers(_options(source, formats=("epub", "html"))) == 0
    assert ahead_workers(_options(source, engine="dask")) == 0
    for release in source.glob("*-water-rights.md"):
        release.unlink()
    assert ahead_workers(_options(source)) == 1  # one release: one brief


def test_a_warm_up_that_fails_leaves_the_brief_to_its_own_task(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An initializer that raised would have the pool start workers forever: the warm-up's
    failure is swallowed, and the brief is laid out (the same bytes) by the task."""
    from pressroom.render import pdfwriter

    build_ok(FIXTURES / "site", tmp_path / "plain", "--no-cache", "--format", "pdf")

    def broken(styles_dir: Path, source_dir: Path) -> None:
        raise RuntimeError("no warm-up today")

    monkeypatch.setattr(pdfwriter, "warm", broken)  # forked workers inherit it
    build_ok(FIXTURES / "site", tmp_path / "cold", "--no-cache", "--format", "pdf")
    assert _bytes(tmp_path / "cold") == _bytes(tmp_path / "plain")


def test_an_error_in_the_process_beside_is_told_by_the_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pressroom.errors import RenderError
    from pressroom.render import epub

    def failing(doc: object, job: object) -> list[tuple[str, bytes]]:
        raise RenderError("epub: the book could not be made")

    monkeypatch.setattr(epub, "render_release", failing)  # the forked process inherits it
    outcome = build(FIXTURES / "site", tmp_path / "dist", "--no-cache")
    assert outcome.code == 3, outcome.err
    assert "epub: the book could not be made" in outcome.err
    assert "Traceback" not in outcome.err


@pytest.mark.parametrize("fixture", ["site", "newsroom", "languages", "corpus"])
def test_a_release_read_from_the_cache_is_the_release_parsed(fixture: str, tmp_path: Path) -> None:
    """A kept rendering is found by the release as prepared (its repr): a release loaded from
    the source cache must show the same repr as the same release parsed, or every build after
    the first would render every chapter and feed entry again (the cache's JSON sorts what
    the parser keeps in file order: lines of fields, which no output shows)."""
    from pressroom.cache import SourceCache

    source = FIXTURES / fixture
    cache = SourceCache(tmp_path / "sources.json", source)
    parsed = prepare(load_site(source, cache, styles_dir=STYLES), cache)
    cache.save()
    again = SourceCache(tmp_path / "sources.json", source)
    cached = prepare(load_site(source, again, styles_dir=STYLES), again)
    assert again.entries and not again.dirty  # every release came from the cache
    assert [repr(d) for d in cached] == [repr(d) for d in parsed]
