"""Reuse the work of earlier builds: Markdown and typogrify results keyed by content hash.

Reading a briefing is Markdown plus typogrify, about two thirds of a build; Pelican's own content
cache keys on file names and does not cover typogrify (see PELICAN-NOTES.md). Here:

- each Markdown reader caches `Markdown.convert` (HTML and raw metadata) under a hash of the
  file's bytes and the Markdown settings; metadata is still parsed on every build, with the
  current settings and plugins;
- a reader that extends the cached one keeps what it derives from a file with `read_memo`,
  under the file's key and whatever else the derivation reads, together with what typogrify
  makes of the derived HTML, the title and the summary; Pelican's typogrify calls that follow
  on those very strings get these results (`PRIMED`), with no hashing or lookup of their own
  (plugins/entities: a rebuild reads each briefing with two lookups);
- other typogrify results are cached under a hash of their input and options;
- what is not in the cache is computed more quickly, with the same result: a briefing's raw
  paragraphs skip Markdown's parse (`quick_markdown.py`), typogrify's filters skip the text
  they cannot change (`quick_typography.py`);
- on a build with many files not yet cached, they are converted in a process pool, one worker
  per core, in the order Pelican reads them, and Pelican reads each as soon as the pool hands
  it back, while the pool converts the next; so are the derivations of every file when the
  first file read finds its Markdown kept but not its derivation (what the derivation reads,
  code or settings, changed: no file's will be found), before Pelican reads on;
- the articles generator takes each briefing that an earlier build in the same environment read
  from the same file as that build read it, pickled, rather than reading it (`kept_reads.py`):
  with the two lookups above, its metadata parsed and its content object built, reading took
  more than twice as long;
- while the articles are read, what was read is frozen out of the garbage collector's sight
  every FREEZE_EVERY reads (it is kept for the whole build anyway), until the build ends;
- the theme's templates, compiled (`templates.py`), under the build environment's fingerprint;
- a job that may run in a forked process (the search index's, deferred by
  plugins/parallel_render) gets and computes entries through a `Store.sidecar()` asked for
  before the fork; its entries reach the store when the build saves it.

Results do not depend on the cache: a hit returns what the same call returned before. The cache
is a SQLite file in BUILD_CACHE_PATH (default: `.cache` in the content folder), never in the
output, so building into a fresh folder still uses it. An entry is kept while the last build of
one of the KEPT_ENVIRONMENTS latest build environments used it (`make html` and `make publish`
are two): others are dropped at the end of a build. Delete the folder to start afresh.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import hashlib
import logging
import marshal
import multiprocessing
import os
import pickle
import shutil
import sqlite3
import sys
import tempfile
import time
import zlib
from importlib.metadata import version
from pathlib import Path

from blinker import signal as named_signal
from pelican import signals
from pelican.readers import MarkdownReader

from briefing.cache_files import compact, open_database
from briefing.cores import usable_cores
from briefing.progress import Progress
from briefing.up_to_date import CACHE_DIR, build_environment

from . import quick_markdown
from .kept_reads import KeptReads
from .templates import keep_compiled_templates

log = logging.getLogger(__name__)

CACHE_FILE = "build-cache.sqlite"
# entry: the entries; build: the latest build of each environment (scripts/build.py's fingerprint
# of settings, packages and plugins), numbered; kept_for: the keys each of those used
TABLES = {"entry": "key TEXT PRIMARY KEY, value BLOB", "build": "environment TEXT PRIMARY KEY, number INTEGER",
          "kept_for": "environment TEXT, key TEXT, PRIMARY KEY (environment, key)"}
KEPT_ENVIRONMENTS = 3  # `make html`, `make publish`, and one more (the last code or theme)
# Reads between two gc.freeze() in the build's process (0 in pool workers): what is read is kept
# for the whole build, and each full collection would walk every briefing read so far (a fifth
# of a rebuild's reading at 10,000). A read leaves little cyclic garbage: the young generations'
# collections, which run every few hundred objects made, take it before the next freeze.
FREEZE_EVERY = 500
POOL_THRESHOLD = 64  # fewer uncached files than this: not worth starting workers
POOL_CHUNK = 50  # files a pool worker converts before handing back their cache entries
POOL_FOLDER_PREFIX = "build-cache-pool-"  # then the build's process id
LOOKUP_CHUNK = 500  # keys looked up in one query (older SQLite allows 999 parameters)
SPILL_AFTER = 4 << 20  # bytes of new entries a build holds before they go into the file (see spill_after)
LIBRARIES = ("pelican", "markdown", "typogrify", "smartypants")


def fingerprint(*parts) -> str:
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, bytes):
            digest.update(b"b" + part)
        elif isinstance(part, str):
            digest.update(b"s" + part.encode("utf-8", "surrogatepass"))
        else:
            digest.update(b"r" + repr(part).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


class Store:
    """Key → value (pickled, compressed) in one SQLite file; remembers which keys a build used.
    New entries go into the file as they come, in a transaction committed only by `save`: a
    build that fails keeps none, and a build from nothing does not hold them all in memory."""

    def __init__(self, folder: Path | None, salt: str, lookup: Path | None = None, environment: str = ""):
        """With no folder, a store in memory only (a pool worker's: no SQLite across fork),
        which may look up the entries committed in the file `lookup` through a read-only
        connection of its own. `environment`: the build's (see `save`)."""
        self.salt, self.environment = salt, environment
        self.db = None if folder is None else open_database(folder / CACHE_FILE, TABLES, log.warning)
        if self.db is not None:
            spill_after(self.db, SPILL_AFTER)
        self.committed = None if lookup is None else CommittedEntries(lookup)
        self.used: set[str] = set()
        self.added: set[str] = set()  # the keys of the entries this build stored
        self.new: dict[str, bytes] = {}  # only when there is no file
        self.folder = folder
        self.path = None if folder is None else folder / CACHE_FILE
        self.sidecars: list[Sidecar] = []
        self.waits: list = []  # functions that `save` calls first (work that hands entries back)
        self.recording: list[str] | None = None  # a list: the keys used get added to it
        self.pid = os.getpid()  # its SQLite connection is this process's alone (not a fork's)

    def key(self, kind: str, *parts) -> str:
        return fingerprint(self.salt, kind, *parts)

    def get(self, key: str):
        self.use(key)
        if key in self.new:
            return pickle.loads(zlib.decompress(self.new[key]))
        if self.db is None:
            return None if self.committed is None else self.committed.get_many([key]).get(key)
        try:
            row = self.db.execute("SELECT value FROM entry WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return None if row is None else decoded(row[0])

    def get_many(self, keys: list[str]) -> dict:
        """The entries of `keys` that exist, by key, LOOKUP_CHUNK keys a query; all marked used."""
        for key in keys:
            self.use(key)
        found = {key: pickle.loads(zlib.decompress(self.new[key])) for key in keys if key in self.new}
        if self.db is None:
            if self.committed is not None:
                found.update(self.committed.get_many([key for key in keys if key not in found]))
            return found
        try:
            found.update((key, decoded(data)) for key, data in rows_of(self.db, "key, value", keys))
        except sqlite3.Error:
            pass
        return found

    def missing(self, keys: list[str]) -> list[str]:
        """The keys that have no entry, asked LOOKUP_CHUNK at a time."""
        found = set(self.new)
        if self.db is not None:
            try:
                found.update(row[0] for row in rows_of(self.db, "key", keys))
            except sqlite3.Error:
                pass
        return [key for key in keys if key not in found]

    def remember(self, key: str, compute):
        """The value kept under `key`, or compute() kept there now."""
        value = self.get(key)
        if value is None:
            value = compute()
            self.put(key, value)
        return value

    def put(self, key: str, value) -> None:
        self.use(key)
        self.add(key, zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1))

    def put_at_save(self, key: str, value) -> None:
        """put(), but into the file only when the build saves (through a sidecar's temporary
        file): a large entry written during the build would lock the file for the processes
        that read it meanwhile (see spill_after)."""
        sidecar = self.sidecar()
        sidecar.keep(key, value)
        sidecar.finish()

    def use(self, key: str) -> None:
        self.used.add(key)
        if self.recording is not None:
            self.recording.append(key)

    def add(self, key: str, data: bytes) -> None:
        """Store an entry already pickled and compressed (not marked used)."""
        self.added.add(key)
        if self.db is not None:
            try:
                self.db.execute("INSERT OR REPLACE INTO entry VALUES (?, ?)", (key, data))
                return
            except sqlite3.Error:
                pass
        self.new[key] = data

    def sidecar(self) -> Sidecar:
        """A get-or-compute for a job that may run in a forked process; see Sidecar. Ask for
        it in the build's process, before the fork."""
        sidecar = Sidecar(self.path, self.salt)
        self.sidecars.append(sidecar)
        return sidecar

    def forget(self, sidecar: Sidecar) -> None:
        """A sidecar whose records must not be kept (its job failed)."""
        self.sidecars.remove(sidecar)

    def take_sidecars(self) -> None:
        """The keys the sidecars used and the entries they made, as if made here."""
        while self.sidecars:
            for key, data in self.sidecars.pop().records():
                self.used.add(key)
                if data is not None:
                    self.add(key, data)

    def save(self) -> None:
        """Write new entries, and keep those that the latest build of each of the
        KEPT_ENVIRONMENTS latest environments used, this one's among them; drop the others.
        So `make publish` after any number of `make html` builds still finds its own entries
        (the search index's: their text holds the first-mention links, absolute when
        publishing; its compiled templates), and `make html` after it finds its."""
        for wait in self.waits:
            wait()
        if self.db is not None:  # no process reads the file any more: no need to hold pages
            spill_after(self.db, 0)
        self.take_sidecars()
        if self.db is None:
            return
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO entry VALUES (?, ?)", self.new.items())
                self.db.execute("DROP TABLE IF EXISTS used_before")  # kept by builds before the ninth round
                self.db.execute("INSERT OR REPLACE INTO build SELECT ?, COALESCE(MAX(number), 0) + 1 FROM build",
                                (self.environment,))
                self.db.execute("DELETE FROM build WHERE environment NOT IN "
                                "(SELECT environment FROM build ORDER BY number DESC LIMIT ?)", (KEPT_ENVIRONMENTS,))
                self.keep_used()
            compact(self.db)
        except sqlite3.Error as error:
            log.warning("build cache not saved (%s): the next build will take longer", error)
        finally:
            self.db.close()
            self.db = None
        self.new.clear()

    def keep_used(self) -> None:
        """Record the keys this build used as its environment's (`kept_for`), forget those of
        the environments no longer kept, and delete the entries no kept environment uses.
        After a one-seed edit at 10,000 briefings, deleting the environment's 39,000 keys,
        inserting them again and then looking through every entry took 0.6 s of the build's
        end: when this environment has kept keys and no other is forgotten, only what changed
        since its last build is written, and only the entries that may have lost their last
        user are looked at (those it no longer uses, and those stored but not used)."""
        db, environment = self.db, self.environment
        before = {key for (key,) in db.execute("SELECT key FROM kept_for WHERE environment = ?", (environment,))}
        if not before or db.execute("SELECT 1 FROM kept_for WHERE environment NOT IN "
                                    "(SELECT environment FROM build) LIMIT 1").fetchone():
            # its first build (new code, settings or theme; a cache from older code), or one
            # that leaves an environment behind: every entry is looked at
            db.execute("DELETE FROM kept_for WHERE environment = ? OR environment NOT IN "
                       "(SELECT environment FROM build)", (environment,))
            db.executemany("INSERT INTO kept_for VALUES (?, ?)", ((environment, key) for key in self.used))
            db.execute("DELETE FROM entry WHERE key NOT IN (SELECT key FROM kept_for)")
            return
        unused = before - self.used
        db.executemany("DELETE FROM kept_for WHERE environment = ? AND key = ?",
                       ((environment, key) for key in unused))
        db.executemany("INSERT INTO kept_for VALUES (?, ?)", ((environment, key) for key in self.used - before))
        candidates = sorted(unused | (self.added - self.used))
        held = {key for (kept,) in db.execute("SELECT environment FROM build").fetchall() for (key,) in
                rows_for(db, "SELECT key FROM kept_for WHERE environment = ? AND key IN ({})", candidates, kept)}
        db.executemany("DELETE FROM entry WHERE key = ?", ((key,) for key in candidates if key not in held))


def spill_after(db: sqlite3.Connection, size: int) -> None:
    """Let the connection's transaction hold up to `size` bytes of changed pages in memory
    before SQLite writes them into the file (by default, once its 2 MB cache is full). Until
    then other processes still read the file's committed entries (a Sidecar's job, a pool
    worker); after, they find it locked until the commit. At 10,000 briefings the related
    lists' state alone (1.4 MB, now put at the save: `put_at_save`) could go over the default
    (it depends on the pages the transaction reads too): the rendering process that updates
    the search index then found every entry locked and built the index again, 8 s instead of
    1. A build from nothing holds up to `size` more in memory.
    `cache_spill = N` would also be read as a boolean, from N's low byte: the size is set
    first, then spilling turned back on. A size of 0: SQLite's own (spill once the cache is
    full)."""
    pages = max(1, size // db.execute("PRAGMA page_size").fetchone()[0])
    db.execute(f"PRAGMA cache_spill = {pages}")
    db.execute("PRAGMA cache_spill = ON")


class Sidecar:
    """Get-or-compute for a job that plugins/parallel_render may run in a forked process (a
    SQLite connection must not cross a fork, and a child's entries would die with it). It reads
    entries through a read-only connection of its own (those committed by earlier builds) and
    writes each key it used, with the entry it made if any, to a temporary file opened before
    the fork; the build's Store takes them in when it saves, so only a successful build keeps
    them."""

    def __init__(self, path: Path | None, salt: str):
        self.salt = salt
        self.committed = CommittedEntries(path)  # path None: no lookups, entries still handed back
        self.file = tempfile.TemporaryFile(prefix="build-cache-sidecar-")

    def key(self, kind: str, *parts) -> str:
        return fingerprint(self.salt, kind, *parts)

    def remember(self, key: str, compute):
        value = self.get(key)
        if value is None:
            value = compute()
            self.keep(key, value)
        else:
            self.keep(key)
        return value

    def keep(self, key: str, value=None) -> None:
        """Hand `key` back as used by this build, with the entry made for it if any (an entry
        not looked up is kept too: its key is enough)."""
        data = None if value is None else zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1)
        pickle.dump((key, data), self.file, pickle.HIGHEST_PROTOCOL)

    def get(self, key: str):
        return self.get_many([key]).get(key)

    def get_many(self, keys: list[str]) -> dict:
        """The committed entries of `keys` that can be read now, by key (not marked used)."""
        return self.committed.get_many(keys)

    def finish(self) -> None:
        """End of the job: its records reach the file (a forked process ends with os._exit)."""
        self.file.flush()
        self.committed.close()

    def records(self):
        """(key, entry or None) for each key used, one at a time; the file is closed after."""
        with self.file:
            self.file.seek(0)
            while True:
                try:
                    yield pickle.load(self.file)
                except EOFError:
                    return


class CommittedEntries:
    """The entries committed to a cache file (by earlier builds), read through a read-only
    connection of their own, opened at the first look: in the process that looks, never across
    a fork (a Sidecar's job, a pool worker)."""

    def __init__(self, path: Path | None):
        self.path, self.db, self.opened = path, None, False

    def get_many(self, keys: list[str]) -> dict:
        """The entries of `keys` that can be read now, by key, in one query per LOOKUP_CHUNK
        keys. Once the build's own connection holds the file (a transaction bigger than
        SPILL_AFTER, as in a build from nothing), readers must wait for its commit, which comes
        after the job: then look no more."""
        if not self.opened:
            self.db, self.opened = open_read_only(self.path), True
        found = {}
        if self.db is None:
            return found
        try:
            for key, data in rows_of(self.db, "key, value", keys):
                value = decoded(data)
                if value is not None:
                    found[key] = value
        except sqlite3.Error:  # locked (or damaged): computed, and replaced when the build saves
            self.close()
        return found

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


def rows_of(db: sqlite3.Connection, columns: str, keys: list[str]):
    """The rows (`columns` of them) of the entries of `keys` that exist, one query per
    LOOKUP_CHUNK keys; sqlite3.Error passes through."""
    return rows_for(db, f"SELECT {columns} FROM entry WHERE key IN ({{}})", keys)


def rows_for(db: sqlite3.Connection, query: str, keys: list[str], *parameters):
    """The rows `query` gives for `keys` (its `{}`: their placeholders, after those of
    `parameters`), one query per LOOKUP_CHUNK keys; sqlite3.Error passes through."""
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start:start + LOOKUP_CHUNK]
        yield from db.execute(query.format(",".join("?" * len(chunk))), (*parameters, *chunk)).fetchall()


