"""The entity pages' quoted sentences wait in a temporary file: each comes back whole, in the
build and in the forked rendering processes, and a page's reuse key still sees its text."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from entities.entities import QUOTES, Mention  # noqa: E402
from entities.quotes import FLUSH_AT, QuoteFile  # noqa: E402
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
