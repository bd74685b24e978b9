"""Progress lines: one every few seconds while a long job runs, none for a short one; the
converter, the build's reading pool and its page writers say how far they have got."""

import io
import os
import sys
import time
from pathlib import Path

import pytest

from briefing import progress as progress_module
from briefing.convert import convert_folder
from briefing.progress import Progress, built_report, read_built_report, read_taken_report, taken_report

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from parallel_render.parallel_render import render_in_processes  # noqa: E402


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_line_comes_every_few_seconds_with_what_is_done_and_what_is_left():
    clock, out = Clock(), io.StringIO()
    progress = Progress("Converting seeds", 10_000, file=out, every=5, clock=clock)
    clock.now += 4
    progress.advance(1_000)
    assert out.getvalue() == ""  # not 5 seconds yet
    clock.now += 4
    progress.advance(1_000)
    assert out.getvalue() == "Converting seeds: 2,000 of 10,000 (20%), 8 s so far, about 32 s to go\n"
    clock.now += 2
    progress.advance(1_000)
    assert out.getvalue().count("\n") == 1  # 2 s after the last line
    clock.now += 5
    progress.update(10_000)
    assert out.getvalue().count("\n") == 1  # done: the job's own summary follows


def test_a_short_job_prints_nothing():
    clock, out = Clock(), io.StringIO()
    progress = Progress("Reading files", 3, file=out, every=5, clock=clock)
    for _ in range(3):
        clock.now += 1
        progress.advance()
    assert out.getvalue() == ""


def test_the_converter_says_how_far_it_has_got(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(progress_module, "EVERY", 0)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for number in range(3):
        (seeds / f"s{number}.txt").write_text(f"Talks in Kabul, round {number}\n\nOfficials met in "
                                              f"Kabul on Monday for talks, round {number}.\n", "utf-8")
    convert_folder(seeds, tmp_path / "content")
    err = capsys.readouterr().err
    assert "Converting seeds: 1 of 3 (33%)" in err and "Writing briefings: 2 of 3 (66%)" in err


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="two processes need two cores")
def test_the_page_writers_say_how_far_they_have_got(tmp_path, monkeypatch, capfd):
    monkeypatch.setattr(progress_module, "EVERY", 0)

    class Job:
        def __init__(self, path):
            self.path = path

        def render(self, reuse=None):
            time.sleep(0.002)
            self.path.write_text("page", "utf-8")

    render_in_processes([Job(tmp_path / f"page{i}.html") for i in range(200)], 2)
    said = [line for line in capfd.readouterr().out.splitlines() if line.startswith("Writing files: ")]
    assert said and all(" of 200 (" in line for line in said)  # pages written by both processes


def test_a_builds_cost_reads_back_as_it_was_reported():
    line = f"[devserver] {built_report(2.114, 2.509, 87.4)}"
    assert line == "[devserver] built in 2.11 s (CPU 2.51 s, largest process 87 MB)"
    assert read_built_report(line) == (2.11, 2.51, 87.0)
    assert read_built_report("[devserver] the build failed (see above)") is None


def test_the_pages_a_rebuild_took_read_back_as_they_were_reported():
    line = taken_report(1942, 1952)
    assert line == "1942 of 1952 pages unchanged since the last build: taken from it, not rendered"
    assert read_taken_report(f"Writing 1952 pages\n{line}\nDone") == (1942, 1952)
    assert read_taken_report("Writing 1952 pages in 2 processes") is None
