"""The Markdown cache composes with readers other plugins extend, and never skips their work."""

import copy
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from pelican.readers import MarkdownReader
from pelican.settings import DEFAULT_CONFIG

from briefing import progress

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

import build_cache.build_cache as build_cache  # noqa: E402


def settings(tmp_path):
    return {**DEFAULT_CONFIG, "PATH": str(tmp_path), "MARKDOWN": {}, "TYPOGRIFY": False,
            "ARTICLE_PATHS": ["briefings"], "PAGE_PATHS": []}


def extended(reader_class):
    """What a plugin such as `entities` does: extend the reader's read()."""

    class Extending(reader_class):
        def read(self, source_path):
            content, metadata = super().read(source_path)
            return content + "<!-- extended -->", metadata

    return Extending


def one_briefing(tmp_path):
    """A content folder with one briefing, and Pelican's readers for it (uncached yet)."""
    (tmp_path / "briefings").mkdir()
    source = tmp_path / "briefings" / "one.md"
    source.write_text("Title: One\n\nSome *text*.\n", "utf-8")
    return source, SimpleNamespace(settings=settings(tmp_path), reader_classes={"md": MarkdownReader})


def test_a_reader_extended_after_the_cache_keeps_its_work_on_every_read(tmp_path):
    source, readers = one_briefing(tmp_path)
    try:
        build_cache.cache_readers(readers)
        reader = extended(readers.reader_classes["md"])(readers.settings)
        first = reader.read(str(source))
        second = reader.read(str(source))  # from the cache this time
    finally:
        build_cache.save_cache(None)
    assert first[0] == second[0] == "<p>Some <em>text</em>.</p><!-- extended -->"
    assert first[1]["title"] == second[1]["title"] == "One"
    assert (tmp_path / ".cache" / build_cache.CACHE_FILE).is_file()


MARKDOWN_DOCUMENTS = [
    "Title: First\nTags: a, b\n\nA note[^1] on the UN and *HTML*.\n\n[^1]: The footnote.\n\n"
    "*[UN]: United Nations\n*[HTML]: Hyper Text\n",
    "Title: Second\n\nNo footnote here[^1], and the UN is not an abbreviation.\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode *kept*\n```\n\n<div markdown=\"1\">*in html*</div>\n",
    "Paragraph with {: #an-id } attributes\n{: .a-class }\n\nTerm\n:   Its definition.\n",
]


def test_one_markdown_per_process_converts_each_file_as_a_new_one_would():
    """A Markdown made once and reset for each file (footnotes, abbreviations and metadata of
    one file must not reach the next) gives what Pelican's Markdown for each file gives."""
    from markdown import Markdown

    config = MarkdownReader(copy.deepcopy(DEFAULT_CONFIG)).settings["MARKDOWN"]  # extra, meta…
    for document in MARKDOWN_DOCUMENTS + MARKDOWN_DOCUMENTS[::-1]:
        fresh = Markdown(**config)
        expected = fresh.convert(document), fresh.Meta
        shared = build_cache.markdown_for(config)
        assert (shared.convert(document), shared.Meta) == expected
    assert build_cache.markdown_for(config) is shared
    assert build_cache.markdown_for({**config, "output_format": "xhtml"}) is not shared


def test_a_reader_whose_read_was_replaced_before_is_left_uncached(tmp_path, caplog):
    readers = SimpleNamespace(settings=settings(tmp_path),
                              reader_classes={"md": extended(MarkdownReader)})
    try:
        build_cache.cache_readers(readers)
    finally:
        build_cache.save_cache(None)
    assert readers.reader_classes["md"].__qualname__.endswith("Extending")
    assert "list build_cache in PLUGINS before" in caplog.text


def memo_reading(reader_class, between=None, version=""):
    """A reader that derives from the cached reader's result through read_memo, as plugins/entities
    does: the HTML in capitals (followed by `version`, which stands for what else the derivation
    reads, as plugins/entities' CODE) and its length. `between`, if given, a reader in the middle
    that changes the HTML. It counts the derivations made in this process."""
    if between is not None:
        reader_class = between(reader_class)

    class Deriving(reader_class):
        derived = 0

        def read(self, source_path):
            content, metadata = super().read(source_path)

            def derive(html=content):
                Deriving.derived += 1
                return html.upper() + version, len(html)

            return self.read_memo("upper", content, metadata, (version,), derive)

    return Deriving


