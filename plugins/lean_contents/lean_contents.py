"""Keep the briefings' HTML in a temporary file, not in memory, while the pages are rendered;
give the briefings one object for what they hold alike (sharing.py); and spare Pelican's
searches of HTML for links it cannot hold.

As soon as every briefing is read (entities, events, cross-links and structured data use only
their metadata), each briefing's HTML is written to one temporary file and read back (`os.pread`, so
forked rendering processes share the file safely) whenever a page or feed asks for it. At
10,000 briefings this is about 90 MB that the build and every rendering process no longer hold.
`Content.get_content` is memoized by Pelican, which would hold every text again: these contents
get their own, not memoized, `get_content`. The bytes of every page are the same.
"""

import ctypes
import ctypes.util
import gc
import os
import tempfile

from blinker import signal as named_signal
from pelican import signals
from pelican.contents import Content
from pelican.settings import DEFAULT_CONFIG

from .sharing import forget, share

CONTENT_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "drafts",
                 "drafts_translations")
SPILL_FILES = []  # open for the whole build: the rendering processes read them after the fork


def spilled_contents(generator) -> list:
    """The articles generator's contents (every status) whose HTML is still in memory."""
    return [content for name in CONTENT_LISTS for content in getattr(generator, name, None) or []
            if isinstance(getattr(content, "_content", None), str)]


def spill(generator) -> None:
    contents = spilled_contents(generator)
    if not contents:
        return
    spill_file = tempfile.TemporaryFile(prefix="briefing-contents-")
    SPILL_FILES.append(spill_file)
    descriptor, offset = spill_file.fileno(), 0
    for content in contents:
        data = content._content.encode("utf-8", "surrogatepass")
        os.write(descriptor, data)
        content.get_content = reader(content, descriptor, offset, len(data))
        content._content = None
        offset += len(data)
    release_memory()


def reader(content, descriptor: int, offset: int, length: int):
    plain = links_marked_as_pelican_does(content)

    def get_content(siteurl: str) -> str:
        text = os.pread(descriptor, length, offset).decode("utf-8", "surrogatepass")
        if plain and "{" not in text and "|" not in text:
            return text  # no link for Pelican to resolve: what _update_content gives
        return content._update_content(text, siteurl)
    return get_content


def links_marked_as_pelican_does(content) -> bool:
    """Whether Pelican's own `_update_content` resolves the content's links to other content,
    with its default INTRASITE_LINK_REGEX: every such link starts with `{` or `|`
    (`{filename}`, `|filename|`). A text with neither has none, and Pelican's regular
    expression, run over the whole HTML, would change nothing: 35 µs a briefing, whose HTML is
    asked for by its page's key and by the search index in every build."""
    settings = getattr(content, "settings", None) or {}
    return (getattr(type(content), "_update_content", None) is Content._update_content
            and settings.get("INTRASITE_LINK_REGEX") == DEFAULT_CONFIG["INTRASITE_LINK_REGEX"])


def static_links_found_quickly() -> None:
    """Pelican's `Content.get_static_links`, which Pelican asks of every briefing it reads or
    takes kept, for the files it links to with `{static}` or `{attach}`: without a `{` or a `|`
    in the HTML there is none (see links_marked_as_pelican_does), and its regular expression
    over the whole HTML (26 µs a briefing, 0.26 s at 10,000) is spared."""
    pelicans = Content.get_static_links
    if getattr(pelicans, "pelicans", None):
        return  # installed already (a process that runs Pelican again)

    def get_static_links(self) -> set[str]:
        text = self._content
        if isinstance(text, str) and "{" not in text and "|" not in text and links_marked_as_pelican_does(self):
            return set()
        return pelicans(self)

    get_static_links.pelicans = pelicans
    Content.get_static_links = get_static_links


def release_memory() -> None:
    """Hand the freed texts' memory back to the system before the rendering processes fork.
    What is left lives until the build ends: it is hidden from the collector (`gc.freeze`),
    whose every full collection would walk it again. So is what the entity, event and
    cross-link plugins make of it: the collector rests until they are done (`hide_structures`);
    its collections meanwhile found next to nothing (9 objects at 10,000 briefings), and the
    collector's time in a rebuild went from 1.7 s to 0.4 s. This collection walks only what is
    not frozen yet: what was read is (plugins/build_cache). `close` gives it all back to the
    collector when the build is finalized."""
    gc.collect()  # what was read while the articles were is frozen already (plugins/build_cache)
    gc.freeze()
    gc.disable()
    library = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(library), "malloc_trim", None) if library else None
    if trim is not None:
        trim(0)


def hide_structures(*args) -> None:
    """Every generator has made its context (all_generators_finalized): it stays until the end
    too. Before the pages are rendered, in the rendering processes too, the collector runs again."""
    gc.freeze()
    gc.enable()


def collector_on(*args) -> None:
    """At a build's start: a build that failed between its spill and its end (in a process that
    runs Pelican again, as `pelican --autoreload` does) left the collector resting."""
    gc.enable()


def close(pelican) -> None:
    gc.unfreeze()  # see release_memory
    gc.enable()
    while SPILL_FILES:
        SPILL_FILES.pop().close()
    forget()


def register() -> None:
    static_links_found_quickly()
    signals.initialized.connect(collector_on)
    signals.initialized.connect(forget)
    signals.content_object_init.connect(share)
    named_signal("content_reused").connect(share)  # plugins/build_cache: taken, not read
    signals.article_generator_pretaxonomy.connect(spill)
    signals.all_generators_finalized.connect(hide_structures)
    signals.finalized.connect(close)
