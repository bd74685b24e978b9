"""The fields of a briefing's metadata that pages show as they are, as the keeper (preview.py)
follows an edit to them.

Rewording a briefing's first paragraph rewords its `Summary` line, which the pages that list
the briefing may show; rewording its photo caption rewords its `Caption` and `Removed` lines,
and deleting a line the converter removed (a newsletter prompt, "Listen Live") its `Removed`
lines, which its own page shows. No plugin makes anything else from these fields (SHOWN):
templates show them, and nothing more. (Other pages quote a caption where it first names an
entity or tells an event: plugins/entities and plugins/chronology follow those themselves.)
So the keeper sets each field that changed as the file now gives it, and renders again the
pages whose template reads that field of something (`article.summary`, as
partial/briefing_item.html does; `article.caption`, as article.html does) and that hold the
briefing among the values their template reads: itself, in a list (a tag's `articles`, the
home page's), or in a list of a value it reads (a tag's year page, `tag_year.briefings`). Which
pages those are is found for every briefing before the keeper's first request (Holders).

A field added to SHOWN must be one that only templates read, as their syntax trees show it:
`value.name` or `value["name"]`, not `map(attribute="name")`. Not in it: the author (an Author
object, by which author pages and Pelican's author feeds list briefings), the title and the
date (where a briefing is listed, and its address), tags and entities.
"""

from functools import lru_cache

from jinja2 import nodes
from pelican.contents import Content

SUMMARY = "summary"  # Pelican's: without one, Pelican cuts it from the text (not followed)
SHOWN = (SUMMARY, "caption", "credit", "dateline", "removed", "warnings")
ABSENT = object()


def shapes() -> dict:
    """For preview.shaped: the Summary line with its name alone (a briefing without one is not
    followed), the other fields' lines left out (one may come or go)."""
    return {field: blank if field == SUMMARY else None for field in SHOWN}


def blank(line: str) -> str:
    return ""


def set_fields(article, fresh) -> list[str]:
    """The SHOWN fields of the briefing as `fresh` (its file read again) gives them; those that
    changed."""
    fresh.refresh_metadata_intersite_links()  # as Pelican does for every briefing it read
    changed = []
    for field in SHOWN:
        value = fresh.metadata.get(field, ABSENT)
        if value == article.metadata.get(field, ABSENT):
            continue
        changed.append(field)
        if field == SUMMARY:
            set_summary(article, value)
        elif value is ABSENT:
            del article.metadata[field]
            vars(article).pop(field, None)
        else:
            article.metadata[field] = value
            setattr(article, field, getattr(fresh, field))
    return changed


def set_summary(article, summary) -> None:
    article.metadata[SUMMARY] = article._summary = summary
    memo = Content.get_summary.cache  # Pelican's: (content, siteurl) → summary
    for key in [key for key in memo if key[0] is article]:
        del memo[key]


class Holders:
    """The pages that may show a briefing's SHOWN fields: those whose template reads one of
    them and whose context holds the briefing (itself, in a list, or in a list a value holds:
    a tag's year page's `tag_year.briefings`). Found for every briefing at once, before the
    keeper's first request: walking every page's context for the edited briefing took 0.1 s
    of each preview at 10,000 briefings. Which pages hold which briefing cannot change while
    the keeper lives: it finishes only edits that leave every list as it was.
    `reads(page)`: the names the page's template reads from its context (None: any)."""

    def __init__(self, pages, reads):
        self.pages: dict[int, list] = {}  # id(briefing) → the pages holding it, in order
        for page in pages:
            read = attributes_read(page.template.environment, page.template.name)
            if read is not None and read.isdisjoint(SHOWN):
                continue
            names = reads(page)
            if names is None:
                context = {**page.base, **page.own}
            else:
                context = {name: page.own[name] if name in page.own else page.base.get(name) for name in names}
            held = {id(item) for value in context.values() for item in held_values(value) if isinstance(item, Content)}
            for briefing in held:
                self.pages.setdefault(briefing, []).append(page)

    def pages_showing(self, article, fields: list[str]) -> list:
        """The pages that may show one of these fields of the briefing."""
        return [page for page in self.pages.get(id(article), ())
                if (read := attributes_read(page.template.environment, page.template.name)) is None
                or not read.isdisjoint(fields)]


def held_values(value, depth: int = 2):
    """`value`, and what it holds in a list, or in a list it holds (in an attribute of a
    record): what a template may list of it."""
    yield value
    if isinstance(value, (list, tuple)):
        for item in value:
            if depth > 1 and not is_plain(item):
                yield from held_values(item, depth - 1)
            else:
                yield item
    elif depth > 1 and not is_plain(value) and not isinstance(value, (dict, Content)):
        from parallel_render.reuse import slot_names  # noqa: PLC0415  (see attributes_read)

        for item in [*getattr(value, "__dict__", {}).values(),
                     *(getattr(value, name, None) for name in slot_names(type(value)))]:
            if isinstance(item, (list, tuple)):
                yield from held_values(item, 1)


def is_plain(value) -> bool:
    return isinstance(value, (str, bytes, int, float, type(None)))


@lru_cache(maxsize=256)
def attributes_read(environment, name: str) -> frozenset[str] | None:
    """The names the template, or one it extends, includes or imports, reads of a value
    (`value.name`, `value["name"]`); None when one of them is chosen at render time."""
    from parallel_render.reuse import templates_of  # noqa: PLC0415  (see preview.metadata_digest)

    templates = templates_of(environment, name)
    if templates is None:
        return None
    names = set()
    for one in templates:
        tree = environment.parse(environment.loader.get_source(environment, one)[0])
        names.update(node.attr for node in tree.find_all(nodes.Getattr))
        names.update(node.arg.value for node in tree.find_all(nodes.Getitem)
                     if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str))
    return frozenset(names)
