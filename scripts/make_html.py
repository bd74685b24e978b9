#!/usr/bin/env python3
"""`make html`: convert the seeds (scripts/convert.py), then build the site (scripts/build.py).

Through the site's build server (scripts/build_server.py) when it can: the first `make html`
starts one, which builds the site and keeps the build; the next `make html` asks it, and an edit
to a briefing's text is then finished in a fraction of a second, without a build. The output,
the exit status and the site are those of `make html` without it. The server holds a build's
memory (about 130 MB at 1,000 briefings, 420 MB at 10,000, in two processes) until it has had no
request for --server-idle seconds (default: 1800); `--stop` ends it at once (`make stop`,
`make clean`).
`--server off` (`make html BUILD_SERVER=off`) builds without one, each step in a new Python;
`auto`, the default, does too when the CI variable is set (a one-off build) or when Pelican's
options make it serve or watch (--listen, --autoreload).

Example:
    python scripts/make_html.py seeds content output -s pelicanconf.py
    python scripts/make_html.py ~/clippings /tmp/content /tmp/site -s pelicanconf.py --strict --server off
"""

import argparse
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.build_server import (  # noqa: E402
    add_site_arguments, answer, arguments_key, connected, peer, send, stopped, stopped_serving)
from briefing.up_to_date import CACHE_DIR, WATCHING_OPTIONS, parse_with_pelican_args  # noqa: E402

SCRIPTS = Path(__file__).resolve().parent
SERVER_LOG = CACHE_DIR / "build-server.log"  # in the content folder: what the server says outside builds
START_TIMEOUT = 30.0  # seconds for a new server to listen
BUSY_AFTER = 1.0  # seconds without the server's word that it started on the request: say that it waits


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="example: python scripts/make_html.py seeds content output -s pelicanconf.py",
    )
    add_site_arguments(parser)
    parser.add_argument("--server", choices=("auto", "on", "off"), default="auto",
                        help="build through the site's build server (default: auto, see above)")
    parser.add_argument("--server-idle", type=float, default=1800.0, metavar="SECONDS",
                        help="a server this run starts stops after this long without a request "
                             "(default: 1800)")
    parser.add_argument("--stop", action="store_true", help="stop the site's build server, and build nothing")
    converter = parser.add_argument_group("the converter's options (scripts/convert.py --help)")
    converter.add_argument("--strict", action="store_true", help="fail if any seed was skipped or gave a warning")
    edits = converter.add_mutually_exclusive_group()
    edits.add_argument("--keep-edits", action="store_true", help="leave generated files edited by hand as they are")
    edits.add_argument("--overwrite-edits", action="store_true", help="replace generated files edited by hand")
    converter.add_argument("-q", "--quiet", action="store_true", help="print only unreadable seeds and the summary")
    return parse_with_pelican_args(parser, argv)


def convert_options(args: argparse.Namespace) -> list[str]:
    return [option for option, given in (("--strict", args.strict), ("--keep-edits", args.keep_edits),
                                         ("--overwrite-edits", args.overwrite_edits), ("--quiet", args.quiet))
            if given]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.stop:
        return stop(args)
    if not args.seed_dir.is_dir():
        print(f"error: seed folder {args.seed_dir} does not exist or is not a folder", file=sys.stderr)
        return 2
    if use_server(args):
        status = through_server(args)
        if status is not None:
            return status
    return without_server(args)


def use_server(args: argparse.Namespace) -> bool:
    if args.server == "off" or not hasattr(os, "fork") or sys.platform != "linux":  # abstract sockets
        return False
    if args.server == "auto" and os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        return False
    return not WATCHING_OPTIONS & set(args.pelican_args)  # such a build serves or watches until stopped


