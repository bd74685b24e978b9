"""Compact copies of the reader's entity, mention and event dicts, read like the dicts.

Every briefing's entities and events are held from the moment it is read until the plugins have
read them all: a dict each took about 100 MB at 10,000 briefings, slots take a quarter of that.
`record["name"]`, `record.get("mention")` and `"mention" in record` work as on the dicts, so
code written for the dicts (and tests that pass dicts) reads either.

A record is pickled as its row and made again by `entity_record` or `event_record`, which intern
the strings that recur in many briefings: a briefing kept by plugins/build_cache then shares
them with the others, as one just read does (35–40 MB at the peak of a rebuild at 10,000).
"""

from sys import intern


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

    def __reduce__(self):
        mention = getattr(self, "mention", None)
        return entity_record, ((self.name, self.type, self.discovered, self.forms, self.slug, mention and (
            mention.anchor, mention.before, mention.text, mention.after)),)


class EventRecord(Record):
    __slots__ = ("iso_date", "precision", "planned", "anchor", "expression", "actors", "sentence")

    def __reduce__(self):
        return event_record, ((self.iso_date, self.precision, self.planned, self.anchor, self.expression,
                               self.actors, self.sentence),)


def entity_record(row: tuple) -> EntityRecord:
    """The record of an entity row, the strings that recur in many briefings interned (the same
    objects as parse_entities and slug_of give). Fields set one by one: 180,000 entities at
    10,000 briefings."""
    name, kind, discovered, forms, slug, mention = row
    record = EntityRecord()
    record.name, record.type, record.discovered = intern(name), intern(kind), discovered
    record.forms, record.slug = list(map(intern, forms)), intern(slug)
    if mention:
        record.mention = quote = MentionRecord()
        quote.before, quote.text, quote.after = mention[1:]
        quote.anchor = intern(mention[0])  # a paragraph's id ("p-3"): 22 values for 176,000 mentions
    return record


def event_record(row: tuple) -> EventRecord:
    iso_date, precision, planned, anchor, expression, actors, sentence = row
    record = EventRecord()
    record.iso_date, record.precision, record.planned = intern(iso_date), intern(precision), planned
    record.anchor, record.sentence = intern(anchor), sentence
    record.expression = intern(expression)  # "on Tuesday", "last month": 2,900 values for 64,000 sources
    record.actors = list(map(intern, actors))
    return record
