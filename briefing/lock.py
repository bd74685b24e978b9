"""One conversion or build of a content folder at a time.

`make html` run while `make devserver` rebuilds (or two terminals) would otherwise share the
content folder, its caches and the build's `.OUTPUTDIR.partial` folder: one build could delete
the pages the other is writing and swap in an incomplete site. Each run of scripts/convert.py
and scripts/build.py holds an advisory lock on CONTENTDIR/.cache/lock; a second run says that
it waits, then runs once the first is done. The lock goes with the process that holds it, so a
run that crashes or is killed leaves nothing to clean up. Where locks are not available
(no `fcntl`, a read-only folder), runs are not kept apart.
"""

import contextlib
import sys
from pathlib import Path

from .up_to_date import CACHE_DIR

try:
    import fcntl
except ImportError:  # not on Linux or macOS
    fcntl = None

LOCK_FILE = "lock"
HELD = []  # the lock files this process holds locked (a fork has them too: see close_inherited)


@contextlib.contextmanager
def content_lock(content_dir: Path, doing: str):
    """Hold the content folder's lock while the block runs; `doing` names the run in the line
    that says it waits ("convert", "build")."""
    handle = open_lock_file(content_dir)
    if handle is None:
        yield
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"{doing}: another conversion or build of {content_dir} is running "
                  "(make devserver?): waiting for it to finish", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        HELD.append(handle)
        try:
            yield
        finally:
            HELD.remove(handle)


def close_inherited() -> None:
    """In a fork that outlives the run that holds the lock (plugins/preview's keeper): close its
    copies of the lock files, so that the lock goes with that run. (Closing a copy does not
    release the lock; unlocking would.)"""
    while HELD:
        HELD.pop().close()


def open_lock_file(content_dir: Path):
    if fcntl is None:
        return None
    path = content_dir / CACHE_DIR / LOCK_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path, "a")  # noqa: SIM115  (closed by content_lock)
    except OSError:
        return None