def decoded(data: bytes):
    """An entry's value, or None if it cannot be read back."""
    try:
        return pickle.loads(zlib.decompress(data))
    except (zlib.error, pickle.UnpicklingError, EOFError, AttributeError):
        return None


def open_read_only(path: Path | None) -> sqlite3.Connection | None:
    """A connection that never waits for a lock (timeout 0): see Sidecar.get."""
    if path is None:
        return None
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0)
    except sqlite3.Error:
        return None


STORE: Store | None = None
CODE = fingerprint(Path(__file__).read_bytes())  # this module's version, in read_memo's keys
# path → (state, key, whether the next build may take the key from the state: None until this
# build took the state of a file that the last one recorded), loaded at the first file_key
FILE_KEYS: dict[str, tuple[tuple, str, bool | None]] = {}
FILE_KEYS_FILE = "file-keys.marshal"  # in the cache folder: the states and keys of the last build's files
RECORD_KIND = ""  # what their keys are made with (the Markdown settings, the salt); "": not loaded yet
RACY_NS = 2_000_000_000  # a file changed this recently when read may change again, its state unchanged


def file_key(store: Store, settings, source_path: str) -> str:
    """A content file's key (its bytes and the Markdown settings). A file with the state (size,
    times, inode) it had when this build or the last one read it has the key it had then: its
    bytes are not read again (10,000 files: 0.7 s a build)."""
    if not RECORD_KIND:
        load_file_keys(store, settings)
    now = time.time_ns()
    state = file_state(os.stat(source_path))
    known = FILE_KEYS.get(source_path)
    if known and known[0] == state:
        if known[2] is None:
            FILE_KEYS[source_path] = (state, known[1], True)
        return known[1]
    key = store.key("markdown", Path(source_path).read_bytes(), settings["MARKDOWN"])
    # Read after the state was taken, the bytes are at least as new as it. A file written again
    # within its clock's tick keeps its times: only a state older than RACY_NS is recorded.
    FILE_KEYS[source_path] = (state, key, max(state[1], state[2]) < now - RACY_NS)
    return key


