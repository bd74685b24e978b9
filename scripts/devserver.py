#!/usr/bin/env python3
"""Serve the site on 127.0.0.1 and rebuild it whenever a seed, a page, the theme or the settings change.

A rebuild is what `make html` does: the converter (it converts only seeds that changed), then
scripts/build.py (it renders only the pages a change touched and swaps the new site in only when
the build succeeds). So a dropped-in clipping shows up after a rebuild of a second or two, and a
failed rebuild leaves the last good site served, with the errors printed. Each rebuild says how
long it took, the CPU it used and the memory of its largest process.

Rebuilds start warm: the devserver imports the converter, Pelican and the plugins once, and
runs each rebuild (converter, then build, then Pelican) in forks of itself, so none of them
starts Python and imports those again (about half a second a rebuild). A fork starts from the
state right after those imports, never from an earlier build's, so a warm rebuild writes what
`make html` writes. When the code it imported changes (the converter, the plugins, these
scripts, the settings files) or a package is installed, upgraded or removed, the devserver
starts itself again, on the same port. --cold starts every step in a new Python instead.
The site is served by a process of its own.

A briefing whose text alone changed (not its metadata) is previewed: the last build left a
keeper, a process holding that build's state (plugins/preview), which writes the briefing's
page, its seed copy and its entry in the search index into the served site once the converter
has run, and the feed of all briefings when the site has feeds (it carries their text). No
other page shows a briefing's text, so that is the site the build would make, and no build
runs: the keeper stays for the next edit. Where the site has Pelican's own feeds
(FEED_ALL_ATOM …), the whole build runs after the preview, as it does after any other
change. With the site up to date at the start no build runs Pelican, so the devserver runs
it once, taking every page from the site, to have a keeper. --no-preview goes without (and
without the keeper's memory: as much as a build's).

Watched: every file of SEEDDIR; CONTENTDIR but for what the converter writes there (briefings/,
sources/) and its cache; the settings files' folder (*.py), the theme, template and plugin
folders the settings name (THEME, THEME_TEMPLATES_OVERRIDES, PLUGIN_PATHS), the converter's code
and rules (briefing/), and the folders packages are installed in (their own modification times:
pip adds and removes folders there). What changed is decided by looking at the files' names,
sizes and modification times (no reading). The system tells a watcher process of changes in
the folders (briefing/file_watch.py): the devserver looks at once, and builds once nothing has
changed for --settle seconds, so a seed still being written is not read half-written. It looks
at the settings files and packages every --interval seconds, and at every file every --rescan
seconds, in case the system does not tell of some change (a network drive changed from another
machine); a change found that way is built once the files have stopped changing for one
interval. Where the watcher cannot run, it looks at every file every interval.

Example:
    python scripts/devserver.py seeds content output -s pelicanconf.py
    python scripts/devserver.py ~/clippings /tmp/content /tmp/site -s pelicanconf.py --port 8080
"""

import argparse
import contextlib
import functools
import gc
import io
import os
import shutil
import signal
import site
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
sys.path.insert(0, str(ROOT))

import build  # noqa: E402  (scripts/build.py and convert.py: this script's folder)
import convert  # noqa: E402
from briefing.build_server import add_site_arguments, arguments_key, stopped  # noqa: E402
from briefing.convert import BRIEFINGS_DIR, SOURCES_DIR  # noqa: E402
from briefing.file_watch import Watcher  # noqa: E402
from briefing.preview import Keeper  # noqa: E402
from briefing.progress import built_report  # noqa: E402
from briefing.up_to_date import (  # noqa: E402
    CACHE_DIR, PACKAGE, BuildInputs, BuildStamp, files_signature, files_under, override_folders,
    parse_with_pelican_args, plugin_folders, read_settings, record_preview, settings_folders)

