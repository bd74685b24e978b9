"""Keep each briefing as Pelican read it, so that the next build takes it without reading it.

Even from the build cache, reading a briefing costs about a millisecond: two entries looked up,
its metadata parsed, its entity and event records made, Pelican's content object built (a
second of a rebuild at 1,000 briefings). Pelican's generators ask `get_cached_data(path)`
before they read a file and hand what they read to `cache_data(path, content)`: the hooks of
Pelican's own content cache, which is off here (it keys on file times, and pickles the objects
at the end of the build, after plugins have changed them). On the articles generator,
`KeptReads` answers both from the build cache:

- `cache_data`: the content object as read (before any plugin changes it), with the warnings
  its reading logged and the keys of the cache entries its reading used, pickled under a key
  of the file's path and bytes and the build environment's fingerprint (settings and the files
  they name, plugins, code, packages: scripts/build.py's stamp). The first FORK_FROM - 1 files
  a build reads are pickled at once; the others wait until the generator has gone through its
  last file, and a forked process pickles them (see `fork`). All go into the cache file when
  the build saves it, through a `Store.sidecar`: written meanwhile, they would lock out the
  pool's workers that look entries up, and SQLite would hold the transaction's pages in memory;
- `get_cached_data`: that object, unpickled, when the file and the environment are the same.
  Its warnings are logged again, the entries its reading used are kept in the cache as long as
  it is, and it is announced with the `content_reused` signal (`content_object_init` is not sent
  again: plugins/preview listens to both). From LOOKAHEAD_FROM kept reads on, a forked process
  looks them up and hands them over in the order they are asked for (`Lookahead`).

The build's settings and context are not pickled: a kept object gets this build's. A build not
run by scripts/build.py (plain `pelican`) has no fingerprint, and reads every file. An object
that cannot be pickled (a plugin gave it something that cannot be) is read again next time.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import pickle
import signal
import struct

from blinker import signal as named_signal
from pelican import signals

REUSED = named_signal("content_reused")  # sender: a content object taken from the cache, not read
KIND = "read"  # the kind of the kept reads' keys in the store
FORK_FROM = 64  # files read in one build from which the rest are pickled in a forked process
FETCH = 100  # kept reads looked up in one query, in the order the generator asks for them
LOOKAHEAD_FROM = 200  # kept reads from which a forked process looks them up (`Lookahead`)

log = logging.getLogger(__name__)


class Warnings(logging.Handler):
    """The warnings (and worse) logged while one file is read: (logger, level, message)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.taken: list[tuple[str, int, str]] | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.taken is not None:
            self.taken.append((record.name, record.levelno, record.getMessage()))


