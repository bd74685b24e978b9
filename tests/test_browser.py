"""A reader in headless Chromium: navigation, search over http and file://, keyboard, no-JS,
dark mode, print, small screens; screenshots of the key pages go to test-artifacts/."""

import re
import shutil

import pytest
from conftest import ARTIFACTS, PAGE_TYPES

pytest.importorskip("playwright.sync_api")

SCREEN_WIDTHS = {"phone": (320, 640), "desktop": (1280, 900)}
SCREENSHOT_PAGES = ["home", "briefing", "chronology", "search"]


def open_page(browser, url, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto(url)
    return context, page


def test_home_from_file_url_links_to_a_briefing_without_errors(watched, site):
    page = watched.page
    page.goto((site / "index.html").as_uri())
    assert page.title() == "Briefings"
    page.click("main .briefing-item a >> nth=0")
    page.wait_for_load_state()
    assert page.url.startswith((site / "briefings").as_uri())
    assert page.locator("article.h-entry .e-content p").count() > 3
    assert page.locator("h1").inner_text()
    page.click("text=Chronology")
    assert page.url.endswith("/chronology.html")
    assert watched.errors == []
    assert all(url.startswith(("file://", "data:")) for url in watched.requests), watched.requests


def test_home_dashboard_shows_latest_briefings_actors_and_events(watched, site):
    page = watched.page
    page.goto((site / "index.html").as_uri())
    latest = page.locator(".dashboard-latest .briefing-item")
    assert latest.count() == 5
    assert latest.first.locator("time").get_attribute("datetime") == "2023-04-25"
    actors = page.locator(".dashboard-actors .ranked li")
    assert actors.count() >= 5
    counts = [int(re.search(r"(\d+) briefings?", text).group(1)) for text in actors.all_inner_texts()]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 3
    events = page.locator(".dashboard-events li time")
    dates = [events.nth(i).get_attribute("datetime") for i in range(events.count())]
    assert dates and dates == sorted(dates, reverse=True)
    actors.first.locator("a").click()
    assert "/entity/" in page.url
    assert page.locator("main section li a[href*='briefings/']").count() >= counts[0]


def search_results(page):
    page.wait_for_selector("#search-results li .search-snippet mark")
    return page.locator("#search-results > li")


@pytest.mark.parametrize("where", ["http", "file"])
def test_search_from_the_header_finds_briefings_with_snippet_date_and_source(watched, site,
                                                                             http_site, where):
    page = watched.page
    page.goto(http_site + "index.html" if where == "http" else (site / "index.html").as_uri())
    page.fill("header input[type=search]", "Diplomat")
    page.press("header input[type=search]", "Enter")
    page.wait_for_load_state()
    assert re.search(r"/search\.html\?q=Diplomat$", page.url)
    results = search_results(page)
    assert results.count() >= 1
    first = results.first
    assert first.locator("h2 a").inner_text() == "Pakistan, US join hands against Pakistan’s Taliban"
    assert "The Diplomat" in first.locator(".meta").inner_text()
    assert first.locator(".undated").inner_text() == "Undated"
    assert page.locator("#search-status").inner_text().endswith(("match.", "matches."))
    first.locator("h2 a").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Pakistan, US join hands")
    assert watched.errors == []


def test_search_page_searches_as_you_type_by_word_start_and_keyboard(watched, site):
    page = watched.page
    page.goto((site / "search.html").as_uri())
    page.fill("#search-query", "airsp")  # the start of "airspace"
    results = search_results(page)
    titles = results.locator("h2 a").all_inner_texts()
    assert "US is formalizing an agreement with Pakistan to use its airspace" in titles
    assert results.first.locator("mark").first.inner_text().lower().startswith("airsp")
    assert results.first.locator("time").get_attribute("datetime")
    page.focus("#search-query")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('#search-results') !== null")
    first_title = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().replace("\xa0", " ") == first_title
    assert watched.errors == []


def test_search_loads_only_the_shards_of_the_words_typed(watched, site):
    """The postings are split by the words' first two characters; a query loads its words'
    shards, one each (a one-digit word: every shard of that digit), never the rest."""
    page = watched.page
    shards = []
    page.on("request", lambda request: shards.append(request.url.rsplit("/search/terms/", 1)[1])
            if "/search/terms/" in request.url else None)
    page.goto((site / "search.html").as_uri() + "?q=airsp")
    assert "US is formalizing an agreement with Pakistan to use its airspace" in \
        search_results(page).locator("h2 a").all_inner_texts()
    assert shards == ["ai.js"]
    for query in ("taliban airspace", "airspace 1"):
        page.fill("#search-query", query)
        page.press("#search-query", "Enter")  # searches at once: "Searching…" until its shards are here
        page.wait_for_selector("#search-status:has-text('match')")
        if query == "taliban airspace":
            assert sorted(shards) == ["ai.js", "ta.js"]
    every = sorted(path.name for path in (site / "search" / "terms").glob("*.js"))
    assert sorted(set(shards)) == sorted({"ai.js", "ta.js"} | {name for name in every if name.startswith("1")})
    assert len(every) > 3 * len(set(shards))
    assert watched.errors == []


def test_search_loads_what_it_shows_of_the_results_shown_only(watched, site, tmp_path):
    """A result's link, title, date, source and snippet come from its own search/docs/N.js,
    loaded when it is shown; a result whose file cannot be loaded says so, the others show."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    page = watched.page
    docs = []
    page.on("request", lambda request: docs.append(request.url.rsplit("/search/docs/", 1)[1])
            if "/search/docs/" in request.url else None)
    page.goto((copy / "search.html").as_uri() + "?q=airsp")
    shown = search_results(page)
    numbers = sorted(shown.evaluate_all("items => items.map(item => item.dataset.doc)"))
    assert sorted(docs) == [f"{number}.js" for number in numbers]
    assert len(numbers) < len(list((copy / "search" / "docs").glob("*.js")))

    missing = next(path for path in sorted((copy / "search" / "docs").glob("*.js")) if path.stem not in numbers)
    missing.unlink()
    page.goto((copy / "search.html").as_uri() + "?q=taliban")
    page.wait_for_selector(f'#search-results [data-doc="{missing.stem}"]:has-text("could not be loaded")')
    assert search_results(page).locator("h2 a").count() == search_results(page).count() - 1
    assert watched.errors == ["Failed to load resource: net::ERR_FILE_NOT_FOUND"]  # that file, no script error


def test_a_shard_that_cannot_be_loaded_is_searched_as_empty(watched, site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    (copy / "search" / "terms" / "ai.js").unlink()
    (copy / "search" / "terms" / "ta.js").write_text("/* damaged */\n", "utf-8")
    page = watched.page
    page.goto((copy / "search.html").as_uri() + "?q=airsp")
    page.wait_for_selector("#search-status:has-text('No briefing matches airsp')")
    page.fill("#search-query", "taliban")
    page.press("#search-query", "Enter")
    page.wait_for_selector("#search-status:has-text('No briefing matches taliban')")
    page.fill("#search-query", "pakistan")
    page.press("#search-query", "Enter")
    assert search_results(page).count() >= 3  # the other shards still load


def test_search_needs_every_word_and_says_when_nothing_matches(watched, site):
    page = watched.page
    page.goto((site / "search.html").as_uri() + "?q=Taliban")
    assert search_results(page).count() >= 3
    page.fill("#search-query", "Taliban zzyzx")
    page.wait_for_selector("#search-status:has-text('No briefing matches')")
    assert page.locator("#search-results li").count() == 0
    page.fill("#search-query", "the")
    page.wait_for_selector("#search-status:has-text('common words')")


def test_search_text_from_a_seed_is_shown_as_text(watched, tmp_path):
    from conftest import build_site

    seeds = tmp_path / "clippings"
    seeds.mkdir()
    (seeds / "hostile.txt").write_text(
        "Markup test – Dawn\n\nPublished: 3 March 2022\n\n"
        'Officials said <img src=x onerror="document.title=\'owned\'"> zebracrossing appeared '
        "in the statement read out on Monday in Quetta.\n", "utf-8")
    assert build_site(seeds, tmp_path).returncode == 0
    page = watched.page
    page.goto((tmp_path / "output" / "search.html").as_uri() + "?q=zebracrossing")
    snippet = search_results(page).first.locator(".search-snippet")
    assert "<img src=x" in snippet.inner_text()
    assert page.title() != "owned" and page.locator("#search-results img").count() == 0
    assert watched.errors == []


def test_pages_stay_readable_without_javascript(browser, site):
    context, page = open_page(browser, (site / PAGE_TYPES["briefing"]).as_uri(),
                              java_script_enabled=False)
    assert page.locator(".e-content p").count() > 3
    assert page.locator("header form[role=search] input[type=search]").is_visible()
    page.goto((site / "search.html").as_uri() + "?q=taliban")
    message = page.locator("main").inner_text()
    assert "needs JavaScript" in message and page.locator("main a[href$='chronology.html']").count()
    context.close()


def luminance(css_colour: str) -> float:
    red, green, blue = (int(x) / 255 for x in re.findall(r"\d+", css_colour)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_colour_scheme_follows_the_reader(browser, site, scheme):
    context, page = open_page(browser, (site / PAGE_TYPES["briefing"]).as_uri(), color_scheme=scheme)
    background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    text = page.evaluate("getComputedStyle(document.querySelector('.e-content p')).color")
    if scheme == "dark":
        assert luminance(background) < 0.2 < 0.7 < luminance(text)
    else:
        assert luminance(text) < 0.2 < 0.9 < luminance(background)
    ARTIFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "screenshots" / f"briefing-{scheme}.png")
    context.close()


def test_print_hides_navigation_and_shows_link_addresses(browser, site):
    context, page = open_page(browser, (site / PAGE_TYPES["briefing"]).as_uri())
    page.emulate_media(media="print")
    for hidden in [".site-header nav", ".site-search", ".site-footer", ".in-time"]:
        assert page.locator(hidden).evaluate("e => getComputedStyle(e).display") == "none", hidden
    link = page.locator(".provenance a").first
    after = link.evaluate("e => getComputedStyle(e, '::after').content")
    assert link.get_attribute("href") in after
    assert page.locator("h1").is_visible() and page.locator(".e-content p").first.is_visible()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    (ARTIFACTS / "briefing-print.pdf").write_bytes(pdf)
    context.close()


@pytest.mark.parametrize("screen", SCREEN_WIDTHS)
def test_every_page_fits_the_screen_and_is_photographed(browser, http_site, screen):
    width, height = SCREEN_WIDTHS[screen]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for name, path in PAGE_TYPES.items():
        page.goto(http_site + path)
        if name == "search":
            search_results(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow}px wider than a {width}px screen"
        if name in SCREENSHOT_PAGES:
            page.screenshot(path=folder / f"{name}-{screen}.png", full_page=True)
    context.close()
    assert len(list(folder.glob(f"*-{screen}.png"))) >= len(SCREENSHOT_PAGES)
