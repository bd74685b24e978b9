"""Copy a page from the last build instead of rendering it when nothing it shows has changed.

After one seed is edited, a build renders a handful of pages that differ and a thousand that do
not. Each page of a template listed in RENDER_REUSE_TEMPLATES gets a key: a hash of the values
its template names (`article`, `entity`, `tag`, `articles`, the menu's `pages`, the
chronology's `events` …, each walked by value) and of its template and output path. When the
last build recorded the same key for that output file, the file is taken from the last build
(hard-linked, or copied where it cannot be linked).

What the key walks:
- the page's subject (the top-level `article` or `entity`): every attribute, by value (a
  briefing's also the whole metadata block of its file);
- another briefing: its URL and the metadata block of its Markdown file. So a template may
  read of any briefing but its own only what its metadata gives (title, date, summary,
  source …), never its text (when its file gives no summary, Pelican cuts one from its text:
  then that summary counts too, as on a hand-written page: editing the About page's text
  past its first words renders no other page). The fields of RENDER_REUSE_OWN_PAGE_METADATA
  (its entities, events and removed lines) are left out: only its own page shows them, and
  what other pages show of them comes through the entity and event records, walked by value.
  So a sentence that adds an event to a briefing does not render every page that shows
  another event of the same briefing;
- another object with a page of its own (an entity, a tag: it has `slug` and `url`): its name,
  slug, URL and type, which is all a template may read of it;
- records (dataclasses, slotted classes: their slots, or what their `__getstate__` gives),
  lists, dicts, dates and plain values: by value (a value of a subclass such as Markup, with
  its class's name).
Anything else (a function, an unknown class) makes the page unkeyable: it is rendered. A
value the page shares with the whole site (the menu, the chronology's events) is walked once per
process, not once per page. A template that chooses a template to include at render time is
never reused: its pages are rendered every time, with a warning naming it.

A deferred job (the search index) keys its own files: `earlier` gives what the last build
recorded for an output file, `record` keeps what this build's file is made from, and
`bring_over` links (or copies) a file from the last build.

The sources of the page's template and of the templates it extends, includes or imports are
in the key. Settings, plugins and packages are not: `scripts/build.py` offers the last build
(environment variable RENDER_REUSE_FROM) only when all of those are unchanged and the output
folder is as it left it (briefing/up_to_date.py). Page keys are read from RENDER_KEYS and this build's are
written next to it (`.new`), which `scripts/build.py` puts in place once the build succeeded.
"""

from __future__ import annotations

import dataclasses
import datetime
import filecmp
import functools
import hashlib
import logging
import marshal
import os
import pickle
import shutil
import struct
import sys
import time

from jinja2 import meta
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from briefing.file_states import SETTLED_NS, file_state
from briefing.up_to_date import build_environment

log = logging.getLogger(__name__)

REUSE_FROM = "RENDER_REUSE_FROM"  # environment: the last build's output folder
KEYS_FILE = "RENDER_KEYS"  # environment: the page keys of that build
# A briefing's attributes that are not what its page shows: the build's settings and context,
# the HTML, which is walked as `content` (plugins/lean_contents replaces the other two), and the
# metadata, whose entries are walked as the attributes Pelican makes of them.
NOT_SHOWN = frozenset({"settings", "_context", "_content", "get_content", "metadata"})
PLAIN = (str, int, float, bool, type(None))
PLAIN_TYPES = frozenset(PLAIN)
RECORDS_KEPT = 131072  # record hashes a process keeps, some 150 bytes each (47,000 at 10,000 seeds)
CHECKSUM = b"Checksum:"  # briefing/markdown.py's first line: a hash of the whole file
DIGEST_SIZE = 16  # bytes of each digest (blake2b)
STATE = struct.Struct("<4q")  # a file's state (briefing/file_states.py), packed
METADATA = "\0metadata digests"  # in the page keys' file (no page's path): see Views.briefing_link


class Unkeyable(Exception):
    """A value the key cannot describe: the page is rendered."""


