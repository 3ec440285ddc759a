"""`pressroom new`: a release file to fill in, never written over an existing one."""

from __future__ import annotations

import os
import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pressroom.editor import new as scaffold
from pressroom.editor.new import new_release, slugify, tag_id
from pressroom.errors import SourceError, UsageError
from pressroom.load import yamlnodes
from pressroom.load.fields import RELEASE
from pressroom.load.site import load_site
from tests.conftest import ROOT, run

DAY = date(2026, 11, 28)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A source/ with the seed's publication.yaml and release."""
    folder = tmp_path / "source"
    shutil.copytree(ROOT / "source", folder)
    return folder


def _front(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    node = yamlnodes.load(text.split("\n---\n", 1)[0].removeprefix("---\n"), 2)
    return {key: value.value for key, value in node.value.items()}


def _line(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").split("\n").index(text) + 1


def test_new_release_has_the_required_fields_filled_or_left_to_write(source: Path) -> None:
    path = new_release(source, "UN expert urges action on Mexico defenders", today=DAY)
    assert path == source / "2026-11-28-un-expert-urges-action-on-mexico.md"
    front = _front(path)
    assert front == {"id": "tag:press.example.org,2026-11-28:un-news/un-expert-urges-action-on-"
                           "mexico", "kind": "press-release",
                     "headline": "UN expert urges action on Mexico defenders",
                     "status": "draft",
                     "summary": None, "published": "2026-11-28", "language": "en"}
    text = path.read_text(encoding="utf-8")
    for name, spec in RELEASE.items():  # every optional field, commented, with its help
        if not spec.required and name not in ("kind", "status"):
            assert f"\n# {name}:" in text, name
            assert spec.help.split()[0] in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_a_new_release_is_a_draft_whose_gaps_are_warnings_until_it_is_published(
        source: Path, tmp_path: Path) -> None:
    path = new_release(source, "UN expert urges action", today=DAY)
    result = run("--source", str(source), "check")
    assert result.code == 0  # the seed still builds: the draft is left out
    lines = path.read_text(encoding="utf-8").split("\n")
    summary_line = _line(path, "summary:")
    body_line = lines.index("---", 1) + 2  # the line after the closing '---'
    assert lines[body_line - 1:] == ["", ""]
    assert result.err.splitlines() == [
        f"{path}:{summary_line}: summary: must not be empty; e.g. "
        f"{RELEASE['summary'].example!r} (draft: not published)",
        f"{path}:{body_line}: body: the release has no text after the front matter "
        "(draft: not published)",
    ]
    filled = path.read_text(encoding="utf-8").replace(
        "\nsummary:\n", "\nsummary: A United Nations expert urged action today.\n")
    path.write_text(filled + "The expert spoke in Geneva.\n", encoding="utf-8")
    checked = run("--source", str(source), "check")
    assert (checked.code, checked.out, checked.err) == (
        0, "sources: 2 release(s) valid, 1 public\n", "")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "\nstatus: draft\n", "\nstatus: published\n"), encoding="utf-8")
    assert run("--source", str(source), "check").code == 0
    dist = tmp_path / "dist"
    built = run("--source", str(source), "--styles", str(ROOT / "styles"), "build", "--dist",
                str(dist), "--format", "feed", "--quiet", "--no-cache")
    assert built.code == 0, built.err
    assert "tag:press.example.org,2026-11-28:un-news/un-expert-urges-action" in \
        (dist / "feed" / "atom.xml").read_text(encoding="utf-8")


def test_today_is_the_date_in_the_publications_time_zone(source: Path, tmp_path: Path) -> None:
    """Kiritimati (UTC+14) and Pago Pago (UTC-11) are never on the same date."""
    days = {}
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        folder = tmp_path / zone.replace("/", "-")
        folder.mkdir()
        text = (source / "publication.yaml").read_text(encoding="utf-8")
        (folder / "publication.yaml").write_text(
            text.replace("timezone: America/New_York", f"timezone: {zone}"), encoding="utf-8")
        before = datetime.now(ZoneInfo(zone)).date()
        path = new_release(folder, "Statement", language="fr")
        after = datetime.now(ZoneInfo(zone)).date()
        day = date.fromisoformat(path.name[:10])
        assert day in (before, after)
        assert _front(path)["published"] == day.isoformat()
        assert _front(path)["language"] == "fr"
        days[zone] = day
    assert days["Pacific/Kiritimati"] > days["Pacific/Pago_Pago"]


def test_an_existing_file_is_never_overwritten(source: Path) -> None:
    first = new_release(source, "UN expert urges action", today=DAY)
    first.write_bytes(b"---\nid: mine\n---\nwork in progress\n")
    before = first.read_bytes()
    with pytest.raises(UsageError, match="already exists; pressroom never overwrites"):
        new_release(source, "UN expert urges action!", today=DAY)
    assert first.read_bytes() == before
    assert sorted(p.name for p in source.iterdir()) == [
        "2017-01-25-mexico-defenders.md", first.name, "publication.yaml"]  # no temporary left
    other = new_release(source, "UN expert urges action", today=DAY, slug="urges-action-2")
    assert other.name == "2026-11-28-urges-action-2.md"


