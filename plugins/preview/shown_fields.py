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
home page's), or in a list of a value it reads (a tag's year page, `tag_year.briefings`).

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


def pages_showing(article, fields: list[str], pages, reads) -> list:
    """The pages that may show one of these fields of the briefing. `reads(page)`: the names
    the page's template reads from its context (None: any)."""
    found = []
    for page in pages:
        read = attributes_read(page.template.environment, page.template.name)
        if read is not None and read.isdisjoint(fields):
            continue
        names = reads(page)
        if names is None:
            context = {**page.base, **page.own}
        else:
            context = {name: page.own[name] if name in page.own else page.base.get(name) for name in names}
        if any(holds(value, article) for value in context.values()):
            found.append(page)
    return found


def holds(value, article, depth: int = 2) -> bool:
    """Whether `value` is the briefing, or holds it in a list, or in a list it holds (in an
    attribute of a record, a year page's briefings)."""
    if value is article:
        return True
    if isinstance(value, (list, tuple)):
        return any(item is article for item in value) or (
            depth > 1 and any(holds(item, article, depth - 1) for item in value if not is_plain(item)))
    if depth > 1 and not is_plain(value) and not isinstance(value, (dict, Content)):
        from parallel_render.reuse import slot_names  # noqa: PLC0415  (see attributes_read)

        held = [*getattr(value, "__dict__", {}).values(),
                *(getattr(value, name, None) for name in slot_names(type(value)))]
        return any(isinstance(item, (list, tuple)) and holds(item, article, 1) for item in held)
    return False


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
