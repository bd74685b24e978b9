"""A deterministic corpus of synthetic dirty seeds, in the styles of the real clippings.

The benchmark and the converter's tests need thousands of seeds that look like what users
scrape: glued dates, publisher suffixes, photo captions, boilerplate, odd encodings, and a few
actors named everywhere while most are named once. All words live in
``data/corpus_vocabulary.toml``; this module only assembles them.

Each file is made from its own RNG, derived from the corpus seed and the file's index, so the
first 100 files of a 1,000-file corpus are the 100 files of a 100-file corpus.

    >>> files = list(generate_corpus(3))
    >>> [name[:6] for name, _ in files]
    ['00000_', '00001_', '00002_']
    >>> files == list(generate_corpus(3))
    True
"""

from __future__ import annotations

import bisect
import hashlib
import random
import re
import textwrap
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

VOCABULARY = Path(__file__).parent / "data" / "corpus_vocabulary.toml"

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

SLOT = re.compile(r"\{([a-z_]+?)(\d*)(?:\.([a-z]+))?\}")
CAST_KINDS = ("person", "org", "group", "country", "city", "region")
MID_BOILERPLATE = ("newsletter", "subscribe", "advertisement", "read_more", "related_label")
STRAIGHT_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


# ---------------------------------------------------------------------------- the world

@dataclass(frozen=True, eq=False)  # each actor is one object: identity is equality, and fast
class Entity:
    """A person, organisation or place, with the forms the text may use for it."""

    kind: str
    name: str
    short: str = ""
    the: bool = False
    surname: str = ""
    roles: tuple[str, ...] = ()
    demonym: str = ""
    country: str = ""
    aliases: tuple[str, ...] = ()
    topics: frozenset[str] = frozenset()
    militant: bool = False

    def first_form(self, rng: random.Random) -> str:
        if self.kind == "person":
            return f"{rng.choice(self.roles)} {self.name}" if self.roles else self.name
        text = self.name
        short_share = 0.6 if self.kind == "org" else 0.1
        if self.short and rng.random() < short_share:
            text = f"{text} ({self.short})"
        return "the " + text if self.the else text

    def later_form(self, rng: random.Random) -> str:
        if self.kind == "person":
            return self.surname
        if self.aliases and rng.random() < 0.15:
            return rng.choice(self.aliases)
        text = self.short if self.short and rng.random() < 0.7 else self.name
        return "the " + text if self.the else text

    def attribute(self, attr: str, rng: random.Random) -> str:
        if attr == "role":
            return rng.choice(self.roles) if self.roles else ""
        if attr == "short":
            return self.short or self.name
        if attr == "demonym":
            return self.demonym or self.name
        return getattr(self, attr)


class Pool:
    """Items drawn with fixed weights (cumulative, so a draw is one bisect)."""

    def __init__(self, items: list, weights: list[float]):
        self.items = items
        self.cumulative = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    @classmethod
    def ranked(cls, items: list, ranks: list[int], exponent: float) -> Pool:
        return cls(items, [1.0 / rank**exponent for rank in ranks])

    def draw(self, rng: random.Random):
        at = bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])
        return self.items[min(at, len(self.items) - 1)]

    def draw_distinct(self, rng: random.Random, count: int) -> list:
        chosen: list = []
        for _ in range(count * 4):
            item = self.draw(rng)
            if item not in chosen:
                chosen.append(item)
                if len(chosen) == count:
                    return chosen
        # A pool led by one heavy item rarely yields the rest by chance: take them in rank order.
        rest = [item for item in self.items if item not in chosen]
        return chosen + rest[: count - len(chosen)]


@dataclass
class World:
    """The vocabulary, loaded once, with every pool ready to draw from."""

    data: dict
    topics: Pool
    publishers: Pool
    media: Pool
    pools: dict[str, dict[str, Pool]]
    mixes: dict[str, Pool]
    events: list[tuple[date, str]]
    encodings: Pool
    trailings: Pool
    cities: dict[str, Entity]

    @property
    def templates(self) -> dict:
        return self.data["templates"]


