"""Wake `make devserver` as soon as a file changes in the folders it watches.

The devserver decides what changed by looking at its files' names, sizes and modification times
every --interval seconds. Between two looks it waits on a Watcher: a process of its own that
asks the system to be told of changes (watchfiles: inotify on Linux, FSEvents on macOS, its own
polling where the system tells nothing) and writes a byte to a pipe whenever something changed.
So the devserver looks at once, and builds once the files have stayed unchanged for a moment
(a seed still being written is not read half-written), instead of up to two intervals later;
and between two changes it need not look at every file every interval (at 10,000 seeds that
took 7% of a core, all day).

The watcher is a process of its own because watchfiles runs threads, and the devserver forks
its rebuilds: a process with threads must not fork. It ends with the devserver, however that
ends. If it cannot watch (the system's limit on watches reached, a folder it may not read), it
says so and ends; the devserver then looks at every file every interval, as it always does for
the files it does not watch this way (the settings files, the installed packages).
"""

from __future__ import annotations

import os
import select
import signal
import sys
from pathlib import Path

CHECK_PARENT_MS = 1000  # how often the watcher checks that the devserver still runs


class Watcher:
    """A process that watches `folders` (each with the names of subfolders, at any depth, whose
    changes do not count) and wakes whoever waits on it."""

    def __init__(self, folders: list[tuple[Path, frozenset[str]]]):
        self.pid: int | None = None
        self.fd: int | None = None
        folders = [(folder, skip) for folder, skip in folders if folder.is_dir()]
        if not folders:
            return
        read, write = os.pipe()
        parent = os.getpid()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            status = 0
            try:
                watch(folders, write, parent)
            except KeyboardInterrupt:  # Ctrl-C reaches the whole process group
                pass
            except BaseException as error:  # noqa: BLE001  (said, then the devserver polls)
                print(f"[devserver] cannot watch the folders for changes ({error}): looking at "
                      "them every interval instead", file=sys.stderr, flush=True)
                status = 1
            os._exit(status)
        os.close(write)
        os.set_blocking(read, False)
        self.pid, self.fd = pid, read

    @property
    def watching(self) -> bool:
        """Whether changes are told (else the caller must look for them itself)."""
        return self.fd is not None

    def wait(self, timeout: float) -> bool:
        """Wait until something changed (True) or `timeout` seconds passed (False)."""
        if self.fd is None:
            select.select([], [], [], timeout)
            return False
        ready, _, _ = select.select([self.fd], [], [], timeout)
        return bool(ready) and self.drained()

    def quiet_for(self, seconds: float) -> None:
        """Wait until nothing has changed for `seconds`."""
        while self.wait(seconds):
            pass

    def drained(self) -> bool:
        """Read all the watcher wrote: whether it told of a change. Once it has ended, the pipe
        is closed (the devserver then looks for changes itself)."""
        told = False
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return told
            if not data:
                self.close()
                return told
            told = True

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def stop(self) -> None:
        """End the watcher's process (before the devserver starts itself again)."""
        self.close()
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGTERM)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.pid = None


def watch(folders: list[tuple[Path, frozenset[str]]], write: int, parent: int) -> None:
    """In the watcher's process: a byte to `write` for each batch of changes that count, until
    the devserver ends (or Ctrl-C, which reaches the whole process group)."""
    import watchfiles  # noqa: PLC0415  (only the watcher's process needs it)

    os.set_blocking(write, False)
    skipped = {str(folder.resolve()): skip for folder, skip in folders}
    counts = counting(skipped)
    changes_seen = watchfiles.watch(*skipped, watch_filter=lambda change, path: counts(path),
                                    rust_timeout=CHECK_PARENT_MS, yield_on_timeout=True, raise_interrupt=False)
    for changes in changes_seen:
        if os.getppid() != parent:
            return
        if changes:
            try:
                os.write(write, b".")
            except BlockingIOError:  # the pipe is full: the devserver has not read yet, and will
                pass
            except BrokenPipeError:
                return


def counting(skipped: dict[str, frozenset[str]]):
    """Whether a change at `path` counts: not under a skipped subfolder of its watched folder,
    nor under a `__pycache__` (as briefing.up_to_date.files_under has it)."""
    def counts(path: str) -> bool:
        for folder, skip in skipped.items():
            if path.startswith(folder + os.sep):
                if {*skip, "__pycache__"}.intersection(path[len(folder) + 1:].split(os.sep)[:-1]):
                    return False
        return True
    return counts
