"""Related briefings: rare shared tags count most; never the briefing itself; reasons given."""

import sys
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from crosslinks.crosslinks import build_index, link_neighbours_in_time, related_for, tag_weights  # noqa: E402


def tag(name):
    return SimpleNamespace(name=name, slug=name.lower())


def article(slug, tags, day=1, undated=False):
    return SimpleNamespace(slug=slug, tags=[tag(t) for t in tags], undated=undated,
                           date=datetime(2021, 1, day, tzinfo=timezone.utc))


def test_rare_shared_tags_rank_first():
    a = article("a", ["Pakistan", "TTP"])
    common = article("common", ["Pakistan"])
    rare = article("rare", ["TTP"])
    others = [article(f"x{i}", ["Pakistan"]) for i in range(5)]
    articles = [a, common, rare, *others]
    related = related_for(a, build_index(articles), tag_weights(articles), 500, 3)
    assert related[0]["article"] is rare and related[0]["shared"] == ["TTP"]
    assert all(item["article"] is not a for item in related)


def test_briefings_sharing_nothing_are_not_related():
    a, b = article("a", ["Kabul"]), article("b", ["Lahore"])
    assert related_for(a, build_index([a, b]), tag_weights([a, b]), 500, 5) == []


def test_neighbours_in_time_skip_undated():
    first, second, undated = article("a", [], 1), article("b", [], 2), article("u", [], undated=True)
    link_neighbours_in_time([second, undated, first])
    assert first.later is second and second.earlier is first
    assert undated.earlier is None and undated.later is None
