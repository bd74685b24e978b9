"""Rendering in forked processes: every page written; a page that fails fails the build."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from parallel_render.parallel_render import render_in_processes  # noqa: E402


class Job:
    def __init__(self, path: Path, fail: bool = False):
        self.path, self.fail = path, fail

    def render(self) -> None:
        if self.fail:
            raise ValueError(f"template error in {self.path.name}")
        self.path.write_text(self.path.name, "utf-8")


def test_every_page_is_written_by_one_of_the_processes(tmp_path):
    jobs = [Job(tmp_path / f"page{i}.html") for i in range(7)]
    render_in_processes(jobs, 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"page{i}.html" for i in range(7)]


def test_a_page_failing_in_a_worker_fails_the_rendering(tmp_path, capfd):
    jobs = [Job(tmp_path / "a.html"), Job(tmp_path / "b.html", fail=True), Job(tmp_path / "c.html")]
    with pytest.raises(RuntimeError, match="rendering pages failed"):
        render_in_processes(jobs, 2)  # b.html is the worker's (every second page)
    assert "template error in b.html" in capfd.readouterr().err
    assert (tmp_path / "a.html").exists() and (tmp_path / "c.html").exists()


def test_a_page_failing_in_the_build_process_raises_its_error(tmp_path):
    jobs = [Job(tmp_path / "a.html", fail=True), Job(tmp_path / "b.html")]
    with pytest.raises(ValueError, match="template error in a.html"):
        render_in_processes(jobs, 2)


def test_a_bad_process_count_is_reported_and_replaced(caplog):
    from parallel_render.parallel_render import render_processes, usable_cores  # noqa: PLC0415

    assert render_processes({"RENDER_PROCESSES": 3}) == 3
    assert render_processes({}) == usable_cores()
    assert render_processes({"RENDER_PROCESSES": "two"}) == usable_cores()
    assert "RENDER_PROCESSES must be a whole number" in caplog.text
