#!/usr/bin/env python3
"""The build server `make html` starts (scripts/make_html.py): a warm process that keeps a
site's last build, so that the next `make html` finishes in a fraction of the time.

It does what `make devserver` does between two edits, without serving or watching: it imports
the converter, Pelican and the plugins once, and runs each `make html` (the converter, then
the build) in forks of itself. A build leaves a keeper (plugins/preview), which finishes the
next edit to a briefing's text without a build; with nothing changed, neither the build nor
the keeper has anything to do. Any other change is built as `make html` builds it, warm. The
output goes where the client's goes: the client hands the server its standard output and
error (briefing/build_server.py). Started on a site already built, it reads the site once
more after its first answer, to have a keeper, as the devserver does at its start.

It builds the site of its arguments only, with the environment (SITEURL …) and working folder
of each request; it drops its keeper when the environment's fingerprint or the theme's files
change, and stops, for the client to start a new one, when the code it imported changes (the
converter, the plugins, the scripts, the settings files, the installed packages). It stops
after --idle seconds without a request, when its seed or content folder is deleted, when asked
(`make stop`, `make clean`, `make devserver` on the same site), on SIGTERM, and when a client
is interrupted (Ctrl-C) while it builds.

Example (scripts/make_html.py starts it so; its output outside the builds goes to its log):
    python scripts/build_server.py seeds content output -s pelicanconf.py --idle 1800
"""

import argparse
import contextlib
import os
import signal
import socket
import sys
import time
import weakref
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.build_server import add_site_arguments, address, arguments_key, peer, receive, send  # noqa: E402
from briefing.progress import SERVER, built_report  # noqa: E402
from briefing.up_to_date import environment_fingerprint, parse_with_pelican_args  # noqa: E402

LOOK_EVERY = 10.0  # seconds between two looks at the idle time and the folders while no request comes
SOCKETS: weakref.WeakSet = weakref.WeakSet()  # the server's own: its listener and its connection


def in_fork() -> None:
    """In every fork of the server (the converter, the build, its keeper): the server's sockets
    are not theirs (a keeper that held the listener would keep its name taken after the server
    ended, and a new server could not listen there), nor is its way of ending on SIGTERM (a
    build that exited 0 on it would have its half-written site swapped in)."""
    for own in list(SOCKETS):
        own.close()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="example: python scripts/build_server.py seeds content output -s pelicanconf.py",
    )
    add_site_arguments(parser)
    parser.add_argument("--idle", type=float, default=1800.0,
                        help="seconds without a request after which it stops (default: 1800)")
    parser.set_defaults(name=SERVER.strip("[]"), wrote="wrote", cold=False, preview=True, convert_options=[])
    args = parse_with_pelican_args(parser, argv)
    for name in ("seed_dir", "content_dir", "output_dir", "settings"):
        setattr(args, name, getattr(args, name).resolve())  # a request may change the working folder
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:  # before the imports, so that the client that started it can send its request at once
        listener.bind(address(arguments_key(args)))
    except OSError:
        return 0  # another server serves this site (two clients started one each)
    listener.listen()
    SOCKETS.add(listener)
    os.register_at_fork(after_in_child=in_fork)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # a client's Ctrl-C (a background job ignores it)
    import devserver  # noqa: PLC0415  (scripts/devserver.py: the warm process's parts)

    return Server(args, listener, devserver).serve()


