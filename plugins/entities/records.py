"""Compact copies of the reader's entity, mention and event dicts, read like the dicts.

Every briefing's entities and events are held from the moment it is read until the plugins have
read them all: a dict each took about 100 MB at 10,000 briefings, slots take a quarter of that.
`record["name"]`, `record.get("mention")` and `"mention" in record` work as on the dicts, so
code written for the dicts (and tests that pass dicts) reads either.
"""


class Record:
    __slots__ = ()

    def __getitem__(self, key: str):
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None

    def get(self, key: str, default=None):
        return getattr(self, key, default)

    def __contains__(self, key: str) -> bool:
        return hasattr(self, key)


class MentionRecord(Record):
    __slots__ = ("anchor", "before", "text", "after")


class EntityRecord(Record):
    __slots__ = ("name", "type", "discovered", "forms", "slug", "mention")


class EventRecord(Record):
    __slots__ = ("iso_date", "precision", "planned", "anchor", "expression", "actors", "sentence")
