"""The `pressroom` command line: `schema`, usage errors, --version, --help and exit codes.

The JSON Schema that `pressroom schema` prints is what editors' YAML language servers check
front matter against, so it must accept every real source and refuse what the loader refuses.
Front matter is read here the way such a server reads it (YAML 1.2): dates stay strings and only
true/false are booleans, so `language: no` is the language code, not False.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from pressroom import __version__
from pressroom.load.fields import PUBLICATION, RELEASE

from .conftest import FIXTURES, ROOT, bad_source, build_ok, run, snapshot

SITE = FIXTURES / "site"
GOOD = sorted(p for p in (FIXTURES / "good").iterdir() if p.is_dir())
RELEASE_DIRS = [ROOT / "source", SITE, *GOOD]
RELEASES = sorted(p for d in RELEASE_DIRS for p in d.glob("*.md"))
PUBLICATIONS = sorted(d / "publication.yaml" for d in RELEASE_DIRS)


class _Yaml12Loader(yaml.SafeLoader):
    """Safe loader without the timestamp resolver, with YAML 1.2 booleans."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Yaml12Loader)


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    first, rest = text.split("\n", 1)
    assert first.rstrip() == "---", path
    front, _ = re.split(r"^---[ \t]*$", rest, maxsplit=1, flags=re.M)
    data = load_yaml(front)
    assert isinstance(data, dict), path
    return data


def schema(which: str = "release") -> dict[str, Any]:
    result = run("schema", which)
    assert result.code == 0, result.err
    assert result.err == ""
    data = json.loads(result.out)
    assert isinstance(data, dict)
    return data


def validator(which: str = "release") -> Draft202012Validator:
    document = schema(which)
    Draft202012Validator.check_schema(document)
    return Draft202012Validator(document, format_checker=FormatChecker())


def errors(which: str, instance: Any) -> list[str]:
    return [e.message for e in validator(which).iter_errors(instance)]


# --- pressroom schema -----------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["release", "publication"])
def test_schema_is_valid_json_schema(which: str) -> None:
    document = schema(which)
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["type"] == "object"
    assert document["additionalProperties"] is False
    specs = RELEASE if which == "release" else PUBLICATION
    assert list(document["properties"]) == list(specs)
    assert document["required"] == [k for k, s in specs.items() if s.required]
    for name, prop in document["properties"].items():
        assert prop["description"], name
        assert prop["examples"], name


def test_schema_defaults_to_release() -> None:
    assert run("schema").out == run("schema", "release").out
    assert run("schema").out.endswith("}\n")


@pytest.mark.parametrize("which", ["release", "publication"])
def test_schema_examples_validate(which: str) -> None:
    """Each field's example is valid for the field (the docs quote them)."""
    document = schema(which)
    check = validator(which)
    for name, prop in document["properties"].items():
        sub = Draft202012Validator(prop, format_checker=FormatChecker())
        for example in prop["examples"]:
            assert not list(sub.iter_errors(example)), (name, example)
    assert check.is_valid({k: document["properties"][k]["examples"][0]
                           for k in document["required"]})