GENERATED = frozenset({CACHE_DIR.name, BRIEFINGS_DIR, SOURCES_DIR})  # the converter's, in CONTENTDIR


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="example: python scripts/devserver.py seeds content output -s pelicanconf.py",
    )
    add_site_arguments(parser)
    parser.add_argument("--bind", default="127.0.0.1", help="address to serve on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    parser.add_argument("--interval", type=float, default=1.0,
                        help="seconds between two looks at the settings files and installed packages, "
                             "and at every file where the system cannot tell of changes (default: 1)")
    parser.add_argument("--settle", type=float, default=0.2,
                        help="seconds without a change, once the system told of one, before a "
                             "build (default: 0.2)")
    parser.add_argument("--rescan", type=float, default=10.0,
                        help="seconds between two looks at every watched file while the system "
                             "tells of changes (default: 10; at 10,000 seeds a look costs about "
                             "0.07 s of CPU)")
    parser.add_argument("--cold", action="store_true",
                        help="start every rebuild's steps in a new Python (slower; see above)")
    parser.add_argument("--no-preview", dest="preview", action="store_false",
                        help="do not show an edited briefing's page before the whole site is built "
                             "again (see above)")
    parser.set_defaults(name="devserver", convert_options=["--quiet"], wrote="previewed")
    return parse_with_pelican_args(parser, argv)


def watched_files(args: argparse.Namespace) -> list[str]:
    """Every file whose change calls for a rebuild (see the module's docstring)."""
    return folder_files(args) + other_files(args)


def folder_files(args: argparse.Namespace) -> list[str]:
    """The files of the watched folders, which the watcher tells of."""
    return [path for folder, skip in watched_folders(args) if folder.is_dir()
            for _, path in files_under(folder, skip)]


def other_files(args: argparse.Namespace) -> list[str]:
    """The settings files and the folders packages are installed in: looked at every interval."""
    return sorted(str(path) for path in args.settings.resolve().parent.glob("*.py")) + package_folders()


def watched_folders(args: argparse.Namespace) -> list[tuple[Path, frozenset[str]]]:
    """The folders whose every file is watched, each with the names of subfolders (at any
    depth) that are not: the seeds, the content but for what the converter writes, the
    converter's code and rules, and the theme, template and plugin folders the settings name."""
    return [(args.seed_dir, frozenset()), (args.content_dir, GENERATED), (ROOT / "briefing", frozenset()),
            *((folder, frozenset()) for folder in named_folders(args))]


def named_folders(args: argparse.Namespace) -> list[Path]:
    """The theme, template and plugin folders the settings name."""
    settings = args.settings.resolve()
    values = read_settings(settings) or {}
    return settings_folders(settings, values) + override_folders(settings, values)


def package_folders() -> list[str]:
    """The folders packages are installed in. Installing, upgrading or removing one adds or
    removes a folder there (its dist-info at least), which changes the folder's own time."""
    folders = {*site.getsitepackages(), site.getusersitepackages()}
    return sorted(folder for folder in folders if os.path.isdir(folder))


def signature(args: argparse.Namespace, last: tuple[str, str] | None = None) -> tuple[str, str]:
    """The watched files' signature: (the watched folders', the other files'). With `last`, the
    folders' is taken from it rather than looked at again (the watcher tells of their changes)."""
    return (files_signature(folder_files(args)) if last is None else last[0],
            files_signature(other_files(args)))


def code_signature(args: argparse.Namespace) -> str:
    """The files of the code a warm devserver imported: the converter's package, these scripts,
    the settings files (they say which plugins to load, from where), the plugin folders
    they name (see warm_up) and the installed packages."""
    settings = args.settings.resolve()
    plugins = plugin_folders(settings, read_settings(settings) or {})
    return files_signature(sorted(str(path) for path in settings.parent.glob("*.py")) +
                           [path for folder in (PACKAGE, SCRIPTS, *plugins) for _, path in files_under(folder)] +
                           package_folders())


