"""The built site as audit tools see it: axe-core (WCAG 2.1 A/AA), the Nu HTML checker,
Lighthouse, the page-weight budget, console errors and requests leaving the site.

The tools are the npm packages pinned in package.json (`make test` installs them with `npm ci`).
"""

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import CHROMIUM, CHROMIUM_FLAGS, PAGE_TYPES, ROOT

NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
LIGHTHOUSE_PAGES = ["home", "briefing", "chronology", "search"]
LIGHTHOUSE_CATEGORIES = ["accessibility", "best-practices", "seo"]
BUDGET = 60 * 1024  # a briefing page with its CSS and JS, uncompressed


def tool(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `make npm` (npm ci) first")
    return path


def load(watch, url: str) -> None:
    watch.page.goto(url)
    watch.page.wait_for_load_state("networkidle")


def axe_violations(browser, url: str, scheme: str = "light", ready: str = "") -> list[tuple]:
    """axe-core's WCAG 2.1 A and AA violations on the page at `url` (once `ready` shows)."""
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(url)
    if ready:
        page.wait_for_selector(ready)
    page.add_script_tag(content=tool(AXE).read_text("utf-8"))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    context.close()
    assert result["passes"], "axe checked nothing"
    return [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_axe_finds_no_wcag_a_or_aa_violation(browser, http_site, name, scheme):
    ready = "#search-results .search-snippet mark" if name == "search" else ""
    assert axe_violations(browser, http_site + PAGE_TYPES[name], scheme, ready) == []


def vnu_errors(*folders: Path) -> list[str]:
    result = subprocess.run(
        ["java", "-jar", str(tool(VNU)), "--skip-non-html", "--format", "gnu", "--stdout",
         *map(str, folders)],
        capture_output=True, text=True, check=False)
    return [line for line in (result.stdout + result.stderr).splitlines() if ": error:" in line
            or ": fatal:" in line]


def test_nu_checker_finds_no_error_on_any_page(site, published_site):
    pages = list(site.rglob("*.html")) + list(published_site.rglob("*.html"))
    assert len(pages) > 20
    assert vnu_errors(site, published_site) == []


def test_nu_checker_does_report_errors(tmp_path):
    """The check above would notice a broken page."""
    (tmp_path / "broken.html").write_text("<!DOCTYPE html><title>x</title><p><div></p>", "utf-8")
    assert vnu_errors(tmp_path)


def test_no_console_error_and_no_request_outside_the_site(watched, http_site):
    for name, path in PAGE_TYPES.items():
        load(watched, http_site + path)
    assert watched.errors == []
    outside = [url for url in watched.requests if not url.startswith((http_site, "data:"))]
    assert outside == []
    assert len(watched.requests) >= 2 * len(PAGE_TYPES)  # pages, their CSS, search scripts


PAGE_WEIGHT = """() => [...performance.getEntriesByType('navigation'),
                          ...performance.getEntriesByType('resource')]
                       .map(e => [e.name, e.decodedBodySize])"""


def test_every_briefing_page_with_its_css_and_js_is_under_budget(browser, site, http_site):
    weights = {}
    for path in sorted((site / "briefings").glob("*.html")):
        context = browser.new_context()  # an empty cache: every file is loaded and counted
        page = context.new_page()
        page.goto(http_site + f"briefings/{path.name}")
        page.wait_for_load_state("networkidle")
        sizes = dict(page.evaluate(PAGE_WEIGHT))
        context.close()
        assert any(url.endswith(".css") for url in sizes) and all(sizes.values()), sizes
        weights[path.name] = sum(size for url, size in sizes.items() if "/search/" not in url)
    print(f"briefing page weights (bytes, HTML + CSS + JS): {weights}")
    assert len(weights) == 5
    assert all(5000 < weight < BUDGET for weight in weights.values()), weights


def lighthouse(url: str, report: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(tool(LIGHTHOUSE)), url, "--quiet", "--output=json", f"--output-path={report}",
         f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
         "--chrome-flags=" + " ".join(["--headless"] + CHROMIUM_FLAGS)],
        env={**os.environ, "CHROME_PATH": CHROMIUM, "HOME": str(report.parent)},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_lighthouse_scores_100_for_accessibility_best_practices_and_seo(http_site, tmp_path):
    runs = {name: lighthouse(http_site + PAGE_TYPES[name], tmp_path / f"{name}.json")
            for name in LIGHTHOUSE_PAGES}
    scores, failing = {}, {}
    for name, run in runs.items():
        output, _ = run.communicate(timeout=240)
        assert run.returncode == 0, output
        report = json.loads((tmp_path / f"{name}.json").read_text("utf-8"))
        scores[name] = {c: report["categories"][c]["score"] for c in LIGHTHOUSE_CATEGORIES}
        failing[name] = sorted(key for key, audit in report["audits"].items()
                               if audit.get("scoreDisplayMode") == "binary" and audit["score"] == 0)
    print(f"lighthouse: {scores}")
    assert scores == {name: dict.fromkeys(LIGHTHOUSE_CATEGORIES, 1) for name in LIGHTHOUSE_PAGES}, failing
