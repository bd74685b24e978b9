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
    generator = SimpleNamespace(dates=[c, b, a], articles=[a, b, c], context={}, settings={},
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


def test_a_tag_gets_year_pages_only_past_the_limit():
    from types import SimpleNamespace

    from linear_taxonomy.tag_years import year_pages
    tag = SimpleNamespace(slug="x")
    day = [SimpleNamespace(undated=False, date=SimpleNamespace(year=year)) for year in (2024, 2024, 2021)]
    undated = SimpleNamespace(undated=True)
    settings = {"TAG_ONE_PAGE_MAX": 4, "TAG_YEAR_URL": "tag/{slug}/{year}.html", "TAG_YEAR_SAVE_AS": "t/{slug}/{year}.html"}
    assert year_pages(tag, day + [undated], settings) == []
    assert year_pages(tag, day * 2, {"TAG_YEAR_URL": "", "TAG_YEAR_SAVE_AS": ""}) == []  # no limit: one page
    pages = year_pages(tag, day + [undated, undated], settings)
    assert [(p.year, len(p.briefings), p.url) for p in pages] == [
        (2024, 2, "tag/x/2024.html"), (2021, 1, "tag/x/2021.html"), (None, 2, "tag/x/undated.html")]
    assert pages[0].older == ("2021", "tag/x/2021.html") and pages[1].newer == ("2024", "tag/x/2024.html")
    assert pages[2].newer is None and pages[2].older is None
