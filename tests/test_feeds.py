"""The feed machinery: another plugin adds a kind of feed through the `briefing_feeds` signal,
and undated briefings never appear with their sentinel date."""

import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from types import SimpleNamespace

from blinker import signal

from plugins.feeds.feeds import EMPTY_FEED_UPDATED, Feed, FeedsGenerator

ATOM = "{http://www.w3.org/2005/Atom}"


def briefing(slug, date=None):
    return SimpleNamespace(
        url=f"briefings/{slug}.html", title=slug, plain_title=slug.title(), summary="", content="<p>x</p>",
        date=date or datetime(1, 1, 1, tzinfo=timezone.utc), undated=date is None, author="", tags=[])


def write_feeds(tmp_path, articles):
    context = {"SITEURL": "https://example.org", "SITENAME": "Briefings", "SITESUBTITLE": "",
               "DEFAULT_LANG": "en", "articles": articles, "tags": []}
    settings = {"FEEDS_PATH": "feeds", "FEEDS_MAX_ITEMS": 50}
    FeedsGenerator(context, settings, "", "", tmp_path).generate_output(None)


def test_a_plugin_adds_a_kind_of_feed(tmp_path):
    dated, undated = briefing("talks", datetime(2022, 3, 1, tzinfo=timezone.utc)), briefing("old")

    def entity_feeds(context):
        return [Feed("entity", "isi", "Briefings mentioning ISI", "entity/isi.html", [dated, undated])]

    signal("briefing_feeds").connect(entity_feeds)
    try:
        write_feeds(tmp_path, [dated, undated])
    finally:
        signal("briefing_feeds").disconnect(entity_feeds)
    root = ET.parse(tmp_path / "feeds" / "entity" / "isi.atom.xml").getroot()
    assert root.find(f"{ATOM}title").text == "Briefings mentioning ISI"
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == "https://example.org/entity/isi.html"
    assert [e.find(f"{ATOM}id").text for e in root.findall(f"{ATOM}entry")] == [
        "https://example.org/briefings/talks.html"]


def test_a_feed_of_undated_briefings_only_is_empty_with_a_fixed_date(tmp_path):
    write_feeds(tmp_path, [briefing("old")])
    text = (tmp_path / "feeds" / "all.atom.xml").read_text("utf-8")
    root = ET.fromstring(text)
    assert root.findall(f"{ATOM}entry") == []
    assert root.find(f"{ATOM}updated").text == EMPTY_FEED_UPDATED.isoformat()
    assert "0001-" not in text


def test_every_feed_holds_its_newest_FEEDS_MAX_ITEMS_briefings_a_tags_without_text(tmp_path):
    """A feed is for following what is new: a tag on 60 briefings gets the newest 50 in its
    feed, as the feed of all briefings does, and only their summaries (uncapped and with the
    text everywhere, 1,000 briefings made 125 MB of feeds)."""
    articles = [briefing(f"b{day:02}", datetime(2024, 1, 1, tzinfo=timezone.utc).replace(day=1 + day % 28,
                month=1 + day // 28)) for day in range(60)]
    tag = SimpleNamespace(slug="pakistan", url="tag/pakistan.html", name="Pakistan")
    context = {"SITEURL": "https://example.org", "SITENAME": "Briefings", "SITESUBTITLE": "",
               "DEFAULT_LANG": "en", "articles": articles, "tags": [(tag, articles)]}
    FeedsGenerator(context, {"FEEDS_PATH": "feeds", "FEEDS_MAX_ITEMS": 50}, "", "", tmp_path).generate_output(None)
    newest = sorted(articles, key=lambda a: a.date, reverse=True)[:50]
    for name, with_text in [("all.atom.xml", True), ("tag/pakistan.atom.xml", False)]:
        entries = ET.parse(tmp_path / "feeds" / name).getroot().findall(f"{ATOM}entry")
        assert [e.find(f"{ATOM}id").text for e in entries] == [f"https://example.org/{a.url}" for a in newest], name
        assert all((e.find(f"{ATOM}content") is not None) == with_text for e in entries), name
