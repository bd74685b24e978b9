"""The knowledge layer as a reader meets it: entity pages, the chronology of events, the
timeline and graph, cross-links with reasons and backlinks."""

import re
import shutil

import pytest

from conftest import SEEDS, built_output
from annotations import ANNOTATIONS

SEED_003 = "003_453a01e2ae8e6135.txt"
SEED_000 = "000_e89b3c2d54e9788f.txt"


def text(node):
    return " ".join(node.get_text(" ").split())


@pytest.mark.parametrize("slug, name, kind", [
    ("imran-khan", "Imran Khan", "Person"), ("faiz-hameed", "Faiz Hameed", "Person"),
    ("ned-price", "Ned Price", "Person"), ("noor-wali-mehsud", "Noor Wali Mehsud", "Person"),
    ("ttp", "TTP", "Organisation"), ("isis-k", "ISIS-K", "Organisation"),
    ("kabul", "Kabul", "Place"), ("torkham", "Torkham", "Place"), ("panjshir", "Panjshir", "Place"),
])
def test_entity_pages_for_the_actors_the_seeds_name(pages, slug, name, kind):
    page = pages(f"entity/{slug}.html")
    assert text(page.select_one("h1")) == name
    assert kind in text(page.select_one("article.entity .meta"))
    assert page.select_one(".description").get_text(strip=True)
    mentions = page.select(".mentions li")
    assert mentions and all(li.select_one("a[href^='../briefings/']") for li in mentions)
    assert all(name in text(li.select_one("mark")) or li.select_one("mark") for li in mentions)


def test_aliases_are_merged_into_one_page(site, pages):
    ttp = pages("entity/ttp.html")
    aliases = [text(a) for a in ttp.select(".aliases .alias")]
    assert "Tehreek-e-Taliban Pakistan" in aliases and "Pakistan’s Taliban" in aliases
    assert len(ttp.select(".mentions li")) == 2  # 002 writes "TTP", 003 "Tehreek-e-Taliban Pakistan"
    assert "IS-K" in [text(a) for a in pages("entity/isis-k.html").select(".aliases .alias")]
    for alias_slug in ["tehreek-e-taliban-pakistan", "is-k", "us", "afghan-taliban"]:
        assert not (site / "entity" / f"{alias_slug}.html").exists()


def test_sentence_in_context_marks_the_mention(pages):
    item = pages("entity/faiz-hameed.html").select_one(".mentions li")
    assert text(item.select_one("mark")) == "Lieutenant General Faiz Hameed"  # as the text writes it
    assert text(item.select_one(".in-context")).startswith("Pakistan's spy chief, Lieutenant General")
    assert item.a["href"].endswith("#p-3")


def test_entity_pages_show_events_and_neighbours(pages):
    kabul = pages("entity/kabul.html")
    assert [t["datetime"] for t in kabul.select(".events time")] == ["2021-08", "2021-09"]
    neighbours = [text(a) for a in kabul.select(".neighbours a")]
    assert neighbours[0] in {"Afghanistan", "Taliban", "United States", "Washington"}
    assert len(neighbours) <= 8


def test_index_pages_per_type_most_named_first(pages):
    for page, kind in [("people", "Person"), ("organisations", "Organisation"), ("places", "Place")]:
        index = pages(f"entities/{page}.html")
        links = index.select(".entity-index a")
        assert links
        counts = [int(c.get_text(strip=True).strip("()")) for c in index.select(".entity-index .count")]
        assert counts == sorted(counts, reverse=True)
    people = [text(a) for a in pages("entities/people.html").select(".entity-index a")]
    assert "Imran Khan" in people and "Kabul" not in people
    everything = pages("entities/index.html")
    assert text(everything.select_one(".entity-index a")) in {"Pakistan", "United States", "Afghanistan", "Taliban"}


def test_cooccurrence_graph_is_inline_svg_with_text_alternative(pages):
    index = pages("entities/index.html")
    svg = index.select_one("svg.entity-graph")
    assert svg["role"] == "img" and svg.select_one("title") and svg.select_one("desc")
    assert len(svg.select("line.edge")) > 5 and len(svg.select("text")) > 5
    assert svg.select("circle.node") and svg.select("rect.node") and svg.select("polygon.node")
    assert len(index.select(".pairs li")) > 3


def test_first_mention_of_each_entity_links_to_its_page(briefing_pages):
    page = briefing_pages[SEED_003]
    links = page.select(".e-content a.entity-link")
    targets = [a["href"] for a in links]
    assert len(targets) == len(set(targets)) > 10  # each entity once
    first = page.select_one(".e-content #p-1 a[href='../entity/ttp.html']")
    assert text(first) == "Tehreek-e-Taliban Pakistan"
    for seed, other in briefing_pages.items():
        for a in other.select(".e-content a"):
            assert "entity-link" in a.get("class", []), (seed, a)


def test_briefing_lists_its_entities_and_events(briefing_pages):
    page = briefing_pages[SEED_000]
    knowledge = page.select_one(".knowledge")
    people = [text(a) for a in knowledge.select(".entities dd a") if a["href"].startswith("../entity/")]
    assert {"Faiz Hameed", "Zabihullah Mujahid", "Suhail Shaheen", "Mark Milley"} <= set(people)
    events = knowledge.select(".events li")
    assert [e.select_one("time")["datetime"] for e in events] == ["2021-08-15", "2021-09", "2021-09", "2021-10-23"]
    assert all(e.select_one("a[href^='#p-']") and e.select_one("a[href*='chronology.html#event-']") for e in events)