class Views:
    """Values → digests of their views. A view is what a template may show of a value: pickled
    without object identities (pickle's fast mode) into a hash, so that the C pickler walks
    strings, numbers, lists, tuples and dicts, and Python is called only for other objects
    (`ViewPickler.reducer_override`), each turned into a tuple of what a page shows of it. How
    each type is viewed is found once per type. Another briefing's reference and the digest of
    a record that holds lists (an event, an entity) are computed once per process: one process
    renders many pages that list the same briefings and events. The pickle is hashed as it is
    written, in frames of 64 KB, so no view of a whole big page is held.
    A set or frozenset is pickled in its order, which for strings differs from one process to
    the next: a page that shows one would be rendered more often than it needs (the theme's
    show none)."""

    def __init__(self, own_page_metadata=frozenset(), known=None):
        self.own_page_metadata = frozenset(name.lower() for name in own_page_metadata)
        self.metadata = MetadataDigests.from_record(known, self.own_page_metadata)
        self.briefing_links: dict[int, tuple] = {}
        self.whole_metadata: dict[int, bytes] = {}  # a briefing's metadata block, nothing left out
        self.records: dict[int, bytes] = {}
        self.site_wide: dict[int, bytes] = {}
        self.links: dict[int, tuple] = {}  # see `linked`
        self.viewers: dict[type, object] = {}

    def of(self, value, subject: bool = False) -> bytes:
        """The digest of the value's view; `subject`: the page's own briefing or entity, viewed
        whole rather than as a reference."""
        if subject:
            kind = type(value)
            if issubclass(kind, Content):
                value = self.briefing(value)
            elif record_names(kind):
                value = record_view(kind)(value)
        sink = Digest()
        try:
            ViewPickler(sink, self).dump(value)
        except (pickle.PicklingError, ValueError, RecursionError) as error:  # ValueError: a cycle
            raise Unkeyable(f"{type(error).__name__}: {error}") from None
        return sink.digest()

    def reduced(self, value):
        """For ViewPickler: a value that pickle does not walk by itself, as (tuple, (its view,)):
        pickle then writes the view, whose items it walks in turn."""
        view = self.viewers.get(type(value))
        if view is None:
            view = self.viewers[type(value)] = self.viewer(type(value))
        return view(value)

    def viewer(self, kind: type):  # noqa: PLR0911  (one return per kind of value)
        """How values of this type are viewed: a function value → (tuple, (view,))."""
        name = kind.__name__
        if issubclass(kind, PLAIN):  # Markup, an enum: what it is matters to the template too
            plain = next(base for base in kind.__mro__ if base in PLAIN_TYPES)
            return lambda value: (tuple, ((name, plain(value)),))
        if issubclass(kind, (list, tuple)):
            return lambda value: (tuple, ((name, tuple(value)),))
        if issubclass(kind, dict):
            return lambda value: (tuple, (("dict", tuple(value.items())),))
        if issubclass(kind, (set, frozenset)):
            return lambda value: (tuple, (("set", tuple(sorted(self.of(item) for item in value))),))
        if issubclass(kind, (datetime.date, datetime.time)):
            return lambda value: (tuple, (("date", value.isoformat(), repr(getattr(value, "tzinfo", None))),))
        if issubclass(kind, datetime.tzinfo):
            return lambda value: (tuple, (("zone", repr(value)),))
        if issubclass(kind, Content):
            return self.linked(lambda value: self.briefing_link(value))
        if issubclass(kind, URLWrapper):
            return self.linked(lambda value: ("link", name, value.name, value.slug, value.url, value.save_as))
        if kind is type:  # a class; but the `tuple` of the views, if ever not found in the memo, by its name
            return lambda value: NotImplemented if value is tuple else unkeyable(value)
        names = record_names(kind)
        if not names:
            return unkeyable
        if "slug" in names and "url" in names:  # it has a page of its own: a reference
            return self.linked(lambda value: ("link", name, getattr(value, "name", None), value.slug,
                                              value.url, getattr(value, "type", None)))
        if dataclasses.is_dataclass(kind) and any(
                field.default_factory in (list, dict) for field in dataclasses.fields(kind)):  # an event
            return lambda value: (tuple, (("record", self.shared_record(value)),))
        record = record_view(kind)
        return lambda value: (tuple, (record(value),))

    def linked(self, link):
        """A viewer of objects with a page of their own, by reference (`link`: value → view),
        each worked out once per process: pages list the same briefings, entities and tags."""
        links = self.links

        def view(value):
            reduced = links.get(id(value))
            if reduced is None:
                reduced = links[id(value)] = (tuple, (link(value),))
            return reduced
        return view

    def shared_record(self, value) -> bytes:
        """A record that holds lists (an event with its sources and actors): many pages show
        the same one, so its digest is kept."""
        digest = self.records.get(id(value))
        if digest is None:
            if len(self.records) >= RECORDS_KEPT:
                self.records.clear()
            digest = self.records[id(value)] = self.of(record_view(type(value))(value))
        return digest

    def shared(self, value) -> tuple:
        """A value of the site's context, the same object for every page: hashed once."""
        digest = self.site_wide.get(id(value))
        if digest is None:
            digest = self.site_wide[id(value)] = self.of(value)
        return "site-wide", digest

    def briefing(self, content: Content) -> tuple:
        """The page's own briefing: its HTML, its file's whole metadata block (none of it left
        out) and every attribute (its metadata among them)."""
        attributes, metadata = vars(content), content.metadata
        shown = [(name, attributes[name]) for name in sorted(attributes.keys() - NOT_SHOWN)]
        only_metadata = [(name, metadata[name]) for name in sorted(metadata.keys() - attributes.keys())]
        link = self.briefing_link(content)
        return "briefing", link, self.whole_metadata[id(content)], content.content, tuple(shown + only_metadata)

    def briefing_link(self, content: Content):
        """Another briefing (or page), as a page may show it: its URL, its file's metadata, and,
        when that gives no summary, the summary Pelican cuts from its text."""
        link = self.briefing_links.get(id(content))
        if link is None:
            cut = None if "summary" in content.metadata else str(content.summary)
            whole, shown = self.metadata.digests(content.source_path)
            link = ("briefing-link", content.url, shown, cut)
            self.briefing_links[id(content)] = link
            self.whole_metadata[id(content)] = whole
        return link


