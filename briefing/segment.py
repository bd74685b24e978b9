"""Text → logical lines: blank lines separate blocks; hard-wrapped lines are joined."""

import re

from .dates import starts_with_date
from .model import Line

SENTENCE_END = re.compile(r"[.!?:;…۔؟\"”’)\]]$")
WRAP_MIN_SHARE = 2 / 3  # share of a block's lines that must be near its longest to look wrapped
WRAP_MIN_WIDTH = 0.75
WRAP_MAX_WIDTH = 110


def split_lines(text: str) -> list[Line]:
    """Every non-blank logical line of the text, in order, with its block and line number."""
    lines: list[Line] = []
    for block_index, block in enumerate(split_blocks(text)):
        for number, raw_lines in join_wrapped(block):
            lines.append(Line(" ".join(raw_lines), block_index, number))
    return lines


def split_blocks(text: str) -> list[list[tuple[int, str]]]:
    """Runs of non-blank lines, each line with its 1-based number and surrounding space trimmed."""
    blocks: list[list[tuple[int, str]]] = [[]]
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = " ".join(raw.split())
        if stripped:
            blocks[-1].append((number, stripped))
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def join_wrapped(block: list[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    """Group a block's lines into logical lines, joining those a hard wrap split."""
    wrapped = looks_wrapped([text for _, text in block])
    groups: list[tuple[int, list[str]]] = []
    for number, text in block:
        if groups and continues(groups[-1][1][-1], text, wrapped):
            groups[-1][1].append(text)
        else:
            groups.append((number, [text]))
    return groups


def continues(previous: str, current: str, wrapped: bool) -> bool:
    """Whether `current` carries on the sentence that `previous` broke off."""
    if SENTENCE_END.search(previous) or starts_with_date(current):  # a title, then "date 2021-…"
        return False
    if current[:1].islower():
        return True
    return wrapped


def looks_wrapped(texts: list[str]) -> bool:
    """A block hard-wrapped at a fixed width: most lines near the longest, and a break mid-sentence."""
    if len(texts) < 2:
        return False
    heads = texts[:-1]
    longest = max(len(text) for text in heads)
    if longest > WRAP_MAX_WIDTH:
        return False
    near_longest = sum(1 for text in heads if len(text) >= WRAP_MIN_WIDTH * longest)
    mid_sentence = any(
        not SENTENCE_END.search(text) and (following[:1].islower() or text.endswith((",", "-")))
        for text, following in zip(texts, texts[1:])
    )
    return mid_sentence and near_longest >= WRAP_MIN_SHARE * len(heads)
