"""The entity pages' quoted sentences wait in a temporary file: each comes back whole, in the
build and in the forked rendering processes, and a page's reuse key still sees its text. After
an edit to a briefing's text, the keeper (plugins/preview) has the quotes set again."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from entities.entities import QUOTES, Entity, Mention, requote  # noqa: E402
from entities.quotes import FLUSH_AT, QuoteFile  # noqa: E402
from entities.years import EntityYear  # noqa: E402
from parallel_render.reuse import Views  # noqa: E402

QUOTES_TO_KEEP = [("", "Pešāwar", " said on Monday."), ("Talks in ", "Kabul", ""),
                  ("«Quoted» — ", "Imran Khan", " 🙂"), ("x" * 700, "y", "z" * 900)]


def test_every_quote_comes_back_whole():
    quotes = QuoteFile()
    many = QUOTES_TO_KEEP * (FLUSH_AT // 1000)  # more than one flush
    places = [quotes.add(*quote) for quote in many]
    assert [quotes.read(place) for place in places] == many
    assert [quotes.read(place) for place in reversed(places)] == many[::-1]
    quotes.close()


def test_a_forked_process_reads_the_quotes_kept_before_the_fork():
    quotes = QuoteFile()
    places = [quotes.add(*quote) for quote in QUOTES_TO_KEEP]
    quotes.flush()
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reading)
        ok = [quotes.read(place) for place in places] == QUOTES_TO_KEEP
        os.write(writing, b"1" if ok else b"0")
        os._exit(0)
    os.close(writing)
    assert os.read(reading, 1) == b"1"
    os.waitpid(pid, 0)
    quotes.close()


def mention_view(*quotes: tuple[str, str, str]):
    """The reuse view of the last of these mentions, made in a fresh quote file."""
    QUOTES.close()
    mentions = [Mention(None, "p-2", *quote) for quote in quotes]
    QUOTES.flush()
    return Views().of([mentions[-1]])


def test_a_mention_reads_its_quote_and_its_reuse_key_holds_the_text_not_its_place():
    mention = Mention(None, "p-2", "Talks in ", "Kabul", " ended.")
    QUOTES.flush()
    assert (mention.before, mention.text, mention.after) == ("Talks in ", "Kabul", " ended.")
    ended = mention_view(("Talks in ", "Kabul", " ended."))
    assert mention_view(("Talks in ", "Kabul", " began.")) != ended  # same place, other text
    assert mention_view(("Elsewhere ", "Lahore", "."), ("Talks in ", "Kabul", " ended.")) == ended
    QUOTES.close()


class Briefing:
    """What requote reads of a briefing: its entities, settings, path and metadata."""

    def __init__(self, entities=(), metadata=None):
        self.entities, self.settings, self.source_path = list(entities), {}, "briefings/b.md"
        self.metadata = metadata or {}


class Page:
    def __init__(self, **own):
        self.own = own


def entry(name: str, mention: tuple | None) -> dict:
    """A briefing's entity entry, as its reader gives it (mention: anchor, before, text, after)."""
    item = {"name": name, "type": "place", "forms": [name]}
    if mention:
        item["mention"] = dict(zip(("anchor", "before", "text", "after"), mention))
    return item


def kabul_and_lahore():
    """A briefing naming Kabul (quoted on Kabul's page) and Lahore (quoted on a year page of
    Lahore's); their pages, and a page of another entity."""
    kabul = Entity("Kabul", "place", "kabul", "entity/kabul.html", "entity/kabul.html")
    lahore = Entity("Lahore", "place", "lahore", "entity/lahore.html", "entity/lahore.html")
    briefing = Briefing([kabul, lahore])
    kabul.mentions = [Mention(briefing, "p-1", "Talks in ", "Kabul", " ended.")]
    year = EntityYear(entity=lahore, year=2022, url="entity/lahore/2022.html", save_as="entity/lahore/2022.html",
                      up=("", ""), month=None)
    year.mentions = [Mention(Briefing(), "p-1", "", "Lahore", "."), Mention(briefing, "p-3", "In ", "Lahore", ".")]
    pages = [Page(entity=kabul), Page(entity=lahore), Page(entity_year=year), Page(entity=Entity(
        "Quetta", "place", "quetta", "entity/quetta.html", "entity/quetta.html"))]
    return briefing, pages


def test_a_reworded_quote_is_set_and_only_the_pages_showing_it_are_rendered_again():
    QUOTES.close()
    briefing, pages = kabul_and_lahore()
    fresh = Briefing(metadata={"entities": [
        entry("Kabul", ("p-1", "Talks in ", "Kabul", " ended.")),
        entry("Lahore", ("p-4", "Later in ", "Lahore", ", calm.")), entry("Lahore", ("p-5", "", "Lahore", "."))]})
    assert requote(briefing, fresh, pages) == [pages[2]]  # Lahore's year page; Kabul's quote is the same
    lahore = pages[2].own["entity_year"].mentions[1]
    assert (lahore.anchor, lahore.quote) == ("p-4", ("Later in ", "Lahore", ", calm."))  # its first entry
    assert pages[0].own["entity"].mentions[0].quote == ("Talks in ", "Kabul", " ended.")
    QUOTES.close()


def test_an_entity_no_longer_quoted_leaves_the_edit_to_the_build():
    QUOTES.close()
    briefing, pages = kabul_and_lahore()
    fresh = Briefing(metadata={"entities": [entry("Kabul", None), entry("Lahore", ("p-3", "In ", "Lahore", "."))]})
    assert requote(briefing, fresh, pages) == "the edit changes whether the page of Kabul quotes briefings/b.md"
    QUOTES.close()
