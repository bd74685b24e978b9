#!/usr/bin/env python3
"""Run Pelican as `python -m pelican` does, for a build that keeps what it makes until it ends.

A build holds every briefing it read, and what is made from them, until it ends. So:

- the garbage collector runs less often (GC_THRESHOLD): with Python's default, the collector
  walked all that memory eight times in a one-seed rebuild at 10,000 briefings (1.4 s) and
  found next to nothing to free;
- the process ends at once when Pelican's main() returns. When Python shuts down, it frees
  every object one by one: 2.8 s after a 17 s rebuild at 10,000, with the site already written.
  By then every file is written and closed and every plugin's `finalized` handler has run, so
  the process ends without that, once the logs are flushed. A failure (SystemExit) ends the
  process the usual way, once the `pelican_run_failed` signal (blinker's) is sent: a plugin
  that started work in other processes ends it then (plugins/parallel_render's early jobs).

Used by scripts/build.py, as a command or, in `make devserver`'s warm process, as `run()` in a
forked process:
    python scripts/run_pelican.py content -o output -s pelicanconf.py --fatal errors
"""

import gc
import logging
import os
import sys

GC_THRESHOLD = 20_000  # allocations between two young collections (Python's default: 700)


def run(arguments: list[str]) -> None:
    """Pelican's main() on `arguments`; never returns: the process ends with Pelican's exit
    status (0 at once, see above)."""
    from blinker import signal  # noqa: PLC0415  (Pelican's; after sys.path is set)
    from pelican import main  # noqa: PLC0415

    gc.set_threshold(GC_THRESHOLD)
    try:
        main(arguments)  # a failure raises SystemExit
    except BaseException:
        signal("pelican_run_failed").send(arguments)
        raise
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.path[0] = os.getcwd()  # as `python -m pelican` has it, not this script's folder
    run(sys.argv[1:])
