"""Entity pages: every person, organisation and place the briefings name, with backlinks.

Reads the entities the converter wrote into each briefing (see metadata.py), merges them across
briefings by slug, adds the gazetteer's description and aliases, and writes
`entity/<slug>.html` plus index pages per type under `entities/`. The template context gets
`entities` (most briefings first) and each article `entities` (in order of first mention).
"""

import logging
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from blinker import signal as named_signal
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from briefing.file_states import file_state

from .graph import cooccurrence_svg
from .metadata import entity_slug, reading_entities
from .quotes import QuoteFile
from .years import counts, year_pages

QUOTES = QuoteFile()  # the mentions' sentences, for the whole build

log = logging.getLogger(__name__)

DEFAULTS = {
    "ENTITY_URL": "entity/{slug}.html",
    "ENTITY_SAVE_AS": "entity/{slug}.html",
    "ENTITY_GAZETTEER": "",
    "ENTITY_ONE_PAGE_MAX": 300,  # briefings and events one entity page shows (see years.py)
    "ENTITY_YEAR_URL": "entity/{slug}/{year}.html",
    "ENTITY_YEAR_SAVE_AS": "entity/{slug}/{year}.html",
    "ENTITY_MONTH_URL": "entity/{slug}/{year}-{month:02}.html",
    "ENTITY_MONTH_SAVE_AS": "entity/{slug}/{year}-{month:02}.html",
    "ENTITY_NEIGHBOURS_MAX": 8,
    "ENTITY_LATEST_EVENTS": 8,  # events the page of an entity with year pages shows
    "ENTITY_GRAPH_MAX": 16,
}
# Index pages, one per type, and their order on entities/index.html.
INDEXES = {"person": ("people", "People"), "organisation": ("organisations", "Organisations"),
           "place": ("places", "Places")}
INDEX_ALL = "entities/index.html"


def setting(settings, name):
    return settings.get(name, DEFAULTS[name])


@dataclass(eq=False)
class Entity:
    """One entity across the whole site."""

    name: str
    type: str
    slug: str
    url: str
    save_as: str
    description: str = ""
    aliases: list[str] = field(default_factory=list)
    discovered: bool = False
    briefings: list = field(default_factory=list)  # articles, newest first
    # Mention, one per briefing that quotes it; none once they are on its year pages
    mentions: list = field(default_factory=list)
    events: list = field(default_factory=list)  # merged events (plugins/chronology)
    neighbours: list[tuple] = field(default_factory=list)  # (entity, briefings shared)
    years: list = field(default_factory=list)  # YearCount of its year pages, newest first, if any

    @property
    def count(self) -> int:
        return len(self.briefings)

    @property
    def unquoted_briefings(self) -> list:
        """Briefings that name the entity without a sentence to quote (only in metadata)."""
        quoted = {id(mention.article) for mention in self.mentions}
        return [article for article in self.briefings if id(article) not in quoted]

    @property
    def type_label(self) -> str:
        return {"person": "Person", "organisation": "Organisation", "place": "Place"}[self.type]

    @property
    def index_url(self) -> str:
        return f"entities/{INDEXES[self.type][0]}.html"

    def __str__(self) -> str:
        return self.name


