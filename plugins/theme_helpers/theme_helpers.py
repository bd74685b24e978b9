"""Jinja filters the theme needs and Jinja lacks."""

from pelican import signals


def most_used(pairs, limit: int | None = None) -> list:
    """(name, items) pairs with the most items first, ties by name: the home page's most-used tags.

    >>> most_used([("b", [1]), ("a", [1]), ("c", [1, 2])])
    [('c', [1, 2]), ('a', [1]), ('b', [1])]
    """
    ranked = sorted(pairs, key=lambda pair: (-len(pair[1]), str(pair[0]).casefold()))
    return ranked[:limit] if limit else ranked


def add_filters(generator) -> None:
    generator.env.filters["most_used"] = most_used


def register() -> None:
    signals.generator_init.connect(add_filters)