def layout_signature(args: argparse.Namespace) -> str:
    """The files of the theme, template and plugin folders the settings name: a page the last
    build's keeper previews would look as they were then."""
    return files_signature([path for folder in named_folders(args) for _, path in files_under(folder)])


def convert_arguments(args: argparse.Namespace) -> list[str]:
    return [str(args.seed_dir), str(args.content_dir), *args.convert_options]


def build_arguments(args: argparse.Namespace) -> list[str]:
    return [str(args.content_dir), str(args.output_dir), "-s", str(args.settings), "--", *args.pelican_args]


def warm_up(args: argparse.Namespace) -> None:
    """Import what every rebuild runs, so that each fork has it: the converter, Pelican and the
    plugins the settings name (imported, not registered: each build registers them); scripts/
    convert.py and build.py are imported with this module. Then keep all of it out of the
    collector's sight."""
    os.environ["COLUMNS"] = "400"  # Pelican's console reads it once, when imported (build.py sets it)
    quiet = io.StringIO()  # the console decides on colours when imported: none, as through a pipe
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        import dateparser.date  # noqa: F401, PLC0415  (the converter imports it for a few seeds)
        import run_pelican  # noqa: F401, PLC0415
        from briefing import pipeline  # noqa: F401, PLC0415
        from briefing.seed_cache import converter_fingerprint  # noqa: PLC0415
        from briefing.up_to_date import environment_fingerprint  # noqa: PLC0415
        from pelican.plugins._utils import load_plugins  # noqa: PLC0415
        from pelican.settings import read_settings as pelican_settings  # noqa: PLC0415

        converter_fingerprint()  # kept: the converter's code cannot change without a restart
        environment_fingerprint(args.settings, args.pelican_args)  # its imports and package lists
        warm_converter(args.seed_dir)
        try:
            load_plugins(pelican_settings(str(args.settings)))
        except Exception:  # noqa: BLE001  (the build will say what is wrong with them)
            pass
    gc.freeze()


def warm_converter(seed_dir: Path) -> None:
    """Convert a seed in memory, so that every fork finds the converter's rules compiled and
    its gazetteers loaded: at first use they took 0.15 s of each one-seed conversion."""
    from briefing.pipeline import convert_seed  # noqa: PLC0415
    from briefing.seed_files import seed_files  # noqa: PLC0415

    for seed in seed_files(seed_dir)[:1]:
        try:
            with open(seed, "rb") as file:
                convert_seed(seed.name, file.read(1 << 16))
        except Exception:  # noqa: BLE001  (the conversion proper will say what is wrong with it)
            pass


@dataclass
class Rebuilt:
    """How a rebuild went: the exit status of its last step (0: it succeeded; else the errors
    are printed), its CPU seconds and largest process's MB, the keeper it left, and what is
    left to do once it is reported (`then`: bookkeeping the site does not wait for)."""
    status: int
    cpu: float
    peak: float
    keeper: Keeper | None = None
    then: Callable[[], None] | None = None

    @property
    def success(self) -> bool:
        return self.status == 0


def rebuild(args: argparse.Namespace, keeper: Keeper | None, started: float) -> Rebuilt:
    """`make html`: convert, then build. With the last build's `keeper`, the pages of
    briefings whose text alone changed are shown in between; when that is all the edit
    changed, or nothing changed, no build runs and the same keeper is kept."""
    if args.cold:
        steps = [[sys.executable, str(SCRIPTS / "convert.py"), *convert_arguments(args)],
                 [sys.executable, str(SCRIPTS / "build.py"), *build_arguments(args)]]
        cpu = peak = 0.0
        for step in steps:
            status, usage = waited(subprocess.Popen(step).pid)
            cpu, peak = cpu + usage[0], max(peak, usage[1])
            if status != 0:
                return Rebuilt(status, cpu, peak)
        return Rebuilt(0, cpu, peak)
    status, (cpu, peak) = forked(convert.main, convert_arguments(args))
    if status != 0:  # the keeper compares the files with what it read at the next request
        return Rebuilt(status, cpu, peak, keeper)
    if keeper is not None:
        answer, record = previewed(args, keeper, started)
        if answer.get("complete"):  # the site is as the build would make it: no build
            return Rebuilt(0, cpu + answer.get("cpu", 0.0), max(peak, answer.get("megabytes", 0)), keeper, record)
        if record is not None:
            record()  # before the build, which takes the pages the preview did not write from the site
        if answer.get("current"):
            return Rebuilt(0, cpu, peak, keeper)
        keeper.close()  # it ends before the build starts: the two never hold a site's memory at once
    status, usage, keeper = kept_build(args)
    return Rebuilt(status, cpu + usage[0], max(peak, usage[1]), keeper)


