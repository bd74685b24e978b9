"""Read the converter's `Entities` and `Events` metadata back, and link first mentions.

The line formats are written by `briefing/markdown.py` (`entity_line`, `event_line`):

    Entities: TTP (organisation): Tehreek-e-Taliban Pakistan; TTP
        Sajid Iqbal (person, discovered): Sajid Iqbal; Iqbal
    Events: 2021-10-23 | p-1 | on Saturday | CNN; Pakistan | CNN reported on Saturday …
        2021-09-11 planned | p-5 | September 11 | Taliban | … after the last US forces leave …

Links are added here, in the reader and before typogrify, because typogrify splits names into
spans ("<span class="caps">US</span> State Department") that no later search would find again.
Body paragraphs are escaped seed text; they are unescaped, cut around the mention and escaped
again, so no seed text becomes markup.

With plugins/build_cache, what a briefing gives (linked HTML, entities, events, lines not
understood) is kept as plain values under the file's key and everything else it is derived from
(`read_memo`): a rebuild neither parses the lines nor links mentions again, only makes the records.
"""

import hashlib
import html
import logging
import re
from functools import lru_cache
from pathlib import Path
from sys import intern

from pelican.utils import slugify

from . import records
from .records import entity_record, event_record

log = logging.getLogger(__name__)

# This module's and the records' version: kept results are keyed by it.
CODE = hashlib.sha256(b"".join(Path(module).read_bytes()
                               for module in (__file__, records.__file__))).hexdigest()
ROOT_MARK = "@site-root@/"  # where a link derive() makes starts (see rooted)
ENTITY_LINE_UNREAD = "%s: Entities line not understood (want 'Name (type): form; form'): %r"
EVENT_LINE_UNREAD = ("%s: Events line not understood (want 'date | p-N | words | actors | "
                     "sentence'): %r")

TYPES = ("person", "organisation", "place")
ENTITY_LINE = re.compile(
    r"^(?P<name>.+?) \((?P<type>person|organisation|place)(?P<discovered>, discovered)?\)"
    r"(?:: (?P<forms>.*))?$")