def test_tags_use_canonical_entity_names(briefing_pages):
    tags = [text(a) for a in briefing_pages[SEED_003].select(".tags a")]
    assert "TTP" in tags and "United States" in tags
    assert "Tehreek-e-Taliban Pakistan" not in tags and "US" not in tags


def test_chronology_of_events_from_the_text(pages):
    page = pages("chronology.html")
    events = page.select(".events-section li.event")
    dated = {(li.select_one("time")["datetime"], text(li.select_one("q"))) for li in events}
    expected = [("2001-10", "US invasion in October 2001"), ("2020-02", "peace deal in February 2020"),
                ("2021-08-15", "On August 15, ISIS launched attacks"),
                ("2021-08", "Afghan Taliban had captured Kabul in August 2021"),
                ("2021-10-23", "CNN reported on Saturday")]
    for iso, words in expected:
        assert any(d == iso and words in sentence for d, sentence in dated), (iso, words)
    datetimes = [li.select_one("time")["datetime"] for li in events]
    assert datetimes == sorted(datetimes, reverse=True)
    for li in events:
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", li.select_one("time")["datetime"])
        sources = li.select(".sources a")
        assert sources and all(re.fullmatch(r"\./briefings/[\w-]+\.html#(p-\d+|photo)", a["href"]) for a in sources)


def test_timeline_is_inline_svg_readable_without_colour(pages):
    page = pages("chronology.html")
    svg = page.select_one("figure.timeline-figure svg.timeline")
    assert svg["role"] == "img" and svg["aria-labelledby"] == "timeline-title timeline-desc"
    assert "events" in text(svg.select_one("desc"))
    events = page.select(".events-section li.event")
    assert len(svg.select(":scope > circle.event")) == len(events)
    assert len(svg.select(":scope > rect.published")) == 4  # the dated briefings
    assert all(mark.select_one("title") for mark in svg.select(":scope > circle, :scope > rect"))
    assert not page.select("script[src]")


def test_related_briefings_give_entity_reasons(briefing_pages):
    related = briefing_pages[SEED_003].select(".related li")
    reasons = [text(li.select_one(".meta")) for li in related]
    assert any("TTP" in reason for reason in reasons)
    assert all(re.search(r"shares [A-Z]", reason) for reason in reasons)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The seeds, the annotation texts and four more reports of the Torkham reopening."""
    workdir = tmp_path_factory.mktemp("corpus")
    seeds = workdir / "seeds"
    shutil.copytree(SEEDS, seeds)
    for path in (ANNOTATIONS / "texts").glob("*.txt"):
        shutil.copy(path, seeds / path.name)
    (seeds / "y1.txt").write_text(
        "Torkham trade resumes – Dawn\n\nPublished: 17 September 2023\n\n"
        "Frontier Corps officials said the Torkham crossing reopened on September 15 after talks.\n", "utf-8")
    (seeds / "y2.txt").write_text(
        "Border reopens – Reuters\n\nPublished: 18 September 2023\n\n"
        "The Torkham border crossing was reopened on Friday, traders in Peshawar said on Monday.\n", "utf-8")
    (seeds / "y3.txt").write_text(
        "Queues at the border – Dawn\n\nPublished: 19 September 2023\n\n"
        "Trucks crossed at Torkham again after the crossing reopened on 15 September 2023.\n", "utf-8")
    (seeds / "y4.txt").write_text(
        "Exporters relieved – Tribune\n\nPublished: 20 September 2023\n\n"
        "Fruit exporters welcomed the reopening of Torkham on 15 September 2023 after a week of closure.\n",
        "utf-8")
    return built_output(seeds, workdir)


def test_discovered_entities_get_pages_marked_discovered(corpus):
    from bs4 import BeautifulSoup
    page = BeautifulSoup((corpus / "entity" / "sajid-iqbal.html").read_text("utf-8"), "html.parser")
    assert "Discovered" in text(page.select_one(".discovered"))
    assert "Police spokesman" in text(page.select_one(".in-context"))
    index = BeautifulSoup((corpus / "entities" / "people.html").read_text("utf-8"), "html.parser")
    marked = [text(li.a) for li in index.select(".entity-index li") if li.select_one(".discovered")]
    assert {"Sajid Iqbal", "Thomas Avery", "Maria Lindqvist"} <= set(marked)
    assert "Imran Khan" not in marked


def test_the_same_event_from_several_briefings_is_shown_once(corpus):
    from bs4 import BeautifulSoup
    page = BeautifulSoup((corpus / "chronology.html").read_text("utf-8"), "html.parser")
    reopening = [li for li in page.select(".events-section li.event")
                 if li.select_one("time")["datetime"] == "2023-09-15"]
    assert len(reopening) == 1
    sources = reopening[0].select(".sources a")
    assert len(sources) == 5 and len({a["href"].split("#")[0] for a in sources}) == 5


def test_an_actors_page_names_the_first_sources_of_its_event_and_links_to_the_rest(corpus):
    from bs4 import BeautifulSoup
    page = BeautifulSoup((corpus / "entity" / "torkham.html").read_text("utf-8"), "html.parser")
    reopening = [li for li in page.select("li.event") if li.select_one("time")["datetime"] == "2023-09-15"]
    assert len(reopening) == 1
    *sources, rest = reopening[0].select(".sources a")
    assert len(sources) == 3 and text(rest) == "2 more in the chronology"
    assert rest["href"] == "../chronology.html#" + reopening[0]["id"]
