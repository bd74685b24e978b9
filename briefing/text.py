"""Small text helpers shared by the stages."""

import re
from functools import lru_cache

CANDIDATE_BREAK = re.compile(r"[.!?][\"”’']?\s+(?=[\"“‘'(]?[A-Z0-9])")
INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")
ABBREVIATIONS = frozenset(
    "mr ms mrs dr st gen lt col maj capt sgt rev jr sr no vs adm brig cdr gov sen rep prof".split()
)


def split_sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences, each with its closing punctuation and quotes.

    >>> split_sentences("The U.S. said so. Gen. Frank McKenzie agreed.")
    ['The U.S. said so.', 'Gen. Frank McKenzie agreed.']
    """
    return list(sentences_of(paragraph))


@lru_cache(maxsize=4096)  # entities and events both split each paragraph
def sentences_of(paragraph: str) -> tuple[str, ...]:
    sentences: list[str] = []
    start = 0
    for match in CANDIDATE_BREAK.finditer(paragraph):
        if is_abbreviation(paragraph[start: match.start() + 1]):
            continue
        sentences.append(paragraph[start: match.end()].strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return tuple(sentences)


def is_abbreviation(text_to_stop: str) -> bool:
    """Whether the full stop ending this text closes an abbreviation (U.S., Gen.) not a sentence."""
    if not text_to_stop.endswith("."):
        return False
    last_word = (text_to_stop.rsplit(None, 1) or [""])[-1]
    bare = last_word.rstrip(".").lstrip("(\"“‘'")
    return (bare.casefold() in ABBREVIATIONS or INITIALS.fullmatch(bare) is not None)


def first_sentence(paragraph: str) -> str:
    sentences = split_sentences(paragraph)
    return sentences[0] if sentences else paragraph


def word_count(text: str) -> int:
    return len(text.split())
