"""`make offline`: a zip that works unzipped anywhere, opened from file:// with no network."""

import zipfile

import pytest
from conftest import ROOT, SEEDS, build_site

pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("offline")
    target = workdir / "briefings-offline.zip"
    result = build_site(SEEDS, workdir, f"OFFLINE_ZIP={target}", target="offline")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Offline bundle:" in result.stdout
    return target


@pytest.fixture(scope="module")
def unzipped(bundle, tmp_path_factory):
    # A folder name with a space and non-ASCII letters, as a reader's Downloads folder may have.
    folder = tmp_path_factory.mktemp("downloads") / "my files é"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(folder)
    return folder / "briefings"


def test_zip_holds_the_whole_site_in_one_folder_and_is_reproducible(bundle, tmp_path):
    names = zipfile.ZipFile(bundle).namelist()
    assert all(name.startswith("briefings/") for name in names)
    for needed in ["index.html", "search.html", "search/index.js", "theme/css/style.css",
                   "theme/js/search.js", "chronology.html", "404.html"]:
        assert f"briefings/{needed}" in names
    assert sum(name.startswith("briefings/briefings/") for name in names) == 5
    again = tmp_path / "again.zip"
    import subprocess
    import sys
    subprocess.run([sys.executable, str(ROOT / "scripts" / "offline.py"),
                    str(bundle.parent / "output"), str(again)], check=True, capture_output=True)
    assert again.read_bytes() == bundle.read_bytes()


def test_unzipped_site_works_from_file_urls(watched, unzipped):
    page = watched.page
    page.goto((unzipped / "index.html").as_uri())
    assert page.locator("link[rel=stylesheet]").count() == 1
    assert page.evaluate("getComputedStyle(document.body).maxWidth") != "none"  # the CSS loaded
    page.click(".dashboard-actors a >> nth=0")
    assert "/entity/" in page.url
    page.click("main a[href*='briefings/'] >> nth=0")
    assert "/briefings/" in page.url and page.locator(".e-content p").count() > 1
    page.click(".provenance a")  # the plain-text copy of the clipping
    assert page.url.endswith(".txt") and len(page.content()) > 500
    page.go_back()
    page.fill("header input[type=search]", "Pentagon")
    page.press("header input[type=search]", "Enter")
    page.wait_for_selector("#search-results .search-snippet mark")
    assert page.locator("#search-results li").count() >= 1
    page.click("#search-results h2 a >> nth=0")
    assert page.locator("h1").inner_text()
    page.click("text=Chronology")
    assert page.url.endswith("/chronology.html")
    assert watched.errors == []
    base = unzipped.as_uri()
    assert [url for url in watched.requests if not url.startswith((base, "data:"))] == []
