"""The publication date a seed states near its top, as precise as it states it."""

import re
import warnings
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from dateutil import parser as dateutil_parser

from .model import Line, PublishedDate
from .rules import load

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

# Two defaults that differ in every field: a field that comes out different was not in the text.
PROBE_DEFAULTS = (datetime(2000, 1, 1), datetime(2004, 12, 28))
PLAUSIBLE_YEARS = range(1900, 2101)
# How the warnings about a seed's date start; an editor's date in overrides.toml settles them.
IMPOSSIBLE_DATE = "impossible date"
AMBIGUOUS_DATE = "ambiguous date"
RELATIVE_DATE = "relative date"
DATE_WARNINGS = (IMPOSSIBLE_DATE, AMBIGUOUS_DATE, RELATIVE_DATE)
AMBIGUOUS_NUMERIC = re.compile(r"^0?([1-9]|1[0-2])[./-]0?([1-9]|1[0-2])[./-]\d{2,4}\b")


@dataclass
class DateRule:
    name: str
    where: str  # "prefix" or "line"
    pattern: re.Pattern
    dayfirst: bool
    ambiguous_warning: bool  # warn when 04/11/2021 could be read either way


@dataclass
class DateFound:
    """What a date rule found on a line: the date (None if impossible), its text, what is left."""

    line_index: int
    statement: str
    rest: str
    date: PublishedDate | None
    warning: str = ""


def date_rules() -> list[DateRule]:
    return [
        DateRule(rule["name"], rule["where"], re.compile(rule["pattern"], re.IGNORECASE),
                 rule.get("dayfirst", False), rule.get("ambiguous_warning", False))
        for rule in load("dates")["rule"]
    ]


@cache
def date_prefixes() -> tuple[re.Pattern, ...]:
    """The patterns of the rules that find a date at the start of a line ("date 2021-10-24 …")."""
    return tuple(rule.pattern for rule in date_rules() if rule.where == "prefix")


def starts_with_date(text: str) -> bool:
    """Whether a line starts with a date statement that a prefix rule reads: such a line is never
    the rest of the line before it, even when it starts in lower case."""
    return any(pattern.search(text) for pattern in date_prefixes())


def find_published_date(lines: list[Line]) -> DateFound | None:
    """The first date statement among the first lines of a seed, or None."""
    rules = date_rules()
    for index, line in enumerate(lines[: load("dates")["search_lines"]]):
        for rule in rules:
            found = match_rule(rule, line.text, index)
            if found:
                return found
    return None


def match_rule(rule: DateRule, text: str, index: int) -> DateFound | None:
    match = rule.pattern.search(text)
    if not match:
        return None
    rest = text[match.end():].strip() if rule.where == "prefix" else ""
    statement = text[: match.end()].strip() if rule.where == "prefix" else text
    try:
        date = parse_date(match.group("date"), rule.dayfirst)
    except ValueError as error:
        return DateFound(index, statement, rest, None,
                         f"{IMPOSSIBLE_DATE} {match.group('date')!r} ({error}): left undated")
    if date is None:
        return None
    warning = ambiguity_warning(match.group("date"), date) if rule.ambiguous_warning else ""
    return DateFound(index, statement, rest, date, warning)


def ambiguity_warning(text: str, date: PublishedDate) -> str:
    """A warning when day and month could be swapped (04/11/2021), saying how it was read."""
    numeric = AMBIGUOUS_NUMERIC.match(text.strip())
    if not numeric or numeric.group(1) == numeric.group(2):
        return ""
    reading = f"{date.value.day} {date.value:%B %Y}"
    return f"{AMBIGUOUS_DATE} {text.strip()!r} read day first as {reading}"


def parse_date(text: str, dayfirst: bool = False) -> PublishedDate | None:
    """Parse a date with its precision; None if it is not a date, ValueError if it cannot exist.

    >>> parse_date("27.08.2021", dayfirst=True).iso()
    '2021-08-27'
    >>> parse_date("July 2021").iso()
    '2021-07'
    """
    text = text.strip().rstrip(".,")
    if not re.search(r"\d{2}", text):
        return None
    if re.search(r"[^\W\d_]", text, re.ASCII) is None and re.search(r"[^\W\d_]", text):
        return parse_other_script(text, dayfirst)
    parsed = [probe_parse(text, dayfirst, default) for default in PROBE_DEFAULTS]
    if parsed[0] is None or parsed[1] is None:
        return None
    first, second = parsed
    if first.year != second.year or first.year not in PLAUSIBLE_YEARS:
        return None
    if first.month != second.month:
        return PublishedDate(first.date().replace(month=1, day=1), "year")
    if first.day != second.day:
        return PublishedDate(first.date().replace(day=1), "month")
    return PublishedDate(first.date(), "day")


def probe_parse(text: str, dayfirst: bool, default: datetime) -> datetime | None:
    """dateutil's reading of `text` with missing fields taken from `default`.

    Raises ValueError for a date whose fields are all there but cannot exist (30 February).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unknown time-zone names such as PKT
        try:
            return dateutil_parser.parse(text, dayfirst=dayfirst, default=default)
        except dateutil_parser.ParserError as error:
            if "out of range" in str(error) or "must be in" in str(error):
                raise ValueError(str(error).split(":")[0]) from error
            return None
        except OverflowError:
            return None


@cache
def other_script_parser(dayfirst: bool) -> "DateDataParser":
    """dateparser for month names in other scripts (جنوری), with settings that never fill from today.

    Only the year is required; the period it reports (day, month, year) is kept as the precision,
    so whatever it filled in is cut off again. (dateparser is imported here: few seeds need it,
    and loading it costs more than converting a seed.)
    """
    from dateparser.date import DateDataParser  # noqa: PLC0415

    return DateDataParser(languages=load("dates")["other_script_languages"], settings={
        "DATE_ORDER": "DMY" if dayfirst else "MDY", "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": ["year"], "RETURN_TIME_AS_PERIOD": False,
    })


def parse_other_script(text: str, dayfirst: bool) -> PublishedDate | None:
    data = other_script_parser(dayfirst).get_date_data(text)
    if data.date_obj is None or data.date_obj.year not in PLAUSIBLE_YEARS:
        return None
    value = data.date_obj.date()
    if data.period == "year":
        return PublishedDate(value.replace(month=1, day=1), "year")
    if data.period == "month":
        return PublishedDate(value.replace(day=1), "month")
    return PublishedDate(value, "day")


def is_relative_date(text: str) -> bool:
    """'Published 3 hours ago', 'Updated yesterday': a date only the saving moment could fix."""
    return re.match(load("dates")["relative_pattern"], text, re.IGNORECASE) is not None
