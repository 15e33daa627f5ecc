"""The ``newsarchive`` command line: a thin click layer over the library.

Each command lives in its own module and registers itself on the group in ``base``.
"""

from .base import cli  # noqa: F401

# one import per command module (each registers its command on `cli`)
from . import crawl  # noqa: F401,E402
from . import demo  # noqa: F401,E402
from . import serve, export, snapshot  # noqa: F401,E402
from . import extract  # noqa: F401,E402
from . import cron  # noqa: F401,E402
from . import reprocess  # noqa: F401,E402  (issue 7)
from . import backfill  # noqa: F401,E402  (issue 7)
from . import import_warc  # noqa: F401,E402  (issue 7)
from . import seed  # noqa: F401,E402  (issue 9)
from . import ingest  # noqa: F401,E402  (issue 9)
from . import search  # noqa: F401,E402  (issue 17)
from . import cdxj  # noqa: F401,E402  (issue 18)