def test_read_memo_is_kept_between_builds_under_the_files_key(tmp_path):
    source, readers = one_briefing(tmp_path)
    reads = []
    for text in ("Some *text*.", "Some *text*.", "Other *text*."):
        source.write_text(f"Title: One\n\n{text}\n", "utf-8")
        try:
            build_cache.cache_readers(readers)
            reader = memo_reading(readers.reader_classes["md"])(readers.settings)
            reads.append((reader.read(str(source)), reader.derived))
        finally:
            build_cache.save_cache(None)
    assert reads == [(("<P>SOME <EM>TEXT</EM>.</P>", 26), 1), (("<P>SOME <EM>TEXT</EM>.</P>", 26), 0),
                     (("<P>OTHER <EM>TEXT</EM>.</P>", 27), 1)]


def test_read_memo_keys_html_that_a_reader_in_between_changed_by_the_html(tmp_path):
    """The file's key stands for the HTML the cache gave, not for what another reader made of it."""
    source, readers = one_briefing(tmp_path)
    results = []
    for mark in ("<!-- a -->", "<!-- b -->"):
        def between(reader_class, mark=mark):
            class Marking(reader_class):
                def read(self, source_path):
                    content, metadata = super().read(source_path)
                    return content + mark, metadata
            return Marking

        try:
            build_cache.cache_readers(readers)
            reader = memo_reading(readers.reader_classes["md"], between)(readers.settings)
            results.append(reader.read(str(source))[0])
        finally:
            build_cache.save_cache(None)
    assert results == ["<P>SOME <EM>TEXT</EM>.</P><!-- A -->", "<P>SOME <EM>TEXT</EM>.</P><!-- B -->"]


def test_missing_keys_are_found_in_the_file_and_among_new_entries(tmp_path):
    store = build_cache.Store(tmp_path, "salt")
    keys = [store.key("x", n) for n in range(1200)]  # more than one query's worth
    for key in keys[::3]:
        store.put(key, "value")
    store.save()
    store = build_cache.Store(tmp_path, "salt")
    store.db.close()
    store.db = None  # no file: only new entries count
    store.new[keys[1]] = b""
    assert store.missing(keys[:3]) == [keys[0], keys[2]]
    store = build_cache.Store(tmp_path, "salt")
    assert store.missing(keys) == [key for n, key in enumerate(keys) if n % 3]


