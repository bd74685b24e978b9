"""A rebuild takes each briefing whose file did not change as the last build read it
(plugins/build_cache/kept_reads.py): the same site as a build from nothing, the same warnings,
and only the changed files are read."""

import logging
import marshal
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import ROOT
from test_build import tree

sys.path.insert(0, str(ROOT / "plugins"))

import build_cache.build_cache as build_cache  # noqa: E402
import build_cache.kept_reads as kept_reads  # noqa: E402
from build_cache.build_cache import Store as CacheStore  # noqa: E402
from build_cache.kept_reads import REUSED, KeptReads, kept_report  # noqa: E402

BRIEFING = "Title: {title}\nDate: 2024-01-0{day}\nSummary: What {title} says.\nTags: wire\n{extra}\n\n{title} said it.\n"
UNREAD = "Entities: a line the reader cannot make sense of"


def write_briefings(content: Path) -> None:
    (content / "briefings").mkdir(parents=True)
    for day, title in enumerate(["Alpha", "Bravo", "Charlie"], start=1):
        extra = UNREAD if title == "Charlie" else ""
        (content / "briefings" / f"{title.lower()}.md").write_text(
            BRIEFING.format(title=title, day=day, extra=extra), "utf-8")


def build(content: Path, output: Path, *pelican_options: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py"), str(content), str(output),
                             "-s", str(ROOT / "pelicanconf.py"), "--", *pelican_options],
                            capture_output=True, text=True, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def test_a_rebuild_reads_only_the_changed_briefing_and_makes_a_build_from_nothings_site(tmp_path):
    content = tmp_path / "content"
    write_briefings(content)
    first = build(content, tmp_path / "output")
    assert "taken as it read them" not in first.stdout  # nothing kept yet
    assert "Entities line not understood" in first.stderr
    bravo = content / "briefings" / "bravo.md"
    bravo.write_text(bravo.read_text("utf-8").replace("Title: Bravo", "Title: Bravo Renamed"), "utf-8")

    second = build(content, tmp_path / "output")

    assert kept_report(2, 3) in second.stdout
    assert "charlie.md: Entities line not understood" in second.stderr  # its warning, given again
    pages = {page.name: page.read_text("utf-8") for page in (tmp_path / "output" / "briefings").glob("*.html")}
    assert "Bravo Renamed" in pages["bravo-renamed.html"] and "bravo.html" not in pages
    fresh = tmp_path / "fresh"
    shutil.copytree(content, fresh / "content", ignore=shutil.ignore_patterns(".cache"))
    assert "taken as it read them" not in build(fresh / "content", fresh / "output").stdout
    assert tree(tmp_path / "output") == tree(fresh / "output")


def test_other_settings_read_every_briefing_again(tmp_path):
    content = tmp_path / "content"
    write_briefings(content)
    build(content, tmp_path / "output")
    again = build(content, tmp_path / "output", "-e", "RELATED_MAX=2")
    assert "taken as it read them" not in again.stdout
    assert "Entities line not understood" in again.stderr


class Store:
    """What KeptReads uses of the build cache's store, in memory."""

    def __init__(self):
        self.entries, self.used, self.recording, self.waits = {}, set(), None, []

    def key(self, *parts):
        return repr(parts)

    def use(self, key):
        self.used.add(key)
        if self.recording is not None:
            self.recording.append(key)

    def get(self, key):
        self.use(key)
        return self.entries.get(key)

    def get_many(self, keys):
        return {key: self.get(key) for key in keys if key in self.entries}

    def missing(self, keys):
        return [key for key in keys if key not in self.entries]

    def sidecar(self):
        return SimpleNamespace(keep=self.entries.__setitem__, finish=lambda: None)


def generator(path: Path):
    """What KeptReads uses of Pelican's articles generator: its files are those in `path`."""
    return SimpleNamespace(settings={"build": object(), "ARTICLE_PATHS": ["."], "ARTICLE_EXCLUDES": []},
                           context={"generated": {}}, path=str(path),
                           get_files=lambda paths, exclude: sorted(entry.name for entry in path.iterdir()))


