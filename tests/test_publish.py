"""`make publish`: absolute URLs, canonical links, Open Graph, Atom feeds, sitemap, robots.txt,
and the upload targets (only ever dry-run here)."""

import subprocess
import xml.etree.ElementTree as ET

from bs4 import BeautifulSoup
from conftest import PUBLISHED_URL, ROOT, SEEDS, build_site

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
UNDATED_SLUG = "pakistan-us-join-hands-against-pakistans-taliban"


def soup(path):
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def test_every_page_has_its_absolute_canonical_url_and_open_graph(published_site):
    pages = [p for p in published_site.rglob("*.html") if p.name != "404.html"]
    assert len(pages) > 20
    for path in pages:
        relative = path.relative_to(published_site).as_posix()
        expected = f"{PUBLISHED_URL}/" if relative == "index.html" else f"{PUBLISHED_URL}/{relative}"
        head = soup(path).head
        assert head.select_one("link[rel=canonical]")["href"] == expected
        assert head.select_one("meta[property='og:url']")["content"] == expected
        for prop in ["og:title", "og:description", "og:type", "og:site_name"]:
            assert head.select_one(f"meta[property='{prop}']")["content"].strip(), (relative, prop)
    briefing = soup(published_site / "briefings" / f"{UNDATED_SLUG}.html").head
    assert briefing.select_one("meta[property='og:type']")["content"] == "article"
    assert briefing.select_one("meta[property='og:title']")["content"].startswith("Pakistan, US join")
    assert briefing.select_one("meta[property='article:published_time']") is None


def test_local_build_has_no_absolute_urls_or_feeds(site, pages):
    assert pages("index.html").select_one("link[rel=canonical]") is None
    assert not (site / "feeds").exists() and not (site / "sitemap.xml").exists()
    assert (site / "robots.txt").read_text("utf-8").startswith("User-agent: *")


def feed(path):
    return ET.parse(path).getroot()


def test_atom_feed_of_all_briefings_leaves_out_the_undated(published_site, pages):
    root = feed(published_site / "feeds" / "all.atom.xml")
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}id").text and root.find(f"{ATOM}title").text == "Briefings"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"{PUBLISHED_URL}/feeds/all.atom.xml"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 4  # five briefings, one undated
    updated = [entry.find(f"{ATOM}updated").text for entry in entries]
    assert updated == sorted(updated, reverse=True)
    assert root.find(f"{ATOM}updated").text == updated[0] == "2023-04-25T00:00:00+00:00"
    for entry in entries:
        assert entry.find(f"{ATOM}id").text.startswith(f"{PUBLISHED_URL}/briefings/")
        assert entry.find(f"{ATOM}link").get("href") == entry.find(f"{ATOM}id").text
        assert entry.find(f"{ATOM}title").text and "<span" not in entry.find(f"{ATOM}title").text
        assert entry.find(f"{ATOM}content").text
    text = (published_site / "feeds" / "all.atom.xml").read_text("utf-8")
    assert "0001-" not in text and UNDATED_SLUG not in text


def test_a_feed_per_tag_linked_from_its_tag_page(published_site):
    tag_pages = sorted((published_site / "tag").glob("*.html"))
    assert tag_pages
    for page in tag_pages:
        link = soup(page).select_one("link[rel=alternate][type='application/atom+xml'][href*='/tag/']")
        target = published_site / link["href"].removeprefix(PUBLISHED_URL + "/")
        assert target.is_file(), link["href"]
        root = feed(target)
        tagged = soup(page).select(".briefing-item time")  # the dated briefings listed
        assert len(root.findall(f"{ATOM}entry")) == len(tagged)
        assert "0001-" not in target.read_text("utf-8")


