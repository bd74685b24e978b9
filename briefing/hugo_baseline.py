"""The benchmark's Hugo baseline: generated briefings as a Hugo site with a minimal layout.

The layout renders what a plain site needs (article pages, tag pages, a tag list, the home page)
from the very Markdown the converter wrote, with its metadata turned into Hugo front matter.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

CONFIG = """\
baseURL = "/"
relativeURLs = true
uglyURLs = true
disableKinds = ["rss", "sitemap", "robotsTXT", "404"]
[taxonomies]
  tag = "tags"
[markup.goldmark.renderer]
  unsafe = true
"""

LAYOUTS = {
    "baseof.html": """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body><header><a href="{{ "index.html" | relURL }}">Briefings</a>
<a href="{{ "tags.html" | relURL }}">Tags</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "home.html": """{{ define "main" }}<h1>Latest briefings</h1><ol>
{{ range (where site.RegularPages "Section" "briefings").ByDate.Reverse }}
<li><a href="{{ .RelPermalink }}">{{ .Title | safeHTML }}</a> {{ .Date.Format "2006-01-02" }}
<p>{{ .Summary | safeHTML }}</p></li>{{ end }}</ol>{{ end }}
""",
    "page.html": """{{ define "main" }}<article><h1>{{ .Title | safeHTML }}</h1>
<p>{{ .Date.Format "2 January 2006" }} · {{ .Params.source }}</p>
{{ .Content }}
<p>Tags: {{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
</article>{{ end }}
""",
    "term.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title | safeHTML }}</a></li>{{ end }}
</ul>{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}<h1>Tags</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>{{ end }}
</ul>{{ end }}
""",
    "section.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ end }}
""",
}


def read_metadata(text: str) -> tuple[dict[str, str], str]:
    """Pelican Markdown metadata (`Key: value`, indented continuation lines) and the body."""
    header, _, body = text.partition("\n\n")
    metadata: dict[str, str] = {}
    key = ""
    for line in header.splitlines():
        if line.startswith((" ", "\t")) and key:
            metadata[key] += "\n" + line.strip()
        elif ":" in line:
            key, _, value = line.partition(":")
            key = key.strip().lower()
            metadata[key] = value.strip()
    return metadata, body


def full_date(value: str) -> str:
    """'2021', '2021-07' or '2021-07-24' → a full ISO date (the period's first day)."""
    parts = value.split("-") + ["01", "01"]
    return "-".join(parts[:3]) if len(parts[0]) == 4 else ""


def front_matter(metadata: dict[str, str]) -> str:
    """Hugo front matter as JSON (Hugo reads a leading JSON object)."""
    data = {"title": metadata.get("title", ""), "slug": metadata.get("slug", "")}
    date = full_date(metadata.get("date", ""))
    if date:
        data["date"] = date
    if metadata.get("summary"):
        data["summary"] = metadata["summary"]
    if metadata.get("tags"):
        data["tags"] = [tag.strip() for tag in metadata["tags"].split(",") if tag.strip()]
    if metadata.get("source"):
        data["source"] = metadata["source"]
    return json.dumps(data, ensure_ascii=False, indent=1)


def export_site(content_dir: Path, site_dir: Path) -> None:
    """Write a Hugo site into `site_dir` from a Pelican content folder (briefings, pages,
    sources)."""
    shutil.rmtree(site_dir, ignore_errors=True)
    (site_dir / "layouts").mkdir(parents=True)
    (site_dir / "hugo.toml").write_text('title = "Briefings"\n' + CONFIG, "utf-8")
    for name, text in LAYOUTS.items():
        (site_dir / "layouts" / name).write_text(text, "utf-8")
    for section in ("briefings", "pages"):
        folder = content_dir / section
        target = site_dir / "content" / section
        target.mkdir(parents=True)
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            metadata, body = read_metadata(path.read_text("utf-8"))
            (target / path.name).write_text(front_matter(metadata) + "\n\n" + body, "utf-8")
    if (content_dir / "sources").is_dir():
        shutil.copytree(content_dir / "sources", site_dir / "static" / "sources")
