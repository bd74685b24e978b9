"""The converter reads a seed, a generated file or a seed copy again only when it changed: what it
made of each is kept with the file's state (briefing/file_states.py)."""

import builtins
import os
import time

import pytest
from conftest import SEEDS

from briefing import file_states
from briefing.convert import EditedByHand, convert_folder
from briefing.file_states import FileStates, digest


def counted(calls: list):
    def make(data: bytes) -> str:
        calls.append(data)
        return digest(data)
    return make


def later_run(recorded: dict) -> FileStates:
    """A run that starts after every file written so far has settled."""
    states = FileStates(recorded)
    states.started = time.time_ns() + 2 * file_states.SETTLED_NS
    return states


def test_a_file_as_it_was_is_not_read_again(tmp_path):
    path = tmp_path / "seed.txt"
    path.write_bytes(b"the text")
    calls = []
    first = later_run({})
    assert first.result(str(path), counted(calls)) == digest(b"the text")
    second = later_run(first.now)
    assert second.result(str(path), counted(calls)) == digest(b"the text")
    assert len(calls) == 1
    assert second.now == first.now  # kept for the next run too


def test_an_edit_that_keeps_the_size_and_modification_time_is_seen(tmp_path):
    path = tmp_path / "seed.txt"
    path.write_bytes(b"the text")
    first = later_run({})
    first.result(str(path), digest)
    stat = os.stat(path)
    time.sleep(0.01)
    path.write_bytes(b"the next")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as a copy that keeps times makes it
    assert later_run(first.now).result(str(path), digest) == digest(b"the next")


def test_a_file_changed_just_before_the_run_is_read_and_not_kept(tmp_path):
    path = tmp_path / "seed.txt"
    path.write_bytes(b"the text")
    states = FileStates({})
    assert states.result(str(path), digest) == digest(b"the text")
    assert states.now == {}  # it could change again within the clock's tick unseen


def test_a_missing_file_raises_as_reading_it_would(tmp_path):
    with pytest.raises(FileNotFoundError):
        FileStates({}).result(str(tmp_path / "gone.txt"), digest)


def test_a_one_seed_rerun_reads_only_that_seed_and_what_it_wrote(tmp_path, monkeypatch):
    monkeypatch.setattr(file_states, "SETTLED_NS", 0)  # no wait for the files to settle
    seeds, content = tmp_path / "seeds", tmp_path / "content"
    seeds.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        (seeds / seed.name).write_bytes(seed.read_bytes())
    convert_folder(seeds, content)
    convert_folder(seeds, content)  # the files written by the first run are kept now
    edited = sorted(seeds.glob("*.txt"))[2]
    edited.write_text(edited.read_text("utf-8") + "\nThe ministry later corrected the figure.\n", "utf-8")
    opened = []
    monkeypatch.setattr(file_states, "open", lambda path, *a: opened.append(path) or builtins.open(path, *a),
                        raising=False)
    report = convert_folder(seeds, content)
    assert report.written == 2
    assert opened == [str(edited)]


def test_a_hand_edit_that_keeps_the_size_and_modification_time_is_still_found(tmp_path, monkeypatch):
    monkeypatch.setattr(file_states, "SETTLED_NS", 0)
    seeds, content = tmp_path / "seeds", tmp_path / "content"
    seeds.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        (seeds / seed.name).write_bytes(seed.read_bytes())
    convert_folder(seeds, content)
    convert_folder(seeds, content)
    generated = sorted((content / "briefings").glob("*.md"))[0]
    stat = os.stat(generated)
    text = generated.read_text("utf-8")
    generated.write_text(text.replace("Title: ", "Title= ", 1), "utf-8")  # same size
    os.utime(generated, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(EditedByHand):
        convert_folder(seeds, content)


def test_states_saved_are_loaded_as_they_were(tmp_path):
    path = tmp_path / "seed.txt"
    path.write_bytes(b"the text")
    first = later_run({})
    first.result(str(path), digest)
    first.save(tmp_path / "kept" / "states.json")
    assert FileStates.load(tmp_path / "kept" / "states.json").recorded == first.now != {}
    (tmp_path / "kept" / "states.json").write_text("{not json")
    assert FileStates.load(tmp_path / "kept" / "states.json").recorded == {}  # read again, not an error
