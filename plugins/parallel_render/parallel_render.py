"""Render pages on every core: Pelican renders them one after another on one.

A Writer that records each page (template, context, output path) instead of rendering it, then,
once every generator has asked for its pages, renders them in forked processes, each taking the
next few pages whenever it is free. Forking shares the finished context with the workers for
free. Other plugins can hand the writer a long job that writes files of its own
(`writer.defer(function)`, as the search index does) to run alongside the pages; it is given
the build's `Reuse` (or None), through which it may bring unchanged files over from the last
build and record what its files were made from (reuse.py). A job that needs nothing the build
makes after a certain point can be started there instead (`start_early`), in a process of its
own, while the build's process still makes its context on one core. Each page is
rendered exactly as Pelican renders it (same context, same `localsiteurl`), so the output is the
same bytes; Pelican's overwrite checks still run as pages are recorded, and `content_written`
is sent for every page, in order, once all are written. Then `pages_rendered` (a blinker signal
of that name) is sent with the writer, its pages (`pages=`, a list of `Page`) and the deferred
jobs' functions (`deferred=`), while every file and context they read is still open:
plugins/preview keeps them.

Static files are copied by the same workers, as Pelican copies them; feeds are written as
Pelican writes them. When scripts/build.py offers the last build, a page whose key (what it
shows) is the same as then is taken from it instead of rendered, and so is a static file whose
bytes are the same (reuse.py). Settings:
RENDER_PROCESSES (default: the number of usable cores; 1 renders in the build's own process);
RENDER_REUSE_TEMPLATES (default: none; the templates whose pages may be copied, see reuse.py).
List this plugin first in PLUGINS: its `finalized` handler writes the pages, and handlers of
other plugins that read them must come after it. Pages do not exist yet when
`article_writer_finalized` or `page_writer_finalized` are sent: read them in `finalized`, or
take each from `content_written`.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import operator
import os
import pickle
import shutil
import signal as signal_module
import sys
import tempfile
import traceback

from blinker import signal
from pelican import signals
from pelican.paginator import Paginator
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from briefing.cores import usable_cores
from briefing.progress import Progress, taken_report

from .reuse import Reuse

log = logging.getLogger(__name__)

INLINE_BELOW = 32  # fewer pages than this: not worth a fork
CHUNK = 8  # pages a process takes at a time
pages_rendered = signal("pages_rendered")


def render_processes(settings) -> int:
    """RENDER_PROCESSES, or the usable cores when it is unset or not a positive whole number."""
    value = settings.get("RENDER_PROCESSES")
    if value is None:
        return usable_cores()
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    log.warning("RENDER_PROCESSES must be a whole number of 1 or more, not %r: using %d",
                value, usable_cores())
    return usable_cores()


class Page:
    """A page to render. Its context is the shared context as it was when the page was asked
    for (`base`, one copy shared by every page asked for while the context did not change) plus
    the page's own values (`own`): a full copy per page took about 60 MB at 10,000 briefings."""

    __slots__ = ("template", "context", "base", "own", "path")

    def __init__(self, template, context, base, own, path):
        self.template, self.context, self.base, self.own, self.path = template, context, base, own, path

    @property
    def localcontext(self) -> dict:
        """What Pelican's Writer.write_file renders with: a copy of the context, updated."""
        localcontext = self.base.copy()
        localcontext.update(self.own)
        return localcontext

    def render(self, reuse: Reuse | None = None) -> None:
        """What Pelican's Writer.write_file does for one page (pelican/writers.py), written as
        it is rendered: the biggest pages (chronology.html, 30 MB at 10,000 briefings) are
        never held whole, with every piece they are joined from. With `reuse`, a page that
        has not changed since the last build is copied from it instead (see reuse.py)."""
        if self.own["localsiteurl"]:
            self.context["localsiteurl"] = self.own["localsiteurl"]
        if reuse is not None and reuse.copied(self):
            return
        self.write(self.path)

    def write(self, path: str) -> None:
        """Render the page into `path`."""
        if self.own["localsiteurl"]:
            self.context["localsiteurl"] = self.own["localsiteurl"]
        localcontext = self.localcontext
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as file:
            file.writelines(self.template.generate(localcontext))


