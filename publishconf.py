"""Settings for `make publish`: absolute URLs and feeds for static hosting.

SITEURL comes from the environment, e.g. `SITEURL=https://briefings.example.org make publish`.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
if not SITEURL:
    sys.exit("publishconf.py: set SITEURL, e.g. SITEURL=https://briefings.example.org make publish")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
DELETE_OUTPUT_DIRECTORY = True
