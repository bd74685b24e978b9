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
    tag = SimpleNamespace(slug="x", url="tag/x.html")
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


def test_a_long_year_of_a_tag_gets_a_page_per_month_and_keeps_what_has_no_month():
    """Past TAG_ONE_PAGE_MAX in one year: a page per month, newest first, linked to each other
    and to the year; the year's page keeps their counts and the briefings whose clipping gave
    only the year (their date says January)."""
    from datetime import datetime
    from types import SimpleNamespace

    from linear_taxonomy.tag_years import year_pages
    tag = SimpleNamespace(slug="x", url="tag/x.html")

    def briefing(month, precision="day"):
        return SimpleNamespace(undated=False, date=datetime(2021, month, 3), date_precision=precision)

    in_2021 = [briefing(11), briefing(3), briefing(3, "month"), briefing(1), briefing(1, "year")]
    pages = year_pages(tag, in_2021 + [SimpleNamespace(undated=False, date=datetime(2019, 5, 1))],
                       {"TAG_ONE_PAGE_MAX": 3})
    assert [(p.label, p.url, len(p.briefings)) for p in pages] == [
        ("2021", "tag/x/2021.html", 1), ("November 2021", "tag/x/2021-11.html", 1),
        ("March 2021", "tag/x/2021-03.html", 2), ("January 2021", "tag/x/2021-01.html", 1),
        ("2019", "tag/x/2019.html", 1)]
    year, november, march, january, older = pages
    assert year.briefings == [in_2021[4]] and january.briefings == [in_2021[3]]
    assert year.briefing_count == 5 and [(m.label, m.briefings) for m in year.months] == [
        ("November 2021", 1), ("March 2021", 2), ("January 2021", 1)]
    assert march.up == ("2021", "tag/x/2021.html") and year.up == ("All years of " + str(tag), "tag/x.html")
    assert march.newer == ("November 2021", "tag/x/2021-11.html") and march.older == ("January 2021", "tag/x/2021-01.html")
    assert year.older == ("2019", "tag/x/2019.html") and older.newer == ("2021", "tag/x/2021.html")
