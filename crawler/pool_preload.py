"""What the pool's forkserver imports and loads once, before it forks the workers
(``crawler/pool.py``, ``PRELOAD``): the workers' call (``crawler/tasks.py``, and with it
the page function) and every table the page function reads
(:func:`~newsarchive.pipelines.page.load_tables`), so that each worker starts with them
all, shared with the others, instead of loading its own copy on its first page.

Then what the forkserver holds is frozen out of the garbage collector's reach
(``gc.freeze``): it lives as long as the process, and the workers' collections never
touch (and so never copy) the memory pages it sits on.

Only the forkserver imports this module: importing it anywhere else would freeze that
process's objects too (``tasks.py`` itself loads and freezes nothing).
"""

from __future__ import annotations

import gc

from newsarchive.crawler import tasks  # noqa: F401  (the workers' call, preloaded)
from newsarchive.pipelines.page import load_tables

load_tables()
gc.freeze()
