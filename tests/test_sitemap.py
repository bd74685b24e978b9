"""plugins/sitemap: each page's place in the site, as the sitemap lists it (the whole sitemap
is checked on a published site in test_publish.py)."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from sitemap.sitemap import relative_path  # noqa: E402


@pytest.mark.parametrize("folder", ["/site/output", "/site/output/", "output"])
def test_a_page_is_listed_by_its_path_in_the_output_folder_with_forward_slashes(folder):
    page = os.path.join(folder, "entity", "pakistan", "2021.html")
    assert relative_path(page, folder) == "entity/pakistan/2021.html"
    assert relative_path(os.path.join(folder, "index.html"), folder) == "index.html"


def test_a_path_given_another_way_is_still_made_relative(tmp_path):
    """Not joined to the folder as Pelican joins them: worked out as os.path.relpath does."""
    assert relative_path(str(tmp_path / "a" / ".." / "b.html"), str(tmp_path)) == "b.html"
    assert relative_path("/elsewhere/page.html", "/site/output") == "../../elsewhere/page.html"
    assert relative_path("/site/output-old/page.html", "/site/output") == "../output-old/page.html"