def test_a_kept_object_gets_the_new_builds_settings_and_context_and_what_its_reading_logged(tmp_path, caplog):
    (tmp_path / "a.md").write_text("A", "utf-8")
    store, earlier = Store(), generator(tmp_path)
    kept = KeptReads(earlier, store, "environment", key_of=lambda path: Path(path).read_text("utf-8"))
    read = SimpleNamespace(title="A", settings=earlier.settings, _context=earlier.context)
    kept.install()
    try:
        assert earlier.get_cached_data("a.md") is None
        kept.reading(earlier)  # as article_generator_preread calls it
        store.get("the Markdown entry it used")
        # an error: Pelican lets a warning through once per process (the rebuild is another)
        logging.getLogger("entities.metadata").error("a.md: an error while reading")

        earlier.cache_data("a.md", read)
    finally:
        kept.close()

    store.used.clear()
    later = generator(tmp_path)
    reused, gone_through = [], []
    REUSED.connect(reused.append, weak=False)
    caplog.clear()
    try:
        taken = KeptReads(later, store, "environment", key_of=lambda path: Path(path).read_text("utf-8"),
                          taken=gone_through.append)
        content = taken.get_cached_data("a.md")
    finally:
        REUSED.disconnect(reused.append)
    assert content.title == "A" and content is not read
    assert gone_through == [str(tmp_path / "a.md")]  # as a reader is given the file
    assert content.settings is later.settings and content._context is later.context
    assert "the Markdown entry it used" in store.used  # kept in the cache as long as the read is
    assert ("entities.metadata", logging.ERROR, "a.md: an error while reading") in caplog.record_tuples
    assert reused == [content]

    (tmp_path / "a.md").write_text("A changed", "utf-8")
    assert taken.get_cached_data("a.md", "read it") == "read it"
    assert KeptReads(later, store, "other environment", key_of=lambda path: "A").get_cached_data(
        "a.md", "read it") == "read it"


def test_a_kept_read_that_cannot_be_loaded_is_read_again(tmp_path):
    store = Store()
    kept = KeptReads(generator(tmp_path), store, "environment", key_of=lambda path: "key")
    store.entries[kept.key("a.md")] = b"not a pickle"
    assert kept.get_cached_data("a.md", "read it") == "read it"


def read_in_turn(kept: KeptReads, generator, names: list[str]) -> None:
    """What Pelican's articles generator does with each file: ask for it, read it, hand it over."""
    for name in names:
        assert generator.get_cached_data(name) is None
        kept.reading(generator)  # article_generator_preread
        generator.cache_data(name, SimpleNamespace(title=name.upper(), settings=generator.settings,
                                                   _context=generator.context))


def test_from_fork_from_files_read_on_they_are_pickled_in_a_forked_process(tmp_path, monkeypatch):
    """A build that reads many files (one from nothing) pickles most of them in a forked process
    once it has gone through the last one; the store takes them in when it saves."""
    monkeypatch.setattr(kept_reads, "FORK_FROM", 2)
    names = ["a.md", "b.md", "c.md"]
    for name in names:
        (tmp_path / name).write_text(name, "utf-8")
    store = CacheStore(None, "salt")  # in memory: a saved entry stays in the process

    def generator_and_reads():
        articles = generator(tmp_path)
        articles.get_files = lambda paths, exclude: names
        articles.settings.update(ARTICLE_PATHS=["."], ARTICLE_EXCLUDES=[])
        return articles, KeptReads(articles, store, "environment", key_of=lambda path: Path(path).read_text())

    first, kept = generator_and_reads()
    kept.install()
    read_in_turn(kept, first, names)
    assert kept.child is not None  # b and c wait in a forked process
    kept.close()
    store.save()
    later, taken = generator_and_reads()
    assert [taken.get_cached_data(name).title for name in names] == ["A.MD", "B.MD", "C.MD"]


def test_a_last_file_that_cannot_be_read_does_not_keep_the_others_from_being_kept(tmp_path, monkeypatch):
    """The forked process starts when Pelican begins to read the last file: a broken last file
    (Pelican logs it and skips it) hands nothing over after it."""
    monkeypatch.setattr(kept_reads, "FORK_FROM", 2)
    names = ["a.md", "b.md", "c.md", "z-broken.md"]
    for name in names:
        (tmp_path / name).write_text(name, "utf-8")
    store = CacheStore(None, "salt")
    articles = generator(tmp_path)
    articles.get_files = lambda paths, exclude: names
    articles.settings.update(ARTICLE_PATHS=["."], ARTICLE_EXCLUDES=[])
    kept = KeptReads(articles, store, "environment", key_of=lambda path: Path(path).read_text())
    kept.install()
    read_in_turn(kept, articles, names[:3])
    assert articles.get_cached_data("z-broken.md") is None
    kept.reading(articles)  # Pelican begins to read it, then fails: no cache_data
    kept.close()
    store.save()
    taken = KeptReads(articles, store, "environment", key_of=lambda path: Path(path).read_text())
    assert [taken.get_cached_data(name).title for name in names[:3]] == ["A.MD", "B.MD", "C.MD"]


