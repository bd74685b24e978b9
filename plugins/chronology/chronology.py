"""The chronology of events told by the briefings, merged across briefings, and its timeline.

Each briefing's `events` metadata (read by plugins/entities) holds dated sentences. Events on the
same date that share an actor (see `same_event`) are one event told by several briefings, shown
once with all its sources. The template context gets `events` (newest first) and `timeline`
(an SVG, as pieces to write in turn); each article gets `events`, as its page shows them (see
`Told`), and, for each, its own sources (`event_sources`, by event id); each entity gets its own
slice.

A chronology longer than CHRONOLOGY_ONE_PAGE_MAX events and briefings gets a page per year
(CHRONOLOGY_YEAR_SAVE_AS), each with its own timeline: the context then also gets
`chronology_years` and `years_chart`, the overview that chronology.html shows instead of every
event. A year longer than that gets a page per month (CHRONOLOGY_MONTH_SAVE_AS), and its own
page becomes the overview of its months. At 10,000 briefings one page was 32 MB, the busiest
year's then 4.2 MB; its busiest month's is about 0.5 MB.
"""

from bisect import insort
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from blinker import signal as named_signal
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from briefing.markdown import event_shape
from briefing.periods import MONTHS, Period, PeriodCount, link_neighbours, month_of, period_urls

from .timeline import in_pieces, timeline_svg, years_svg

DEFAULTS = {
    "CHRONOLOGY_URL": "chronology.html",
    "CHRONOLOGY_YEAR_URL": "chronology/{year}.html",
    "CHRONOLOGY_YEAR_SAVE_AS": "chronology/{year}.html",
    "CHRONOLOGY_MONTH_URL": "chronology/{year}-{month:02}.html",
    "CHRONOLOGY_MONTH_SAVE_AS": "chronology/{year}-{month:02}.html",
    "CHRONOLOGY_ONE_PAGE_MAX": 600,  # events and dated briefings that one page shows
}


class Source:
    """One briefing telling an event: the article and the exact paragraph.

    A page that lists an event's sources shows of each its link and of its briefing the title
    and the publisher; the briefing's own page also quotes its sentence. A page's key
    (plugins/parallel_render/reuse.py) walks only what `__getstate__` gives, not the briefing's
    whole metadata block: a date corrected in one briefing rendered again, at 1,000, 52 entity
    pages and 10 chronology pages that show one of its events, whose bytes had not changed.
    So a template must read of `source.article` no more than its `url`, `title`, `plain_title`
    and `source`."""

    __slots__ = ("article", "anchor", "sentence", "expression")

    def __init__(self, article, anchor: str, sentence: str, expression: str):
        self.article, self.anchor, self.sentence, self.expression = article, anchor, sentence, expression

    def __getstate__(self) -> tuple:
        article = self.article
        return (article.url, article.title, getattr(article, "plain_title", None),
                getattr(article, "source", None), self.anchor, self.sentence, self.expression)

    def __reduce__(self):
        return Source, (self.article, self.anchor, self.sentence, self.expression)

    def __repr__(self) -> str:
        return f"Source({self.article!r}, {self.anchor!r}, {self.sentence!r}, {self.expression!r})"

    @property
    def url(self) -> str:
        return f"{self.article.url}#{self.anchor}" if self.anchor else self.article.url


@dataclass(eq=False, slots=True)
class Event:
    iso_date: str
    precision: str
    sentence: str
    planned: bool = False
    sources: list[Source] = field(default_factory=list)
    actors: list = field(default_factory=list)  # entity objects (plugins/entities)
    id: str = ""  # anchor on its chronology page
    page: str = ""  # URL of that page: chronology.html, its year's or its month's
    year_page: str = ""  # URL of the page of its year: chronology.html or its year's

    @property
    def url(self) -> str:
        return f"{self.page}#{self.id}"

    @property
    def date_label(self) -> str:
        year, month, day = (self.iso_date.split("-") + ["", ""])[:3]
        if not month:
            return year
        if not day:
            return f"{MONTHS[int(month) - 1]} {year}"
        return f"{int(day)} {MONTHS[int(month) - 1]} {year}"

    @property
    def start(self) -> date:
        year, month, day = (self.iso_date.split("-") + ["1", "1"])[:3]
        return date(int(year), int(month), int(day))

    @property
    def articles(self) -> list:
        return [source.article for source in self.sources]


