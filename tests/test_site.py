"""The built site as a reader meets it: home, briefing pages, tags, chronology, cross-links."""

import json
import re

SEED_003 = "003_453a01e2ae8e6135.txt"
SEED_001 = "001_c0fb558635df51c0.txt"


def text(node):
    return " ".join(node.get_text(" ").split())


def test_home_lists_every_briefing_with_date_source_and_summary(pages, briefing_pages):
    home = pages("index.html")
    items = home.select("main .briefing-item")
    assert len(items) == len(briefing_pages) == 5
    for item in items:
        assert item.select_one(".p-summary").get_text(strip=True)
        assert item.select_one("time[datetime], .undated")
    assert "The Diplomat" in text(home.select_one("main"))


def test_briefing_page_has_title_date_source_tags_body(briefing_pages):
    page = briefing_pages["000_e89b3c2d54e9788f.txt"]
    assert text(page.select_one("h1")) == "US is formalizing an agreement with Pakistan to use its airspace"
    assert page.select_one("article.h-entry time.dt-published")["datetime"] == "2021-10-24"
    body = page.select_one(".h-entry .e-content")
    assert text(body).startswith("CNN reported on Saturday")
    assert "Closely aligned with Taliban" not in text(body)
    assert page.select(".tags a[href^='../tag/']")


def test_undated_briefing_shows_undated_and_no_date(briefing_pages):
    page = briefing_pages[SEED_003]
    assert text(page.select_one(".meta .undated")) == "Undated"
    assert not page.select("article.briefing header time")
    assert "datePublished" not in json.loads(page.select_one('script[type="application/ld+json"]').string)


def test_removed_lines_are_listed_collapsed(briefing_pages):
    details = briefing_pages[SEED_001].select_one("details.removed")
    assert details is not None and not details.has_attr("open")
    listed = text(details)
    for line in ["Listen Live", "Get short URL", "US withdrawal, Afghanistan, Pakistan, Imran Khan, CIA"]:
        assert line in listed


def test_json_ld_news_article_is_plain_text(briefing_pages):
    page = briefing_pages[SEED_003]
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Pakistan, US join hands against Pakistan’s Taliban"
    assert data["publisher"]["name"] == "The Diplomat"
    mentions = {m["name"]: m for m in data["mentions"]}
    assert mentions["TTP"] == {"@type": "Organization", "name": "TTP", "url": "entity/ttp.html"}
    assert mentions["Ned Price"]["@type"] == "Person" and mentions["Torkham"]["@type"] == "Place"
    assert text(page.select_one("title")).startswith("Pakistan, US join hands against Pakistan’s Taliban")
    assert "<span" not in page.select_one("title").string
    assert "span" not in page.select_one('meta[name="description"]')["content"]


def test_dated_json_ld_has_date_published(briefing_pages):
    data = json.loads(briefing_pages[SEED_001].select_one('script[type="application/ld+json"]').string)
    assert data["datePublished"] == "2021-07-25"


def test_source_text_is_linked_and_unchanged(site, briefing_pages):
    link = briefing_pages[SEED_001].select_one(".provenance a")["href"]
    copy = (site / "briefings" / link).resolve()
    raw = copy.read_text("utf-8-sig")
    assert raw.startswith("10:34 GMT25 July 2021\nListen Live")


def test_related_briefings_with_reasons(briefing_pages):
    for seed, page in briefing_pages.items():
        related = page.select(".related li")
        assert related, seed
        for item in related:
            assert re.search(r"shares \w", text(item))
            assert item.a["href"].startswith("../briefings/")


def test_previous_and_next_in_time(briefing_pages):
    oldest = briefing_pages[SEED_001]  # 25 July 2021
    assert oldest.select_one("a[rel=next]") is not None
    assert oldest.select_one("a[rel=prev]") is None
    later = oldest.select_one("a[rel=next]")["href"]
    assert later.endswith("us-is-formalizing-an-agreement-with-pakistan-to-use-its-airspace.html")


def test_chronology_lists_by_date_with_undated_last(pages):
    page = pages("chronology.html")
    entries = page.select("main .published-section li")
    datetimes = [li.select_one("time")["datetime"] for li in entries if li.select_one("time")]
    assert datetimes == sorted(datetimes, reverse=True) and len(datetimes) == 4
    assert entries[-1].select_one(".undated") is not None
    assert "Pakistan, US join hands" in text(entries[-1])


def test_tag_pages_and_index(pages):
    tags = pages("tags.html")
    links = tags.select("main .tag-index a")
    assert any(text(a) == "Imran Khan" for a in links)
    tag_page = pages("tag/imran-khan.html")
    assert text(tag_page.select_one("h1")) == "Tag: Imran Khan"
    assert len(tag_page.select(".briefing-item")) >= 1


def test_typogrify_is_on(briefing_pages):
    assert briefing_pages[SEED_003].select_one(".e-content span.caps")
