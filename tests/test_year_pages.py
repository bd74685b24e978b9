"""Long chronologies, much-named entities and tags on many briefings as a reader meets them:
chronology.html becomes an overview of the years, each year gets a page of its events, timeline
and briefings (a long year: an overview of its months, each with such a page), and every "in the
chronology" link of a briefing lands on the page that holds its event; an entity's page keeps who it is and a table of its years, each with a page of the
sentences and events of that year; a tag's page keeps a table of years and its latest briefings.
Undated briefings get a page of their own in all three. The five seeds are built with low
CHRONOLOGY_ONE_PAGE_MAX, ENTITY_ONE_PAGE_MAX and TAG_ONE_PAGE_MAX so that they count as long."""

import re

import pytest
from bs4 import BeautifulSoup
from conftest import SEEDS, built_output
from test_audits import axe_violations, vnu_errors
from test_links import local_targets

ONE_PAGE_MAX = 10  # the five seeds have 14 events and 4 dated briefings
YEARS = [2023, 2022, 2021, 2020, 2001, 1996]  # with an event or a briefing published
SPLIT = {2021: ["2021-10", "2021-09", "2021-08", "2021-07", "2021-06"]}  # 11 events, 2 briefings: months
ENTITY_ONE_PAGE_MAX = 5  # Pakistan: in 4 briefings, with 6 events
TAG_ONE_PAGE_MAX = 4  # Afghanistan: on all 5 briefings


@pytest.fixture(scope="module")
def years_site(tmp_path_factory):
    return built_output(SEEDS, tmp_path_factory.mktemp("years"),
                        f"PELICANOPTS=-e CHRONOLOGY_ONE_PAGE_MAX={ONE_PAGE_MAX} "
                        f"ENTITY_ONE_PAGE_MAX={ENTITY_ONE_PAGE_MAX} TAG_ONE_PAGE_MAX={TAG_ONE_PAGE_MAX}")


def parse(path):
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def year_pages(site):
    return {path.stem if path.stem == "undated" else int(path.stem): parse(path)
            for path in (site / "chronology").glob("*.html") if "-" not in path.stem}


def month_pages(site):
    return {path.stem: parse(path) for path in (site / "chronology").glob("*-*.html")}


def listed(page) -> tuple[list[str], list[str]]:
    """The dates of the events and of the briefings published that a chronology page lists."""
    return ([li.time["datetime"] for li in page.select(".events-section li.event")],
            [time["datetime"] for time in page.select(".published-section li time")])


def test_a_short_chronology_entities_and_tags_stay_one_page(site):
    assert not (site / "chronology").exists()
    assert not [path for path in (site / "entity").iterdir() if path.is_dir()]
    assert not [path for path in (site / "tag").iterdir() if path.is_dir()]
    page = parse(site / "chronology.html")
    assert len(page.select(".events-section li.event")) == 14
    assert not page.select("table.years")


def test_the_overview_lists_every_year_with_its_counts(years_site):
    overview = parse(years_site / "chronology.html")
    assert not overview.select("li.event")
    assert "14 events and 4 dated briefings, from 1996 to 2023" in text(overview.select_one("main p"))
    rows = overview.select("table.years tbody tr")
    assert [text(row.th) for row in rows] == [*map(str, YEARS), "Undated"]
    for row in rows:
        assert row.th.a["href"] == f"./chronology/{text(row.th).lower()}.html"
        page = parse(years_site / row.th.a["href"])
        events, published = (int(text(cell)) for cell in row.select("td"))
        months = [parse(years_site / "chronology" / a["href"]) for a in page.select("table.years th a")]
        assert sum(len(p.select(".events-section li.event")) for p in [page, *months]) == events
        assert sum(len(p.select("main .chronology > li")) for p in [page, *months]) == published
    counts = [[int(text(cell)) for cell in row.select("td")] for row in rows]
    assert [sum(column) for column in zip(*counts)] == [14, 5]  # the undated briefing too
    undated = parse(years_site / "chronology" / "undated.html")
    assert text(undated.h1) == "Undated briefings"
    assert [a["href"] for a in undated.select("main ul.chronology li a")] == [
        "../briefings/pakistan-us-join-hands-against-pakistans-taliban.html"]


