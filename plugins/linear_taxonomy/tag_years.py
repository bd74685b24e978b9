"""A tag on more than TAG_ONE_PAGE_MAX briefings gets a page per year, as a long chronology and a
much-named entity do (plugins/chronology, plugins/entities/years.py).

At 10,000 briefings the page of the tag Pakistan listed 6,000 of them: 4.9 MB. Its page then
gets `tag_years` and shows a table of years and the latest briefings; each year's page,
TAG_YEAR_SAVE_AS, lists the briefings of that year, and the undated ones get a page of their
own. A year past the same limit gets a page per month (TAG_MONTH_SAVE_AS), and its own page
becomes a table of its months and the briefings dated to the year alone (a year of the tag
Pakistan was 0.7 MB at 10,000). Without a TAG_ONE_PAGE_MAX setting every tag has one page, as
in Pelican.
"""

from collections import defaultdict
from dataclasses import dataclass

from briefing.periods import Period, PeriodCount, link_neighbours, month_of, period_urls

DEFAULTS = {  # where a tag's year and month pages go, unless the settings say
    "TAG_YEAR_URL": "tag/{slug}/{year}.html", "TAG_YEAR_SAVE_AS": "tag/{slug}/{year}.html",
    "TAG_MONTH_URL": "tag/{slug}/{year}-{month:02}.html", "TAG_MONTH_SAVE_AS": "tag/{slug}/{year}-{month:02}.html",
}


@dataclass(eq=False, slots=True, kw_only=True)
class TagYear(Period):
    """The briefings of one tag published in one year (None: the undated ones), or in one month
    of a long year, newest first. A year with month pages lists only its briefings dated to the
    year alone."""

    briefings: list

    @property
    def briefing_count(self) -> int:
        """Its briefings, its months' included."""
        return len(self.briefings) + sum(month.briefings for month in self.months)


def year_pages(tag, dates: list, settings) -> list[TagYear]:
    """The tag's pages by period, from its briefings newest first: its years, newest first,
    each followed by its months (newest first) when it has month pages, then the undated
    briefings'; none if its page may list them all."""
    limit = settings.get("TAG_ONE_PAGE_MAX")
    if limit is None or len(dates) <= limit:
        return []
    by_year: dict[int | None, list] = defaultdict(list)
    for article in dates:
        by_year[None if getattr(article, "undated", False) else article.date.year].append(article)
    up = (f"All years of {tag}", tag.url)
    years = [period_page(tag, number, None, by_year[number], settings, up)
             for number in sorted(by_year.keys() - {None}, reverse=True)]
    link_neighbours(years)
    pages = []
    for year in years:
        pages += [year, *month_pages(tag, year, limit, settings)]
    return pages + ([period_page(tag, None, None, by_year[None], settings, up)] if None in by_year else [])


def month_pages(tag, year: TagYear, limit: int, settings) -> list[TagYear]:
    """A long year's page per month that has a briefing, newest first; the year's page keeps
    the counts of its months and its briefings dated to the year alone."""
    if len(year.briefings) <= limit:
        return []
    by_month: dict[int, list] = defaultdict(list)
    for article in year.briefings:
        if month_of(article) is not None:
            by_month[month_of(article)].append(article)
    months = [period_page(tag, year.year, number, by_month[number], settings, (year.label, year.url))
              for number in sorted(by_month, reverse=True)]
    link_neighbours(months)
    year.briefings = [article for article in year.briefings if month_of(article) is None]
    year.months = [PeriodCount(month.label, month.url, month.briefing_count, 0) for month in months]
    return months


def period_page(tag, year: int | None, month: int | None, briefings: list, settings,
                up: tuple[str, str]) -> TagYear:
    url, save_as = period_urls(lambda name: settings.get(name, DEFAULTS[name]), "TAG", year, month,
                               slug=tag.slug)
    return TagYear(year=year, url=url, save_as=save_as, briefings=briefings, up=up, month=month)