class StaticCopy:
    """A static file to copy (or link), as the static generator would have done it."""

    __slots__ = ("generator", "staticfile")

    def __init__(self, generator, staticfile):
        self.generator, self.staticfile = generator, staticfile

    def render(self, reuse: Reuse | None = None) -> None:
        """Pelican's copy, or the last build's when it has the same bytes (reuse.py)."""
        generator, staticfile = self.generator, self.staticfile
        if reuse is not None and not generator.settings["STATIC_CREATE_LINKS"] and reuse.same_file_taken(
                os.path.join(generator.path, staticfile.source_path),
                os.path.join(generator.output_path, staticfile.save_as)):
            return
        type(generator)._link_or_copy_staticfile(generator, staticfile)


STATIC_COPIES: list[StaticCopy] = []


class Deferred:
    """A plugin's job that writes its own files, run with the pages."""

    __slots__ = ("function",)

    def __init__(self, function):
        self.function = function

    def render(self, reuse=None) -> None:
        self.function(reuse)


class EarlyJobs:
    """Deferred jobs started before the pages are recorded (`start_early`), each in a forked
    process of its own, and the build's Reuse, made for the first of them and then for the
    pages."""

    def __init__(self):
        self.reuse: Reuse | None = None
        self.reuse_made = False
        self.running: list[tuple[int, object, str]] = []  # (process, function, its hand-back file)

    def reuse_for(self, settings, output_path: str) -> Reuse | None:
        """The build's Reuse (or None), made once: it reads the last build's page keys."""
        if not self.reuse_made:
            self.reuse, self.reuse_made = Reuse.from_environment(settings, output_path), True
        return self.reuse

    def start(self, function, settings, output_path: str) -> None:
        """Fork a process that runs `function(reuse)`, then hands back the keys it recorded
        through a file (see `run_early`)."""
        reuse = self.reuse_for(settings, output_path)
        descriptor, handback = tempfile.mkstemp(prefix="briefing-early-job-")
        os.close(descriptor)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os._exit(run_early(function, reuse, handback))
        self.running.append((pid, function, handback))

    def finish(self, reuse: Reuse | None) -> list:
        """Wait for every job started early; take in the keys each recorded. Their functions,
        for `pages_rendered`. A job that failed fails the build (after every job has ended)."""
        failed, functions = [], []
        for pid, function, handback in self.running:
            try:
                if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0:
                    failed.append(getattr(function, "__qualname__", repr(function)))
                elif reuse is not None:
                    take_back(reuse, handback)
            finally:
                os.unlink(handback)
            functions.append(function)
        self.running.clear()
        if failed:
            raise RuntimeError(f"a job started before the pages failed: {', '.join(failed)} "
                               "(see the messages above)")
        return functions

    def stop(self, *args) -> None:
        """The build failed (scripts/run_pelican.py's `pelican_run_failed`): end the jobs still
        running, so that the failure is reported now and not once they are done (the search
        files of 10,000 briefings took seconds more)."""
        for pid, _, _ in self.running:
            with contextlib.suppress(OSError):
                os.kill(pid, signal_module.SIGTERM)
        self.forget()

    def forget(self, *args) -> None:
        """A new build (in a process that runs Pelican again): what a failed build left."""
        for pid, _, handback in self.running:
            try:
                os.waitpid(pid, 0)
                os.unlink(handback)
            except OSError:
                pass
        self.__init__()


EARLY = EarlyJobs()


def start_early(function, settings, output_path: str) -> bool:
    """Start a job for `writer.defer` now (`function(reuse)`, see ParallelWriter.defer), in a
    forked process of its own: for a job that needs nothing the build makes after this point.
    While it runs, the build's process goes on making the context on one core (the entity,
    event and cross-link structures, the other generators' contexts, the pages' records), so
    the job takes the core that would wait, and the pages, rendered after, share both cores
    among themselves. The writer waits for it once its pages are written, takes in the keys it
    recorded and fails the build if it failed. False when the pages are rendered in the
    build's process alone (RENDER_PROCESSES 1): defer the job then."""
    if render_processes(settings) < 2:
        return False
    EARLY.start(function, settings, output_path)
    return True


def run_early(function, reuse: Reuse | None, handback: str) -> int:
    """In the forked process: the job, then the keys it recorded into `handback`; an exit
    status. The job runs as it would among the pages, with the collector on; what the build
    made before the fork is frozen, so the collector walks only what the job makes (the build
    may have turned it off while it makes its structures: plugins/lean_contents)."""
    gc.freeze()
    gc.enable()
    try:
        function(reuse)
        if reuse is not None:
            hand_back(reuse, handback)
    except Exception:  # noqa: BLE001  (reported, and the build fails on this status)
        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    return 0