def test_a_forked_job_reads_the_committed_entries_while_the_build_holds_a_few_megabytes_new(tmp_path):
    """A structural edit at 10,000 briefings puts 1.4 MB (the related lists' state) before the
    search index's job looks its entries up through a connection of its own: with SQLite's
    default cache those pages were written into the file, which locked it, and the job built
    the whole index again."""
    store = build_cache.Store(tmp_path, "salt")
    store.put(store.key("entry"), "committed")
    store.save()
    store = build_cache.Store(tmp_path, "salt")
    store.put(store.key("new"), os.urandom(build_cache.SPILL_AFTER // 2))  # incompressible
    sidecar = store.sidecar()
    assert sidecar.get(store.key("entry")) == "committed"
    sidecar.finish()
    store.save()


def test_an_entry_put_at_the_save_is_written_then_and_kept(tmp_path):
    store = build_cache.Store(tmp_path, "salt")
    store.put_at_save(store.key("state"), os.urandom(build_cache.SPILL_AFTER * 2))
    assert not store.db.in_transaction  # nothing written into the file yet
    store.save()
    assert len(build_cache.Store(tmp_path, "salt").get(store.key("state"))) == build_cache.SPILL_AFTER * 2


def test_a_build_from_nothing_does_not_hold_all_its_new_entries_in_memory(tmp_path):
    store = build_cache.Store(tmp_path, "salt")
    for number in range(6):
        store.put(store.key("entry", number), os.urandom(build_cache.SPILL_AFTER // 4))
    assert store.db.in_transaction
    reader = build_cache.CommittedEntries(tmp_path / build_cache.CACHE_FILE)
    assert reader.get_many([store.key("entry", 0)]) == {}  # written into the file: locked
    assert reader.db is None  # and looked at no more
    store.save()


def key_in_a_new_build(source: Path) -> str:
    """The content file's key, as the next build works it out (the last build's record loaded)."""
    settings = {**DEFAULT_CONFIG, "PATH": str(source.parent), "MARKDOWN": {}}
    try:
        return build_cache.file_key(build_cache.store_for(settings), settings, str(source))
    finally:
        build_cache.record_file_keys()  # once the articles are read
        build_cache.save_cache(None)


def test_a_file_in_the_state_the_last_build_recorded_keeps_its_key_unread(tmp_path, monkeypatch):
    source = tmp_path / "one.md"
    source.write_text("Title: One\n\nText.\n", "utf-8")
    monkeypatch.setattr(build_cache, "RACY_NS", 0)  # the file is not too new to be sure of
    first = key_in_a_new_build(source)
    with monkeypatch.context() as unread:
        unread.setattr(Path, "read_bytes", lambda path: pytest.fail(f"{path} read again"))
        assert key_in_a_new_build(source) == first
    times = source.stat()
    source.write_text("Title: Two\n\nText.\n", "utf-8")  # the same size,
    os.utime(source, ns=(times.st_atime_ns, times.st_mtime_ns))  # its time set back: the change time tells
    assert key_in_a_new_build(source) != first


def test_a_file_changed_just_before_it_was_read_is_read_again_next_time(tmp_path, monkeypatch):
    """Written again within its clock's tick, a file would keep its times: a state younger than
    RACY_NS when the build read the file is not recorded."""
    source = tmp_path / "one.md"
    source.write_text("Title: One\n\nText.\n", "utf-8")
    key_in_a_new_build(source)
    with monkeypatch.context() as unread:
        unread.setattr(Path, "read_bytes", lambda path: pytest.fail(f"{path} read again"))
        with pytest.raises(pytest.fail.Exception):
            key_in_a_new_build(source)
    real = build_cache.time.time_ns
    monkeypatch.setattr(build_cache.time, "time_ns", lambda: real() + 2 * build_cache.RACY_NS)
    first = key_in_a_new_build(source)
    monkeypatch.undo()
    monkeypatch.setattr(Path, "read_bytes", lambda path: pytest.fail(f"{path} read again"))
    assert key_in_a_new_build(source) == first


def test_what_was_read_is_frozen_out_of_the_collectors_sight_until_the_build_ends(
        tmp_path, monkeypatch):
    import gc  # noqa: PLC0415

    source, readers = one_briefing(tmp_path)
    monkeypatch.setattr(build_cache, "FREEZE_EVERY", 2)
    try:
        build_cache.cache_readers(readers)
        reader = readers.reader_classes["md"](readers.settings)
        reader.read(str(source))
        assert gc.get_freeze_count() == 0
        reader.read(str(source))
        assert gc.get_freeze_count() > 0
        build_cache.thaw()
        assert gc.get_freeze_count() == 0
    finally:
        build_cache.save_cache(None)
        gc.unfreeze()


def test_a_keeper_reads_the_file_it_is_asked_for_and_starts_no_pool_for_the_others(tmp_path, monkeypatch):
    """A build that took every briefing from its kept reads read none, so its reader never
    warmed; its keeper (plugins/preview), asked to read one briefing again, must not convert
    the whole site in a pool (its read-only store finds none of it)."""
    sources = pool_sized_briefings(tmp_path)
    warmed = []
    monkeypatch.setattr(build_cache, "warm", lambda reader, store: warmed.append(reader))
    readers = SimpleNamespace(settings=settings(tmp_path), reader_classes={"md": MarkdownReader})
    try:
        build_cache.cache_readers(readers)
        reader = readers.reader_classes["md"](readers.settings)
        build_cache.save_cache(None)
        monkeypatch.setattr(build_cache, "IN_WORKER", False)  # read_only_in_fork sets it
        build_cache.read_only_in_fork(readers.settings)
        assert reader.read(str(sources[0]))[1]["title"] == "B0"
    finally:
        build_cache.STORE = None
    assert warmed == []


def pool_sized_briefings(tmp_path) -> list[Path]:
    """A content folder with a few more briefings than a pool is started for (B0, B1, …)."""
    (tmp_path / "briefings").mkdir()
    sources = [tmp_path / "briefings" / f"b{n:03}.md" for n in range(build_cache.POOL_THRESHOLD + 6)]
    for n, source in enumerate(sources):
        source.write_text(f"Title: B{n}\n\nText {n}.\n", "utf-8")
    return sources


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="a process pool needs two cores")
def test_when_what_a_reader_derives_changed_every_file_is_derived_again_in_a_pool(
        tmp_path, monkeypatch, capfd):
    """Markdown kept, derivations not: the build's process derives the first file it reads and
    a pool the others (at 10,000 briefings, one by one here took 75 s and 413 MB); the pool
    says how far it has got."""
    monkeypatch.setattr(progress, "EVERY", 0)
    sources = pool_sized_briefings(tmp_path)
    reads = {}
    for version in ("v1", "v1", "v2"):
        readers = SimpleNamespace(settings=settings(tmp_path), reader_classes={"md": MarkdownReader})
        try:
            build_cache.cache_readers(readers)
            reader = memo_reading(readers.reader_classes["md"], version=version)(readers.settings)
            read = [reader.read(str(source)) for source in sources]
        finally:
            build_cache.save_cache(None)
        reads.setdefault(version, []).append((read, reader.derived))
    (first, derived_first), (again, derived_again) = reads["v1"]
    (changed, derived_changed), = reads["v2"]
    assert first == again and derived_first == derived_again == 0  # all derived in the pool, then kept
    assert derived_changed == 1  # the first file read, the others in the pool
    assert changed == [(f"<P>TEXT {n}.</P>v2", len(f"<p>Text {n}.</p>")) for n in range(len(sources))]
    assert f"Reading files: {build_cache.POOL_CHUNK} of {len(sources) - 1} (" in capfd.readouterr().out


def test_only_the_files_the_build_reads_are_derived_again(tmp_path, monkeypatch, capfd):
    """The first file read has its Markdown kept, by another build, but not its derivation: the
    files taken as an earlier build read them (kept_reads.py) are not derived again."""
    sources = pool_sized_briefings(tmp_path)

    def build(version: str, paths: list[str]):
        readers = SimpleNamespace(settings=settings(tmp_path), reader_classes={"md": MarkdownReader})
        try:
            build_cache.cache_readers(readers)
            reader = memo_reading(readers.reader_classes["md"], version=version)(readers.settings)
            return [reader.read(path) for path in paths], type(reader).derived
        finally:
            build_cache.save_cache(None)

    build("v1", list(map(str, sources)))
    capfd.readouterr()
    read = [str(sources[0])]  # every other file is taken as the last build read it
    monkeypatch.setattr(build_cache, "KEPT_READS", SimpleNamespace(
        to_read=lambda paths: [path for path in paths if path in read]))
    assert build("v2", read) == ([("<P>TEXT 0.</P>v2", len("<p>Text 0.</p>"))], 1)
    assert "Reading" not in capfd.readouterr().out  # no pool: the other files are not read


def test_files_this_build_went_through_are_not_derived_again_for_a_later_reader(tmp_path, capfd):
    """The articles' reader finds every derivation; then the pages' reader (each generator has
    its own) reads a page whose Markdown is kept but whose derivation is gone: the files the
    articles' reader went through are not derived again in a pool."""
    sources = pool_sized_briefings(tmp_path)
    page = str(sources[-1])

    def build(*readings) -> None:
        try:
            for version, paths in readings:
                readers = SimpleNamespace(settings=settings(tmp_path), reader_classes={"md": MarkdownReader})
                build_cache.cache_readers(readers)
                reader = memo_reading(readers.reader_classes["md"], version=version)(readers.settings)
                for path in paths:
                    reader.read(path)
        finally:
            build_cache.save_cache(None)

    build(("v1", list(map(str, sources))))
    capfd.readouterr()
    build(("v1", list(map(str, sources[:-1]))), ("v2", [page]))
    assert "Reading" not in capfd.readouterr().out  # no pool: the articles were all read


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="a process pool needs two cores")
def test_files_a_pool_worker_failed_on_are_read_by_the_build_and_the_others_come_from_the_pool(
        tmp_path, monkeypatch, caplog):
    """A build from nothing reads each file as the pool hands it back; a chunk the pool could
    not convert is read in the build's own process (which names a file that fails), with a
    warning, and nothing is lost."""
    sources = pool_sized_briefings(tmp_path)
    failing = str(sources[build_cache.POOL_CHUNK])  # in the second chunk, the last one
    readers = SimpleNamespace(settings=settings(tmp_path), reader_classes={"md": MarkdownReader})
    try:
        build_cache.cache_readers(readers)

        class Failing(memo_reading(readers.reader_classes["md"])):
            def read(self, source_path):
                if build_cache.IN_WORKER and source_path == failing:
                    raise OSError("disk on fire")
                return super().read(source_path)

        reader = Failing(readers.settings)
        read = [reader.read(str(source)) for source in sources]
    finally:
        build_cache.save_cache(None)
    assert read == [(f"<P>TEXT {n}.</P>", len(f"<p>Text {n}.</p>")) for n in range(len(sources))]
    assert reader.derived == len(sources) - build_cache.POOL_CHUNK  # the second chunk's, here
    assert "not read in the pool (OSError: disk on fire)" in caplog.text
    assert not Path(build_cache.WORKER_FOLDER).exists()


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="a process pool needs two cores")
def test_the_pool_started_for_the_articles_is_finished_before_the_pages_are_read(tmp_path):
    """Each generator's reader warms the cache (Pelican gives each generator its own): the
    pages' must take in what the articles' pool converted for them and end that pool, not
    drop it (its workers and folder were left behind, and the page converted again)."""
    sources = pool_sized_briefings(tmp_path)
    (tmp_path / "pages").mkdir()
    page = tmp_path / "pages" / "about.md"
    page.write_text("Title: About\n\nAbout us.\n", "utf-8")
    site = {**settings(tmp_path), "PAGE_PATHS": ["pages"]}
    try:
        articles = SimpleNamespace(settings=site, reader_classes={"md": MarkdownReader})
        build_cache.cache_readers(articles)
        article_reader = memo_reading(articles.reader_classes["md"])(site)
        for source in sources:
            article_reader.read(str(source))
        folder = Path(build_cache.WORKER_FOLDER)
        pages = SimpleNamespace(settings=site, reader_classes={"md": MarkdownReader})
        build_cache.cache_readers(pages)
        page_reader = memo_reading(pages.reader_classes["md"])(site)
        assert page_reader.read(str(page)) == ("<P>ABOUT US.</P>", len("<p>About us.</p>"))
    finally:
        build_cache.save_cache(None)
    assert article_reader.derived == 0 and page_reader.derived == 0  # all converted in the pool
    assert not folder.exists()


def test_the_pages_reader_does_not_go_through_the_files_the_articles_reader_warmed(tmp_path, monkeypatch):
    source, articles = one_briefing(tmp_path)
    keyed = []
    monkeypatch.setattr(build_cache, "file_key", lambda store, settings, path: keyed.append(path) or path)
    try:
        build_cache.cache_readers(articles)
        build_cache.warm(articles.reader_classes["md"](articles.settings), build_cache.store_for(articles.settings))
        assert keyed == [str(source)]
        pages = SimpleNamespace(settings=articles.settings, reader_classes={"md": MarkdownReader})
        build_cache.cache_readers(pages)
        build_cache.warm(pages.reader_classes["md"](pages.settings), build_cache.store_for(pages.settings))
        assert keyed == [str(source)]
    finally:
        build_cache.save_cache(None)


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="a process pool needs two cores")
def test_a_pool_works_in_the_cache_folder_and_clears_what_builds_that_died_left_there(tmp_path):
    """A build forked by the build server or the devserver ends with os._exit: one that died
    while its pool was reading left the pool's folder behind, with the entries handed back."""
    sources = pool_sized_briefings(tmp_path)
    cache = tmp_path / ".cache"
    cache.mkdir()
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True).stdout.strip()
    left = cache / f"{build_cache.POOL_FOLDER_PREFIX}{ended}-abc"
    alive = cache / f"{build_cache.POOL_FOLDER_PREFIX}{os.getppid()}-def"  # a build still running
    for folder in (left, alive):
        folder.mkdir()
        (folder / "chunk.pickle").write_bytes(b"entries")
    readers = SimpleNamespace(settings=settings(tmp_path), reader_classes={"md": MarkdownReader})
    try:
        build_cache.cache_readers(readers)
        reader = memo_reading(readers.reader_classes["md"])(readers.settings)
        reader.read(str(sources[0]))
        assert Path(build_cache.WORKER_FOLDER).parent == cache
    finally:
        build_cache.save_cache(None)
    assert not left.exists() and (alive / "chunk.pickle").exists()
    assert [path.name for path in cache.glob(build_cache.POOL_FOLDER_PREFIX + "*")] == [alive.name]