@lru_cache(maxsize=4)
def load_world(path: Path = VOCABULARY) -> World:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    dist = data["distribution"]
    topics = data["topics"]
    media = data["media"]["names"]
    entities = load_entities(data) + tail_people(data, topics)
    return World(
        data=data,
        topics=Pool.ranked(topics, list(range(1, len(topics) + 1)), dist["topic_exponent"]),
        publishers=load_publishers(data),
        media=Pool.ranked(media, list(range(1, len(media) + 1)), dist["zipf_exponent"]),
        pools=topic_pools(entities, [t["key"] for t in topics], dist["zipf_exponent"]),
        mixes={name: weighted_pool(mix) for name, mix in data["mix"].items()},
        events=sorted((e["date"], e["text"]) for e in data["events"]),
        encodings=weighted_pool(data["layout"]["encoding"]),
        trailings=weighted_pool(data["layout"]["trailing"]),
        cities={e.name: e for _, e in entities if e.kind == "city"},
    )


def weighted_pool(table: dict[str, float]) -> Pool:
    return Pool(list(table), list(table.values()))


def load_publishers(data: dict) -> Pool:
    profiles = [{**data["publisher_defaults"], **entry} for entry in data["publishers"]]
    return Pool(profiles, [p["weight"] for p in profiles])


def load_entities(data: dict) -> list[tuple[int, Entity]]:
    """Every listed actor with its rank within its kind (1 = most common)."""
    tables = {"person": "people", "org": "orgs", "country": "countries", "city": "cities",
              "region": "regions"}
    ranked = []
    for kind, table in tables.items():
        for rank, entry in enumerate(data[table], start=1):
            ranked.append((rank, make_entity(kind, entry)))
    return ranked


def make_entity(kind: str, entry: dict) -> Entity:
    return Entity(
        kind=kind,
        name=entry["name"],
        short=entry.get("short", ""),
        the=entry.get("the", False),
        surname=entry.get("surname", entry["name"].split()[-1]),
        roles=tuple(entry.get("roles", ())),
        demonym=entry.get("demonym", ""),
        country=entry.get("country", ""),
        aliases=tuple(entry.get("aliases", ())),
        topics=frozenset(entry.get("topics", ())),
        militant=entry.get("militant", False),
    )


def tail_people(data: dict, topics: list[dict]) -> list[tuple[int, Entity]]:
    """Minor actors made from name parts: the long tail, each ranked after the listed people."""
    rng = random.Random("corpus-tail")
    names = data["names"]
    keys = [t["key"] for t in topics]
    first_rank = len(data["people"]) + 1
    people, seen = [], set()
    for _ in range(data["distribution"]["tail_people"]):
        name = f"{rng.choice(names['first'])} {rng.choice(names['last'])}"
        if name in seen:
            continue
        seen.add(name)
        person = Entity("person", name, surname=name.split()[-1],
                        roles=(rng.choice(names["roles"]),),
                        topics=frozenset(rng.sample(keys, rng.randint(1, 2))))
        people.append((first_rank + len(people), person))
    return people


def topic_pools(ranked: list[tuple[int, Entity]], keys: list[str], exponent: float):
    """For each kind and topic, the actors that belong to it, keeping their global weights.

    A "group" is a militant organisation; a topic that names none borrows all of them."""
    pools: dict[str, dict[str, Pool]] = {kind: {} for kind in CAST_KINDS}
    for kind in CAST_KINDS:
        of_kind = [(r, e) for r, e in ranked if fits_kind(e, kind)]
        for key in keys:
            members = [(r, e) for r, e in of_kind if not e.topics or key in e.topics] or of_kind
            items, ranks = [e for _, e in members], [r for r, _ in members]
            pools[kind][key] = Pool.ranked(items, ranks, exponent)
    return pools


def fits_kind(entity: Entity, kind: str) -> bool:
    if kind == "group":
        return entity.militant
    return entity.kind == kind


# ---------------------------------------------------------------------------- writing

