"""Tags from the text: the entities a briefing names most, by their canonical names (so "TTP"
and "Tehreek-e-Taliban Pakistan" make one tag)."""

from functools import cache

from .rules import load


@cache
def not_names() -> frozenset[str]:
    return frozenset(load("keywords")["not_names"].split())


def entity_tags(entities) -> list[str]:
    """The entities named most often, most first (ties in order of first mention)."""
    settings = load("keywords")
    ranked = sorted(entities, key=lambda entity: -entity.count)
    return [entity.name for entity in ranked if entity.count >= settings["min_count"]][: settings["max_tags"]]