class Overview:
    """An entity as its own page shows it once its sentences and events are on its year pages:
    who it is, how many briefings name it, its years' counts, its latest events (`events`),
    its neighbours. A page's key (plugins/parallel_render/reuse.py) walks only what
    `__getstate__` gives, not every briefing that names it nor every event: a date corrected
    at 1,000 rendered again the 8 such pages it reached, whose bytes had not changed. So
    entity.html must read of an entity with year pages no more than these properties."""

    __slots__ = ("entity", "events")

    def __init__(self, entity: Entity, latest: int):
        self.entity = entity
        self.events = entity.events[-latest:] if latest else []

    def __getstate__(self) -> tuple:
        entity = self.entity
        return (entity.name, entity.type, entity.slug, entity.url, entity.description, entity.aliases,
                entity.discovered, entity.count, entity.years, self.events, entity.neighbours)

    def __reduce__(self):
        return Overview, (self.entity, len(self.events))

    name = property(lambda self: self.entity.name)
    type = property(lambda self: self.entity.type)
    type_label = property(lambda self: self.entity.type_label)
    index_url = property(lambda self: self.entity.index_url)
    slug = property(lambda self: self.entity.slug)
    url = property(lambda self: self.entity.url)
    description = property(lambda self: self.entity.description)
    aliases = property(lambda self: self.entity.aliases)
    discovered = property(lambda self: self.entity.discovered)
    count = property(lambda self: self.entity.count)
    years = property(lambda self: self.entity.years)
    neighbours = property(lambda self: self.entity.neighbours)


class Mention:
    """An entity's first mention in one briefing: the sentence around it and where it is.
    Slots, not a dict: there is one for each entity of each briefing. The sentence waits in a
    temporary file until a page shows it (quotes.py)."""

    __slots__ = ("article", "anchor", "place")

    def __init__(self, article, anchor: str, before: str, text: str, after: str):
        self.article = article
        self.set(anchor, before, text, after)

    def set(self, anchor: str, before: str, text: str, after: str) -> None:
        self.anchor, self.place = anchor, QUOTES.add(before, text, after)

    @property
    def quote(self) -> tuple[str, str, str]:
        """The text before the mention, the mention, the text after it."""
        return QUOTES.read(self.place)

    @property
    def before(self) -> str:
        return self.quote[0]

    @property
    def text(self) -> str:
        return self.quote[1]

    @property
    def after(self) -> str:
        return self.quote[2]

    def __getstate__(self):
        """What a page shows of the mention (plugins/parallel_render/reuse.py reads it)."""
        return self.article, self.anchor, self.quote

    @property
    def url(self) -> str:
        return self.article.url + (f"#{self.anchor}" if self.anchor else "")


@dataclass
class EntityIndex:
    """An index page: all entities of one type (or of every type)."""

    title: str
    url: str
    entities: list[Entity]
    type: str = ""


def load_gazetteer(settings) -> dict[str, dict]:
    """Canonical name and every alias (case-folded) → gazetteer entry; {} when there is none.
    Parsed once while the file stays as it was: the keeper (plugins/preview) looks entities up
    in it at every preview, where parsing it took a quarter of the time."""
    path = setting(settings, "ENTITY_GAZETTEER")
    if not path:
        return {}
    return gazetteer_lookup(path, file_state(path))


@lru_cache(maxsize=4)
def gazetteer_lookup(path: str, state) -> dict[str, dict]:
    try:
        with open(path, "rb") as handle:
            entries = tomllib.load(handle).get("entity", [])
    except (OSError, tomllib.TOMLDecodeError) as error:
        log.warning("entities: cannot read gazetteer %s: %s", path, error)
        return {}
    lookup = {}
    for entry in entries:
        for form in [entry["name"], *entry.get("aliases", [])]:
            lookup.setdefault(form.casefold(), entry)
    return lookup


def build_entities(articles, settings) -> list[Entity]:
    """Merge the briefings' entities into site-wide ones; set `article.entities`."""
    gazetteer = load_gazetteer(settings)
    by_slug: dict[str, Entity] = {}
    types: dict[str, Counter] = defaultdict(Counter)
    for article in articles:
        own = []
        for item in getattr(article, "metadata", {}).get("entities", []) or []:
            entity = entity_for(item, gazetteer, by_slug, settings)
            types[entity.slug][item["type"]] += 1
            if entity in own:
                continue
            own.append(entity)
            entity.briefings.append(article)
            for form in item["forms"]:
                if form != entity.name and form not in entity.aliases:
                    entity.aliases.append(form)
            mention = item.get("mention")
            if mention:
                entity.mentions.append(Mention(article, mention["anchor"], mention["before"],
                                               mention["text"], mention["after"]))
        article.entities = own
    for slug, entity in by_slug.items():
        if not gazetteer.get(entity.name.casefold()):
            entity.type = types[slug].most_common(1)[0][0]  # an editor's correction counts
    return sorted(by_slug.values(), key=lambda e: (-e.count, e.name.casefold()))


