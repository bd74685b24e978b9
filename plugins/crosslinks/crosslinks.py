"""Cross-links between briefings: related briefings with their reasons, and neighbours in time.

Related briefings share entities and tags; a rare one counts for more than a common one
(inverse document frequency), and a briefing close in time gets a little more. Candidates come
from an inverted index (entity or tag → briefings), so a briefing is only compared with
briefings it shares something with, never with every other one: the cost grows with the number
of briefings, not with its square. Keys shared by more than RELATED_MAX_POSTINGS briefings are
too common to suggest a link on their own. Each link keeps its reason: the names it shares,
rarest first ("shares TTP, Islamabad").

A rebuild computes again only the related briefings that can differ from the last build's
(`affected`): those of a briefing whose entities, tags, date or slug changed, those of every
briefing sharing an entity or tag whose list of briefings changed, unless that key is too common
to rank by, in this build and the last, and those a briefing whose date changed leaves or
enters (it was on the list, or it now ranks above the list's last). A date edited in a
briefing about Pakistan redid 979 of 981 lists at 1,000 briefings at first, then 277 (every
briefing sharing a key with it), now a handful. The last build's inputs (as digests) and lists
are kept in plugins/build_cache (when it is loaded), so only a build that succeeded leaves
them; compactly, since they are held while every briefing is in memory.
"""

import hashlib
import heapq
import logging
import marshal
import math
import os
import sys
from collections import defaultdict
from pathlib import Path

from pelican import signals

from briefing.cores import usable_cores

log = logging.getLogger(__name__)

DEFAULTS = {"RELATED_MAX": 5, "RELATED_MAX_POSTINGS": 200, "RELATED_TIME_WEIGHT": 0.5,
            "RELATED_TIME_SCALE_DAYS": 180}
SPLIT_AT = 200  # related lists to compute before a second process pays for its fork


def setting(generator, name):
    return generator.settings.get(name, DEFAULTS[name])


def features(article) -> dict[str, str]:
    """What a briefing can share with another, key → name: its entities, then its tags (a tag
    that names one of its entities is the same thing, counted once)."""
    keys = {f"entity:{entity.slug}": entity.name for entity in getattr(article, "entities", [])}
    names = {name.casefold() for name in keys.values()}
    for tag in getattr(article, "tags", []):
        if tag.name.casefold() not in names:
            keys[f"tag:{tag.slug}"] = tag.name
    return keys


def feature_weights(index: dict[str, list], total: int) -> dict[str, float]:
    """Inverse document frequency of each entity and tag over the briefings."""
    return {key: math.log((total + 1) / len(postings)) for key, postings in index.items()}


def build_index(articles, article_features=None) -> dict[str, list]:
    """Entity or tag key → the briefings that have it."""
    index: dict[str, list] = defaultdict(list)
    for article in articles:
        keys = features(article) if article_features is None else article_features[id(article)]
        for key in keys:
            index[key].append(article)
    return index


def related_for(article, *arguments, **options) -> list[dict]:
    """`article`'s related list as its page shows it (arguments as for `ranked`): each briefing
    with the names it shares. Not the score, which no page shows: adding a briefing shifts
    every score a little, and each briefing page would be rendered again for it."""
    return [{"article": other, "shared": shared} for _, other, shared in ranked(article, *arguments, **options)]


def ranked(article, index, weights, max_postings: int, limit: int, time_weight: float = 0.0,
           time_scale: float = 180, names=None, seconds=None) -> list[tuple[float, object, list]]:
    """The best `limit` briefings sharing entities or tags with `article`, best first, as
    (score, briefing, names shared). `names`: the article's features, `seconds`: every
    briefing's time (see `times`), when the caller has them already."""
    names = features(article) if names is None else names
    seconds = times(others_in(index) | {id(article): article}) if seconds is None else seconds
    scores: dict[int, float] = {}
    shared: dict[int, list[str]] = {}
    others = {}
    for key in ranking_keys(names, index, weights, max_postings):
        weight, name = weights[key], names[key]
        for other in index[key]:
            if other is article:
                continue
            number = id(other)
            if number in scores:
                scores[number] += weight
                shared[number].append(name)
            else:
                scores[number], shared[number], others[number] = weight, [name], other
    mine = seconds[id(article)]
    days = {number: distance(mine, seconds[number]) for number in others}
    for number in others:
        scores[number] += time_weight * nearness(days[number], time_scale)
    # Only the best few are wanted: a bounded heap, not a sort of every candidate.
    best = heapq.nsmallest(limit, scores, key=lambda n: (-scores[n], days[n], others[n].slug))
    return [(scores[number], others[number], shared[number]) for number in best]