class Writer:
    """Fills templates for one article, remembering whom it has already introduced."""

    def __init__(self, rng: random.Random, world: World, topic: dict, published: date):
        self.rng = rng
        self.world = world
        self.topic = topic
        self.published = published
        self.cast = {kind: self.draw_cast(kind) for kind in CAST_KINDS}
        self.introduced: set[Entity] = set()

    def draw_cast(self, kind: str) -> Pool:
        low, high = self.world.data["distribution"]["cast"][kind]
        pool = self.world.pools[kind][self.topic["key"]]
        chosen = pool.draw_distinct(self.rng, self.rng.randint(low, high))
        # The first actors drawn lead the story: they come back more often.
        return Pool(chosen, [1.0 / (i + 1) for i in range(len(chosen))])

    def fill(self, template: str) -> str:
        chosen: dict[str, object] = {}
        return capitalize_first(self.expand(template, chosen))

    def expand(self, template: str, chosen: dict) -> str:
        return SLOT.sub(lambda match: self.slot(match, chosen), template)

    def slot(self, match: re.Match, chosen: dict) -> str:
        kind, number, attr = match.groups()
        if kind in self.cast or kind in ("place", "media"):
            return self.mention(self.entity(kind, number, chosen), attr)
        maker = DATE_SLOTS.get(kind)
        if maker:
            return maker(self)
        return self.expand(self.rng.choice(self.phrases(kind)), chosen)

    def phrases(self, kind: str) -> list[str]:
        found = self.topic.get(kind) or self.world.data["phrases"].get(kind)
        if not found:
            raise KeyError(f"no phrases for slot {{{kind}}} in {VOCABULARY.name}")
        return found

    def entity(self, kind: str, number: str, chosen: dict):
        key = kind + number
        if key not in chosen:
            chosen[key] = self.draw_other(kind, chosen.values())
        return chosen[key]

    def draw_other(self, kind: str, taken) -> object:
        if kind == "place":
            kind = self.rng.choice(("city", "region"))
        pool = self.world.media if kind == "media" else self.cast[kind]
        item = pool.draw(self.rng)
        if item in taken:
            item = next((other for other in pool.items if other not in taken), item)
        return item

    def mention(self, item, attr: str | None) -> str:
        if isinstance(item, str):  # a media outlet
            return item
        if attr:
            return item.attribute(attr, self.rng)
        if item in self.introduced:
            return item.later_form(self.rng)
        self.introduced.add(item)
        return item.first_form(self.rng)

    def choose(self, group: str) -> str:
        if group == "topic":
            return self.rng.choice(self.topic["sentence"])
        return self.rng.choice(self.world.templates[group])

    def sentences(self, budget: int, opinion: bool) -> list[str]:
        mix = self.world.mixes["opinion" if opinion else "news"]
        out = [self.fill(self.choose("lede"))]
        words, has_event, used = count_words(out[0]), False, set()
        for _ in range(4 * budget):  # bounded, though the budget is met long before
            if words >= budget:
                break
            group = mix.draw(self.rng)
            template = self.choose(group)
            # A real article rarely repeats a turn of phrase, and never a whole sentence.
            if template in used and self.rng.random() < 0.8:
                continue
            used.add(template)
            sentence = self.fill(template)
            if sentence in out:
                continue
            has_event = has_event or group == "event"
            out.append(sentence)
            words += count_words(sentence)
        if not has_event:  # every article feeds the chronology at least once
            out.insert(self.rng.randint(1, len(out)), self.fill(self.choose("event")))
        return out

    def headline(self) -> str:
        topical = self.rng.random() < 0.7
        templates = self.topic["headline"] if topical else self.world.templates["headline"]
        return self.fill(self.rng.choice(templates)).rstrip(".")

    def headlines(self, count: int) -> list[str]:
        found: list[str] = []
        for _ in range(3 * count):
            headline = self.headline()
            if headline not in found:
                found.append(headline)
            if len(found) == count:
                break
        return found

    def tags(self) -> list[str]:
        topic_tags = self.topic["tags"]
        tags = self.rng.sample(topic_tags, self.rng.randint(1, min(3, len(topic_tags))))
        for kind in ("country", "person", "org", "city"):
            if self.rng.random() < 0.6:
                tags.append(self.cast[kind].items[0].attribute("short", self.rng))
        return list(dict.fromkeys(tags))

    def dateline_city(self) -> Entity:
        return self.rng.choice(self.cast["city"].items)

    # Dates in the text, always before the publication date.
    def days_ago(self, low: int, high: int) -> date:
        return self.published - timedelta(days=self.rng.randint(low, high))

    def months_ago(self, low: int, high: int) -> tuple[int, int]:
        index = self.published.year * 12 + self.published.month - 1 - self.rng.randint(low, high)
        return divmod(index, 12)

    def on_day(self) -> str:
        day = self.days_ago(1, 120)
        text = f"on {MONTHS[day.month - 1]} {day.day}"
        if day.year != self.published.year or self.rng.random() < 0.25:
            text += f", {day.year}"
        return text

    def month_year(self) -> str:
        year, month = self.months_ago(1, 40)
        return f"{MONTHS[month]} {year}"

    def weekday(self) -> str:
        return f"on {WEEKDAYS[self.days_ago(1, 6).weekday()]}"

    def recent(self) -> str:
        if self.rng.random() < 0.3:
            return self.weekday()
        return self.rng.choice(self.world.data["phrases"]["recent"])

    def history(self) -> str:
        known = self.world.events
        earlier = bisect.bisect(known, (self.published,))
        return self.rng.choice(known[:earlier])[1]

    def photo_date(self) -> str:
        day = self.days_ago(0, 900)
        return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"

    def person_name(self) -> str:
        names = self.world.data["names"]
        return f"{self.rng.choice(names['first'])} {self.rng.choice(names['last'])}"


