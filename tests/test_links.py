"""Every link and resource in the built site resolves to a file, as file:// needs."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup


def local_targets(site: Path):
    for page in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        for element in soup.find_all(href=True) + soup.find_all(src=True):
            url = element.get("href") or element.get("src")
            yield page, url


def test_every_link_ends_at_a_file(site):
    checked = 0
    for page, url in local_targets(site):
        parts = urlsplit(url)
        if parts.scheme == "data" or (not parts.path and parts.fragment):
            continue
        assert not parts.scheme and not parts.netloc, f"{page}: external URL {url}"
        target = (page.parent / unquote(parts.path)).resolve()
        assert target.is_file(), f"{page.relative_to(site)}: {url} is not a file"
        checked += 1
    assert checked > 100


def test_fragment_links_point_at_existing_ids(site):
    for page, url in local_targets(site):
        parts = urlsplit(url)
        if parts.fragment and not parts.scheme:
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            soup = BeautifulSoup(target.read_text("utf-8"), "html.parser")
            assert soup.find(id=parts.fragment), f"{page}: {url}"
