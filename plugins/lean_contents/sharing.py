"""One object for what many briefings hold alike: their tags, their metadata's names, the short
values that recur (a reader's name, a date's precision, a template's name).

Pelican gives every briefing Tag objects of its own, and every briefing read makes the names of
its metadata again; so does every briefing taken from the last build's kept read
(plugins/build_cache), which unpickles each one on its own. At 10,000 briefings that was
58,761 Tag (and Author) objects for 1,416 names and 23 MB of strings held twice or more, all
of it until the build ends and in every rendering process. `share` gives a briefing, as it
comes into the build (read, or taken from a kept read), the build's one Tag for each tag name
and the one string for each name and recurring value. What a page shows is the same: equal
values, one object.

A Tag's `settings` are the build's, so the Tags are shared within a build only (`forget` at its
start and end).
"""

from sys import intern

from pelican.urlwrappers import URLWrapper

# Attributes whose values recur across briefings (short strings). A value that is unique to a
# briefing (its title, slug, checksum) would only fill the interpreter's table of shared strings.
RECURRING = frozenset({"reader", "date_format", "status", "_status", "template", "title_from", "lang",
                       "date_precision", "date_label", "iso_date", "locale_date", "source", "dateline",
                       "genre", "credit", "timezone"})

WRAPPERS: dict[tuple[type, str], URLWrapper] = {}  # (Tag, name) → this build's one Tag of that name


def share(content) -> None:
    """Give `content` (a briefing, a page) the build's shared objects in place of its own."""
    metadata = getattr(content, "metadata", None)
    if isinstance(metadata, dict):
        shared = [(intern(key) if type(key) is str else key, shared_value(key, value))
                  for key, value in metadata.items()]
        metadata.clear()  # the same dict: Pelican's content objects and plugins hold it
        metadata.update(shared)
    attributes = vars(content)
    for name, value in attributes.items():
        new = shared_value(name, value)
        if new is not value:
            attributes[name] = new


def shared_value(name, value):
    """The build's object for a value; lists of tags, authors …: their items, in place."""
    if type(value) is str:
        return intern(value) if name in RECURRING else value
    if isinstance(value, URLWrapper):
        return shared_wrapper(value)
    if type(value) is list and value and isinstance(value[0], URLWrapper):
        value[:] = [shared_wrapper(item) if isinstance(item, URLWrapper) else item for item in value]
    return value


def shared_wrapper(wrapper: URLWrapper) -> URLWrapper:
    return WRAPPERS.setdefault((type(wrapper), wrapper.name), wrapper)


def forget(*args) -> None:
    WRAPPERS.clear()
