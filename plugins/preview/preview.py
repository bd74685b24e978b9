"""Keep a finished build in a process of its own, which finishes an edit to a briefing's text at
once (`make devserver`; briefing/preview.py is the devserver's side).

An edit to a briefing's text that leaves its metadata as it was (the block at the top of its
Markdown file: title, date, summary, tags, entities, events, removed lines …) changes its own
page, its seed copy, the search index, the feeds and the entity pages that quote the sentences
first naming its entities, and nothing else: other pages show of a briefing only what its
metadata gives (plugins/parallel_render/reuse.py rests on the same rule). So does an edit
whose metadata then differs only in fields that pages show as they are (its summary, photo
caption, removed lines …: shown_fields.py sets them and finds the pages that show them) and
in the sentences of its events (plugins/chronology sets them and names the pages that show
them). A rebuild still reads every briefing and works out every page's key
before it knows that: seconds at 1,000 briefings, tens at 10,000.

When the devserver asks for it (briefing.preview.PIPES_VARIABLE in the environment), this plugin
forks a keeper as soon as the build's pages are written: a process that holds the build's
briefings, structures and pages, and waits. Asked for a preview once the converter has run
again, it compares the content files with what its build read (their sizes, times and
inodes). When the only files that differ are briefings whose metadata block is the same and
their seed copies, it reads those briefings again, renders their pages into the served site,
copies their seed copies there and has each deferred job of the build that can (the search
index, the feeds: `text_edited`) update its files, and answers with the files it wrote;
otherwise it answers why it wrote nothing. Asked whether the files it read are still as it
read them, it looks at them again and says. When that is all a build would have written (no
feeds of Pelican's own, every deferred job updated), the answer says the site is complete:
the devserver builds nothing, and the keeper waits for the next edit, as what it holds now
is. Otherwise the devserver dismisses it and builds the whole site, and that build's keeper
takes over.

A plugin that writes files of its own from a briefing's text must write them from a deferred
job (plugins/parallel_render's `writer.defer`) that offers `text_edited(output_path, edits)`:
the files that change, by name in the site (None to delete one). A job that does not offer it
leaves the site to the build. A plugin whose structures hold what it derives from a briefing's
text for other pages (plugins/entities' quotes) connects to the `briefing_text_edited` signal
(sender: the briefing as the build holds it; `fresh`: as its file reads now; `pages`: the
build's pages; `reading(name)`: the pages whose template reads `name` from the context): it
sets its structures as `fresh` gives them and returns the pages to render again, or a str, why
the keeper cannot finish the edit. After such an answer the devserver dismisses the keeper and
builds the whole site. A plugin that can also follow a change to a metadata field answers the
`briefing_fields_patched` signal with (field name in lower case, a function of one of its
lines, or None to leave the field out): the keeper then compares that field's lines as the
function gives them (the Events lines without their sentences), and the plugin's
`briefing_text_edited` handler must check and set the rest. A plugin that makes something
the first time a briefing is read (plugins/build_cache's Markdown) makes it in the keeper
before it waits, on the `briefing_keeper_waiting` signal (sender: the build's settings), so
that the first preview does not.

Not previewed: a briefing with no Summary line (Pelican cuts its summary from its text, and
other pages show it), an added or deleted file, a hand-written page.
"""

import hashlib
import os
import re
import resource
import shutil
import signal
import sys
import time
from pathlib import Path

from blinker import signal as named_signal
from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator

from briefing.file_states import file_state
from briefing.lock import close_inherited
from briefing.preview import PIPES_VARIABLE, decoded, encoded, read_line

from . import shown_fields

UNCHANGED = "no content file changed"
FEED_SETTING = re.compile(r"FEED(_ALL)?_(ATOM|RSS)$")  # Pelican's: FEED_ALL_ATOM, TAG_FEED_RSS, …
READ: dict[str, tuple[int, ...] | None] = {}  # content file → its file_state when it was read
text_edited = named_signal("briefing_text_edited")  # see the module's docstring
fields_patched = named_signal("briefing_fields_patched")  # the same
keeper_waiting = named_signal("briefing_keeper_waiting")  # the same
GENERATORS: list = []


def active() -> bool:
    return PIPES_VARIABLE in os.environ


def metadata_digest(path: str, shapes: dict) -> bytes:
    """A digest of a briefing file's metadata block, as page reuse reads it, each line of the
    fields in `shapes` (lower-case name → function of a line, or None: left out) as that
    function gives it.
    Imported here: a keeper is forked only by plugins/parallel_render, and this plugin loads
    without it."""
    from parallel_render.reuse import metadata_block  # noqa: PLC0415

    return hashlib.blake2b(shaped(metadata_block(path), shapes), digest_size=16).digest()


