"""Plain-text titles and a schema.org NewsArticle (JSON-LD) for every briefing.

Typogrify leaves markup in titles (`<span class="caps">US</span>`); `plain_title` is the text
for `<title>`, meta tags and JSON-LD. Templates serialise `article.jsonld` with `tojson`, which
escapes `<`, `>` and `&`, so no seed text can close the script element. `mentions` lists the
briefing's entities with their pages (plugins/entities runs first), or its tags when it has none.
`jsonld` is a property of Pelican's Article, computed when a page asks for it (a `Jsonld:`
metadata line in a hand-written briefing is ignored with a warning).
"""

import logging

from blinker import signal as named_signal
from markupsafe import Markup
from pelican import signals
from pelican.contents import Article

log = logging.getLogger(__name__)

# Entity types (plugins/entities) as schema.org types.
SCHEMA_TYPES = {"person": "Person", "organisation": "Organization", "place": "Place"}


def plain_text(html: str) -> str:
    """Markup → the text a reader sees: tags stripped, entities decoded, typogrify's no-break
    spaces (widont) turned back into plain spaces."""
    return Markup(html).striptags().replace("\u00a0", " ")


def news_article(article) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.plain_title,
        "url": article.url,
    }
    if not getattr(article, "undated", False):
        data["datePublished"] = article.iso_date
    if getattr(article, "source", ""):
        data["publisher"] = {"@type": "Organization", "name": article.source}
    if getattr(article, "genre", ""):
        data["genre"] = article.genre
    if getattr(article, "plain_summary", ""):
        data["description"] = article.plain_summary
    mentions = [{"@type": SCHEMA_TYPES.get(entity.type, "Thing"), "name": entity.name, "url": entity.url}
                for entity in getattr(article, "entities", [])]
    mentions = mentions or [{"@type": "Thing", "name": tag.name, "url": tag.url}
                            for tag in getattr(article, "tags", [])]
    if mentions:
        data["mentions"] = mentions
    return data


def add_structured_data(generator) -> None:
    for article in generator.articles:
        if "ignored_jsonld" in article.__dict__:
            log.warning("%s: its 'Jsonld' metadata line is ignored (the JSON-LD is made from the "
                        "briefing)", article.source_path)
        add_plain_texts(article)


def add_plain_texts(article, **_) -> list:
    """`plain_title` and `plain_summary`; also when plugins/preview's keeper has read the
    briefing again (its summary may have changed; only its own page shows them)."""
    article.plain_title = plain_text(article.title)
    article.plain_summary = plain_text(getattr(article, "summary", "") or "")
    return []


def jsonld(article) -> dict:
    """`article.jsonld`, made when its page asks for it: held for every briefing at once, the
    dicts took about 35 MB at 10,000 briefings."""
    return news_article(article)


def ignore_jsonld(article, value) -> None:
    """Pelican sets every metadata line as an attribute (before the file's path is known); this
    one is made, not given: kept aside to be reported (see add_structured_data)."""
    article.__dict__["ignored_jsonld"] = value


def register() -> None:
    Article.jsonld = property(jsonld, ignore_jsonld)
    signals.article_generator_finalized.connect(add_structured_data)
    named_signal("briefing_text_edited").connect(add_plain_texts)
