"""A build with nothing changed is skipped; any change to what a build reads runs it."""

import os
import shutil
from pathlib import Path

from conftest import ROOT, SEEDS, build_site
from test_build import tree

from briefing import file_states, imports, up_to_date
from briefing.up_to_date import BuildStamp, inputs_fingerprint, output_signature

SETTINGS = ('import os\nTHEME = "theme"\nPLUGIN_PATHS = ["plugins"]\nSITEURL = os.environ.get("SITEURL", "")\n'
            'ENTITY_GAZETTEER = "gazetteer.toml"\nSITESUBTITLE = "' + "long " * 80 + '"\n')


def project(tmp_path: Path) -> tuple[Path, Path, Path]:
    for folder in ("content/briefings", "theme/templates", "plugins/one", "output"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "content/briefings/a.md").write_text("Title: A\n\nText.\n", "utf-8")
    (tmp_path / "theme/templates/base.html").write_text("<html></html>", "utf-8")
    (tmp_path / "plugins/one/one.py").write_text("X = 1\n", "utf-8")
    (tmp_path / "output/index.html").write_text("<html></html>", "utf-8")
    (tmp_path / "gazetteer.toml").write_text("[[entity]]\nname = 'A'\n", "utf-8")
    (tmp_path / "pelicanconf.py").write_text(SETTINGS, "utf-8")
    return tmp_path / "content", tmp_path / "output", tmp_path / "pelicanconf.py"


def built(content, output, settings, args=()) -> BuildStamp:
    stamp = BuildStamp(content, output, settings, list(args))
    stamp.record()
    return stamp


def current(content, output, settings, args=()) -> bool:
    return BuildStamp(content, output, settings, list(args)).site_is_current()


def test_nothing_changed_means_current(tmp_path):
    content, output, settings = project(tmp_path)
    built(content, output, settings)
    assert current(content, output, settings)


def test_a_build_drops_the_records_builds_kept_before_there_was_one_folder_per_output(tmp_path):
    content, output, settings = project(tmp_path)
    cache = content / up_to_date.CACHE_DIR
    cache.mkdir()
    for name in ("build-stamp.json", "page-keys.pickle", "build-cache.sqlite"):
        (cache / name).write_bytes(b"{}")
    stamp = built(content, output, settings)
    assert stamp.path.is_file() and stamp.path.parents[2] == cache
    assert sorted(path.name for path in cache.iterdir()) == ["build-cache.sqlite", "outputs"]


def test_each_input_change_means_a_build(tmp_path, monkeypatch):
    content, output, settings = project(tmp_path)
    package = tmp_path / "briefing"  # the project's package, which plugins import
    package.mkdir()
    (package / "periods.py").write_text("UNDATED = 'undated'\n", "utf-8")
    (tmp_path / "plugins/one/uses.py").write_text("from briefing.periods import UNDATED\n", "utf-8")
    monkeypatch.setattr(up_to_date, "PACKAGE", package)
    monkeypatch.setattr(imports, "PACKAGE", package)
    changes = [
        lambda: (package / "periods.py").write_text("UNDATED = 'no-date'\n", "utf-8"),
        lambda: (content / "briefings/a.md").write_text("Title: A\n\nText, corrected.\n", "utf-8"),
        lambda: (tmp_path / "theme/templates/base.html").write_text("<html lang=en></html>", "utf-8"),
        lambda: (tmp_path / "plugins/one/one.py").write_text("X = 2\n", "utf-8"),
        lambda: settings.write_text(SETTINGS + "RELATED_MAX = 3\n", "utf-8"),
        lambda: (tmp_path / "gazetteer.toml").write_text("[[entity]]\nname = 'B'\n", "utf-8"),
        lambda: monkeypatch.setenv("SITEURL", "https://example.org"),
        lambda: (output / "index.html").write_text("<html>edited by hand</html>", "utf-8"),
    ]
    for change in changes:
        built(content, output, settings)
        change()
        assert not current(content, output, settings), change
    built(content, output, settings)
    assert not current(content, output, settings, ["--verbose"])
    assert not current(content, output, settings, ["-r"])  # a watching build always runs


def test_make_html_twice_skips_pelican_and_keeps_the_site(tmp_path, site):
    assert build_site(SEEDS, tmp_path).returncode == 0
    result = build_site(SEEDS, tmp_path)
    assert result.returncode == 0 and "is up to date" in result.stdout
    assert tree(tmp_path / "output") == tree(site)


