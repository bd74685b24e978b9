"""Rendering in forked processes: every page written; a page that fails fails the build; jobs
started early run beside the build and are waited for."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from parallel_render.parallel_render import CHUNK, render_in_processes  # noqa: E402


class Job:
    def __init__(self, path: Path, fail: bool = False):
        self.path, self.fail = path, fail

    def render(self, reuse=None) -> None:
        if self.fail:
            raise ValueError(f"template error in {self.path.name}")
        self.path.write_text(self.path.name, "utf-8")


def test_every_page_is_written_by_one_of_the_processes(tmp_path):
    jobs = [Job(tmp_path / f"page{i}.html") for i in range(7)]
    render_in_processes(jobs, 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"page{i}.html" for i in range(7)]


def test_a_failing_page_fails_the_rendering_with_its_message(tmp_path, capfd):
    """Whichever process takes it: the build's own raises the page's error, a worker's exit
    fails the rendering and its traceback names the page."""
    jobs = [Job(tmp_path / f"page{i}.html", fail=i == 20) for i in range(40)]
    with pytest.raises((RuntimeError, ValueError)) as raised:
        render_in_processes(jobs, 2)
    if raised.type is RuntimeError:
        assert "rendering pages failed" in str(raised.value)
        assert "template error in page20.html" in capfd.readouterr().err
    else:
        assert "template error in page20.html" in str(raised.value)


def test_the_processes_share_the_pages_out_as_they_go(tmp_path):
    """A slow page does not hold up the pages after it: the other process takes them."""
    class Slow(Job):
        def render(self, reuse=None) -> None:
            time.sleep(1.0)
            super().render()
            (tmp_path / "slow-done").write_text(str(len(list(tmp_path.glob("page*.html")))))

    jobs = [Slow(tmp_path / "slow.html")] + [Job(tmp_path / f"page{i}.html") for i in range(63)]
    render_in_processes(jobs, 2)
    # the slow page's process renders the rest of its first few pages after it; the other
    # process renders all the others meanwhile
    assert int((tmp_path / "slow-done").read_text()) >= 63 - CHUNK


def test_a_bad_process_count_is_reported_and_replaced(caplog):
    from parallel_render.parallel_render import render_processes, usable_cores  # noqa: PLC0415

    assert render_processes({"RENDER_PROCESSES": 3}) == 3
    assert render_processes({}) == usable_cores()
    assert render_processes({"RENDER_PROCESSES": "two"}) == usable_cores()
    assert "RENDER_PROCESSES must be a whole number" in caplog.text


def test_pages_share_a_copy_of_the_context_only_while_it_is_unchanged():
    """Each page keeps the context as it was when the page was recorded; while no key was
    added, removed, moved or given another object, pages share one copy."""
    from types import SimpleNamespace  # noqa: PLC0415

    from parallel_render.parallel_render import ParallelWriter  # noqa: PLC0415

    writer = SimpleNamespace(last_copy=None)
    x, y = ["x"], ["y"]
    context = {"a": x, "b": y}
    first = ParallelWriter.context_copy(writer, context)
    assert first == context and first is not context
    assert ParallelWriter.context_copy(writer, context) is first
    assert ParallelWriter.context_copy(writer, {"a": x, "b": y}) is first  # equal keys, same objects
    for changed in ({"a": x, "b": ["y"]},  # an equal list, but another object
                    {"a": x, "b": y, "c": x},  # a key added
                    {"b": x, "a": y}):  # keys moved, each to the other's object
        writer.last_copy = first
        assert ParallelWriter.context_copy(writer, changed) == changed
        assert writer.last_copy is not first


@pytest.fixture
def early_jobs():
    """plugins/parallel_render's jobs started early, left as a new build finds them."""
    from parallel_render.parallel_render import EARLY  # noqa: PLC0415

    yield EARLY
    EARLY.forget()


def test_a_job_started_early_runs_beside_the_build_until_the_writer_waits_for_it(tmp_path, early_jobs):
    """The job runs in another process while the build goes on (here it waits for a file the
    build writes after starting it); once waited for, its function is handed on for
    `pages_rendered`, as a deferred job's is."""
    from parallel_render.parallel_render import start_early  # noqa: PLC0415

    go, done = tmp_path / "go", tmp_path / "done"

    def job(reuse) -> None:
        deadline = time.monotonic() + 10
        while not go.exists():
            if time.monotonic() > deadline:
                raise TimeoutError("the build never went on while the job ran")
            time.sleep(0.01)
        done.write_text(str(os.getpid()))

    assert start_early(job, {"RENDER_PROCESSES": 2}, str(tmp_path)) is True
    go.write_text("")
    assert early_jobs.finish(None) == [job]
    assert int(done.read_text()) != os.getpid()
    assert early_jobs.running == []


def test_a_job_started_early_that_fails_fails_the_build_with_its_message(tmp_path, capfd, early_jobs):
    from parallel_render.parallel_render import start_early  # noqa: PLC0415

    def broken_index(reuse) -> None:
        raise ValueError("no room for the search index")

    start_early(broken_index, {"RENDER_PROCESSES": 2}, str(tmp_path))
    with pytest.raises(RuntimeError, match="broken_index"):
        early_jobs.finish(None)
    assert "ValueError: no room for the search index" in capfd.readouterr().err


