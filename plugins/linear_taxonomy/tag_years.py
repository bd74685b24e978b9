"""A tag on more than TAG_ONE_PAGE_MAX briefings gets a page per year, as a long chronology and a
much-named entity do (plugins/chronology, plugins/entities/years.py).

At 10,000 briefings the page of the tag Pakistan listed 6,000 of them: 4.9 MB. Its page then
gets `tag_years` and shows a table of years and the latest briefings; each year's page,
TAG_YEAR_SAVE_AS, lists the briefings of that year, and the undated ones get a page of their
own. Without a TAG_ONE_PAGE_MAX setting every tag has one page, as in Pelican.
"""

from collections import defaultdict
from dataclasses import dataclass

from briefing.periods import link_neighbours, period_label, url_name


@dataclass(eq=False, slots=True)
class TagYear:
    """The briefings of one tag published in one year (None: the undated ones), newest first,
    with the neighbouring years as (label, url)."""

    year: int | None
    url: str
    save_as: str
    briefings: list
    newer: tuple[str, str] | None = None
    older: tuple[str, str] | None = None

    @property
    def label(self) -> str:
        return period_label(self.year)

    @property
    def briefing_count(self) -> int:
        return len(self.briefings)


def year_pages(tag, dates: list, settings) -> list[TagYear]:
    """The tag's year pages, newest first and the undated last, from its briefings newest
    first; none if its page may list them all."""
    limit = settings.get("TAG_ONE_PAGE_MAX")
    if limit is None or len(dates) <= limit:
        return []
    by_year: dict[int | None, list] = defaultdict(list)
    for article in dates:
        by_year[None if getattr(article, "undated", False) else article.date.year].append(article)

    def page(number):
        name = url_name(number)
        return TagYear(number, settings["TAG_YEAR_URL"].format(slug=tag.slug, year=name),
                       settings["TAG_YEAR_SAVE_AS"].format(slug=tag.slug, year=name), by_year[number])

    years = [page(number) for number in sorted(by_year.keys() - {None}, reverse=True)]
    link_neighbours(years)
    return years + ([page(None)] if None in by_year else [])
