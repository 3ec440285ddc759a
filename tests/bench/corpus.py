"""A deterministic corpus of N press releases made from the seed in source/, for benchmarks.

    .venv/bin/python tests/bench/corpus.py 100 /tmp/corpus-100 [--check]

Every release is derived from source/2017-01-25-mexico-defenders.md and written, with a copy of
source/publication.yaml (and any other non-Markdown file there, such as a logo), into a folder
outside source/. Release i is the same whatever N is (its random choices are seeded by i), so
the corpus of 10 is the first 10 releases of the corpus of 1000. Each release has:

- a unique `tag:` id and file name (`<published date>-<topic>-<number>`);
- a headline made of a prefix, one of several phrasings and a suffix, plus its number;
- a publication date spread over 2015-2024, as a date alone or a date-time with an offset,
  sometimes with a later `updated`;
- the seed's body paragraphs shuffled (four to all six, sometimes twice over for a two-page
  brief, sometimes with a section heading), a summary dated to match, varied keywords, kind,
  dateline and `based_on`.

The output is plain YAML front matter + Markdown, exactly what an editor would write; it is
checked with `pressroom --source DIR check` by run.py (and by `--check` here).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED_SOURCE = ROOT / "source"
SEED_RELEASE = "2017-01-25-mexico-defenders.md"
PUBLICATION = "publication.yaml"

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
PREFIXES = ("", "", "Mexico: ", "Geneva: ", "Human rights: ", "Update: ")
PHRASINGS = (
    "Fighting impunity is the best way to protect Mexico's human rights defenders",
    "Impunity for crimes against human rights defenders in Mexico \"induces more violations\"",
    "Mexico's human rights defenders face \"elevated levels of insecurity and violence\"",
    "Justice served is the best protection for human rights defenders in Mexico",
    "After visiting five states, expert calls on Mexico to end impunity -- and protect defenders",
    "UN expert met more than 800 human rights defenders in Mexico",
)
SUFFIXES = (" – UN expert", " – UN rights expert", " – Special Rapporteur", "")
TOPICS = ("mexico-defenders", "impunity", "human-rights-defenders", "special-rapporteur",
          "protection", "rule-of-law")
KEYWORDS = ("human rights defenders", "impunity", "Mexico", "Special Rapporteurs",
            "rule of law", "civil society", "accountability", "organized crime", "OHCHR",
            "Human Rights Council", "women human rights defenders", "corruption")
DATELINES = ("GENEVA", "MEXICO CITY", "GENEVA / MEXICO CITY", "NEW YORK")
OFFSETS = ("-06:00", "-05:00", "+00:00", "+01:00", "+05:30")
HEADINGS = ("Recommendations", "Background", "The visit")
FIRST_DAY = date(2015, 1, 1)
DAYS = (date(2024, 12, 31) - FIRST_DAY).days
EDIT_SENTENCE = ("Mr. Forst's preliminary findings will be followed by a full report, this "
                 "release adds.")
"""Appended by run.py to simulate an editor's change (a new paragraph)."""


@dataclass(frozen=True)
class Entry:
    """One generated release."""

    slug: str
    path: Path
    id: str
    headline: str
    language: str


@dataclass(frozen=True)
class Seed:
    """What releases are made from."""

    front: dict[str, object]
    paragraphs: tuple[str, ...]
    summary_tail: str
    boilerplate_keys: tuple[str, ...]


