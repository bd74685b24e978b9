"""Splitting an entity's page by year (plugins/entities/years.py): only past the limit, every
dated briefing and event on exactly one year, the undated briefings on a page of their own."""

import sys
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from chronology.chronology import Event  # noqa: E402
from entities.years import counts, year_pages  # noqa: E402

URL = "entity/{slug}/{year}.html"


def article(day: str | None):
    if day is None:
        return SimpleNamespace(undated=True, date=datetime(2024, 1, 1))
    return SimpleNamespace(undated=False, date=datetime.fromisoformat(day))


def entity(quoted: list, unquoted: list, events: list):
    return SimpleNamespace(slug="pakistan", count=len(quoted) + len(unquoted), events=events,
                           mentions=[SimpleNamespace(article=a) for a in quoted],
                           unquoted_briefings=unquoted)


def test_one_page_holds_it_all_up_to_the_limit():
    small = entity([article("2021-01-02")], [article("2020-05-01")], [Event("2019-03", "month", "x")])
    assert year_pages(small, 3, URL, URL) == []
    assert len(year_pages(small, 2, URL, URL)) == 3


def test_each_dated_briefing_and_event_is_on_its_year_once():
    quoted = [article("2022-03-01"), article("2021-06-01"), article(None)]
    unquoted = [article("2021-01-01"), article(None)]
    events = [Event("2019", "year", "a"), Event("2021-05-02", "day", "b")]
    pages = year_pages(entity(quoted, unquoted, events), 1, URL, URL)
    assert [(p.year, len(p.mentions), len(p.unquoted), len(p.events)) for p in pages] == [
        (2022, 1, 0, 0), (2021, 1, 1, 1), (2019, 0, 0, 1), (None, 1, 1, 0)]
    assert (pages[1].url, pages[3].url) == ("entity/pakistan/2021.html", "entity/pakistan/undated.html")
    assert pages[3].newer is None and pages[3].older is None  # not among the years
    assert (pages[0].older, pages[1].newer, pages[1].older, pages[2].newer) == (
        (2021, pages[1].url), (2022, pages[0].url), (2019, pages[2].url), (2021, pages[1].url))
    assert pages[0].newer is None and pages[2].older is None
    assert [(c.year, c.briefings, c.events) for c in counts(pages)] == [
        (2022, 1, 0), (2021, 2, 1), (2019, 0, 1), (None, 2, 0)]
