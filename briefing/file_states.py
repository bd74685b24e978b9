"""What the converter last made of a file (a digest, a line), trusted while the file is as it was.

A one-seed rerun of the converter read every seed, every generated Markdown file and every
seed copy, to hash them or check them for hand edits: 30,000 files, about 1.5 s at 10,000
seeds, before the one seed that changed is converted. Each of those results is now kept with
the file's state (size, modification and change times in nanoseconds, inode); while the state
is the same, so is the file, and it is not read. An edit, however it is made, changes the
change time (a copy or sync that keeps the modification time and the size included); an
atomic save also changes the inode.

A file whose change time is less than SETTLED_NS before the run started is read, and its
result not kept: a file written again within the same tick of the file system's clock would
otherwise keep its state (git's "racily clean" entries; the same cure).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SETTLED_NS = 2_000_000_000


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def state_of(stat: os.stat_result) -> tuple[int, int, int, int]:
    """A file's size, modification and change times (ns) and inode: any edit changes one."""
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def file_state(path: str) -> tuple[int, int, int, int] | None:
    """state_of the file at `path`; None if there is none."""
    try:
        return state_of(os.stat(path))
    except OSError:
        return None


class FileStates:
    def __init__(self, recorded: dict[str, str]):
        """`recorded`: path → "state result", as the last run left them (see `now`)."""
        self.recorded = recorded
        self.now: dict[str, str] = {}  # what this run found, to be kept for the next
        self.started = time.time_ns()

    def result(self, path: str, make: Callable[[bytes], str]) -> str:
        """make(the file's bytes), or what it gave when the file was as it is now. Raises
        OSError as reading the file would."""
        stat = os.stat(path)
        state = " ".join(map(str, state_of(stat))) + " "
        kept = self.recorded.get(path)
        if kept is not None and kept.startswith(state):
            self.now[path] = kept
            return kept[len(state):]
        with open(path, "rb") as file:
            result = make(file.read())
        if stat.st_ctime_ns < self.started - SETTLED_NS:  # changed later, its times would differ
            self.now[path] = state + result
        return result

    def sizes_and_times(self, leaving_out: set[str]) -> dict[str, tuple[int, int]]:
        """The size and modification time of each file this run found settled, as it found
        it, but for the paths in `leaving_out` (written since)."""
        found = {}
        for path, kept in self.now.items():
            if path not in leaving_out:
                size, modified, _ = kept.split(" ", 2)
                found[path] = int(size), int(modified)
        return found

    @classmethod
    def load(cls, path: Path) -> FileStates:
        """The states kept in the JSON file `path` by `save` (none if it cannot be read)."""
        try:
            recorded = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            recorded = {}
        return cls(recorded if isinstance(recorded, dict) else {})

    def save(self, path: Path) -> None:
        """Keep what this run found in `path` (replaced whole, never half-written), if it
        differs from what it was given."""
        if self.now == self.recorded:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=path.name,
                                             delete=False) as file:
                json.dump(self.now, file)
            os.replace(file.name, path)
        except OSError:
            pass  # the next run reads the files again
