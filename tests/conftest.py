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


def build_site(seed_dir: Path, workdir: Path, *extra: str) -> subprocess.CompletedProcess:
    """`make html` from `seed_dir` into `workdir/content` and `workdir/output`, as a user runs it."""
    content = workdir / "content"
    shutil.copytree(ROOT / "content" / "pages", content / "pages", dirs_exist_ok=True)
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "html", f"SEEDDIR={seed_dir}",
         f"INPUTDIR={content}", f"OUTPUTDIR={workdir / 'output'}", *extra],
        capture_output=True, text=True, check=False,
        # Pelican's rich log wraps at 80 columns, cutting long paths (and file names) in two.
        env={**os.environ, "COLUMNS": "250"},
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The output folder of a site built from seeds/."""
    workdir = tmp_path_factory.mktemp("site")
    result = build_site(SEEDS, workdir)
    assert result.returncode == 0, result.stdout + result.stderr
    return workdir / "output"


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