DATE_SLOTS: dict[str, Callable[[Writer], str]] = {
    "on_day": Writer.on_day,
    "in_month": lambda w: "in " + w.month_year(),
    "month_year": Writer.month_year,
    "weekday": Writer.weekday,
    "recent": Writer.recent,
    "year": lambda w: str(w.published.year - w.rng.randint(1, 6)),
    "history": Writer.history,
    "photo_date": Writer.photo_date,
    "photographer": Writer.person_name,
}


def capitalize_first(text: str) -> str:
    """Upper-case the first letter, looking past an opening quote but not past a digit."""
    for i, char in enumerate(text[:4]):
        if char.isalnum():
            return text[:i] + char.upper() + text[i + 1:]
    return text


def count_words(text: str) -> int:
    return text.count(" ") + 1


# ---------------------------------------------------------------------------- articles

@dataclass
class Article:
    """What a clipping says, before it is dressed in one outlet's boilerplate."""

    topic: dict
    publisher: dict
    published: date
    clock: str
    title: str
    paragraphs: list[str]
    tags: list[str]
    caption: str
    portrait: str
    photographer: str
    author: str
    dateline_city: Entity
    related: list[str]


def make_article(world: World, rng: random.Random) -> Article:
    dist = world.data["distribution"]
    topic = world.topics.draw(rng)
    publisher = world.publishers.draw(rng)
    published = draw_date(rng, topic.get("years", dist["years"]))
    writer = Writer(rng, world, topic, published)
    opinion = rng.random() < publisher["opinion"]
    sentences = writer.sentences(rng.randint(*dist["body_words"]), opinion)
    return Article(
        topic=topic,
        publisher=publisher,
        published=published,
        clock=f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
        title=writer.headline(),
        paragraphs=split_paragraphs(rng, sentences, rng.randint(*dist["paragraphs"])),
        tags=writer.tags(),
        caption=writer.fill(rng.choice(world.templates["caption"])),
        portrait=writer.fill(rng.choice(world.templates["portrait"])),
        photographer=writer.person_name(),
        author=writer.person_name(),
        dateline_city=writer.dateline_city(),
        related=writer.headlines(rng.randint(*dist["related_headlines"])),
    )


def draw_date(rng: random.Random, years: list[int]) -> date:
    first, last = date(years[0], 1, 1).toordinal(), date(years[1], 12, 31).toordinal()
    return date.fromordinal(rng.randint(first, last))


def split_paragraphs(rng: random.Random, sentences: list[str], wanted: int) -> list[str]:
    count = max(1, min(wanted, len(sentences)))
    cuts = sorted(rng.sample(range(1, len(sentences)), count - 1))
    bounds = [0, *cuts, len(sentences)]
    return [" ".join(sentences[a:b]) for a, b in zip(bounds, bounds[1:])]


# ---------------------------------------------------------------------------- dressing

@dataclass
class Style:
    """The choices one seed makes among its outlet's habits."""

    date_shape: str
    boilerplate: set[str]
    title: bool
    byline: bool
    caption: str
    dateline: str
    pad: str
    nbsp: bool
    hard_wrap: bool
    star: str  # "glued" to the last paragraph, a "line" of its own, or ""