class MetadataDigests:
    """The digests of briefing files' metadata blocks (see `metadata_digests`), kept from one
    build to the next with each file's state (size, times, inode), and trusted while the file
    has that state: reading and parsing every briefing's block took half a second in each
    rendering process at 10,000 briefings, a stat takes a hundredth of that. A file whose
    change time is less than SETTLED_NS before this build began is not kept (it could be
    written again within its clock's tick: briefing/file_states.py). Each file's entry is one
    bytes object (its state packed, then the two digests): 64 bytes, where a tuple of the
    state's numbers and the digests took 400."""

    def __init__(self, own_page_metadata: frozenset[str], known: dict[str, bytes]):
        self.own_page_metadata = own_page_metadata
        self.known = known  # path → its entry, the last build's
        self.found: dict[str, bytes] = {}  # the same, of this build, for the next
        self.settled = time.time_ns() - SETTLED_NS

    @classmethod
    def from_record(cls, record, own_page_metadata: frozenset[str]):
        """`record`: what the last build's `record()` gave, None if nothing."""
        fields, known = record if isinstance(record, tuple) and len(record) == 2 else (None, {})
        return cls(own_page_metadata, known if fields == sorted(own_page_metadata) else {})

    def record(self) -> tuple:
        return sorted(self.own_page_metadata), self.found

    def digests(self, path: str) -> tuple[bytes, bytes]:
        """(whole, shown): see `metadata_digests`."""
        packed, sure = packed_state(path, self.settled)
        entry = self.known.get(path)
        if packed is None or entry is None or not entry.startswith(packed):
            entry = (packed or bytes(STATE.size)) + b"".join(metadata_digests(path, self.own_page_metadata))
        if sure:
            self.found[path] = entry
        size = STATE.size
        return entry[size:size + DIGEST_SIZE], entry[size + DIGEST_SIZE:]


def packed_state(path: str, settled: int) -> tuple[bytes | None, bool]:
    """A file's state (size, times, inode) packed, None if there is no file (65 bytes, where a
    tuple of its numbers took 250); and whether it changed before `settled` (the build's start
    less SETTLED_NS), so that the next build may trust it (briefing/file_states.py)."""
    state = file_state(path)
    if state is None:
        return None, False
    return STATE.pack(*state), state[2] < settled


