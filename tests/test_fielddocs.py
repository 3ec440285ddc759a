"""docs/writing-a-release.md: generated from the field table, and its examples are valid."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from pressroom.load import yamlnodes
from pressroom.load.docs import (
    EXAMPLE_BODY,
    README_END,
    README_START,
    dump_yaml,
    example_release,
    readme_fields,
    render_markdown,
    render_readme,
)
from pressroom.load.fields import PUBLICATION, RELEASE
from pressroom.load.schema import Spec, validate
from pressroom.load.site import load_site
from tests.conftest import ROOT, run

DOC = render_markdown()
RELEASE_PART, PUBLICATION_PART = DOC.split("\n## publication.yaml\n")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", DOC, re.DOTALL)
CONTEXT = {"embargo_until", "withdrawn", "translation_group", "image"}
"""Fields whose example needs something else: a published time, a status, a second release,
an image file. Each is tested below with what it needs."""


def test_the_committed_page_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "writing-a-release.md").read_text(encoding="utf-8")
    assert committed == DOC, "docs/writing-a-release.md is out of date: run `make docs`"


def test_the_readme_field_table_is_up_to_date() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count(README_START) == readme.count(README_END) == 1
    assert render_readme(readme) == readme, \
        "README.md's field table is out of date: run `make docs`"


def test_the_readme_table_has_every_release_field_with_its_help() -> None:
    table = readme_fields()
    assert re.findall(r"^\| `(\w+)` \|", table, re.MULTILINE) == list(RELEASE)
    for name, spec in RELEASE.items():
        (row,) = [r for r in table.splitlines() if r.startswith(f"| `{name}` |")]
        assert row.startswith(f"| `{name}` | {'yes' if spec.required else 'no'} | ")
        assert all(f"`{sub}`" in row for sub in spec.fields), name


def test_pressroom_docs_updates_only_the_readme_table(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\nBefore.\n\n{README_START}\n| stale |\n{README_END}\n\nAfter.\n",
                      encoding="utf-8")
    result = run("docs", "--readme", str(readme))
    assert (result.code, result.out) == (0, f"updated the field table of {readme}\n")
    assert readme.read_text(encoding="utf-8") == \
        f"# Title\n\nBefore.\n\n{README_START}\n{readme_fields()}\n{README_END}\n\nAfter.\n"
    assert run("docs", "--readme", str(readme)).out == f"{readme}'s field table is up to date\n"
    readme.write_text("# No markers\n", encoding="utf-8")
    result = run("docs", "--readme", str(readme))
    assert result.code == 64 and "fields:start" in result.err


def _section(part: str, name: str) -> str:
    start = part.index(f"\n### `{name}`\n")
    end = part.find("\n##", start + 1)
    return part[start:end if end >= 0 else None]


@pytest.mark.parametrize(("part", "specs"), [(RELEASE_PART, RELEASE),
                                             (PUBLICATION_PART, PUBLICATION)],
                         ids=["release", "publication"])
def test_every_field_and_nested_field_is_explained(part: str, specs: dict[str, Spec]) -> None:
    assert re.findall(r"^### `(\w+)`$", part, re.MULTILINE) == list(specs)
    for name, spec in specs.items():
        section = _section(part, name)
        assert ("**Required**" in section) == spec.required, name
        assert spec.help in section
        assert all(choice in section for choice in spec.choices)
        for sub, inner in spec.fields.items():
            required = "required" if inner.required else "optional"
            assert f"- `{sub}` ({required}; " in section and inner.help in section, (name, sub)
        assert f"```yaml\n{dump_yaml({name: spec.example})}```" in section


@pytest.mark.parametrize(("part", "specs"), [(RELEASE_PART, RELEASE),
                                             (PUBLICATION_PART, PUBLICATION)],
                         ids=["release", "publication"])
def test_every_yaml_example_parses_and_is_valid(part: str, specs: dict[str, Spec]) -> None:
    assert len([b for b in BLOCKS if b[0] == "yaml"]) == len(RELEASE) + len(PUBLICATION)
    for name, spec in specs.items():
        (text,) = re.findall(r"```yaml\n(.*?)```", _section(part, name), re.DOTALL)
        node = yamlnodes.load(text)
        assert list(node.value) == [name]
        outcome = validate(node, {name: spec})
        assert outcome.problems == [], (name, outcome.problems)


def test_dates_are_written_as_pressroom_reads_them() -> None:
    assert dump_yaml({"published": "2017-01-25", "language": "no", "headline": "true"}) == \
        "published: 2017-01-25\nlanguage: 'no'\nheadline: 'true'\n"


def _source(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "source"
    folder.mkdir()
    shutil.copy(ROOT / "source" / "publication.yaml", folder)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _release(**overrides: Any) -> str:
    values = {name: spec.example for name, spec in RELEASE.items() if name not in CONTEXT}
    values.update(overrides)
    return f"---\n{dump_yaml(values)}---\n\n{EXAMPLE_BODY}"


def _check(folder: Path) -> None:
    result = run("--source", str(folder), "check")
    assert (result.code, result.err) == (0, ""), result.err


def test_the_short_release_on_the_page_passes_the_loader(tmp_path: Path) -> None:
    (markdown,) = [text for language, text in BLOCKS if language == "markdown"]
    assert markdown == example_release()
    _check(_source(tmp_path, {"2017-01-25-example.md": markdown}))


def test_a_release_of_every_standalone_example_passes_the_loader(tmp_path: Path) -> None:
    folder = _source(tmp_path, {"2017-01-25-example.md": _release()})
    _check(folder)
    (release,) = load_site(folder).releases
    assert {key.split(".")[0].split("[")[0] for key in release.lines} == set(RELEASE) - CONTEXT
    assert release.keywords == tuple(RELEASE["keywords"].example)
    assert release.contacts[0].name == RELEASE["contacts"].example[0]["name"]


def test_the_image_example_passes_with_its_file(tmp_path: Path) -> None:
    image = RELEASE["image"].example
    folder = _source(tmp_path, {"2017-01-25-example.md": _release(image=image)})
    result = run("--source", str(folder), "check")
    assert "image.src: 'images/forst.jpg' was not found" in result.err
    (folder / "images").mkdir()
    Image.new("RGB", (300, 200), (40, 90, 160)).save(folder / image["src"])
    _check(folder)


def test_the_withdrawn_example_passes_with_its_status(tmp_path: Path) -> None:
    withdrawn = RELEASE["withdrawn"].example
    _check(_source(tmp_path, {"2017-01-25-example.md": _release(status="withdrawn",
                                                                withdrawn=withdrawn)}))


def test_the_embargo_example_passes_when_published_is_when_it_ends(tmp_path: Path) -> None:
    embargo = RELEASE["embargo_until"].example
    _check(_source(tmp_path, {"2017-01-25-example.md": _release(embargo_until=embargo,
                                                                published=embargo)}))


def test_the_translation_group_example_passes_with_a_translation(tmp_path: Path) -> None:
    group = RELEASE["translation_group"].example
    _check(_source(tmp_path, {
        "2017-01-25-example-en.md": _release(translation_group=group),
        "2017-01-25-example-fr.md": _release(translation_group=group, language="fr",
                                             id=RELEASE["id"].example + "-fr"),
    }))
