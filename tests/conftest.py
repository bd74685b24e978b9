"""Shared fixtures: the five seeds converted and built into a real site, once per test run."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
sys.path.insert(0, str(ROOT))
# `make html` builds without a build server here: each would outlive its test, holding a build's
# memory (tests/test_build_server.py starts its own, and stops them)
os.environ["BUILD_SERVER"] = "off"


def build_site(seed_dir: Path, workdir: Path, *extra: str, target: str = "html",
               env: dict | None = None) -> subprocess.CompletedProcess:
    """`make html` (or another target) from `seed_dir` into `workdir/content` and
    `workdir/output` (`make publish`'s site too), as a user runs it."""
    content = workdir / "content"
    shutil.copytree(ROOT / "content" / "pages", content / "pages", dirs_exist_ok=True)
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), target, f"SEEDDIR={seed_dir}",
         f"INPUTDIR={content}", f"OUTPUTDIR={workdir / 'output'}",
         f"PUBLISHDIR={workdir / 'output'}", *extra],
        capture_output=True, text=True, check=False,
        env={**os.environ, **(env or {})},
    )


def built_output(seed_dir: Path, workdir: Path, *extra: str, target: str = "html",
                 env: dict | None = None) -> Path:
    """build_site that must succeed (its output shown if not); the output folder."""
    result = build_site(seed_dir, workdir, *extra, target=target, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return workdir / "output"


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The output folder of a site built from seeds/."""
    return built_output(SEEDS, tmp_path_factory.mktemp("site"))


PUBLISHED_URL = "https://briefings.example.org"


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Path:
    """The output folder of `make publish` with an absolute SITEURL: feeds, sitemap, canonicals."""
    return built_output(SEEDS, tmp_path_factory.mktemp("published"), target="publish",
                        env={"SITEURL": PUBLISHED_URL})


@pytest.fixture(scope="session")
def pages(site):
    """Parse a built page by its path relative to the output folder (cached)."""
    cache: dict[str, BeautifulSoup] = {}

    def parse(relative: str) -> BeautifulSoup:
        if relative not in cache:
            cache[relative] = BeautifulSoup((site / relative).read_text("utf-8"), "html.parser")
        return cache[relative]

    return parse


def page_by_seed(site: Path) -> dict[str, BeautifulSoup]:
    """Every briefing page of a built site, parsed, keyed by the seed file name it came from."""
    result = {}
    for path in sorted((site / "briefings").glob("*.html")):
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        result[soup.select_one(".provenance a").get_text()] = soup
    return result


@pytest.fixture(scope="session")
def briefing_pages(site) -> dict[str, BeautifulSoup]:
    """Every briefing page, keyed by the seed file name it came from."""
    return page_by_seed(site)


# Headless Debian Chromium, as TESTING.md describes; never a browser Playwright downloads.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
PAGE_TYPES = {  # one page of each kind the site has, relative to the output folder
    "home": "index.html",
    "briefing": "briefings/us-is-formalizing-an-agreement-with-pakistan-to-use-its-airspace.html",
    "undated-briefing": "briefings/pakistan-us-join-hands-against-pakistans-taliban.html",
    "tag": "tag/imran-khan.html",
    "tags": "tags.html",
    "chronology": "chronology.html",
    "entity": "entity/ttp.html",
    "entities": "entities/people.html",
    "page": "pages/about.html",
    "search": "search.html?q=taliban",
    "not-found": "404.html",
}


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian chromium is required for browser tests: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def serve(folder: Path):
    """Serve `folder` on 127.0.0.1 (a free port) in a thread; returns (base URL, server)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@pytest.fixture(scope="session")
def http_site(site):
    """The built site served over http on 127.0.0.1; yields its base URL."""
    base, server = serve(site)
    yield base
    server.shutdown()


class PageWatch:
    """A page with its console errors, uncaught exceptions and requests recorded."""

    def __init__(self, page):
        self.page, self.errors, self.requests = page, [], []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", lambda request: self.requests.append(request.url))


@pytest.fixture
def watched(browser):
    """A fresh browser page whose errors and requests a test can check."""
    context = browser.new_context()
    watch = PageWatch(context.new_page())
    yield watch
    context.close()
