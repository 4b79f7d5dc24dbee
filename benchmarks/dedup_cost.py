"""What near-duplicate grouping (MinHash LSH) adds to a full build of a JSONL corpus.

    .venv/bin/python benchmarks/dedup_cost.py ../shared/benchmarks/newsqa/articles.jsonl

Builds the corpus from scratch with the default model and prints the build time, the time spent
grouping copies, its share, and the stories found. (SciFact's figure is printed by scifact.py.)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from qa.index.build import build_index

    corpus = Path(sys.argv[1]).resolve()
    work = Path(tempfile.mkdtemp(dir=ROOT / "benchmarks" / ".work"))
    try:
        (work / "articles").mkdir()
        (work / "articles" / corpus.name).symlink_to(corpus)
        report = build_index(work / "articles", work / "index", progress=True, log=lambda message: None)
        print(report.summary())
        print(f"{corpus.name}: build {report.seconds:.1f}s, near-duplicate grouping {report.grouping_seconds:.2f}s "
              f"({100 * report.grouping_seconds / report.seconds:.1f}%), {report.stories} stories, "
              f"{report.copies} copies grouped")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
