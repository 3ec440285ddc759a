"""An incremental build gives the same dist/ as a clean build of the same sources (issue 13,
row 6): random sequences of edits — add, delete, translate, withdraw, embargo, re-picture at
any depth, change a style — each followed by the build make would run (told what changed, as
make's `$?` tells it), end in the bytes a clean build makes."""

from __future__ import annotations

import hashlib
import random
import re
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import ROOT, release_text, run

NOW = "2026-06-01T12:00:00Z"
SITE = ROOT / "tests" / "fixtures" / "site"
CAP = 7
"""Releases at most: an edit that would add one deletes one instead (keeps each build short)."""


def hashes(dist: Path) -> dict[str, str]:
    """sha256 of every file below dist/, by path."""
    return {p.relative_to(dist).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(dist.rglob("*")) if p.is_file()}


class Project:
    """A small site under `root`: source/, styles/, dist/ and the build's records in .build/."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.source = root / "source"
        self.styles = root / "styles"
        shutil.copytree(SITE, self.source)
        shutil.copytree(ROOT / "styles", self.styles)
        self.serial = 0
        self.rng = random.Random(0)

    def build(self, dist: Path, changed: list[Path] | None) -> None:
        """`pressroom build`, as make runs it: with what changed (None: everything)."""
        argv = ["--source", str(self.source), "--styles", str(self.styles), "build", "--dist",
                str(dist), "--quiet", "--jobs", "2", "--now", NOW,
                "--state", str(dist.parent / ".build")]
        if changed is not None:
            argv += ["--changed", *(str(p) for p in changed)]
        result = run(*argv)
        assert result.code == 0, result.err

    def clean(self, where: Path) -> dict[str, str]:
        """The dist/ of a clean build of the current sources, by path: sha256."""
        dist = where / "dist"
        self.build(dist, None)
        return hashes(dist)

    # --- edits: each returns the files make would see as changed ---------------------------

    def releases(self) -> list[Path]:
        return sorted(self.source.glob("*.md"))

    def add(self) -> list[Path]:
        if len(self.releases()) >= CAP:
            return self.delete()
        self.serial += 1
        day = (date(2025, 1, 1) + timedelta(days=self.serial)).isoformat()
        path = self.source / f"{day}-added-{self.serial}.md"
        path.write_text(release_text(day, f"added-{self.serial}"), encoding="utf-8")
        return [path]

    def group(self, path: Path) -> list[Path]:
        """The releases in `path`'s translation group (itself included)."""
        found = re.search(r"(?m)^translation_group: (.*)$", path.read_text(encoding="utf-8"))
        if found is None:
            return [path]
        return [p for p in self.releases()
                if f"translation_group: {found.group(1)}\n" in p.read_text(encoding="utf-8")]

    def delete(self) -> list[Path]:
        """An added release, or a translation whose group keeps two versions."""
        mine = [p for p in self.releases() if ("-added-" in p.name or "-in-" in p.name)
                and len(self.group(p)) != 2]
        if mine:
            self.rng.choice(mine).unlink()
        return []  # make passes nothing: the list of sources changed, so it re-plans

    def translate(self) -> list[Path]:
        """Another language version of a release (the first one gets the group key too)."""
        if len(self.releases()) >= CAP:
            return self.delete()
        self.serial += 1
        original = self.rng.choice(self.releases())
        text = original.read_text(encoding="utf-8")
        changed = []
        if "translation_group:" not in text:
            text = text.replace("\n---\n", "\ntranslation_group: group-"
                                f"{original.stem}\n---\n", 1)
            original.write_text(text, encoding="utf-8")
            changed.append(original)
        group = text.split("translation_group: ", 1)[1].split("\n", 1)[0]
        taken = {re.search(r"(?m)^language: (.*)$", p.read_text(encoding="utf-8")).group(1)
                 for p in self.group(original)}  # type: ignore[union-attr]
        free = [tag for tag in ("fr", "es", "de", "it", "pt") if tag not in taken]
        if not free:
            return changed
        language = self.rng.choice(free)
        day = original.name[:10]
        path = self.source / f"{day}-in-{language}-{self.serial}.md"
        path.write_text(
            f"---\nid: tag:press.example.org,{day}:ero/in-{language}-{self.serial}\n"
            f"headline: Version {self.serial}\nsummary: Version {self.serial} of a release.\n"
            f"published: {day}\nlanguage: {language}\ntranslation_group: {group}\n---\n\n"
            f"Texte {self.serial}.\n", encoding="utf-8")
        return [*changed, path]

    def withdraw(self) -> list[Path]:
        path = self.rng.choice(self.releases())
        text = path.read_text(encoding="utf-8")
        if "status: withdrawn" in text or "embargo_until:" in text:
            return []
        path.write_text(text.replace("\n---\n", "\nstatus: withdrawn\nwithdrawn:\n  date: "
                                     "2026-05-30T08:00:00Z\n  reason: Sent in error.\n---\n", 1),
                        encoding="utf-8")
        return [path]

    def embargo(self) -> list[Path]:
        path = self.rng.choice(self.releases())
        text = path.read_text(encoding="utf-8")
        if "embargo_until:" in text or "status: withdrawn" in text:
            return []
        text = re.sub(r"(?m)^published: .*$", "published: 2026-07-01T09:00:00Z", text, count=1)
        text = re.sub(r"(?m)^updated: .*\n", "", text)  # never before `published`
        path.write_text(text.replace("\n---\n", "\nembargo_until: 2026-07-01T09:00:00Z\n---\n",
                                     1), encoding="utf-8")
        return [path]

    def picture(self) -> list[Path]:
        """A picture two folders deep, drawn anew (or first shown) by a release."""
        self.serial += 1
        picture = self.source / "images" / "2026" / "p.png"
        picture.parent.mkdir(parents=True, exist_ok=True)
        shade = self.rng.randrange(256)
        Image.new("RGB", (40, 30), (shade, 90, 160)).save(picture)
        changed = [picture]
        path = self.rng.choice(self.releases())
        text = path.read_text(encoding="utf-8")
        if "images/2026/p.png" not in text:
            path.write_text(text.rstrip("\n") + "\n\n![A test picture](images/2026/p.png)\n",
                            encoding="utf-8")
            changed.append(path)
        return changed

    def restyle(self) -> list[Path]:
        css = self.styles / "base.css"
        css.write_text(css.read_text(encoding="utf-8") + f"\n/* edit {self.serial} */\n",
                       encoding="utf-8")
        self.serial += 1
        return [css]