def entity_for(item: dict, gazetteer: dict, by_slug: dict, settings) -> Entity:
    known = gazetteer.get(item["name"].casefold())
    name = known["name"] if known else item["name"]
    slug = entity_slug(name, settings)
    if slug not in by_slug:
        by_slug[slug] = Entity(
            name=name, type=known["type"] if known else item["type"], slug=slug,
            url=setting(settings, "ENTITY_URL").format(slug=slug),
            save_as=setting(settings, "ENTITY_SAVE_AS").format(slug=slug),
            description=known.get("description", "") if known else "",
            aliases=list(known.get("aliases", [])) if known else [],
            discovered=known is None)
    return by_slug[slug]


def link_neighbours(entities: list[Entity], limit: int) -> dict[tuple, int]:
    """Entities that appear in the same briefings, most shared first; returns pair counts."""
    pairs: Counter = Counter()
    seen_articles = {}
    for entity in entities:
        for article in entity.briefings:
            seen_articles[id(article)] = article
    for article in seen_articles.values():
        pairs.update(combinations(sorted(entity.slug for entity in article.entities), 2))
    by_slug = {entity.slug: entity for entity in entities}
    neighbours: dict[str, Counter] = defaultdict(Counter)
    for (first, second), count in pairs.items():
        neighbours[first][second] = count
        neighbours[second][first] = count
    for entity in entities:
        ranked = sorted(neighbours[entity.slug].items(),
                        key=lambda item: (-item[1], -by_slug[item[0]].count, item[0]))
        entity.neighbours = [(by_slug[slug], count) for slug, count in ranked[:limit]]
    return pairs


def indexes(entities: list[Entity]) -> list[EntityIndex]:
    return [EntityIndex(title, f"entities/{page}.html", [e for e in entities if e.type == kind], kind)
            for kind, (page, title) in INDEXES.items()]


def add_entities(generator) -> None:
    settings = generator.settings
    articles = generator.articles
    entities = build_entities(articles, settings)
    pairs = link_neighbours(entities, setting(settings, "ENTITY_NEIGHBOURS_MAX"))
    generator.context["entities"] = entities
    generator.context["entity_indexes"] = indexes(entities)
    generator.context["entity_graph"] = Markup(
        cooccurrence_svg(entities, pairs, setting(settings, "ENTITY_GRAPH_MAX")))
    generator.context["entity_pairs"] = top_pairs(entities, pairs, 12)
    QUOTES.flush()  # before the rendering processes fork: they only read
    for article in articles:
        article.entities = getattr(article, "entities", [])
        if "entities" in getattr(article, "metadata", {}):
            # The reader's dicts are read: the metadata now holds what the attribute holds, and
            # every briefing's dicts are let go (some 80 MB at 10,000 briefings).
            article.metadata["entities"] = article.entities


def top_pairs(entities: list[Entity], pairs: dict, limit: int) -> list[tuple]:
    by_slug = {entity.slug: entity for entity in entities}
    ranked = sorted(pairs.items(), key=lambda item: (-item[1], item[0]))
    return [(by_slug[a], by_slug[b], count) for (a, b), count in ranked[:limit]]


