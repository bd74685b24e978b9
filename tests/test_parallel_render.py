"""Rendering in forked processes: every page written; a page that fails fails the build."""

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
