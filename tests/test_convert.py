"""Converting a folder: bad seeds skipped with a reason, edits protected, stale files removed."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.convert import EditedByHand, convert_folder

ROOT = Path(__file__).resolve().parent.parent
CONVERT = [sys.executable, str(ROOT / "scripts" / "convert.py")]


@pytest.fixture
def seed_dir(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", folder)
    return folder


def run(*args):
    return subprocess.run(CONVERT + [str(a) for a in args], capture_output=True, text=True)


def test_one_markdown_file_per_seed_with_a_report_line_each(seed_dir, tmp_path):
    result = run(seed_dir, tmp_path / "content")
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "content" / "briefings").glob("*.md"))) == 5
    for seed in seed_dir.glob("*.txt"):
        assert seed.name in result.stdout
    assert "5 seeds: 5 converted, 0 duplicates, 0 skipped" in result.stdout


def test_bad_seeds_are_skipped_by_name_and_reason_and_the_rest_built(seed_dir, tmp_path):
    (seed_dir / "empty.txt").write_bytes(b"")
    (seed_dir / "blank.txt").write_bytes(b"  \n\n ")
    (seed_dir / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    result = run(seed_dir, tmp_path / "content")
    assert result.returncode == 0
    assert "SKIP  empty.txt  empty file" in result.stdout
    assert "SKIP  blank.txt  blank file" in result.stdout
    assert "SKIP  image.txt  binary file" in result.stdout
    assert len(list((tmp_path / "content" / "briefings").glob("*.md"))) == 5
    assert run(seed_dir, tmp_path / "content", "--strict").returncode == 1


def test_help_documents_itself():
    result = run("--help")
    assert result.returncode == 0 and "SEEDDIR" in result.stdout and "example:" in result.stdout


def test_missing_seed_folder_is_a_clear_error(tmp_path):
    result = run(tmp_path / "nowhere", tmp_path / "content")
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_slugs_are_stable_across_runs(seed_dir, tmp_path):
    first = convert_folder(seed_dir, tmp_path / "a")
    second = convert_folder(seed_dir, tmp_path / "b")
    assert [b.slug for b in first.briefings] == [b.slug for b in second.briefings]
    assert len({b.slug for b in first.briefings}) == 5


def test_colliding_titles_get_distinct_slugs(seed_dir, tmp_path):
    title = (seed_dir / "003_453a01e2ae8e6135.txt").read_text("utf-8").splitlines()[0]
    (seed_dir / "005_same_title.txt").write_text(
        f"{title}\n\nA different article under the same headline, about talks in Doha that "
        "ended without agreement on Tuesday.\n", "utf-8")
    report = convert_folder(seed_dir, tmp_path / "content")
    slugs = [b.slug for b in report.briefings]
    assert len(set(slugs)) == len(slugs) == 6


def test_unchanged_files_are_not_rewritten(seed_dir, tmp_path):
    convert_folder(seed_dir, tmp_path / "content")
    assert convert_folder(seed_dir, tmp_path / "content").written == 0


def test_hand_edits_are_never_overwritten_silently(seed_dir, tmp_path):
    content = tmp_path / "content"
    convert_folder(seed_dir, content)
    edited = sorted((content / "briefings").glob("*.md"))[0]
    edited.write_text(edited.read_text("utf-8").replace("</p>", " (editor's note)</p>", 1), "utf-8")
    with pytest.raises(EditedByHand, match=edited.name):
        convert_folder(seed_dir, content)
    result = run(seed_dir, content)
    assert result.returncode == 1 and edited.name in result.stderr
    assert convert_folder(seed_dir, content, keep_edits=True).kept_edits == [str(edited)]
    assert "(editor's note)" in edited.read_text("utf-8")
    convert_folder(seed_dir, content, overwrite_edits=True)
    assert "(editor's note)" not in edited.read_text("utf-8")


def test_briefings_of_removed_seeds_are_deleted(seed_dir, tmp_path):
    content = tmp_path / "content"
    convert_folder(seed_dir, content)
    (seed_dir / "003_453a01e2ae8e6135.txt").unlink()
    report = convert_folder(seed_dir, content)
    assert report.deleted == 2  # the briefing and its source copy
    assert len(list((content / "briefings").glob("*.md"))) == 4


def test_hand_written_markdown_is_left_alone(seed_dir, tmp_path):
    content = tmp_path / "content"
    (content / "briefings").mkdir(parents=True)
    mine = content / "briefings" / "my-own.md"
    mine.write_text("Title: Mine\nDate: 2020-01-01\n\nWritten by hand.\n", "utf-8")
    convert_folder(seed_dir, content)
    assert mine.exists()


def test_a_second_run_with_nothing_changed_repeats_the_report_and_converts_nothing(seed_dir, tmp_path):
    content = tmp_path / "content"
    first = run(seed_dir, content)
    second = run(seed_dir, content)
    assert "nothing changed since the last run" in second.stdout
    assert first.stdout.splitlines()[:-1] == second.stdout.splitlines()[:-1]  # one line per seed
    (seed_dir / "004_389bc0c514f36f5f.txt").write_bytes(
        (seed_dir / "004_389bc0c514f36f5f.txt").read_bytes() + b"\nOne more sentence for the record.\n")
    third = run(seed_dir, content)
    assert "nothing changed" not in third.stdout and "2 files written" in third.stdout  # briefing, copy
    edited = sorted((content / "briefings").glob("*.md"))[0]
    edited.write_text(edited.read_text("utf-8").replace("</p>", " (edited)</p>", 1), "utf-8")
    assert run(seed_dir, content).returncode == 1  # the hand edit is noticed, not skipped over


def test_a_rerun_records_the_files_it_left_as_it_read_them(seed_dir, tmp_path, monkeypatch, capsys):
    """After one seed changed, the stamp records the generated files the run did not write as
    it read them, without looking at them again (20,000 files at 10,000 seeds); the next run
    with nothing changed converts nothing, and one after a generated file changed behind the
    converter's back converts as usual."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import convert as script  # noqa: PLC0415

    import briefing.file_states as file_states  # noqa: PLC0415
    import briefing.up_to_date as up_to_date  # noqa: PLC0415

    monkeypatch.setattr(file_states, "SETTLED_NS", 0)  # files written before a run are settled
    content = tmp_path / "content"
    assert script.main([str(seed_dir), str(content), "-q"]) == 0
    generated = len(list((content / "briefings").iterdir())) + len(list((content / "sources").iterdir()))
    seed = seed_dir / "004_389bc0c514f36f5f.txt"
    seed.write_bytes(seed.read_bytes() + b"\nOne more sentence for the record.\n")
    looked = []
    stat_of = up_to_date.sizes_and_times
    monkeypatch.setattr(up_to_date, "sizes_and_times", lambda stat: looked.append(stat) or stat_of(stat))
    assert script.main([str(seed_dir), str(content), "-q"]) == 0
    assert "2 files written" in capsys.readouterr().out
    seeds = len(list(seed_dir.glob("*.txt")))
    assert len(looked) <= seeds + 1 + 2 < seeds + 1 + generated  # the seeds, the overrides, the two written
    assert script.main([str(seed_dir), str(content), "-q"]) == 0
    assert "nothing changed since the last run" in capsys.readouterr().out
    copy = sorted((content / "sources").iterdir())[0]
    os.utime(copy, ns=(copy.stat().st_atime_ns, copy.stat().st_mtime_ns + 1_000_000))
    assert script.main([str(seed_dir), str(content), "-q"]) == 0
    assert "nothing changed" not in capsys.readouterr().out


