"""Tag, category and author pages in linear time.

Pelican's `generate_tags` (and the category and author pages) lists each tag's briefings by date
with `[a for a in self.dates if a in articles]`: for every tag, every briefing is looked up in a
list, which is quadratic in the number of briefings (9 s at 10,000 in PELICAN-NOTES.md). Here
each such list answers `in` from a set of object identities; what it contains and its order
are unchanged, so the pages are the same.
"""

from pelican import signals


class MembershipList(list):
    """A list whose `in` is a set look-up by identity (content objects compare by identity)."""

    def __contains__(self, item) -> bool:
        if getattr(self, "_size", None) != len(self):  # built on first use, rebuilt if changed
            self._ids, self._size = {id(value) for value in self}, len(self)
        return id(item) in self._ids


def index_taxonomies(generator) -> None:
    replaced = {}  # id(old list) → its MembershipList, so every holder gets the same object
    for tag, articles in generator.tags.items():
        generator.tags[tag] = replaced[id(articles)] = MembershipList(articles)
    for name in ("categories", "authors"):
        pairs = getattr(generator, name)
        for position, (key, articles) in enumerate(pairs):
            pairs[position] = (key, replaced.setdefault(id(articles), MembershipList(articles)))
    for name in ("tags", "categories", "authors"):
        value = generator.context.get(name)
        if isinstance(value, list):
            value[:] = [swapped(pair, replaced) for pair in value]


def swapped(pair, replaced: dict):
    if isinstance(pair, tuple) and len(pair) == 2:
        return pair[0], replaced.get(id(pair[1]), pair[1])
    return pair


def register() -> None:
    signals.article_generator_finalized.connect(index_taxonomies)
