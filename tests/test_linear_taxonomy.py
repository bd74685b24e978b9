"""Tag, category and author pages get the same dated lists as Pelican's scan, without it."""

import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from pelican.utils import process_translations  # noqa: E402

from linear_taxonomy.linear_taxonomy import dated, linear_term_pages  # noqa: E402
from linear_taxonomy.translations import by_group, install  # noqa: E402


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


def item(slug, lang="en", translation="false", name=""):
    """What Pelican's process_translations reads of a content object."""
    return SimpleNamespace(slug=slug, lang=lang, in_default_lang=lang == "en", source_path=f"{slug}-{lang}{name}.md",
                           metadata={"translation": translation}, translations=None)


def test_translations_found_group_by_group_are_pelicans(monkeypatch):
    """The same originals, translations and translation lists, in the same order, with the same
    warnings, as Pelican's scan of the whole list."""
    import pelican.utils  # noqa: PLC0415

    warnings = []  # as Pelican logs them (its log filter lets a message through once a process)
    monkeypatch.setattr(pelican.utils, "logger", SimpleNamespace(warning=lambda *args: warnings.append(args)))

    def made():
        return [item("c"), item("a", "fr"), item("b"), item("a"), item("d", "de", "true"), item("b", name="-2"),
                item("e", "fr"), item("e", "de")]

    def outcome(process, items):
        warnings.clear()
        originals, translations = process(items, "slug")
        return ([x.source_path for x in originals], [x.source_path for x in translations],
                [(x.source_path, [t.source_path for t in x.translations]) for x in items], list(warnings))

    assert outcome(by_group, made()) == outcome(process_translations, made())
    assert len(outcome(by_group, made())[3]) == 4  # two "b" in English, all "d" translations, two "e" originals
    assert by_group(made(), None)[1] == []


def test_once_installed_the_generators_find_translations_group_by_group(monkeypatch):
    import pelican.generators  # noqa: PLC0415

    monkeypatch.setattr(pelican.generators, "process_translations", process_translations)  # put back after
    install()
    assert pelican.generators.process_translations is by_group