def hand_back(reuse: Reuse, path: str) -> None:
    """In a forked process (a rendering one, an early job's): what its Reuse recorded, into
    `path`, for the build's process to `take_back`."""
    with open(path, "wb") as file:
        pickle.dump(reuse.collected(), file, pickle.HIGHEST_PROTOCOL)


def take_back(reuse: Reuse, path: str) -> None:
    """What a forked process handed back into `path`, merged into the build's Reuse."""
    with open(path, "rb") as file:
        reuse.merge(*pickle.load(file))


def defer_static_copies(generator) -> None:
    """Copy static files (a thousand seed copies for a thousand briefings) with the pages."""
    generator._link_or_copy_staticfile = lambda staticfile: STATIC_COPIES.append(
        StaticCopy(generator, staticfile))


class ParallelWriter(Writer):
    current: ParallelWriter | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pages: dict[str, Page] = {}  # by output path, in the order Pelican asked
        self.deferred: list[Deferred] = []
        self.last_copy: dict | None = None
        ParallelWriter.current = self

    def defer(self, function) -> None:
        """Run `function(reuse)` (it writes files itself; `reuse` is the build's Reuse or
        None) when the pages are rendered, in whichever process is free: after every
        generator, before `finalized` handlers."""
        self.deferred.append(Deferred(function))

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):
        """Pelican's Writer.write_file (pelican/writers.py), recording pages instead of
        rendering them."""
        if not name:
            return
        if paginated is None:
            paginated = {key: val for key, val in kwargs.items() if key in {"articles", "dates"}}
        if not (paginated and template_name in self.settings["PAGINATED_TEMPLATES"]):
            self.record(template, context, name, kwargs, relative_urls, override_output)
            return
        per_page = (self.settings["PAGINATED_TEMPLATES"][template_name]
                    or self.settings["DEFAULT_PAGINATION"])
        paginators = {key: Paginator(name, url, val, self.settings, per_page)
                      for key, val in paginated.items()}
        for page_num in range(next(iter(paginators.values())).num_pages):
            paginated_kwargs = kwargs.copy()
            for key, paginator in paginators.items():
                page = paginator.page(page_num + 1)
                paginated_kwargs.update({
                    f"{key}_paginator": paginator,
                    f"{key}_page": page,
                    f"{key}_previous_page": paginator.page(page_num) if page_num > 0 else None,
                    f"{key}_next_page": (paginator.page(page_num + 2)
                                         if page_num + 1 < paginator.num_pages else None),
                })
            self.record(template, context, page.save_as, paginated_kwargs, relative_urls,
                        override_output)

    def record(self, template, context, name, kwargs, relative_urls, override) -> None:
        own = {"localsiteurl": context.get("localsiteurl", None)}
        if relative_urls:
            relative_url = path_to_url(get_relative_path(name))
            own["SITEURL"] = relative_url
            own["localsiteurl"] = relative_url
        own["output_file"] = name
        own.update(kwargs)
        path = sanitised_join(self.output_path, name)
        if self.claim(path, override):
            self.pages.pop(path, None)  # an override replaces the page written before
            self.pages[path] = Page(template, context, self.context_copy(context), own, path)

    def context_copy(self, context: dict) -> dict:
        """A copy of `context` as it is now; the last one made if the context has not changed
        since (the same keys, in the same order, holding the same objects). Compared a page at a
        time, without a Python step per key: 190 keys × 14,000 pages at 10,000 briefings."""
        last = self.last_copy
        if last is None or len(last) != len(context) or not (
                all(map(operator.eq, last, context)) and all(map(operator.is_, last.values(), context.values()))):
            self.last_copy = last = context.copy()
        return last

    def claim(self, path: str, override: bool) -> bool:
        """Pelican's overwrite rules (Writer._open_w), without opening: False to skip."""
        if path in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{path}" a second time (was previously overwritten)')
            log.info('Skipping "%s", not overwriting', path)
            return False
        if path in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{path}" as Pelican has already written to it previously '
                "(set `override=True` if intended)")
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
        return True

    def render_all(self) -> None:
        pages = list(self.pages.values())
        jobs = self.deferred + among(pages, STATIC_COPIES)  # the longest first
        processes = min(render_processes(self.settings), len(jobs))
        reuse = EARLY.reuse_for(self.settings, self.output_path)
        if reuse is not None:
            reuse.prepare(pages)
        if processes < 2 or len(jobs) < INLINE_BELOW:
            for job in jobs:
                job.render(reuse)
        else:
            taking = ", unchanged ones taken from the last build" if reuse is not None and reuse.previous else ""
            print(f"Writing {len(pages)} pages in {processes} processes{taking}", flush=True)
            render_in_processes(jobs, processes, reuse)
            last_url = pages[-1].localcontext["localsiteurl"] if pages else None
            if last_url:  # as after Pelican's last page
                pages[-1].context["localsiteurl"] = last_url
        early = EARLY.finish(reuse)
        if reuse is not None:
            reuse.save()
            if reuse.previous:  # nothing to say on a first build
                print(taken_report(reuse.reused, len(pages)))
        STATIC_COPIES.clear()
        deferred = early + [job.function for job in self.deferred]
        self.deferred.clear()
        EARLY.forget()
        for page in pages:
            log.info('Writing "%s"', page.path)
            signals.content_written.send(page.path, context=page.localcontext)
        pages_rendered.send(self, pages=pages, deferred=deferred)
        self.pages.clear()
        self.last_copy = None


