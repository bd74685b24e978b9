"""A much-named entity gets a page per year, as a long chronology does (plugins/chronology).

At 10,000 briefings the page of an entity named in most of them held every sentence that names
it and every event it took part in: 9 MB for Pakistan. Past ENTITY_ONE_PAGE_MAX briefings and
events, its page keeps what says who it is (description, aliases, the entities named with it),
its latest events and a table of years; each year's page holds the sentences of the briefings
published in it and the events that happened in it, and one more page the undated briefings.
"""

from dataclasses import dataclass

# The undated briefings' page, in place of a year in its URL: as plugins/chronology names its
# own (plugins load as separate packages and cannot import each other's modules).
UNDATED = "undated"


@dataclass(eq=False, slots=True)
class EntityYear:
    """One year of an entity: the briefings published in it that name it (with the sentence,
    newest first, then those without one) and its events of that year (oldest first, as on the
    entity's page); its neighbours as (year, url) to link to. Year None: the undated briefings."""

    entity: object
    year: int | None
    url: str
    save_as: str
    mentions: list
    unquoted: list
    events: list
    newer: tuple[int, str] | None = None
    older: tuple[int, str] | None = None


@dataclass(slots=True)
class YearCount:
    """What the entity's own page shows of one of its years."""

    year: int | None
    url: str
    briefings: int
    events: int


def counts(pages: list[EntityYear]) -> list[YearCount]:
    return [YearCount(page.year, page.url, len(page.mentions) + len(page.unquoted), len(page.events))
            for page in pages]


def year_pages(entity, limit: int, url: str, save_as: str) -> list[EntityYear]:
    """The entity's year pages, newest first, or none when one page holds it all."""
    if entity.count + len(entity.events) <= limit:
        return []
    years: dict[int | None, EntityYear] = {}

    def year_of(number: int | None) -> EntityYear:
        if number not in years:
            name = UNDATED if number is None else number
            years[number] = EntityYear(entity, number, url.format(slug=entity.slug, year=name),
                                       save_as.format(slug=entity.slug, year=name), [], [], [])
        return years[number]

    for mention in entity.mentions:
        year_of(published(mention.article)).mentions.append(mention)
    for article in entity.unquoted_briefings:
        year_of(published(article)).unquoted.append(article)
    for event in entity.events:
        year_of(event.start.year).events.append(event)
    dated = [years[number] for number in sorted(years.keys() - {None}, reverse=True)]
    for newer, older in zip(dated, dated[1:]):
        newer.older, older.newer = (older.year, older.url), (newer.year, newer.url)
    return dated + ([years[None]] if None in years else [])


def published(article) -> int | None:
    return None if getattr(article, "undated", False) else article.date.year
