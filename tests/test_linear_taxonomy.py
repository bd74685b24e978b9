"""Tag, category and author pages get the same dated lists as Pelican's scan, without it."""

import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from linear_taxonomy.linear_taxonomy import dated, linear_term_pages  # noqa: E402


def article(slug):
    return SimpleNamespace(slug=slug)


class Term(SimpleNamespace):
    __hash__ = object.__hash__  # terms are dictionary keys, as Pelican's Tag objects are


def test_dated_lists_follow_the_date_order_once_each():
    a, b, c, d = (article(s) for s in "abcd")
    dates = [c, a, d, b]  # newest first, as Pelican keeps them
    position = {id(x): i for i, x in enumerate(dates)}
    tagged = [a, b, c, a]  # a tag given twice on one briefing lists it twice here
    assert dated(tagged, position) == [x for x in dates if x in tagged] == [c, a, b]
    assert dated([article("a")], position) == []  # another object, even if equal-looking


def test_each_term_page_is_written_with_its_dated_briefings():
    a, b, c = (article(s) for s in "abc")
    term = Term(save_as="tag/x.html", url="tag/x.html", page_name="tag/x", slug="x")
    author = Term(save_as="", url="", page_name="", slug="someone")
    generator = SimpleNamespace(dates=[c, b, a], articles=[a, b, c], context={},
                                tags={term: [a, c]}, categories=[], authors=[(author, [b])],
                                get_template=lambda name: f"<{name} template>")
    linear_term_pages(generator)
    calls = []
    generator.generate_tags(lambda *args, **kwargs: calls.append((args, kwargs)))
    generator.generate_authors(lambda *args, **kwargs: calls.append((args, kwargs)))
    (tag_args, tag_kwargs), (author_args, author_kwargs) = calls
    assert tag_args == ("tag/x.html", "<tag template>", {})
    assert tag_kwargs["tag"] is term and tag_kwargs["dates"] == [c, a]
    assert tag_kwargs["articles"] == [a, c] and tag_kwargs["template_name"] == "tag"
    assert author_args[0] == "" and author_kwargs["author"] is author and author_kwargs["dates"] == [b]
