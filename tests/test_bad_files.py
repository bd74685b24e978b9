"""Bad files among good ones: each is named with its reason, every other seed is still built."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.corpus import generate_corpus
from conftest import ROOT, build_site
from helpers import is_utf8

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "seeds"
URDU = "پشاور_پولیس_لائنز_دھماکہ.txt"
SPACES = "file name with spaces.txt"
UNREADABLE = {"empty.txt": "empty file", "blank_whitespace_only.txt": "blank file",
              "binary_jpeg_named_txt.txt": "binary file"}
SAME_TITLE = ("Talks resume in Doha – Dawn\n\nPublished: 3 May 2022\n\n"
              "Negotiators in Doha resumed talks on Monday after a pause of several weeks, officials said.\n")


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("bad")
    seeds = workdir / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    for name in [URDU, SPACES, "date_impossible_feb30.txt", *UNREADABLE]:
        shutil.copy(FIXTURES / name, seeds / name)
    (seeds / "same_title_a.txt").write_text(SAME_TITLE, "utf-8")
    (seeds / "same_title_b.txt").write_text(SAME_TITLE.replace("Monday", "Tuesday"), "utf-8")
    dump = b"\n\n".join(text for _, text in generate_corpus(400) if is_utf8(text))
    (seeds / "page dump.txt").write_bytes(b"Whole page dump - Dawn\n\n" + dump)
    result = build_site(seeds, workdir)
    return workdir, result


def test_build_succeeds_and_names_each_unreadable_seed(bad_build):
    workdir, result = bad_build
    assert result.returncode == 0, result.stdout + result.stderr
    for name, reason in UNREADABLE.items():
        assert f"SKIP  {name}  {reason}" in result.stdout


def test_the_quiet_converter_still_names_each_unreadable_seed(bad_build, tmp_path):
    """`--quiet` (the devserver's and the benchmark's) drops the seeds read well, not those skipped."""
    workdir, _ = bad_build
    for run in ("converting", "nothing changed"):
        result = subprocess.run([sys.executable, str(ROOT / "scripts" / "convert.py"), str(workdir / "seeds"),
                                 str(tmp_path / "content"), "--quiet"], capture_output=True, text=True, check=False)
        assert result.returncode == 0, (run, result.stderr)
        lines = result.stdout.splitlines()
        assert len(lines) == len(UNREADABLE) + 1, (run, lines)
        for name, reason in UNREADABLE.items():
            assert any(line.startswith(f"  SKIP  {name}  {reason}") for line in lines), (run, name)
        assert "3 skipped" in lines[-1], run


def test_every_readable_seed_becomes_a_briefing(bad_build):
    workdir, result = bad_build
    pages = list((workdir / "output" / "briefings").glob("*.html"))
    assert len(pages) == 5 + 6  # the five seeds, Urdu, spaces, impossible date, two same titles, large
    seeds_named = {page.read_text("utf-8").split('class="provenance"')[1].split("</a>")[0].split(">")[-1]
                   for page in pages}
    assert {URDU, SPACES, "same_title_a.txt", "same_title_b.txt"} <= seeds_named


def test_non_latin_titles_get_unique_non_empty_ascii_slugs(bad_build):
    workdir, _ = bad_build
    names = sorted(page.stem for page in (workdir / "output" / "briefings").glob("*.html"))
    assert len(set(names)) == len(names)
    assert all(name and name.isascii() for name in names)
    assert sum(name.startswith("talks-resume-in-doha") for name in names) == 2


def test_impossible_date_is_reported_and_left_undated(bad_build):
    workdir, result = bad_build
    assert "warning: date_impossible_feb30.txt: impossible date '2021-02-30'" in result.stdout
    markdown = [p for p in (workdir / "content" / "briefings").glob("*.md")
                if "Seed: date_impossible_feb30.txt" in p.read_text("utf-8")][0]
    assert "\nDate:" not in markdown.read_text("utf-8")


def test_a_very_large_seed_is_built_with_a_warning_naming_it(bad_build):
    workdir, result = bad_build
    assert "warning: page dump.txt: very large seed (1." in result.stdout
    assert (workdir / "output" / "briefings" / "whole-page-dump.html").stat().st_size > 1_000_000