def site_is_current(args: argparse.Namespace, inputs: BuildInputs) -> bool:
    """Whether the site is what a build would make (then say so, as the build does): the
    keeper found no content file changed, but the theme, the settings or the site's own files
    may have. `inputs`: their fingerprint, taken while the keeper looked (a file changed since
    is seen by the next round)."""
    output_dir = args.output_dir.resolve()
    if not BuildStamp(args.content_dir, output_dir, args.settings, args.pelican_args, inputs).site_is_current():
        return False
    print(build.up_to_date_message(output_dir), flush=True)
    return True


def kept_build(args: argparse.Namespace, even_if_current: bool = False) -> tuple[int, tuple, Keeper | None]:
    """Build in a fork: its exit status, CPU and peak MB, and the keeper it left (with
    --no-preview, or when Pelican did not run or failed, none)."""
    keeper = Keeper() if args.preview else None
    status, usage = forked(build_here, args, keeper, even_if_current)
    if keeper is not None:
        keeper.build_started()
        if status != 0 or not keeper.wait_ready():
            keeper.close()
            keeper = None
    return status, usage, keeper


def forked(function, *arguments) -> tuple[int, tuple[float, float]]:
    """Run function(*arguments) in a fork of this warm process: its exit status, CPU seconds and
    peak MB. Ctrl-C is held back while the process forks: a KeyboardInterrupt raised in the
    fork's own hooks (logging's) is printed and lost, and the build server then went on
    serving after a client's Ctrl-C. Held back, it is raised once the fork is made, and the
    fork, which a signal pending before it began does not reach, is interrupted too."""
    sys.stdout.flush()
    sys.stderr.flush()
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    pid = os.fork()
    if pid == 0:
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        except KeyboardInterrupt:
            os._exit(130)
        os._exit(build.exit_status(function, *arguments))
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a Ctrl-C meanwhile is raised here
    except KeyboardInterrupt:
        os.kill(pid, signal.SIGINT)
        raise
    return waited(pid)


def build_here(args: argparse.Namespace, keeper: Keeper | None, even_if_current: bool = False) -> int:
    """In a fork of the warm process: build; a build that ends well leaves `keeper` its state."""
    if keeper is not None:
        keeper.in_build()
        os.environ.update(keeper.environment())
    return build.main(build_arguments(args), fork=True, leave_old=True, even_if_current=even_if_current)


def keeper_at_start(args: argparse.Namespace) -> Keeper | None:
    """The site was up to date at the start, so no build ran Pelican and none left a keeper:
    run it once, taking every page from the site, so that the first edit is previewed too."""
    print(f"[{args.name}] reading the site once more, so that an edit to a briefing's text can be "
          "shown at once", flush=True)
    with contextlib.redirect_stdout(io.StringIO()):  # its errors still show: on stderr
        keeper = kept_build(args, even_if_current=True)[2]
    remove_old_site(args)
    return keeper


