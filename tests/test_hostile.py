"""Hostile seeds: HTML, Markdown, Jinja and Pelican syntax come out as literal text, everywhere.

No seed can run a script, add a link, choose where a file is written, hide a briefing or pick
a template.
"""

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import built_output, page_by_seed

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "seeds"
HOSTILE_FIXTURES = ["hostile_html_script.txt", "hostile_jinja_template.txt",
                    "hostile_markdown_syntax.txt", "hostile_pelican_metadata.txt"]

# Seeds whose very first lines look like Pelican metadata, and a title line full of markup.
CRAFTED = {
    "metadata_first.txt": "Title: Injected title\nStatus: draft\nSave_as: ../../pwned.html\n"
                          "Template: page\nSlug: ../../escape\n\nPublished: 2 May 2022\n\n"
                          "Officials in Kabul said the talks would resume after the holiday, "
                          "according to a statement issued on Monday.\n",
    "markup_title.txt": "<script>alert('title')</script> Taliban talks <b>stall</b> – Dawn\n\n"
                        "Published: 3 May 2022\n\n"
                        "Negotiators in Doha failed to agree on a ceasefire, a spokesman said, "
                        "as talks ended without a date for the next round.\n\n"
                        "<iframe src=\"https://example.com\"></iframe> was in the source too.\n",
}
LITERALS = {
    "hostile_html_script.txt": ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"],
    "hostile_jinja_template.txt": ["{{ x }}", "{% for item in items %}"],
    "hostile_markdown_syntax.txt": ["# Statement from the central media office",
                                    "**Breaking**", "[link](javascript:alert(1))"],
    "hostile_pelican_metadata.txt": ["Title: Pakistan Army promotion board 2023", "Status: draft",
                                     "Save_as: ../../index.html", "{filename}/secret.md"],
    "metadata_first.txt": ["Title: Injected title", "Save_as: ../../pwned.html", "Template: page"],
    "markup_title.txt": ['<iframe src="https://example.com"></iframe>'],
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("hostile")
    seeds = workdir / "seeds"
    seeds.mkdir()
    for name in HOSTILE_FIXTURES:
        shutil.copy(FIXTURES / name, seeds / name)
    for name, text in CRAFTED.items():
        (seeds / name).write_text(text, "utf-8")
    built_output(seeds, workdir)
    return workdir


def normalise(text: str) -> str:
    """Undo typogrify's typography so literal seed text can be compared."""
    for curly, plain in {"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " "}.items():
        text = text.replace(curly, plain)
    return " ".join(text.split())


def test_every_hostile_seed_is_published_as_a_briefing(hostile_site):
    soups = page_by_seed(hostile_site / "output")
    assert sorted(soups) == sorted(HOSTILE_FIXTURES + list(CRAFTED))


def test_hostile_text_appears_literally_on_the_page(hostile_site):
    for seed, soup in page_by_seed(hostile_site / "output").items():
        page_text = normalise(soup.select_one("main").get_text(" "))
        for literal in LITERALS[seed]:
            assert normalise(literal) in page_text, (seed, literal)


def test_no_seed_markup_becomes_live_html(hostile_site):
    for page in sorted((hostile_site / "output").rglob("*.html")):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        for script in soup.find_all("script"):
            assert script.get("type") == "application/ld+json" or script.get("src"), page
        assert not soup.find_all(["iframe", "img", "object", "embed"]), page
        assert len(soup.find_all("h1")) == 1, page
        for element in soup.find_all(True):
            assert not any(attr.startswith("on") for attr in element.attrs), (page, element)
            assert not str(element.get("href", "")).lower().startswith(("javascript:", "data:text")), page
        content = soup.select_one(".e-content")
        if content:
            assert not content.find_all(["strong", "em", "b", "h2", "h3"]), page
            for link in content.find_all("a"):  # only the site's own links to entity pages
                assert link.get("class") == ["entity-link"], (page, link)
                assert link["href"].startswith("../entity/") and link["href"].endswith(".html"), page


def test_metadata_lines_in_a_seed_choose_nothing(hostile_site):
    output = hostile_site / "output"
    assert not list(hostile_site.rglob("pwned.html"))
    assert not list(output.rglob("escape*"))
    soup = page_by_seed(output)["metadata_first.txt"]
    assert soup.select_one("article.briefing")  # rendered with the article template, not "page"
    assert "Injected title" not in soup.select_one("h1").get_text()
    markdown = next((hostile_site / "content" / "briefings").glob("*.md")).parent
    for path in markdown.glob("*.md"):
        header = path.read_text("utf-8").split("\n\n", 1)[0]
        keys = {line.split(":", 1)[0] for line in header.splitlines() if not line.startswith("    ")}
        assert not keys & {"Status", "Save_as", "Template", "Url"}, path


def test_json_ld_and_title_carry_the_literal_title(hostile_site):
    soup = page_by_seed(hostile_site / "output")["markup_title.txt"]
    data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert normalise(data["headline"]) == "<script>alert('title')</script> Taliban talks <b>stall</b>"
    assert "<script>" in soup.title.get_text()
    assert soup.select_one("h1").get_text().startswith("<script>")
    assert data["publisher"]["name"] == "Dawn"


@pytest.fixture(scope="module")
def hostile_published(hostile_site, tmp_path_factory):
    """The same hostile seeds through `make publish`: feeds and absolute URLs."""
    from conftest import PUBLISHED_URL

    return built_output(hostile_site / "seeds", tmp_path_factory.mktemp("hostile-published"),
                        target="publish", env={"SITEURL": PUBLISHED_URL})


def test_feeds_carry_hostile_text_as_escaped_text(hostile_published):
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.parse(hostile_published / "feeds" / "all.atom.xml").getroot()
    titles = {normalise(entry.find(f"{atom}title").text) for entry in root.findall(f"{atom}entry")}
    assert "<script>alert('title')</script> Taliban talks <b>stall</b>" in titles
    for entry in root.findall(f"{atom}entry"):
        content = entry.find(f"{atom}content").text  # HTML as text: parse it as a reader would
        soup = BeautifulSoup(content, "html.parser")
        assert not soup.find_all(["script", "img", "iframe"])
        assert not any(a.get("href", "").startswith("javascript:") for a in soup.find_all("a"))
        for element in soup.find_all(True):
            assert not any(attr.startswith("on") for attr in element.attrs)
    texts = " ".join(normalise(BeautifulSoup(entry.find(f"{atom}content").text, "html.parser").get_text())
                     for entry in root.findall(f"{atom}entry"))
    for literal in ["<script>alert(1)</script>", "{{ x }}", "Save_as: ../../index.html",
                    "[link](javascript:alert(1))"]:
        assert literal in texts


def test_search_files_hold_the_literal_title(hostile_site):
    titles = set()
    for path in (hostile_site / "output" / "search" / "docs").glob("*.js"):
        script = path.read_text("utf-8")  # window.briefingSearchDoc&&window.briefingSearchDoc(N,row,paragraphs);
        row = json.loads("[" + script[script.index("(") + 1:].rstrip().removesuffix(");") + "]")[1]
        titles.add(normalise(row[1]))
    assert "<script>alert('title')</script> Taliban talks <b>stall</b>" in titles


def test_searching_hostile_text_in_the_browser_runs_nothing(watched, hostile_site):
    page = watched.page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto((hostile_site / "output" / "search.html").as_uri() + "?q=alert")
    page.wait_for_selector("#search-results li")
    results = page.locator("#search-results").inner_text()
    assert "<script>" in results
    assert page.locator("#search-results script, #search-results img, #search-results b").count() == 0
    page.locator("#search-results a").first.click()
    page.wait_for_load_state()
    assert dialogs == [] and watched.errors == []
