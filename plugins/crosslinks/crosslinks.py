"""Cross-links between briefings: related briefings with their reasons, and neighbours in time.

Related briefings share tags; a rare tag counts for more than a common one (inverse document
frequency). Candidates come from an inverted index (tag → briefings), so a briefing is only
compared with briefings it shares something with, never with every other one. Tags shared by
more than RELATED_MAX_POSTINGS briefings are too common to suggest a link on their own.
"""

import math
from collections import defaultdict

from pelican import signals

DEFAULTS = {"RELATED_MAX": 5, "RELATED_MAX_POSTINGS": 500}


def setting(generator, name):
    return generator.settings.get(name, DEFAULTS[name])


def tag_weights(articles) -> dict[str, float]:
    """Inverse document frequency of each tag slug over the briefings."""
    counts: dict[str, int] = defaultdict(int)
    for article in articles:
        for slug in {tag.slug for tag in getattr(article, "tags", [])}:
            counts[slug] += 1
    total = len(articles)
    return {slug: math.log((total + 1) / count) for slug, count in counts.items()}


def build_index(articles) -> dict[str, list]:
    index: dict[str, list] = defaultdict(list)
    for article in articles:
        for slug in {tag.slug for tag in getattr(article, "tags", [])}:
            index[slug].append(article)
    return index


def related_for(article, index, weights, max_postings: int, limit: int) -> list[dict]:
    """The best `limit` briefings sharing tags with `article`, each with the tags it shares."""
    names = {tag.slug: tag.name for tag in getattr(article, "tags", [])}
    scores: dict[int, float] = defaultdict(float)
    shared: dict[int, list[str]] = defaultdict(list)
    others = {}
    for slug in sorted(names, key=lambda s: -weights[s]):
        postings = index[slug]
        if len(postings) > max_postings:
            continue
        for other in postings:
            if other is article:
                continue
            key = id(other)
            others[key] = other
            scores[key] += weights[slug]
            shared[key].append(names[slug])
    ranked = sorted(scores, key=lambda key: (-scores[key], distance(article, others[key]),
                                             others[key].slug))
    return [{"article": others[key], "score": round(scores[key], 3), "shared": shared[key]}
            for key in ranked[:limit]]


def distance(article, other) -> float:
    """Days between two briefings; undated briefings are as far as can be."""
    if getattr(article, "undated", False) or getattr(other, "undated", False):
        return math.inf
    return abs((article.date - other.date).total_seconds()) / 86400


def link_neighbours_in_time(articles) -> None:
    """`earlier` and `later`: the dated briefings just before and after, for prev/next links."""
    dated = sorted((a for a in articles if not getattr(a, "undated", False)),
                   key=lambda a: (a.date, a.slug))
    for article in articles:
        article.earlier = article.later = None
    for before, after in zip(dated, dated[1:]):
        after.earlier, before.later = before, after


def add_crosslinks(generator) -> None:
    articles = generator.articles
    weights = tag_weights(articles)
    index = build_index(articles)
    limit, max_postings = setting(generator, "RELATED_MAX"), setting(generator, "RELATED_MAX_POSTINGS")
    for article in articles:
        article.related = related_for(article, index, weights, max_postings, limit)
    link_neighbours_in_time(articles)


def register() -> None:
    signals.article_generator_finalized.connect(add_crosslinks)