def previewed(args: argparse.Namespace, keeper: Keeper, started: float) -> tuple[dict, Callable[[], None] | None]:
    """Have the last build's keeper write what changed with the text of briefings whose text
    alone changed (plugins/preview), and say so, or why not; its answer, and the stamp's
    record of what it wrote (`recorded`), to be made before anything else reads the stamp."""
    asking = keeper.ask(args.output_dir.resolve())
    inputs = BuildInputs(args.content_dir, args.settings, args.pelican_args)  # while the keeper works
    answer = {"reason": asking} if asking else keeper.answer()
    written = answer.get("written")
    if not written:
        if answer.get("unchanged"):  # then "current": whether a build would find the site current too
            answer["current"] = site_is_current(args, inputs)
        else:
            print(f"[{args.name}] no preview: {answer.get('reason')}", flush=True)
        return answer, None
    pages = ", ".join(name for name in written if name.endswith(".html"))
    if answer.get("complete"):
        others = [name for name in written if not name.endswith(".html")]
        folders = ", ".join(sorted({name.split("/")[0] + "/" for name in others}))
        print(f"[{args.name}] {args.wrote} {pages} in {time.perf_counter() - started:.2f} s, and the "
              f"{len(others)} other files the edit changes ({folders}): nothing is left to build",
              flush=True)
    else:
        print(f"[{args.name}] {args.wrote} {pages} in {time.perf_counter() - started:.2f} s; "
              f"building the rest ({answer.get('rest')})", flush=True)
    return answer, functools.partial(recorded, args, keeper, answer, inputs)


def recorded(args: argparse.Namespace, keeper: Keeper, answer: dict, inputs: BuildInputs) -> None:
    """The stamp's record of what the keeper wrote (record_preview). The inputs' fingerprint
    was taken while the keeper worked: it is the site's only if no file changed from the
    keeper's reading until now (a file changed later, the next build sees)."""
    finished = answer.get("complete") and keeper.as_read()
    record_preview(args.content_dir, args.output_dir.resolve(), answer.get("before", {}),
                   inputs if finished else None)


def remove_old_site(args: argparse.Namespace) -> None:
    """The last site, swapped out by a warm rebuild, deleted once the new one is reported."""
    shutil.rmtree(build.old_site(args.output_dir.resolve()), ignore_errors=True)


