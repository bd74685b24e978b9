"""Keep each briefing as Pelican read it, so that the next build takes it without reading it.

Even from the build cache, reading a briefing costs about a millisecond: two entries looked up,
its metadata parsed, its entity and event records made, Pelican's content object built (a
second of a rebuild at 1,000 briefings). Pelican's generators ask `get_cached_data(path)`
before they read a file and hand what they read to `cache_data(path, content)`: the hooks of
Pelican's own content cache, which is off here (it keys on file times, and pickles the objects
at the end of the build, after plugins have changed them). On the articles generator,
`KeptReads` answers both from the build cache:

- `cache_data`: the content object, pickled as soon as it is read (before any plugin changes
  it), with the warnings its reading logged and the keys of the cache entries its reading used,
  under a key of the file's path and bytes and the build environment's fingerprint (settings
  and the files they name, plugins, code, packages: scripts/build.py's stamp). It goes into
  the cache file when the build saves it (through a `Store.sidecar`): a write meanwhile would
  lock out the pool's workers that look entries up, and SQLite would then hold the
  transaction's pages in memory (25 MB more at 10,000 briefings);
- `get_cached_data`: that object, unpickled, when the file and the environment are the same.
  Its warnings are logged again, the entries its reading used are kept in the cache as long as
  it is, and it is announced with the `content_reused` signal (`content_object_init` is not sent
  again: plugins/preview listens to both).

The build's settings and context are not pickled: a kept object gets this build's. A build not
run by scripts/build.py (plain `pelican`) has no fingerprint, and reads every file. An object
that cannot be pickled (a plugin gave it something that cannot be) is read again next time.
"""

from __future__ import annotations

import io
import logging
import os
import pickle

from blinker import signal as named_signal
from pelican import signals

REUSED = named_signal("content_reused")  # sender: a content object taken from the cache, not read
KIND = "read"  # the kind of the kept reads' keys in the store

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
    the file's key in the store (its bytes); `taken()` is called for each object taken."""

    def __init__(self, generator, store, environment: str, key_of, taken=lambda: None):
        self.generator, self.store, self.environment = generator, store, environment
        self.key_of, self.taken = key_of, taken
        self.warnings = Warnings()
        self.reused = self.read = 0
        self.written = None  # where this build's kept reads wait for the store's save
        self.shared = {id(generator.settings): "settings", id(generator.context): "context"}

    def install(self) -> None:
        self.written = self.store.sidecar()
        generator = self.generator
        generator.get_cached_data, generator.cache_data = self.get_cached_data, self.cache_data
        signals.article_generator_preread.connect(self.reading, sender=generator, weak=False)
        signals.article_generator_pretaxonomy.connect(self.close, sender=generator, weak=False)
        logging.getLogger().addHandler(self.warnings)

    def close(self, generator=None) -> None:
        """Reading is over: say how many files were taken rather than read."""
        if self.reused:
            print(kept_report(self.reused, self.reused + self.read))
        self.store.recording = self.warnings.taken = None
        self.written.finish()
        logging.getLogger().removeHandler(self.warnings)
        signals.article_generator_preread.disconnect(self.reading, sender=self.generator)
        signals.article_generator_pretaxonomy.disconnect(self.close, sender=self.generator)

    def key(self, path: str) -> str:
        """`path`: as Pelican's generators name a file, relative to the content folder."""
        return self.store.key(KIND, self.environment, path,
                              self.key_of(os.path.join(self.generator.path, path)))

    def get_cached_data(self, path: str, default=None):
        try:
            data = self.store.get(self.key(path))
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
        self.taken()
        self.reused += 1
        return content

    def reading(self, generator) -> None:
        """Pelican starts reading a file (article_generator_preread)."""
        self.store.recording, self.warnings.taken = [], []

    def cache_data(self, path: str, content) -> None:
        """Pelican read `path` into `content` (valid: Pelican caches no other)."""
        used, warnings = self.store.recording, self.warnings.taken
        self.store.recording = self.warnings.taken = None
        self.read += 1
        if used is None:
            return
        try:
            data = self.pickled((content, warnings, sorted(set(used))))
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            log.debug("%s is not kept: %s", path, error)
            return
        self.written.keep(self.key(path), data)

    def pickled(self, value) -> bytes:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
        pickler.persistent_id = lambda obj: self.shared.get(id(obj))
        pickler.dump(value)
        return buffer.getvalue()

    def unpickler(self, data: bytes) -> pickle.Unpickler:
        current = {"settings": self.generator.settings, "context": self.generator.context}
        unpickler = pickle.Unpickler(io.BytesIO(data))
        unpickler.persistent_load = current.__getitem__
        return unpickler


def kept_report(reused: int, files: int) -> str:
    return f"{reused:,} of {files:,} briefings unchanged since the last build: taken as it read them"