def test_a_feed_per_entity_linked_from_its_entity_page(published_site):
    entity_pages = sorted((published_site / "entity").glob("*.html"))
    assert len(entity_pages) > 20
    for page in entity_pages:
        link = soup(page).select_one("link[rel=alternate][type='application/atom+xml'][href*='/entity/']")
        target = published_site / link["href"].removeprefix(PUBLISHED_URL + "/")
        assert target.is_file(), link["href"]
        entries = feed(target).findall(f"{ATOM}entry")
        dated_mentions = {a["href"] for a in soup(page).select(".mentions li a")
                          if a.find_previous_sibling("time")}
        assert len(entries) == len(dated_mentions), page.name
    ttp = feed(published_site / "feeds" / "entity" / "ttp.atom.xml")
    titles = [entry.find(f"{ATOM}title").text for entry in ttp.findall(f"{ATOM}entry")]
    assert titles == ["US is back in Pakistan with a renewed zeal for counterterrorism"]


def test_sitemap_lists_every_page_with_real_dates_only(published_site):
    root = ET.parse(published_site / "sitemap.xml").getroot()
    urls = {u.find(f"{SITEMAP}loc").text: u.find(f"{SITEMAP}lastmod") for u in root}
    pages = [p.relative_to(published_site).as_posix() for p in published_site.rglob("*.html")]
    assert len(urls) == len(pages) - 1  # all but 404.html
    assert f"{PUBLISHED_URL}/" in urls and f"{PUBLISHED_URL}/404.html" not in urls
    dated = urls[f"{PUBLISHED_URL}/briefings/us-is-formalizing-an-agreement-with-pakistan-to-use-its-airspace.html"]
    assert dated.text == "2021-10-24"
    assert urls[f"{PUBLISHED_URL}/briefings/{UNDATED_SLUG}.html"] is None
    assert "0001" not in (published_site / "sitemap.xml").read_text("utf-8")
    robots = (published_site / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {PUBLISHED_URL}/sitemap.xml" in robots


def test_404_page_links_home_and_is_not_indexed(published_site):
    page = soup(published_site / "404.html")
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    assert page.select_one(f"main a[href='{PUBLISHED_URL}/index.html']")


def test_publish_without_an_absolute_siteurl_fails_with_a_clear_message(tmp_path):
    result = build_site(SEEDS, tmp_path, target="publish", env={"SITEURL": "briefings.example.org"})
    assert result.returncode != 0
    assert "set SITEURL to the site's absolute address" in result.stdout + result.stderr


def dry_run(*args):
    return subprocess.run(["make", "--no-print-directory", "-n", "-C", str(ROOT), *args],
                          capture_output=True, text=True, check=True).stdout


def test_upload_targets_publish_then_upload(tmp_path):
    rsync = dry_run("rsync_upload", "SSH_HOST=host.invalid", "SSH_USER=editor",
                    "SSH_TARGET_DIR=/srv/briefings", f"PUBLISHDIR={tmp_path}")
    assert "publishconf.py" in rsync
    assert f'"{tmp_path}"/ "editor@host.invalid:/srv/briefings"' in rsync
    github = dry_run("github", f"PUBLISHDIR={tmp_path}")
    assert "publishconf.py" in github
    assert f'ghp-import -n -m "Generate Pelican site" -b gh-pages "{tmp_path}"' in github
    assert "git push origin gh-pages" in github


def test_ghp_import_commits_the_site_to_a_pages_branch(published_site, tmp_path):
    """What `make github` runs before pushing, against a throwaway local repository."""
    repo = tmp_path / "repo"
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid"]
    subprocess.run([*git, "init", "-q", str(repo)], check=True)
    subprocess.run([str(ROOT / ".venv" / "bin" / "ghp-import"), "-n", "-m", "Generate Pelican site",
                    "-b", "gh-pages", str(published_site)], cwd=repo, check=True,
                   env={"PATH": "/usr/bin:/bin", "GIT_AUTHOR_NAME": "Test", "GIT_COMMITTER_NAME": "Test",
                        "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_EMAIL": "t@example.invalid"})
    files = subprocess.run(["git", "ls-tree", "-r", "--name-only", "gh-pages"], cwd=repo,
                           capture_output=True, text=True, check=True).stdout.split()
    assert {"index.html", ".nojekyll", "sitemap.xml", "feeds/all.atom.xml", "search/index.js"} <= set(files)
