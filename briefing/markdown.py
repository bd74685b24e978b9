"""A Briefing written as Markdown for Pelican, its seed text always literal.

Seed text never reaches Markdown, Jinja or Pelican as syntax:
- body paragraphs are HTML-escaped inside `<p id="p-N">` blocks, which Markdown passes through
  untouched (so `# x`, `*x*`, `[x](y)` and `<script>` stay characters, and each paragraph has an
  anchor);
- fields Pelican treats as HTML (title, summary) are HTML-escaped too; every other field is
  plain text that the theme's autoescaping templates escape;
- every value is one line, so no seed text can start a metadata line of its own.
"""

import hashlib
import html

from .model import Briefing, Entity, Event

CHECKSUM_KEY = "Checksum"


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def one_line(text: str) -> str:
    return " ".join(text.split())


def tag_name(tag: str) -> str:
    """Commas and semicolons separate tags in Pelican metadata, so they cannot be inside one."""
    return one_line(tag.replace(",", " ").replace(";", " "))


def render(briefing: Briefing, source_copy: str) -> str:
    """The Markdown file for a briefing, ending with a checksum line that detects hand edits."""
    fields = [
        ("Title", escape(briefing.title)),
        ("Date", briefing.date.iso() if briefing.date else ""),
        ("Slug", briefing.slug),
        ("Source", briefing.source),
        ("Author", briefing.author),
        ("Genre", briefing.genre),
        ("Summary", escape(briefing.summary)),
        ("Tags", ", ".join(tag_name(tag) for tag in briefing.tags if tag_name(tag))),
        ("Seed", briefing.seed_name),
        ("Seed_copy", source_copy),
        ("Title_from", briefing.title_from),
        ("Dateline", briefing.dateline),
        ("Caption", briefing.caption),
        ("Credit", briefing.credit),
        ("Edited", ", ".join(dict.fromkeys(briefing.edited))),
    ]
    lines = [f"{key}: {one_line(value)}" for key, value in fields if one_line(value)]
    lines += list_field("Removed", [f"[{item.reason}] {item.text}" for item in briefing.removed])
    lines += list_field("Entities", [entity_line(entity) for entity in briefing.entities])
    lines += list_field("Events", [event_line(event) for event in briefing.events])
    lines += list_field("Duplicates", [f"[{d.reason}] {d.seed_name} <{d.seed_copy}>"
                                       for d in briefing.duplicates])
    lines += list_field("Warnings", briefing.warnings)
    body = "\n\n".join(
        f'<p id="p-{number}">{escape(paragraph)}</p>'
        for number, paragraph in enumerate(briefing.paragraphs, start=1)
    )
    text = "\n".join(lines) + "\n\n" + body + "\n"
    return f"{CHECKSUM_KEY}: {checksum(text)}\n{text}"


def entity_line(entity: Entity) -> str:
    """'TTP (organisation): Tehreek-e-Taliban Pakistan; TTP': name, type, the spellings used.

    An editor may fix a type, delete a line or add one; plugins/entities reads it back.
    """
    marker = "" if entity.known else ", discovered"
    forms = "; ".join(form.replace(";", " ") for form in entity.forms)
    return f"{entity.name} ({entity.type}{marker}): {forms}"


def event_line(event: Event) -> str:
    """'2021-10-23 | p-1 | on Saturday | CNN; Pakistan | CNN reported on Saturday …'.

    Date (YYYY-MM-DD, YYYY-MM or YYYY, then "planned" for an announcement), paragraph anchor,
    the words that give the date, the actors, the sentence (last, so it may contain anything).
    """
    date = event.date.iso() + (" planned" if event.planned else "")
    actors = "; ".join(event.actors)
    return " | ".join([date, event.anchor, event.expression.replace("|", " "), actors, event.sentence])


def event_shape(line: str) -> str:
    """An event line without its paragraph and sentence: what stays as it was when the sentence
    is reworded or a paragraph is added before it (plugins/preview's keeper then leaves the
    change to plugins/chronology)."""
    parts = line.split("|", 4)
    return "|".join(parts[:1] + parts[2:4])


def list_field(key: str, values: list[str]) -> list[str]:
    """A multi-line metadata field: continuation lines are indented four spaces."""
    values = [one_line(value) for value in values if one_line(value)]
    if not values:
        return []
    return [f"{key}: {values[0]}"] + [f"    {value}" for value in values[1:]]


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def edited_by_hand(existing: str) -> bool:
    """Whether a file this converter wrote was changed since (its checksum no longer matches)."""
    first, _, rest = existing.partition("\n")
    key, _, value = first.partition(": ")
    return key != CHECKSUM_KEY or checksum(rest) != value.strip()