def ranking_keys(names: dict, index, weights, max_postings: int) -> list[str]:
    """A briefing's keys that rank its candidates, in the order their weights are added (the
    order fixes the sum to the last bit)."""
    return [key for key in sorted(names, key=lambda k: (-weights[k], k)) if len(index[key]) <= max_postings]


def distance(mine: float, theirs: float) -> float:
    """Days between two briefings' times (see `times`)."""
    return math.inf if math.isinf(mine) else abs(theirs - mine) / 86400


def rank_order(article, other, keys: list[str], weights, other_names, time_weight: float,
               time_scale: float, seconds) -> tuple:
    """Where `other` falls among `article`'s candidates, as `ranked` sorts them (keys: the
    article's `ranking_keys`, other_names: the other's features)."""
    score = None
    for key in keys:
        if key in other_names:
            score = weights[key] if score is None else score + weights[key]
    days = distance(seconds[id(article)], seconds[id(other)])
    return -(score + time_weight * nearness(days, time_scale)), days, other.slug


def others_in(index) -> dict[int, object]:
    return {id(article): article for postings in index.values() for article in postings}


def times(articles: dict[int, object]) -> dict[int, float]:
    """Each briefing's time in seconds from a common origin (whole seconds: differences are
    exact); undated briefings are infinitely far from all others."""
    dated = [a for a in articles.values() if not getattr(a, "undated", False)]
    origin = dated[0].date if dated else None
    return {number: math.inf if getattr(a, "undated", False) else (a.date - origin).total_seconds()
            for number, a in articles.items()}


def nearness(days: float, scale: float) -> float:
    """1 for the same day, falling towards 0 as briefings are further apart; 0 if undated."""
    return 0.0 if math.isinf(days) else 1 / (1 + days / scale)


def link_neighbours_in_time(articles) -> None:
    """`earlier` and `later`: the dated briefings just before and after, for prev/next links."""
    dated = sorted((a for a in articles if not getattr(a, "undated", False)),
                   key=lambda a: (a.date, a.slug))
    for article in articles:
        article.earlier = article.later = None
    for before, after in zip(dated, dated[1:]):
        after.earlier, before.later = before, after


def add_crosslinks(generator) -> None:
    last = LastBuild([setting(generator, name) for name in DEFAULTS])
    last.keep(crosslink(generator.articles, last.options, last.state))
    link_neighbours_in_time(generator.articles)


def crosslink(articles, options: list, last: tuple | None = None) -> tuple | None:
    """Give each briefing its `related` list (options: DEFAULTS' values, in order). Return what
    the next build needs (see `state`); `last` is what the last build returned. The lists of
    the briefings not `affected` since then are the last build's."""
    limit, max_postings, time_weight, time_scale = options
    article_features = {id(article): features(article) for article in articles}
    index = build_index(articles, article_features)
    weights = feature_weights(index, len(articles))
    seconds = times({id(article): article for article in articles})

    def rank(article) -> list[dict]:
        return related_for(article, index, weights, max_postings, limit, time_weight, time_scale,
                           article_features[id(article)], seconds)

    now = state(articles, article_features, index, max_postings)
    if len(now[0]) != len(articles):  # two briefings share a slug: lists can't be kept by slug
        for article in articles:
            article.related = rank(article)
        return None
    by_slug = {article.slug: article for article in articles}

    def enters_or_leaves(article, moved) -> bool:
        """Whether `moved`, whose date changed, may change `article`'s last list."""
        listed = [slug for slug, _ in marshal.loads(last[3][article.slug])]
        if not listed or moved.slug in listed or len(listed) < limit or listed[-1] not in by_slug:
            return True
        keys = ranking_keys(article_features[id(article)], index, weights, max_postings)
        def order(other):
            return rank_order(article, other, keys, weights, article_features[id(other)],
                              time_weight, time_scale, seconds)
        return order(moved) < order(by_slug[listed[-1]])

    redo = affected(last, now, article_features, articles, enters_or_leaves) if last else None
    related = related_lists([article for article in articles if redo is None or article.slug in redo], rank)
    for article in articles:
        if article.slug not in related:
            related[article.slug] = last[3][article.slug]
        article.related = [{"article": by_slug[slug], "shared": shared}
                           for slug, shared in marshal.loads(related[article.slug])]
    return (*now, related)


