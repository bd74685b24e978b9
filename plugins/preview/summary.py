"""A briefing's summary, as the keeper (preview.py) follows an edit to it.

Rewording a briefing's first paragraph rewords its `Summary` line, which the pages that list
the briefing may show. The keeper sets the summary as the file now gives it, and renders
again the pages whose template reads the `summary` of something (`article.summary`, as
partial/briefing_item.html does) and that hold the briefing among the values their template
reads: in a list (a tag's `articles`, the home page's), or in a list of a value it reads (a
tag's year page, `tag_year.briefings`).
"""

from functools import lru_cache

from jinja2 import nodes
from pelican.contents import Content

FIELD = "summary"


def blank(line: str) -> str:
    """The Summary line as the keeper compares it: the keeper follows any change to it."""
    return ""


def set_summary(article, fresh) -> bool:
    """The briefing's summary as `fresh` (its file read again) gives it; whether it changed.
    Both have one: the keeper compares the fields' names as they were (a `Summary:` line gone
    is a change of metadata), and previews no briefing without one."""
    fresh.refresh_metadata_intersite_links()  # as Pelican does for every briefing it read
    summary = fresh.metadata[FIELD]
    if summary == article.metadata[FIELD]:
        return False
    article.metadata[FIELD] = article._summary = summary
    memo = Content.get_summary.cache  # Pelican's: (content, siteurl) → summary
    for key in [key for key in memo if key[0] is article]:
        del memo[key]
    return True


def pages_showing(article, pages, reads) -> list:
    """The pages that may show the briefing's summary. `reads(page)`: the names the page's
    template reads from its context (None: any)."""
    found = []
    for page in pages:
        template = page.template
        if not reads_summary(template.environment, template.name):
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
        from parallel_render.reuse import slot_names  # noqa: PLC0415  (see reads_summary)

        held = [*getattr(value, "__dict__", {}).values(),
                *(getattr(value, name, None) for name in slot_names(type(value)))]
        return any(isinstance(item, (list, tuple)) and holds(item, article, 1) for item in held)
    return False


def is_plain(value) -> bool:
    return isinstance(value, (str, bytes, int, float, type(None)))


@lru_cache(maxsize=256)
def reads_summary(environment, name: str) -> bool:
    """Whether the template, or one it extends, includes or imports, reads `.summary` (or
    `["summary"]`) of a value; True when one is chosen at render time."""
    from parallel_render.reuse import templates_of  # noqa: PLC0415  (see preview.metadata_digest)

    templates = templates_of(environment, name)
    if templates is None:
        return True
    for one in templates:
        tree = environment.parse(environment.loader.get_source(environment, one)[0])
        if any(node.attr == FIELD for node in tree.find_all(nodes.Getattr)) or any(
                isinstance(node.arg, nodes.Const) and node.arg.value == FIELD for node in tree.find_all(nodes.Getitem)):
            return True
    return False
