"""Editorial overrides: `overrides.toml` in the seed folder corrects what the converter decided.

One table per seed file name; every key is optional:

    ["003_453a01e2ae8e6135.txt"]
    title = "Pakistan and US join hands against the TTP"
    date = "2022-12"            # YYYY-MM-DD, YYYY-MM, YYYY, or "undated"
    source = "The Diplomat"
    author = "Jane Doe"
    tags = ["Pakistan", "TTP", "United States"]
    genre = "Opinion"           # or "News"
    keep = ["A line the converter removed, as the removed list shows it"]
    distinct = true             # never take this seed for a duplicate of another

The file is read on every run, so corrections survive re-conversion; a briefing shows which of
its fields an editor set.
"""

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .dates import DATE_WARNINGS
from .genre import set_genre
from .model import Briefing, PublishedDate

OVERRIDES_FILE = "overrides.toml"
TEXT_KEYS = ("title", "source", "author")
GENRES = {"opinion": "Opinion", "news": ""}


class BadOverrides(Exception):
    """The overrides file cannot be used; the message names the file, the seed and the reason."""


@dataclass
class Override:
    seed_name: str
    text: dict[str, str] = field(default_factory=dict)  # title, source, author
    date: PublishedDate | None = None
    set_date: bool = False  # True also when the editor says "undated"
    tags: list[str] | None = None
    genre: str | None = None
    keep: list[str] = field(default_factory=list)
    distinct: bool = False


def load_overrides(seed_dir: Path) -> dict[str, Override]:
    """The overrides for a seed folder, keyed by seed file name ({} when there is no file)."""
    path = seed_dir / OVERRIDES_FILE
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise BadOverrides(f"{path}: not valid TOML: {error}") from error
    except OSError as error:
        raise BadOverrides(f"{path}: cannot read: {error.strerror}") from error
    overrides = {}
    for seed_name, table in data.items():
        if not isinstance(table, dict):
            raise BadOverrides(f'{path}: "{seed_name}" must be a table: ["{seed_name}"] on a line of its own')
        try:
            overrides[seed_name] = parse_override(seed_name, table)
        except (TypeError, ValueError) as error:
            raise BadOverrides(f"{path}: [\"{seed_name}\"]: {error}") from error
    return overrides


def parse_override(seed_name: str, table: dict) -> Override:
    unknown = sorted(set(table) - {*TEXT_KEYS, "date", "tags", "genre", "keep", "distinct"})
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r} (known: title, date, source, author, tags, "
                         "genre, keep, distinct)")
    override = Override(seed_name)
    for key in TEXT_KEYS:
        if key in table:
            override.text[key] = text_value(key, table[key])
    if "date" in table:
        override.set_date, override.date = True, parse_date_value(table["date"])
    if "tags" in table:
        override.tags = [text_value("tags", tag) for tag in list_value("tags", table["tags"])]
    if "genre" in table:
        genre = text_value("genre", table["genre"]).casefold()
        if genre not in GENRES:
            raise ValueError(f"genre must be \"Opinion\" or \"News\", not {table['genre']!r}")
        override.genre = GENRES[genre]
    if "keep" in table:
        override.keep = [" ".join(text_value("keep", line).split()) for line in list_value("keep", table["keep"])]
    if "distinct" in table:
        if not isinstance(table["distinct"], bool):
            raise TypeError("distinct must be true or false")
        override.distinct = table["distinct"]
    return override


def text_value(key: str, value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{key} must be non-empty text in quotes, not {value!r}")
    return " ".join(value.split())


def list_value(key: str, value) -> list:
    if not isinstance(value, list):
        raise TypeError(f'{key} must be a list: {key} = ["…", "…"]')
    return value


def parse_date_value(value) -> PublishedDate | None:
    """'2021-10-24', '2021-10', '2021', a TOML date, or 'undated' → the date (None: undated)."""
    if isinstance(value, date):
        return PublishedDate(value, "day")
    if not isinstance(value, str):
        raise TypeError(f'date must be "YYYY-MM-DD", "YYYY-MM", "YYYY" or "undated", not {value!r}')
    text = value.strip()
    if text.casefold() == "undated":
        return None
    parts = text.split("-")
    try:
        if len(parts) == 1 and len(text) == 4:
            return PublishedDate(date(int(text), 1, 1), "year")
        if len(parts) == 2:
            return PublishedDate(date(int(parts[0]), int(parts[1]), 1), "month")
        return PublishedDate(date.fromisoformat(text), "day")
    except ValueError as error:
        raise ValueError(f'date {value!r} is not a date ("YYYY-MM-DD", "YYYY-MM", "YYYY" or '
                         f'"undated"): {error}') from error


def apply_override(briefing: Briefing, override: Override) -> None:
    """Set what the editor set, and record which fields those were."""
    for key, value in override.text.items():
        setattr(briefing, key, value)
        briefing.edited.append(key)
    if "title" in override.text:
        briefing.title_from = "editor"
    if override.set_date:
        briefing.date = override.date
        briefing.edited.append("date")
        # The editor settled the date the seed got wrong.
        briefing.warnings = [w for w in briefing.warnings if not w.startswith(DATE_WARNINGS)]
    if override.tags is not None:
        briefing.tags = list(override.tags)
        briefing.edited.append("tags")
    if override.genre is not None:
        briefing.edited.append("genre")
    set_genre(briefing, briefing.genre if override.genre is None else override.genre)
