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