def test_the_overview_chart_is_an_svg_with_a_text_alternative(years_site):
    chart = parse(years_site / "chronology.html").select_one("figure.timeline-figure svg")
    assert chart["role"] == "img" and chart["aria-labelledby"] == "years-title years-desc"
    assert "1996 to 2023" in text(chart.select_one("title"))
    bars = chart.select(":scope > rect.event")
    assert len(bars) == len(YEARS)
    assert {text(bar.title) for bar in bars} >= {"2021: 11 events", "2023: 0 events"}
    heights = {text(bar.title): float(bar["height"]) for bar in bars}
    assert heights["2021: 11 events"] == max(heights.values()) > heights["2020: 1 event"] > 0


def test_a_year_page_holds_its_events_and_briefings_newest_first(years_site):
    pages = year_pages(years_site)
    assert sorted(pages.keys() - {"undated"}, reverse=True) == YEARS
    for year, page in pages.items():
        if year == "undated":
            continue
        assert text(page.h1) == f"Chronology of {year}"
        events, published = listed(page)
        assert events or published or year in SPLIT
        assert all(day.startswith(str(year)) for day in events + published)
        assert events == sorted(events, reverse=True) and published == sorted(published, reverse=True)
        svg = page.select_one("figure.timeline-figure svg.timeline")
        if year in SPLIT:  # its timeline is the whole year's; its list, events dated to the year alone
            assert events == [str(year)] and not published
            assert len(svg.select(":scope > circle.event")) == 11
        else:
            assert len(svg.select(":scope > circle.event")) == len(events)
        assert [text(month) for month in svg.select("text.month")][:3] == ["Jan", "Feb", "Mar"]


def test_a_long_year_gets_a_page_per_month_newest_first(years_site):
    year = parse(years_site / "chronology" / "2021.html")
    rows = year.select("table.years tbody tr")
    assert [row.th.a["href"] for row in rows] == [f"../chronology/{m}.html" for m in SPLIT[2021]]
    assert [text(row.th) for row in rows][:2] == ["October 2021", "September 2021"]
    months = month_pages(years_site)
    assert sorted(months, reverse=True) == SPLIT[2021]
    for month, page in months.items():
        assert re.fullmatch(r"Chronology of [A-Z][a-z]+ 2021", text(page.h1))
        events, published = listed(page)
        row = next(row for row in rows if row.th.a["href"].endswith(f"{month}.html"))
        assert [len(events), len(published)] == [int(text(cell)) for cell in row.select("td")]
        assert all(day.startswith(month) for day in events + published) and events + published
        assert events == sorted(events, reverse=True) and published == sorted(published, reverse=True)
        assert not page.select("figure.timeline-figure")  # the year's page has the timeline
    assert text(months["2021-08"].h1) == "Chronology of August 2021"
    nav = months["2021-08"].select_one("nav.year-nav")
    assert nav["aria-label"] == "Months"
    assert [(text(a), a["href"]) for a in nav.select("a")] == [
        ("← July 2021", "../chronology/2021-07.html"), ("2021", "../chronology/2021.html"),
        ("September 2021 →", "../chronology/2021-09.html")]


def test_year_pages_link_to_their_neighbours_and_the_overview(years_site):
    pages = year_pages(years_site)
    for index, year in enumerate(YEARS):
        nav = pages[year].select_one("nav.year-nav")
        older, newer = nav.select_one("a[rel=prev]"), nav.select_one("a[rel=next]")
        assert (older["href"] if older else None) == (
            f"../chronology/{YEARS[index + 1]}.html" if index + 1 < len(YEARS) else None)
        assert (newer["href"] if newer else None) == (
            f"../chronology/{YEARS[index - 1]}.html" if index > 0 else None)
        assert nav.select_one("a[href='../chronology.html']")
        assert pages[year].select_one("nav[aria-label=Site] a[aria-current=page]")["href"] == "../chronology.html"


def test_a_tag_on_many_briefings_gets_a_page_per_year(years_site):
    page = parse(years_site / "tag" / "afghanistan.html")
    rows = page.select("table.years tbody tr")
    assert [text(row.th) for row in rows] == ["2023", "2022", "2021", "Undated"]
    assert sum(int(text(row.td)) for row in rows) == 5
    latest = [a["href"] for a in page.select("article.briefing-item h3 a")]
    assert latest and len(latest) <= 10
    for row in rows:
        year_page = parse((years_site / "tag" / "afghanistan.html").parent / row.th.a["href"])
        items = year_page.select("article.briefing-item")
        assert len(items) == int(text(row.td))
        year = text(row.th)
        for item in items:
            time = item.select_one("time")
            assert (time["datetime"].startswith(year) if time else year == "Undated"), item
        assert year_page.select_one("nav.year-nav a[href='../../tag/afghanistan.html']")
    newest = parse(years_site / "tag" / "afghanistan" / "2023.html")
    assert [a["href"].removeprefix("../") for a in newest.select("article.briefing-item h2 a")] == latest[:1]


