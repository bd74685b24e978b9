"""A reader in headless Chromium: open the site from file:// and follow a link, no errors."""

import shutil

import pytest

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian chromium is required for browser tests: apt-get install chromium")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def test_home_from_file_url_links_to_a_briefing_without_errors(browser, site):
    page = browser.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((site / "index.html").as_uri())
    assert page.title() == "Briefings"
    page.click("main .briefing-item a >> nth=0")
    page.wait_for_load_state()
    assert page.url.startswith((site / "briefings").as_uri())
    assert page.locator("article.h-entry .e-content p").count() > 3
    assert page.locator("h1").inner_text()
    page.click("text=Chronology")
    assert page.url.endswith("/chronology.html")
    assert errors == []
    assert all(url.startswith(("file://", "data:")) for url in requests), requests
    page.close()