class KeptReads:
    """The articles generator's content cache, in the build cache's store. `key_of(path)` is
    the file's key in the store (its bytes); `taken(path)` is called for each object taken,
    with its file's path as a reader is given it."""

    def __init__(self, generator, store, environment: str, key_of, taken=lambda path: None,
                 committed=None):
        """`committed()`, if given, opens the cache file's committed entries for a `Lookahead`
        (build_cache.CommittedEntries: anything with get_many and close will do)."""
        self.generator, self.store, self.environment = generator, store, environment
        self.key_of, self.taken, self.committed = key_of, taken, committed
        self.lookahead: Lookahead | None = None
        self.warnings = Warnings()
        self.reused = self.read = self.attempts = 0  # objects taken; files read; reads begun
        self.files: int | None = None  # files the generator goes through: counted at the first
        self.keys: dict[str, tuple[str, str]] = {}  # their files' keys then, and their kept reads' (`plan`)
        self.kept: set[str] = set()  # those of them that have a kept read
        self.ahead: list[tuple[str, str]] = []  # (path, key) of those, last first
        self.fetched: dict[str, object] = {}  # key → kept read looked up, not taken yet
        self.waiting: list[tuple[str, tuple]] = []  # (key, what to keep) of reads from FORK_FROM on
        self.written = self.forked = None  # the store's sidecars: this process's, the fork's
        self.child: int | None = None
        self.shared = {id(generator.settings): "settings", id(generator.context): "context"}

    def install(self) -> None:
        self.written = self.store.sidecar()
        self.store.waits.append(self.wait)
        generator = self.generator
        generator.get_cached_data, generator.cache_data = self.get_cached_data, self.cache_data
        signals.article_generator_preread.connect(self.reading, sender=generator, weak=False)
        signals.article_generator_pretaxonomy.connect(self.close, sender=generator, weak=False)
        logging.getLogger().addHandler(self.warnings)

    def close(self, generator=None) -> None:
        """Reading is over: say how many files were taken rather than read."""
        if self.reused:
            print(kept_report(self.reused, self.reused + self.read))
        if self.waiting:  # not all files were gone through: plugins may change these now
            log.debug("%d briefings read are not kept", len(self.waiting))
            self.waiting = []
        self.store.recording = self.warnings.taken = None
        self.keys, self.kept, self.ahead, self.fetched = {}, set(), [], {}
        self.stop_lookahead()
        self.written.finish()
        logging.getLogger().removeHandler(self.warnings)
        signals.article_generator_preread.disconnect(self.reading, sender=self.generator)
        signals.article_generator_pretaxonomy.disconnect(self.close, sender=self.generator)

    def key(self, path: str) -> str:
        """`path`: as Pelican's generators name a file, relative to the content folder."""
        file = self.key_of(os.path.join(self.generator.path, path))
        known = self.keys.get(path)
        return known[1] if known and known[0] == file else self.store.key(KIND, self.environment, path, file)

    def plan(self) -> None:
        """At the first file: the generator's files (the same list, in the same order, as it goes
        through), and which of them have a kept read, in one look at the store. The others are
        read, and only they need converting beforehand (`to_read`)."""
        settings = self.generator.settings
        files = self.generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
        self.files = len(files)
        for path in files:
            with contextlib.suppress(OSError):  # gone since it was listed: Pelican says so when it reads it
                file = self.key_of(os.path.join(self.generator.path, path))
                self.keys[path] = file, self.store.key(KIND, self.environment, path, file)
        missing = set(self.store.missing([key for _, key in self.keys.values()]))
        self.ahead = [(path, key) for path, (_, key) in self.keys.items() if key not in missing][::-1]
        self.kept = {path for path, _ in self.ahead}
        if self.committed is not None and len(self.ahead) >= LOOKAHEAD_FROM:
            # the first FETCH from the store, while the process starts and looks up the next
            self.lookahead = Lookahead.start(self.committed, [key for _, key in reversed(self.ahead)][FETCH:])

    def to_read(self, paths: list[str]) -> list[str]:
        """Of these content files (paths as the readers are given them), those not kept."""
        kept = {os.path.normpath(os.path.join(self.generator.path, path)) for path in self.kept}
        return [path for path in paths if os.path.normpath(path) not in kept]

    def get_cached_data(self, path: str, default=None):
        if self.files is None:
            self.plan()
        try:
            key = self.key(path)
            data = self.fetched.pop(key) if key in self.fetched else self.fetch(path, key)
        except OSError:
            return default
        if not isinstance(data, bytes):
            return default
        try:
            content, warnings, used = self.unpickler(data).load()
        except Exception:  # noqa: BLE001  (whatever a stale pickle raises: the file is read instead)
            log.debug("the kept read of %s cannot be loaded: it is read", path, exc_info=True)
            return default
        self.store.used.update(used)
        for name, level, message in warnings:
            logging.getLogger(name).log(level, "%s", message)
        REUSED.send(content)
        self.taken(os.path.join(self.generator.path, path))
        self.reused += 1
        self.after_file()
        return content

    def fetch(self, path: str, key: str):
        """`path`'s kept read (None if it has none), and those of the files the generator will
        ask for next, FETCH in one query."""
        if self.keys.get(path, (None, None))[1] != key:  # changed since the first file, or not among them
            return self.store.get(key)
        if path not in self.kept:
            return None
        if not self.ahead or self.ahead[-1][0] != path:  # asked for out of order
            return self.store.get(key)
        self.fetched = self.get_many([self.ahead.pop()[1] for _ in range(min(FETCH, len(self.ahead)))])
        return self.fetched.pop(key, None)

    def get_many(self, keys: list[str]) -> dict:
        """The kept reads of `keys` (the next ones in the order planned), as the store's
        get_many gives them: from the lookahead while it keeps up, else from the store."""
        first = len(self.ahead) + len(keys) == len(self.kept)  # looked up here while the lookahead starts
        found = self.lookahead.take(keys) if self.lookahead is not None and not first else None
        if found is None:
            if not first:
                self.stop_lookahead()
            return self.store.get_many(keys)
        for key in keys:
            self.store.use(key)
        return found

    def stop_lookahead(self) -> None:
        if self.lookahead is not None:
            self.lookahead.stop()
            self.lookahead = None

    def reading(self, generator) -> None:
        """Pelican starts reading a file (article_generator_preread)."""
        self.attempts += 1
        self.after_file()  # this one may be the last: the others are done
        self.store.recording, self.warnings.taken = [], []

    def cache_data(self, path: str, content) -> None:
        """Pelican read `path` into `content` (valid: Pelican caches no other)."""
        used, warnings = self.store.recording, self.warnings.taken
        self.store.recording = self.warnings.taken = None
        self.read += 1
        if used is not None:
            kept = (content, warnings, sorted(set(used)))
            if self.read < FORK_FROM or self.forked is not None:
                keep(self.written, self.key(path), self.pickled(kept))
            else:
                self.waiting.append((self.key(path), kept))
                self.after_file()

    def after_file(self) -> None:
        """Once the generator has taken its last file, or begun to read it (it may fail), and
        before any plugin changes what it read, the reads waiting are pickled in a forked
        process (the last one, if read, at once)."""
        if self.waiting and self.reused + self.attempts == self.files:
            waiting, self.waiting = self.waiting, []
            self.fork(waiting)

    def fork(self, waiting: list[tuple[str, tuple]]) -> None:
        """Pickling an object gives it a dictionary of its attributes that it keeps (Python 3.11
        makes one only when asked): 18 MB more at the peak of a build that read 10,000
        briefings. In a forked process, this one's objects stay as they are, and the pickling
        takes the other core while this one goes on with the build (`wait` takes its sidecar in
        when the store saves)."""
        self.forked = self.store.sidecar()
        pid = os.fork()
        if pid == 0:
            try:
                for key, kept in waiting:
                    keep(self.forked, key, self.pickled(kept, quiet=True))
                self.forked.finish()
                os._exit(0)
            finally:  # no logging here: its lock may be held by a thread that is not in this fork
                os._exit(1)
        self.child = pid

    def wait(self) -> None:
        """Before the store saves: the forked process's reads, if it wrote them all."""
        if self.child is None:
            return
        status = os.waitstatus_to_exitcode(os.waitpid(self.child, 0)[1])
        self.child = None
        if status != 0:
            self.store.forget(self.forked)
            log.warning("build_cache: %s: the briefings read in this build are not kept (their "
                        "process ended with status %d); the next build reads them again",
                        self.generator.path, status)

    def pickled(self, kept: tuple, quiet: bool = False) -> bytes | None:
        """(content object, warnings, keys used) as bytes; None if the object cannot be pickled
        (a plugin gave it something that cannot be: it is read again next time)."""
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
        pickler.persistent_id = lambda obj: self.shared.get(id(obj))
        try:
            pickler.dump(kept)
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            if not quiet:
                log.debug("%s is not kept: %s", getattr(kept[0], "source_path", kept[0]), error)
            return None
        return buffer.getvalue()

    def unpickler(self, data: bytes) -> pickle.Unpickler:
        current = {"settings": self.generator.settings, "context": self.generator.context}
        unpickler = pickle.Unpickler(io.BytesIO(data))
        unpickler.persistent_load = current.__getitem__
        return unpickler


