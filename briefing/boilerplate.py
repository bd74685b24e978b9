"""Scraper debris: lines and glued scraps that are not part of the article.

Phrase and pattern rules come from `data/boilerplate.toml`; the structural rules here catch
what no list names (tag lines, runs of related headlines).
"""

import re
from dataclasses import dataclass
from functools import cache

from .rules import load

DEFAULT_MAX_WORDS = 25
TAG_MAX_WORDS = 4
TAG_LINE_MIN_TAGS = 3
HEADLINE_MAX_WORDS = 20
QUESTION_MAX_WORDS = 12


@dataclass
class LineRule:
    reason: str
    phrases: frozenset[str]
    patterns: list[re.Pattern]
    max_words: int


@cache
def line_rules() -> list[LineRule]:
    return [
        LineRule(rule["reason"],
                 frozenset(normalise_phrase(p) for p in rule.get("phrases", [])),
                 [re.compile(p, re.IGNORECASE) for p in rule.get("patterns", [])],
                 rule.get("max_words", DEFAULT_MAX_WORDS))
        for rule in load("boilerplate")["line"]
    ]


@cache
def suffix_rules() -> list[tuple[str, re.Pattern]]:
    return [(rule["reason"], re.compile(pattern))
            for rule in load("boilerplate")["suffix"] for pattern in rule["patterns"]]


def normalise_phrase(text: str) -> str:
    return " ".join(text.split()).rstrip(".").casefold()


def boilerplate_reason(text: str) -> str | None:
    """The reason a whole line is boilerplate, or None if it is not."""
    words = len(text.split())
    phrase = normalise_phrase(text)
    for rule in line_rules():
        if words > rule.max_words:
            continue
        if phrase in rule.phrases or any(p.search(text.strip()) for p in rule.patterns):
            return rule.reason
    return None


def split_glued(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Cut scraps glued to the end of a line ('… FileAdvertisement'): the rest and (reason, scrap)s."""
    scraps: list[tuple[str, str]] = []
    changed = True
    while changed:
        changed = False
        for reason, pattern in suffix_rules():
            match = pattern.search(text)
            if match and match.start() > 0:
                scraps.insert(0, (reason, match.group().strip()))
                text = text[: match.start()].rstrip()
                changed = True
    return text, scraps


def parse_tag_line(text: str) -> list[str] | None:
    """'US withdrawal, Afghanistan, Pakistan, Imran Khan, CIA' → its tags; None if not a tag line."""
    if re.search(r"[.!?:;”\"]$", text.strip()):
        return None
    separator = ";" if text.count(";") >= 2 else ","
    items = [item.strip() for item in text.split(separator)]
    if len(items) < TAG_LINE_MIN_TAGS or any(not item for item in items):
        return None
    if any(len(item.split()) > TAG_MAX_WORDS for item in items):
        return None
    capitalised = sum(1 for item in items if item[:1].isupper() or item[:1].isdigit())
    return items if capitalised >= len(items) - 1 else None


def looks_like_headline(text: str) -> bool:
    """A related-story headline: short, and not a finished sentence of the article."""
    words = text.split()
    return (len(words) <= HEADLINE_MAX_WORDS and not text.rstrip().endswith((".", ":", ","))
            and words[0][:1].isupper())


def is_headline_question(text: str) -> bool:
    """A short question, as related-story lists often end: 'Explainer: Who are the Taliban?'"""
    return text.rstrip().endswith("?") and len(text.split()) <= QUESTION_MAX_WORDS
