"""Atom feeds for publishing: every dated briefing, one feed per tag, and any kind a plugin adds.

Feeds need absolute URLs, so they are written only when FEEDS_PATH is set (publishconf.py sets
it together with an absolute SITEURL). Each feed lives at a predictable address, which the
templates link to without asking this plugin:

    {FEEDS_PATH}/all.atom.xml            every dated briefing
    {FEEDS_PATH}/{kind}/{slug}.atom.xml  one per tag ("tag"), entity ("entity"), ...

Each holds its newest FEEDS_MAX_ITEMS briefings (None: all of them): a feed is for following
what is new, and the pages keep the whole record. The feed of all briefings carries their text;
a tag's or an entity's only their summaries (`Feed.with_text`), as there are hundreds of them
and each briefing is in a dozen. Uncapped and with the text in every one, the feeds of 1,000
briefings were 125 MB, more than twice the rest of the site (Pakistan's alone 5 MB).

Another plugin adds a kind of feed by connecting to the `briefing_feeds` signal, which is sent with
the shared template context once everything has been read; it returns a list of `Feed`:

    from blinker import signal
    def entity_feeds(context):
        return [Feed("entity", e.slug, f"Briefings mentioning {e.name}", e.url, e.briefings)
                for e in context["entities"]]
    signal("briefing_feeds").connect(entity_feeds)

Undated briefings carry a sentinel date (year 1); a feed entry must have a real date, so they are
left out of every feed rather than shown as published in year 1.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from blinker import signal
from feedgenerator import Atom1Feed
from pelican import signals

logger = logging.getLogger(__name__)
briefing_feeds = signal("briefing_feeds")
DEFAULTS = {"FEEDS_PATH": None, "FEEDS_MAX_ITEMS": 50}
# An empty feed still needs an `updated` date; a fixed one keeps builds byte-identical.
EMPTY_FEED_UPDATED = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass
class Feed:
    """One Atom feed: `kind` and `slug` give its address, `page_url` the page it mirrors;
    `with_text`: entries carry the briefing's text, not only its summary."""

    kind: str
    slug: str
    title: str
    page_url: str
    articles: list = field(default_factory=list)
    with_text: bool = False

    def save_as(self, feeds_path: str) -> str:
        if self.kind == "all":
            return f"{feeds_path}/all.atom.xml"
        return f"{feeds_path}/{self.kind}/{self.slug}.atom.xml"


class BriefingAtomFeed(Atom1Feed):
    def latest_post_date(self):
        return super().latest_post_date() if self.items else EMPTY_FEED_UPDATED


def dated_newest_first(articles, limit: int | None = None) -> list:
    dated = [a for a in articles if not getattr(a, "undated", False)]
    dated = sorted(sorted(dated, key=lambda a: a.url), key=lambda a: a.date, reverse=True)
    return dated[:limit] if limit else dated


def built_in_feeds(context) -> list[Feed]:
    """The feed of every briefing, one feed per tag and one per entity (the knowledge layer puts
    `entities` in the context)."""
    feeds = [Feed("all", "all", context["SITENAME"], "", context.get("articles", []), with_text=True)]
    for tag, articles in sorted(context.get("tags", []), key=lambda pair: pair[0].slug):
        feeds.append(Feed("tag", tag.slug, f"{context['SITENAME']}: {tag}", tag.url, articles))
    for entity in sorted(context.get("entities", []), key=lambda entity: entity.slug):
        feeds.append(Feed("entity", entity.slug, f"{context['SITENAME']}: {entity.name}",
                          entity.url, entity.briefings))
    return feeds


def render(feed: Feed, context, feeds_path: str, limit: int | None) -> str:
    siteurl = context["SITEURL"]
    atom = BriefingAtomFeed(
        title=feed.title, link=f"{siteurl}/{feed.page_url}", description=context.get("SITESUBTITLE", ""),
        feed_url=f"{siteurl}/{feed.save_as(feeds_path)}", language=context.get("DEFAULT_LANG"),
        author_name=context["SITENAME"],
    )
    for article in dated_newest_first(feed.articles, limit):
        url = f"{siteurl}/{article.url}"
        atom.add_item(
            title=getattr(article, "plain_title", article.title), link=url, unique_id=url,
            description=getattr(article, "summary", "") or "",
            content=article.content if feed.with_text else None,
            pubdate=article.date, author_name=getattr(article, "author", None) or None,
            categories=[tag.name for tag in getattr(article, "tags", [])],
        )
    return atom.writeString("utf-8")


class FeedsGenerator:
    """Writes every feed once all generators have built the context: alongside the pages when
    the writer can (plugins/parallel_render), else at once."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context, self.settings, self.output_path = context, settings, Path(output_path)
        self.feeds_path = self.settings.get("FEEDS_PATH", DEFAULTS["FEEDS_PATH"])
        self.limit = self.settings.get("FEEDS_MAX_ITEMS", DEFAULTS["FEEDS_MAX_ITEMS"])

    def generate_output(self, writer) -> None:
        if not self.feeds_path:
            return
        if not self.context["SITEURL"].startswith(("http://", "https://")):
            logger.error("feeds: FEEDS_PATH needs an absolute SITEURL (got %r); see publishconf.py",
                         self.context["SITEURL"])
            return
        defer = getattr(writer, "defer", None)
        if defer is None:
            self.write_feeds()
        else:
            defer(self.write_feeds)

    def feeds(self) -> list[Feed]:
        feeds = built_in_feeds(self.context)
        for _receiver, extra in briefing_feeds.send(self.context):
            feeds.extend(extra or [])
        return feeds

    def write_feeds(self, reuse=None) -> None:
        """Every feed (`reuse`: plugins/parallel_render's, not needed: feeds are quick)."""
        for feed in self.feeds():
            target = self.output_path / feed.save_as(self.feeds_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render(feed, self.context, self.feeds_path, self.limit), "utf-8")

    def text_edited(self, output_path: str, edits: dict) -> dict[str, bytes]:
        """The feeds in `output_path` as this build would write them now that the text of
        some briefings changed, and maybe their summaries (plugins/preview; `edits`: each
        such briefing → its old content): those that list one of them, where they differ, by
        name in `output_path`."""
        files = {}
        for feed in self.feeds() if self.feeds_path else []:
            if any(article in edits for article in feed.articles) and any(  # the test first: 1,400 tag feeds at 10,000
                    article in edits for article in dated_newest_first(feed.articles, self.limit)):
                name = feed.save_as(self.feeds_path)
                data = render(feed, self.context, self.feeds_path, self.limit).encode("utf-8")
                target = Path(output_path) / name
                if not target.is_file() or target.read_bytes() != data:
                    files[name] = data
        return files


def get_generators(pelican_object):
    return FeedsGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
