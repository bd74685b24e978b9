"""Related briefings: rare shared entities and tags count most, nearness in time a little;
never the briefing itself; reasons given."""

import os
import random
import sys
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

import crosslinks.crosslinks as crosslinks  # noqa: E402
from crosslinks.crosslinks import (DEFAULTS, build_index, crosslink, feature_weights,  # noqa: E402
                                   link_neighbours_in_time, ranked, related_for, related_lists)


def tag(name):
    return SimpleNamespace(name=name, slug=name.lower())


def entity(name):
    return SimpleNamespace(name=name, slug=name.lower())


def article(slug, tags, day=1, undated=False, entities=()):
    return SimpleNamespace(slug=slug, tags=[tag(t) for t in tags], undated=undated,
                           entities=[entity(e) for e in entities],
                           date=datetime(2021, 1, day, tzinfo=timezone.utc))


def related_in(article_, articles, *arguments, rank=related_for):
    """related_for (or `rank`) over an index of `articles`."""
    index = build_index(articles)
    return rank(article_, index, feature_weights(index, len(articles)), *arguments)


def test_rare_shared_tags_rank_first():
    a = article("a", ["Pakistan", "TTP"])
    common = article("common", ["Pakistan"])
    rare = article("rare", ["TTP"])
    others = [article(f"x{i}", ["Pakistan"]) for i in range(5)]
    articles = [a, common, rare, *others]
    related = related_in(a, articles, 500, 3)
    assert related[0]["article"] is rare and related[0]["shared"] == ["TTP"]
    assert all(item["article"] is not a for item in related)


def test_briefings_sharing_nothing_are_not_related():
    a, b = article("a", ["Kabul"]), article("b", ["Lahore"])
    assert related_in(a, [a, b], 500, 5) == []


def test_neighbours_in_time_skip_undated():
    first, second, undated = article("a", [], 1), article("b", [], 2), article("u", [], undated=True)
    link_neighbours_in_time([second, undated, first])
    assert first.later is second and second.earlier is first
    assert undated.earlier is None and undated.later is None


def test_shared_entities_are_reasons_and_a_tag_naming_one_counts_once():
    a = article("a", ["TTP"], entities=["TTP", "Islamabad", "Pakistan"])
    b = article("b", ["TTP"], entities=["TTP", "Islamabad", "Pakistan"])
    c = article("c", [], entities=["Pakistan"])
    articles = [a, b, c]
    related = related_in(a, articles, 500, 5)
    assert [item["article"] for item in related] == [b, c]
    assert related[0]["shared"] == ["Islamabad", "TTP", "Pakistan"]  # rarest first, TTP once


def test_nearness_in_time_breaks_even_scores():
    a = article("a", [], day=10, entities=["Kabul"])
    far = article("far", [], day=1, entities=["Kabul"])
    near = article("near", [], day=11, entities=["Kabul"])
    undated = article("undated", [], undated=True, entities=["Kabul"])
    articles = [a, far, undated, near]
    best = related_in(a, articles, 500, 5, 0.5, 180, rank=ranked)
    assert [other.slug for _, other, _ in best] == ["near", "far", "undated"]
    assert best[0][0] > best[1][0] > best[2][0]  # by score, not only by the tie-break


def test_cost_grows_with_what_is_shared_not_with_every_pair():
    """A briefing is only compared with the briefings in its postings lists."""
    lonely = article("lonely", [], entities=["Zhob"])
    crowd = [article(f"x{i}", [], entities=["Kabul"]) for i in range(2000)]
    articles = [lonely, *crowd]
    index = build_index(articles)
    assert related_for(lonely, index, feature_weights(index, len(articles)), 500, 5) == []
    assert len(index["entity:kabul"]) == 2000 and index["entity:zhob"] == [lonely]


def test_an_undated_briefing_gets_related_ones_by_what_they_share():
    """Undated briefings are infinitely far in time from every other, undated ones included:
    their scores stay numbers and rank by what they share."""
    lone = article("lone", ["TTP", "Kabul"], undated=True)
    both = article("both", ["TTP", "Kabul"], undated=True)
    one = article("one", ["TTP"], undated=True)
    dated = article("dated", ["TTP"], day=3)
    best = related_in(lone, [lone, one, both, dated], 500, 5, 0.5, rank=ranked)
    assert [other.slug for _, other, _ in best] == ["both", "dated", "one"]
    assert all(score == score for score, _, _ in best)  # no NaN