def test_a_failed_build_ends_its_jobs_started_early_at_once(tmp_path, early_jobs):
    """When Pelican fails, scripts/run_pelican.py sends `pelican_run_failed`, on which a job
    still running is ended (`stop`), not waited for, so the failure is reported at once."""
    from parallel_render.parallel_render import start_early  # noqa: PLC0415

    go, done = tmp_path / "go", tmp_path / "done"

    def slow_index(reuse) -> None:
        deadline = time.monotonic() + 60
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        done.write_text("")

    start_early(slow_index, {"RENDER_PROCESSES": 2}, str(tmp_path))
    (pid, _, handback), = early_jobs.running
    early_jobs.stop()
    assert early_jobs.running == []
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # ended, and reaped
    go.write_text("")
    assert not done.exists() and not Path(handback).exists()


STALLING_PLUGIN = """
import os, time
from pelican import signals
import search_index.search_index as search

def slow(function):
    def write_index(self, reuse=None):
        with open(os.path.join(os.path.dirname(__file__), "job.pid"), "w") as file:
            file.write(str(os.getpid()))
        time.sleep(60)
        return function(self, reuse)
    return write_index

def fail(generator):
    raise RuntimeError("a plugin after the search index failed")

def register():
    search.SearchIndexGenerator.write_index = slow(search.SearchIndexGenerator.write_index)
    signals.article_generator_finalized.connect(fail)  # after search_index's: PLUGINS' order
"""


def test_a_build_that_fails_after_the_search_job_started_reports_it_without_waiting_for_it(tmp_path):
    """A plugin that fails after the search files' job started (here one that takes a minute)
    fails the build at once: the job is ended, its files are not written, no process is left."""
    root = Path(__file__).resolve().parent.parent
    content, output = tmp_path / "content", tmp_path / "output"
    subprocess.run([sys.executable, str(root / "scripts" / "convert.py"), "-q", str(root / "seeds"), str(content)],
                   check=True, capture_output=True)
    (tmp_path / "stalling.py").write_text(STALLING_PLUGIN, "utf-8")
    settings = tmp_path / "conf.py"
    settings.write_text(f"import runpy\nglobals().update({{n: v for n, v in runpy.run_path({str(root / 'pelicanconf.py')!r})"
                        f".items() if n.isupper()}})\nTHEME = {str(root / 'theme')!r}\n"
                        f"PLUGIN_PATHS = [{str(root / 'plugins')!r}, {str(tmp_path)!r}]\n"
                        "PLUGINS = [*PLUGINS, 'stalling']\n", "utf-8")
    result = subprocess.run([sys.executable, str(root / "scripts" / "build.py"), str(content), str(output),
                             "-s", str(settings)],
                            capture_output=True, text=True, timeout=45, cwd=root, check=False)
    assert result.returncode != 0
    assert "a plugin after the search index failed" in result.stdout + result.stderr
    assert "Search index:" not in result.stdout + result.stderr
    job = int((tmp_path / "job.pid").read_text())
    assert not Path(f"/proc/{job}").exists() or Path(f"/proc/{job}/stat").read_text().split(")")[1].split()[0] == "Z"
    assert not output.exists()


def test_what_a_job_started_early_records_reaches_the_builds_page_keys(tmp_path, monkeypatch, early_jobs):
    """The job records what its files were made from in the build's Reuse, made once for the
    job and the pages: the build saves it with the pages' keys."""
    from parallel_render.parallel_render import start_early  # noqa: PLC0415
    from parallel_render.reuse import KEYS_FILE  # noqa: PLC0415

    monkeypatch.setenv(KEYS_FILE, str(tmp_path / "page-keys.pickle"))
    settings = {"RENDER_PROCESSES": 2}
    start_early(lambda reuse: reuse.record("search/index.js", ("search index", 3)), settings, str(tmp_path))
    reuse = early_jobs.reuse_for(settings, str(tmp_path))
    early_jobs.finish(reuse)
    assert reuse.new == {"search/index.js": ("search index", 3)}


def test_a_job_is_not_started_early_when_the_pages_are_rendered_in_one_process(tmp_path, early_jobs):
    from parallel_render.parallel_render import start_early  # noqa: PLC0415

    assert start_early(lambda reuse: (tmp_path / "ran").write_text(""), {"RENDER_PROCESSES": 1},
                       str(tmp_path)) is False
    assert early_jobs.finish(None) == [] and not (tmp_path / "ran").exists()


@pytest.mark.parametrize("pages, copies", [(10, 3), (3, 10), (7, 7), (5, 0), (0, 4)])
def test_static_copies_are_spread_among_the_pages_in_order(pages, copies):
    from parallel_render.parallel_render import among  # noqa: PLC0415

    page_jobs, copy_jobs = [f"page{n}" for n in range(pages)], [f"copy{n}" for n in range(copies)]
    jobs = among(page_jobs, copy_jobs)
    assert [job for job in jobs if job.startswith("page")] == page_jobs
    assert [job for job in jobs if job.startswith("copy")] == copy_jobs
    if pages and copies:  # no more pages before the first copy, nor after the last, than a share
        assert jobs.index("copy0") <= -(-pages // copies) and jobs[-1] == copy_jobs[-1]