EDITS: dict[str, Callable[[Project], list[Path]]] = {
    name: getattr(Project, name)
    for name in ("add", "delete", "translate", "withdraw", "embargo", "picture", "restyle")}


@pytest.mark.slow  # 50 sequences of builds
def test_incremental_builds_equal_clean_builds_after_any_edits(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    dist = project.root / "dist"
    project.build(dist, None)
    draw = random.Random(2026)
    for run_number in range(50):
        names = [draw.choice(sorted(EDITS)) for _ in range(3)]
        for name in names:
            project.build(dist, EDITS[name](project))
        clean = project.clean(tmp_path / f"clean-{run_number}")
        assert hashes(dist) == clean, f"run {run_number}: after {names}"
        shutil.rmtree(tmp_path / f"clean-{run_number}")


def test_a_new_translation_is_linked_from_the_versions_already_built(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    dist = project.root / "dist"
    project.build(dist, None)
    project.rng = random.Random(1)
    changed = project.translate()
    project.build(dist, changed)
    changed = project.translate()  # a third version: the first two must link to it
    project.build(dist, changed)
    assert hashes(dist) == project.clean(tmp_path / "clean")


def test_a_picture_two_folders_deep_renders_its_release_again(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    dist = project.root / "dist"
    project.build(dist, None)
    project.build(dist, project.picture())
    project.build(dist, project.picture()[:1])  # only the picture changed
    assert hashes(dist) == project.clean(tmp_path / "clean")


@pytest.mark.slow  # nested make
def test_make_sees_a_picture_redrawn_two_folders_deep(tmp_path: Path) -> None:
    """A picture at any depth under source/ that a release shows is one of make's
    prerequisites (PICTURES in .build/outputs.mk): redrawing it renders that release again."""
    from tests.test_make import new_project, ok

    project = new_project(tmp_path / "project")
    picture = project.root / "source" / "images" / "2026" / "deep.png"
    picture.parent.mkdir(parents=True)
    Image.new("RGB", (40, 30), (200, 90, 160)).save(picture)
    release = project.root / "source" / "2026-02-01-short-note.md"
    release.write_text(release.read_text(encoding="utf-8")
                       + "\n![A deep picture](images/2026/deep.png)\n", encoding="utf-8")
    ok(project.make())
    published = project.dist / "images" / "2026-02-01-short-note--deep.png"
    before = published.read_bytes()
    project.age()
    Image.new("RGB", (40, 30), (20, 190, 60)).save(picture)  # redrawn now
    assert project.make("-q").returncode != 0, "make should see the picture changed"
    ok(project.make())
    assert published.read_bytes() != before
    assert project.make("-q").returncode == 0


def test_a_language_tagged_all_keeps_the_all_releases_digest(tmp_path: Path) -> None:
    """`all` is a language tag (Allar): its digest has a folder of its own, apart from the
    digest of every release."""
    import zipfile

    project = Project(tmp_path / "project")
    (project.source / "2026-04-01-allar.md").write_text(
        "---\nid: tag:press.example.org,2026-04-01:ero/allar\nheadline: A release in Allar\n"
        "summary: A summary.\npublished: 2026-04-01\nlanguage: all\n---\n\nA body.\n",
        encoding="utf-8")
    dist = project.root / "dist"
    project.build(dist, None)
    digests = dist / "epub" / "digests"
    with zipfile.ZipFile(digests / "all.epub") as every:
        chapters = {n.rsplit("/", 1)[-1] for n in every.namelist()}
    assert {f"{p.stem}.xhtml" for p in project.releases()} <= chapters
    assert (digests / "language" / "all.epub").is_file()
    assert (digests / "language" / "en.epub").is_file()
