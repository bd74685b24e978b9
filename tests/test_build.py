"""Building with make: any seed folder, errors that fail the build, byte-identical rebuilds."""

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, build_site


DISTRICT_SEED = ("Taliban retake district – Dawn\n\nPublished: 3 March 2022\n\n"
                 "Taliban fighters retook the Spin Boldak district on Monday after heavy fighting.\n")


def one_seed_folder(tmp_path: Path, name: str, text: str) -> Path:
    """A folder of clippings holding one seed."""
    seeds = tmp_path / "clippings"
    seeds.mkdir()
    (seeds / name).write_text(text, "utf-8")
    return seeds


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seeds_give_a_byte_identical_site(site, tmp_path):
    assert build_site(SEEDS, tmp_path).returncode == 0
    assert tree(tmp_path / "output") == tree(site)


def test_any_folder_of_clippings_builds(tmp_path):
    seeds = one_seed_folder(tmp_path, "one.txt", DISTRICT_SEED)
    result = build_site(seeds, tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "output" / "briefings" / "taliban-retake-district.html").read_text("utf-8")
    assert 'datetime="2022-03-03"' in page and "Dawn" in page


def test_a_build_error_fails_the_build(tmp_path):
    (tmp_path / "content" / "briefings").mkdir(parents=True)
    # A hand-written article with no title: Pelican logs an ERROR and would still exit 0.
    (tmp_path / "content" / "briefings" / "broken.md").write_text("Date: 2021-01-01\n\nNo title.\n")
    empty_seeds = tmp_path / "seeds"
    empty_seeds.mkdir()
    result = build_site(empty_seeds, tmp_path)
    assert result.returncode != 0
    assert "broken.md" in result.stdout + result.stderr


def test_partial_date_is_not_completed_from_today(tmp_path):
    seeds = one_seed_folder(tmp_path, "month.txt", "Border talks stall in Doha – Dawn\n\nMarch 2022\n\n"
                            "Talks between the two sides stalled in Doha after a week of meetings.\n")
    assert build_site(seeds, tmp_path).returncode == 0
    page = (tmp_path / "output" / "briefings" / "border-talks-stall-in-doha.html").read_text("utf-8")
    assert '<time class="dt-published" datetime="2022-03">March 2022</time>' in page


def test_a_failed_build_leaves_the_previous_site_untouched(tmp_path):
    seeds = one_seed_folder(tmp_path, "one.txt", DISTRICT_SEED)
    assert build_site(seeds, tmp_path).returncode == 0
    before = tree(tmp_path / "output")
    broken = tmp_path / "content" / "briefings" / "broken.md"
    broken.write_text("Date: 2021-01-01\n\nNo title, so Pelican logs an error.\n", "utf-8")
    result = build_site(seeds, tmp_path)
    assert result.returncode != 0 and "left as it was" in result.stderr
    assert tree(tmp_path / "output") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clippings", "content", "output"]


def test_tags_that_slugify_alike_get_distinct_pages(tmp_path):
    seeds = one_seed_folder(tmp_path, "code.txt", "Engineers debate systems code – Dawn\n\n"
                            "Published: 3 March 2022\n\nEngineers met in Lahore to talk about systems "
                            "code for a full day of meetings.\n\nC++, C#, Lahore\n")
    result = build_site(seeds, tmp_path)
    assert result.returncode == 0
    assert "slugify to 'c'" in result.stdout + result.stderr and "code.txt" in result.stdout + result.stderr
    titles = {(tmp_path / "output" / "tag" / name).read_text("utf-8").split("<h1>")[1].split("</h1>")[0]
              for name in ("c.html", "c-2.html")}
    assert titles == {"Tag: C#", "Tag: C++"}


def test_make_serve_builds_then_serves_on_loopback(tmp_path):
    import os
    import signal
    import socket
    import subprocess
    import time
    import urllib.request

    from conftest import ROOT

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        ["make", "--no-print-directory", "-C", str(ROOT), "serve", f"SEEDDIR={SEEDS}",
         f"INPUTDIR={tmp_path / 'content'}", f"OUTPUTDIR={tmp_path / 'output'}", f"PORT={port}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        page = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/chronology.html", timeout=2) as response:
                    page = response.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.5)
        assert page is not None and "<h1>Chronology</h1>" in page
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def test_a_jsonld_line_in_a_hand_written_briefing_is_ignored_with_a_warning(tmp_path):
    """JSON-LD is made from the briefing (plugins/structured_data); a `Jsonld:` line an editor
    writes cannot replace it or stop the build."""
    seeds = one_seed_folder(tmp_path, "district.txt", DISTRICT_SEED)
    briefings = tmp_path / "content" / "briefings"
    briefings.mkdir(parents=True)
    (briefings / "by-hand.md").write_text(
        "Title: Written by hand\nDate: 2022-03-04\nJsonld: {\"@type\": \"Thing\"}\n\n"
        "A briefing an editor wrote.\n", "utf-8")
    result = build_site(seeds, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "by-hand.md: its 'Jsonld' metadata line is ignored" in result.stdout + result.stderr
    page = (tmp_path / "output" / "briefings" / "written-by-hand.html").read_text("utf-8")
    assert '"@type":"NewsArticle"' in page.replace(" ", "") and '"Thing"' not in page


FORKED_BUILD = ("import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]; import build; "
                "sys.exit(build.main(sys.argv[3:], fork=True))")


@pytest.mark.parametrize("fork", [False, True], ids=["new python", "forked"])
def test_the_build_lists_what_pelican_logged_and_keeps_the_last_site_when_it_fails(tmp_path, fork):
    """scripts/build.py runs Pelican in a new Python (make html) or in a fork of itself (make
    devserver's warm process): either way it passes Pelican's output through, lists the
    warnings and errors at the end, and swaps the new site in only when the build succeeded."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "pages", content / "pages")
    (content / "briefings").mkdir()
    (content / "briefings" / "by-hand.md").write_text(
        "Title: Written by hand\nDate: 2022-03-04\nJsonld: {}\n\nA briefing an editor wrote.\n", "utf-8")
    output = tmp_path / "output"
    arguments = [str(content), str(output), "-s", str(ROOT / "pelicanconf.py")]
    command = ([sys.executable, "-c", FORKED_BUILD, str(ROOT / "scripts"), str(ROOT)] if fork
               else [sys.executable, str(ROOT / "scripts" / "build.py")])

    result = subprocess.run([*command, *arguments], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Done: Processed 1 article" in result.stdout
    assert "1 problem(s) logged by the build:" in result.stderr
    assert (f"WARNING: {content / 'briefings' / 'by-hand.md'}: its 'Jsonld' metadata line is ignored"
            in result.stderr)
    before = tree(output)
    assert "briefings/written-by-hand.html" in before

    (content / "briefings" / "broken.md").write_text("Date: 2021-01-01\n\nNo title.\n", "utf-8")
    result = subprocess.run([*command, *arguments], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0
    assert "ERROR:" in result.stderr and "broken.md" in result.stderr and "left as it was" in result.stderr
    assert tree(output) == before