def file_state(stat: os.stat_result) -> tuple[int, int, int, int]:
    """What changes when a file is written (the change time even when the modification time is
    set back, as `touch -d` or `cp -p` do), or replaced (the inode)."""
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def load_file_keys(store: Store, settings) -> None:
    """The states and keys of the files the last build read with these Markdown settings."""
    global RECORD_KIND
    RECORD_KIND = store.key("file-keys", settings["MARKDOWN"])
    if store.folder is None:  # a keeper's or a pool worker's store
        return
    try:
        with open(store.folder / FILE_KEYS_FILE, "rb") as file:
            kind, recorded = marshal.load(file)
    except (OSError, EOFError, ValueError, TypeError):  # none yet, or unreadable: the files are read
        return
    if kind == RECORD_KIND:
        FILE_KEYS.update((path, (state, key, None)) for path, (state, key) in recorded.items())


def record_file_keys(*args) -> None:
    """For the next build: the states and keys of the files read so far, but those too new to
    be sure of. Once the articles are read (article_generator_pretaxonomy), which is most of
    them, before the build's memory grows with what the plugins make of them: a separate file,
    rather than an entry, so that it does not wait in the store's transaction either. The
    build needs them no more (a page read after is keyed from its bytes): they are let go."""
    if not RECORD_KIND or STORE is None or STORE.folder is None:
        return
    target = STORE.folder / FILE_KEYS_FILE
    recorded = {path: (state, key) for path, (state, key, sure) in FILE_KEYS.items() if sure}
    FILE_KEYS.clear()
    try:
        with open(f"{target}.new", "wb") as file:
            marshal.dump((RECORD_KIND, recorded), file)
        os.replace(f"{target}.new", target)
    except OSError as error:
        log.warning("build_cache: cannot record the content files' keys in %s: %s", target, error)


