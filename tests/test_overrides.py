"""Editorial overrides: seeds/overrides.toml fixes what the converter decided, on every run."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.convert import convert_folder, format_report
from briefing.overrides import BadOverrides
from conftest import build_site, page_by_seed

ROOT = Path(__file__).resolve().parent.parent
SEED_003 = "003_453a01e2ae8e6135.txt"
SEED_001 = "001_c0fb558635df51c0.txt"
SEED_002 = "002_05c538a2be35242a.txt"
RELATED = "Taliban 'Running Social Security Net For 30,000 Families of \"Martyrs\" In Afghanistan'"
OVERRIDES = f'''
# The Diplomat piece carries no date; the editor found it.
["{SEED_003}"]
title = "Pakistan and the US join hands against the TTP"
date = "2022-12"
source = "The Diplomat (Asia edition)"
tags = ["Pakistan", "TTP", "United States"]

["{SEED_001}"]
keep = [\'\'\'{RELATED}\'\'\']

["{SEED_002}"]
genre = "News"
'''


@pytest.fixture
def seed_dir(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", folder)
    (folder / "overrides.toml").write_text(OVERRIDES, "utf-8")
    return folder


def by_seed(report):
    return {b.seed_name: b for b in report.briefings}


def test_title_date_source_and_tags_are_set_and_recorded(seed_dir, tmp_path):
    b = by_seed(convert_folder(seed_dir, tmp_path / "content"))[SEED_003]
    assert (b.title, b.date.iso(), b.source) == (
        "Pakistan and the US join hands against the TTP", "2022-12", "The Diplomat (Asia edition)")
    assert b.tags == ["Pakistan", "TTP", "United States"]
    assert b.edited == ["title", "source", "date", "tags"]
    markdown = (tmp_path / "content" / "briefings" / f"{b.slug}.md").read_text("utf-8")
    assert "\nDate: 2022-12\n" in markdown and "\nEdited: title, source, date, tags\n" in markdown


def test_overrides_survive_a_second_run(seed_dir, tmp_path):
    content = tmp_path / "content"
    convert_folder(seed_dir, content)
    again = convert_folder(seed_dir, content)
    assert again.written == 0
    assert by_seed(again)[SEED_003].date.iso() == "2022-12"


def test_a_removed_line_can_be_kept(seed_dir, tmp_path):
    b = by_seed(convert_folder(seed_dir, tmp_path / "content"))[SEED_001]
    assert RELATED in b.paragraphs
    assert RELATED not in [item.text for item in b.removed]
    assert "kept line" in b.edited


def test_genre_can_be_corrected(seed_dir, tmp_path):
    b = by_seed(convert_folder(seed_dir, tmp_path / "content"))[SEED_002]
    assert b.genre == "" and "Opinion" not in b.tags


def test_report_counts_overrides_and_names_unknown_seeds(seed_dir, tmp_path):
    with open(seed_dir / "overrides.toml", "a", encoding="utf-8") as handle:
        handle.write('\n["gone.txt"]\ntitle = "A seed that was deleted"\n')
    report = convert_folder(seed_dir, tmp_path / "content")
    printed = "\n".join(format_report(report))
    assert "3 with editor overrides" in printed
    assert "overrides: no seed named 'gone.txt'" in printed
    assert report.warning_count >= 1


@pytest.mark.parametrize("text, message", [
    ('["003.txt"\ntitle = "x"\n', "not valid TOML"),
    ('["003.txt"]\ndate = "2021-02-30"\n', "003.txt"),
    ('["003.txt"]\nheadline = "x"\n', "unknown key 'headline'"),
    ('["003.txt"]\ntags = "Pakistan"\n', "tags must be a list"),
    ('title = "x"\n', "must be a table"),
])
def test_a_bad_overrides_file_stops_with_its_name_and_the_reason(seed_dir, tmp_path, text, message):
    (seed_dir / "overrides.toml").write_text(text, "utf-8")
    with pytest.raises(BadOverrides, match="overrides.toml") as error:
        convert_folder(seed_dir, tmp_path / "content")
    assert message in str(error.value)
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "convert.py"), str(seed_dir),
                             str(tmp_path / "content")], capture_output=True, text=True)
    assert result.returncode == 1 and "overrides.toml" in result.stderr
    assert not (tmp_path / "content" / "briefings").exists()


def test_the_built_page_shows_the_editors_date(seed_dir, tmp_path):
    assert build_site(seed_dir, tmp_path).returncode == 0
    page = page_by_seed(tmp_path / "output")[SEED_003]
    assert page.select_one("article.h-entry time.dt-published")["datetime"] == "2022-12"
    assert "title, source, date, tags" in page.select_one(".provenance .edited").get_text()


def test_overrides_of_a_duplicate_say_they_do_nothing_unless_kept_distinct(seed_dir, tmp_path):
    shutil.copy(seed_dir / SEED_003, seed_dir / "005_copy.txt")
    (seed_dir / "overrides.toml").write_text('["005_copy.txt"]\ntitle = "Copy"\n', "utf-8")
    report = convert_folder(seed_dir, tmp_path / "a")
    assert [(d.seed_name, d.kept) for d in report.duplicates] == [("005_copy.txt", SEED_003)]
    assert any("005_copy.txt have no effect" in warning for warning in report.warnings)
    (seed_dir / "overrides.toml").write_text('["005_copy.txt"]\ndistinct = true\n', "utf-8")
    report = convert_folder(seed_dir, tmp_path / "b")
    assert report.duplicates == [] and len(report.briefings) == 6


def test_an_editors_date_settles_the_date_warning(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "feb30.txt").write_text("date 2021-02-30 Afghan negotiators resumed talks in Doha after "
                                     "a break of several weeks, diplomats said on Sunday.\n", "utf-8")
    assert convert_folder(seeds, tmp_path / "a").warning_count == 1
    (seeds / "overrides.toml").write_text('["feb30.txt"]\ndate = 2021-02-28\n', "utf-8")
    report = convert_folder(seeds, tmp_path / "b")
    assert report.warning_count == 0 and report.briefings[0].date.iso() == "2021-02-28"
