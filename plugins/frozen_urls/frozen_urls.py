"""Compute each briefing's and page's URL once, not on every use.

Pelican's `Content.url` formats ARTICLE_URL from a copy of the metadata each time it is read;
templates read it thousands of times (related briefings, tag lists, neighbours): about a tenth
of a build. Each URL is stored as `override_url`, which `Content.url` returns as it is (the
mechanism a `URL:` metadata line uses): briefings' as soon as they are all read (before the
plugins that link them to each other, entities and events run), every other content's once all
generators have finished. A URL depends only on the content's own metadata and the settings,
which are fixed by then. Only the URL is fixed: the output path (`save_as`) is left to Pelican.
"""

from pelican import signals

CONTENT_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "drafts",
                 "drafts_translations", "pages", "hidden_pages", "draft_pages",
                 "draft_translations")


def freeze_urls(generators) -> None:
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, None) or []:
                if not hasattr(content, "override_url"):
                    content.override_url = content.url


def freeze_article_urls(generator) -> None:
    freeze_urls([generator])


def register() -> None:
    signals.article_generator_pretaxonomy.connect(freeze_article_urls)
    signals.all_generators_finalized.connect(freeze_urls)