READS = 0  # content files read (or taken from kept reads) in this build


def freeze_now_and_then() -> None:
    """Every FREEZE_EVERY files read, what was read is frozen out of the collector's sight;
    thawed when the build ends (plugins/lean_contents hides what comes after)."""
    global READS
    READS += 1
    if FREEZE_EVERY and READS % FREEZE_EVERY == 0:
        gc.freeze()


def store_for(settings) -> Store:
    global STORE
    if STORE is None:
        STORE = Store(cache_folder(settings), cache_salt(), environment=build_environment())
    return STORE


def cache_folder(settings) -> Path:
    return Path(settings.get("BUILD_CACHE_PATH") or os.path.join(settings["PATH"], CACHE_DIR))


def cache_salt() -> str:
    return fingerprint(sys.version, [(name, version(name)) for name in LIBRARIES])


def read_only_in_fork(settings) -> None:
    """In a fork of the build that outlives it (plugins/preview's keeper): look entries up in the
    cache file through a read-only connection of its own and keep new ones in memory, as a
    pool worker does (no SQLite connection across fork, no write after the build's)."""
    global STORE, IN_WORKER
    STORE = Store(None, cache_salt(), cache_folder(settings) / CACHE_FILE)
    IN_WORKER = True


# ------------------------------------------------------------------------------- typogrify

