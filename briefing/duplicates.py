"""The same article received twice: one briefing, the other seed listed as its duplicate.

Exact copies are found by a hash of the article text; near-identical ones by shingles (runs of
words) compared through a bottom-k sketch, a MinHash variant: each text keeps only its
`sketch_size` smallest shingle hashes, an inverted index on those finds the candidates, and only
candidates are compared in full (thresholds in data/duplicates.toml).
"""

import hashlib
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Duplicate
from .rules import load

WORD = re.compile(r"\w+")


@dataclass
class Fingerprint:
    """Computed once, when the seed is converted, and kept with the briefing in the seed cache."""

    words: int
    text_hash: str
    file_hash: str  # of the whole seed text: "identical file" rather than "same article text"
    shingles: bytes  # the sorted shingle hashes packed: a set of Python ints takes ten times the room
    sketch: list[int]

    def shingle_set(self) -> frozenset[int]:
        return frozenset(array("Q", self.shingles))


def shingle_hash(text: str) -> int:
    # A fixed hash (Python's own is salted per run): same seeds, same result.
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def fingerprint(paragraphs: list[str], seed_text: str) -> Fingerprint:
    settings = load("duplicates")
    words = WORD.findall(" ".join(paragraphs).casefold())
    size = settings["shingle_words"]
    shingles = sorted({shingle_hash(" ".join(words[i:i + size]))
                       for i in range(max(1, len(words) - size + 1))})
    return Fingerprint(len(words), hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest(),
                       hashlib.sha256(seed_text.encode("utf-8")).hexdigest(),
                       array("Q", shingles).tobytes(), shingles[: settings["sketch_size"]])


def fingerprint_of(briefing) -> Fingerprint:
    """A briefing's fingerprint (or a summary's: anything with a seed name and a fingerprint)."""
    return briefing.fingerprint or fingerprint(briefing.paragraphs, briefing.seed_text)


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def find_duplicates(briefings: Sequence, distinct: set[str] = frozenset()) -> list[Duplicate]:
    """Every briefing that repeats an earlier one (briefings in seed-name order; anything with a
    `seed_name` and a `fingerprint` will do, see fingerprint_of).

    A seed named in `distinct` (the editor said so) is never taken for a duplicate.
    """
    settings = load("duplicates")
    # A text contained in a longer one shares fewer of the longer one's smallest hashes.
    min_shared = max(1, int(settings["sketch_size"] * settings["near_threshold"] / 4))
    by_text: dict[str, int] = {}
    by_sketch: dict[int, list[int]] = defaultdict(list)
    prints: dict[int, Fingerprint] = {}
    found: list[Duplicate] = []
    for index, briefing in enumerate(briefings):
        current = fingerprint_of(briefing)
        match = None if briefing.seed_name in distinct else find_match(
            current, by_text, by_sketch, prints, min_shared)
        if match:
            kept, reason = match
            found.append(Duplicate(briefing.seed_name, briefings[kept].seed_name, reason))
            continue
        prints[index] = current
        by_text.setdefault(current.text_hash, index)
        for value in current.sketch:
            by_sketch[value].append(index)
    return found


def find_match(current: Fingerprint, by_text, by_sketch, prints, min_shared: int
               ) -> tuple[int, str] | None:
    """The earlier kept briefing this one repeats, and how; None if it repeats none."""
    settings = load("duplicates")
    if current.words and current.text_hash in by_text:
        kept = by_text[current.text_hash]
        same_file = prints[kept].file_hash == current.file_hash
        return kept, "identical file" if same_file else "same article text"
    if current.words < settings["near_min_words"]:
        return None
    # A sketch value shared by very many texts (a stock phrase) finds no duplicate: skipping its
    # long postings list keeps the work per seed bounded as the folder grows.
    shared: Counter = Counter()
    for value in current.sketch:
        postings = by_sketch.get(value, ())
        if len(postings) <= settings["sketch_max_postings"]:
            shared.update(postings)
    shingles = None
    for kept in sorted(index for index, count in shared.items() if count >= min_shared):
        if prints[kept].words < settings["near_min_words"]:
            continue
        other = prints[kept].shingle_set()
        if estimated_containment(current.sketch, other) < settings["estimate_floor"]:
            continue  # too little of this text is in the other for either test to pass
        shingles = shingles or current.shingle_set()
        similarity = jaccard(shingles, other)
        if similarity >= settings["near_threshold"]:
            return kept, f"near-identical text ({similarity:.0%} shared)"
        if containment(shingles, other) >= settings["contained_threshold"]:
            return kept, "shorter copy: its text is all in the kept briefing"
    return None


def estimated_containment(sketch: list[int], whole: frozenset[int]) -> float:
    """The share of a text's sketch found in another text: an estimate of its containment, which
    bounds the Jaccard similarity from above, for the price of a few look-ups."""
    return sum(1 for value in sketch if value in whole) / len(sketch) if sketch else 0.0


def containment(part: frozenset[int], whole: frozenset[int]) -> float:
    """The share of `part`'s shingles that are also in `whole`."""
    return len(part & whole) / len(part) if part else 0.0
