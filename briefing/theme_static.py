"""The theme's static files (stylesheets, scripts, images) in the built site, without a build.

Pelican copies each of THEME_STATIC_PATHS (folders of the theme) into OUTPUTDIR/THEME_STATIC_DIR
as they are; no page is made from them. So when they are all that changed since the last build,
scripts/build.py puts a fresh copy of them in the site, in place of the last one, and keeps
every page: a stylesheet edit at 10,000 briefings cost a whole rebuild (40 s) before.

That is only the same as a build when the site's THEME_STATIC_DIR holds nothing else: the last
build records the files the copy gave (`expected_files`), and the copy is only redone when the
folder still holds exactly those (`holds_only`).
"""

from __future__ import annotations

import fnmatch
import os
import shutil
from pathlib import Path

# Pelican's defaults (pelican.settings.DEFAULT_CONFIG), for settings that do not give their own:
# importing Pelican to read them would cost every build 0.2-0.4 s (tests/test_theme_static.py
# checks that they are still Pelican's)
DEFAULTS = {"THEME_STATIC_DIR": "theme", "THEME_STATIC_PATHS": ["static"], "IGNORE_FILES": ["**/.*"]}


def setting(values: dict, name: str):
    return values.get(name, DEFAULTS[name])


def copies(theme: Path, values: dict) -> list[tuple[Path, str]]:
    """(source, destination relative to the site) of each entry of THEME_STATIC_PATHS, as
    Pelican's StaticGenerator copies them: a folder's files into THEME_STATIC_DIR, a file as
    THEME_STATIC_DIR/its name."""
    found = []
    for name in setting(values, "THEME_STATIC_PATHS"):
        source = theme / name
        found.append((source, source.name if source.is_file() else ""))
    return found


def expected_files(theme: Path, values: dict) -> list[str]:
    """The files the copy puts in THEME_STATIC_DIR (relative to it), sorted: what Pelican's
    `pelican.utils.copy` copies, leaving out the names IGNORE_FILES matches."""
    ignores = setting(values, "IGNORE_FILES")

    def ignored(name: str) -> bool:
        return any(fnmatch.fnmatch(name, pattern) for pattern in ignores)

    names = set()
    for source, target in copies(theme, values):
        if ignored(source.name):
            continue
        if source.is_file():
            names.add(target)
        elif source.is_dir():
            for folder, subfolders, files in os.walk(source, followlinks=True):
                subfolders[:] = [name for name in subfolders if not ignored(name)]
                relative = os.path.relpath(folder, source)
                names.update(os.path.normpath(os.path.join(relative, name)) for name in files if not ignored(name))
    return sorted(names)


def files_in(folder: Path) -> list[str]:
    """The files under `folder`, relative to it, sorted; none if it does not exist."""
    return sorted(os.path.relpath(os.path.join(root, name), folder)
                  for root, _, files in os.walk(folder) for name in files)


def holds_only(output: Path, values: dict, files: list[str]) -> bool:
    """Whether the site's THEME_STATIC_DIR holds exactly `files`: nothing written there but
    the theme's copy."""
    return files_in(output / setting(values, "THEME_STATIC_DIR")) == files


def refresh(output: Path, theme: Path, values: dict) -> None:
    """A fresh copy of the theme's static files, made beside the site, then put in place of
    the site's THEME_STATIC_DIR."""
    from pelican.utils import copy  # noqa: PLC0415  (0.2-0.4 s to import: only this path needs it)

    target = output / setting(values, "THEME_STATIC_DIR")
    fresh = output.with_name(f".{output.name}.theme-static")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    for source, name in copies(theme, values):
        copy(str(source), str(fresh / name) if name else str(fresh), setting(values, "IGNORE_FILES"))
    old = output.with_name(f".{output.name}.theme-static.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