def typogrify_options(settings) -> tuple[list, dict]:
    """What Pelican passes to typogrify (pelican/readers.py, Readers.read_file)."""
    return settings["TYPOGRIFY_IGNORE_TAGS"], dict.fromkeys(settings["TYPOGRIFY_OMIT_FILTERS"], False)


def smartypants_attributes(settings) -> int:
    """The smartypants options Pelican sets before typogrify (same place)."""
    import smartypants  # noqa: PLC0415

    dashes = settings["TYPOGRIFY_DASHES"]
    return {"oldschool": smartypants.Attr.set2, "oldschool_inverted": smartypants.Attr.set3}.get(
        dashes, smartypants.Attr.set1) | smartypants.Attr.w


def set_smartypants_attributes(settings) -> None:
    import smartypants  # noqa: PLC0415

    smartypants.Attr.default = smartypants_attributes(settings)


def typogrify_signature(settings) -> tuple | None:
    """Everything but the text that decides what Pelican's typogrify call makes of it, as the
    cached typogrify sees it; None when Pelican does not typogrify."""
    if not settings["TYPOGRIFY"]:
        return None
    ignore_tags, options = typogrify_options(settings)
    return ignore_tags, sorted(options.items()), int(smartypants_attributes(settings))


# id(text) → (text, typogrify_signature, result): what typogrify makes of texts that the reader
# just returned, from the cache (see CachingReader.read_memo). Holding the text keeps its id.
PRIMED: dict[int, tuple] = {}


def typogrified(texts: list, settings) -> list:
    """typogrify(text) for each text, as Pelican's read_file would call it (None for a text that
    is not a plain string: it is left to that call)."""
    from typogrify.filters import typogrify  # noqa: PLC0415

    original = getattr(typogrify, "original", typogrify)
    set_smartypants_attributes(settings)
    ignore_tags, options = typogrify_options(settings)
    return [original(text, ignore_tags, **options) if type(text) is str else None
            for text in texts]


def prime_typogrify(texts: list, results: list, signature: tuple) -> None:
    PRIMED.clear()
    for text, result in zip(texts, results):
        if result is not None:
            PRIMED[id(text)] = (text, signature, result)


def cached_typogrify(original):
    """Wrap typogrify.filters.typogrify: the same result, computed once per distinct input (or
    primed for the very text object with the same options)."""
    import smartypants  # noqa: PLC0415

    def typogrify(text, ignore_tags=None, **kwargs):
        primed = PRIMED.get(id(text))
        if primed is not None and primed[0] is text and primed[1] == (
                ignore_tags, sorted(kwargs.items()), int(smartypants.Attr.default)):
            return primed[2]
        if STORE is None:
            return original(text, ignore_tags, **kwargs)
        key = STORE.key("typogrify", text, ignore_tags, sorted(kwargs.items()),
                        int(smartypants.Attr.default))
        return STORE.remember(key, lambda: original(text, ignore_tags, **kwargs))

    typogrify.original = original
    return typogrify


def install_typogrify_cache() -> None:
    try:
        from typogrify import filters  # noqa: PLC0415

        from . import quick_typography  # noqa: PLC0415  (imports typogrify and smartypants)
    except ImportError:
        return
    quick_typography.install()
    if not hasattr(filters.typogrify, "original"):
        filters.typogrify = cached_typogrify(filters.typogrify)


# ----------------------------------------------------------------------------- Markdown

def convert_markdown(reader, source_path: str) -> tuple[str, dict]:
    """What MarkdownReader.read computes before parsing metadata: the HTML and the raw Meta."""
    from pelican.utils import pelican_open  # noqa: PLC0415

    reader._md = markdown_for(reader.settings["MARKDOWN"])
    with pelican_open(source_path) as text:
        content = quick_markdown.convert(reader._md, text)
    return content, getattr(reader._md, "Meta", None)


# (repr of the Markdown settings, a Markdown made with them): one for the files a process reads.
# Making one takes 0.4 ms, 3% of a build from nothing's CPU; Pelican makes one for each file.
MARKDOWN: tuple[str, object] | None = None


def make_markdown(settings) -> None:
    """In plugins/preview's keeper, before it waits: the Markdown its first preview reads with
    (a build that takes every file as the last one read it makes none: 0.03 s, the
    extensions imported)."""
    markdown_for(settings["MARKDOWN"])


def markdown_for(markdown_settings: dict):
    """A Markdown made with these settings, reset as for a new document (Python-Markdown's way
    of converting many: its extensions that keep state, such as footnotes, clear it)."""
    global MARKDOWN
    from markdown import Markdown  # noqa: PLC0415

    made_with = repr(markdown_settings)
    if MARKDOWN is None or MARKDOWN[0] != made_with:
        MARKDOWN = (made_with, Markdown(**markdown_settings))
    return MARKDOWN[1].reset()