class Told:
    """An event as the page of a briefing that tells it shows it: its date, whether it was
    announced, its place in the chronology and how many briefings tell it; the briefing's own
    sources of it are in its `event_sources`. The record itself is `event`, for the plugins.
    A page's key (plugins/parallel_render/reuse.py) walks only what `__getstate__` gives, not
    the other briefings' reports: a date corrected in one briefing rendered again 170 pages of
    briefings telling its events, at 1,000, whose bytes had not changed. So a template must
    read of it no more than its properties."""

    __slots__ = ("event",)

    def __init__(self, event: Event):
        self.event = event

    def __getstate__(self) -> tuple:
        event = self.event
        return event.iso_date, event.planned, event.page, event.id, len(event.sources)

    def __reduce__(self):
        return Told, (self.event,)

    iso_date = property(lambda self: self.event.iso_date)
    date_label = property(lambda self: self.event.date_label)
    planned = property(lambda self: self.event.planned)
    id = property(lambda self: self.event.id)
    url = property(lambda self: self.event.url)
    told_by = property(lambda self: len(self.event.sources))  # briefings telling it, this one included


@dataclass(eq=False, slots=True, kw_only=True)
class PeriodPage(Period):
    """One year's page of a long chronology, or one month's of a long year: the events and
    the briefings published in it that the page lists, newest first, and its timeline. A year
    with month pages lists only its events and briefings dated to the year alone; its counts
    are the whole year's."""

    events: list[Event]
    briefings: list
    timeline: list
    event_count: int = 0
    briefing_count: int = 0


def setting(settings, name):
    return settings.get(name, DEFAULTS[name])


def same_event(one: Event, other: Event) -> bool:
    """Two reports of one date are one event when they share a person or organisation, or share
    a place and one of them names no person or organisation at all."""
    def agents(event):
        return {entity.slug for entity in event.actors if entity.type != "place"}
    shared = {e.slug for e in one.actors} & {e.slug for e in other.actors}
    if not shared:
        return False
    mine, theirs = agents(one), agents(other)
    return bool(mine & theirs) or not mine or not theirs


def read_events(articles, entities_by_name: dict) -> list[Event]:
    events = []
    for article in articles:
        for item in getattr(article, "metadata", {}).get("events", []) or []:
            actors = [entities_by_name[name.casefold()] for name in item["actors"]
                      if name.casefold() in entities_by_name]
            event = Event(item["iso_date"], item["precision"], item["sentence"], item["planned"],
                          [Source(article, item["anchor"], item["sentence"], item["expression"])],
                          actors)
            events.append(event)
    return events


def merge_events(events: list[Event]) -> list[Event]:
    """One event per date and shared actor, with every source; newest first. An event is only
    compared with the events of its date that share one of its actors (found through an index
    by date and actor slug), in the order they came, so the cost stays linear."""
    by_date: dict[str, list[Event]] = defaultdict(list)
    by_actor: dict[tuple[str, str], list[int]] = defaultdict(list)  # → positions in by_date
    tellers: dict[int, set[int]] = {}  # id(event) → the ids of the briefings among its sources
    for event in events:
        group = by_date[event.iso_date]
        same = first_same(event, group, by_actor, tellers)
        if same is None:
            group.append(event)
            tellers[id(event)] = {id(source.article) for source in event.sources}
            for actor in event.actors:
                by_actor[event.iso_date, actor.slug].append(len(group) - 1)
            continue
        other = group[same]
        added = [actor for actor in event.actors if actor not in other.actors]
        other.sources += event.sources
        tellers[id(other)].update(id(source.article) for source in event.sources)
        other.planned = other.planned and event.planned
        other.actors += added
        for actor in added:
            insort(by_actor[event.iso_date, actor.slug], same)
    merged = [event for group in by_date.values() for event in group]
    merged.sort(key=lambda e: (e.iso_date, e.sources[0].article.slug, e.sources[0].anchor), reverse=True)
    counts: dict[str, int] = defaultdict(int)
    for event in sorted(merged, key=lambda e: (e.iso_date, e.sources[0].article.slug, e.sources[0].anchor)):
        counts[event.iso_date] += 1
        event.id = f"event-{event.iso_date}-{counts[event.iso_date]}"
    return merged


