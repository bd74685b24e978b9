"""briefing/file_watch.py: the watcher process that wakes `make devserver` as soon as a file
changes, instead of at its next look."""

import os
import time

import pytest

from briefing import file_watch
from briefing.file_watch import Watcher


def watched(tmp_path, skip=frozenset()):
    """A watcher of a new folder, once it is told of changes there (its process imports
    watchfiles and sets the system's watches up first: slow on a busy machine)."""
    folder = tmp_path / "watched"
    folder.mkdir()
    watcher = Watcher([(folder, frozenset(skip))])
    probe = folder / "probe"
    deadline = time.monotonic() + 30
    while not watcher.wait(0.2):
        assert time.monotonic() < deadline, "the watcher never told of a change"
        probe.write_text(str(time.monotonic()), "utf-8")
    probe.unlink()
    watcher.quiet_for(0.3)
    return folder, watcher


def told_within(watcher: Watcher, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if watcher.wait(0.1):
            return True
    return False


def test_a_new_or_changed_file_wakes_the_waiter_at_once(tmp_path):
    folder, watcher = watched(tmp_path)
    try:
        assert not watcher.wait(0.3)  # nothing changed yet
        (folder / "seed.txt").write_text("A clipping.\n", "utf-8")
        started = time.monotonic()
        assert told_within(watcher, 10)
        assert time.monotonic() - started < 5  # not an interval of polling later
        watcher.quiet_for(0.2)
        (folder / "seed.txt").write_text("A clipping, edited.\n", "utf-8")
        assert told_within(watcher, 10)
        (folder / "deep" / "er").mkdir(parents=True)
        watcher.quiet_for(0.2)
        (folder / "deep" / "er" / "page.md").write_text("Title: A page\n", "utf-8")
        assert told_within(watcher, 10)  # at any depth
    finally:
        watcher.stop()


def test_what_the_build_writes_does_not_wake_it(tmp_path):
    """The converter writes briefings/ and the caches in the watched content folder at every
    rebuild: that must not call for another."""
    folder, watcher = watched(tmp_path, skip={"briefings", ".cache"})
    try:
        (folder / "briefings").mkdir()
        (folder / ".cache" / "outputs").mkdir(parents=True)
        watcher.quiet_for(0.3)
        (folder / "briefings" / "a-briefing.md").write_text("Title: A\n", "utf-8")
        (folder / ".cache" / "outputs" / "stamp.json").write_text("{}", "utf-8")
        assert not told_within(watcher, 1.5)
        (folder / "pages").mkdir()
        (folder / "pages" / "about.md").write_text("Title: About\n", "utf-8")
        assert told_within(watcher, 10)
    finally:
        watcher.stop()


def test_skipped_folders_count_at_any_depth_but_only_below_their_watched_folder():
    counts = file_watch.counting({"/site/content": frozenset({"briefings", ".cache"}), "/site/seeds": frozenset()})
    assert not counts("/site/content/briefings/a.md")
    assert not counts("/site/content/pages/.cache/x")
    assert not counts("/site/content/pages/__pycache__/x.pyc")
    assert counts("/site/content/pages/briefings.md")  # a file, not a folder, of that name
    assert counts("/site/content/pages/about.md")
    assert counts("/site/seeds/briefings/a.txt")  # the seeds skip nothing


def test_the_watcher_ends_with_stop_and_a_missing_folder_is_not_watched(tmp_path):
    folder, watcher = watched(tmp_path)
    pid = watcher.pid
    watcher.stop()
    assert watcher.pid is None and watcher.fd is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)  # reaped: no process left behind
    nothing = Watcher([(tmp_path / "missing", frozenset())])
    assert nothing.pid is None
    started = time.monotonic()
    assert not nothing.wait(0.3)  # waits the interval, as polling does
    assert time.monotonic() - started >= 0.25


def test_a_watcher_that_cannot_watch_says_so_and_the_waiter_falls_back_to_its_interval(tmp_path, monkeypatch,
                                                                                       capfd):
    def cannot(folders, write, parent):
        raise OSError("OS file watch limit reached")

    monkeypatch.setattr(file_watch, "watch", cannot)
    folder = tmp_path / "watched"
    folder.mkdir()
    watcher = Watcher([(folder, frozenset())])
    try:
        assert not told_within(watcher, 2)  # the pipe's end is read: no wake-up
        assert watcher.fd is None  # polling from now on
        assert not watcher.wait(0.2)
    finally:
        watcher.stop()
    assert "cannot watch the folders for changes (OS file watch limit reached)" in capfd.readouterr().err
