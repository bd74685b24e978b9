"""Compiled templates kept in the build cache: used again only for the same source in the same
build environment, and a template edited between builds shows on every page."""

import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, SEEDS

from briefing.progress import read_taken_report
from briefing.up_to_date import BUILD_ENVIRONMENT_VARIABLE

sys.path.insert(0, str(ROOT / "plugins"))

from build_cache.build_cache import Store  # noqa: E402
from build_cache.templates import StoredBytecode, keep_compiled_templates  # noqa: E402


@pytest.fixture
def compiles(monkeypatch) -> list[str]:
    """The names of the templates Jinja compiles from source."""
    names = []
    compile_source = jinja2.Environment.compile

    def counted(self, source, name=None, filename=None, *args, **kwargs):
        names.append(name)
        return compile_source(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return names


def environment(folder: Path, store: Store, build_environment: str = "env-1") -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True)
    env.bytecode_cache = StoredBytecode(store, build_environment)
    return env


def render(env: jinja2.Environment) -> str:
    return env.get_template("page.html").render(title="<Kabul>")


def test_a_template_is_compiled_once_for_every_environment_and_build(tmp_path, compiles):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("<h1>{{ title }}</h1>", "utf-8")
    store = Store(tmp_path / "cache", "salt")
    assert render(environment(templates, store)) == "<h1>&lt;Kabul&gt;</h1>"
    assert render(environment(templates, store)) == "<h1>&lt;Kabul&gt;</h1>"  # a second generator's
    assert compiles == ["page.html"]
    store.save()

    next_build = Store(tmp_path / "cache", "salt")
    assert render(environment(templates, next_build)) == "<h1>&lt;Kabul&gt;</h1>"
    assert compiles == ["page.html"]

    (templates / "page.html").write_text("<h2>{{ title }}</h2>", "utf-8")
    assert render(environment(templates, next_build)) == "<h2>&lt;Kabul&gt;</h2>"
    assert render(environment(templates, next_build, "env-2")) == "<h2>&lt;Kabul&gt;</h2>"
    assert compiles == ["page.html"] * 3  # an edited source, then another build environment


def test_a_build_without_its_environments_fingerprint_compiles_as_pelican_does(monkeypatch):
    generator = type("Generator", (), {"env": jinja2.Environment()})()
    monkeypatch.delenv(BUILD_ENVIRONMENT_VARIABLE, raising=False)
    keep_compiled_templates(generator, store=None)
    assert generator.env.bytecode_cache is None


def test_a_template_edited_between_two_builds_shows_on_every_page(tmp_path):
    """The theme given on the command line (-t) counts as the settings' own: the second build
    runs, takes no page from the first (every page extends base.html), and compiles the
    edited template."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    content, output = tmp_path / "content", tmp_path / "output"
    shutil.copytree(ROOT / "content" / "pages", content / "pages")

    def make_html() -> str:
        result = subprocess.run(
            ["make", "--no-print-directory", "-C", str(ROOT), "html", f"SEEDDIR={seeds}",
             f"INPUTDIR={content}", f"OUTPUTDIR={output}", f"PELICANOPTS=-t {theme}"],
            capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    make_html()
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text("utf-8").replace("<head>", '<head>\n<meta name="x-edited" content="yes">', 1),
                    "utf-8")
    printed = make_html()
    assert "up to date" not in printed
    taken = read_taken_report(printed)
    assert taken is None or taken[0] == 0, printed  # base.html: every page is made from it
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        assert BeautifulSoup(page.read_text("utf-8"), "html.parser").select_one('meta[name="x-edited"]'), page