def first_same(event: Event, group: list[Event], by_actor: dict, tellers: dict) -> int | None:
    """The position of the first event of `group` that `event` is a report of, if any: only
    events sharing an actor can be (see same_event), and not one its briefing tells already
    (`tellers`: a set, since a much-told event has a thousand sources at 10,000 briefings)."""
    positions = {position for actor in event.actors
                 for position in by_actor.get((event.iso_date, actor.slug), ())}
    article = id(event.sources[0].article)
    for position in sorted(positions):
        other = group[position]
        if same_event(other, event) and article not in tellers[id(other)]:
            return position
    return None


def add_chronology(generator) -> None:
    entities = generator.context.get("entities", [])
    by_name = {}
    for entity in entities:
        for name in [entity.name, *entity.aliases]:
            by_name.setdefault(name.casefold(), entity)
    events = merge_events(read_events(generator.articles, by_name))
    for article in generator.articles:
        article.events, article.event_sources = [], {}
    for entity in entities:
        entity.events = []
    for event in reversed(events):  # oldest first on briefing and entity pages
        for source in event.sources:
            # A briefing's page quotes its own sources of each event it tells: found here, once,
            # and not by its page going through every source of the event (a thousand).
            told = source.article.event_sources.setdefault(event.id, [])
            if not told:
                source.article.events.append(Told(event))
            told.append(source)
        for actor in event.actors:
            actor.events.append(event)
    for article in generator.articles:
        if "events" in getattr(article, "metadata", {}):
            article.metadata["events"] = article.events  # as plugins/entities does for entities
    generator.context["events"] = events
    generator.context.update(chronology_pages(events, generator.articles, generator.settings))


def chronology_pages(events: list[Event], articles: list, settings) -> dict:
    """What the chronology pages show besides `events`: the timeline on one page, or, for a long
    chronology, the year pages (and month pages) and the chart of years; each event learns the
    URL of its page. `chronology_pages`: every page the generator writes."""
    dated = [a for a in articles if not getattr(a, "undated", False)]
    if len(events) + len(dated) <= setting(settings, "CHRONOLOGY_ONE_PAGE_MAX"):
        for event in events:
            event.page = event.year_page = setting(settings, "CHRONOLOGY_URL")
        return {"timeline": in_pieces(timeline_svg(events, articles)), "chronology_years": [],
                "chronology_pages": [], "years_chart": Markup()}
    years = year_pages(events, dated, settings)
    undated = [a for a in articles if getattr(a, "undated", False)]
    if undated:
        years.append(page_of(None, None, [], undated, settings))
    pages = [page for year in years for page in [year, *month_pages(year, settings)]]
    return {"timeline": [], "chronology_years": years, "chronology_pages": pages,
            "years_chart": Markup(years_svg([(year.year, year.event_count, year.briefing_count)
                                             for year in years if year.year]))}


def year_pages(events: list[Event], dated: list, settings) -> list[PeriodPage]:
    """A page per year that has an event or a briefing published in it, newest first, each
    with its events and briefings newest first."""
    by_year: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
    for event in events:  # newest first already
        by_year[event.start.year][0].append(event)
    for article in sorted(dated, key=lambda a: a.date, reverse=True):
        by_year[article.date.year][1].append(article)
    years = [page_of(number, None, *by_year[number], settings)
             for number in sorted(by_year, reverse=True)]
    link_neighbours(years)
    return years


