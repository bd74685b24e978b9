"""The benchmark runs end to end on a tiny corpus and reports every step (no timing asserted)."""

import json
import signal
import subprocess
import sys

import pytest

from conftest import ROOT

from briefing.benchmark import (CORRECTIONS, STEPS, Bench, Comparison, SameBytes, SizeResult, StepResult,
                                format_comparison)
from briefing.hugo_baseline import front_matter, full_date, read_metadata


def ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def test_bench_script_reports_every_step_with_pages_and_ratios(tmp_path):
    theme = {path: path.read_bytes() for path in (ROOT / "theme").rglob("*") if path.is_file()}
    # Started as a shell starts a background job (`make bench &`): SIGINT ignored, which the
    # devserver it measures would inherit, and then not stop on.
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--sizes", "8", "--runs", "1",
         "--json", str(tmp_path / "bench.json"), "--workdir", str(tmp_path / "work")],
        capture_output=True, text=True, check=False, preexec_fn=ignore_interrupts)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "did not stop" not in result.stderr
    data = json.loads((tmp_path / "bench.json").read_text("utf-8"))
    steps = data["sizes"][0]["steps"]
    assert set(steps) == set(STEPS)
    assert all(step["seconds"] > 0 for step in steps.values())
    assert all(step["peak_mb"] > 0 for name, step in steps.items() if name != "preview")  # see STEPS
    # Our site, plain Pelican and Hugo all wrote the eight briefings at least.
    assert all(steps[name]["pages"] >= 8 for name in ("full", "edit", "nochange", "devserver", "publish", "pelican",
                                                      "hugo"))
    published = tmp_path / "work" / "n8" / "publish-output"  # make publish's site, with feeds
    assert (published / "feeds" / "all.atom.xml").is_file() and (published / "sitemap.xml").is_file()
    # A rebuild renders some pages and takes the others from the last build; with nothing
    # changed the build skips Pelican altogether.
    for name in ("edit", "event", "devserver", "republish"):
        assert 0 < steps[name]["rendered"] < steps[name]["pages"], name
    assert steps["nochange"]["rendered"] is None and steps["full"]["rendered"] is None
    # The edit adds a sentence to a briefing's text: in `make devserver` the last build's
    # keeper writes its page (and search files), and no build runs.
    assert steps["preview"]["rendered"] == 1 and steps["saved"]["rendered"] == 1
    # A date corrected by a day moves the briefing in the chronology and the indexes: a build,
    # which renders the pages that show it and takes the others.
    assert 1 < steps["redate"]["rendered"] < steps["redate"]["pages"]
    # A misspelling in a first paragraph rewords a summary and an event: `make html` has the
    # keeper write the pages that show them too, and builds nothing.
    assert 1 < steps["reword"]["rendered"] < steps["reword"]["pages"] / 2
    # A line the converter removes, deleted from a seed: only the briefing's page shows it.
    assert steps["leftover"]["rendered"] == 1
    # Of the pages rendered, those written with the bytes they had: counted where a rebuild
    # writes a site of its own (not in the devserver, which writes in place). The keeper
    # writes only pages that changed.
    for name, step in steps.items():
        assert (step["same_bytes"] is None) == (step["rendered"] is None or name in ("devserver", "saved",
                                                                                    "preview")), name
        assert step["same_bytes"] is None or 0 <= step["same_bytes"] <= step["rendered"], name
    assert steps["html"]["same_bytes"] == steps["leftover"]["same_bytes"] == steps["style"]["same_bytes"] == 0
    # A stylesheet edit renders no page (the new stylesheet is copied into the site); a
    # template edit renders the pages made from it, and those rendered every time (the home
    # page, the indexes), which a one-seed edit renders too. Both edit a copy of the theme:
    # the code's own is untouched.
    built = tmp_path / "work" / "n8" / "output"
    briefings = list((built / "briefings").glob("*.html"))
    assert steps["style"]["rendered"] == 0
    assert len(briefings) < steps["template"]["rendered"] < len(briefings) + steps["edit"]["rendered"]
    assert b"benchmark-edit-0" in (built / "theme" / "css" / "style.css").read_bytes()
    assert all(b"<!-- benchmark edit 0 -->" in page.read_bytes() for page in briefings)
    assert theme == {path: path.read_bytes() for path in (ROOT / "theme").rglob("*") if path.is_file()}
    ratios = set(data["sizes"][0]["ratios"])
    assert {"full/pelican", "edit/hugo", "event/hugo", "devserver/hugo", "saved/hugo", "preview/hugo",
            "redate/hugo", "reword/hugo", "leftover/hugo", "nochange/hugo"} <= ratios
    assert "| 8 | full |" in result.stdout and "full / pelican" in result.stdout


def test_corrections_leave_the_seed_the_other_steps_edit_alone(tmp_path, monkeypatch):
    """The edit steps change the middle seed from its original text on every run: a correction
    found there would be undone by the next run's first step and timed with its edit. In the
    80-seed corpus the middle seed's date line is the first one that redating finds. The
    middle seed is found once for each correction, not once for each seed: at 10,000 seeds,
    sorting the folder for each took ten minutes."""
    bench = Bench(80, tmp_path, ROOT / "pelicanconf.py")
    bench.prepare()
    middle = bench.middle_seed()
    assert CORRECTIONS["redate"](sorted(bench.seeds.iterdir()), 40, bench.original)[0] == middle
    looked_up = []
    monkeypatch.setattr(bench, "middle_seed", lambda: looked_up.append(1) or middle)
    for step in CORRECTIONS:
        bench.correct(step)
        seed, _, fixed = bench.corrections[step]
        assert seed != middle and seed.read_bytes().decode("utf-8") == fixed, step
    assert len(looked_up) == len(CORRECTIONS)