def shaped(block: bytes, shapes: dict) -> bytes:
    """A metadata block with each line of the fields in `shapes` as its function gives it, and
    without the fields whose function is None (a field is its `Name: value` line and the
    indented lines that continue it)."""
    from parallel_render.reuse import without_fields  # noqa: PLC0415  (see metadata_digest)

    if not shapes:
        return block
    block = without_fields(block, frozenset(name for name, shape in shapes.items() if shape is None))
    lines, shape = [], None
    for line in block.decode("utf-8", "surrogateescape").split("\n"):
        if not line[:1].isspace():
            name, colon, value = line.partition(":")
            shape = shapes.get(name.strip().lower()) if colon else None
            line = f"{name}:{shape(value)}" if shape else line
        elif shape:
            line = shape(line)
        lines.append(line)
    return "\n".join(lines).encode("utf-8", "surrogateescape")


def note_read(instance) -> None:
    """Every content file the build reads (briefings, pages, seed copies), as it was read."""
    if active() and getattr(instance, "source_path", None):
        READ[instance.source_path] = file_state(instance.source_path)


def keep_generators(generators) -> None:
    if active():
        GENERATORS[:] = generators


def fork_keeper(writer, pages, deferred=()) -> None:
    """Once the pages are written: fork the keeper, which the build does not wait for."""
    if not active():
        return
    try:
        request, reply = (int(descriptor) for descriptor in os.environ[PIPES_VARIABLE].split(","))
        os.fstat(request), os.fstat(reply)
    except (ValueError, OSError):
        return  # not the devserver's fork of this build (a new Python does not get the pipes)
    sys.stdout.flush()
    sys.stderr.flush()
    if os.fork() == 0:
        status = 1
        try:
            status = keep(Kept(writer.output_path, pages, GENERATORS, deferred), request, reply)
        finally:
            os._exit(status)
    os.close(request)
    os.close(reply)


