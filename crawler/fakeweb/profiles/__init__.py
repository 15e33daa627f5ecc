"""The profiles of the fake web: one module per site, registered here by name.

To add a profile: write ``profiles/<module>.py`` with a :class:`~..site.Site` subclass
(``hosts()``, ``bind(bases)``, ``source_entries()``; ``add_arguments()`` for its command-line
options, ``describe()`` for what ``--json`` prints), and add one line below.  It is then
served by ``python -m newsarchive.crawler.fakeweb --profile <name>`` and found by
:func:`get`.  Modules are imported when asked for, so a profile may need files that only
some machines have.
"""

from __future__ import annotations

import importlib

# name -> "module:class" under this package
PROFILES = {
    "sample": "sample:SampleSite",
    "bench-real": "bench_real:RealBenchSite",
    "bench-synthetic": "bench_synthetic:BenchSite",
    "faults": "faults:FaultSite",
    "wayback": "wayback:WaybackSite",
}


def get(name: str):
    """The Site class of profile ``name`` (KeyError naming the known ones)."""
    try:
        module, cls = PROFILES[name].split(":")
    except KeyError:
        raise KeyError(f"unknown fake-web profile {name!r} (known: {', '.join(PROFILES)})") from None
    return getattr(importlib.import_module(f".{module}", __name__), cls)
