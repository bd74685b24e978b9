"""Tag, category and author pages in linear time.

Pelican's `generate_tags`, `generate_categories` and `generate_authors` list each term's
briefings by date with `[a for a in self.dates if a in articles]`: every briefing, for every
term, looked up in a list. With tags and authors growing with the corpus that is quadratic
(7 s for the author scan alone at 10,000 briefings, though no author page is written). Here
each term's dated list comes from sorting its own briefings by their place in `self.dates`:
the same list, in the same order, so the same pages. The methods are replaced on the generator
instance only; they write exactly what Pelican 4.12's do (pelican/generators.py), and for a tag
on more than TAG_ONE_PAGE_MAX briefings its year (and month) pages too (tag_years.py).

The translations among the briefings are found in linear time too (translations.py).
"""

import logging
from functools import partial

from pelican import signals
from pelican.writers import FileOverwriteFailedError

from .tag_years import year_pages
from .translations import install as linear_translations

log = logging.getLogger(__name__)

KINDS = (  # (method, template and keyword, generator attribute, word for messages)
    ("generate_tags", "tag", "tags", "Tag"),
    ("generate_categories", "category", "categories", "Category"),
    ("generate_authors", "author", "authors", "Author"),
)


def dated(articles, position: dict[int, int]) -> list:
    """`[a for a in dates if a in articles]`, without scanning `dates`: each article once, in
    the order of `dates`."""
    unique = {id(article): article for article in articles if id(article) in position}
    return sorted(unique.values(), key=lambda article: position[id(article)])


def generate_terms(generator, template_name: str, attribute: str, word: str, write) -> None:
    template = generator.get_template(template_name)
    position = {id(article): index for index, article in enumerate(generator.dates)}
    terms = getattr(generator, attribute)
    for term, articles in terms.items() if hasattr(terms, "items") else terms:
        dates = dated(articles, position)
        pages = year_pages(term, dates, generator.settings) if template_name == "tag" else []
        years = [page for page in pages if page.month is None]  # the tag's page lists its years
        try:
            write(term.save_as, template, generator.context, url=term.url,
                  **{template_name: term}, articles=articles, dates=dates,
                  template_name=template_name, blog=True, page_name=term.page_name,
                  all_articles=generator.articles, **({"tag_years": years} if years else {}))
        except FileOverwriteFailedError:
            if term.slug:
                log.error('Failed to write %s page for "%s".', word, term)
                raise
            log.info('%s "%s" has an invalid slug; skipping writing %s page...', word, term,
                     word.lower(), extra={"limit_msg": f"Further {attribute} with invalid slugs."})
            continue
        for page in pages:
            write(page.save_as, generator.get_template("tag_year"), generator.context, tag=term,
                  tag_year=page, page_name="tag_year")


def linear_term_pages(generator) -> None:
    for method, template_name, attribute, word in KINDS:
        setattr(generator, method, partial(generate_terms, generator, template_name, attribute, word))


def register() -> None:
    linear_translations()
    signals.article_generator_finalized.connect(linear_term_pages)