class EntityPagesGenerator(Generator):
    """Writes entity/<slug>.html (and its year pages, see years.py) and the index pages under
    entities/. Events are known by now (plugins/chronology)."""

    def generate_output(self, writer) -> None:
        relative = self.settings["RELATIVE_URLS"]
        entity_template = self.get_template("entity")
        year_template = self.get_template("entity_year")
        index_template = self.get_template("entities")
        limit = setting(self.settings, "ENTITY_ONE_PAGE_MAX")
        urls = {name: setting(self.settings, name) for name in (
            "ENTITY_YEAR_URL", "ENTITY_YEAR_SAVE_AS", "ENTITY_MONTH_URL", "ENTITY_MONTH_SAVE_AS")}
        latest = setting(self.settings, "ENTITY_LATEST_EVENTS")
        for entity in self.context.get("entities", []):
            periods = year_pages(entity, limit, urls)
            shown = entity
            if periods:  # its sentences are on its year pages now: its own page is an overview
                entity.years = counts([period for period in periods if not period.month])
                entity.mentions = []
                shown = Overview(entity, latest)
            writer.write_file(entity.save_as, entity_template, self.context, relative_urls=relative,
                              entity=shown, page_name="entity")
            for period in periods:
                writer.write_file(period.save_as, year_template, self.context, relative_urls=relative,
                                  entity_year=period, page_name="entity")
        all_index = EntityIndex("Entities", INDEX_ALL, self.context.get("entities", []))
        for index in [all_index, *self.context.get("entity_indexes", [])]:
            writer.write_file(index.url, index_template, self.context, relative_urls=relative,
                              index=index, page_name="entities")


def add_reader(readers) -> None:
    for extension, reader_class in list(readers.reader_classes.items()):
        if extension in ("md", "markdown", "mkd", "mdown"):
            readers.reader_classes[extension] = reading_entities(reader_class, readers.settings)


def get_generators(pelican_object):
    return EntityPagesGenerator


def requote(article, fresh, pages, **_) -> list | str:
    """plugins/preview's keeper read a briefing's text again, its metadata as before (`fresh`:
    the briefing as its file reads now): the sentences that first name its entities, which
    the entity pages quote, may be reworded or moved. Sets each of its mentions as `fresh`
    gives it; returns the keeper's `pages` that show one that changed, or why the keeper
    cannot finish the edit (an entity quoted before and no longer, or the other way)."""
    shown = quoting_pages(pages, article)
    now = first_mentions(fresh, article.entities, article.settings)
    changed = []
    for entity in article.entities:
        mention, quoting = shown.get(id(entity), (None, []))
        new = now.get(id(entity))
        if (mention is None) != (new is None):
            return f"the edit changes whether the page of {entity.name} quotes {article.source_path}"
        if mention is None:
            continue
        quote = (new["before"], new["text"], new["after"])
        if (mention.anchor, mention.quote) != (new["anchor"], quote):
            mention.set(new["anchor"], *quote)
            changed += quoting
    return changed


def quoting_pages(pages, article) -> dict[int, tuple]:
    """id(entity) → (its mention of `article`, the pages that show that mention: its own page
    or one of its year pages)."""
    found: dict[int, tuple] = {}
    for page in pages:
        subject = page.own.get("entity") or page.own.get("entity_year")
        for mention in getattr(subject, "mentions", ()):
            if mention.article is article:
                entity = subject if isinstance(subject, Entity) else subject.entity
                found.setdefault(id(entity), (mention, []))[1].append(page)
    return found


def first_mentions(fresh, entities: list[Entity], settings) -> dict[int, object]:
    """id(entity) → the mention `fresh` gives it (None: none), as build_entities takes it: the
    first of the briefing's entries for that entity."""
    gazetteer = load_gazetteer(settings)
    by_slug = {entity.slug: entity for entity in entities}
    mentions: dict[int, object] = {}
    for item in fresh.metadata.get("entities", []) or []:
        entity = entity_for(item, gazetteer, by_slug, settings)
        mentions.setdefault(id(entity), item.get("mention"))
    return mentions


def close_quotes(pelican) -> None:
    QUOTES.close()


def register() -> None:
    signals.finalized.connect(close_quotes)
    named_signal("briefing_text_edited").connect(requote)  # sent by plugins/preview's keeper
    signals.readers_init.connect(add_reader)
    signals.article_generator_finalized.connect(add_entities)
    signals.get_generators.connect(get_generators)