def among(pages: list, copies: list) -> list:
    """The pages with the static copies spread evenly among them, in their orders. A copy is
    mostly the system making a file, which on some machines waits more than it computes: after
    the pages, the thousand seed copies of a build from nothing at 1,000 briefings took half a
    second with both cores barely busy. Among the pages, a process that waits for its copy
    leaves the core to one that renders."""
    if not pages or not copies:
        return pages + copies
    spread = []
    for index, page in enumerate(pages):
        spread.append(page)
        spread.extend(copies[index * len(copies) // len(pages):(index + 1) * len(copies) // len(pages)])
    return spread


def render_in_processes(pages: list, processes: int, reuse: Reuse | None = None) -> None:
    """This process and `processes - 1` forked ones render the pages, each taking the next
    CHUNK pages whenever it is free (pages differ a lot: a briefing against the chronology).
    The forked ones hand back the page keys they recorded through a file each."""
    taken = multiprocessing.get_context("fork").Value("q", 0)  # pages handed out so far
    finished = multiprocessing.get_context("fork").Value("q", 0)  # pages written so far
    handback = tempfile.mkdtemp(prefix="briefing-page-keys-")
    children = []
    try:
        for _ in range(1, processes):
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                os._exit(render_share(pages, (taken, finished), reuse, handback))
            children.append(pid)
        stop_saying = Progress("Writing files", len(pages)).watch(lambda: finished.value)
        try:
            status = render_share(pages, (taken, finished), reuse)
        finally:
            stop_saying()
        failed = [pid for pid in children if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0]
        if status or failed:
            raise RuntimeError("rendering pages failed (see the messages above)")
        if reuse is not None:
            for pid in children:
                take_back(reuse, os.path.join(handback, str(pid)))
    finally:
        shutil.rmtree(handback, ignore_errors=True)


def next_pages(pages: list, taken):
    """The pages this process takes, CHUNK at a time, until none are left."""
    while True:
        with taken.get_lock():
            start = taken.value
            taken.value = start + CHUNK
        if start >= len(pages):
            return
        yield from pages[start:start + CHUNK]


def render_share(pages: list, counts, reuse: Reuse | None = None,
                 handback: str | None = None) -> int:
    """Render pages until none are left. In a forked process (`handback` is set), return an
    exit status rather than raise, and leave the page keys recorded in `handback`. `counts`:
    the shared counts of the pages handed out and of those written."""
    in_child = handback is not None
    taken, finished = counts
    try:
        for page in next_pages(pages, taken):
            page.render(reuse)
            with finished.get_lock():
                finished.value += 1
        if in_child and reuse is not None:
            hand_back(reuse, os.path.join(handback, str(os.getpid())))
    except Exception:
        if not in_child:
            raise
        traceback.print_exc()
        return 1
    finally:
        if in_child:
            sys.stdout.flush()
            sys.stderr.flush()
    return 0


def get_writer(pelican):
    return ParallelWriter


def write_pages(pelican) -> None:
    writer, ParallelWriter.current = ParallelWriter.current, None
    if writer is not None:
        writer.render_all()


def register() -> None:
    signals.initialized.connect(EARLY.forget)
    signal("pelican_run_failed").connect(EARLY.stop)  # sent by scripts/run_pelican.py
    signals.get_writer.connect(get_writer)
    signals.static_generator_finalized.connect(defer_static_copies)
    signals.finalized.connect(write_pages)