def through_server(args: argparse.Namespace) -> int | None:
    """Build through the site's server, starting one if none listens: the exit status, or None
    when no server could build (said why)."""
    for _ in range(2):  # a server whose code changed stops: a new one is started once
        connection = connected(arguments_key(args)) or started(args)
        if connection is None:
            return None
        with connection:
            if peer(connection)[1] != os.getuid():
                print("warning: another user's process listens where the build server should: "
                      "building without it", file=sys.stderr)
                return None
            sys.stdout.flush()
            sys.stderr.flush()
            try:
                send(connection, {"convert": convert_options(args), "cwd": os.getcwd(),
                                  "environment": dict(os.environ)}, [1, 2])
            except OSError as error:  # standard output or error closed, say
                print(f"warning: cannot ask the build server ({error.strerror}): building without it",
                      file=sys.stderr)
                return None
            try:
                if not select.select([connection], [], [], BUSY_AFTER)[0]:  # no word that it started
                    print("[build server] busy with earlier work (another make html, or reading the site "
                          "once more after it started): waiting", flush=True)
                reply = answer(connection, ("status", "restart"))
            except KeyboardInterrupt:
                interrupt(connection)
                return 130
        if reply is None:
            print(f"warning: the build server ended without an answer (its log: {log_path(args)}): "
                  "building without it", file=sys.stderr)
            return None
        if "restart" not in reply:
            return int(reply.get("status", 1))
        print(f"[build server] {reply['restart']}: starting a new one", flush=True)
    return None


def started(args: argparse.Namespace):
    """Start the site's server (its output outside builds to its log); a connection to it, or
    None (said why)."""
    log = log_path(args)
    log.parent.mkdir(parents=True, exist_ok=True)
    print(f"[build server] starting one for {args.output_dir}: it keeps this build for the next "
          f"make html, until {args.server_idle:g} s without one (BUILD_SERVER=off goes without)", flush=True)
    with open(log, "w", encoding="utf-8") as output:
        process = subprocess.Popen(
            [sys.executable, str(SCRIPTS / "build_server.py"), str(args.seed_dir), str(args.content_dir),
             str(args.output_dir), "-s", str(args.settings), "--idle", str(args.server_idle), "--",
             *args.pelican_args],
            stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        connection = connected(arguments_key(args))
        if connection is not None or process.poll() is not None:  # it listens, or another one does
            connection = connection or connected(arguments_key(args))
            break
        time.sleep(0.01)
    else:
        connection = None
    if connection is None:
        print(f"warning: the build server did not start (its log: {log}): building without it", file=sys.stderr)
    return connection


def log_path(args: argparse.Namespace) -> Path:
    return args.content_dir / SERVER_LOG


def interrupt(connection) -> None:
    """Ctrl-C while the server builds: it stops, with the build's processes (its process group:
    it was started in a session of its own)."""
    try:
        os.killpg(peer(connection)[0], signal.SIGINT)
    except OSError:
        pass


def stop(args: argparse.Namespace) -> int:
    """Stop the site's server; when none serves this very site, those of this user that build
    into its output folder from other seeds, content or settings (`make stop` after `make html
    SEEDDIR=…`, say)."""
    if stopped(arguments_key(args)):
        print(f"stopped the build server of {args.output_dir}")
        return 0
    others = stopped_serving(args.output_dir)
    for site in others:
        print(f"stopped the build server of {args.output_dir} (its seeds: {site['seeds']}, its content: "
              f"{site['content']}, its settings: {site['settings']})")
    if not others:
        print(f"no build server serves {args.output_dir}")
    return 0


def without_server(args: argparse.Namespace) -> int:
    """Each step in a new Python, as the Makefile ran them before there was a server."""
    steps = [[sys.executable, str(SCRIPTS / "convert.py"), str(args.seed_dir), str(args.content_dir),
              *convert_options(args)],
             [sys.executable, str(SCRIPTS / "build.py"), str(args.content_dir), str(args.output_dir),
              "-s", str(args.settings), "--", *args.pelican_args]]
    try:
        for step in steps:
            status = subprocess.call(step)
            if status != 0:
                return status
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