def month_pages(year: PeriodPage, settings) -> list[PeriodPage]:
    """A long year's page per month that has an event or a briefing published in it, newest
    first; the year's page then lists its months, and of its events and briefings only those
    dated to the year alone."""
    if year.year is None or year.event_count + year.briefing_count <= setting(
            settings, "CHRONOLOGY_ONE_PAGE_MAX"):
        return []
    by_month: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
    for event in year.events:
        if event.precision != "year":
            by_month[event.start.month][0].append(event)
    for article in year.briefings:
        if month_of(article) is not None:
            by_month[month_of(article)][1].append(article)
    months = [page_of(year.year, number, *by_month[number], settings, up=(year.label, year.url))
              for number in sorted(by_month, reverse=True)]
    link_neighbours(months)
    year.events = [event for event in year.events if event.precision == "year"]
    year.briefings = [article for article in year.briefings if month_of(article) is None]
    year.months = [PeriodCount(month.label, month.url, month.briefing_count, month.event_count)
                   for month in months]
    return months


def page_of(number: int | None, month: int | None, events: list[Event], briefings: list, settings,
            up: tuple[str, str] | None = None) -> PeriodPage:
    """One year's page (year None: the undated briefings'), or one month's (up: its year's);
    its events learn its URL. A year's page has a timeline; a month's is a stretch of it."""
    url, save_as = period_urls(lambda name: setting(settings, name), "CHRONOLOGY", number, month)
    for event in events:
        event.page = url
        if not month:
            event.year_page = url
    timeline = [] if month else in_pieces(timeline_svg(events, briefings))
    return PeriodPage(year=number, url=url, save_as=save_as, events=events, briefings=briefings,
                      timeline=timeline, up=up or ("All years", setting(settings, "CHRONOLOGY_URL")),
                      month=month, event_count=len(events), briefing_count=len(briefings))


class YearPagesGenerator(Generator):
    """Writes a long chronology's year and month pages (see `year_pages`, `month_pages`)."""

    def generate_output(self, writer) -> None:
        template = self.get_template("chronology_year")
        for page in self.context.get("chronology_pages", []):
            writer.write_file(page.save_as, template, self.context,
                              relative_urls=self.settings["RELATIVE_URLS"],
                              chronology_year=page, page_name="chronology_year")


def get_generators(pelican_object):
    return YearPagesGenerator


def patched_fields(keeper) -> tuple:
    """plugins/preview: an Events field whose lines differ only in their sentences and
    paragraphs is left to `resentence`."""
    return "events", event_shape


def resentence(article, fresh, pages, reading, **_) -> list | str:
    """plugins/preview's keeper read a briefing again (`fresh`), its events as before but for
    their sentences and paragraphs (a paragraph added before them): sets its sources as
    `fresh` gives them, and the sentence of each event it is the first source of, which other
    pages show, with the timelines. Returns the keeper's `pages` that show such an event or
    a moved source, or why the keeper cannot finish the edit."""
    changes = moved_or_reworded(article, fresh)
    if isinstance(changes, str):
        return changes
    reason = renumbered(article, changes)
    if reason:
        return reason
    shown = {}
    for event, source, anchor, sentence in changes:
        if anchor != source.anchor or (event.sources[0] is source and sentence != event.sentence):
            shown[id(event)] = event
        source.anchor, source.sentence = anchor, sentence
        if event.sources[0] is source:
            event.sentence = sentence
    return pages_showing(list(shown.values()), pages, reading) if shown else []


