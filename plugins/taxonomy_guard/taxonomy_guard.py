"""Give every tag a unique, non-empty slug.

Pelican makes a tag's file name from its slug, so tags that slugify alike ("C++" and "C#" both
become "c", getpelican/pelican#2658) would share one page, and a tag of only punctuation would get
an empty one. Before Pelican groups articles by tag, this plugin gives each distinct tag name its
own slug (the alphabetically first name keeps the plain slug, the others get "-2", "-3" …) and
logs a warning naming the briefings involved.
"""

import hashlib
import logging
from collections import defaultdict

from pelican import signals

log = logging.getLogger(__name__)


def distinct_slugs(names_by_slug: dict[str, set[str]]) -> dict[str, str]:
    """Map each tag name (case-folded) to a slug no other name has.

    >>> sorted(distinct_slugs({"c": {"c++", "c#"}}).items())
    [('c#', 'c'), ('c++', 'c-2')]
    """
    taken = set(names_by_slug)
    result: dict[str, str] = {}
    for slug in sorted(names_by_slug):
        for position, name in enumerate(sorted(names_by_slug[slug])):
            if not slug:
                new = "tag-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
            elif position == 0:
                new = slug
            else:
                number = position + 1
                while f"{slug}-{number}" in taken:
                    number += 1
                new = f"{slug}-{number}"
            taken.add(new)
            result[name] = new
    return result


def guard_tag_slugs(generator) -> None:
    names_by_slug: dict[str, set[str]] = defaultdict(set)
    sources: dict[str, set[str]] = defaultdict(set)
    slug_of: dict[str, str] = {}  # each briefing has Tag objects of its own: one slugify per name
    for article in generator.articles:
        for tag in getattr(article, "tags", []):
            if tag.name in slug_of:
                tag.slug = slug_of[tag.name]
            else:
                slug_of[tag.name] = tag.slug
            names_by_slug[tag.slug].add(tag.name.casefold())
            # a briefing is named by its seed; a relative path costs a relpath per tag
            sources[tag.name.casefold()].add(getattr(article, "seed", None) or article.relative_source_path)
    slugs = distinct_slugs(names_by_slug)
    for slug, names in sorted(names_by_slug.items()):
        if len(names) > 1 or not slug:
            files = sorted(set().union(*(sources[name] for name in names)))
            log.warning("tags %s slugify to %r: given distinct pages (%s) — in %s",
                        ", ".join(sorted(names)), slug,
                        ", ".join(slugs[name] for name in sorted(names)), ", ".join(files))
    for article in generator.articles:
        for tag in getattr(article, "tags", []):
            if tag.slug != slugs[tag.name.casefold()]:
                tag.slug = slugs[tag.name.casefold()]


def register() -> None:
    signals.article_generator_pretaxonomy.connect(guard_tag_slugs)
