"""Where the benchmarks find real pages to build their sites on.

The ``bench-real`` fake-web profile writes its stories into real article pages; the
project never ships them.  BENCH_TEMPLATES names a folder of ``.html``/``.html.gz`` pages;
else the article-extraction benchmark's pages in ``$NEWSARCHIVE_SHARED/bench`` or in
``../shared/bench`` beside the project (or beside a folder above it) are used.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def templates_folder() -> Path | None:
    """The folder of real page templates, or None when there is none."""
    named = os.environ.get("BENCH_TEMPLATES")
    if named:
        return Path(named)
    shared = os.environ.get("NEWSARCHIVE_SHARED")
    # ../shared beside the project (from a git worktree, a level or two further up)
    roots = [Path(shared)] if shared else [p / "shared" for p in REPO.parents]
    for root in roots:
        folder = root / "bench" / "article-extraction" / "html"
        if folder.is_dir():
            return folder
    return None