def test_make_html_and_make_publish_keep_their_own_sites(tmp_path):
    """Each of the two sites is up to date after the other was built: neither is rendered again,
    and make publish writes public/ (absolute links), never make html's output/."""
    public = tmp_path / "public"
    for target in ("html", "publish", "html", "publish"):
        result = build_site(SEEDS, tmp_path, f"PUBLISHDIR={public}", target=target,
                            env={"SITEURL": "https://briefings.example.org"})
        assert result.returncode == 0, result.stdout + result.stderr
    assert "is up to date" in result.stdout
    assert 'href="https://briefings.example.org/' in (public / "index.html").read_text("utf-8")
    assert "https://briefings.example.org/" not in (tmp_path / "output" / "index.html").read_text("utf-8")
    html = build_site(SEEDS, tmp_path, f"PUBLISHDIR={public}")
    assert "is up to date" in html.stdout


def test_the_last_output_is_offered_for_reuse_only_when_just_content_or_theme_changed(tmp_path):
    """Page keys hold the page's values and its templates' sources, not the plugins' code."""
    content, output, settings = project(tmp_path)
    built(content, output, settings)
    (content / "briefings/a.md").write_text("Title: A\n\nText, corrected.\n", "utf-8")
    assert BuildStamp(content, output, settings, []).reusable_output() == output
    (tmp_path / "theme/templates/base.html").write_text("<html lang=en></html>", "utf-8")
    stamp = BuildStamp(content, output, settings, [])
    assert not stamp.site_is_current() and stamp.reusable_output() == output
    (tmp_path / "plugins/one/one.py").write_text("X = 3\n", "utf-8")
    assert BuildStamp(content, output, settings, []).reusable_output() is None
    built(content, output, settings)
    (output / "index.html").write_text("<html>edited by hand</html>", "utf-8")
    assert BuildStamp(content, output, settings, []).reusable_output() is None


def test_the_content_fingerprint_sees_bytes_names_and_nested_files_but_not_the_cache(tmp_path):
    content = tmp_path / "content"
    (content / "briefings").mkdir(parents=True)
    (content / "briefings" / "a.md").write_text("Title: A")
    first = inputs_fingerprint(content, "environment")
    (content / ".cache").mkdir()
    (content / ".cache" / "build-cache.sqlite").write_text("anything")
    assert inputs_fingerprint(content, "environment") == first
    (content / "briefings" / "a.md").write_text("Title: B")
    second = inputs_fingerprint(content, "environment")
    assert second != first
    (content / "briefings" / "a.md").rename(content / "briefings" / "b.md")
    assert inputs_fingerprint(content, "environment") != second
    (content / "sources" / "deep").mkdir(parents=True)
    (content / "sources" / "deep" / "c.txt").write_text("")
    assert inputs_fingerprint(content, "environment") not in (first, second)


