"""Read generated briefings: dates as precise as stated, undated kept undated, lists parsed.

Pelican completes a partial date ("2021-07") from today's date and skips an article with no
date. Briefings need neither: this Markdown reader keeps a date's precision (day, month, year)
and gives an undated briefing a sentinel date far in the past (so it sorts last, newest first)
with `undated = True`. Each briefing gets `iso_date` (for `<time datetime>`) and `date_label`
(for readers: "24 October 2021", "July 2021", "Undated").
"""

import re
from datetime import datetime, timezone
from sys import intern

from pelican import signals
from pelican.readers import MarkdownReader

UNDATED = datetime(1, 1, 1, tzinfo=timezone.utc)
PARTIAL_DATE = re.compile(r"^\s*(?P<year>\d{4})(?:-(?P<month>\d{1,2}))?(?:-(?P<day>\d{1,2}))?\s*$")
REMOVED_ITEM = re.compile(r"^\[(?P<reason>[^\]]+)\]\s*(?P<text>.*)$")
DUPLICATE_ITEM = re.compile(r"^\[(?P<reason>[^\]]+)\]\s*(?P<seed>.*?)\s*<(?P<seed_copy>[^<>]*)>$")
MONTHS = ("January February March April May June July August September October November "
          "December").split()


class BriefingMarkdownReader(MarkdownReader):
    def _parse_metadata(self, meta):
        raw_date = (meta.get("date") or [""])[0]
        partial = PARTIAL_DATE.match(raw_date)
        if partial:
            meta = {key: value for key, value in meta.items() if key != "date"}
        output = super()._parse_metadata(meta)
        if partial:
            output["date"], output["date_precision"] = partial_date(partial)
        elif "date" in output:
            output["date_precision"] = "day"
        else:
            output["date"], output["date_precision"], output["undated"] = UNDATED, "", True
        output["iso_date"] = iso_date(output)
        output["date_label"] = date_label(output)
        for key in ("removed", "warnings", "duplicates"):
            if key in output:
                output[key] = as_list(output[key])
        if "removed" in output:
            output["removed"] = [removed_item(text) for text in output["removed"]]
        if "duplicates" in output:
            output["duplicates"] = [match.groupdict() for match in map(DUPLICATE_ITEM.match,
                                                                       output["duplicates"]) if match]
        return output


def partial_date(match: re.Match) -> tuple[datetime, str]:
    """'2021-07' → (1 July 2021, 'month'): the first day of the period, never today's day."""
    year, month, day = match.group("year", "month", "day")
    precision = "day" if day else "month" if month else "year"
    return datetime(int(year), int(month or 1), int(day or 1), tzinfo=timezone.utc), precision


def as_list(value) -> list[str]:
    return value if isinstance(value, list) else [value]


class Removed:
    """A line the converter took out of the seed (`item.reason`, `item.text`). A dict each took
    four times the memory, with the reason's string made again in every briefing (36,000 lines
    at 10,000 briefings, held until the build ends)."""

    __slots__ = ("reason", "text")

    def __init__(self, reason: str, text: str):
        self.reason, self.text = intern(reason), text

    def __reduce__(self):  # unpickled through __init__: the reason shared again
        return Removed, (self.reason, self.text)

    def __eq__(self, other) -> bool:
        return isinstance(other, Removed) and (self.reason, self.text) == (other.reason, other.text)

    def __repr__(self) -> str:
        return f"Removed({self.reason!r}, {self.text!r})"


def removed_item(text: str) -> Removed:
    match = REMOVED_ITEM.match(text)
    return Removed(*match.group("reason", "text")) if match else Removed("removed", text)


def iso_date(metadata: dict) -> str:
    """The date as precise as known: 2021-10-24, 2021-10 or 2021; '' when undated."""
    if metadata.get("undated"):
        return ""
    full = metadata["date"].strftime("%Y-%m-%d")
    return {"month": full[:7], "year": full[:4]}.get(metadata["date_precision"], full)


def date_label(metadata: dict) -> str:
    """The date for readers: 24 October 2021, October 2021, 2021 or Undated."""
    if metadata.get("undated"):
        return "Undated"
    date, precision = metadata["date"], metadata["date_precision"]
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return f"{MONTHS[date.month - 1]} {date.year}"
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def add_reader(readers) -> None:
    for extension in BriefingMarkdownReader.file_extensions:
        readers.reader_classes[extension] = BriefingMarkdownReader


def register() -> None:
    signals.readers_init.connect(add_reader)
