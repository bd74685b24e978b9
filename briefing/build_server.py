"""`make html`'s build server: how scripts/make_html.py and scripts/build_server.py talk.

A build server serves one site: one seed folder, content folder, output folder, settings file
and set of Pelican options, built by this code with this Python. It listens on a Unix socket
in Linux's abstract namespace (no file to leave behind), named after all of those and the
user's id, so that each site has its own and no two servers build one site. A connection is
one `make html`: the client sends a request (a line of JSON: the converter's options, the
working folder, the environment) with its standard output and error, whose descriptors the
server writes the build's output to, as if the client had run it; the server says
{"started": true} when it starts on the request (a client that does not hear it at once says
that it waits), then answers with a line of JSON: {"status": the exit status}, or {"restart":
why} when it cannot build this site any more (its code changed) and has stopped listening. {"stop": true} asks it to end;
{"ping": true} is answered {"ready": true} once the server has finished what it was doing
(the benchmark waits so); {"site": true}, {"site": its seed, content and output folders and
settings}, by which `make stop` finds a server by its output folder alone.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import socket
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "briefing-build-server-"  # the start of every server's socket name
UNIX_SOCKETS = Path("/proc/net/unix")  # the kernel's table of them, abstract names with a leading @
MAX_MESSAGE = 1 << 20  # a request holds the environment: a few KB


def add_site_arguments(parser: argparse.ArgumentParser) -> None:
    """The site on a command line (make devserver's, make html's, the server's): its seed,
    content and output folders and its settings file."""
    parser.add_argument("seed_dir", metavar="SEEDDIR", type=Path, help="folder of seed .txt files")
    parser.add_argument("content_dir", metavar="CONTENTDIR", type=Path, help="Pelican content folder")
    parser.add_argument("output_dir", metavar="OUTPUTDIR", type=Path, help="where the site goes")
    parser.add_argument("-s", "--settings", type=Path, required=True, help="pelicanconf.py")


def arguments_key(args: argparse.Namespace) -> list[str]:
    """site_key of a command line's site (add_site_arguments, and Pelican's options)."""
    return site_key(args.seed_dir, args.content_dir, args.output_dir, args.settings, args.pelican_args)


def site_key(seed_dir: Path, content_dir: Path, output_dir: Path, settings: Path,
             pelican_args: list[str], code: Path = ROOT) -> list[str]:
    """What a build server is for: its site, and the code (this folder's, or the benchmark's
    copy of another revision's) and the Python that build it."""
    return [str(code), sys.executable, str(os.getuid()), *(str(path.resolve()) for path in
            (seed_dir, content_dir, output_dir, settings)), *pelican_args]


def address(key: list[str]) -> str:
    """The server's socket: a name in the abstract namespace (it starts with a NUL byte)."""
    digest = hashlib.blake2b(json.dumps(key).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
    return f"\0{NAME}{digest}"


def connected(key: list[str]) -> socket.socket | None:
    """A connection to the site's server, or None when none listens."""
    return connected_to(address(key))


def connected_to(name: str) -> socket.socket | None:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(name)
    except OSError:
        connection.close()
        return None
    return connection


def send(connection: socket.socket, message: dict, descriptors: list[int] = ()) -> None:
    data = json.dumps(message).encode("utf-8", "surrogateescape") + b"\n"
    socket.send_fds(connection, [data], list(descriptors))


def receive(connection: socket.socket, descriptors: int = 0) -> tuple[dict | None, list[int]]:
    """A message and the descriptors sent with it (None: the connection ended, or what came
    is no message)."""
    data, received = b"", []
    while not data.endswith(b"\n") and len(data) < MAX_MESSAGE:
        try:
            chunk, fds, _, _ = socket.recv_fds(connection, 65536, descriptors)
        except OSError:  # the other end is gone
            break
        received += fds
        if not chunk:
            break
        data += chunk
    try:
        message = json.loads(data.decode("utf-8", "surrogateescape"))
    except ValueError:
        message = None
    return (message if isinstance(message, dict) else None), received


def answer(connection: socket.socket, keys: tuple[str, ...]) -> dict | None:
    """The server's answer: its first message that holds one of `keys` (past {"started":
    true}); None if the connection ends first."""
    buffer = b""
    while True:
        while b"\n" not in buffer:
            try:
                chunk = connection.recv(65536)
            except OSError:  # the other end is gone
                return None
            if not chunk:
                return None
            buffer += chunk
        line, buffer = buffer.split(b"\n", 1)
        try:
            message = json.loads(line.decode("utf-8", "surrogateescape"))
        except ValueError:
            return None
        if not isinstance(message, dict):
            return None
        if any(key in message for key in keys):
            return message


def peer(connection: socket.socket) -> tuple[int, int]:
    """The process id and user id of the process at the other end (the kernel's word, not the
    other end's)."""
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    pid, uid, _ = struct.unpack("3i", credentials)
    return pid, uid


def ready(key: list[str]) -> bool:
    """Wait until the site's server has finished what it was doing; whether one is listening."""
    return asked(key, {"ping": True}, ("ready",)) is not None


def stopped(key: list[str]) -> bool:
    """Ask the site's server to stop; whether one was listening."""
    return asked(key, {"stop": True}, ("stopped",)) is not None


def stopped_serving(output_dir: Path) -> list[dict]:
    """Stop this user's servers that build into `output_dir`, whatever their seeds, content and
    settings; the site of each (see `listening`)."""
    output = str(output_dir.resolve())
    found = []
    for name in listening():
        site = (asked_at(name, {"site": True}, ("site",)) or {}).get("site")
        if isinstance(site, dict) and site.get("output") == output and asked_at(name, {"stop": True}, ("stopped",)):
            found.append(site)
    return found


def listening() -> list[str]:
    """The socket names of the build servers on this machine, found in the kernel's table (a
    server answers only its own user, so another user's answers nothing)."""
    try:
        table = UNIX_SOCKETS.read_text("utf-8", "surrogateescape").splitlines()[1:]
    except OSError:
        return []
    paths = {line.split()[-1] for line in table if len(line.split()) >= 8}  # the path is the 8th column
    return sorted("\0" + path[1:] for path in paths if path.startswith("@" + NAME))


def asked(key: list[str], message: dict, keys: tuple[str, ...]) -> dict | None:
    """Send `message` to the site's server and wait for its answer (`answer`; {} if it ends
    without one); None when no server listens."""
    return asked_at(address(key), message, keys)


def asked_at(name: str, message: dict, keys: tuple[str, ...]) -> dict | None:
    connection = connected_to(name)
    if connection is None:
        return None
    with connection:
        send(connection, message)
        return answer(connection, keys) or {}
