"""The bare-WeasyPrint baseline: render the exact XHTML pressroom renders for its PDFs.

    python bare_weasyprint.py prepare PROJECT OUT     # PYTHONPATH=PROJECT/src; not timed
    python bare_weasyprint.py render OUT SHARD SHARDS  # timed by run.py, one process per core

`prepare` uses pressroom's library (load_site, prepare, theme.release_xhtml) to write each
release's PDF XHTML to OUT/<slug>.html and OUT/manifest.json (base URL, stylesheets). `render`
imports WeasyPrint and renders every SHARDS-th release starting at SHARD with
`HTML(string=..., base_url=...).write_pdf(stylesheets=[base.css, print.css, page size])`:
the same document and stylesheets as pressroom, without its URL fetcher, PDF/UA tagging or
post-processing. It prints one JSON line: releases rendered, import and render seconds.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

STYLE_FILES = ("base.css", "print.css")
PAGE_SIZES = {"a4": "A4", "letter": "letter"}


def prepare(project: Path, out: Path) -> None:
    from pressroom.load.site import load_site
    from pressroom.prepare import templates as theme
    from pressroom.prepare.document import prepare as prepare_documents

    source, styles = project / "source", project / "styles"
    site = load_site(source)
    documents = prepare_documents(site)
    paper = getattr(site.publication.paper, "value", site.publication.paper) or "a4"
    logo = ""
    if getattr(site.publication, "logo", ""):
        logo = (source / site.publication.logo).resolve().as_uri()
    out.mkdir(parents=True, exist_ok=True)
    slugs = []
    for doc in documents:
        xhtml = theme.release_xhtml(styles, doc, "pdf", logo=logo)
        (out / f"{doc.release.slug}.html").write_text(xhtml, encoding="utf-8")
        slugs.append(doc.release.slug)
    manifest = {
        "slugs": slugs,
        "base_url": source.resolve().as_uri() + "/",
        "stylesheets": [str((styles / name).resolve()) for name in STYLE_FILES],
        "page_css": f":root {{ --page-size: {PAGE_SIZES.get(str(paper), 'A4')} }}",
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")


def render(out: Path, shard: int, shards: int) -> None:
    started = time.perf_counter()
    from weasyprint import CSS, HTML

    imported = time.perf_counter()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    stylesheets = [CSS(filename=name) for name in manifest["stylesheets"]]
    stylesheets.append(CSS(string=manifest["page_css"]))
    slugs = manifest["slugs"][shard::shards]
    for slug in slugs:
        xhtml = (out / f"{slug}.html").read_text(encoding="utf-8")
        pdf = HTML(string=xhtml, base_url=manifest["base_url"]).write_pdf(stylesheets=stylesheets)
        (out / f"{slug}.pdf").write_bytes(pdf)
    done = time.perf_counter()
    print(json.dumps({"shard": shard, "rendered": len(slugs),
                      "import_seconds": round(imported - started, 3),
                      "render_seconds": round(done - imported, 3)}))


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "prepare":
        prepare(Path(argv[1]), Path(argv[2]))
        return 0
    if len(argv) == 4 and argv[0] == "render":
        render(Path(argv[1]), int(argv[2]), int(argv[3]))
        return 0
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