def test_the_content_fingerprint_reads_only_the_files_that_changed(tmp_path, monkeypatch):
    """At 10,000 seeds reading the 20,000 content files took most of a second of every build's
    start: each file's digest is kept with its state (briefing/file_states.py)."""
    monkeypatch.setattr(file_states, "SETTLED_NS", -10**12)  # the files written just now count as settled
    content = tmp_path / "content"
    (content / "briefings").mkdir(parents=True)
    for name in ("a.md", "b.md"):
        (content / "briefings" / name).write_text(f"Title: {name}")
    first = inputs_fingerprint(content, "environment")
    read = []
    monkeypatch.setattr(file_states, "open", lambda path, mode: read.append(Path(path).name) or open(path, mode),
                        raising=False)
    assert inputs_fingerprint(content, "environment") == first and read == []
    a = content / "briefings" / "a.md"
    stat = a.stat()
    a.write_text("Title: x.md")  # the same size
    os.utime(a, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and times, as a copy that keeps them
    second = inputs_fingerprint(content, "environment")
    assert second != first and read == ["a.md"]
    (content / up_to_date.INPUT_STATES).unlink()
    assert inputs_fingerprint(content, "environment") == second  # as from nothing


def test_the_output_signature_sees_a_touched_file(tmp_path):
    (tmp_path / "tag").mkdir()
    page = tmp_path / "tag" / "x.html"
    page.write_text("<p>x</p>")
    first = output_signature(tmp_path)
    assert output_signature(tmp_path) == first
    os.utime(page, ns=(1, 1))
    assert output_signature(tmp_path) != first


def test_a_theme_or_plugin_folder_given_on_the_command_line_is_read_like_the_settings_own(tmp_path):
    content, output, settings = project(tmp_path)
    other = tmp_path / "other-theme" / "templates"
    other.mkdir(parents=True)
    (other / "base.html").write_text("<html></html>", "utf-8")
    (tmp_path / "more-plugins/two").mkdir(parents=True)
    for args in (["-t", str(other.parent)], ["-e", 'THEME="other-theme"'],
                 ["-e", 'PLUGIN_PATHS=["plugins", "more-plugins"]', "RELATED_MAX=3"]):
        built(content, output, settings, args)
        assert current(content, output, settings, args)
        (other / "base.html").write_text((other / "base.html").read_text("utf-8") + "<!-- edited -->", "utf-8")
        (tmp_path / "more-plugins/two/two.py").write_text(f"X = {len(args)}\n", "utf-8")
        assert not current(content, output, settings, args), args


def test_a_change_to_the_stamps_code_runs_the_converter_again_but_converts_nothing_again(tmp_path, monkeypatch):
    """up_to_date.py is left out of the converter's fingerprint (the build's fingerprint lives
    there too): a change to it reruns the converter, whose seed cache still holds every seed."""
    from briefing import seed_cache
    from briefing.up_to_date import ConvertStamp

    seeds = sorted(SEEDS.glob("*.txt"))
    content = tmp_path / "content"
    stamp = ConvertStamp(SEEDS, content, seeds, seed_cache.converter_fingerprint())
    stamp.record(["report"], 0)
    assert ConvertStamp(SEEDS, content, seeds, seed_cache.converter_fingerprint()).recorded_report() == {"lines": ["report"], "warnings": 0}
    copy = tmp_path / "up_to_date.py"
    copy.write_bytes(up_to_date.SOURCE.read_bytes() + b"\n# edited\n")
    monkeypatch.setattr(up_to_date, "SOURCE", copy)
    assert ConvertStamp(SEEDS, content, seeds, seed_cache.converter_fingerprint()).recorded_report() is None
    assert "up_to_date.py" not in {path.name for path in seed_cache.converter_files()}


def test_a_change_to_the_themes_static_files_runs_the_build_but_keeps_every_page(tmp_path):
    content, output, settings = project(tmp_path)
    style = tmp_path / "theme/static/css/style.css"
    style.parent.mkdir(parents=True)
    style.write_text("body { color: black; }", "utf-8")
    built(content, output, settings)
    style.write_text("body { color: navy; }", "utf-8")
    stamp = BuildStamp(content, output, settings, [])
    assert not stamp.site_is_current()  # the new stylesheet must reach the site
    assert stamp.reusable_output() == output  # but no page is made from it


def static_project(tmp_path: Path) -> tuple[Path, Path, Path]:
    """project() with a stylesheet in the theme, and its copy in the site, as Pelican makes it."""
    content, output, settings = project(tmp_path)
    for folder in (tmp_path / "theme/static/css", output / "theme/css"):
        folder.mkdir(parents=True)
        (folder / "style.css").write_text("body { color: black; }", "utf-8")
    return content, output, settings


def test_when_only_the_themes_static_files_changed_a_copy_of_them_is_all_the_site_needs(tmp_path):
    content, output, settings = static_project(tmp_path)
    built(content, output, settings)
    (tmp_path / "theme/static/css/style.css").write_text("body { color: navy; }", "utf-8")
    (tmp_path / "theme/static/css/print.css").write_text("body { color: black; }", "utf-8")
    stamp = BuildStamp(content, output, settings, [])
    assert not stamp.site_is_current() and stamp.only_theme_static_changed()
    (tmp_path / "theme/templates/base.html").write_text("<html><body></body></html>", "utf-8")
    assert not BuildStamp(content, output, settings, []).only_theme_static_changed()  # a template too


def test_settings_without_a_theme_do_not_take_their_own_folder_for_it(tmp_path):
    """No THEME: Pelican's own theme. The settings' folder (content, output, a `static/` of the
    project's) is not the theme: a build is current afterwards, and a file in `static/` is not
    one of the theme's static files."""
    content, output, settings = project(tmp_path)
    settings.write_text(SETTINGS.replace('THEME = "theme"\n', ""), "utf-8")
    (tmp_path / "static").mkdir()
    (tmp_path / "static/style.css").write_text("body { color: black; }", "utf-8")
    assert BuildStamp(content, output, settings, []).theme is None
    built(content, output, settings)
    assert current(content, output, settings)
    (tmp_path / "static/style.css").write_text("body { color: navy; }", "utf-8")
    assert not BuildStamp(content, output, settings, []).only_theme_static_changed()


def test_a_content_change_with_the_stylesheets_needs_a_build(tmp_path):
    content, output, settings = static_project(tmp_path)
    built(content, output, settings)
    (tmp_path / "theme/static/css/style.css").write_text("body { color: navy; }", "utf-8")
    (content / "briefings/a.md").write_text("Title: A\n\nOther text.\n", "utf-8")
    assert not BuildStamp(content, output, settings, []).only_theme_static_changed()


def test_a_site_whose_theme_folder_holds_more_than_the_copy_is_built(tmp_path):
    """Something else of the last build's (a plugin's file, say) in the site's theme folder: a
    fresh copy of the static files would drop it, so the site is built."""
    content, output, settings = static_project(tmp_path)
    (output / "theme/made-by-a-plugin.js").write_text("", "utf-8")
    built(content, output, settings)
    (tmp_path / "theme/static/css/style.css").write_text("body { color: navy; }", "utf-8")
    assert not BuildStamp(content, output, settings, []).only_theme_static_changed()


def test_editing_the_stylesheet_copies_it_and_keeps_every_page(tmp_path):
    """make html after a CSS edit (theme given with -t): Pelican does not run, the new
    stylesheet is in the site, no page was written again, and the site is the same as a build
    from nothing; a stylesheet added and one deleted too."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    options = f"PELICANOPTS=-t {theme}"
    assert build_site(SEEDS, tmp_path, options).returncode == 0
    pages = {page: page.stat().st_ino for page in (tmp_path / "output").rglob("*.html")}
    style = theme / "static" / "css" / "style.css"
    style.write_text(style.read_text("utf-8") + "\n.edited-by-test { color: navy; }\n", "utf-8")
    result = build_site(SEEDS, tmp_path, options)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "only the theme's static files changed" in result.stdout and "Processed" not in result.stdout
    assert ".edited-by-test" in (tmp_path / "output" / "theme" / "css" / "style.css").read_text("utf-8")
    assert {page: page.stat().st_ino for page in (tmp_path / "output").rglob("*.html")} == pages
    (theme / "static" / "css" / "print.css").write_text("body { color: black; }\n", "utf-8")
    (theme / "static" / "js" / "search.js").unlink()
    result = build_site(SEEDS, tmp_path, options)
    assert "only the theme's static files changed" in result.stdout, result.stdout + result.stderr
    fresh = tmp_path / "fresh"
    assert build_site(SEEDS, fresh, options).returncode == 0
    site = tree(tmp_path / "output")
    assert site == tree(fresh / "output")
    assert "theme/css/print.css" in site and "theme/js/search.js" not in site
    assert "nothing changed" in build_site(SEEDS, tmp_path, options).stdout


def test_a_folder_of_templates_overriding_the_themes_is_read_too(tmp_path):
    content, output, settings = project(tmp_path)
    overrides = tmp_path / "my-templates"
    overrides.mkdir()
    (overrides / "article.html").write_text("<article></article>", "utf-8")
    settings.write_text(SETTINGS + 'THEME_TEMPLATES_OVERRIDES = ["my-templates"]\n', "utf-8")
    built(content, output, settings)
    assert current(content, output, settings)
    (overrides / "article.html").write_text("<article>edited</article>", "utf-8")
    assert not current(content, output, settings)



def test_a_change_to_the_converters_own_code_does_not_touch_the_builds_environment(tmp_path, monkeypatch):
    """It reaches the build through the briefings it writes: the pages of the briefings that
    changed are rendered again, not every page. What the plugins import still counts."""
    content, output, settings = project(tmp_path)
    package = tmp_path / "briefing"
    package.mkdir()
    (package / "periods.py").write_text("from . import text\n", "utf-8")
    (package / "text.py").write_text("WORD = 1\n", "utf-8")
    (package / "entities.py").write_text("HEURISTIC = 1\n", "utf-8")
    (tmp_path / "plugins/one/uses.py").write_text("from briefing.periods import month_of\n", "utf-8")
    monkeypatch.setattr(up_to_date, "PACKAGE", package)
    monkeypatch.setattr(imports, "PACKAGE", package)
    built(content, output, settings)
    (package / "entities.py").write_text("HEURISTIC = 2\n", "utf-8")
    assert current(content, output, settings)
    (package / "text.py").write_text("WORD = 2\n", "utf-8")  # periods.py imports it
    assert not current(content, output, settings)
