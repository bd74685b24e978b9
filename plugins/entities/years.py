"""A much-named entity gets a page per year, as a long chronology does (plugins/chronology).

At 10,000 briefings the page of an entity named in most of them held every sentence that names
it and every event it took part in: 9 MB for Pakistan. Past ENTITY_ONE_PAGE_MAX briefings and
events, its page keeps what says who it is (description, aliases, the entities named with it),
its latest events and a table of years; each year's page holds the sentences of the briefings
published in it and the events that happened in it, and one more page the undated briefings.
A year past that limit too gets a page per month, and its own page becomes a table of its
months and the events dated to the year alone (Pakistan in 2021 was 1.4 MB at 10,000).
"""

from dataclasses import dataclass, field

from briefing.periods import Period, PeriodCount, link_neighbours, month_of, period_urls


@dataclass(eq=False, slots=True, kw_only=True)
class EntityYear(Period):
    """One year of an entity, or one month of a long year: the briefings published in it that
    name it (with the sentence, newest first, then those without one) and its events (oldest
    first, as on the entity's page). A year with month pages lists only its briefings and
    events dated to the year alone."""

    entity: object
    mentions: list = field(default_factory=list)
    unquoted: list = field(default_factory=list)
    events: list = field(default_factory=list)

    @property
    def count(self) -> PeriodCount:
        """Its briefings and events, its months' included."""
        return PeriodCount(self.label, self.url,
                           len(self.mentions) + len(self.unquoted) + sum(m.briefings for m in self.months),
                           len(self.events) + sum(m.events for m in self.months))


def counts(pages: list[EntityYear]) -> list[PeriodCount]:
    return [page.count for page in pages]


def year_pages(entity, limit: int, urls: dict[str, str]) -> list[EntityYear]:
    """The entity's pages by period, or none when one page holds it all: its years, newest
    first, each followed by its months (newest first) when it has month pages, then the undated
    briefings'. `urls`: ENTITY_YEAR_URL, ENTITY_YEAR_SAVE_AS, ENTITY_MONTH_URL and
    ENTITY_MONTH_SAVE_AS."""
    if entity.count + len(entity.events) <= limit:
        return []
    up = (f"All years of {entity.name}", entity.url)
    years = by_period(entity.mentions, entity.unquoted_briefings, entity.events, published,
                      lambda event: event.start.year,
                      lambda number: period_page(entity, number, None, urls, up))
    dated = [years[number] for number in sorted(years.keys() - {None}, reverse=True)]
    link_neighbours(dated)
    pages = []
    for year in dated:
        pages += [year, *month_pages(year, limit, urls)]
    return pages + ([years[None]] if None in years else [])


def month_pages(year: EntityYear, limit: int, urls: dict[str, str]) -> list[EntityYear]:
    """A long year's page per month that has a briefing or an event, newest first; the year's
    page keeps the counts of its months, and its briefings and events dated to the year
    alone."""
    if len(year.mentions) + len(year.unquoted) + len(year.events) <= limit:
        return []
    months = by_period([mention for mention in year.mentions if month_of(mention.article) is not None],
                       [article for article in year.unquoted if month_of(article) is not None],
                       [event for event in year.events if event.precision != "year"],
                       month_of, lambda event: event.start.month,
                       lambda number: period_page(year.entity, year.year, number, urls,
                                                  (year.label, year.url)))
    pages = [months[number] for number in sorted(months, reverse=True)]
    link_neighbours(pages)
    year.mentions = [mention for mention in year.mentions if month_of(mention.article) is None]
    year.unquoted = [article for article in year.unquoted if month_of(article) is None]
    year.events = [event for event in year.events if event.precision == "year"]
    year.months = counts(pages)
    return pages


def by_period(mentions, unquoted, events, of_article, of_event, page_for) -> dict:
    """Mentions, unquoted briefings and events sorted onto the page of their period (a year
    or a month: `of_article` and `of_event` give its number, `page_for` makes its page)."""
    pages: dict[int | None, EntityYear] = {}

    def page(number: int | None) -> EntityYear:
        if number not in pages:
            pages[number] = page_for(number)
        return pages[number]

    for mention in mentions:
        page(of_article(mention.article)).mentions.append(mention)
    for article in unquoted:
        page(of_article(article)).unquoted.append(article)
    for event in events:
        page(of_event(event)).events.append(event)
    return pages


def period_page(entity, year: int | None, month: int | None, urls: dict[str, str],
                up: tuple[str, str]) -> EntityYear:
    url, save_as = period_urls(urls.__getitem__, "ENTITY", year, month, slug=entity.slug)
    return EntityYear(entity=entity, year=year, url=url, save_as=save_as, up=up, month=month)


def published(article) -> int | None:
    return None if getattr(article, "undated", False) else article.date.year
