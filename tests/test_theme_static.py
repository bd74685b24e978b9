"""The theme's static files copied into the site as Pelican copies them, without a build."""

import os

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import copy

from briefing import theme_static


def theme_with_static_files(tmp_path):
    theme = tmp_path / "theme"
    for name, text in {"static/css/style.css": "body {}", "static/js/search.js": "//", "static/.hidden": "x",
                       "static/#draft.css": "x", "favicon.ico": "icon", "extra/logo.svg": "<svg/>"}.items():
        (theme / name).parent.mkdir(parents=True, exist_ok=True)
        (theme / name).write_text(text, "utf-8")
    return theme


def pelicans_copy(theme, values, output):
    """What Pelican's StaticGenerator does with the theme's static paths (generate_output)."""
    for name in values.get("THEME_STATIC_PATHS", DEFAULT_CONFIG["THEME_STATIC_PATHS"]):
        source = os.path.join(theme, name)
        target = os.path.join(output, values.get("THEME_STATIC_DIR", "theme"), os.curdir)
        if os.path.isfile(source):
            target = os.path.join(target, os.path.basename(name))
        copy(source, target, values.get("IGNORE_FILES", DEFAULT_CONFIG["IGNORE_FILES"]))


def test_the_defaults_are_pelicans():
    assert {name: DEFAULT_CONFIG[name] for name in theme_static.DEFAULTS} == theme_static.DEFAULTS


def test_the_files_expected_are_those_pelican_copies(tmp_path):
    theme = theme_with_static_files(tmp_path)
    for values in ({}, {"THEME_STATIC_PATHS": ["static", "favicon.ico", "extra", "missing"],
                        "THEME_STATIC_DIR": "assets", "IGNORE_FILES": ["#*", ".*"]}):
        output = tmp_path / f"output{len(values)}"
        pelicans_copy(theme, values, output)
        static_dir = output / values.get("THEME_STATIC_DIR", "theme")
        assert theme_static.expected_files(theme, values) == theme_static.files_in(static_dir)
        assert theme_static.holds_only(output, values, theme_static.expected_files(theme, values))
    assert "favicon.ico" in theme_static.expected_files(theme, values)
    assert "#draft.css" not in theme_static.expected_files(theme, values)


def test_a_fresh_copy_replaces_the_sites_and_nothing_else(tmp_path):
    theme = theme_with_static_files(tmp_path)
    output = tmp_path / "output"
    pelicans_copy(theme, {}, output)
    (output / "index.html").write_text("<p>page</p>", "utf-8")
    (theme / "static/js/search.js").unlink()
    (theme / "static/css/style.css").write_text("body { color: navy; }", "utf-8")
    (theme / "static/css/print.css").write_text("body {}", "utf-8")
    theme_static.refresh(output, theme, {})
    expected = tmp_path / "expected"
    pelicans_copy(theme, {}, expected)
    assert theme_static.files_in(output / "theme") == theme_static.files_in(expected / "theme")
    assert (output / "theme/css/style.css").read_text("utf-8") == "body { color: navy; }"
    assert (output / "index.html").read_text("utf-8") == "<p>page</p>"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["expected", "output", "theme"]  # nothing left beside
