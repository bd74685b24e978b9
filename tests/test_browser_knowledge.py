"""A reader in headless Chromium follows the knowledge layer from file://: a linked name in a
briefing to its entity page, on to the chronology with its timeline; no errors, no requests out."""

def test_entity_link_to_entity_page_to_chronology(browser, site):
    page = browser.new_page()
    errors, requests = [], []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto((site / "briefings" / "pakistan-us-join-hands-against-pakistans-taliban.html").as_uri())
    page.click(".e-content a.entity-link >> text=Tehreek-e-Taliban Pakistan")
    page.wait_for_load_state()
    assert page.url.endswith("/entity/ttp.html")
    assert page.locator("h1").inner_text() == "TTP"
    page.click(".mentions a >> nth=0")
    page.wait_for_load_state()
    assert "/briefings/" in page.url
    page.goto((site / "chronology.html").as_uri())
    timeline = page.locator("svg.timeline")
    assert timeline.is_visible() and timeline.bounding_box()["height"] > 50
    page.click(".events-section li.event .sources a >> nth=0")
    page.wait_for_load_state()
    assert "#p-" in page.url
    page.goto((site / "entities" / "index.html").as_uri())
    assert page.locator("svg.entity-graph").is_visible()
    assert errors == []
    assert all(url.startswith(("file://", "data:")) for url in requests), requests
    page.close()
