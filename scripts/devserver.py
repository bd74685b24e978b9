#!/usr/bin/env python3
"""Serve the site on 127.0.0.1 and rebuild it whenever a seed, a page, the theme or the settings change.

A rebuild is what `make html` does: the converter (it converts only seeds that changed), then
scripts/build.py (it renders only the pages a change touched and swaps the new site in only when
the build succeeds). So a dropped-in clipping shows up after a rebuild of a second or two, and a
failed rebuild leaves the last good site served, with the errors printed.

Watched: every file of SEEDDIR; CONTENTDIR but for what the converter writes there (briefings/,
sources/) and its cache; the settings files' folder (*.py), the theme and plugin folders the
settings name, and the converter's code and rules (briefing/). Files are polled every
--interval seconds (names, sizes and modification times: no reading); a change is built once
the files have stopped changing for one interval, so a seed still being copied is not read
half-written.

Example:
    python scripts/devserver.py seeds content output -s pelicanconf.py
    python scripts/devserver.py ~/clippings /tmp/content /tmp/site -s pelicanconf.py --port 8080
"""

import argparse
import functools
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.convert import BRIEFINGS_DIR, SOURCES_DIR  # noqa: E402
from briefing.up_to_date import (  # noqa: E402
    CACHE_DIR, files_signature, files_under, parse_with_pelican_args, read_settings, settings_folders)

GENERATED = frozenset({CACHE_DIR.name, BRIEFINGS_DIR, SOURCES_DIR})  # the converter's, in CONTENTDIR


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="example: python scripts/devserver.py seeds content output -s pelicanconf.py",
    )
    parser.add_argument("seed_dir", metavar="SEEDDIR", type=Path, help="folder of seed .txt files")
    parser.add_argument("content_dir", metavar="CONTENTDIR", type=Path, help="Pelican content folder")
    parser.add_argument("output_dir", metavar="OUTPUTDIR", type=Path, help="where the site goes")
    parser.add_argument("-s", "--settings", type=Path, required=True, help="pelicanconf.py")
    parser.add_argument("--bind", default="127.0.0.1", help="address to serve on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    parser.add_argument("--interval", type=float, default=1.0,
                        help="seconds between two looks at the files (default: 1)")
    return parse_with_pelican_args(parser, argv)


def watched_files(args: argparse.Namespace) -> list[str]:
    """Every file whose change calls for a rebuild (see the module's docstring)."""
    settings = args.settings.resolve()
    folders = [(args.seed_dir, frozenset()), (args.content_dir, GENERATED), (ROOT / "briefing", frozenset())]
    values = read_settings(settings)
    folders += [(folder, frozenset()) for folder in settings_folders(settings, values or {})]
    paths = sorted(str(path) for path in settings.parent.glob("*.py"))
    for folder, skip in folders:
        if folder.is_dir():
            paths += [path for _, path in files_under(folder, skip)]
    return paths


def signature(args: argparse.Namespace) -> str:
    return files_signature(watched_files(args))


def rebuild(args: argparse.Namespace) -> bool:
    """`make html`: convert, then build; False (the errors printed) if either failed."""
    python = sys.executable
    steps = [
        [python, str(ROOT / "scripts" / "convert.py"), str(args.seed_dir), str(args.content_dir), "--quiet"],
        [python, str(ROOT / "scripts" / "build.py"), str(args.content_dir), str(args.output_dir),
         "-s", str(args.settings), "--", *args.pelican_args],
    ]
    for step in steps:
        if subprocess.run(step, check=False).returncode != 0:
            return False
    return True


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002  (the base class's name)
        pass  # a line per request would bury the build's messages


def serve(args: argparse.Namespace) -> ThreadingHTTPServer:
    """Serve OUTPUTDIR in a thread; the folder is looked up by name at each request, so the site
    that scripts/build.py swaps in is the one served."""
    args.output_dir.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(QuietHandler, directory=str(args.output_dir.resolve()))
    server = ThreadingHTTPServer((args.bind, args.port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def settled_signature(args: argparse.Namespace, seen: str) -> str:
    """The files' signature once it has stopped changing for one interval."""
    while True:
        time.sleep(args.interval)
        now = signature(args)
        if now == seen:
            return now
        seen = now


def built(args: argparse.Namespace, reason: str) -> None:
    print(f"\n[devserver] {time.strftime('%H:%M:%S')} {reason}: building", flush=True)
    started = time.perf_counter()
    if rebuild(args):
        print(f"[devserver] built in {time.perf_counter() - started:.1f} s", flush=True)
    else:
        print("[devserver] the build failed (see above): the last good site is still served",
              flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not args.seed_dir.is_dir():  # the content folder is made by the converter, as in make html
        print(f"error: seed folder {args.seed_dir} does not exist", file=sys.stderr)
        return 2
    try:
        server = serve(args)
    except OSError as error:
        print(f"error: cannot serve on {args.bind}:{args.port}: {error}", file=sys.stderr)
        return 2
    seen = signature(args)
    built(args, "first build")
    host, port = server.server_address[:2]
    print(f"[devserver] serving {args.output_dir} on http://{host}:{port}/ and watching "
          f"{args.seed_dir} for changes; Ctrl-C to stop", flush=True)
    try:
        while True:
            time.sleep(args.interval)
            now = signature(args)
            if now != seen:
                seen = settled_signature(args, now)  # a change made during the build is seen next
                built(args, "files changed")
    except KeyboardInterrupt:
        print("\n[devserver] stopped", flush=True)
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