@pytest.mark.parametrize("path", RELEASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_release_front_matter_validates(path: Path) -> None:
    assert errors("release", front_matter(path)) == []


@pytest.mark.parametrize("path", PUBLICATIONS, ids=lambda p: p.parent.name)
def test_publication_validates(path: Path) -> None:
    assert errors("publication", load_yaml(path.read_bytes().decode("utf-8-sig"))) == []


def test_schema_publication_validates_the_real_publication_yaml() -> None:
    data = load_yaml((ROOT / "source" / "publication.yaml").read_text(encoding="utf-8"))
    assert errors("publication", data) == []
    assert errors("publication", {**data, "papersize": "a4"})
    assert errors("publication", {k: v for k, v in data.items() if k != "base_url"})
    assert errors("release", data)  # the two schemas are different


def _site_release() -> dict[str, Any]:
    return front_matter(SITE / "2026-03-10-water-rights.md")


def test_front_matter_with_an_unknown_key_does_not_validate() -> None:
    data = _site_release()
    data["headlin"] = data["headline"]
    assert any("headlin" in message for message in errors("release", data))


def test_front_matter_without_a_headline_does_not_validate() -> None:
    data = _site_release()
    del data["headline"]
    assert any("'headline' is a required property" in m for m in errors("release", data))


@pytest.mark.parametrize("change", [
    {"headline": ""},
    {"kind": "press-relase"},
    {"language": "english"},
    {"keywords": "water"},
    {"keywords": ["water", "water"]},
    {"id": "not an iri"},
    {"dateline": {"place": "GENEVA", "country": "CH"}},
    {"contacts": [{"email": "ana@example.org"}]},
    {"based_on": {"publisher": "X", "url": "ftp://example.org/x"}},
    {"published": 20260310},
], ids=lambda c: next(iter(c)))
def test_schema_refuses_what_the_loader_refuses(change: dict[str, Any]) -> None:
    data = copy.deepcopy(_site_release())
    data.update(change)
    assert errors("release", data), change


def _write_release(folder: Path, front: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SITE / "publication.yaml", folder / "publication.yaml")
    path = folder / "2026-05-01-probe.md"
    path.write_text(f"---\nid: tag:press.example.org,2026:probe\nheadline: A probe\n"
                    f"summary: A summary.\npublished: 2026-05-01\nlanguage: en\n{front}---\n\n"
                    "The body.\n", encoding="utf-8")
    return path


def test_schema_and_loader_agree_on_phone_numbers(tmp_path: Path) -> None:
    path = _write_release(tmp_path / "source", "contacts:\n  - name: Ana\n    phone: call me\n")
    result = run("--source", str(path.parent), "check")
    assert result.code == 2 and "phone" in result.err  # the loader refuses it ...
    assert errors("release", front_matter(path))  # ... so the schema should too


def test_numbers_in_text_fields_keep_their_spelling_or_are_refused(tmp_path: Path) -> None:
    path = _write_release(tmp_path / "source",
                          "contacts:\n  - name: Ana\n    phone: +41229170000\n"
                          "keywords: [007, 0x1F]\n")
    assert errors("release", front_matter(path))  # the schema says: not text
    checked = run("--source", str(path.parent), "check")
    if checked.code != 0:  # refusing with a hint to quote the value is one right answer
        assert checked.code == 2 and "quote" in checked.err
        return
    built = run("--source", str(path.parent), "--styles", str(ROOT / "styles"), "build",
                "--dist", str(tmp_path / "dist"), "--format", "html", "--quiet")
    assert built.code == 0, built.err
    page = (tmp_path / "dist" / "releases" / "2026-05-01-probe.html").read_text(encoding="utf-8")
    assert 'href="tel:+41229170000"' in page  # keeping it as written is the other
    assert 'content="007, 0x1F"' in page


# --- usage errors: exit 64, a message, no traceback -----------------------------------------------


@pytest.mark.parametrize(("argv", "expected"), [
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    (["build", "--format", "docx"], "unknown format docx"),
    (["build", "--format", "pdf,docx"], "unknown format docx"),
    (["build", "--format", ","], "unknown format"),
    (["build", "--paper", "a5"], "invalid choice: 'a5'"),
    (["build", "--bogus"], "unrecognized arguments: --bogus"),
    (["schema", "bogus"], "invalid choice: 'bogus'"),
    (["check", "extra"], "unrecognized arguments: extra"),
    ([], "required"),
], ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_usage_errors_exit_64(argv: list[str], expected: str, tmp_path: Path) -> None:
    result = run("--source", str(SITE), *argv) if argv else run()
    assert result.code == 64
    assert expected in result.err
    assert result.err.startswith("pressroom")
    assert result.err.count("\n") == 1  # one line
    assert "Traceback" not in result.err + result.out
    assert result.out == ""


def test_unknown_format_names_the_formats() -> None:
    err = run("build", "--format", "docx").err
    assert all(fmt in err for fmt in ("html", "pdf", "epub", "feed"))


def test_unknown_subcommand_names_the_subcommands() -> None:
    err = run("frobnicate").err
    assert all(f"'{name}'" in err for name in ("build", "check", "schema"))


def test_no_subcommand_names_the_subcommands() -> None:
    result = run()
    assert result.code == 64
    assert all(name in result.err for name in ("build", "check", "schema"))


def test_usage_error_writes_nothing(tmp_path: Path) -> None:
    result = run("--source", str(SITE), "build", "--dist", str(tmp_path / "dist"),
                 "--format", "pdf,docx")
    assert result.code == 64
    assert not (tmp_path / "dist").exists()


# --- --version and --help (argparse exits: run as a real process) ---------------------------------


def cli(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LC_ALL": "C.UTF-8", "COLUMNS": "100"}
    return subprocess.run([sys.executable, "-m", "pressroom", *argv], capture_output=True,
                          text=True, env=env, timeout=60, check=False)


def test_version() -> None:
    result = cli("--version")
    assert result.returncode == 0
    assert result.stdout == f"pressroom {__version__}\n"
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


@pytest.mark.parametrize(("argv", "options"), [
    ([], ["--version", "--source", "--styles", "build", "check", "schema"]),
    (["build"], ["--dist", "--format", "--changed", "--paper", "--quiet",
                 "html", "pdf", "epub", "feed", "a4", "letter"]),
    (["check"], ["--dist"]),
    (["schema"], ["release", "publication"]),
], ids=["pressroom", "build", "check", "schema"])
def test_help_mentions_the_options(argv: list[str], options: list[str]) -> None:
    result = cli(*argv, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith(f"usage: pressroom {' '.join(argv)}".rstrip())
    missing = [o for o in options if o not in result.stdout]
    assert missing == []


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["build", "--help"]])
def test_version_and_help_in_process(argv: list[str]) -> None:
    result = run(*argv)
    assert result.code == 0
    assert "pressroom" in result.out


# --- exit codes -----------------------------------------------------------------------------------


def test_invalid_source_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    case = bad_source(FIXTURES / "bad" / "key-typo", tmp_path)
    dist = tmp_path / "dist"
    for argv in (["check"], ["build", "--dist", str(dist)]):
        result = run("--source", str(case), "--styles", str(ROOT / "styles"), *argv)
        assert result.code == 2, argv
        assert "headlin: unknown field; did you mean 'headline'?" in result.err
        assert "Traceback" not in result.err
    assert not dist.exists()


def test_missing_source_folder_exits_2(tmp_path: Path) -> None:
    result = run("--source", str(tmp_path / "nowhere"), "check")
    assert result.code == 2
    assert f"{tmp_path / 'nowhere' / 'publication.yaml'}: missing" in result.err


def test_refused_resource_exits_3(tmp_path: Path) -> None:
    styles = tmp_path / "styles"  # a logo outside source/ is a source error (exit 2) now
    shutil.copytree(ROOT / "styles", styles)
    with (styles / "print.css").open("a", encoding="utf-8") as handle:
        handle.write('body { background-image: url("file:///etc/hostname"); }\n')
    result = run("--source", str(SITE), "--styles", str(styles), "build",
                 "--dist", str(tmp_path / "dist"), "--format", "pdf", "--quiet", "--no-cache")
    assert result.code == 3
    assert ": pdf: refused " in result.err
    assert "Traceback" not in result.err
    assert not list(tmp_path.rglob("*.pdf"))


def test_check_of_a_missing_build_exits_4(tmp_path: Path) -> None:
    result = run("--source", str(SITE), "check", "--dist", str(tmp_path))
    assert result.code == 4
    assert f"{tmp_path / 'index.html'}: missing; run make" in result.err.splitlines()
    assert "sources: 2 release(s) valid" in result.out


def test_valid_source_exits_0() -> None:
    result = run("--source", str(SITE), "check")
    assert result.code == 0
    assert result.err == ""
    assert result.out == "sources: 2 release(s) valid\n"


# --- check of a valid PDF: exit 0 means valid, 4 means a real problem -----------------------------


URL = ("https://www.ohchr.org/en/press-releases/2017/01/"
       "mexico-impunity-best-way-protect-human-rights-defenders-says-un-expert")
PROSE = f"""\
The full report is online at {URL} for anyone to read.

Editors run `make check` before they publish.
"""


@pytest.fixture(scope="module")
def prose_check(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A valid release with a long URL and a code span, its PDF built, then `check --dist`."""
    root = tmp_path_factory.mktemp("prose")
    path = _write_release(root / "source", "")
    path.write_text(path.read_text(encoding="utf-8").replace("The body.\n", PROSE),
                    encoding="utf-8")
    built = run("--source", str(path.parent), "--styles", str(ROOT / "styles"), "build",
                "--dist", str(root / "dist"), "--format", "pdf", "--quiet")
    assert built.code == 0, built.err
    pdf = root / "dist" / "pdf" / "2026-05-01-probe.pdf"
    checked = run("--source", str(path.parent), "check", "--dist", str(root / "dist"))
    assert checked.code == 4  # the other formats were not built
    return pdf, [line for line in checked.err.splitlines() if line.startswith(str(pdf))]


def test_check_finds_a_wrapped_url_in_the_pdf(prose_check: tuple[Path, list[str]]) -> None:
    _, problems = prose_check
    assert [p for p in problems if "sentence missing" in p] == []


def test_code_in_the_body_uses_a_shipped_font(prose_check: tuple[Path, list[str]]) -> None:
    _, problems = prose_check
    assert [p for p in problems if "font" in p] == []


def test_the_prose_pdf_has_no_other_problem(prose_check: tuple[Path, list[str]]) -> None:
    pdf, problems = prose_check
    assert pdf.is_file()
    assert [p for p in problems if "sentence missing" not in p and "font" not in p] == []


def test_build_reads_what_changed_from_a_file(tmp_path: Path) -> None:
    """`--changed-from FILE`: what make found changed, one path a line, never on a command
    line; a file that cannot be read is a usage error."""


    source = tmp_path / "source"
    shutil.copytree(FIXTURES / "site", source)
    dist = tmp_path / "dist"
    build_ok(source, dist, "--format", "html")
    before = snapshot(dist)
    listed = tmp_path / "changed"
    listed.write_text(f"{source / '2026-02-01-short-note.md'}\n", encoding="utf-8")
    build_ok(source, dist, "--format", "html", "--changed-from", str(listed))
    after = snapshot(dist)
    rewritten = {k for k, v in after.items() if before.get(k, (0,))[0] != v[0]}
    assert "releases/2026-02-01-short-note.html" in rewritten
    assert "releases/2026-03-10-water-rights.html" not in rewritten
    result = run("--source", str(source), "--styles", "styles", "build", "--dist", str(dist),
                 "--changed-from", str(tmp_path / "missing"))
    assert result.code == 64 and "cannot read the changed files" in result.err