def test_when_the_forked_process_fails_its_reads_are_not_kept_and_the_build_says_so(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(kept_reads, "FORK_FROM", 1)
    (tmp_path / "a.md").write_text("a", "utf-8")
    store, forgotten = Store(), []
    store.forget = forgotten.append
    earlier = generator(tmp_path)
    earlier.get_files = lambda paths, exclude: ["a.md"]
    earlier.settings.update(ARTICLE_PATHS=["."], ARTICLE_EXCLUDES=[])
    kept = KeptReads(earlier, store, "environment", key_of=lambda path: "key")
    kept.install()
    failing = SimpleNamespace(keep=lambda key, data: 1 / 0, finish=lambda: None)
    store.sidecar = lambda: failing  # the fork's
    read_in_turn(kept, earlier, ["a.md"])
    kept.close()
    kept.wait()  # as the store's save does first
    assert forgotten == [failing] and not store.entries
    assert "the briefings read in this build are not kept" in caplog.text


def kept_in_a_cache_file(tmp_path: Path, names: list[str]):
    """A build that read `names` and kept them in a cache file (build_cache's Store), and the
    store of the next build, opened on that file."""
    content = tmp_path / "content"
    content.mkdir()
    for name in names:
        (content / name).write_text(name, "utf-8")
    store = CacheStore(tmp_path / "cache", "salt")
    first = generator(content)
    kept = KeptReads(first, store, "environment", key_of=lambda path: Path(path).read_text())
    kept.install()
    read_in_turn(kept, first, names)
    kept.close()
    store.save()
    return content, CacheStore(tmp_path / "cache", "salt")


def test_kept_reads_are_looked_up_together_and_only_the_files_without_one_are_read_beforehand(
        tmp_path, monkeypatch):
    """At its first file a build looks up which briefings have a kept read, then takes them
    FETCH a query in the order it asks for them; the build cache converts only the others
    ahead of time (`to_read`)."""
    names = ["a.md", "b.md", "c.md", "d.md"]
    content, store = kept_in_a_cache_file(tmp_path, names)
    (content / "c.md").write_text("c changed", "utf-8")

    later = generator(content)
    taken = KeptReads(later, store, "environment", key_of=lambda path: Path(path).read_text())
    lookups = []
    monkeypatch.setattr(kept_reads, "FETCH", 2)
    monkeypatch.setattr(store, "get_many", lambda keys, get_many=store.get_many: lookups.append(len(keys)) or
                        get_many(keys))
    monkeypatch.setattr(store, "get", lambda key: pytest.fail("a kept read looked up alone"))
    assert taken.get_cached_data("a.md").title == "A.MD"
    assert taken.to_read([str(content / name) for name in names]) == [str(content / "c.md")]
    assert [getattr(taken.get_cached_data(name), "title", None) for name in names[1:]] == ["B.MD", None, "D.MD"]
    assert lookups == [2, 1]


def test_a_build_records_its_files_keys_and_the_next_sees_a_change_that_kept_size_and_time(tmp_path):
    """The articles' keys are recorded with their files' states, once the files are old enough
    to be sure of (build_cache.RACY_NS); a file written again with its size and its time kept
    (as `cp -p` of another version would) still has its new text built."""
    content = tmp_path / "content"
    write_briefings(content)
    time.sleep(build_cache.RACY_NS / 1e9 + 0.1)
    build(content, tmp_path / "output")
    kind, recorded = marshal.loads((content / ".cache" / build_cache.FILE_KEYS_FILE).read_bytes())
    assert sorted(Path(path).name for path in recorded) == ["alpha.md", "bravo.md", "charlie.md"]
    bravo = content / "briefings" / "bravo.md"
    times = bravo.stat()
    assert len("Bravo shut it.") == len("Bravo said it.")
    bravo.write_text(bravo.read_text("utf-8").replace("Bravo said it.", "Bravo shut it."), "utf-8")
    os.utime(bravo, ns=(times.st_atime_ns, times.st_mtime_ns))

    again = build(content, tmp_path / "output")

    assert kept_report(2, 3) in again.stdout
    page = (tmp_path / "output" / "briefings" / "bravo.html").read_text("utf-8")
    assert "shut" in page and "said" not in page


def test_from_lookahead_from_kept_reads_on_a_forked_process_looks_them_up(tmp_path, monkeypatch):
    """The kept reads but the first FETCH come through the lookahead's pipe, in the order
    asked for, and the process is gone once the reading is over."""
    names = [f"{letter}.md" for letter in "abcde"]
    content, store = kept_in_a_cache_file(tmp_path, names)
    monkeypatch.setattr(kept_reads, "LOOKAHEAD_FROM", 2)
    monkeypatch.setattr(kept_reads, "FETCH", 2)
    looked_up = []
    monkeypatch.setattr(store, "get_many", lambda keys, get_many=store.get_many: looked_up.extend(keys) or
                        get_many(keys))
    later = generator(content)
    taken = KeptReads(later, store, "environment", key_of=lambda path: Path(path).read_text(),
                      committed=lambda: build_cache.CommittedEntries(store.path))
    taken.install()
    try:
        titles = [taken.get_cached_data(name).title for name in names]
        pid = taken.lookahead.pid
    finally:
        taken.close()
    assert titles == [name.upper() for name in names]
    assert looked_up == [taken.key(name) for name in names[:2]]  # by the build, while the process starts
    assert {taken.key(name) for name in names} <= store.used  # kept in the cache, as before
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # ended and reaped


def test_when_the_lookahead_process_fails_the_build_looks_the_kept_reads_up_itself(tmp_path, monkeypatch):
    names = [f"{letter}.md" for letter in "abcde"]
    content, store = kept_in_a_cache_file(tmp_path, names)
    monkeypatch.setattr(kept_reads, "LOOKAHEAD_FROM", 2)
    monkeypatch.setattr(kept_reads, "FETCH", 2)

    def committed():
        raise RuntimeError("the cache file cannot be opened")

    taken = KeptReads(generator(content), store, "environment", key_of=lambda path: Path(path).read_text(),
                      committed=committed)
    taken.install()
    try:
        assert [taken.get_cached_data(name).title for name in names[:3]] == ["A.MD", "B.MD", "C.MD"]
        assert taken.lookahead is None  # stopped at the first batch it could not give (c and d)
        assert [taken.get_cached_data(name).title for name in names[3:]] == ["D.MD", "E.MD"]
    finally:
        taken.close()


def test_a_kept_read_asked_for_out_of_order_leaves_the_lookahead_in_step(tmp_path, monkeypatch):
    names = [f"{letter}.md" for letter in "abcde"]
    content, store = kept_in_a_cache_file(tmp_path, names)
    monkeypatch.setattr(kept_reads, "LOOKAHEAD_FROM", 2)
    monkeypatch.setattr(kept_reads, "FETCH", 2)
    taken = KeptReads(generator(content), store, "environment", key_of=lambda path: Path(path).read_text(),
                      committed=lambda: build_cache.CommittedEntries(store.path))
    taken.install()
    order = ["c.md", "a.md", "b.md", "c.md", "d.md", "e.md"]  # c looked up alone first
    try:
        titles = [taken.get_cached_data(name).title for name in order]
        assert taken.lookahead is not None
    finally:
        taken.close()
    assert titles == [name.upper() for name in order]


def test_the_lookahead_pipe_holds_about_fetch_kept_reads():
    """Linux's pipes hold 64 KB, about six kept reads: the lookahead could never get further
    ahead, and the build waited for it longer than its own lookups took. Widened, the pipe holds
    a megabyte (the most a process may ask for by default)."""
    fcntl = pytest.importorskip("fcntl")
    if not hasattr(fcntl, "F_GETPIPE_SZ"):
        pytest.skip("pipe sizes are Linux's")
    allowed = Path("/proc/sys/fs/pipe-max-size")
    if allowed.exists() and int(allowed.read_text()) < kept_reads.PIPE_SIZE:
        pytest.skip("this system allows smaller pipes")
    read, write = os.pipe()
    try:
        kept_reads.widen(write)
        assert fcntl.fcntl(write, fcntl.F_GETPIPE_SZ) >= kept_reads.PIPE_SIZE
    finally:
        os.close(read)
        os.close(write)
