"""How far a long job has got: a line every few seconds while it runs, nothing for a short one.

A build from nothing at 10,000 seeds converts for half a minute, then reads and writes for
a minute more; without these lines it says nothing meanwhile. Plain lines rather than a bar
redrawn in place: they read the same in a terminal, in a log and through scripts/build.py,
which passes Pelican's output on line by line.

    progress = Progress("Converting seeds", len(paths), file=sys.stderr)
    for path in paths:
        ...
        progress.advance()

prints, once EVERY seconds have passed since the last line, e.g.
`Converting seeds: 2,000 of 10,000 (20%), 7 s so far, about 28 s to go`. Work done by
several processes is counted where they all can add to it, and `watch` reads that count.
"""

import re
import sys
import threading
import time
from collections.abc import Callable

EVERY = 5.0  # seconds between two lines; a job shorter than this prints none
BUILT = re.compile(r"built in ([\d.]+) s \(CPU ([\d.]+) s, largest process (\d+) MB\)")
TAKEN = re.compile(r"([\d,]+) of ([\d,]+) pages unchanged since the last build")
STATIC_ONLY = "only the theme's static files changed"
SERVER = "[build server]"  # how scripts/build_server.py's lines start
SERVER_WROTE = f"{SERVER} wrote "  # then the pages its keeper wrote


def built_report(seconds: float, cpu: float, megabytes: float) -> str:
    """What a finished build cost, as `make devserver` says it and the benchmark reads it back
    (`read_built_report`)."""
    return f"built in {seconds:.2f} s (CPU {cpu:.2f} s, largest process {megabytes:.0f} MB)"


def read_built_report(line: str) -> tuple[float, float, float] | None:
    """(seconds, CPU seconds, megabytes) from a line holding a `built_report`."""
    found = BUILT.search(line)
    return tuple(map(float, found.groups())) if found else None


def taken_report(taken: int, pages: int) -> str:
    """How many pages a rebuild took from the last build (plugins/parallel_render), as the
    benchmark reads it back (`read_taken_report`)."""
    return f"{taken} of {pages} pages unchanged since the last build: taken from it, not rendered"


def read_taken_report(text: str) -> tuple[int, int] | None:
    """(pages taken, pages) from text holding a `taken_report`."""
    found = TAKEN.search(text)
    return (int(found.group(1).replace(",", "")), int(found.group(2).replace(",", ""))) if found else None


def static_only_report(output_dir) -> str:
    """What a build says when it only copied the theme's static files (scripts/build.py): no
    page rendered, as the benchmark reads it (`STATIC_ONLY`)."""
    return f"{STATIC_ONLY}: copied them into {output_dir}; every page kept"


class Progress:
    def __init__(self, doing: str, total: int, file=None, every: float | None = None,
                 clock=time.monotonic):
        self.doing, self.total, self.clock = doing, total, clock
        self.every = EVERY if every is None else every
        self.file = file  # None: sys.stdout as it is when a line is printed
        self.done = 0
        self.started = self.last = clock()

    def advance(self, count: int = 1) -> None:
        self.update(self.done + count)

    def update(self, done: int) -> None:
        """`done` of the total are done; say so if the last line is EVERY seconds old."""
        self.done = min(done, self.total)
        if self.clock() - self.last >= self.every:
            self.say()

    def watch(self, count: Callable[[], int]) -> Callable[[], None]:
        """Say `count()` every EVERY seconds from a thread of its own, for work that this
        process cannot stop to report (pages that several processes render); returns the
        function that stops it. Start it after forking."""
        stop = threading.Event()

        def run():
            while not stop.wait(max(self.every, 0.05)):
                self.done = min(count(), self.total)
                self.say()

        thread = threading.Thread(target=run, name=f"progress: {self.doing}", daemon=True)
        thread.start()

        def stopped() -> None:
            stop.set()
            thread.join()
        return stopped

    def say(self) -> None:
        if not 0 < self.done < self.total:
            return
        self.last = self.clock()
        print(self.line(self.last - self.started), file=self.file or sys.stdout, flush=True)

    def line(self, elapsed: float) -> str:
        left = elapsed * (self.total - self.done) / self.done
        return (f"{self.doing}: {self.done:,} of {self.total:,} ({self.done * 100 // self.total}%), "
                f"{elapsed:.0f} s so far, about {max(left, 1):.0f} s to go")