# A rebuild recomputes only the lists that can differ (`affected`); the others are the last
# build's. Whatever changed, every list must be the one a build from nothing gives.

NAMES = ["TTP", "Kabul", "Pakistan", "Islamabad", "Taliban", "Zhob", "Quetta", "Delhi"]
OPTIONS = [3, 6, 0.5, 180]  # a low postings limit, so that some keys become too common


def random_article(rng, slug):
    return article(slug, rng.sample(NAMES, rng.randint(0, 3)), day=rng.randint(1, 28),
                   undated=rng.random() < 0.1, entities=rng.sample(NAMES, rng.randint(0, 3)))


def lists(articles):
    return {a.slug: [(item["article"].slug, item["shared"]) for item in a.related]
            for a in articles}


def edited(rng, articles):
    """A copy of the briefings with one to three of them changed, added or deleted."""
    copies = [article(a.slug, [t.name for t in a.tags], a.date.day, a.undated,
                      [e.name for e in a.entities]) for a in articles]
    for _ in range(rng.randint(1, 3)):
        choice, position = rng.random(), rng.randrange(len(copies))
        if choice < 0.3:
            copies[position].tags = [tag(name) for name in rng.sample(NAMES, rng.randint(0, 3))]
        elif choice < 0.5:
            copies[position].entities = [entity(n) for n in rng.sample(NAMES, rng.randint(0, 3))]
        elif choice < 0.65:
            copies[position] = article(copies[position].slug, [t.name for t in copies[position].tags],
                                       rng.randint(1, 28), entities=[e.name for e in copies[position].entities])
        elif choice < 0.75:
            copies[position].slug += "-renamed"
        elif choice < 0.85:
            copies.append(random_article(rng, f"new{rng.randrange(10**6)}"))
        elif len(copies) > 2:
            del copies[position]
    return copies


def test_a_rebuild_gives_the_lists_of_a_build_from_nothing():
    rng = random.Random(7)
    for _ in range(200):
        articles = [random_article(rng, f"a{i}") for i in range(rng.randint(3, 25))]
        last = crosslink(articles, OPTIONS)
        for _ in range(3):
            articles = edited(rng, articles)
            last = crosslink(articles, OPTIONS, last)
            kept = lists(articles)
            crosslink(articles, OPTIONS)
            assert kept == lists(articles)


def test_only_the_lists_an_edit_can_change_are_computed_again():
    a = article("a", ["TTP"], entities=["Kabul"])
    b = article("b", ["TTP"])
    c = article("c", ["Zhob"])
    d = article("d", ["Zhob"], day=2)
    last = crosslink([a, b, c, d], OPTIONS)
    a.tags = []  # a drops the tag TTP

    assert redone(last, [a, b, c, d]) == {"a", "b"}  # c and d share nothing with what changed
    assert redone(last, [a, b, c, d, article("e", ["Zhob"])]) == {"a", "b", "c", "d", "e"}  # one more: all


def test_a_key_too_common_to_rank_by_does_not_spread_an_edit():
    """Seven briefings have Pakistan, one more than OPTIONS lets a key rank by: a date edited
    in one of them changes no other list through it, until the key is rare enough to count."""
    a = article("a", ["Pakistan", "TTP"])
    b = article("b", ["Pakistan", "TTP"], day=2)
    others = [article(f"p{n}", ["Pakistan"], day=3 + n) for n in range(5)]
    articles = [a, b, *others]
    last = crosslink(articles, OPTIONS)
    a.date = a.date.replace(day=20)
    assert redone(last, articles) == {"a", "b"}  # b shares TTP with it
    last = crosslink(articles, OPTIONS)
    others[0].tags = [tag("Zhob")]  # Pakistan comes down to six briefings: lists rank by it now
    assert redone(last, articles) == {"a", "b", "p0", "p1", "p2", "p3", "p4"}


def redone(last, articles, options=OPTIONS) -> set[str]:
    """The lists `crosslink` computes again."""
    computed = set()
    def counting(share, rank):
        computed.update(article.slug for article in share)
        return related_lists(share, rank)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(crosslinks, "related_lists", counting)
        crosslink(articles, options, last)
    return computed