def choose_style(rng: random.Random, profile: dict, layout: dict) -> Style:
    def maybe(share: float) -> bool:
        return rng.random() < share

    return Style(
        date_shape=rng.choice(profile["dates"]),
        boilerplate={kind for kind, share in profile["boilerplate"].items()
                     if kind != "star" and maybe(share)},
        title=maybe(profile["titles"]),
        byline=maybe(profile["byline"]),
        caption=rng.choice(profile["captions"]) if maybe(profile["caption_rate"]) else "",
        dateline=rng.choice(profile["datelines"]) if maybe(profile["dateline_rate"]) else "",
        pad="    " if maybe(profile["indent"]) else "",
        nbsp=maybe(profile["nbsp"]),
        hard_wrap=maybe(layout["hard_wrap"]),
        star=rng.choice(("glued", "line")) if maybe(profile["boilerplate"].get("star", 0)) else "",
    )


DATE_LINES: dict[str, Callable[[date, str], str]] = {
    "gmt_glued": lambda d, clock: f"{clock} GMT{d.day} {MONTHS[d.month - 1]} {d.year}",
    "gmt_dotted": lambda d, clock: f"{clock} GMT {d.day:02d}.{d.month:02d}.{d.year}",
    "published": lambda d, clock: f"Published: {d.day} {MONTHS[d.month - 1]} {d.year}",
    "month_d_yyyy": lambda d, clock: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
}


def dress(article: Article, rng: random.Random, world: World) -> str:
    """The article as one outlet's page, scraped: a list of blocks, joined."""
    profile = article.publisher
    style = choose_style(rng, profile, world.data["layout"])
    blocks = (head_blocks(article, style, rng, world) + caption_blocks(article, style, rng, world)
              + body_blocks(article, style, rng, world) + tail_blocks(article, style, rng, world))
    text = join_blocks(blocks, rng, world.data["layout"])
    if style.date_shape == "date_prefix":
        space = " " if rng.random() < world.data["layout"]["date_prefix_space"] else ""
        text = f"{space}date {article.published.isoformat()} {text}"
    return text + {"none": "", "single": "\n", "double": "\n\n"}[world.trailings.draw(rng)]


def head_blocks(article: Article, style: Style, rng: random.Random, world: World) -> list[str]:
    profile = article.publisher
    lines = []
    if style.title:
        title = title_case(article.title) if profile["title_case"] else article.title
        lines.append(f"{title}{profile['separator']}{profile['suffix'] or profile['name']}")
    if style.byline:
        lines.append(f"By {article.author}")
    if style.date_shape in DATE_LINES:
        at = 0 if style.date_shape.startswith("gmt") else len(lines)
        lines.insert(at, DATE_LINES[style.date_shape](article.published, article.clock))
    labels = [kind for kind in ("listen_live", "section", "short_url") if kind in style.boilerplate]
    for kind in labels:  # as on Sputnik's pages, only the radio link is not indented
        label = rng.choice(world.data["boilerplate"][kind])
        lines.append(label if kind == "listen_live" else style.pad + label)
    if profile["head_joined"] and lines:
        return ["\n".join(lines)]
    return lines


def caption_blocks(article: Article, style: Style, rng: random.Random, world: World) -> list[str]:
    words = world.data["boilerplate"]
    agency = rng.choice(words["agency"])
    if style.caption == "file_credit":
        credit = rng.choice(words["credit"]).replace("{photographer}", article.photographer)
        return [f"FILE – {article.caption}", credit]
    if style.caption == "agency":
        return [f"{article.caption} {agency}"]
    if style.caption == "glued":
        return [f"{article.portrait} {agency}"]
    return []


def body_blocks(article: Article, style: Style, rng: random.Random, world: World) -> list[str]:
    body = list(article.paragraphs)
    if style.dateline:
        body[0] = dateline(article, style.dateline, rng, world) + body[0]
    if style.nbsp:
        body = [p + "\xa0" if rng.random() < 0.4 else p for p in body]
    if style.star == "glued":
        body[-1] += " *"
    if style.hard_wrap:
        body = [textwrap.fill(p, width=72) for p in body]
    for kind in MID_BOILERPLATE:
        if kind in style.boilerplate:
            at = rng.randint(1, len(body))  # never before the lede
            body[at:at] = mid_blocks(kind, article, rng, world)
    return [indent(block, style.pad) for block in body]


def dateline(article: Article, form: str, rng: random.Random, world: World) -> str:
    bureaus = article.publisher["bureaus"]
    city = article.dateline_city
    if bureaus and rng.random() < 0.7:
        city = world.cities[rng.choice(bureaus)]
    day = article.published
    return world.data["datelines"][form].format(
        CITY=city.name.upper(), City=city.name, Country=city.country,
        Mon=MONTHS[day.month - 1][:3], day=day.day)