def waited(pid: int) -> tuple[int, tuple[float, float]]:
    """A child's exit status once it ends, with its CPU seconds and peak MB (its own processes'
    included)."""
    _, status, usage = os.wait4(pid, 0)
    return os.waitstatus_to_exitcode(status), (usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002  (the base class's name)
        pass  # a line per request would bury the build's messages


def serve(args: argparse.Namespace) -> tuple[int, tuple]:
    """Serve OUTPUTDIR from a process of its own (the warm process forks rebuilds, which a
    process with threads must not do); the folder is looked up by name at each request, so the
    site that scripts/build.py swaps in is the one served. (The server's pid, its address.) The
    port is taken here, so that a busy one is an error at once."""
    args.output_dir.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(QuietHandler, directory=str(args.output_dir.resolve()))
    server = ThreadingHTTPServer((args.bind, args.port), handler)
    parent = os.getpid()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        try:
            threading.Thread(target=stop_when_orphaned, args=(server, parent), daemon=True).start()
            server.serve_forever()
        finally:
            os._exit(0)
    server.socket.close()
    return pid, server.server_address


def stop_when_orphaned(server: ThreadingHTTPServer, parent: int) -> None:
    """The server's process ends with the devserver, however that ends."""
    while os.getppid() == parent:
        time.sleep(1)
    server.shutdown()


def stop(server: int) -> None:
    try:
        os.kill(server, signal.SIGTERM)
        os.waitpid(server, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def settled_signature(args: argparse.Namespace, seen: tuple[str, str]) -> tuple[str, str]:
    """The files' signature once it has stopped changing for one interval."""
    while True:
        time.sleep(args.interval)
        now = signature(args)
        if now == seen:
            return now
        seen = now


def built(args: argparse.Namespace, reason: str, keeper: Keeper | None = None) -> tuple[bool, Keeper | None]:
    """Rebuild, say how it went; (whether it succeeded, the new build's keeper)."""
    print(f"\n[devserver] {time.strftime('%H:%M:%S')} {reason}: building", flush=True)
    started = time.perf_counter()
    rebuilt = rebuild(args, keeper, started)
    with interrupts_held():  # a Ctrl-C once the report is out waits for `then` (0.4 s at 10,000 seeds)
        if rebuilt.success:
            print(f"[devserver] {built_report(time.perf_counter() - started, rebuilt.cpu, rebuilt.peak)}", flush=True)
        else:
            print("[devserver] the build failed (see above): the last good site is still served",
                  flush=True)
        if rebuilt.then is not None:
            rebuilt.then()
    if not args.cold:
        remove_old_site(args)
    return rebuilt.success, rebuilt.keeper


@contextlib.contextmanager
def interrupts_held():
    """Ctrl-C is delivered when the block ends, not in the middle of it."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def restart(argv: list[str], port: int) -> None:
    """Start this script again, with the same arguments and on the port it serves on."""
    print("\n[devserver] the code it imported (converter, plugins, scripts, settings, packages) "
          "changed: starting again", flush=True)
    os.execv(sys.executable, [sys.executable, str(Path(__file__).resolve()), *restart_arguments(argv, port)])


def restart_arguments(argv: list[str], port: int) -> list[str]:
    """`argv` with `--port PORT` added before Pelican's options (the last --port counts: with
    `--port 0` the first start picked a free one, and the site must stay where it was)."""
    cut = argv.index("--") if "--" in argv else len(argv)
    return [*argv[:cut], "--port", str(port), *argv[cut:]]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if not args.seed_dir.is_dir():  # the content folder is made by the converter, as in make html
        print(f"error: seed folder {args.seed_dir} does not exist", file=sys.stderr)
        return 2
    try:
        server, (host, port) = serve(args)
    except OSError as error:
        print(f"error: cannot serve on {args.bind}:{args.port}: {error}", file=sys.stderr)
        return 2
    if stopped(arguments_key(args)):
        print("[devserver] stopped the build server make html left for this site: the devserver builds it now",
              flush=True)
    code = None if args.cold else code_signature(args)
    with contextlib.suppress(OSError):  # made by the first build; watched from the start
        args.content_dir.mkdir(parents=True, exist_ok=True)
    watcher = Watcher(watched_folders(args))  # before the imports: its process needs none of them
    if not args.cold:
        warm_up(args)
    seen = signature(args)
    keeper = None  # the last build's (see plugins/preview)
    try:
        layout = layout_signature(args)  # the keeper's pages look as these files make them
        success, keeper = built(args, "first build")
        if success and keeper is None and args.preview and not args.cold:
            keeper = keeper_at_start(args)
        print(f"[devserver] serving {args.output_dir} on http://{host}:{port}/ and watching "
              f"{args.seed_dir} for changes; Ctrl-C to stop", flush=True)
        looked = time.monotonic()  # at every file
        while True:
            told = watcher.wait(args.interval)
            if told:
                watcher.quiet_for(args.settle)
            every_file = told or not watcher.watching or time.monotonic() - looked >= args.rescan
            now = signature(args, None if every_file else seen)
            looked = time.monotonic() if every_file else looked
            if now != seen:  # a change made during the build is seen next
                seen = now if told else settled_signature(args, now)
                if code is not None and code_signature(args) != code:
                    watcher.stop()
                    stop(server)
                    restart(argv, port)
                layout_before, layout = layout, layout_signature(args)
                if keeper is not None and layout != layout_before:  # its pages would look as before
                    keeper.close()
                    keeper = None
                keeper = built(args, "files changed", keeper)[1]
    except KeyboardInterrupt:
        print("\n[devserver] stopped", flush=True)
    finally:
        if keeper is not None:
            keeper.close()
        watcher.stop()
        stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