EVENT_DATE = re.compile(r"^(?P<iso>\d{4}(?:-\d{2}(?:-\d{2})?)?)(?P<planned> planned)?$")
PARAGRAPH = re.compile(r'<p id="(?P<anchor>p-\d+)">(?P<text>.*?)</p>', re.DOTALL)
SENTENCE_END = re.compile(r"[.!?][\"”’')]*\s+(?=[\"“‘'(]?[A-Z0-9])")
DEFAULT_SLUG_SUBSTITUTIONS = [(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")]


def as_list(value) -> list[str]:
    if not value:
        return []
    return value if isinstance(value, list) else [value]


def slug_substitutions(settings: dict) -> tuple:
    return tuple(map(tuple, settings.get("SLUG_REGEX_SUBSTITUTIONS", DEFAULT_SLUG_SUBSTITUTIONS)))


def entity_slug(name: str, settings: dict) -> str:
    return slug_of(name, slug_substitutions(settings))


@lru_cache(maxsize=65536)  # the same few hundred names come back in every briefing
def slug_of(name: str, subs: tuple) -> str:
    """Interned: a slug read back from the cache is then this very string."""
    return intern(slugify(name, regex_subs=[list(sub) for sub in subs])
                  or "entity-" + hashlib.sha256(name.encode()).hexdigest()[:8])


def parse_entities(lines: list[str], source: str, unread: list | None = None) -> list[dict]:
    """`Entities` lines → [{name, type, discovered, forms}]; a line that does not parse is
    skipped, and added to `unread` if given, else reported with the file it is in."""
    entities = []
    for line in lines:
        match = ENTITY_LINE.match(line.strip())
        if not match:
            if unread is None:
                log.warning(ENTITY_LINE_UNREAD, source, line)
            else:
                unread.append(line)
            continue
        # Interned: the same names recur in thousands of briefings, all held until the end.
        forms = [intern(form.strip()) for form in (match.group("forms") or "").split(";") if form.strip()]
        name = intern(match.group("name").strip())
        entities.append({"name": name, "type": intern(match.group("type")),
                         "discovered": bool(match.group("discovered")),
                         "forms": forms or [name]})
    return entities


def parse_events(lines: list[str], source: str, unread: list | None = None) -> list[dict]:
    """`Events` lines → [{iso_date, precision, planned, anchor, expression, actors, sentence}];
    a line that does not parse as for parse_entities."""
    events = []
    for line in lines:
        parts = [part.strip() for part in line.split("|", 4)]
        date = EVENT_DATE.match(parts[0]) if len(parts) == 5 else None
        if not date:
            if unread is None:
                log.warning(EVENT_LINE_UNREAD, source, line)
            else:
                unread.append(line)
            continue
        iso = date.group("iso")
        events.append({
            "iso_date": intern(iso), "precision": {4: "year", 7: "month"}.get(len(iso), "day"),
            "planned": bool(date.group("planned")), "anchor": intern(parts[1]), "expression": parts[2],
            "actors": [intern(actor.strip()) for actor in parts[3].split(";") if actor.strip()],
            "sentence": parts[4],
        })
    return events


def form_pattern(forms: list[str]) -> re.Pattern | None:
    return compiled_forms(tuple(sorted({form for form in forms if form}, key=lambda f: (-len(f), f))))


@lru_cache(maxsize=65536)
def compiled_forms(forms: tuple[str, ...]) -> re.Pattern | None:
    """One pattern for an entity's spellings, longest first (re's own cache holds only 512)."""
    if not forms:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)")


def sentence_around(text: str, start: int, end: int) -> dict:
    """The sentence holding text[start:end], cut into before / mention / after."""
    sentence_start = 0
    sentence_end = len(text)
    for match in SENTENCE_END.finditer(text):
        if match.end() <= start:
            sentence_start = match.end()
        elif match.start() >= end:
            sentence_end = match.start() + 1
            break
    return {"before": text[sentence_start:start], "text": text[start:end],
            "after": text[end:sentence_end].rstrip()}


def link_first_mentions(content: str, entities: list[dict], href_for) -> str:
    """Each entity's first mention in the body becomes a link to its page; each entity gets
    `mention` (anchor and sentence around its first mention) for its page."""
    patterns = {entity["name"]: form_pattern(entity["forms"]) for entity in entities}
    pending = {entity["name"]: entity for entity in entities if patterns[entity["name"]]}

    def link_paragraph(match: re.Match) -> str:
        text = html.unescape(match.group("text"))
        chosen = []
        for name, entity in list(pending.items()):
            if not any(form in text for form in entity["forms"]):
                continue  # its pattern matches one of these as written: a quicker test first
            found = patterns[name].search(text)
            while found and any(found.start() < e and s < found.end() for s, e, _ in chosen):
                found = patterns[name].search(text, found.end())
            if found:
                chosen.append((found.start(), found.end(), entity))
                entity["mention"] = {"anchor": match.group("anchor"),
                                     **sentence_around(text, found.start(), found.end())}
                del pending[name]
        pieces, position = [], 0
        for start, end, entity in sorted(chosen, key=lambda item: item[0]):
            pieces.append(html.escape(text[position:start], quote=False))
            pieces.append(f'<a class="entity-link" href="{href_for(entity)}">'
                          f'{html.escape(text[start:end], quote=False)}</a>')
            position = end
        pieces.append(html.escape(text[position:], quote=False))
        return f'<p id="{match.group("anchor")}">{"".join(pieces)}</p>'

    return PARAGRAPH.sub(link_paragraph, content)


def mention_outside_body(entities: list[dict], text: str, anchor: str) -> None:
    """Entities named only in the photo caption or the title get their sentence from there."""
    for entity in entities:
        if "mention" in entity:
            continue
        pattern = form_pattern(entity["forms"])
        found = pattern.search(text) if pattern else None
        if found:
            entity["mention"] = {"anchor": anchor, **sentence_around(text, found.start(), found.end())}


def link_mentions(entities: list[dict], href: str, content: str, caption: str, title: str
                  ) -> tuple[str, list[dict | None]]:
    """The body with first mentions linked (`href` has a {slug}), and each entity's mention."""
    content = link_first_mentions(content, entities, lambda e: href.format(slug=e["slug"]))
    mention_outside_body(entities, caption, "photo")
    mention_outside_body(entities, title, "")
    return content, [entity.get("mention") for entity in entities]


def derive_inputs(metadata: dict, settings: dict) -> tuple:
    """All that derive() reads besides the HTML. Links start at ROOT_MARK, which `rooted`
    turns into this build's way to the site root: what is derived and kept is the same for
    `make html` (relative links) and `make publish` (absolute ones)."""
    return (str(metadata.get("caption", "")), str(metadata.get("title", "")),
            as_list(metadata.get("entities")), as_list(metadata.get("events")),
            ROOT_MARK + settings.get("ENTITY_URL", "entity/{slug}.html"),
            slug_substitutions(settings))


def rooted(content: str, settings: dict) -> str:
    """The derived HTML with its links made from this build's site root. Seed text is escaped,
    so `href="` with the mark after it can only be a link derive() made."""
    return content.replace(f'href="{ROOT_MARK}', f'href="{site_root(settings)}')


def derive(content: str, caption: str, title: str, entity_lines: list, event_lines: list,
           href: str, subs: tuple) -> tuple[str, tuple]:
    """What a briefing gives: its HTML with first mentions linked, and (entity rows, event
    rows, Entities lines not understood, Events lines not understood), plain values only."""
    unread_entities, unread_events = [], []
    entities = parse_entities(entity_lines, "", unread_entities)
    events = parse_events(event_lines, "", unread_events)
    for entity in entities:
        entity["slug"] = slug_of(entity["name"], subs)
    content, _ = link_mentions(entities, href, content, caption, title)  # each gets its mention
    rows = [entity_row(entity) for entity in entities], [event_row(event) for event in events]
    return content, (*rows, unread_entities, unread_events)


def entity_row(entity: dict) -> tuple:
    """An entity as plain values (a cache entry holds no classes); entity_record reads it."""
    mention = entity.get("mention")
    return (entity["name"], entity["type"], entity["discovered"], entity["forms"], entity["slug"],
            mention and (mention["anchor"], mention["before"], mention["text"], mention["after"]))


def event_row(event: dict) -> tuple:
    return (event["iso_date"], event["precision"], event["planned"], event["anchor"],
            event["expression"], event["actors"], event["sentence"])


def reading_entities(reader_class, settings: dict):
    """The Markdown reader class, extended to parse entities and events and link mentions."""

    class EntityLinkingReader(reader_class):
        def read(self, source_path):
            content, metadata = super().read(source_path)
            inputs = derive_inputs(metadata, self.settings)
            read_memo = getattr(self, "read_memo", None)  # plugins/build_cache
            settings = self.settings
            if read_memo is None:
                content, found = derive(content, *inputs)
                content = rooted(content, settings)
            else:
                content, found = read_memo("entities", content, metadata, (CODE, *inputs),
                                           lambda html=content: derive(html, *inputs),
                                           finish=lambda html: rooted(html, settings))
            entity_rows, event_rows, unread_entities, unread_events = found
            for line in unread_entities:
                log.warning(ENTITY_LINE_UNREAD, source_path, line)
            for line in unread_events:
                log.warning(EVENT_LINE_UNREAD, source_path, line)
            metadata["entities"] = [entity_record(row) for row in entity_rows]
            metadata["events"] = [event_record(row) for row in event_rows]
            return content, metadata

    EntityLinkingReader.__name__ = reader_class.__name__
    return EntityLinkingReader


def site_root(settings: dict) -> str:
    """The way from a briefing page back to the site root: '../' per folder of ARTICLE_URL
    with relative URLs, else SITEURL."""
    if settings.get("RELATIVE_URLS"):
        return "../" * settings.get("ARTICLE_URL", "").count("/")
    siteurl = settings.get("SITEURL", "")
    return siteurl + "/" if siteurl else ""
