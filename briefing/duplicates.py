"""The same article received twice: one briefing, the other seed listed as its duplicate.

Exact copies are found by a hash of the article text; near-identical ones by shingles (runs of
words) compared through a bottom-k sketch, a MinHash variant: each text keeps only its
`sketch_size` smallest shingle hashes, an inverted index on those finds the candidates, and only
candidates are compared in full (thresholds in data/duplicates.toml).

The verdicts are kept between runs (settle_duplicates): a rerun matches again only the seeds
that changed and those a change could reach, and gives what a full pass would.
"""

import hashlib
import itertools
import re
import struct
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .model import Duplicate
from .rules import load

WORD = re.compile(r"\w+")


@dataclass
class Fingerprint:
    """Computed once, when the seed is converted, and kept with the briefing in the seed cache."""

    words: int
    text_hash: str
    file_hash: str  # of the whole seed text: "identical file" rather than "same article text"
    shingles: bytes | None  # the sorted shingle hashes packed (a set of Python ints takes ten
    # times the room); None in a summary, which leaves them out: `load` reads them when compared
    sketch: list[int]
    load: Callable[[], bytes] | None = field(default=None, compare=False, repr=False)

    def shingle_set(self) -> frozenset[int]:
        if self.shingles is None:
            if self.load is None:
                raise LookupError(f"the shingles of {self.text_hash} were left out, and nothing reads them")
            self.shingles = self.load()
        return frozenset(array("Q", self.shingles))

    def __getstate__(self) -> dict:
        return {**self.__dict__, "load": None}  # a way to read them, for this run only


def shingle_hashes(words: list[str], size: int) -> set[int]:
    """The hash of each run of `size` words (a shorter text: of all its words), the run's words
    joined by spaces, read as a big-endian number. A fixed hash (Python's own is salted per
    run): same seeds, same result. The whole text is joined and encoded once, each run hashed
    from its place in those bytes, and the digests read as numbers all at once."""
    text = memoryview(" ".join(words).encode("utf-8"))
    starts = [0, *itertools.accumulate(len(word.encode("utf-8")) + 1 for word in words)]
    runs = zip(starts, starts[size:]) if len(words) > size else [(0, len(text) + 1)]
    new_hash = hashlib.blake2b(digest_size=8).copy  # a copy costs less than a new hash object
    digests = []
    for start, end in runs:  # end: where the next run's word starts, after a space
        digest = new_hash()
        digest.update(text[start:end - 1])
        digests.append(digest.digest())
    return set(struct.unpack(f">{len(digests)}Q", b"".join(digests)))


def fingerprint(paragraphs: list[str], seed_text: str) -> Fingerprint:
    settings = load("duplicates")
    words = WORD.findall(" ".join(paragraphs).casefold())
    shingles = sorted(shingle_hashes(words, settings["shingle_words"]))
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
    return settle_duplicates(briefings, distinct, {})[0]


def settle_duplicates(briefings: Sequence, distinct: set[str], previous: dict[str, str]
                      ) -> tuple[list[Duplicate], dict[str, str]]:
    """find_duplicates, reusing the last run's verdicts (`previous`, as this function returned
    them, by seed name) for every seed that no change can reach; and the verdicts to keep.

    The seeds are gone through in name order, as find_duplicates does, and the kept index is
    built alike; but a seed whose fingerprint and `distinct` are as in the last run is matched
    again only when Changes.reach says that a change before it (a seed added, removed, edited,
    or turned from kept to left out or back, including by this pass) may alter its verdict. So
    the result is a full pass's. Verdicts that do not fit (unreadable, or naming a kept seed
    that is not kept) are dropped, and every seed is matched again.
    """
    try:
        return settle_in_order(briefings, distinct, previous)
    except StaleVerdicts:
        return settle_in_order(briefings, distinct, {})


class StaleVerdicts(Exception):
    """The last run's verdicts do not fit this run's seeds: match every seed again."""


@dataclass(frozen=True)
class Verdict:
    """What the duplicate pass decided about one seed, with the facts of the seed it read; kept
    between runs as a line of text (see text()), read back only as far as needed."""

    text_hash: str
    file_hash: str
    distinct: bool
    sketch: str  # hex of the packed sketch values: read back only for a seed that changed
    kept: str = ""  # the seed this one repeats; "" when it is kept itself
    reason: str = ""

    @classmethod
    def of(cls, current: Fingerprint, distinct: bool, kept: str = "", reason: str = "") -> "Verdict":
        return cls(current.text_hash, current.file_hash, distinct,
                   array("Q", current.sketch).tobytes().hex(), kept, reason)

    @classmethod
    def parse(cls, text: str) -> "Verdict":
        text_hash, file_hash, distinct, sketch, reason, kept = fields(text, 6)
        return cls(text_hash, file_hash, distinct == "1", sketch, kept, reason)

    def text(self) -> str:
        return input_line(self.text_hash, self.file_hash, self.distinct) + "\t".join(
            (self.sketch, self.reason, self.kept))

    def same_text(self, other: "Verdict") -> bool:
        """Whether both were made from the same fingerprint (its words and file decide it)."""
        return (self.text_hash, self.file_hash) == (other.text_hash, other.file_hash)

    def sketch_values(self) -> list[int]:
        try:
            return array("Q", bytes.fromhex(self.sketch)).tolist()
        except ValueError as error:
            raise StaleVerdicts(self.sketch) from error


def input_line(text_hash: str, file_hash: str, distinct: bool) -> str:
    """How a verdict's text starts: what it was decided from, besides the seeds before it."""
    return f"{text_hash}\t{file_hash}\t{'1' if distinct else '0'}\t"