class _NoPreprocessors:
    def deregister(self, name, strict=True):
        pass


class _NoMarkdown:
    """Stands in for the Markdown object when no metadata field is formatted as Markdown."""

    preprocessors = _NoPreprocessors()


NO_MARKDOWN = _NoMarkdown()


def caching_reader(base: type) -> type:
    """A subclass of a Markdown reader whose conversion comes from the cache when it can."""

    class CachingReader(base):
        warmed = False  # warm() ran: the files not yet cached were converted
        rederived = False  # rederive() ran: it runs once per build at most

        def read(self, source_path):
            GONE_THROUGH.add(os.path.normpath(source_path))
            store = store_for(self.settings)
            if not CachingReader.warmed and not IN_WORKER:  # a keeper reads the few files it is asked for
                CachingReader.warmed = True
                warm(self, store)
            if READING is not None:
                READING.wait_for(source_path)
            freeze_now_and_then()
            key = file_key(store, self.settings, source_path)
            kept = store.get(key)
            content, meta = kept or convert_markdown(self, source_path)
            if kept is None:
                store.put(key, (content, meta))
            self._file_key, self._html = key, content  # for read_memo
            self._source_path, self._html_was_kept = source_path, kept is not None
            if meta is None:
                return content, {}
            if self.settings["FORMATTED_FIELDS"]:
                from markdown import Markdown  # noqa: PLC0415

                self._md = Markdown(**self.settings["MARKDOWN"])
            else:
                self._md = NO_MARKDOWN  # _parse_metadata only deregisters its meta step
            return content, self._parse_metadata(meta)

        def read_memo(self, kind: str, content: str, metadata: dict, parts: tuple, derive,
                      finish=None):
            """For a reader that extends this one: derive() → (content, value) from what this
            reader's read returned (`content`, `metadata`), or what it gave in an earlier build.
            Keyed by `kind`, `parts` (all else that derive reads), the title and summary, and
            the file's key when `content` is the HTML this reader just returned for it (the
            file's bytes and the Markdown settings give that HTML), else the HTML itself.
            What Pelican's typogrify makes of the derived content, the title and the summary is
            kept with it and handed to the typogrify calls that follow (`PRIMED`). `finish`,
            if given, turns the kept content (and its typogrified form) into this build's: what
            differs between builds need not be in `parts`, so one entry serves them all."""
            store = store_for(self.settings)
            source = self._file_key if content is getattr(self, "_html", None) else content
            signature = typogrify_signature(self.settings)
            title, summary = metadata.get("title"), metadata.get("summary")

            def compute():
                new_content, value = derive()
                texts = [new_content or None, title, summary]
                return new_content, value, signature and typogrified(texts, self.settings)

            key = store.key(kind, CODE, source, parts, title, summary, signature)
            kept = store.get(key)
            if kept is None and self._html_was_kept and not CachingReader.rederived and not IN_WORKER:
                CachingReader.rederived = True
                rederive(self, store, self._source_path)
            if kept is None:
                kept = compute()
                store.put(key, kept)
            content, value, typography = kept
            if finish is not None:
                content = finish(content)
                if typography:
                    typography = [finish(typography[0]) if typography[0] else None, *typography[1:]]
            prime_typogrify([content, title, summary], typography or [], signature)
            return content, value

    CachingReader.__name__ = CachingReader.__qualname__ = base.__name__
    CachingReader.__module__ = base.__module__
    return CachingReader


