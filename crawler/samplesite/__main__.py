"""``python -m newsarchive.crawler.samplesite [--sources-out FILE]``: serve the sample site until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
import threading

from .server import SampleSite


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsarchive.crawler.samplesite", description=__doc__)
    parser.add_argument("--sources-out", metavar="FILE", help="write a sources file for the running outlets")
    parser.add_argument("--host-prefix", default="127.0.0", help="first three octets of the loopback addresses")
    parser.add_argument("--first", type=int, default=2, help="last octet of the first outlet's address")
    args = parser.parse_args(argv)
    site = SampleSite(host_prefix=args.host_prefix, first=args.first)
    try:
        for name, base in site.bases.items():
            print(f"{name:20} {base}/", flush=True)
        if args.sources_out:
            site.write_sources(args.sources_out)
            print(f"sources file: {args.sources_out}", flush=True)
        print("Serving; press Ctrl-C to stop.", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        site.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
