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
`Converting seeds: 2,000 of 10,000 (20%), 7 s so far, about 28 s to go`.
"""

import sys
import time

EVERY = 5.0  # seconds between two lines; a job shorter than this prints none


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
        now = self.clock()
        if now - self.last < self.every or not 0 < self.done < self.total:
            return
        self.last = now
        print(self.line(now - self.started), file=self.file or sys.stdout, flush=True)

    def line(self, elapsed: float) -> str:
        left = elapsed * (self.total - self.done) / self.done
        return (f"{self.doing}: {self.done:,} of {self.total:,} ({self.done / self.total:.0%}), "
                f"{elapsed:.0f} s so far, about {left:.0f} s to go")
