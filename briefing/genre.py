"""Genre: whether a clipping is Opinion (rules in data/genre.toml).

An opinion writer speaks for a "we" ("we must", "our country"); a reporter quotes others who
do. So first-person plural words are counted outside quotations only, and a label above the
text ("Opinion", "Editorial") decides on its own.
"""

import re
from functools import cache

from .model import Briefing
from .rules import compile_all, load

OPINION = "Opinion"
QUOTATION = re.compile(r"“[^”]*(?:”|$)|\"[^\"]*(?:\"|$)")
WORD = re.compile(r"[^\W\d_]+(?:[’'][^\W\d_]+)?")


@cache
def genre_rules() -> dict:
    rules = load("genre")
    return {**rules, "labels": {label.casefold() for label in rules["labels"]},
            "we_words": frozenset(rules["we_words"]),
            "stance": compile_all(rules["stance_patterns"], re.IGNORECASE)}


def split_label(title: str) -> tuple[str, str]:
    """A genre label at the start of a title, and the rest: 'Opinion: Time to act' → ('Opinion', 'Time to act')."""
    match = re.match(r"^\s*(?P<label>[^:|–—]{2,30}?)\s*(?::|\s[|–—])\s+(?P<rest>\S.*)$", title)
    if match and match.group("label").casefold() in genre_rules()["labels"]:
        return match.group("label"), match.group("rest")
    return "", title


def title_line_labels(title_line: str) -> list[str]:
    """The parts of a title line between bars ('Title | Opinion | Dawn' → ['Title', 'Opinion', 'Dawn'])."""
    return [part.strip() for part in re.split(r"\s+\|\s+", title_line)]


def unquoted(paragraph: str) -> str:
    """The paragraph with quotations cut out (an unclosed quotation runs to its end)."""
    return QUOTATION.sub(" ", paragraph)


def detect_genre(paragraphs: list[str], labels: list[str]) -> str:
    """'Opinion' or '' (news).

    >>> detect_genre(["We must stop this. Our country cannot wait, we know, and our leaders agree."], [])
    'Opinion'
    >>> detect_genre(["“We must act,” the minister said. The US agreed."], [])
    ''
    """
    rules = genre_rules()
    if any(label.strip(" :").casefold() in rules["labels"] for label in labels):
        return OPINION
    own_words = " ".join(unquoted(paragraph) for paragraph in paragraphs)
    words = WORD.findall(own_words)
    we = sum(1 for word in words if word != "US" and word.casefold() in rules["we_words"])
    if not words or we < rules["min_we_words"]:
        return ""
    often = 100 * we / len(words) >= rules["min_we_per_100_words"]
    stance = any(pattern.search(own_words) for pattern in rules["stance"])
    return OPINION if often and stance else ""


def set_genre(briefing: Briefing, genre: str) -> None:
    """The genre, and an Opinion tag so that opinion pieces can be listed together."""
    briefing.genre = genre
    briefing.tags = [tag for tag in briefing.tags if tag != OPINION]
    if genre == OPINION:
        briefing.tags.append(OPINION)
