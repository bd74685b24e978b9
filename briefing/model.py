"""The records passed between conversion stages."""

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Line:
    """One logical line of a seed: a paragraph, a heading-like line or a scrap of debris."""

    text: str
    block: int  # index of the blank-line-separated block it came from
    number: int  # 1-based line number in the seed where it starts


@dataclass
class Removed:
    """A piece of the seed kept out of the body, with the reason a reader is shown."""

    reason: str
    text: str
    line: int = 0  # where in the seed it was, so the list reads in the seed's order


@dataclass
class PublishedDate:
    """A date as precise as the seed states it: day, month or year."""

    value: date
    precision: str  # "day" | "month" | "year"

    def iso(self) -> str:
        """The date cut to its precision: 2021-10-24, 2021-10 or 2021."""
        full = self.value.isoformat()
        return {"day": full, "month": full[:7], "year": full[:4]}[self.precision]


@dataclass
class Entity:
    """A person, organisation or place a briefing names, as the briefing writes it."""

    name: str  # canonical (gazetteer) name, or the name as written for a discovered one
    type: str  # "person" | "organisation" | "place"
    forms: list[str] = field(default_factory=list)  # the spellings used in this briefing
    known: bool = True  # False: discovered in the text, not in the gazetteer
    count: int = 0  # mentions in this briefing


@dataclass
class Event:
    """Something the text says happened (or will happen) at a date it gives or implies."""

    date: PublishedDate
    sentence: str
    anchor: str  # where in the briefing: "p-3" (a paragraph) or "photo" (the caption)
    actors: list[str] = field(default_factory=list)  # canonical entity names in the sentence
    planned: bool = False  # announced, still to come when the briefing was published
    expression: str = ""  # the words that give the date ("on Saturday", "in February 2020")


@dataclass
class Duplicate:
    """A seed left out because it repeats an earlier seed's article."""

    seed_name: str
    kept: str  # the seed whose briefing stands for both (the earlier name in sort order)
    reason: str  # "identical file", "same article text", "near-identical text (93% shared)"
    seed_copy: str = ""  # where its plain-text copy is in the site


@dataclass
class Briefing:
    """Everything the converter learnt about one seed."""

    seed_name: str
    title: str = ""
    title_from: str = ""  # "title line" | "lede" | "seed name"
    date: PublishedDate | None = None
    source: str = ""
    dateline: str = ""
    author: str = ""
    genre: str = ""  # "Opinion", or "" for news
    caption: str = ""
    credit: str = ""
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    slug: str = ""
    seed_text: str = ""
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)  # seeds this briefing stands for too
    edited: list[str] = field(default_factory=list)  # what the overrides file set ("title", "date")
    fingerprint: object = None  # duplicates.Fingerprint of the text, made with the conversion

    def remove(self, reason: str, text: str, line: int = 0) -> None:
        """Record text kept out of the body; blank scraps are not worth a line."""
        if text.strip():
            self.removed.append(Removed(reason, text.strip(), line))
