"""``python -m newsarchive.crawler.fakeweb [--profile NAME] [options]``: serve a fake site.

Without ``--json`` it prints each host's base URL and serves until Ctrl-C.  With ``--json``
(the benchmarks) it prints one JSON line describing the running site (base URLs, a sources
file, profile facts) and serves until its stdin closes or it gets SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

from .profiles import PROFILES, get


def parser_for(profile: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m newsarchive.crawler.fakeweb",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", default="sample", choices=list(PROFILES),
                        help="which site to serve (default: sample)")
    parser.add_argument("--host-prefix", default="127.0.0", help="first three octets of the loopback addresses")
    parser.add_argument("--first", type=int, default=None, help="last octet of the first host's address")
    parser.add_argument("--port", type=int, default=0, help="port to try first on every address (0: any free port)")
    parser.add_argument("--sources-out", metavar="FILE", help="write a sources file for the running site")
    parser.add_argument("--json", action="store_true",
                        help="print the site as one JSON line; stop when stdin closes")
    get(profile).add_arguments(parser.add_argument_group(f"{profile} profile"))
    return parser


def main(argv=None) -> int:
    probe = argparse.ArgumentParser(add_help=False)
    probe.add_argument("--profile", default="sample", choices=list(PROFILES))
    known, _ = probe.parse_known_args(argv)
    args = vars(parser_for(known.profile).parse_args(argv))
    profile, json_mode, sources_out = args.pop("profile"), args.pop("json"), args.pop("sources_out")
    try:
        site = get(profile)(**args)
    except ValueError as err:  # a profile's options that cannot work: one line, exit 2
        print(f"error: {err}", file=sys.stderr)
        return 2
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        site.start()
        if sources_out:
            site.write_sources(sources_out)
        if json_mode:
            print(json.dumps(site.describe()), flush=True)

            def watch_stdin():  # whoever started us closes our stdin (or dies): stop
                while sys.stdin.buffer.read(65536):
                    pass
                stop.set()

            threading.Thread(target=watch_stdin, daemon=True).start()
        else:
            for name, base in site.bases.items():
                print(f"{name:20} {base}/", flush=True)
            if sources_out:
                print(f"sources file: {sources_out}", flush=True)
            print("Serving; press Ctrl-C to stop.", flush=True)
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        site.stop()
    if json_mode:
        print(json.dumps({"requests": sum(site.hits.values())}), file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
