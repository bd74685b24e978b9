"""Theme templates with the knowledge layer's context: the home dashboard shows the
most-mentioned actors and the latest events when `entities` and `events` exist."""

from types import SimpleNamespace

from bs4 import BeautifulSoup
from conftest import ROOT
from jinja2 import Environment, FileSystemLoader
from jinja2.filters import do_striptags
from markupsafe import Markup

from plugins.theme_helpers.theme_helpers import first_few, most_used, striptags


def render(template: str, **context) -> BeautifulSoup:
    env = Environment(loader=FileSystemLoader(ROOT / "theme" / "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(most_used=most_used, first_few=first_few)
    settings = {"SITENAME": "Briefings", "SITEURL": ".", "RELATIVE_URLS": True, "DEFAULT_LANG": "en",
                "THEME_STATIC_DIR": "theme", "CHRONOLOGY_URL": "chronology.html", "TAGS_URL": "tags.html",
                "SEARCH_URL": "search.html", "HOME_LATEST": 12, "HOME_ACTORS": 2, "HOME_EVENTS": 8,
                "output_file": "index.html", "page_name": "index", "articles": [], "tags": [], "pages": []}
    if template.startswith("{"):  # a template's text, not its name
        return BeautifulSoup(env.from_string(template).render({**settings, **context}), "html.parser")
    return BeautifulSoup(env.get_template(template).render({**settings, **context}), "html.parser")


def test_dashboard_lists_most_mentioned_actors_and_latest_events():
    article = SimpleNamespace(source="Dawn", url="briefings/talks.html")
    entities = [SimpleNamespace(name=name, type="person", slug=name.lower().replace(" ", "-"), url=f"entity/{name.lower().replace(' ', '-')}.html",
                                briefings=[article] * count, count=count)
                for name, count in [("Imran Khan", 3), ("ISI", 2), ("Doha", 1)]]
    events = [SimpleNamespace(iso_date="2022-03-01", date_label="1 March 2022", precision="day",
                              sentence="Talks resumed in <Doha>.", actors=entities[:1],
                              sources=[SimpleNamespace(article=article, url="briefings/talks.html#p-2")])]
    home = render("index.html", entities=entities, events=events)
    actors = home.select(".dashboard-actors li")
    assert [li.a.get_text() for li in actors] == ["Imran Khan", "ISI"]  # HOME_ACTORS = 2
    assert actors[0].a["href"] == "./entity/imran-khan.html"
    assert "3 briefings, person" in actors[0].get_text()
    event = home.select_one(".dashboard-events li")
    assert event.time["datetime"] == "2022-03-01"
    assert "Talks resumed in <Doha>." in event.get_text()  # escaped, shown as text
    assert event.select_one("a.event-source")["href"] == "./briefings/talks.html#p-2"
    assert event.select_one("a.event-source").get_text() == "Dawn"  # the publisher names the link
    assert home.select(".dashboard-tags") == []


class Tag(str):
    url = property(lambda self: f"tag/{self}.html")


def test_dashboard_falls_back_to_most_used_tags():
    home = render("index.html", tags=[(Tag("Quetta"), [1]), (Tag("Kabul"), [1, 2, 3])])
    assert home.select(".dashboard-actors") == [] and home.select(".dashboard-events") == []
    listed = home.select(".dashboard-tags li")
    assert [li.a.get_text() for li in listed] == ["Kabul", "Quetta"]
    assert listed[0].a["href"] == "./tag/Kabul.html" and "3 briefings" in listed[0].get_text()


def test_the_remembered_striptags_gives_what_jinjas_gives_for_every_kind_of_value():
    values = [Markup('<span class="caps">US</span> envoy&nbsp;in&#8217;s <!-- x --> talks'),
              "Plain &amp; <b>bold</b>  spaced\ttext", Markup("<em>a</em>"), "<em>a</em>", None, 5, ""]
    for value in values * 2:  # the second time from what it remembered
        assert striptags(value) == do_striptags(value)
        assert type(striptags(value)) is type(do_striptags(value))


def told_by(count: int) -> SimpleNamespace:
    """An event in the chronology's 2021 page, told by `count` briefings."""
    sources = [SimpleNamespace(article=SimpleNamespace(title=f"Report {n}", source=f"Paper {n}"),
                               url=f"briefings/r{n}.html#p-{n}", anchor=f"p-{n}") for n in range(1, count + 1)]
    return SimpleNamespace(iso_date="2021-08-15", date_label="15 August 2021", precision="day", planned=False,
                           sentence="Kabul fell.", actors=[], sources=sources, id="e-2021-08-15-kabul",
                           url="chronology/2021.html#e-2021-08-15-kabul")


def event_item(event, **options) -> BeautifulSoup:
    return render('{% from "partial/event.html" import event_item with context %}<ol>{{ event_item(event, **options) }}</ol>',
                  event=event, options=options)


def test_an_event_elsewhere_names_its_first_sources_and_links_to_the_rest_in_the_chronology():
    item = event_item(told_by(1424))
    links = item.select(".sources a")
    assert [a["href"] for a in links[:3]] == [f"./briefings/r{n}.html#p-{n}" for n in (1, 2, 3)]
    assert len(links) == 4 and links[3]["href"] == "./chronology/2021.html#e-2021-08-15-kabul"
    assert links[3].get_text() == "1421 more in the chronology"
    assert item.select_one(".sources").get_text().startswith("1424 sources: Report 1 (paragraph 1); ")


def test_the_chronology_lists_every_source_and_a_short_list_is_never_cut():
    every = event_item(told_by(40), all_sources=True).select(".sources a")
    assert [a["href"] for a in every] == [f"./briefings/r{n}.html#p-{n}" for n in range(1, 41)]
    four = event_item(told_by(4)).select(".sources a")  # "and 1 more" would save nothing
    assert [a.get_text() for a in four] == ["Report 1", "Report 2", "Report 3", "Report 4"]


def test_the_dashboards_latest_events_name_their_first_publishers():
    home = render("index.html", entities=[], events=[told_by(5), told_by(2)])
    first, second = home.select(".dashboard-events li")
    assert [a.get_text() for a in first.select("a.event-source")] == ["Paper 1", "Paper 2", "Paper 3"]
    assert first.select("a")[-1]["href"] == "./chronology/2021.html#e-2021-08-15-kabul"
    assert first.select("a")[-1].get_text() == "and 2 more"
    assert [a.get_text() for a in second.select("a")] == ["Paper 1", "Paper 2"]
