"""A headline made from a lede sentence, for seeds that have no title line.

A headline is the lede's main clause: attribution ("CNN reported that"), an opening
phrase ("In the face of …,") and a trailing phrase (", including …") dropped, then cut at a phrase boundary so that it is short,
made of whole words and does not end on a dangling word.
"""

import re
from functools import cache

from .rules import compile_all, load
from .text import first_sentence


@cache
def headline_rules() -> dict:
    rules = load("headline")
    return {
        **rules,
        "attributions": compile_all(rules["attribution_patterns"]),
        "cut_before": frozenset(rules["cut_before"]),
        "cut_before_pairs": frozenset(rules["cut_before_pairs"]),
        "no_end": frozenset(rules["no_end"]),
        "intro_words": tuple(rules["intro_words"]),
        "parenthetical": re.compile(rules["drop_parenthetical"]),
        "trailing_phrase": re.compile(rules["trailing_phrase"]),
        "time_phrase": re.compile(rules["time_phrase"]),
    }


def headline_from_lede(paragraph: str) -> str:
    """A headline for a paragraph's first sentence.

    >>> headline_from_lede("CNN reported on Saturday that the US is formalizing an agreement with "
    ...                    "Pakistan to use its airspace for military and intelligence operations.")
    'US is formalizing an agreement with Pakistan to use its airspace'
    """
    rules = headline_rules()
    sentence = rules["parenthetical"].sub("", first_sentence(paragraph)).rstrip(" .!?;:")
    sentence = rules["time_phrase"].sub("", sentence)
    sentence = drop_attribution(sentence)
    sentence = drop_intro_phrase(sentence)
    sentence = re.sub(r"^(?:[Tt]he|[Aa]n?)\s+(?=[A-Z])", "", sentence)
    sentence = drop_trailing_phrase(sentence)
    return capitalise(shorten(sentence, rules["max_chars"]))


def drop_attribution(sentence: str) -> str:
    for pattern in headline_rules()["attributions"]:
        rest = pattern.sub("", sentence, count=1)
        if rest != sentence and len(rest.split()) >= headline_rules()["min_words"]:
            return rest
    return sentence


def drop_intro_phrase(sentence: str) -> str:
    rules = headline_rules()
    if not sentence.startswith(rules["intro_words"]) or "," not in sentence:
        return sentence
    intro, rest = sentence.split(",", 1)
    rest = rest.strip()
    if len(intro.split()) > rules["intro_max_words"] or len(rest.split()) < rules["min_words"]:
        return sentence
    return rest


def drop_trailing_phrase(sentence: str) -> str:
    """Cut the phrase a comma hangs on the main clause (', including …', ', adding that …')."""
    rules = headline_rules()
    for match in rules["trailing_phrase"].finditer(sentence):
        if len(sentence[: match.start()].split()) >= rules["min_words"]:
            return sentence[: match.start()]
    return sentence


def shorten(sentence: str, max_chars: int) -> str:
    """The longest prefix within max_chars that ends before a phrase boundary on a full word."""
    if len(sentence) <= max_chars:
        return sentence
    rules = headline_rules()
    words = sentence.split()
    best = ""
    for end in range(rules["min_words"], len(words)):
        candidate = " ".join(words[:end]).rstrip(",;:–—-")
        if len(candidate) > max_chars:
            break
        boundary = (words[end].casefold() in rules["cut_before"] or words[end - 1].endswith(",")
                    or " ".join(words[end:end + 2]).casefold() in rules["cut_before_pairs"])
        if boundary and words[end - 1].strip(",;:").casefold() not in rules["no_end"]:
            best = candidate
    return best or fallback_cut(words, max_chars)


def fallback_cut(words: list[str], max_chars: int) -> str:
    """No phrase boundary fits: cut on a word that may end a headline."""
    rules = headline_rules()
    kept: list[str] = []
    for word in words:
        if len(" ".join(kept + [word])) > max_chars:
            break
        kept.append(word)
    while len(kept) > 1 and kept[-1].strip(",;:").casefold() in rules["no_end"]:
        kept.pop()
    return " ".join(kept).rstrip(",;:–—-")


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