def test_pages_written_again_with_the_same_bytes_are_counted(tmp_path):
    """A page taken from the last build is the same file; one rendered again is a new file,
    which counts when its bytes are the same. New pages and other files do not count."""
    site = tmp_path / "output"
    (site / "tag").mkdir(parents=True)
    for name in ("taken.html", "same.html", "changed.html", "tag/same.html", "feed.xml"):
        (site / name).write_text(f"<p>{name}</p>", "utf-8")
    kept = SameBytes(site, tmp_path / "kept")
    for name, text in (("same.html", "<p>same.html</p>"), ("changed.html", "<p>new</p>"),
                       ("tag/same.html", "<p>tag/same.html</p>"), ("new.html", "<p>new</p>"), ("feed.xml", "x")):
        (site / name).unlink(missing_ok=True)
        (site / name).write_text(text, "utf-8")
    assert kept.count() == 2
    assert not (tmp_path / "kept").exists()


def test_bench_rejects_bad_sizes():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--sizes", "ten"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "sizes must be numbers" in result.stderr


def test_hugo_front_matter_keeps_title_date_and_tags():
    metadata, body = read_metadata("Title: A &amp; B\nDate: 2021-07\nTags: Dawn, UN\nRemoved: [x] a\n"
                                   "    [y] b\n\n<p id=\"p-1\">Text</p>\n")
    data = json.loads(front_matter(metadata))
    assert data == {"title": "A &amp; B", "slug": "", "date": "2021-07-01", "tags": ["Dawn", "UN"]}
    assert metadata["removed"] == "[x] a\n[y] b" and body.startswith("<p id=\"p-1\">")
    assert full_date("2021") == "2021-01-01" and full_date("") == ""


def test_bench_help_names_every_step_with_an_example():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--help"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "example" in result.stdout and all(step in result.stdout for step in STEPS)


def test_search_index_files_are_told_from_the_search_script():
    from pathlib import Path  # noqa: PLC0415

    from briefing.benchmark import is_search_index  # noqa: PLC0415

    assert is_search_index(Path("search/index.js")) and is_search_index(Path("search/docs/3.js"))
    assert is_search_index(Path("search-index.json"))
    assert not is_search_index(Path("theme/js/search.js"))


def in_git_checkout() -> bool:
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True).returncode == 0


def test_bench_against_a_revision_takes_turns_and_reports_both(tmp_path):
    if not in_git_checkout():
        pytest.skip("comparing with a revision needs a git checkout")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--sizes", "6", "--runs", "2", "--steps",
         "edit,nochange,pelican", "--against", "HEAD", "--json", str(tmp_path / "ab.json"),
         "--workdir", str(tmp_path / "work")], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads((tmp_path / "ab.json").read_text("utf-8"))
    assert data["against"] == "HEAD"
    steps = data["sizes"][0]["steps"]
    assert set(steps) == {"edit", "nochange"}  # plain Pelican does not change with our code
    for sides in steps.values():
        assert sides["against"]["seconds"] > 0 and sides["current"]["seconds"] > 0
        assert len(sides["against"]["runs"]) == len(sides["current"]["runs"]) == 2
        assert len(sides["against"]["cpu_runs"]) == len(sides["current"]["cpu_runs"]) == 2
    assert "| 6 | edit |" in result.stdout and "this / HEAD" in result.stdout
    assert " of 2 |" in result.stdout  # how many turns this checkout was faster in
    # the revision's code ran from its own copy, on its own copy of the corpus
    assert (tmp_path / "work" / "against-code" / "scripts" / "build.py").is_file()
    assert (tmp_path / "work" / "n6-against" / "output" / "index.html").is_file()
    # turns: the revision first on the first run, this checkout first on the second
    order = [line.split()[2] for line in result.stderr.splitlines() if " edit " in line and "run " in line]
    assert order == ["HEAD", "current", "current", "HEAD"]


def test_bench_against_an_unknown_revision_says_so():
    if not in_git_checkout():
        pytest.skip("comparing with a revision needs a git checkout")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--sizes", "4",
                             "--against", "no-such-revision"], capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "cannot export revision 'no-such-revision'" in result.stderr


def test_a_comparison_gives_the_ratio_of_each_turn_as_well_as_of_the_medians():
    """A busy spell slows both runs of a turn: each turn's ratio holds where the medians'
    ratio can come from two different spells (here the revision's median run was a slow one)."""
    against = StepResult("full", 1000, 11.0, [10.0, 11.0, 16.0], 88, 20.0, cpu_runs=[18.0, 20.0, 28.0])
    current = StepResult("full", 1000, 12.0, [9.0, 12.0, 15.0], 88, 21.0, cpu_runs=[16.0, 21.0, 26.0])
    table = format_comparison([Comparison("abc123", SizeResult(1000, {"full": against}),
                                          SizeResult(1000, {"full": current}))])
    row = table.splitlines()[-1]
    assert row.startswith("| 1,000 | full | 11.00 | 12.00 | 1.09 | 1.05 | ")
    assert "| 0.94 (0.90–1.09) | 0.93 (0.89–1.05) | 2 of 3 |" in row
