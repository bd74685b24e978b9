"""Related briefings: rare shared entities and tags count most, nearness in time a little;
never the briefing itself; reasons given."""

import sys
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from crosslinks.crosslinks import (build_index, feature_weights, link_neighbours_in_time,  # noqa: E402
                                   related_for)


def tag(name):
    return SimpleNamespace(name=name, slug=name.lower())


def entity(name):
    return SimpleNamespace(name=name, slug=name.lower())


def article(slug, tags, day=1, undated=False, entities=()):
    return SimpleNamespace(slug=slug, tags=[tag(t) for t in tags], undated=undated,
                           entities=[entity(e) for e in entities],
                           date=datetime(2021, 1, day, tzinfo=timezone.utc))


def related_in(article_, articles, *arguments):
    """related_for over an index of `articles`."""
    index = build_index(articles)
    return related_for(article_, index, feature_weights(index, len(articles)), *arguments)


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
    related = related_in(a, articles, 500, 5, 0.5, 180)
    assert [item["article"].slug for item in related] == ["near", "far", "undated"]
    assert related[0]["score"] > related[1]["score"] > related[2]["score"]


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
    related = related_in(lone, [lone, one, both, dated], 500, 5, 0.5)
    assert [item["article"].slug for item in related] == ["both", "dated", "one"]
    assert all(item["score"] == item["score"] for item in related)  # no NaN