def test_every_event_link_of_a_briefing_lands_on_its_year_or_month(years_site):
    checked = 0
    for page, url in local_targets(years_site):
        if page.parent.name != "briefings" or "#event-" not in url:
            continue
        path, fragment = url.split("#")
        target = (page.parent / path).resolve()
        year, month = re.fullmatch(r"event-(\d{4})(-\d{2})?.*", fragment).groups()
        expected = f"{year}{month}" if month and int(year) in SPLIT else year
        assert target == years_site / "chronology" / f"{expected}.html", url
        assert parse(target).find(id=fragment), url
        checked += 1
    assert checked >= 10


def test_every_link_ends_at_a_file_or_an_id(years_site):
    for page, url in local_targets(years_site):
        if url.startswith("data:"):
            continue
        path, _, fragment = url.partition("#")
        target = (page.parent / path).resolve() if path else page
        assert target.is_file(), f"{page}: {url}"
        if fragment:
            assert parse(target).find(id=fragment), f"{page}: {url}"


def test_overviews_and_year_pages_are_valid_and_accessible(browser, years_site):
    assert vnu_errors(years_site / "chronology", years_site / "chronology.html",
                      years_site / "entity", years_site / "tag") == []
    for page in ["chronology.html", "chronology/2021.html", "chronology/2021-08.html", "entity/pakistan.html",
                 "entity/pakistan/2021.html", "entity/pakistan/2021-08.html", "tag/afghanistan.html",
                 "tag/afghanistan/2021.html"]:
        assert axe_violations(browser, (years_site / page).as_uri()) == [], page


def test_a_much_named_entity_keeps_who_it_is_and_a_table_of_its_years(years_site):
    page = parse(years_site / "entity" / "pakistan.html")
    assert text(page.h1) == "Pakistan" and page.select_one(".description")
    assert not page.select(".mentions")
    named = int(re.search(r"named in (\d+) briefings", text(page.select_one(".meta"))).group(1))
    rows = page.select("table.years tbody tr")
    assert [text(row.th) for row in rows] == ["2022", "2021", "2001", "1996", "Undated"]
    assert named == sum(int(text(row.select("td")[0])) for row in rows)
    for row in rows:
        year_page = parse((years_site / "entity" / "pakistan.html").parent / row.th.a["href"])
        briefings, events = (int(text(cell)) for cell in row.select("td"))
        months = [parse(years_site / "entity" / "pakistan" / a["href"].rsplit("/", 1)[1])
                  for a in year_page.select("table.years th a")]
        assert bool(months) == (text(row.th) == "2021")  # 2 briefings and 4 events: months
        assert sum(len(p.select(".mentions > li")) for p in [year_page, *months]) == briefings
        assert sum(len(p.select(".events > li")) for p in [year_page, *months]) == events
    undated = parse(years_site / "entity" / "pakistan" / "undated.html")
    assert text(undated.h1) == "Pakistan: undated briefings"
    assert [li.select_one(".undated") for li in undated.select(".mentions > li")]
    latest = page.select(".events > li.event")
    events = sum(int(text(row.select("td")[1])) for row in rows)
    assert len(latest) == min(8, events) and page.select_one(".neighbours")  # ENTITY_LATEST_EVENTS


def test_an_entity_year_page_holds_that_years_sentences_and_events(years_site):
    folder = years_site / "entity" / "pakistan"
    years = sorted((int(path.stem) for path in folder.glob("*.html") if path.stem.isdigit()), reverse=True)
    assert len(years) >= 2
    for index, year in enumerate(years):
        page = parse(folder / f"{year}.html")
        assert text(page.h1) == f"Pakistan in {year}"
        published = [li.time["datetime"] for li in page.select(".mentions > li")]
        assert all(day.startswith(str(year)) for day in published)
        assert all(mark.get_text() in {"Pakistan", "Pakistani"} for mark in page.select(".in-context mark"))
        assert all(li.time["datetime"].startswith(str(year)) for li in page.select(".events > li"))
        older = page.select_one("nav.year-nav a[rel=prev]")
        assert (older["href"] if older else None) == (
            f"../../entity/pakistan/{years[index + 1]}.html" if index + 1 < len(years) else None)
        assert page.select_one("nav.year-nav a[href='../../entity/pakistan.html']")
        chronology = next((a for a in page.select("a") if text(a) == f"{year} in the chronology"), None)
        if page.select(".events > li"):  # its year's page, though 2021's events are on its months'
            assert chronology["href"] == f"../../chronology/{year}.html"


