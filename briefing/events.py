"""Events: sentences that say when something happened, dated as precisely as they allow.

Explicit dates ("October 2001", "On August 15") and relative ones ("on Saturday", "last month",
"Thursday’s meeting") are read with the expressions in `data/events.toml` and resolved against
the publication date; a briefing without one keeps only the events whose year is stated. Each
event keeps its sentence, the entities that sentence names and its paragraph anchor (`p-N`).
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from .model import Briefing, Entity, Event, PublishedDate
from .rules import load
from .text import split_sentences

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}


@dataclass
class Expression:
    rule: str
    pattern: re.Pattern
    needs: str  # the cue every match holds (data/events.toml [cues])
    unit: str = ""
    shift: int = 0
    planned: bool = False


@dataclass
class Found:
    """A date expression in a sentence."""

    start: int
    end: int
    expression: Expression
    match: re.Match


def expand(pattern: str) -> re.Pattern:
    data = load("events")
    names = {"months": f"(?-i:{data['months']})", "weekdays": f"(?-i:{data['weekdays']})"}
    return re.compile(pattern.replace("{months}", names["months"])
                      .replace("{weekdays}", names["weekdays"]), re.IGNORECASE)


@cache
def expressions() -> list[Expression]:
    found = []
    for item in load("events")["expression"]:
        if item.get("needs") not in cues():
            raise ValueError(f"data/events.toml: the expression {item['pattern']!r} needs one of the "
                             f"cues ({', '.join(cues())}), not {item.get('needs')!r}")
        found.append(Expression(item["rule"], expand(item["pattern"]), item["needs"], item.get("unit", ""),
                                item.get("shift", 0), item.get("planned", False)))
    return found


@cache
def cues() -> dict[str, re.Pattern]:
    """What a sentence must hold for an expression to match in it, by name (data/events.toml)."""
    return {name: expand(pattern) for name, pattern in load("events")["cues"].items()}


@cache
def date_cue() -> re.Pattern:
    """Any cue: one quick search of a sentence saves trying the expressions on the four in
    five sentences that hold no date."""
    return expand("|".join(load("events")["cues"].values()))


@cache
def expression_ranks() -> dict[int, int]:
    return {id(expression): index for index, expression in enumerate(expressions())}


@cache
def planned_cue() -> re.Pattern:
    cues = "|".join(re.escape(cue) for cue in load("events")["planned_cues"])
    return re.compile(rf"\b(?:{cues})\b", re.IGNORECASE)


def date_expressions(sentence: str) -> list[Found]:
    """Non-overlapping date expressions of a sentence; an earlier-listed expression wins."""
    if not date_cue().search(sentence):
        return []
    held = {name for name, cue in cues().items() if cue.search(sentence)}
    candidates = [Found(m.start(), m.end(), expression, m)
                  for expression in expressions() if expression.needs in held
                  for m in expression.pattern.finditer(sentence)]
    rank = expression_ranks()
    chosen: list[Found] = []
    for found in sorted(candidates, key=lambda f: (rank[id(f.expression)], f.start)):
        if not any(found.start < other.end and other.start < found.end for other in chosen):
            chosen.append(found)
    return sorted(chosen, key=lambda f: f.start)


def resolve(found: Found, published: PublishedDate | None, ahead: bool) -> PublishedDate | None:
    """The date an expression stands for; None when it needs a publication date there is not.
    `ahead`: the sentence announces something, so an open day or month is the next one."""
    groups = found.match.groupdict()
    rule = found.expression.rule
    try:
        if rule == "full":
            return PublishedDate(date(int(groups["year"]), month_number(groups["month"]),
                                      int(groups["day"])), "day")
        if rule == "month_year":
            return PublishedDate(date(int(groups["year"]), month_number(groups["month"]), 1), "month")
        if rule == "year":
            return PublishedDate(date(int(groups["year"]), 1, 1), "year")
    except ValueError:
        return None  # "February 30, 2021" names no day
    if published is None or published.precision != "day":
        return None
    return resolve_relative(found, rule, groups, published.value, ahead)


def resolve_relative(found: Found, rule: str, groups: dict, today: date, ahead: bool):
    if rule == "month_day":
        try:
            return PublishedDate(date(today.year, month_number(groups["month"]), int(groups["day"])), "day")
        except ValueError:
            return None
    if rule == "month":
        month = month_number(groups["month"])
        year = today.year - (month > today.month) if not ahead else today.year + (month < today.month)
        return PublishedDate(date(year, month, 1), "month")
    if rule == "weekday":
        back = (today.weekday() - WEEKDAYS[groups["weekday"].lower()]) % 7
        day = today - timedelta(days=back) if not ahead or back == 0 else today + timedelta(days=7 - back)
        return PublishedDate(day, "day")
    return shifted(today, found.expression.unit, found.expression.shift)


def shifted(today: date, unit: str, shift: int) -> PublishedDate:
    """'last month', 'this year', 'last week' (a week is dated to its month), 'yesterday'."""
    if unit == "day":
        return PublishedDate(today + timedelta(days=shift), "day")
    if unit == "week":
        return PublishedDate((today + timedelta(weeks=shift)).replace(day=1), "month")
    if unit == "month":
        month_index = today.year * 12 + today.month - 1 + shift
        return PublishedDate(date(month_index // 12, month_index % 12 + 1, 1), "month")
    return PublishedDate(date(today.year + shift, 1, 1), "year")


def month_number(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def is_after(event: PublishedDate, published: PublishedDate | None) -> bool:
    """Whether the event's period starts after the publication date's period."""
    if published is None:
        return False
    return event.iso() > published.iso() and not published.iso().startswith(event.iso())


def sentence_actors(sentence: str, entities: list[Entity]) -> list[str]:
    """Canonical names of the entities a sentence names, in the briefing's order. The longest
    spelling wins, so "US Central Command" is CENTCOM and not also the United States."""
    owner = {form: entity.name for entity in reversed(entities) for form in entity.forms}
    if not owner:
        return []
    # A spelling the sentence does not contain cannot match: only the others are looked for.
    forms = tuple(form for form in sorted(owner, key=len, reverse=True) if form in sentence)
    if not forms:
        return []
    named = {owner[form] for form in whole_word_matches(sentence, forms)}
    return [entity.name for entity in entities if entity.name in named]


WORD_CHARACTER = re.compile(r"\w")


def whole_word_matches(sentence: str, forms: tuple[str, ...]) -> list[str]:
    """The spellings found as whole words, taken left to right, the longest winning where several
    start: what one regex alternation of them would find, without compiling a pattern for each
    sentence's own set of spellings."""
    candidates = []
    for form in forms:
        start = sentence.find(form)
        while start >= 0:
            end = start + len(form)
            if not (start and WORD_CHARACTER.match(sentence, start - 1)
                    or WORD_CHARACTER.match(sentence, end)):
                candidates.append((start, -len(form), form))
            start = sentence.find(form, start + 1)
    found = []
    position = 0
    for start, minus_length, form in sorted(candidates):
        if start >= position:
            found.append(form)
            position = start - minus_length
    return found


def events_in(text: str, anchor: str, briefing: Briefing) -> list[Event]:
    events = []
    for sentence in split_sentences(text):
        for found in date_expressions(sentence):
            clause = re.split(r"[,;:—–]", sentence[:found.start])[-1]
            announced = found.expression.planned or bool(planned_cue().search(clause))
            when = resolve(found, briefing.date, announced)
            if when is None:
                continue
            planned = announced or is_after(when, briefing.date)
            events.append(Event(when, sentence, anchor, sentence_actors(sentence, briefing.entities),
                                planned, sentence[found.start:found.end].strip()))
    return events


def find_events(briefing: Briefing) -> list[Event]:
    """Every dated event of a briefing, in reading order: photo caption first, then the body."""
    events = events_in(briefing.caption, "photo", briefing) if briefing.caption else []
    for number, paragraph in enumerate(briefing.paragraphs, start=1):
        events += events_in(paragraph, f"p-{number}", briefing)
    return unique(events)


def unique(events: list[Event]) -> list[Event]:
    """One event per date and sentence ('in February 2020 … in February 2020' is one)."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for event in events:
        key = (event.date.iso(), event.sentence)
        if key not in seen:
            seen.add(key)
            kept.append(event)
    return kept
