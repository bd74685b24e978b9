#!/usr/bin/env python3
"""Build the site with Pelican into a temporary folder, then swap it into place.

A failed build (any ERROR logged, or a crash) leaves OUTPUTDIR exactly as it was: readers never
get a half-written site. When only the content changed since the last build, pages whose content
did not change are copied from OUTPUTDIR rather than rendered (plugins/parallel_render/reuse.py);
when only the theme's static files changed (a stylesheet), they are copied into OUTPUTDIR and
Pelican does not run (briefing/theme_static.py).
Pelican runs in a process of its own (scripts/run_pelican.py): a new Python, or, in `make
devserver`'s warm process, which has Pelican and the plugins imported already, a fork.

Example:
    python scripts/build.py content output -s pelicanconf.py
    python scripts/build.py content /tmp/site -s publishconf.py -- --verbose
"""

import argparse
import logging
import os
import re
import shutil
import subprocess
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing import theme_static  # noqa: E402
from briefing.lock import content_lock  # noqa: E402
from briefing.progress import static_only_report  # noqa: E402
from briefing.up_to_date import (  # noqa: E402
    BUILD_ENVIRONMENT_VARIABLE, BuildStamp, output_records, parse_with_pelican_args)

RUN_PELICAN = Path(__file__).with_name("run_pelican.py")  # `python -m pelican`, ended faster


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="example: python scripts/build.py content output -s pelicanconf.py",
    )
    parser.add_argument("input_dir", metavar="INPUTDIR", type=Path, help="Pelican content folder")
    parser.add_argument("output_dir", metavar="OUTPUTDIR", type=Path, help="where the site goes")
    parser.add_argument("-s", "--settings", type=Path, required=True, help="pelicanconf.py or publishconf.py")
    return parse_with_pelican_args(parser, argv)