def test_an_entity_year_past_the_limit_gets_a_page_per_month(years_site):
    folder = years_site / "entity" / "pakistan"
    year = parse(folder / "2021.html")
    months = [a["href"].rsplit("/", 1)[1] for a in year.select("table.years th a")]
    assert months == sorted(path.name for path in folder.glob("2021-*.html"))[::-1] and len(months) >= 3
    for name in months:
        page = parse(folder / name)
        assert re.fullmatch(r"Pakistan in [A-Z][a-z]+ 2021", text(page.h1))
        days = [li.time["datetime"] for li in page.select(".mentions > li, .events > li")]
        assert days and all(day.startswith(name.removesuffix(".html")) for day in days)
        nav = page.select_one("nav.year-nav")
        assert nav["aria-label"] == "Months" and nav.select_one("a[href='../../entity/pakistan/2021.html']")
    newest = parse(folder / months[0]).select_one("nav.year-nav")
    assert not newest.select_one("a[rel=next]") and newest.select_one("a[rel=prev]")["href"].endswith(months[1])


YEAR_ALONE = "Taliban talks in Doha stall again"  # a clipping that gave only the year: 2021


@pytest.fixture(scope="module")
def year_alone_site(tmp_path_factory):
    """The five seeds and a clipping dated to 2021 alone, with limits so low that 2021 has a
    page per month in the chronology, for Pakistan and for the tag Taliban."""
    folder = tmp_path_factory.mktemp("year-alone")
    seeds = folder / "seeds"
    seeds.mkdir()
    for seed in SEEDS.glob("*.txt"):
        (seeds / seed.name).write_bytes(seed.read_bytes())
    (seeds / "year-alone.txt").write_text(
        f"{YEAR_ALONE} – Dawn\n\nPublished: 2021\n\nTalks between Pakistan and the Afghan Taliban "
        "stalled in Doha after a week, officials in Islamabad said. The Taliban delegation left on Friday.\n",
        "utf-8")
    return built_output(seeds, folder, f"PELICANOPTS=-e CHRONOLOGY_ONE_PAGE_MAX={ONE_PAGE_MAX} "
                        f"ENTITY_ONE_PAGE_MAX={ENTITY_ONE_PAGE_MAX} TAG_ONE_PAGE_MAX=1")


def names_year_alone(page) -> bool:
    return YEAR_ALONE in text(page.select_one("main"))


@pytest.mark.parametrize("folder", ["chronology", "entity/pakistan", "tag/taliban"])
def test_a_briefing_dated_to_the_year_alone_stays_on_its_years_page(year_alone_site, folder):
    """Its date says 1 January, but the month is not known: not on January's page (nor any
    month's), on its year's, under a heading that says so."""
    months = sorted((year_alone_site / folder).glob("2021-*.html"))
    assert months, "2021 should have a page per month here"
    assert not any(names_year_alone(parse(month)) for month in months)
    year = parse(year_alone_site / folder / "2021.html")
    assert names_year_alone(year)
    assert "the month not given" in text(year.select_one("main"))


def test_a_long_year_of_a_tag_gets_a_page_per_month(year_alone_site):
    tag = parse(year_alone_site / "tag" / "taliban.html")
    years = {text(row.th): int(text(row.td)) for row in tag.select("table.years tbody tr")}
    assert "2021" in years and not any(" " in label for label in years)  # years only, no months
    folder = year_alone_site / "tag" / "taliban"
    year = parse(folder / "2021.html")
    rows = year.select("table.years tbody tr")
    months = [parse(folder / row.th.a["href"]) for row in rows]
    assert [text(row.th) for row in rows] == [text(month.h1).removeprefix("Tag: Taliban, ") for month in months]
    listed = sum(len(month.select("article.briefing-item")) for month in months)
    assert listed == sum(int(text(row.td)) for row in rows) and listed + len(year.select("article.briefing-item")) == years["2021"]
    for month in months:
        assert month.select_one("nav.year-nav a[href='../../tag/taliban/2021.html']")  # up to its year
    assert vnu_errors(folder / "2021.html", *(folder / row.th.a["href"] for row in rows)) == []