def test_the_latest_build_of_each_recent_environment_keeps_its_entries(tmp_path):
    """`make publish` after any number of `make html` builds (another environment: other
    settings, other search entries) finds its entries, and the next `make html` finds its."""
    def build(environment, *used):
        store = build_cache.Store(tmp_path, "salt", environment=environment)
        for name in used:
            store.get(store.key("x", name)) or store.put(store.key("x", name), name)
        store.save()

    def kept(*names):
        store = build_cache.Store(tmp_path, "salt")
        return sorted(name for name in names if store.get(store.key("x", name)))

    build("html", "shared", "html 1")
    build("publish", "shared", "publish")
    for number in range(2, 6):
        build("html", "shared", f"html {number}")
    assert kept("shared", "publish", "html 1", "html 4", "html 5") == ["html 5", "publish", "shared"]
    build("theme edited", "shared")
    build("theme edited again", "shared")  # the fourth environment: publish's is the oldest
    assert kept("shared", "publish", "html 5") == ["html 5", "shared"]


def test_a_save_keeps_exactly_the_entries_of_the_latest_build_of_each_kept_environment(tmp_path):
    """Builds in random environments, each using (and putting) random entries, and storing some
    it does not use (a pool's, for files the build did not read): after every save, the file
    holds the entries the latest build of each of the KEPT_ENVIRONMENTS latest environments
    used, and no other (not even one no build recorded, as older code could leave), though a
    save writes only what changed since that environment's last."""
    import random  # noqa: PLC0415
    import sqlite3  # noqa: PLC0415

    rng = random.Random(7)
    build_cache.Store(tmp_path, "salt").save()
    with sqlite3.connect(tmp_path / build_cache.CACHE_FILE) as db:  # as older code could leave it
        db.execute("INSERT INTO entry VALUES ('no build used it', x'00')")
    latest: dict[str, set[str]] = {}  # environment → what its latest build used, newest last
    for _ in range(60):
        environment = rng.choice(["html", "publish", "theme", "code", "settings"])
        store = build_cache.Store(tmp_path, "salt", environment=environment)
        used = set(rng.sample([f"entry {n}" for n in range(40)], rng.randint(0, 25)))
        for name in sorted(used):
            if store.get(store.key("x", name)) is None:
                store.put(store.key("x", name), name)
        for name in rng.sample([f"unread {n}" for n in range(5)], rng.randint(0, 2)):
            store.add(store.key("x", name), b"stored, not used")
        store.save()
        latest.pop(environment, None)
        latest[environment] = {store.key("x", name) for name in used}
        kept = set().union(*list(latest.values())[-build_cache.KEPT_ENVIRONMENTS:])
        with sqlite3.connect(tmp_path / build_cache.CACHE_FILE) as db:
            assert {key for (key,) in db.execute("SELECT key FROM entry")} == kept
            recorded = {}
            for kept_environment, key in db.execute("SELECT environment, key FROM kept_for"):
                recorded.setdefault(kept_environment, set()).add(key)
        assert recorded == {name: keys for name, keys in list(latest.items())[-build_cache.KEPT_ENVIRONMENTS:] if keys}