def mid_blocks(kind: str, article: Article, rng: random.Random, world: World) -> list[str]:
    choice = rng.choice(world.data["boilerplate"][kind])
    if kind == "newsletter":
        return list(choice)
    return [choice.replace("{headline}", rng.choice(article.related))]


def tail_blocks(article: Article, style: Style, rng: random.Random, world: World) -> list[str]:
    words = world.data["boilerplate"]
    lines = []
    if "related" in style.boilerplate:
        related = article.related
        lines += [title_case(h) for h in related] if article.publisher["title_case"] else related
    if "tag_line" in style.boilerplate:
        lines.append(", ".join(article.tags))
    if "share" in style.boilerplate:
        lines += rng.choice(words["share"])
    if "discussion" in style.boilerplate:
        lines.append(rng.choice(words["discussion"]))
    blocks = ["\n" + indent("\n".join(lines), style.pad)] if lines else []
    if style.star == "line":
        blocks.append("*")
    return blocks


def indent(block: str, pad: str) -> str:
    if not pad:
        return block
    return "\n".join(pad + line if line else line for line in block.split("\n"))


def join_blocks(blocks: list[str], rng: random.Random, layout: dict) -> str:
    gap = "\n" if rng.random() < layout["single_newline"] else "\n\n"
    loose = rng.random() < layout["double_blank"]
    parts = [blocks[0]]
    for block in blocks[1:]:
        parts.append(gap + "\n" if loose and rng.random() < 0.3 else gap)
        parts.append(block)
    return "".join(parts)


def title_case(text: str) -> str:
    small = {"a", "an", "the", "of", "in", "on", "for", "to", "and", "or", "with", "at", "by", "as"}
    words = text.split(" ")
    return " ".join(w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))


# ---------------------------------------------------------------------------- bytes

def mojibake(text: str) -> str:
    """UTF-8 bytes misread as Windows-1252, as a careless scraper saves them."""
    return text.encode("utf-8").decode("latin-1").translate(CP1252_FROM_LATIN1)


CP1252_FROM_LATIN1 = {
    b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0)
    if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}

ENCODERS: dict[str, Callable[[str], bytes]] = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-sig": lambda text: text.encode("utf-8-sig"),
    "cp1252": lambda text: text.encode("cp1252"),
    "mojibake": lambda text: mojibake(text).encode("utf-8"),
}


def to_bytes(text: str, rng: random.Random, world: World) -> bytes:
    layout = world.data["layout"]
    if rng.random() < layout["straight_quotes"]:
        text = text.translate(STRAIGHT_QUOTES)
    if rng.random() < layout["crlf"]:
        text = text.replace("\n", "\r\n")
    return ENCODERS[world.encodings.draw(rng)](text)


# ---------------------------------------------------------------------------- corpus

def rng_for(seed: int, index: int, part: str) -> random.Random:
    return random.Random(f"{seed}:{index}:{part}")


def make_seed(world: World, seed: int, index: int) -> bytes:
    """One seed file's bytes; a few re-dress (or copy) an earlier article, as scrapers do."""
    dist = world.data["distribution"]
    rng = rng_for(seed, index, "dress")
    source = index
    if index and rng.random() < dist["duplicate_rate"]:
        source = rng.randrange(index)
        if rng.random() < dist["exact_duplicate_share"]:
            return make_seed(world, seed, source)
    article = make_article(world, rng_for(seed, source, "article"))
    return to_bytes(dress(article, rng, world), rng, world)


def seed_name(index: int, data: bytes) -> str:
    return f"{index:05d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"


def generate_corpus(n: int, seed: int = 0) -> Iterator[tuple[str, bytes]]:
    """Yield (file name, file bytes) for n synthetic seeds; the same n and seed, the same bytes."""
    world = load_world()
    for index in range(n):
        data = make_seed(world, seed, index)
        yield seed_name(index, data), data


def write_corpus(n: int, directory: str | Path, seed: int = 0,
                 progress: Callable[[int], None] | None = None) -> int:
    """Write n seeds into directory (created if missing); call progress(count) every 1,000."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for name, data in generate_corpus(n, seed):
        (folder / name).write_bytes(data)
        written += 1
        if progress and written % 1000 == 0:
            progress(written)
    return written
