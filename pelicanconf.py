"""Pelican settings for the briefing site (local builds; publishconf.py adds publishing)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the project's package, `briefing`, for the plugins

SITENAME = "Briefings"
SITESUBTITLE = "Who did what, when, and where each claim comes from"
SITEURL = ""
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
PATH = "content"
THEME = "theme"

# Site-local plugins, one concern each; listed explicitly so no installed plugin loads itself.
# parallel_render stays first (it writes the pages when the build is finalized, before other
# plugins read them); build_cache right after briefing_reader (it caches that reader; plugins
# that extend the reader's `read` come after it); lean_contents after parallel_render (its
# temporary file of briefing HTML is closed once the pages are written); search_index after
# entities and structured_data, before chronology and crosslinks (its files are started once
# the first two made what search shows, beside the others' work: plugins/search_index's
# `start_early`). preview does nothing
# but in `make devserver` (see plugins/preview).
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["parallel_render", "briefing_reader", "build_cache", "taxonomy_guard", "entities",
           "structured_data", "search_index", "chronology", "crosslinks", "feeds", "sitemap",
           "theme_helpers", "linear_taxonomy", "frozen_urls", "lean_contents", "preview"]

# Generated briefings are articles; hand-written pages live in content/pages; the plain-text
# copies of the seeds are copied as they are.
ARTICLE_PATHS = ["briefings"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["sources"]

# Every URL ends at a file, so the site works from file:// as well as from a web server.
RELATIVE_URLS = True
ARTICLE_URL = ARTICLE_SAVE_AS = "briefings/{slug}.html"
PAGE_URL = PAGE_SAVE_AS = "pages/{slug}.html"
TAG_URL = TAG_SAVE_AS = "tag/{slug}.html"
# A tag on more briefings than this gets a page per year (plugins/linear_taxonomy/tag_years.py).
TAG_ONE_PAGE_MAX = 300
TAG_YEAR_URL = TAG_YEAR_SAVE_AS = "tag/{slug}/{year}.html"
TAG_MONTH_URL = TAG_MONTH_SAVE_AS = "tag/{slug}/{year}-{month:02}.html"  # a year past TAG_ONE_PAGE_MAX
TAGS_URL = TAGS_SAVE_AS = "tags.html"
INDEX_SAVE_AS = "index.html"
DIRECT_TEMPLATES = ["index", "tags", "chronology", "search", "404"]
CHRONOLOGY_URL = CHRONOLOGY_SAVE_AS = "chronology.html"
# A chronology of more events and dated briefings than this gets a page per year, and a year of
# more than this a page per month (plugins/chronology).
CHRONOLOGY_ONE_PAGE_MAX = 600
CHRONOLOGY_YEAR_URL = CHRONOLOGY_YEAR_SAVE_AS = "chronology/{year}.html"
CHRONOLOGY_MONTH_URL = CHRONOLOGY_MONTH_SAVE_AS = "chronology/{year}-{month:02}.html"
SEARCH_URL = SEARCH_SAVE_AS = "search.html"
SEARCH_PATH = "search"  # search/index.js and search/docs/N.js (plugins/search_index)
# No category, author or period-archive pages: briefings are found by tag, entity and date.
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
DEFAULT_CATEGORY = "Briefings"
DEFAULT_PAGINATION = False
HOME_LATEST = 12  # briefings listed in full on the home page

# Feeds and the sitemap need absolute URLs: publishconf.py turns them on (plugins/feeds, sitemap).
FEEDS_PATH = None
FEEDS_MAX_ITEMS = 50  # newest dated briefings in each feed (all, per tag, per entity); None: all
SITEMAP_SAVE_AS = None
HOME_ACTORS = 12  # most-mentioned actors (or tags) on the home page
HOME_EVENTS = 8  # latest events on the home page
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

TYPOGRIFY = True
# The converter writes title and summary as escaped HTML already: no Markdown inside metadata.
FORMATTED_FIELDS = []
# Autoescape: every metadata field except content, title and summary is plain text from a seed.
# No auto_reload: Jinja would look at a template file's time at every include, import and extends
# (tens of thousands of times in a build); each build makes its environments anew anyway.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "auto_reload": False}

RELATED_MAX = 5  # related briefings listed on each briefing page

# Entity pages (plugins/entities): the gazetteer gives known actors' descriptions and aliases.
ENTITY_URL = ENTITY_SAVE_AS = "entity/{slug}.html"
ENTITY_GAZETTEER = str(Path(__file__).resolve().parent / "briefing" / "data" / "gazetteer.toml")
# An entity in more briefings and events than this gets a page per year, and a year of more
# than this a page per month (plugins/entities/years.py).
ENTITY_ONE_PAGE_MAX = 300
ENTITY_YEAR_URL = ENTITY_YEAR_SAVE_AS = "entity/{slug}/{year}.html"
ENTITY_MONTH_URL = ENTITY_MONTH_SAVE_AS = "entity/{slug}/{year}-{month:02}.html"

# Same seeds, same settings, same bytes: no build times in the output.
OUTPUT_SOURCES = False
DELETE_OUTPUT_DIRECTORY = False
CACHE_CONTENT = False

# A rebuild copies a page of these templates from the last build when nothing it shows changed
# (plugins/parallel_render/reuse.py). They may read, of any briefing but the page's own, only
# what its file gives, and of an entity or tag that is not the page's own only its name, slug,
# URL and type: the entity index pages (counts, descriptions), the home page and the tag list
# (counts) are not here.
RENDER_REUSE_TEMPLATES = ["article.html", "entity.html", "entity_year.html", "tag.html",
                          "tag_year.html", "chronology.html", "chronology_year.html"]
# Fields of a briefing's file that only its own page shows: other pages show what the entity
# and event records make of them (keyed by value), so they are left out of the briefing's
# reference on other pages, and a change to them renders only the pages those records change.
RENDER_REUSE_OWN_PAGE_METADATA = ["Entities", "Events", "Removed"]
