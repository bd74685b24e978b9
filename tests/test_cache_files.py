"""Cache files shrink back once most of their entries are gone (a new converter or reader
version makes every entry again), and are left alone after the usual few changes."""

import sqlite3

from briefing.cache_files import compact, open_database
from briefing.seed_cache import SeedCache


def filled(path, rows: int) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE entry (key TEXT PRIMARY KEY, value BLOB)")
    with db:
        db.executemany("INSERT INTO entry VALUES (?, ?)", ((str(n), bytes(2000)) for n in range(rows)))
    return db


def test_a_file_mostly_free_is_compacted_and_keeps_its_entries(tmp_path):
    db = filled(tmp_path / "cache.sqlite", 1000)
    with db:
        db.execute("DELETE FROM entry WHERE CAST(key AS INTEGER) >= 100")
    before = (tmp_path / "cache.sqlite").stat().st_size
    assert compact(db)
    assert (tmp_path / "cache.sqlite").stat().st_size < before / 4
    assert db.execute("SELECT COUNT(*) FROM entry").fetchone()[0] == 100


def test_a_file_with_a_few_entries_gone_is_left_alone(tmp_path):
    db = filled(tmp_path / "cache.sqlite", 1000)
    with db:
        db.execute("DELETE FROM entry WHERE CAST(key AS INTEGER) < 100")
    before = (tmp_path / "cache.sqlite").stat().st_size
    assert not compact(db)
    assert (tmp_path / "cache.sqlite").stat().st_size == before


def test_the_converter_cache_shrinks_after_its_seeds_are_all_converted_anew(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    paths = []
    for number in range(30):
        paths.append(seeds / f"s{number}.txt")
        paths[-1].write_text(f"Talks {number}\n\n" + f"Officials met in Kabul for talks, round {number}. " * 40,
                             "utf-8")
    cache = SeedCache(tmp_path / "content")
    cache.convert_all(paths)
    cache.save()
    file = tmp_path / "content" / ".cache" / "convert-cache.sqlite"
    size = file.stat().st_size
    for path in paths:  # every seed changed: every entry is made again, the old ones deleted
        path.write_text(path.read_text("utf-8") + "Corrected.\n", "utf-8")
    again = SeedCache(tmp_path / "content")
    again.convert_all(paths)
    again.save()
    assert file.stat().st_size < 1.5 * size


def test_a_damaged_file_is_replaced_and_said_to_be(tmp_path):
    path = tmp_path / ".cache" / "cache.sqlite"
    path.parent.mkdir()
    path.write_bytes(b"half a page of something else")
    said = []
    db = open_database(path, {"entry": "key TEXT PRIMARY KEY, value BLOB"}, said.append)
    db.execute("INSERT INTO entry VALUES ('k', x'00')")
    assert said == [f"{path} was damaged and is started afresh: what it kept is computed again"]
    assert open_database(path, {"entry": "key TEXT PRIMARY KEY, value BLOB"}, said.append) is not None
    assert len(said) == 1  # a sound file says nothing


def test_a_folder_that_cannot_hold_the_file_means_no_cache(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    assert open_database(blocker / "cache.sqlite", {"entry": "key TEXT"}, print) is None