class ViewPickler(pickle.Pickler):
    """Pickles a value's view (see Views): protocol 5, without object identities (fast mode
    keeps no memo: equal values give equal bytes, one object or two). Its memo holds one
    object from the start, `tuple`, the callable of every view: written as a reference to it,
    not by its name, which pickle would look up as a module's attribute each time (a view of
    100 links took 3.6 times as long)."""

    def __init__(self, sink, views: Views):
        self.reducer_override = views.reduced  # looked up once, as the pickler is made
        super().__init__(sink, 5)
        self.fast = True
        self.memo = {id(tuple): (0, tuple)}


class Digest:
    """A file-like sink that hashes what is written to it."""

    def __init__(self):
        self.hash = hashlib.blake2b(digest_size=DIGEST_SIZE)

    def write(self, data) -> int:
        self.hash.update(data)
        return len(data)

    def digest(self) -> bytes:
        return self.hash.digest()


@functools.lru_cache(maxsize=None)
def record_view(kind: type):
    """A function that gives a record (a dataclass, a slotted class) as (its class's name,
    its fields), or, when a slotted class says what it holds (`__getstate__`), what that
    gives."""
    name, names = kind.__name__, record_names(kind)
    if not dataclasses.is_dataclass(kind) and kind.__getstate__ is not object.__getstate__:
        return lambda value: (name, value.__getstate__())
    return lambda value: (name, tuple(getattr(value, field, None) for field in names))


@functools.lru_cache(maxsize=None)
def record_names(kind: type) -> tuple[str, ...]:
    """The fields of a dataclass, the slots of a slotted class; () for any other class."""
    if dataclasses.is_dataclass(kind):
        return tuple(field.name for field in dataclasses.fields(kind))
    return slot_names(kind)


def metadata_digests(path: str, left_out: frozenset[str]) -> tuple[bytes, bytes]:
    """Hashes of the metadata block of a briefing's file (without the converter's checksum of
    the whole file): whole, and without the fields named in `left_out` (lower case), from one
    read."""
    data = metadata_block(path)
    whole = hashlib.blake2b(data, digest_size=DIGEST_SIZE).digest()
    shown = hashlib.blake2b(without_fields(data, left_out), digest_size=DIGEST_SIZE).digest() if left_out else whole
    return whole, shown