def test_a_date_edited_recomputes_only_the_lists_it_was_on_or_joins():
    """Four briefings share TTP with m, but each ranks the three others above it whatever
    the dates (they share two rarer keys): moving m changes none of their lists. z lists m,
    and z2 will."""
    options = [3, 10, 0.5, 180]
    xs = [article(f"x{n}", ["TTP", "Zhob", "Quetta"], day=n) for n in range(1, 5)]
    m, z, z2 = article("m", ["TTP"], day=10), article("z", ["TTP"], day=28), article("z2", ["TTP"], day=1)
    articles = [*xs, m, z, z2]
    last = crosslink(articles, options)
    assert "m" in lists([z])["z"][0] and all("m" not in str(lists([x])) for x in [*xs, z2])
    m.date = m.date.replace(day=1)
    assert redone(last, articles, options) == {"m", "z", "z2"}
    kept = lists(articles)
    crosslink(articles, options)
    assert kept == lists(articles)
    assert "m" in str(lists([z2]))


def test_many_dates_edited_give_the_lists_of_a_build_from_nothing():
    rng = random.Random(11)
    for _ in range(200):
        articles = [random_article(rng, f"a{i}") for i in range(rng.randint(3, 25))]
        last = crosslink(articles, OPTIONS)
        for moved in rng.sample(articles, rng.randint(1, min(4, len(articles)))):
            moved.date, moved.undated = moved.date.replace(day=rng.randint(1, 28)), rng.random() < 0.1
        last = crosslink(articles, OPTIONS, last)
        kept = lists(articles)
        crosslink(articles, OPTIONS)
        assert kept == lists(articles)



def test_adding_a_briefing_leaves_the_others_lists_as_their_pages_show_them():
    """Adding a briefing changes every weight a little, but a page shows only which briefings
    are related and what they share: what it is given must not change (every briefing page
    would otherwise be rendered again, see plugins/parallel_render/reuse.py)."""
    a, b = article("a", ["TTP", "Zhob"]), article("b", ["TTP", "Zhob"], day=2)
    crosslink([a, b], OPTIONS)
    before = a.related
    crosslink([a, b, article("c", ["Zhob"], day=20)], OPTIONS)
    assert a.related[0] == before[0]


def test_two_briefings_with_one_slug_are_computed_every_time():
    twins = [article("a", ["TTP"]), article("a", ["TTP"], day=2), article("b", ["TTP"])]
    assert crosslink(twins, OPTIONS) is None


def test_options_are_in_defaults_order():
    assert list(DEFAULTS) == ["RELATED_MAX", "RELATED_MAX_POSTINGS", "RELATED_TIME_WEIGHT",
                              "RELATED_TIME_SCALE_DAYS"]


two_cores = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="a second process needs two cores")


@two_cores
def test_lists_computed_in_two_processes_are_the_lists_of_one(monkeypatch):
    rng = random.Random(11)
    articles = [random_article(rng, f"a{i}") for i in range(60)]
    crosslink(articles, OPTIONS)
    alone = lists(articles)
    monkeypatch.setattr(crosslinks, "SPLIT_AT", 2)
    crosslink(articles, OPTIONS)
    assert lists(articles) == alone
    assert sum(map(len, alone.values())) > 40  # not a list of empty lists


@two_cores
def test_when_the_second_process_fails_its_lists_are_computed_here(monkeypatch, caplog):
    monkeypatch.setattr(crosslinks, "SPLIT_AT", 2)
    articles = [article(f"a{i}", ["TTP"], day=i + 1) for i in range(6)]
    here = os.getpid()

    def rank(one):
        if os.getpid() != here:
            raise MemoryError("the second process")
        return [{"article": other, "shared": ["TTP"]} for other in articles if other is not one][:2]

    kept = related_lists(articles, rank)
    assert sorted(kept) == [a.slug for a in articles]
    assert "the second process failed; its 3 related lists computed here" in caplog.text


def test_the_last_builds_state_is_kept_in_the_build_cache_at_its_save(tmp_path, monkeypatch):
    """Put at the save, not during the build (see build_cache.spill_after), and found by the
    next build."""
    import build_cache.build_cache as build_cache  # noqa: PLC0415

    monkeypatch.setattr(build_cache, "STORE", build_cache.Store(tmp_path, "salt"))
    state = ({"a": b"1"}, {"a": b"2"}, {}, {"a": ["b"]})
    crosslinks.LastBuild(["options"]).keep(state)
    assert not build_cache.STORE.db.in_transaction
    build_cache.STORE.save()
    monkeypatch.setattr(build_cache, "STORE", build_cache.Store(tmp_path, "salt"))
    assert crosslinks.LastBuild(["options"]).state == state
    assert crosslinks.LastBuild(["other options"]).state is None