class Lookahead:
    """The kept reads a build will take, looked up by a forked process and written into a pipe
    in the order the build asks for them. Looking them up in the cache file and decompressing
    them was a quarter of taking them, on the one core the build then uses: 0.55–0.60 s at
    10,000, 0.12–0.13 s through the pipe. (A thread could not do it: SQLite and zlib let go of
    the interpreter for each row, and the thread then waits for the build to give it back,
    every 5 ms.)

    Each entry comes as a frame: its key's length and key, then its length and bytes (-1: it
    could not be read, and the build looks it up itself). Not pickled with its key, as a
    Sidecar's records are: unpickling each from the pipe kept the build waiting 0.24–0.26 s
    at 10,000 instead of 0.10 s. The build stops the process when it
    stops taking (`stop`): other processes it forks later hold the pipe's reading end too, so
    the writer would not see it closed.
    """

    KEY = struct.Struct("<H")
    DATA = struct.Struct("<i")

    def __init__(self, pid: int, pipe):
        self.pid, self.pipe = pid, pipe

    @classmethod
    def start(cls, committed, keys: list[str]) -> Lookahead | None:
        """None if the process cannot be started: the build looks its kept reads up itself."""
        try:
            read, write = os.pipe()
        except OSError as error:
            log.debug("kept reads looked up in the build's process: %s", error)
            return None
        widen(write)
        try:
            pid = os.fork()
        except OSError as error:
            os.close(read)
            os.close(write)
            log.debug("kept reads looked up in the build's process: %s", error)
            return None
        if pid == 0:  # no logging here: its lock may be held by a thread that is not in this fork
            status = 1
            try:
                os.close(read)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                status = cls.serve(committed(), keys, os.fdopen(write, "wb", buffering=1 << 20))
            finally:
                os._exit(status)
        os.close(write)
        return cls(pid, os.fdopen(read, "rb", buffering=1 << 20))

    @classmethod
    def serve(cls, entries, keys: list[str], pipe) -> int:
        with pipe:
            for start in range(0, len(keys), FETCH):
                batch = keys[start:start + FETCH]
                found = entries.get_many(batch)
                for key in batch:
                    data = found.get(key)
                    encoded = key.encode("ascii")
                    pipe.write(cls.KEY.pack(len(encoded)) + encoded)
                    readable = isinstance(data, bytes)
                    pipe.write(cls.DATA.pack(len(data)) + data if readable else cls.DATA.pack(-1))
        return 0

    def take(self, keys: list[str]) -> dict | None:
        """The next entries, if they are those of `keys`; None if not, or if the process
        failed (the build then stops it and looks them up itself)."""
        found = {}
        try:
            for key in keys:
                size, = self.KEY.unpack(self.read(self.KEY.size))
                if self.read(size).decode("ascii") != key:
                    return None
                size, = self.DATA.unpack(self.read(self.DATA.size))
                if size >= 0:
                    found[key] = self.read(size)
        except (OSError, EOFError, struct.error, UnicodeDecodeError):
            return None
        return found

    def read(self, size: int) -> bytes:
        data = self.pipe.read(size)
        if len(data) != size:
            raise EOFError("the lookahead process ended early")
        return data

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)
        self.pipe.close()


PIPE_SIZE = 1 << 20  # the most a process may ask for by default (/proc/sys/fs/pipe-max-size)


def widen(pipe: int) -> None:
    """Let the pipe hold about FETCH kept reads (1 MB) rather than 64 KB, so that the lookahead
    goes on while the build unpickles: with 64 KB it was never more than six ahead, and the
    build waited for it longer than it took to look them up itself."""
    with contextlib.suppress(ImportError, AttributeError, OSError):  # F_SETPIPE_SZ: Linux only
        import fcntl  # noqa: PLC0415

        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, PIPE_SIZE)


def keep(sidecar, key: str, data: bytes | None) -> None:
    if data is not None:
        sidecar.keep(key, data)


def kept_report(reused: int, files: int) -> str:
    return f"{reused:,} of {files:,} briefings unchanged since the last build: taken as it read them"