def content_files(settings, extensions) -> list[str]:
    """Files Pelican will read (article and page folders), in a stable order."""
    found = []
    for folder in [*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"]]:
        paths = (os.path.join(top, name) for top, _, names in os.walk(os.path.join(settings["PATH"], folder))
                 for name in names if os.path.splitext(name)[1].lstrip(".") in extensions)
        found.extend(sorted(path for path in paths if os.path.isfile(path)))  # strings: Paths took 3 times as long
    return found


WARMED: set[str] = set()  # the files `warm` went through in this build
GONE_THROUGH: set[str] = set()  # the files this build read, or took as an earlier build read them


def taken(path: str) -> None:
    """A file the articles generator took as an earlier build read it (kept_reads.py)."""
    GONE_THROUGH.add(os.path.normpath(path))
    freeze_now_and_then()


def warm(reader, store: Store) -> None:
    """Start converting the files not yet cached in a process pool (Markdown, what the readers
    derive, typogrify), in the order the build reads them: it reads each as soon as the pool
    hands it back (`READING`), while the pool converts the next ones."""
    global READING
    finish_reading()  # each generator's reader warms: the pages' after the articles' read all theirs
    listed = content_files(reader.settings, reader.file_extensions)
    files = [path for path in listed if path not in WARMED]  # the pages': the articles' warm listed them
    WARMED.update(listed)
    if KEPT_READS is not None:  # the articles it takes as an earlier build read them are not read
        files = KEPT_READS.to_read(files)
    keys = {file_key(store, reader.settings, path): path for path in files}
    missing = [keys[key] for key in store.missing(list(keys))]
    if len(missing) >= POOL_THRESHOLD:  # else no pool starts: their order does not matter
        missing = in_reading_order(missing)
    READING = PoolReading.start(reader, store, missing, look_up=False, saying="they are not in the build cache yet")


def rederive(reader, store: Store, current: str) -> None:
    """The first file read had its Markdown kept but not what a reader derives from it: what
    the derivation reads besides the file (its code, settings) changed, and no file's will be
    found. Derive the others the build reads in a pool too, from their kept Markdown, rather
    than one by one in the build's process. Not those it takes as an earlier build read them
    (kept_reads.py): with the same code and settings, the first file read can be one whose
    Markdown another build kept (`make publish`'s, an older version's: the file's text was
    put back as it was then), and deriving the 9,810 others took 1.8 s at 10,000. Nor those
    this build went through already: the pages' reader comes after the articles' (each
    generator has its own), and when the About page found its derivation gone, the pool
    derived every briefing again for nothing (seen at 10,000 after switching between versions
    of the code: some 18 s of a 38 s build)."""
    files = [path for path in content_files(reader.settings, reader.file_extensions)
             if os.path.normpath(path) not in GONE_THROUGH]
    if KEPT_READS is not None:
        files = KEPT_READS.to_read(files)
    reading = PoolReading.start(reader, store, [path for path in files if path != current], look_up=True,
                                saying="what the readers derive from them changed (code or settings)")
    if reading is not None:
        reading.finish()


ARTICLES_GENERATOR = None  # the build's, for the order it reads the files in


def note_articles_generator(generator) -> None:
    global ARTICLES_GENERATOR
    ARTICLES_GENERATOR = generator


KEPT_READS: KeptReads | None = None  # the articles generator's, in a build by scripts/build.py


def keep_reads(generator) -> None:
    """The articles generator takes each briefing as an earlier build read it (kept_reads.py),
    in a build by scripts/build.py: only that has an environment's fingerprint to key them."""
    global KEPT_READS
    environment = build_environment()
    if environment:
        store = store_for(generator.settings)
        committed = (lambda: CommittedEntries(store.path)) if store.path is not None else None
        KEPT_READS = KeptReads(generator, store, environment, lambda path: file_key(store, generator.settings, path),
                               taken, committed)
        KEPT_READS.install()


def in_reading_order(paths: list[str]) -> list[str]:
    """`paths` in the order the articles generator reads them (the order of the set its
    get_files gives, which is the same set each time in one process), other files after them."""
    generator = ARTICLES_GENERATOR
    if generator is None:
        return paths
    files = generator.get_files(generator.settings["ARTICLE_PATHS"], exclude=generator.settings["ARTICLE_EXCLUDES"])
    order = {os.path.abspath(os.path.join(generator.path, name)): number for number, name in enumerate(files)}
    return sorted(paths, key=lambda path: (order.get(path, len(order)), path))


class PoolReading:
    """Files read in a process pool, one worker per core, as the build will read them, and the
    cache entries this makes. Chunks of files come back in the order given; a chunk's entries go
    into the store when the build is about to read one of its files (`wait_for`), so the build
    reads the first files while the workers convert the next. `finish` takes in the rest and
    ends the pool. Workers hand a chunk's entries back through a file of their own, not the
    pool's pipe: the build's process, busy reading, would be slow to empty the pipe, and the
    workers would wait for it. With `look_up`, the workers use the entries kept in the cache
    file, and the entries they hand back go into it only at `finish`, so that no write of this
    build locks them out meanwhile."""

    @classmethod
    def start(cls, reader, store: Store, paths: list[str], look_up: bool, saying: str) -> PoolReading | None:
        """None when there are too few files for a pool, or one core. The build says it
        (`saying`: why these files), since this is most of a long build's first half."""
        cpus = usable_cores()
        if len(paths) < POOL_THRESHOLD or cpus < 2:
            return None
        print(f"Reading {len(paths)} files in {cpus} processes: {saying}", flush=True)
        return cls(reader, store, paths, look_up, cpus)

    def __init__(self, reader, store: Store, paths: list[str], look_up: bool, cpus: int):
        global WORKER_READER, WORKER_LOOKUP, WORKER_FOLDER
        self.folder = WORKER_FOLDER = pool_folder(store)
        atexit.register(shutil.rmtree, self.folder, True)  # a build that fails before the end
        WORKER_READER, WORKER_LOOKUP = reader, store.path if look_up else None
        self.store = store
        # Small chunks: the first files are handed back soon after the pool starts.
        self.chunks = [paths[i:i + POOL_CHUNK] for i in range(0, len(paths), POOL_CHUNK)]
        self.chunk_of = {path: number for number, chunk in enumerate(self.chunks) for path in chunk}
        self.taken = 0  # chunks handed back so far
        self.held: list[str] | None = [] if look_up else None  # their files, with `look_up`
        self.progress = Progress("Reading files", len(paths))
        self.pool = multiprocessing.get_context("fork").Pool(cpus)
        self.results = self.pool.imap(convert_chunk, self.chunks)

    def wait_for(self, path: str) -> None:
        """Take chunks in until `path`'s is in (none for a file the pool does not read)."""
        while self.taken <= self.chunk_of.get(path, -1):
            self.take_next()

    def take_next(self) -> None:
        try:
            handed_back = next(self.results)
        except Exception as error:  # noqa: BLE001  (the build reads these files itself and names the one that fails)
            log.warning("build_cache: %d files not read in the pool (%s: %s): read in the build's process",
                        len(self.chunks[self.taken]), type(error).__name__, error)
            handed_back = None
        if handed_back and self.held is not None:
            self.held.append(handed_back)
        elif handed_back:
            self.take_in(handed_back)
        self.progress.advance(len(self.chunks[self.taken]))
        self.taken += 1

    def take_in(self, handed_back: str) -> None:
        with open(handed_back, "rb") as file:
            entries = pickle.load(file)
        os.unlink(handed_back)
        for key, value in entries:
            self.store.add(key, value)  # not marked used: only a build that reads it keeps it

    def finish(self) -> None:
        while self.taken < len(self.chunks):
            self.take_next()
        self.pool.close()
        self.pool.join()
        for handed_back in self.held or []:
            self.take_in(handed_back)
        shutil.rmtree(self.folder, ignore_errors=True)


def pool_folder(store: Store) -> str:
    """A new folder for a pool's hand-backs, in the cache's folder (the system's temporary
    folder when that cannot have one). A build that dies reading leaves its folder behind (a
    forked build ends with os._exit, past atexit): the folders of processes that have ended
    are removed first."""
    for parent in ([str(store.path.parent)] if store.path else []) + [tempfile.gettempdir()]:
        with contextlib.suppress(OSError):
            for name in os.listdir(parent):
                owner = name.removeprefix(POOL_FOLDER_PREFIX).split("-")[0]
                if name.startswith(POOL_FOLDER_PREFIX) and owner.isdigit() and not running(int(owner)):
                    shutil.rmtree(os.path.join(parent, name), ignore_errors=True)
            return tempfile.mkdtemp(prefix=f"{POOL_FOLDER_PREFIX}{os.getpid()}-", dir=parent)
    return tempfile.mkdtemp(prefix=f"{POOL_FOLDER_PREFIX}{os.getpid()}-")


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        pass
    return True


READING: PoolReading | None = None  # warm()'s, until the build has read every file


def finish_reading(*args) -> None:
    """Every file is read: the entries of files the build did not ask for are taken in too."""
    global READING
    if READING is not None:
        READING, reading = None, READING
        reading.finish()


WORKER_READER = None
WORKER_LOOKUP: Path | None = None  # the cache file a pool worker looks entries up in
WORKER_FOLDER = ""  # where a pool worker hands back a chunk's entries
IN_WORKER = False  # set in a pool worker, and in a keeper (read_only_in_fork)


def convert_chunk(paths: list[str]) -> str:
    """In a worker: read each file as the build will (the reader with every plugin's additions),
    typogrify what Pelican will typogrify, and hand back the cache entries this made: the file
    they are in (see PoolReading)."""
    from typogrify.filters import typogrify  # noqa: PLC0415

    global STORE, FREEZE_EVERY, IN_WORKER
    STORE = Store(None, STORE.salt, WORKER_LOOKUP)  # no SQLite connection across fork
    IN_WORKER = True
    FREEZE_EVERY = 0  # a worker's conversions leave garbage; it lives as long as the pool
    reader = WORKER_READER
    set_smartypants_attributes(reader.settings)
    ignore_tags, options = typogrify_options(reader.settings)
    for path in paths:
        content, metadata = reader.read(path)
        if reader.settings["TYPOGRIFY"]:
            texts = [content] + [metadata.get(name) for name in ("title", "summary")]
            for text in texts:
                if isinstance(text, str) and text:
                    typogrify(text, ignore_tags, **options)
    with tempfile.NamedTemporaryFile(dir=WORKER_FOLDER, suffix=".pickle", delete=False) as file:
        pickle.dump(list(STORE.new.items()), file, pickle.HIGHEST_PROTOCOL)
    return file.name


def cache_readers(readers) -> None:
    """Cache the Markdown readers. A reader class whose `read` another plugin replaced is left
    alone: caching it here would skip that plugin's work (list build_cache before such plugins;
    their readers then extend this one and keep their work)."""
    store_for(readers.settings)
    install_typogrify_cache()
    for extension, cls in list(readers.reader_classes.items()):
        if not cls or not issubclass(cls, MarkdownReader) or hasattr(cls, "warmed"):
            continue
        if cls.read is not MarkdownReader.read:
            log.warning("build_cache: %s.read is not Markdown's own: not cached; list build_cache "
                        "in PLUGINS before the plugin that extends it", cls.__qualname__)
            continue
        readers.reader_classes[extension] = caching_reader(cls)


def thaw(*args) -> None:
    """Objects frozen while reading are the collector's again (see FREEZE_EVERY)."""
    gc.unfreeze()


def save_cache(pelican) -> None:
    global STORE, READS, RECORD_KIND, KEPT_READS
    KEPT_READS = None
    finish_reading()
    thaw()
    FILE_KEYS.clear()
    WARMED.clear()
    GONE_THROUGH.clear()
    RECORD_KIND = ""
    PRIMED.clear()
    READS = 0
    if STORE is not None:
        STORE.save()
        STORE = None


def keep_templates(generator) -> None:
    keep_compiled_templates(generator, store_for(generator.settings))


def register() -> None:
    signals.readers_init.connect(cache_readers)
    signals.article_generator_init.connect(note_articles_generator)
    signals.article_generator_init.connect(keep_reads)
    signals.all_generators_finalized.connect(finish_reading)
    signals.generator_init.connect(keep_templates)
    signals.article_generator_pretaxonomy.connect(record_file_keys)
    signals.finalized.connect(save_cache)
    named_signal("briefing_keeper_waiting").connect(make_markdown)  # sent by plugins/preview