def read_seed(source_dir: Path = SEED_SOURCE) -> Seed:
    """The seed release's front matter and paragraphs, and the publication's boilerplate keys."""
    import yaml  # PyYAML: a pressroom dependency, so it is in the venv

    text = (source_dir / SEED_RELEASE).read_text(encoding="utf-8")
    _, front_text, body = text.split("---\n", 2)
    front = yaml.safe_load(front_text)
    paragraphs = tuple(p.strip() for p in body.strip().split("\n\n") if p.strip())
    summary = " ".join(str(front["summary"]).split())
    tail = summary.split(" – ", 1)[1] if " – " in summary else summary
    publication = yaml.safe_load((source_dir / PUBLICATION).read_text(encoding="utf-8"))
    keys = tuple((publication or {}).get("boilerplate") or {})
    return Seed(front=front, paragraphs=paragraphs, summary_tail=tail, boilerplate_keys=keys)


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def release_text(index: int, seed: Seed) -> tuple[str, str, str, str]:
    """(file stem, id, headline, text) of release `index` (0-based), deterministic."""
    rng = random.Random(f"pressroom-bench-{index}")
    number = index + 1
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS + 1))
    if rng.random() < 0.6:
        published = day.isoformat()
    else:
        published = (f"{day.isoformat()}T{rng.randrange(7, 20):02d}:{rng.choice((0, 15, 30)):02d}"
                     f":00{rng.choice(OFFSETS)}")
    topic = rng.choice(TOPICS)
    stem = f"{day.isoformat()}-{topic}-{number:04d}"
    ident = f"tag:press.example.org,{day.isoformat()}:un-news/bench/{topic}-{number}"
    headline = (f"{rng.choice(PREFIXES)}{rng.choice(PHRASINGS)}{rng.choice(SUFFIXES)}"
                f" (no. {number})")
    summary = f"{day.day} {MONTHS[day.month - 1]} {day.year} – {seed.summary_tail}"

    lines = ["---", f"id: {q(ident)}", f"kind: {rng.choice(('press-release', 'news-story'))}",
             f"headline: {q(headline)}", "summary: >-", f"  {summary}",
             f"published: {published}"]
    if rng.random() < 0.2:
        lines.append(f"updated: {(day + timedelta(days=rng.randrange(1, 60))).isoformat()}")
    lines += ["language: en", f"publisher: {q(str(seed.front.get('publisher', 'UN News')))}"]
    if rng.random() < 0.4:
        lines += ["dateline:", f"  place: {q(rng.choice(DATELINES))}"]
    based_on = seed.front.get("based_on")
    if isinstance(based_on, dict) and rng.random() < 0.7:
        lines.append("based_on:")
        lines += [f"  {key}: {q(str(value))}" for key, value in based_on.items()]
    for field in ("people", "places"):
        values = [str(v) for v in seed.front.get(field) or ()]  # type: ignore[attr-defined]
        if values:
            rng.shuffle(values)
            kept = values[: rng.randrange(1, len(values) + 1)]
            lines.append(f"{field}:")
            lines += [f"  - {q(str(v))}" for v in kept]
    lines.append("keywords:")
    lines += [f"  - {q(k)}" for k in rng.sample(KEYWORDS, rng.randrange(2, 6))]
    if seed.boilerplate_keys and rng.random() < 0.85:
        lines.append("boilerplate:")
        lines += [f"  - {q(k)}" for k in seed.boilerplate_keys]
    lines.append("---")

    paragraphs = list(seed.paragraphs)
    rng.shuffle(paragraphs)
    paragraphs = paragraphs[: rng.randrange(min(4, len(paragraphs)), len(paragraphs) + 1)]
    if rng.random() < 0.1:  # a long release: a two-page brief
        again = list(seed.paragraphs)
        rng.shuffle(again)
        paragraphs += again
    if len(paragraphs) > 2 and rng.random() < 0.3:
        paragraphs.insert(len(paragraphs) - 2, f"## {rng.choice(HEADINGS)}")
    text = "\n".join(lines) + "\n\n" + "\n\n".join(paragraphs) + "\n"
    return stem, ident, headline, text


def generate(count: int, dest: Path, source_dir: Path = SEED_SOURCE) -> list[Entry]:
    """Write publication.yaml and `count` releases into `dest` (created; must not be source/)."""
    if dest.resolve() == source_dir.resolve():
        raise ValueError("the corpus must be written outside source/")
    seed = read_seed(source_dir)
    dest.mkdir(parents=True, exist_ok=True)
    for extra in sorted(source_dir.iterdir()):  # publication.yaml, a logo, ...
        if extra.is_file() and extra.suffix != ".md" and not extra.name.startswith("."):
            shutil.copyfile(extra, dest / extra.name)
    entries = []
    for index in range(count):
        stem, ident, headline, text = release_text(index, seed)
        path = dest / f"{stem}.md"
        path.write_text(text, encoding="utf-8")
        entries.append(Entry(slug=stem, path=path, id=ident, headline=headline, language="en"))
    return entries


def edit(path: Path) -> None:
    """Append a paragraph to a release, as an editor would."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n{EDIT_SENTENCE}\n")


def check(source: Path, pressroom: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`pressroom --source DIR check` on a corpus."""
    exe = pressroom or Path(sys.prefix) / "bin" / "pressroom"
    return subprocess.run([str(exe), "--source", str(source), "--styles", str(ROOT / "styles"),
                           "check"], capture_output=True, text=True, check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("count", type=int)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--check", action="store_true", help="run `pressroom check` on it")
    args = parser.parse_args()
    entries = generate(args.count, args.dest)
    print(f"wrote {len(entries)} releases and {PUBLICATION} to {args.dest}")
    if args.check:
        result = check(args.dest)
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        return result.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
