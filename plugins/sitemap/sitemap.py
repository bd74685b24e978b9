"""sitemap.xml and robots.txt, from every HTML page the build writes.

Pages are collected as they are written (`content_written`), so pages other plugins add (entity
pages, say) are listed without this plugin knowing them. A sitemap needs absolute URLs: it is
written only when SITEMAP_SAVE_AS is set (publishconf.py), and robots.txt then names it.
A briefing's `lastmod` is its date as precise as known (2021, 2021-07 or 2021-07-25, all valid
W3C dates); an undated briefing gets none rather than its sentinel year-1 date.
"""

import os
from pathlib import Path
from xml.sax.saxutils import escape

from pelican import signals

DEFAULTS = {"SITEMAP_SAVE_AS": None, "SITEMAP_EXCLUDE": ["404.html"]}
written: dict[str, str] = {}  # output-relative path → lastmod ('' when unknown), for one build


def reset(_generators) -> None:
    written.clear()


def record(path, context) -> None:
    relative = relative_path(path, context["OUTPUT_PATH"])
    if not relative.endswith(".html"):
        return
    article = context.get("article")
    dated = article is not None and not getattr(article, "undated", False)
    written[relative] = getattr(article, "iso_date", "") if dated else ""


def relative_path(path: str, folder: str) -> str:
    """`path` inside `folder` as a relative path with forward slashes. A page's path begins
    with the output folder's (Pelican joins them, normalised): cut rather than given to
    `os.path.relpath` and `Path`, which took 0.1 s for the 15,000 pages of a build at 10,000
    briefings, on one core after the pages are written."""
    prefix = os.path.join(folder, "")
    if not path.startswith(prefix):
        return os.path.relpath(path, folder).replace(os.sep, "/")
    return os.path.normpath(path[len(prefix):]).replace(os.sep, "/")


def public_url(siteurl: str, relative: str) -> str:
    """The address readers use: the home page as the site root, every other page as a file."""
    return f"{siteurl}/" if relative == "index.html" else f"{siteurl}/{relative}"


def sitemap_xml(siteurl: str, pages: dict[str, str]) -> str:
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for relative in sorted(pages):
        lastmod = f"<lastmod>{pages[relative]}</lastmod>" if pages[relative] else ""
        lines.append(f"  <url><loc>{escape(public_url(siteurl, relative))}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(sitemap_url: str | None) -> str:
    text = "User-agent: *\nAllow: /\n"
    return text + (f"\nSitemap: {sitemap_url}\n" if sitemap_url else "")


def write(pelican_object) -> None:
    settings = pelican_object.settings
    output = Path(pelican_object.output_path)
    save_as = settings.get("SITEMAP_SAVE_AS", DEFAULTS["SITEMAP_SAVE_AS"])
    exclude = set(settings.get("SITEMAP_EXCLUDE", DEFAULTS["SITEMAP_EXCLUDE"]))
    sitemap_url = None
    if save_as:
        siteurl = settings["SITEURL"]
        pages = {path: lastmod for path, lastmod in written.items() if path not in exclude}
        (output / save_as).write_text(sitemap_xml(siteurl, pages), "utf-8")
        sitemap_url = f"{siteurl}/{save_as}"
    (output / "robots.txt").write_text(robots_txt(sitemap_url), "utf-8")


def register() -> None:
    signals.all_generators_finalized.connect(reset)
    signals.content_written.connect(record)
    signals.finalized.connect(write)