def test_a_file_created_meanwhile_is_not_replaced(source: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    target = source / "2026-11-28-race.md"
    target.write_text("someone else's\n", encoding="utf-8")
    with pytest.raises(UsageError, match="already exists"):
        scaffold._create(target, "mine\n")
    monkeypatch.setattr(os, "link", _no_hard_links)  # e.g. a FAT or SMB share
    with pytest.raises(UsageError, match="already exists"):
        scaffold._create(target, "mine\n")
    assert target.read_text(encoding="utf-8") == "someone else's\n"
    scaffold._create(source / "2026-11-28-other.md", "mine\n")
    assert (source / "2026-11-28-other.md").read_text(encoding="utf-8") == "mine\n"
    assert not [p for p in source.iterdir() if p.name.startswith(".")]


def _no_hard_links(src: object, dst: object) -> None:
    raise PermissionError(1, "Operation not permitted")


def test_headline_with_quotes_colons_and_hash_survives_yaml(source: Path) -> None:
    for headline in ('"Quotes" & colons: #1', "It's 'yes' – no?", "- a dash: [not] a list",
                     "2017-01-25", "true", "@mention % {braces} *star*"):
        path = new_release(source, headline, today=DAY)
        assert _front(path)["headline"] == headline, path.read_text(encoding="utf-8")
        path.unlink()
    assert slugify('"Quotes" & colons: #1') == "quotes-colons-1"


def test_slug_is_ascii_short_and_falls_back_for_other_scripts(source: Path) -> None:
    assert slugify("Déclaration du Secrétaire général sur la Straße") == \
        "declaration-du-secretaire-general-sur-la"
    assert slugify("Fighting impunity is the best way to protect Mexico's defenders") == \
        "fighting-impunity-is-the-best-way"
    assert slugify("Mexico's defenders") == "mexicos-defenders"
    assert len(slugify("Antidisestablishmentarianism " * 5)) <= 60
    assert slugify("x" * 80) == "x" * 60
    assert slugify("خبير أممي يحث على العمل") == slugify("联合国专家敦促采取行动") == ""
    arabic = new_release(source, "خبير أممي يحث على العمل", today=DAY, language="ar")
    chinese = new_release(source, "联合国专家敦促采取行动", today=DAY, language="zh-Hans")
    assert (arabic.name, chinese.name) == ("2026-11-28-release-ar.md",
                                          "2026-11-28-release-zh-hans.md")
    assert _front(arabic)["headline"] == "خبير أممي يحث على العمل"
    assert _front(chinese)["id"] == "tag:press.example.org,2026-11-28:un-news/release-zh-hans"


def test_id_is_unique_among_existing_releases_even_invalid_ones(source: Path) -> None:
    taken = "tag:press.example.org,2026-11-28:un-news/un-expert-urges-action"
    (source / "2026-01-01-old.md").write_text(f'---\nid: "{taken}"\nheadline: [broken\n---\n',
                                              encoding="utf-8")
    (source / "2026-01-02-old.md").write_text(f"---\nid: {taken}-2  # renamed\n---\n",
                                              encoding="utf-8")
    path = new_release(source, "UN expert urges action", today=DAY)
    assert _front(path)["id"] == f"{taken}-3"


def test_id_follows_the_base_url() -> None:
    assert tag_id("https://Press.Example.org:8443/", DAY, "a") == \
        "tag:press.example.org,2026-11-28:a"
    assert tag_id("https://example.org/a/b/", DAY, "c") == "tag:example.org,2026-11-28:a/b/c"


@pytest.mark.parametrize("headline", ["", "   ", "?!", "— … —", "\n"])
def test_empty_headline_is_refused(source: Path, headline: str) -> None:
    with pytest.raises(UsageError, match="needs a headline with words"):
        new_release(source, headline, today=DAY)
    assert len(list(source.glob("*.md"))) == 1


def test_bad_options_and_publication_are_refused(source: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not one of press-release, news-story"):
        new_release(source, "A", today=DAY, kind="memo")
    with pytest.raises(UsageError, match="not a BCP 47"):
        new_release(source, "A", today=DAY, language="english please")
    with pytest.raises(UsageError, match="slug 'Bad Slug' must be lowercase"):
        new_release(source, "A", today=DAY, slug="Bad Slug")
    with pytest.raises(UsageError, match=r"publication\.yaml: not found"):
        new_release(tmp_path / "nowhere", "A", today=DAY)
    (source / "publication.yaml").write_text("name: UN News\ntimezone: Mars/Olympus\n",
                                             encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        new_release(source, "A", today=DAY)
    assert "timezone: 'Mars/Olympus' is not an IANA time zone" in str(caught.value)
    assert "base_url: required field is missing" in str(caught.value)


def test_news_story_kind_and_seed_still_loads(source: Path) -> None:
    path = new_release(source, "A story", today=DAY, kind="news-story")
    assert _front(path)["kind"] == "news-story"
    path.write_text(path.read_text(encoding="utf-8").replace("\nsummary:\n", "\nsummary: S.\n")
                    + "Text.\n", encoding="utf-8")
    releases = load_site(source).releases
    assert [r.slug for r in releases] == ["2026-11-28-a-story", "2017-01-25-mexico-defenders"]
    assert releases[0].published.isoformat() == "2026-11-28T12:00:00-05:00"