def build(input_dir: Path, output_dir: Path, settings: Path, pelican_args: list[str],
          fork: bool = False, leave_old: bool = False, even_if_current: bool = False) -> int:
    """Run Pelican into OUTPUTDIR's sibling `.OUTPUTDIR.partial`; swap it in only on success.
    Nothing changed since the last build (see briefing/up_to_date.py): nothing to do, unless
    `even_if_current` (then every page is taken from the site). `fork`: run Pelican in a fork
    of this process rather than a new Python. `leave_old`: leave the last site's folder
    (old_site) for the caller to delete once the new one is reported."""
    stamp = BuildStamp(input_dir, output_dir, settings, pelican_args)
    if stamp.site_is_current() and not even_if_current:
        print(up_to_date_message(output_dir))
        return 0
    if stamp.only_theme_static_changed() and not even_if_current and static_files_copied(output_dir, stamp):
        return 0
    reusable = stamp.reusable_output()
    stamp.forget()
    partial = output_dir.with_name(f".{output_dir.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    arguments = [str(input_dir), "-o", str(partial), "-s", str(settings), "--fatal", "errors", *pelican_args]
    keys = output_records(input_dir, output_dir) / "page-keys.pickle"  # by plugins/parallel_render
    new_keys = keys.with_name(keys.name + ".new")
    new_keys.unlink(missing_ok=True)
    status, problems = run_and_collect(arguments, {**page_reuse(keys, reusable, stamp.watching),
                                                   BUILD_ENVIRONMENT_VARIABLE: stamp.environment}, fork)
    if problems:
        print(f"\n{len(problems)} problem(s) logged by the build:", file=sys.stderr)
        for level, message in problems:
            print(f"  {level}: {message}", file=sys.stderr)
    if status != 0:
        shutil.rmtree(partial, ignore_errors=True)
        print(f"build failed (pelican exit {status}): {output_dir} left as it was", file=sys.stderr)
        new_keys.unlink(missing_ok=True)
        return status
    swap_into_place(partial, output_dir, leave_old)
    if new_keys.exists():
        new_keys.replace(keys)
    stamp.record()
    return 0


def up_to_date_message(output_dir: Path) -> str:
    return f"nothing changed since the last build: {output_dir} is up to date"


def static_files_copied(output_dir: Path, stamp: BuildStamp) -> bool:
    """Put a fresh copy of the theme's static files in the site, which needs nothing else
    (briefing/theme_static.py); False, after saying why, if that failed: then the site is built."""
    try:
        theme_static.refresh(output_dir, stamp.theme, stamp.values)
    except OSError as error:
        print(f"cannot copy the theme's static files ({error}): building the site", file=sys.stderr)
        return False
    stamp.record()
    print(static_only_report(output_dir))
    return True


def page_reuse(keys: Path, reusable: Path | None, watching: bool) -> dict[str, str]:
    """The environment that tells plugins/parallel_render where the last build's pages and
    their keys are; nothing for a watching build, which rebuilds in place and is never swapped
    in."""
    if watching:
        return {}
    keys.parent.mkdir(parents=True, exist_ok=True)
    return {"RENDER_KEYS": str(keys), "RENDER_REUSE_FROM": str(reusable) if reusable else ""}


LOG_LINE = re.compile(r"\b(ERROR|WARNING|CRITICAL)\s+(.*?)(?:\s{2,}[\w.]+\.py:\d+)?\s*$")


def run_and_collect(arguments: list[str], extra: dict[str, str],
                    fork: bool = False) -> tuple[int, list[tuple[str, str]]]:
    """Run Pelican on `arguments`, passing its output through, and collect its warnings and
    errors."""
    environment = {"COLUMNS": "400", **extra}  # COLUMNS: one line per log record
    if fork:
        process = ForkedPelican(arguments, environment)
    else:
        process = subprocess.Popen([sys.executable, str(RUN_PELICAN), *arguments], stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, env={**os.environ, **environment})
    problems = []
    for line in process.stdout:
        sys.stdout.write(line)
        match = LOG_LINE.search(line)
        if match:
            problems.append((match.group(1), match.group(2)))
    return process.wait(), problems


class ForkedPelican:
    """scripts/run_pelican.py's run() in a fork of this process, its output read through a pipe
    as a Popen's is. The fork never returns into the caller's code: it ends with Pelican's exit
    status."""

    def __init__(self, arguments: list[str], environment: dict[str, str]):
        import run_pelican  # noqa: PLC0415  (this folder's; only a forking build needs it)

        read, write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(read)
            os.dup2(write, 1)
            os.dup2(write, 2)
            os.close(write)  # the pipe ends when fds 1 and 2 close in every process that has them
            os.environ.update(environment)
            sys.path[0] = os.getcwd()  # as run_pelican.py has it
            fresh_logging()
            os._exit(exit_status(run_pelican.run, arguments))
        os.close(write)
        self.stdout = os.fdopen(read, encoding="utf-8", errors="replace")

    def wait(self) -> int:
        _, status = os.waitpid(self.pid, 0)
        self.stdout.close()
        return os.waitstatus_to_exitcode(status)


def exit_status(function, *arguments) -> int:
    """The status a process that runs `function(*arguments)` would exit with: what it returns
    (0 for None), a SystemExit's code, 130 for Ctrl-C, 1 for any other exception (printed).
    Never raises, and flushes the output: a fork must end with os._exit, never return into
    its parent's code."""
    status = 1
    try:
        status = function(*arguments) or 0
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else 1
    except KeyboardInterrupt:
        status = 130
    except BaseException:  # noqa: BLE001  (reported: the process fails)
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    return status


def fresh_logging() -> None:
    """Logging as a new Python has it. Pelican sets its handler up with `logging.basicConfig`,
    which does nothing when the root logger has a handler already (the converter's, run before
    in the same process, or a test runner's): its records would not be printed as LOG_LINE
    reads them."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.setLevel(logging.WARNING)


def old_site(output_dir: Path) -> Path:
    """Where the last site goes while the new one is swapped in."""
    return output_dir.with_name(f".{output_dir.name}.old")


def swap_into_place(partial: Path, output_dir: Path, leave_old: bool = False) -> None:
    old = old_site(output_dir)
    shutil.rmtree(old, ignore_errors=True)
    if output_dir.exists():
        output_dir.rename(old)
    partial.rename(output_dir)
    if not leave_old:  # thousands of files: a second or more at 10,000 briefings
        shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None, fork: bool = False, leave_old: bool = False,
         even_if_current: bool = False) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not args.input_dir.is_dir():
        print(f"error: content folder {args.input_dir} does not exist", file=sys.stderr)
        return 2
    args.output_dir.parent.mkdir(parents=True, exist_ok=True)
    with content_lock(args.input_dir, "build"):
        return build(args.input_dir, args.output_dir.resolve(), args.settings, args.pelican_args, fork, leave_old,
                     even_if_current)


if __name__ == "__main__":
    sys.exit(main())
