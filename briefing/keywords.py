"""Tags from the text: the capitalised names a briefing repeats most."""

import re
from collections import Counter
from functools import cache

from .rules import load

TOKEN = re.compile(r"[A-Za-z][\w-]*(?:[’'][A-Za-z]+)?|\S")
POSSESSIVE = re.compile(r"[’']s$")


@cache
def not_names() -> frozenset[str]:
    return frozenset(load("keywords")["not_names"].split())


def capitalised_names(text: str) -> list[str]:
    """Runs of capitalised words, with sentence openers, months and titles trimmed off.

    >>> capitalised_names("Pakistan’s spy chief, Lieutenant General Faiz Hameed, visited Kabul.")
    ['Pakistan', 'Faiz Hameed', 'Kabul']
    """
    names: list[str] = []
    run: list[str] = []
    for token in TOKEN.findall(text) + ["."]:
        word = POSSESSIVE.sub("", token)
        if word[:1].isupper() and word not in not_names():
            run.append(word)
            if word != token:  # a possessive ends the name
                names.append(" ".join(run))
                run = []
        else:
            if run:
                names.append(" ".join(run))
            run = []
    return names


def keyword_tags(paragraphs: list[str]) -> list[str]:
    """The most repeated names of a text, most frequent first (ties in alphabetical order)."""
    settings = load("keywords")
    counts = Counter(name for paragraph in paragraphs for name in capitalised_names(paragraph))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [name for name, count in ranked if count >= settings["min_count"]][: settings["max_tags"]]