def fields(text: str, count: int) -> list[str]:
    parts = text.split("\t", count - 1)  # the last field (the kept seed's name) may hold tabs
    if len(parts) != count:
        raise StaleVerdicts(text)
    return parts


class KeptIndex:
    """The briefings kept so far, looked up by text hash and by sketch value (see find_match).
    Built when first asked: a rerun in which no fingerprint changed never asks."""

    def __init__(self):
        settings = load("duplicates")
        # A text contained in a longer one shares fewer of the longer one's smallest hashes.
        self.min_shared = max(1, int(settings["sketch_size"] * settings["near_threshold"] / 4))
        self.by_text: dict[str, int] = {}
        self.by_sketch: dict[int, list[int]] = defaultdict(list)
        self.prints: dict[int, Fingerprint] = {}
        self.waiting: list[tuple[int, Fingerprint]] | None = []  # None: indexed as added

    def match(self, current: Fingerprint) -> tuple[int, str] | None:
        self.build()
        return find_match(current, self.by_text, self.by_sketch, self.prints, self.min_shared)

    def postings(self, value: int) -> int:
        """How many kept briefings have this sketch value."""
        self.build()
        return len(self.by_sketch.get(value, ()))

    def add(self, index: int, current: Fingerprint) -> None:
        if self.waiting is not None:
            self.waiting.append((index, current))
            return
        self.prints[index] = current
        self.by_text.setdefault(current.text_hash, index)
        for value in current.sketch:
            self.by_sketch[value].append(index)

    def build(self) -> None:
        waiting, self.waiting = self.waiting, None
        for index, current in waiting or ():
            self.add(index, current)


class Changes:
    """How the kept index differs so far in this pass from the last run's: each seed kept in one
    run and not the other, or kept in both with different texts, is a changed entry (two, for
    the latter: as it was and as it is)."""

    def __init__(self, min_shared: int):
        self.min_shared = min_shared
        self.texts: set[str] = set()  # text hashes of changed entries
        self.entries: dict[int, list[int]] = defaultdict(list)  # sketch value → changed entries
        self.more: dict[int, int] = {}  # sketch value → how many more kept seeds have it now
        self.count = 0

    def reach(self, current: Fingerprint, kept: KeptIndex) -> bool:
        """Whether find_match could give this seed another verdict now than in the last run.

        It reads the first kept text with the same hash; the postings lists of the sketch values,
        each skipped when too long; and the kept seeds that share enough counted values
        (candidates), in order. Unchanged entries are where they were; so the verdict stands
        unless a changed entry has the same text, a value is counted in one run only (its list
        crossed the length limit), or a changed entry shares enough counted values to be a
        candidate in either run."""
        if not self.more:
            return False  # nothing changed yet
        if current.text_hash in self.texts:
            return True
        most = load("duplicates")["sketch_max_postings"]
        shared: Counter = Counter()
        for value in current.sketch:
            if value not in self.more:
                continue
            now = kept.postings(value)
            if (now <= most) != (now - self.more[value] <= most):
                return True
            if now <= most:
                shared.update(self.entries[value])
        return any(count >= self.min_shared for count in shared.values())

    def add(self, verdict: Verdict, step: int) -> None:
        self.count += 1
        self.texts.add(verdict.text_hash)
        for value in verdict.sketch_values():
            self.entries[value].append(self.count)
            self.more[value] = self.more.get(value, 0) + step

    def note(self, before: Verdict | None, now: Verdict | None) -> None:
        """A seed's verdict before and now (None: not there)."""
        kept_before = before is not None and not before.kept
        kept_now = now is not None and not now.kept
        if kept_before and kept_now and before.same_text(now):
            return
        if kept_before:
            self.add(before, -1)
        if kept_now:
            self.add(now, 1)


def settle_in_order(briefings: Sequence, distinct: set[str], previous: dict[str, str]
                    ) -> tuple[list[Duplicate], dict[str, str]]:
    names = [briefing.seed_name for briefing in briefings]
    in_order = all(a < b for a, b in zip(names, names[1:]))  # what reach() rests on
    previous = previous if in_order else {}
    gone = sorted(set(previous) - set(names), reverse=True)
    kept = KeptIndex()
    changes = Changes(kept.min_shared)
    kept_names: set[str] = set()
    found: list[Duplicate] = []
    verdicts: dict[str, str] = {}
    for index, briefing in enumerate(briefings):
        name = briefing.seed_name
        while gone and gone[-1] < name:
            changes.note(Verdict.parse(previous[gone.pop()]), None)
        current = fingerprint_of(briefing)
        text = previous.get(name)
        if (text is not None
                and text.startswith(input_line(current.text_hash, current.file_hash, name in distinct))
                and not changes.reach(current, kept)):
            reason, kept_name = fields(text, 6)[4:]  # as in the last run: nothing changed
            if kept_name and kept_name not in kept_names:
                raise StaleVerdicts(name)
        else:
            match = None if name in distinct else kept.match(current)
            kept_name, reason = (names[match[0]], match[1]) if match else ("", "")
            verdict = Verdict.of(current, name in distinct, kept_name, reason)
            changes.note(None if text is None else Verdict.parse(text), verdict)
            text = verdict.text()
        verdicts[name] = text
        if kept_name:
            found.append(Duplicate(name, kept_name, reason))
            continue
        kept_names.add(name)
        kept.add(index, current)
    return found, verdicts if in_order else {}


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