class Server:
    """One site's server: its listener, the devserver's parts it builds with, the last build's
    keeper."""

    def __init__(self, args: argparse.Namespace, listener: socket.socket, devserver):
        self.args, self.listener, self.devserver = args, listener, devserver
        self.code = devserver.code_signature(args)  # of the code it imports (a change meanwhile counts)
        self.keeper = None  # the last build's (plugins/preview)
        self.kept_in: tuple[str, str] | None = None  # the environment and theme it was built with

    def serve(self) -> int:
        self.devserver.warm_up(self.args)
        self.listener.settimeout(min(LOOK_EVERY, self.args.idle))
        last = time.monotonic()
        try:
            while True:
                try:
                    connection, _ = self.listener.accept()
                except TimeoutError:
                    if time.monotonic() - last >= self.args.idle or not self.folders_exist():
                        return 0
                    continue
                with connection:
                    if not self.answered(connection):
                        return 0
                last = time.monotonic()
        except KeyboardInterrupt:  # a client interrupted: the build it asked for stops, and so does the server
            return 130
        finally:
            self.listener.close()  # at once: a client that connects now starts a new server
            if self.keeper is not None:
                self.keeper.close()

    def site(self) -> dict[str, str]:
        args = self.args
        return {name: str(path.resolve()) for name, path in (
            ("seeds", args.seed_dir), ("content", args.content_dir), ("output", args.output_dir),
            ("settings", args.settings))}

    def folders_exist(self) -> bool:
        return self.args.seed_dir.is_dir() and self.args.content_dir.is_dir()

    def answered(self, connection: socket.socket) -> bool:
        """Build as one `make html` asks; False when this server is to stop."""
        connection.settimeout(None)
        SOCKETS.add(connection)
        if peer(connection)[1] != os.getuid():
            return True
        request, descriptors = receive(connection, 2)
        if request is None or len(descriptors) != 2 or any(map(request.get, ("stop", "ping", "site"))):
            for descriptor in descriptors:
                os.close(descriptor)
            if request is not None and request.get("stop"):
                reply(connection, {"stopped": True})
                return False
            if request is not None and request.get("ping"):
                reply(connection, {"ready": True})
            if request is not None and request.get("site"):
                reply(connection, {"site": self.site()})
            return True
        if self.devserver.code_signature(self.args) != self.code:  # its imports are out of date
            self.listener.close()  # before the answer: the client starts a new server at once
            for descriptor in descriptors:
                os.close(descriptor)
            reply(connection, {"restart": "the code it imported (converter, plugins, scripts, settings, "
                                         "packages) changed"})
            return False
        reply(connection, {"started": True})
        with requested(request):
            with writing_to(descriptors):
                rebuilt = self.built(request)
            reply(connection, {"status": rebuilt.status})
            self.finish(rebuilt)
        return True

    def built(self, request: dict):
        """One `make html`, reported as the devserver reports a rebuild (devserver.Rebuilt)."""
        devserver, args = self.devserver, self.args
        started = time.perf_counter()
        args.convert_options = [str(option) for option in request.get("convert", [])]
        made_with = (self.environment(), devserver.layout_signature(args))
        if self.keeper is not None and made_with != self.kept_in:  # its pages would be made as before
            self.keeper.close()
            self.keeper = None
        self.kept_in = made_with  # the keeper's that this request leaves
        rebuilt = devserver.rebuild(args, self.keeper, started)
        self.keeper = rebuilt.keeper
        if rebuilt.success:
            print(f"{SERVER} {built_report(time.perf_counter() - started, rebuilt.cpu, rebuilt.peak)}", flush=True)
        return rebuilt

    def finish(self, rebuilt) -> None:
        """Once the client has its answer: the stamp's record of what the keeper wrote (until it
        is made, a build would run: slower, and the same site), the last site's removal (a second or more at 10,000 briefings) and, when the site was
        current and no build left a keeper, one made by reading the site once more (a build's
        time, which the next request waits for if it comes sooner)."""
        if rebuilt.then is not None:
            rebuilt.then()
        self.devserver.remove_old_site(self.args)
        if rebuilt.success and self.keeper is None:
            self.keeper = self.devserver.keeper_at_start(self.args)

    def environment(self) -> str:
        """The fingerprint of what the build is made with, but the content (settings values,
        read in this request's environment; theme; plugins; packages)."""
        return environment_fingerprint(self.args.settings, self.args.pelican_args)


def reply(connection: socket.socket, message: dict) -> None:
    """Answer the client, if it is still there (it may have been killed meanwhile)."""
    with contextlib.suppress(OSError):
        send(connection, message)


@contextlib.contextmanager
def writing_to(descriptors: list[int]):
    """Standard output and error go to the client's (the two descriptors it sent) for the block;
    the forks it runs inherit them."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    for target, descriptor in zip((1, 2), descriptors):
        os.dup2(descriptor, target)
        os.close(descriptor)
    try:
        yield
    finally:
        with contextlib.suppress(OSError, ValueError):  # the client may be gone
            sys.stdout.flush()
            sys.stderr.flush()
        for target, descriptor in zip((1, 2), saved):
            os.dup2(descriptor, target)
            os.close(descriptor)


@contextlib.contextmanager
def requested(request: dict):
    """The request's environment and working folder for the block."""
    environment, folder = dict(os.environ), os.getcwd()
    os.environ.clear()
    os.environ.update({str(name): str(value) for name, value in request.get("environment", {}).items()})
    with contextlib.suppress(OSError):
        os.chdir(request.get("cwd", folder))
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(environment)
        os.chdir(folder)


if __name__ == "__main__":
    sys.exit(main())