def moved_or_reworded(article, fresh) -> list[tuple] | str:
    """(event, source, its new paragraph, its new sentence) for each of the briefing's sources
    that `fresh` moves or rewords; or why not, when its events changed otherwise. A briefing's
    events with the same date and words are paired in their order in the text, which a
    paragraph added before them keeps."""
    held: dict[tuple, list] = defaultdict(list)
    for told in getattr(article, "events", []):
        for source in article.event_sources.get(told.id, []):
            held[told.iso_date, source.expression].append((told.event, source))
    now: dict[tuple, list] = defaultdict(list)
    for item in fresh.metadata.get("events", []) or []:
        now[item["iso_date"], item["expression"]].append(item)
    if held.keys() != now.keys() or any(len(held[key]) != len(now[key]) for key in held):
        return f"the events of {article.source_path} changed"
    changes = []
    for key, told in held.items():
        told.sort(key=lambda pair: in_text(pair[1].anchor))
        if len({source.anchor for _, source in told}) < len(told):  # two in one paragraph
            if sorted((s.anchor, s.sentence) for _, s in told) != sorted(
                    (item["anchor"], item["sentence"]) for item in now[key]):
                return f"{article.source_path} changes one of its events of {key[0]} in a paragraph that tells two"
            continue
        changes += [(event, source, item["anchor"], item["sentence"]) for (event, source), item in zip(told, now[key])
                    if (source.anchor, source.sentence) != (item["anchor"], item["sentence"])]
    return changes


def in_text(anchor: str) -> tuple:
    """Where a source is in its briefing, for ordering: the photo caption, then the paragraphs."""
    number = anchor.removeprefix("p-")
    return (0, 0) if anchor == "photo" else (1, int(number)) if number.isdigit() else (2, anchor)


def renumbered(article, changes: list[tuple]) -> str | None:
    """Why not, when a moved source would change the order of the events it is the first source
    of among those of their date (the chronology orders them, and numbers their ids, by their
    first source's briefing, then its paragraph as text: 'p-10' before 'p-9')."""
    moved = {id(source): anchor for _, source, anchor, _ in changes}
    dates = {event.iso_date for event, source, anchor, _ in changes if event.sources[0] is source}
    for date_ in dates:
        own = [told.event for told in article.events
               if told.iso_date == date_ and told.event.sources[0].article is article]
        before = sorted(own, key=lambda event: event.sources[0].anchor)
        after = sorted(own, key=lambda event: moved.get(id(event.sources[0]), event.sources[0].anchor))
        if before != after:
            return f"{article.source_path}: its events of {date_} would be numbered again"
    return None


def pages_showing(events: list[Event], pages, reading) -> list:
    """The pages that show these events' sentences and sources: the entity and chronology pages
    that list them, the pages that read the context's `events` (the home page, the one-page
    chronology), and those with a timeline that marks one of them (its timeline made again)."""
    ids = {id(event) for event in events}
    found = []
    for page in pages:
        for name in ("entity", "entity_year", "chronology_year"):
            subject = page.own.get(name)
            if subject is not None and any(id(event) in ids for event in getattr(subject, "events", ())):
                found.append(page)
    found += reading("events")
    timelines = reading("timeline")
    if timelines and timelines[0].base["timeline"]:  # one page for the whole chronology
        context = timelines[0].base
        context["timeline"][:] = in_pieces(timeline_svg(context["events"], context["articles"]))  # every page's
        found += timelines
    years = {event.start.year for event in events}
    for page in pages:
        period = page.own.get("chronology_year")
        if period is not None and period.timeline and period.year in years:
            year = of_year(period.year, page.base["events"], page.base["articles"])
            period.timeline = in_pieces(timeline_svg(*year))
            found.append(page)
    return found


def of_year(year: int, events: list[Event], articles: list) -> tuple[list, list]:
    """The events of a year, and the dated briefings published in it, as its page has them."""
    dated = [a for a in articles if not getattr(a, "undated", False)]
    return ([event for event in events if event.start.year == year],
            [article for article in sorted(dated, key=lambda a: a.date, reverse=True) if article.date.year == year])


def register() -> None:
    signals.article_generator_finalized.connect(add_chronology)
    signals.get_generators.connect(get_generators)
    named_signal("briefing_fields_patched").connect(patched_fields)  # sent by plugins/preview's keeper
    named_signal("briefing_text_edited").connect(resentence)
