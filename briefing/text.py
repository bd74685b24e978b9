"""Small text helpers shared by the stages."""

import re

CANDIDATE_BREAK = re.compile(r"[.!?][\"”’']?\s+(?=[\"“‘'(]?[A-Z0-9])")
ABBREVIATIONS = frozenset(
    "mr ms mrs dr st gen lt col maj capt sgt rev jr sr no vs adm brig cdr gov sen rep prof".split()
)


def split_sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences, each with its closing punctuation and quotes.

    >>> split_sentences("The U.S. said so. Gen. Frank McKenzie agreed.")
    ['The U.S. said so.', 'Gen. Frank McKenzie agreed.']
    """
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
    return sentences


def is_abbreviation(text_to_stop: str) -> bool:
    """Whether the full stop ending this text closes an abbreviation (U.S., Gen.) not a sentence."""
    if not text_to_stop.endswith("."):
        return False
    last_word = text_to_stop.split()[-1] if text_to_stop.split() else ""
    bare = last_word.rstrip(".").lstrip("(\"“‘'")
    return (bare.casefold() in ABBREVIATIONS or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", bare) is not None)


def first_sentence(paragraph: str) -> str:
    sentences = split_sentences(paragraph)
    return sentences[0] if sentences else paragraph


def word_count(text: str) -> int:
    return len(text.split())
