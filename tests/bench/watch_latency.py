"""Save -> web page, as `make watch` (pressroom serve) does it: the warm step that builds a
saved release's page in the server's own process (editor/serve.py `web_first`).

    python watch_latency.py PROJECT RELEASE.md [-- MAKE COMMAND...]

Run in a project that make has built. The server's process is warm: its modules imported, its
first build done; so one edit is saved and built first, untimed, then a second one is timed.
With a make command, it is run after each page, as the server's rebuild runs make (the PDF,
the e-book, the feeds: everything else), and timed after the timed page. Prints one JSON line:
{"seconds": ..., "cpu_seconds": ..., "rest_seconds": ...}.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

from pressroom.editor.serve import web_first


def main() -> int:
    project, release = Path(sys.argv[1]), Path(sys.argv[2])
    rest = sys.argv[4:] if sys.argv[3:4] == ["--"] else []
    os.chdir(project)
    first = web_first(source=Path("source"), styles=Path("styles"), dist=Path("dist"),
                      now=lambda: datetime.now(UTC), source_date=datetime.fromtimestamp(0, UTC),
                      say=lambda line: None)
    timed: dict[str, float] = {}
    for _ in ("warm-up", "timed"):
        corpus.edit(release)
        start, cpu = time.perf_counter(), time.process_time()
        outcome = first([release.resolve()])
        if outcome != (0, ""):
            print(f"watch_latency: the web page was not built: {outcome}", file=sys.stderr)
            return 1
        timed = {"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu}
        if rest:
            began = time.perf_counter()
            subprocess.run(rest, check=True, stdout=subprocess.DEVNULL)
            timed["rest_seconds"] = time.perf_counter() - began
    print(json.dumps(timed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