def keep(kept, request: int, reply: int) -> int:
    """The keeper: announce itself, answer each request, end when the devserver dismisses it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ends with the devserver's pipe, not Ctrl-C
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)  # the build reads its output until every writer has closed it
    os.dup2(quiet, 2)
    close_inherited()  # the content folder's lock is the build's
    os.write(reply, encoded({"ready": os.getpid()}))
    kept.remember_metadata()
    kept.content_files()  # found now, while nothing is asked: the first request finds them so
    try:
        kept.prepare()  # the same
        keeper_waiting.send(kept.generators[ArticlesGenerator].settings)
    except Exception:  # noqa: BLE001  (the first preview tries again, and says why it cannot)
        kept.holders = None
    while True:
        message = decoded(read_line(request, None))
        if message is None:
            return 0  # dismissed
        if "as_read" in message:
            os.write(reply, encoded({"as_read": kept.as_read()}))
            continue
        started, cpu = time.perf_counter(), time.process_time()
        try:
            answer = kept.preview(message["output"])
        except Exception as error:  # noqa: BLE001  (the whole build follows: say why, go on)
            answer = {"reason": f"the preview failed ({type(error).__name__}: {error})"}
        answer.update(seconds=round(time.perf_counter() - started, 3),
                      cpu=round(time.process_time() - cpu, 3),
                      megabytes=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
        os.write(reply, encoded(answer))


class Kept:
    """What the keeper holds of its build: its generators, its pages by briefing, the output
    folder it wrote them in."""

    def __init__(self, output_path: str, pages: list, generators: list, deferred=()):
        self.output_path = output_path
        self.jobs = [getattr(function, "__self__", function) for function in deferred]
        self.generators = {type(generator): generator for generator in generators
                           if isinstance(generator, (ArticlesGenerator, PagesGenerator, StaticGenerator))}
        self.all_pages = pages
        self.pages: dict[int, list] = {}
        for page in pages:
            article = page.own.get("article")
            if isinstance(article, Article):
                self.pages.setdefault(id(article), []).append(page)
        articles = self.generators.get(ArticlesGenerator)
        self.articles = {article.source_path: article for name in
                         ("articles", "translations", "hidden_articles", "hidden_translations")
                         for article in getattr(articles, name, [])}
        self.statics = {static.source_path: static for static in
                        getattr(self.generators.get(StaticGenerator), "staticfiles", [])}
        self.shapes = shown_fields.shapes()
        self.shapes.update(answer for _, answer in fields_patched.send(self) if answer)
        self.metadata: dict[str, bytes] = {}
        self.reads: dict[str, set[str] | None] = {}  # see template_reads
        self.names: bytes | None = None  # see content_files
        self.found: set[str] = set()
        self.holders: shown_fields.Holders | None = None  # see prepare
        self.rest = self.left_to_the_build()

    def left_to_the_build(self) -> str | None:
        """Why what this keeper writes is not the whole of what a build would change after an
        edit to a briefing's text, or None. Other pages show of a briefing only its metadata
        (see the module's docstring); but Pelican's own feeds carry its text, and so may the
        files a plugin's deferred job writes (plugins/feeds' do), unless the job can update
        them (`text_edited`)."""
        settings = self.generators[ArticlesGenerator].settings
        feeds = sorted(name for name, value in settings.items() if value and FEED_SETTING.search(name))
        if feeds:
            return f"Pelican's feeds show a briefing's text ({', '.join(feeds)})"
        for job in self.jobs:
            if not callable(getattr(job, "text_edited", None)):
                return f"{type(job).__name__} writes files of its own"
        return None

    def remember_metadata(self) -> None:
        """A digest of each briefing's metadata block, of the file its build read (a file
        changed since is not remembered, so never previewed), with the fields that plugins
        patch as they shape them (`fields_patched`)."""
        for path in self.articles:
            if file_state(path) == READ.get(path):
                self.metadata[path] = metadata_digest(path, self.shapes)

    def prepare(self) -> None:
        """What each page's template reads, its context's names and what it reads of a value
        (see template_reads, shown_fields.attributes_read), worked out for every template at
        once: the first preview otherwise parsed every template while the editor waited (most
        of the 0.13 s by which the first `make html` after a build was slower than the next,
        0.42 s against 0.29 s, at 1,000 briefings). Then the pages that may show each
        briefing's shown fields (shown_fields.Holders), which every preview asks for."""
        for page in {page.template.name: page for page in self.all_pages}.values():
            self.template_reads(page)
            shown_fields.attributes_read(page.template.environment, page.template.name)
        self.holders = shown_fields.Holders(self.all_pages, self.template_reads)

    def content_files(self) -> set[str]:
        """The files the build would read now, found as Pelican finds them. Which files those
        are follows from the names in the folders where Pelican looks: while those names are
        as the last call found them, so is the answer (Pelican's search took 0.25 s at 10,000
        briefings, listing the names 0.04 s)."""
        names = self.names_looked_at()
        if names != self.names:
            self.names, self.found = names, self.files_found()
        return self.found

    def looked_in(self):
        """(generator, the setting of its paths, of its excluded paths) for each generator whose
        files the build reads."""
        for kind, settings in {ArticlesGenerator: ("ARTICLE_PATHS", "ARTICLE_EXCLUDES"),
                               PagesGenerator: ("PAGE_PATHS", "PAGE_EXCLUDES"),
                               StaticGenerator: ("STATIC_PATHS", "STATIC_EXCLUDES")}.items():
            if kind in self.generators:
                yield self.generators[kind], *settings

    def names_looked_at(self) -> bytes:
        """A digest of every folder under the paths where Pelican looks for files, with the
        names of the folders and files in it (as Pelican walks them), and of whether each path
        that is no folder exists."""
        digest = hashlib.blake2b()
        for generator, paths, _ in self.looked_in():
            for path in generator.settings[paths]:
                root = os.path.join(generator.path, path) if path else generator.path
                if os.path.isdir(root):
                    walked = os.walk(root, followlinks=True)
                else:
                    walked = [(root, [], [])] if os.path.exists(root) else []
                for folder, folders, files in walked:
                    digest.update("\0".join([folder, *folders, "", *files]).encode("utf-8", "surrogateescape") + b"\1")
                digest.update(b"\2")
        return digest.digest()

    def files_found(self) -> set[str]:
        """The files the build would read now, found by Pelican's own search."""
        found = set()
        for generator, paths, excludes in self.looked_in():
            extensions = False if isinstance(generator, StaticGenerator) else None
            found.update(os.path.join(generator.path, name) for name in generator.get_files(
                generator.settings[paths], exclude=generator.settings[excludes], extensions=extensions))
        return found

    def changes(self) -> tuple[list[str], list[str], str | None]:
        """(briefings, seed copies) that changed since the build read them, or why this change
        cannot be previewed."""
        now = self.content_files()
        root = os.path.join(self.generators[ArticlesGenerator].path, "")
        if now - set(READ) or {path for path in READ if path.startswith(root)} - now:
            return [], [], "a file was added or deleted"
        changed = sorted(path for path in now if file_state(path) != READ[path])
        if not changed:
            return [], [], UNCHANGED
        briefings = [path for path in changed if path in self.articles]
        copies = [path for path in changed if path in self.statics]
        for path in changed:
            if path not in self.articles and path not in self.statics:
                return [], [], f"{self.relative(path)} changed, and it is not a briefing"
        for path in briefings:
            reason = self.not_previewable(path)
            if reason:
                return [], [], reason
        if not briefings:
            return [], [], "no briefing changed"
        return briefings, copies, None

    def not_previewable(self, path: str) -> str | None:
        article = self.articles[path]
        if path not in self.metadata or metadata_digest(path, self.shapes) != self.metadata[path]:
            return f"the metadata of {self.relative(path)} changed"
        if "summary" not in article.metadata:
            return f"{self.relative(path)} has no summary of its own"
        if id(article) not in self.pages:
            return f"{self.relative(path)} has no page"
        return None

    def relative(self, path: str) -> str:
        return os.path.relpath(path, self.generators[ArticlesGenerator].path)

    def preview(self, output: str) -> dict:
        """Write into the site in `output` what changed with the text of briefings: {"written":
        names, "before": {name: its state before, or None}, "complete": whether the site is now
        as a build would make it (else "rest": why not)}, or {"reason": why nothing,
        "unchanged": whether that is because no content file changed}."""
        briefings, copies, reason = self.changes()
        if reason:
            return {"reason": reason, "unchanged": reason == UNCHANGED}
        cache = sys.modules.get("build_cache.build_cache")
        if cache is not None:  # the build's cache file is the build's: looked up, not written
            cache.read_only_in_fork(self.generators[ArticlesGenerator].settings)
        states = {path: file_state(path) for path in [*briefings, *copies]}  # before reading them
        targets, edits = {}, {}
        for path in briefings:
            article = self.articles[path]
            fresh = self.read_again(article)
            others = self.pages_of_others(article, fresh)
            if isinstance(others, str):
                return {"reason": others, "unchanged": False}
            edits[article] = article.content
            text = fresh._content
            article.get_content = lambda siteurl, article=article, text=text: article._update_content(text, siteurl)
            for page in [*self.pages[id(article)], *others]:
                targets[page] = os.path.relpath(page.path, self.output_path)
        files = {name: page.write for page, name in targets.items()}
        files.update((self.statics[path].save_as, lambda target, source=path: shutil.copy2(source, target))
                     for path in copies)
        if self.rest is None:
            for job in self.jobs:
                for name, script in job.text_edited(output, edits).items():
                    files[name] = None if script is None else lambda target, data=script: Path(target).write_bytes(data)
        before = {name: file_state(os.path.join(output, name)) for name in files}
        for name, write in files.items():
            replace(os.path.join(output, name), write)
        READ.update(states)  # the next request compares with these
        answer = {"written": sorted(files), "before": before, "complete": self.rest is None}
        return answer if self.rest is None else {**answer, "rest": self.rest}

    @staticmethod
    def as_read() -> bool:
        """Whether every file the site is made from is still as it was read."""
        return all(file_state(path) == state for path, state in READ.items())

    def read_again(self, article) -> Article:
        """The briefing as its file now gives it, read as its build read it (its metadata as
        before, but for the fields of `shapes`)."""
        generator = self.generators[ArticlesGenerator]
        return generator.readers.read_file(
            base_path=generator.path, path=os.path.relpath(article.source_path, generator.path),
            content_class=Article, context=generator.context,
            preread_signal=signals.article_generator_preread, preread_sender=generator,
            context_signal=signals.article_generator_context, context_sender=generator)

    def pages_of_others(self, article, fresh) -> list | str:
        """The pages, other than its own, that show what plugins derive from the briefing's
        text (see `text_edited`), once they have set it as `fresh` gives it; or why the keeper
        cannot finish the edit."""
        pages = []
        changed = shown_fields.set_fields(article, fresh)
        if changed:
            if self.holders is None:
                self.prepare()
            pages += self.holders.pages_showing(article, changed)
        for _, answer in text_edited.send(article, fresh=fresh, pages=self.all_pages, reading=self.pages_reading):
            if isinstance(answer, str):
                return answer
            pages += answer or []
        return pages

    def pages_reading(self, name: str) -> list:
        """The pages whose template reads `name` from its context (see template_reads)."""
        return [page for page in self.all_pages if (reads := self.template_reads(page)) is None or name in reads]

    def template_reads(self, page) -> set[str] | None:
        """What the page's template, or one it extends, includes or imports, reads from its
        context; None when one of them is chosen at render time."""
        from parallel_render.reuse import template_names  # noqa: PLC0415  (see metadata_digest)

        name = page.template.name
        if name not in self.reads:
            self.reads[name] = template_names(page.template.environment, name)
        return self.reads[name]


def replace(target: str, write) -> None:
    """Write `target` through a temporary file beside it, so that no reader sees it half-written
    (`write` None: delete it)."""
    if write is None:
        if os.path.exists(target):
            os.unlink(target)
        return
    os.makedirs(os.path.dirname(target), exist_ok=True)
    partial = f"{target}.preview"
    try:
        write(partial)
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


def register() -> None:
    signals.content_object_init.connect(note_read)
    named_signal("content_reused").connect(note_read)  # plugins/build_cache: taken, not read
    signals.all_generators_finalized.connect(keep_generators)
    named_signal("pages_rendered").connect(fork_keeper)