def metadata_block(path: str) -> bytes:
    """The metadata block of a briefing's file, without the converter's checksum of the whole
    file."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as error:
        raise Unkeyable(f"{path}: {error}") from None
    data = data.split(b"\n\n", 1)[0]
    return data.partition(b"\n")[2] if data.startswith(CHECKSUM) else data


def without_fields(block: bytes, names: frozenset[str]) -> bytes:
    """A metadata block without the fields `names` (lower case): a field is its `Name: value`
    line and the indented lines that continue it."""
    kept, dropping = [], False
    for line in block.split(b"\n"):
        if not line[:1].isspace():
            name = line.partition(b":")[0].strip().lower().decode("utf-8", "replace")
            dropping = name in names
        if not dropping:
            kept.append(line)
    return b"\n".join(kept)


def unkeyable(value):
    raise Unkeyable(type(value).__name__)


def hash_of(view) -> bytes:
    return hashlib.blake2b(encoded(view), digest_size=DIGEST_SIZE).digest()


def encoded(view) -> bytes:
    """A view as bytes, in marshal's format 2: it writes values only (later formats also mark
    which objects are one and the same, so equal views could give different bytes). A third
    of the cost of `repr`."""
    try:
        return marshal.dumps(view, 2)
    except ValueError as error:  # not a plain value: a walker let something through
        raise Unkeyable(str(error)) from None


def slot_names(cls) -> tuple[str, ...]:
    names = []
    for klass in cls.__mro__:
        slots = klass.__dict__.get("__slots__", ())
        names.extend([slots] if isinstance(slots, str) else slots)
    return tuple(name for name in names if name not in ("__dict__", "__weakref__"))


def templates_of(environment, name: str) -> list[str] | None:
    """`name` and every template it extends, includes or imports, directly or through another,
    sorted; None when one of them is chosen at render time."""
    seen, waiting = set(), [name]
    while waiting:
        current = waiting.pop()
        if current in seen:
            continue
        seen.add(current)
        for other in parsed(environment, current)[1]:
            if other is None:
                return None
            waiting.append(other)
    return sorted(seen)


def template_names(environment, name: str) -> set[str] | None:
    """Every variable `name` and the templates it extends, includes or imports read from their
    context; None when one of those templates is chosen at render time."""
    templates = templates_of(environment, name)
    return None if templates is None else set().union(*(parsed(environment, one)[0] for one in templates))


def sources_digest(environment, name: str) -> bytes:
    """A hash of the sources of a template and of every template it names (b"" when one is
    chosen at render time: its pages are never reused)."""
    templates = templates_of(environment, name)
    if templates is None:
        return b""
    digest = hashlib.blake2b(digest_size=DIGEST_SIZE)
    for one in templates:
        source = environment.loader.get_source(environment, one)[0]
        digest.update(f"{one}\0{source}\0".encode("utf-8", "surrogatepass"))
    return digest.digest()


@functools.lru_cache(maxsize=256)
def parsed(environment, name: str) -> tuple[frozenset[str], tuple[str | None, ...]]:
    """What one template reads from its context, and the templates it names: parsed once,
    although base.html and the partials are part of every page template; kept in the build
    cache with the compiled templates, when it is there (plugins/build_cache/templates.py)."""
    source = environment.loader.get_source(environment, name)[0]
    store, fingerprint = build_cache_store(), build_environment()
    if store is None or not fingerprint:
        return source_reads(environment, source)
    key = store.key("template-reads", fingerprint, name, source)
    return store.remember(key, lambda: source_reads(environment, source))


def source_reads(environment, source: str) -> tuple[frozenset[str], tuple[str | None, ...]]:
    tree = environment.parse(source)
    return frozenset(meta.find_undeclared_variables(tree)), tuple(meta.find_referenced_templates(tree))


def build_cache_store():
    """plugins/build_cache's store, when it is on and was opened in this process (its SQLite
    connection must not be used from a fork)."""
    store = getattr(sys.modules.get("build_cache.build_cache"), "STORE", None)
    return store if store is not None and store.pid == os.getpid() else None


class Reuse:
    """The pages of the last build and their keys; the keys of this build's pages."""

    def __init__(self, settings, output_path: str, previous: str | None, keys_file: str):
        self.templates = set(settings.get("RENDER_REUSE_TEMPLATES", ()))
        self.output_path = output_path
        self.previous = previous
        self.keys_file = keys_file
        self.old = read_keys(keys_file) if previous else {}
        self.new: dict[str, object] = {}  # a page's key (bytes), or a job's record (see `record`)
        self.reused = 0
        self.views = Views(settings.get("RENDER_REUSE_OWN_PAGE_METADATA", ()), self.old.get(METADATA))
        self.reads: dict[str, set[str] | None] = {}
        self.digests: dict[str, bytes] = {}
        self.settled = time.time_ns() - SETTLED_NS  # a file changed before is sure of its state

    @classmethod
    def from_environment(cls, settings, output_path: str) -> Reuse | None:
        keys_file = os.environ.get(KEYS_FILE)
        if not keys_file:
            return None
        previous = os.environ.get(REUSE_FROM) or None
        return cls(settings, output_path, previous if previous and os.path.isdir(previous) else None,
                   keys_file)

    def prepare(self, pages: list) -> None:
        """Read each template once, before the pages are shared out (see `template_reads`)."""
        for page in pages:
            if page.template.name in self.templates:
                self.template_reads(page)
                self.template_digest(page)

    def copied(self, page) -> bool:
        """Record the page's key; copy the page from the last build if its key is the same."""
        relative = os.path.relpath(page.path, self.output_path)
        key = self.key(page, relative)
        if key is None:
            return False
        self.new[relative] = key
        if self.old.get(relative) != key or not self.bring_over(relative):
            return False
        self.reused += 1
        return True

    def same_file_taken(self, source: str, target: str) -> bool:
        """Take a static file (a seed's copy) from the last build when its copy there has the
        same bytes as `source`: comparing costs less than writing a new file, and when the last
        build recorded `source` in the state it has now (size, times, inode), its copy is
        `source`'s bytes without a look (comparing 10,000 seed copies took 0.65 s in each
        rendering process). The state is recorded for the next build unless the file changed
        too recently to be sure of (see MetadataDigests)."""
        relative = os.path.relpath(target, self.output_path)
        packed, sure = packed_state(source, self.settled)
        if sure:
            self.new[relative] = packed
        if self.previous is None:
            return False
        if packed is None or self.old.get(relative) != packed:
            try:
                if not filecmp.cmp(source, os.path.join(self.previous, relative), shallow=False):
                    return False
            except OSError:
                return False
        return self.bring_over(relative)

    def key(self, page, relative: str) -> bytes | None:
        name = page.template.name
        if name not in self.templates:
            return None
        reads = self.template_reads(page)
        if reads is None:
            return None
        own = {key: page.own[key] for key in sorted(reads) if key in page.own}
        shared = {key: page.base[key] for key in sorted(reads)
                  if key not in page.own and key in page.base and key.islower()}
        try:
            return hash_of((name, self.template_digest(page), relative,
                            tuple((key, self.views.of(value, subject=True)) for key, value in own.items()),
                            tuple((key, self.views.shared(value)) for key, value in shared.items())))
        except Unkeyable as error:
            log.debug("page %s is rendered: its key cannot hold a %s", page.path, error)
            return None

    def template_digest(self, page) -> bytes:
        """The sources of the page's template and of every template it extends, includes or
        imports: the theme's templates are not in the build's environment, so a page's key
        holds them (a template edit renders the pages made from it, and no others)."""
        name = page.template.name
        if name not in self.digests:
            self.digests[name] = sources_digest(page.template.environment, name)
        return self.digests[name]

    def template_reads(self, page) -> set[str] | None:
        """What the page's template reads, or None if it includes a template chosen at
        render time (its pages are then always rendered)."""
        name = page.template.name
        if name not in self.reads:
            reads = self.reads[name] = template_names(page.template.environment, name)
            if reads is None:
                log.warning("parallel_render: pages of %s are always rendered: it includes a "
                            "template chosen at render time", name)
        return self.reads[name]

    def earlier(self, relative: str):
        """What the last build recorded for an output file (a path relative to the output
        folder), or None when it cannot be reused."""
        return self.old.get(relative) if self.previous else None

    def record(self, relative: str, value) -> None:
        """What this build's output file is made from (a job's own record: any picklable
        value), for the next build's `earlier`."""
        self.new[relative] = value

    def bring_over(self, relative: str) -> bool:
        """The last build's file at `relative`, put in this build's output (`link_or_copy`), its
        folder made if need be. False if that is impossible."""
        if not self.previous:
            return False
        source, target = os.path.join(self.previous, relative), os.path.join(self.output_path, relative)
        try:
            try:
                link_or_copy(source, target)
            except FileNotFoundError:  # its folder is not made yet (or the last build's file is gone)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                link_or_copy(source, target)
        except OSError:
            return False
        return True

    def collected(self) -> tuple[dict[str, object], int, dict]:
        return self.new, self.reused, self.views.metadata.found

    def merge(self, keys: dict[str, object], reused: int, metadata: dict) -> None:
        self.new.update(keys)
        self.reused += reused
        self.views.metadata.found.update(metadata)

    def save(self) -> None:
        """This build's keys, next to the last build's: scripts/build.py swaps them in."""
        try:
            with open(self.keys_file + ".new", "wb") as file:
                pickle.dump({**self.new, METADATA: self.views.metadata.record()}, file, pickle.HIGHEST_PROTOCOL)
        except OSError as error:
            log.warning("parallel_render: cannot write page keys %s.new: %s", self.keys_file, error)


def link_or_copy(source: str, target: str) -> None:
    """The last build's file as a hard link (no bytes copied: nothing writes to it again, and
    scripts/build.py deletes the last build's folder once this one is in place), or a copy
    where a link is impossible (another file system). A missing folder is the caller's to
    make: a copy then could succeed only because another rendering process made the folder
    in between, and would copy what a link takes for nothing."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        raise
    except OSError:
        shutil.copyfile(source, target)


def read_keys(path: str) -> dict[str, bytes]:
    try:
        with open(path, "rb") as file:
            keys = pickle.load(file)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        return {}
    return keys if isinstance(keys, dict) else {}
