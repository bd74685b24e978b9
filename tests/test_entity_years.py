"""Splitting an entity's page by year (plugins/entities/years.py): only past the limit, every
dated briefing and event on exactly one year, the undated briefings on a page of their own; a
year past the limit too split by month."""

import sys
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from chronology.chronology import Event  # noqa: E402
from entities.years import counts, year_pages  # noqa: E402

from briefing.periods import period_label, url_name  # noqa: E402

URLS = {"ENTITY_YEAR_URL": "entity/{slug}/{year}.html", "ENTITY_YEAR_SAVE_AS": "entity/{slug}/{year}.html",
        "ENTITY_MONTH_URL": "entity/{slug}/{year}-{month:02}.html",
        "ENTITY_MONTH_SAVE_AS": "entity/{slug}/{year}-{month:02}.html"}


def article(day: str | None):
    if day is None:
        return SimpleNamespace(undated=True, date=datetime(2024, 1, 1))
    return SimpleNamespace(undated=False, date=datetime.fromisoformat(day))


def entity(quoted: list, unquoted: list, events: list):
    return SimpleNamespace(slug="pakistan", name="Pakistan", url="entity/pakistan.html",
                           count=len(quoted) + len(unquoted), events=events,
                           mentions=[SimpleNamespace(article=a) for a in quoted],
                           unquoted_briefings=unquoted)


def test_one_page_holds_it_all_up_to_the_limit():
    small = entity([article("2021-01-02")], [article("2020-05-01")], [Event("2019-03", "month", "x")])
    assert year_pages(small, 3, URLS) == []
    assert len(year_pages(small, 2, URLS)) == 3


def test_each_dated_briefing_and_event_is_on_its_year_once():
    quoted = [article("2022-03-01"), article("2021-06-01"), article(None)]
    unquoted = [article("2021-01-01"), article(None)]
    events = [Event("2019", "year", "a"), Event("2021-05-02", "day", "b")]
    pages = year_pages(entity(quoted, unquoted, events), 3, URLS)  # 2021 has 3: no months
    assert [(p.year, len(p.mentions), len(p.unquoted), len(p.events)) for p in pages] == [
        (2022, 1, 0, 0), (2021, 1, 1, 1), (2019, 0, 0, 1), (None, 1, 1, 0)]
    assert (pages[1].url, pages[3].url) == ("entity/pakistan/2021.html", "entity/pakistan/undated.html")
    assert pages[3].newer is None and pages[3].older is None  # not among the years
    assert (pages[0].older, pages[1].newer, pages[1].older, pages[2].newer) == (
        ("2021", pages[1].url), ("2022", pages[0].url), ("2019", pages[2].url), ("2021", pages[1].url))
    assert pages[0].newer is None and pages[2].older is None
    assert [(c.label, c.briefings, c.events) for c in counts(pages)] == [
        ("2022", 1, 0), ("2021", 2, 1), ("2019", 0, 1), ("Undated", 2, 0)]


def test_periods_are_named_in_words_and_urls_alike_for_every_kind_of_page():
    assert [period_label(2021), period_label(2021, 3), period_label(None)] == ["2021", "March 2021", "Undated"]
    assert [url_name(2021), url_name(None)] == [2021, "undated"]


def test_a_year_past_the_limit_gets_a_page_per_month():
    quoted = [article("2021-06-01"), article("2021-06-20"), article("2020-01-01")]
    events = [Event("2021", "year", "a"), Event("2021-05-02", "day", "b"), Event("2021-06", "month", "c")]
    pages = year_pages(entity(quoted, [article("2021-01-05")], events), 4, URLS)
    assert [(p.label, len(p.mentions), len(p.unquoted), len(p.events)) for p in pages] == [
        ("2021", 0, 0, 1), ("June 2021", 2, 0, 1), ("May 2021", 0, 0, 1), ("January 2021", 0, 1, 0),
        ("2020", 1, 0, 0)]
    year, june = pages[0], pages[1]
    assert [(m.label, m.url, m.briefings, m.events) for m in year.months] == [
        ("June 2021", "entity/pakistan/2021-06.html", 2, 1), ("May 2021", "entity/pakistan/2021-05.html", 0, 1),
        ("January 2021", "entity/pakistan/2021-01.html", 1, 0)]
    assert (year.count.briefings, year.count.events) == (3, 3)  # the whole year's, on the entity's page
    assert june.up == ("2021", year.url) and year.up == ("All years of Pakistan", "entity/pakistan.html")
    assert (june.newer, june.older) == (None, ("May 2021", "entity/pakistan/2021-05.html"))
    assert year.older == ("2020", "entity/pakistan/2020.html")  # years link to years