def related_lists(articles: list, rank) -> dict[str, bytes]:
    """Each briefing's related list (`rank`) as it is kept, by slug: marshal's bytes of (slug,
    names shared) pairs. With SPLIT_AT lists or more and two cores, a forked process computes
    every other one (every other, not the second half: the costly lists are not spread
    evenly); if it fails, this process computes them too. At 10,000 briefings the ranking took
    3.5 s of one core while the other was idle."""
    def kept(share: list) -> dict[str, bytes]:
        return {article.slug: marshal.dumps([(item["article"].slug, item["shared"]) for item in rank(article)])
                for article in share}

    if len(articles) < SPLIT_AT or usable_cores() < 2:
        return kept(articles)
    mine, theirs = articles[::2], articles[1::2]
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # never returns: ends with os._exit, as a fork must
        status = 1
        try:
            os.close(reading)
            with os.fdopen(writing, "wb") as pipe:
                pipe.write(marshal.dumps(kept(theirs)))
            status = 0
        finally:
            os._exit(status)
    os.close(writing)
    lists = kept(mine)
    with os.fdopen(reading, "rb") as pipe:
        handed_back = pipe.read()
    if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0:
        return lists | marshal.loads(handed_back)
    log.warning("crosslinks: the second process failed; its %d related lists computed here", len(theirs))
    return lists | kept(theirs)


def state(articles, article_features: dict, index: dict, max_postings: int) -> tuple[dict, dict, dict]:
    """What a briefing's related list is computed from, as digests: each briefing's features
    and signature, by slug; each briefing's signature, by slug; the briefings under each key,
    by their slugs (a key's weight depends on how many there are). Keys with more than
    `max_postings` briefings are left out: no list is ranked by them, so none depends on who
    has them (a key that becomes too common, or stops being, is in one build's digests and not
    the other's: it counts as changed)."""
    signatures = {article.slug: digest(signature(article)) for article in articles}
    digests = {article.slug: digest((sorted(article_features[id(article)].items()), signatures[article.slug]))
               for article in articles}
    members = {key: digest("\0".join(sorted([article.slug for article in postings])).encode("utf-8", "surrogatepass"))
               for key, postings in index.items() if len(postings) <= max_postings}
    return digests, signatures, members


def signature(article) -> tuple:
    """What of a briefing, besides its features, the related lists it appears in depend on."""
    undated = getattr(article, "undated", False)
    return article.slug, undated, "" if undated else article.date.isoformat()


def digest(value) -> bytes:
    data = value if isinstance(value, bytes) else repr(value).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).digest()


def affected(last: tuple, now: tuple, article_features: dict, articles, enters_or_leaves) -> set[str]:
    """The briefings whose related list may differ from the last build's (`last`, `now`:
    `state` and the lists, `state`). A briefing's list depends on its own features and date,
    on the briefings under each of its keys and on those keys' weights, which depend on how
    many briefings there are and how many have the key; and on the dates of those briefings,
    of which one whose date changed counts only where `enters_or_leaves(article, it)`."""
    last_digests, last_signatures, last_members, last_related = last
    digests, signatures, members = now
    if len(last_digests) != len(digests):
        return set(digests)
    redo = {slug for slug, value in digests.items()
            if last_digests.get(slug) != value or slug not in last_related}
    changed_keys = {key for key in members.keys() | last_members.keys()
                    if members.get(key) != last_members.get(key)}
    moved_under = defaultdict(list)  # an unchanged key → its briefings whose date changed
    for article in articles:
        if last_signatures.get(article.slug, signatures[article.slug]) != signatures[article.slug]:
            for key in article_features[id(article)].keys() & members.keys() - changed_keys:
                moved_under[key].append(article)
    for article in articles:
        if article.slug in redo:
            continue
        keys = article_features[id(article)]
        if not changed_keys.isdisjoint(keys) or any(
                enters_or_leaves(article, moved) for key in keys.keys() & moved_under.keys()
                for moved in moved_under[key] if moved is not article):
            redo.add(article.slug)
    return redo


class LastBuild:
    """The last build's `crosslink` state, kept in plugins/build_cache under the options and
    this module's code; None when that plugin is not loaded or kept nothing."""

    def __init__(self, options: list):
        self.options = options
        self.store = getattr(sys.modules.get("build_cache.build_cache"), "STORE", None)
        self.key = None if self.store is None else self.store.key(
            "crosslinks, last build", options, code_version())
        found = None if self.store is None else self.store.get(self.key)
        self.state = found if isinstance(found, tuple) and len(found) == 4 else None

    def keep(self, state: tuple | None) -> None:
        """Kept when the build saves its cache (1.4 MB at 10,000 briefings: see
        build_cache.spill_after)."""
        if self.store is not None and state is not None:
            self.store.put_at_save(self.key, state)


def code_version() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def register() -> None:
    signals.article_generator_finalized.connect(add_crosslinks)