def output_tree(content: Path) -> dict[str, bytes]:
    """Every file the converter writes, by name (its cache left out)."""
    return {str(path.relative_to(content)): path.read_bytes() for folder in ("briefings", "sources")
            for path in sorted((content / folder).glob("*"))}


def briefing_of(content: Path, seed_name: str) -> Path:
    return next(path for path in (content / "briefings").glob("*.md")
                if f"\nSeed: {seed_name}\n" in path.read_text("utf-8"))


def delete_a_briefing_and_a_copy(seed_dir, content):
    briefing_of(content, "002_05c538a2be35242a.txt").unlink()
    next((content / "sources").glob("*.txt")).unlink()


def edit_a_copy_by_hand(seed_dir, content):
    copy = sorted((content / "sources").glob("*.txt"))[1]
    copy.write_text(copy.read_text("utf-8") + "A line added by hand.\n", "utf-8")


def add_a_duplicate(seed_dir, content):
    shutil.copy(seed_dir / "001_c0fb558635df51c0.txt", seed_dir / "009_copy.txt")


def override_a_source(seed_dir, content):
    with (seed_dir / "overrides.toml").open("a", encoding="utf-8") as file:
        file.write('\n["002_05c538a2be35242a.txt"]\nsource = "A source set by the editor"\n')


def restore_an_older_generated_file(seed_dir, content):
    """An earlier generated version, checksum intact, put back after its seed changed."""
    seed = seed_dir / "004_389bc0c514f36f5f.txt"
    older = briefing_of(content, seed.name).read_text("utf-8")
    seed.write_bytes(seed.read_bytes() + b"\nOfficials later revised the toll upwards.\n")
    convert_folder(seed_dir, content)
    briefing_of(content, seed.name).write_text(older, "utf-8")


def edit_a_briefing_by_hand(seed_dir, content):
    edited = briefing_of(content, "003_453a01e2ae8e6135.txt")
    edited.write_text(edited.read_text("utf-8").replace("</p>", " (editor's note)</p>", 1), "utf-8")


@pytest.mark.parametrize("change", [delete_a_briefing_and_a_copy, edit_a_copy_by_hand, add_a_duplicate,
                                    override_a_source, restore_an_older_generated_file,
                                    edit_a_briefing_by_hand])
def test_files_of_unchanged_seeds_are_rewritten_when_they_must_be(seed_dir, tmp_path, change):
    """Files an earlier run recorded as written are skipped only while they still are."""
    content = tmp_path / "content"
    convert_folder(seed_dir, content)
    convert_folder(seed_dir, content)  # every file now recorded as written
    change(seed_dir, content)
    report = convert_folder(seed_dir, content, overwrite_edits=True)
    assert report.written > 0
    convert_folder(seed_dir, tmp_path / "fresh")
    assert output_tree(content) == output_tree(tmp_path / "fresh")
