"""Converted seeds kept between runs, keyed by the seed's name and bytes and the converter itself.

A rebuild after editing one seed converts that seed only. The key includes a hash of the
converter's code and rule files (converter_files), so any change to the converter converts
everything again. The cache is one SQLite file in CONTENTDIR/.cache; entries of seeds no longer
seen are dropped.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import sqlite3
import sys
import zlib
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from .cache_files import compact, open_database
from .cores import usable_cores
from .duplicates import fingerprint_of
from .file_states import FileStates, digest
from .imports import closure
from .model import Briefing
from .up_to_date import CACHE_DIR, PACKAGE

CACHE_FILE = "convert-cache.sqlite"
TABLES = ("seed", "summary", "written", "slug", "duplicate", "files")
POOL_THRESHOLD = 64  # fewer seeds to convert than this: not worth starting workers
SUMMARIES_AT_ONCE = 500  # kept summaries read in one query (one query each took 0.3 s at 10,000 seeds)


CONVERTER = PACKAGE / "convert.py"  # the converter: this module and what it imports
# Modules convert.py imports that cannot change what a conversion gives: its progress lines,
# the stamps that let a run be skipped (and the build's, in the same module), the upkeep of
# cache files and of the files' kept states. A change to one of them must not convert every
# seed again (80 s at 10,000).
NOT_CONVERSION = frozenset({"progress.py", "up_to_date.py", "cache_files.py", "file_states.py", "imports.py"})
RULE_FILE = re.compile(r"""\bload\(\s*["'](\w+)["']\s*\)""")  # rules.load("dates") → data/dates.toml


@lru_cache(maxsize=1)
def converter_fingerprint() -> str:
    """A hash of the converter's code and data files (see converter_files)."""
    digest = hashlib.sha256()
    for path in converter_files():
        digest.update(str(path.relative_to(PACKAGE)).encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def converter_files() -> list[Path]:
    """The modules of this package that convert.py imports, directly or through another (at
    the top of a module or inside a function), and the rule files they load, sorted. The
    modules only the build's plugins or the benchmark import (periods, corpus…) are not the
    converter's, nor those in NOT_CONVERSION: a change to one of them must not convert every
    seed again."""
    modules = closure([CONVERTER], NOT_CONVERSION)
    rules = {PACKAGE / "data" / f"{name}.toml" for module in modules
             for name in RULE_FILE.findall(module.read_text("utf-8"))}
    return sorted(modules | {path for path in rules if path.is_file()})


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def convert_seed(name: str, raw: bytes, *arguments) -> Briefing:
    """pipeline.convert_seed, imported only when a seed needs converting (a run with every
    seed cached does not load the pipeline's libraries at all)."""
    from .pipeline import convert_seed as convert  # noqa: PLC0415

    return convert(name, raw, *arguments)


def convert_file(job: tuple[Path, tuple]) -> Briefing | str:
    """The briefing of one seed file (with convert_seed's further arguments), or why it cannot
    be converted."""
    from .decode import UnreadableSeed  # noqa: PLC0415

    path, arguments = job
    try:
        return convert_seed(path.name, path.read_bytes(), *arguments)
    except UnreadableSeed as reason:
        return str(reason)
    except OSError as error:
        return f"cannot read: {error.strerror}"


def converted_entry(job: tuple[Path, tuple]) -> tuple[bytes, bytes, bytes] | str:
    """In a pool's worker: what the cache keeps of a seed file's briefing (see `entry`), and
    the shingles its summary leaves out (the duplicate pass of a run that converts many seeds
    compares many), or why it cannot be converted. The worker pickles the briefing to hand it
    back anyway: handing back the cache's bytes instead spares the parent unpickling the whole
    briefing and pickling and compressing it again (0.6 s of its CPU at 1,000 seeds, while
    both cores convert)."""
    result = convert_file(job)
    return (*entry(result), fingerprint_of(result).shingles) if isinstance(result, Briefing) else result


def entry(briefing: Briefing) -> tuple[bytes, bytes]:
    """The cache's two rows of a briefing: the whole of it (compressed), and its summary."""
    return (zlib.compress(pickle.dumps(briefing, pickle.HIGHEST_PROTOCOL), 1),
            pickle.dumps(without_text(briefing), pickle.HIGHEST_PROTOCOL))


def convert_in_processes(jobs: list[tuple[Path, tuple]]):
    """(index, result) for each (seed file, further arguments), converted on every usable core:
    its briefing, or the cache's entry of it (from a pool's worker: see converted_entry), or
    why it cannot be converted."""
    cores = usable_cores()
    if cores < 2 or len(jobs) < POOL_THRESHOLD:
        yield from enumerate(map(convert_file, jobs))
        return
    # Loaded here, not on every run, and once before the workers fork (dates.py loads dateparser
    # only when a date needs it: without this, every worker would).
    import multiprocessing  # noqa: PLC0415

    import dateparser.date  # noqa: F401, PLC0415

    from . import pipeline  # noqa: F401, PLC0415

    with multiprocessing.get_context("fork").Pool(cores) as pool:
        yield from enumerate(pool.imap(converted_entry, jobs, chunksize=16))


def without_text(briefing: Briefing) -> Briefing:
    """The briefing without its text (paragraphs, seed text, entities, events) and its
    fingerprint without its shingles: what the first pass of a conversion needs of every seed
    (report fields, title, the duplicate pass's hashes and sketch). The shingles, five sixths of
    a summary's bytes, are compared only for the few seeds whose sketch makes them a candidate:
    `SeedCache.shingles` reads those."""
    return replace(briefing, paragraphs=[], seed_text="", entities=[], events=[],
                   fingerprint=replace(fingerprint_of(briefing), shingles=None))


class SeedCache:
    """Seed files → briefings as `pipeline.convert_seed` gives them, from the cache when it
    can. Seeds are read one at a time, so a large folder is never all in memory at once; a
    briefing converted in this run can be fetched again by its key. Without a cache file (a
    read-only folder) the cache lives in memory for the run.

    Tables: `seed` holds each whole briefing, `summary` the same without its text (much quicker
    to read back); the others are memo() tables."""

    def __init__(self, content_dir: Path | None):
        self.db = None
        self.used: list[str] = []
        self.spare: dict[str, bytes] = {}  # briefings the database would not take
        self.memos: dict[str, dict[str, str]] = {}  # as memo() read them
        if content_dir is not None:
            self.db = open_database(content_dir / CACHE_DIR / CACHE_FILE,
                                    dict.fromkeys(TABLES, "key TEXT PRIMARY KEY, value BLOB"), warn)
        self.persistent = self.db is not None
        if self.db is None:
            self.db = sqlite3.connect(":memory:")
            for table in TABLES:
                self.db.execute(f"CREATE TABLE {table} (key TEXT PRIMARY KEY, value BLOB)")
        self.files = FileStates(self.memo("files"))  # kept by save(): see convert_folder

    def key(self, name: str, raw: bytes, arguments: tuple = ()) -> str:
        return self.key_of_digest(name, digest(raw), arguments)

    def key_of_digest(self, name: str, seed_digest: str, arguments: tuple = ()) -> str:
        head = f"{converter_fingerprint()}\0{name}\0{arguments!r}\0{seed_digest}"
        return hashlib.sha256(head.encode("utf-8")).hexdigest()

    def convert_all(self, paths: list[Path], arguments: dict[str, tuple] | None = None
                    ) -> list[Briefing | str]:
        """Each seed file → its Briefing, or the reason it cannot be converted; in order."""
        return [result for _, _, result in self.convert_each(paths, arguments)]

    def convert_each(self, paths: list[Path], arguments: dict[str, tuple] | None = None,
                     whole: bool = True):
        """(path, key, result) for each seed file, in order: its Briefing, or the reason it cannot
        be converted (key None when the file cannot be read). `arguments` (by seed name) are
        convert_seed's further arguments; they are part of the key, so they must have a stable
        repr. Seeds not in the cache are converted in other processes meanwhile. With
        `whole=False` a cached briefing comes without its text (see without_text)."""
        arguments = arguments or {}
        keys: list[str | None] = []
        unreadable: dict[int, str] = {}
        for index, path in enumerate(paths):
            try:
                keys.append(self.key_of_digest(path.name, self.files.result(str(path), digest),
                                               arguments.get(path.name, ())))
            except OSError as error:
                keys.append(None)
                unreadable[index] = f"cannot read: {error.strerror}"
        self.used += [key for key in keys if key]
        cached = self.cached_keys()
        missing = {i for i, key in enumerate(keys) if key and key not in cached}
        converted = (result for _, result in convert_in_processes(
            [(paths[i], arguments.get(paths[i].name, ())) for i in sorted(missing)]))
        summaries: dict[str, bytes] = {}
        for index, (path, key) in enumerate(zip(paths, keys)):
            if not whole and index % SUMMARIES_AT_ONCE == 0:
                summaries = self.summaries([key for key in keys[index:index + SUMMARIES_AT_ONCE] if key])
            if key is None:
                yield path, key, unreadable[index]
                continue
            if index in missing:
                result = next(converted)
                if isinstance(result, tuple):  # the cache's entry, from a worker, and the shingles
                    value, summary, shingles = result
                    self.store_entry(key, value, summary)
                    if whole:
                        result = pickle.loads(zlib.decompress(value))
                    else:
                        result = pickle.loads(summary)
                        result.fingerprint.shingles = shingles
                elif isinstance(result, Briefing):
                    self.store(key, result)
            else:
                result = self.lookup(key) if whole else self.lookup_summary(key, summaries.get(key))
                if result is None:  # an entry that cannot be read back
                    result = convert_file((path, arguments.get(path.name, ())))
                    if isinstance(result, Briefing):
                        self.store(key, result)
            yield path, key, result

    def cached_keys(self) -> set[str]:
        try:
            return {key for key, in self.db.execute("SELECT key FROM seed")} | set(self.spare)
        except sqlite3.Error:
            return set(self.spare)

    def store(self, key: str, briefing: Briefing) -> None:
        self.store_entry(key, *entry(briefing))

    def store_entry(self, key: str, value: bytes, summary: bytes) -> None:
        try:
            self.db.execute("INSERT OR REPLACE INTO seed VALUES (?, ?)", (key, value))
            self.db.execute("INSERT OR REPLACE INTO summary VALUES (?, ?)", (key, summary))
        except sqlite3.Error:
            self.spare[key] = value  # not cached: converted again next time

    def lookup(self, key: str) -> Briefing | None:
        try:
            value = self.spare.get(key)
            if value is None:
                row = self.db.execute("SELECT value FROM seed WHERE key = ?", (key,)).fetchone()
                value = None if row is None else row[0]
            return None if value is None else pickle.loads(zlib.decompress(value))
        except (sqlite3.Error, zlib.error, pickle.UnpicklingError, EOFError, AttributeError):
            return None

    def summaries(self, keys: list[str]) -> dict[str, bytes]:
        """The kept summaries of `keys` (pickled), read in one query."""
        try:
            return dict(self.db.execute(
                f"SELECT key, value FROM summary WHERE key IN ({','.join('?' * len(keys))})", keys))
        except sqlite3.Error:
            return {}

    def lookup_summary(self, key: str, kept: bytes | None = None) -> Briefing | None:
        """The cached briefing without its text (the whole one if there is no summary);
        `kept`: its summary, if it was read already (see summaries)."""
        try:
            if kept is None:
                row = self.db.execute("SELECT value FROM summary WHERE key = ?", (key,)).fetchone()
                kept = None if row is None else row[0]
            if kept is not None:
                return pickle.loads(kept)
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError):
            pass
        briefing = self.lookup(key)
        return None if briefing is None else without_text(briefing)

    def shingles(self, key: str) -> bytes:
        """The shingles of the briefing cached under `key` (a summary leaves them out)."""
        return fingerprint_of(self.fetch(key)).shingles

    def fetch(self, key: str) -> Briefing:
        """A briefing convert_each gave in this run, read again (a new copy each time)."""
        briefing = self.lookup(key)
        if briefing is None:
            raise LookupError(f"seed cache: {key} is gone")
        return briefing

    def memo(self, table: str) -> dict[str, str]:
        """A table of facts the converter keeps about its own output between runs ("written":
        what each output file was written from; "slug": the slug of each title; "duplicate": the
        duplicate pass's verdict on each seed); save() writes
        the table back as the run leaves it."""
        try:
            self.memos[table] = dict(self.db.execute(f"SELECT key, value FROM {table}"))
        except sqlite3.Error:
            self.memos[table] = {}
        return dict(self.memos[table])

    def save(self, memos: dict[str, dict[str, str]] | None = None) -> None:
        """Keep the new conversions and forget seeds not converted this time; `memos` replace the
        tables memo() read. The briefings can still be fetched afterwards."""
        if not self.persistent:
            return
        try:
            with self.db:
                self.db.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
                self.db.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for k in self.used))
                for table in ("seed", "summary"):
                    self.db.execute(f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM used)")
                self.db.execute("DROP TABLE used")
                for table, now in (memos or {}).items():
                    before = self.memos.get(table, {})
                    self.db.executemany(f"DELETE FROM {table} WHERE key = ?",
                                        ((key,) for key in before if key not in now))
                    changed = ((key, value) for key, value in now.items() if before.get(key) != value)
                    self.db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", changed)
        except sqlite3.Error:
            return  # a cache that cannot be written only costs time next run
        compact(self.db)
