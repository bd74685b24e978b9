"""Settings for `make publish`: absolute URLs and feeds for static hosting.

SITEURL comes from the environment, e.g. `SITEURL=https://briefings.example.org make publish`.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
if not SITEURL.startswith(("https://", "http://")):
    sys.exit("publishconf.py: set SITEURL to the site's absolute address, "
             "e.g. SITEURL=https://briefings.example.org make publish")
RELATIVE_URLS = False
FEEDS_PATH = "feeds"  # feeds/all.atom.xml, feeds/tag/{slug}.atom.xml (plugins/feeds)
SITEMAP_SAVE_AS = "sitemap.xml"
DELETE_OUTPUT_DIRECTORY = True
