"""Tag pages list their briefings by date with a set look-up, same result as Pelican's scan."""

import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from linear_taxonomy.linear_taxonomy import MembershipList, index_taxonomies  # noqa: E402


def test_membership_is_by_identity_and_follows_changes():
    a, b, c = (SimpleNamespace(slug=s) for s in "abc")
    tagged = MembershipList([a, b])
    assert a in tagged and c not in tagged
    assert SimpleNamespace(slug="a") not in tagged  # another object, even if equal-looking
    tagged.append(c)
    assert c in tagged


def test_tag_lists_in_generator_and_context_are_replaced_in_order():
    a, b, c = (SimpleNamespace(slug=s) for s in "abc")
    tags = {"x": [a, c], "y": [b]}
    generator = SimpleNamespace(tags=tags, categories=[("cat", [a, b, c])], authors=[],
                                context={"tags": list(tags.items()), "categories": None})
    generator.context["categories"] = generator.categories
    index_taxonomies(generator)
    dates = [c, b, a]  # newest first, as Pelican keeps them
    assert [[x for x in dates if x in items] for _, items in generator.context["tags"]] == [[c, a], [b]]
    assert all(isinstance(items, MembershipList) for _, items in generator.context["tags"])
    assert generator.context["tags"][0][1] is generator.tags["x"]
    assert isinstance(generator.context["categories"][0][1], MembershipList)
