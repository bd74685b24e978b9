"""Compiled templates kept between builds: Jinja's bytecode, in the build cache.

Every build compiles the theme's templates again, once per generator's Jinja environment (37
compiles of 24 templates, about 0.13 s of CPU: a twentieth of a one-seed rebuild at 1,000).
Jinja can keep the bytecode (`Environment.bytecode_cache`), but its key is only the template's
name, file and source: options of the environment (delimiters, autoescape, extensions) and the
filters and tests it had when compiling are baked into the code too, and a filter applied to a
constant is even evaluated then. So an entry here is also keyed by the fingerprint of the
build environment that `scripts/build.py` computes for its stamp (settings values and files,
packages, plugins: briefing/up_to_date.py) and passes to Pelican's process; Jinja's checksum
covers the template's own source.
A build run another way (plain `pelican`, a watching build) has no such fingerprint: it
compiles, as Pelican does.
"""

from __future__ import annotations

from jinja2.bccache import Bucket, BytecodeCache

from briefing.up_to_date import build_environment


class StoredBytecode(BytecodeCache):
    """Jinja bytecode in a build_cache Store, under the build environment's fingerprint and the
    template's name and file; Jinja checks the source's checksum and its own version mark
    in the entry before using it."""

    def __init__(self, store, environment: str):
        self.store, self.environment = store, environment

    def entry_key(self, bucket: Bucket) -> str:
        return self.store.key("template-bytecode", self.environment, bucket.key)

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.store.get(self.entry_key(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)  # stale (another source or Jinja): left empty

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store.put(self.entry_key(bucket), bucket.bytecode_to_string())


def keep_compiled_templates(generator, store) -> None:
    """Give a generator's Jinja environment the stored bytecode (when the build environment is
    known)."""
    environment = build_environment()
    if environment:
        generator.env.bytecode_cache = StoredBytecode(store, environment)
