"""A rebuild copies the pages whose content did not change from the last build: the site is
the same bytes as a build from nothing, and only what an edit touches is rendered again."""

import dataclasses
import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, build_site
from jinja2 import DictLoader, Environment
from markupsafe import Markup
from test_build import tree

from briefing.benchmark import redating
from briefing.corpus import write_corpus
from briefing.markdown import CHECKSUM_KEY
from briefing.progress import read_taken_report

sys.path.insert(0, str(ROOT / "plugins"))

from parallel_render import reuse as reuse_module  # noqa: E402
from parallel_render.reuse import (  # noqa: E402
    CHECKSUM,
    MetadataDigests,
    Reuse,
    Unkeyable,
    Views,
    hash_of,
    metadata_digests,
    template_names,
)

SEEDS = 80
EVENT_LINK = re.compile(rb'href="[^"]*?(chronology[^"#]*#event-[^"]+)"')  # an event, in the chronology


def reused(result: subprocess.CompletedProcess) -> tuple[int, int]:
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    taken = read_taken_report(result.stdout)
    assert taken, result.stdout[-3000:]
    return taken


def edit(seed: Path, old: bytes = b"", new: bytes = b"", append: bytes = b"") -> None:
    text = seed.read_bytes()
    assert old in text
    seed.write_bytes(text.replace(old, new, 1) + append)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reuse") / "seeds"
    write_corpus(SEEDS, folder)
    return folder


@pytest.mark.parametrize("options", [(), ("PELICANOPTS=-e CHRONOLOGY_ONE_PAGE_MAX=50 ENTITY_ONE_PAGE_MAX=15 "
                                          "TAG_ONE_PAGE_MAX=10",)],
                         ids=["one-page-each", "pages-by-year"])
def test_rebuilds_render_only_what_edits_touch_and_equal_a_build_from_nothing(seeds, tmp_path, options):
    work = tmp_path / "incremental"
    shutil.copytree(seeds, work / "seeds")
    names = sorted(p.name for p in (work / "seeds").iterdir())

    def make_html(seed_dir, workdir):
        return build_site(seed_dir, workdir, *options)

    def rebuilt(fresh_name: str) -> tuple[int, int, dict[str, bytes]]:
        """Rebuild after an edit: (pages taken, pages, the site), the site being the same bytes
        as a build from nothing of the same seeds."""
        copied, pages = reused(make_html(work / "seeds", work))
        fresh = tmp_path / fresh_name
        assert make_html(work / "seeds", fresh).returncode == 0
        site = tree(work / "output")
        assert site == tree(fresh / "output")
        return copied, pages, site

    first = make_html(work / "seeds", work)
    assert (work / "output" / "chronology").is_dir() == bool(options)
    months = list((work / "output" / "chronology").glob("*-*.html"))  # a long year's month pages
    assert bool(months) == bool(options)
    for kind in ("entity", "tag"):  # long years of an entity and of a tag: month pages
        assert bool(list((work / "output" / kind).glob("*/*-*.html"))) == bool(options), kind
    for kind in ("entity", "tag"):
        assert any(path.is_dir() for path in (work / "output" / kind).iterdir()) == bool(options)
    assert first.returncode == 0 and not read_taken_report(first.stdout)  # nothing to take: nothing said

    # A sentence added to one clipping: its briefing page changes, the rest is copied.
    edit(work / "seeds" / names[SEEDS // 2], append=b"\nThe ministry later corrected the figure.\n")
    copied, pages, site = rebuilt("fresh1")
    assert copied >= pages - 15
    assert [name for name, page in site.items() if name.startswith("briefings/")
            and b"ministry later corrected" in page]

    # An event added to a clipping whose other events other briefings report too: their
    # briefing pages show of this one only that it is one more source, so they are copied.
    edited = next(page for name, page in site.items() if b"ministry later corrected" in page
                  and name.startswith("briefings/"))
    assert b"also told by" in edited
    edit(work / "seeds" / names[SEEDS // 2], append=b"\nOn 3 March 2024 officials met in Islamabad.\n")
    copied, pages, site = rebuilt("fresh-event")
    assert copied >= pages - 15
    assert any(name.startswith("chronology") and b"officials met in Islamabad" in page
               for name, page in site.items())

    # That clipping's date corrected by a day: the pages of the briefings that tell one of its
    # events show of it only how many tell each. They are taken from the last build, unless
    # they changed (one of its events moved: its other tellers are one fewer) or link to it
    # (as a related or neighbouring briefing: the key holds its whole metadata block).
    edited = next(name for name, page in site.items() if name.startswith("briefings/")
                  and b"officials met in Islamabad" in page)
    tellers = {name: (page, (work / "output" / name).stat().st_ino) for name, page in site.items()
               if name.startswith("briefings/") and name != edited and set(EVENT_LINK.findall(page))
               & set(EVENT_LINK.findall(site[edited])) and edited.split("/")[-1].encode() not in page}
    # The chronology's pages and the pages of entities it does not name that show it only as a
    # source of an event show of it its title and publisher, not its date: they are taken too,
    # unless they changed.
    named = set(re.findall(rb'href="[^"]*?/entity/([^/"]+)\.html"', site[edited]))
    listing = {name: (page, (work / "output" / name).stat().st_ino) for name, page in site.items()
               if name.startswith(("entity/", "chronology")) and links_only_as_event_source(page, edited)
               and not (name.startswith("entity/") and name.split("/")[1].removesuffix(".html").encode() in named)}
    # The pages of the entities it names that have year pages show of them who they are, how
    # many briefings name them, their years' counts and latest events, not the briefings: taken
    # too, unless they changed.
    overviews = {name: (page, (work / "output" / name).stat().st_ino) for name, page in site.items()
                 if name.startswith("entity/") and name.count("/") == 1
                 and name.split("/")[1].removesuffix(".html").encode() in named
                 and (work / "output" / name.removesuffix(".html")).is_dir()}
    assert bool(overviews) == bool(options)
    seed = work / "seeds" / names[SEEDS // 2]
    seed.write_text(redating([seed], 0, lambda path: path.read_text("utf-8"))[2], "utf-8")
    copied, pages, site = rebuilt("fresh-date")
    for shown in (tellers, listing, overviews) if options else (tellers, listing):
        unchanged = [name for name, (page, _) in shown.items() if site[name] == page]
        assert unchanged and all((work / "output" / name).stat().st_ino == shown[name][1] for name in unchanged)

    # New actors and an event, a headline rewritten (a new URL), a clipping deleted.
    edit(work / "seeds" / names[20], append=b"\nImran Khan met Joe Biden in Kabul on 3 March 2024.\n")
    first_line = (work / "seeds" / names[30]).read_bytes().split(b"\n", 1)[0]
    edit(work / "seeds" / names[30], first_line, b"A rewritten headline for the reuse test")
    (work / "seeds" / names[40]).unlink()
    copied, pages, _ = rebuilt("fresh2")
    assert 0 < copied < pages - 15

    # A source corrected by an editor: the briefing keeps its URL, and the pages that list it
    # (tag and entity pages) show the new source although nothing else changed.
    (work / "seeds" / "overrides.toml").write_text(f'["{names[25]}"]\nsource = "Reuse Test Wire"\n', "utf-8")
    copied, pages, site = rebuilt("fresh3")
    assert pages // 2 < copied < pages
    assert any(name.startswith("tag/") and b"Reuse Test Wire" in page for name, page in site.items())


def links_only_as_event_source(page: bytes, briefing: str) -> bool:
    """Whether the page links to the briefing (its name in the site), and every such link is
    one of an event's sources."""
    links = [a for a in BeautifulSoup(page, "html.parser").find_all("a", href=True)
             if a["href"].split("#")[0].endswith("/" + briefing)]
    return bool(links) and all(a.find_parent(class_="sources") or "event-source" in a.get("class", [])
                               for a in links)


def test_editing_a_pages_text_past_its_summary_renders_that_page_alone(seeds, tmp_path):
    """The About page has no Summary line; every page's menu lists it. Editing its text past
    the summary Pelican cuts from it changes no other page."""
    assert build_site(seeds, tmp_path).returncode == 0
    inodes = {page: page.stat().st_ino for page in (tmp_path / "output").rglob("*.html")}
    about = tmp_path / "content" / "pages" / "about.md"
    about.write_text(about.read_text("utf-8") + "\nA last paragraph added by the reuse test.\n", "utf-8")

    def build(output: Path) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py"), str(tmp_path / "content"),
                               str(output), "-s", str(ROOT / "pelicanconf.py")],
                              capture_output=True, text=True, check=False, cwd=ROOT)

    copied, pages = reused(build(tmp_path / "output"))
    rendered = sorted(str(page.relative_to(tmp_path / "output")) for page, inode in inodes.items()
                      if page.stat().st_ino != inode)
    assert "pages/about.html" in rendered and pages - copied == len(rendered) < 12, rendered
    assert not [page for page in rendered if page.startswith(("briefings/", "entity/", "tag/", "chronology"))]
    assert b"A last paragraph added by the" in (tmp_path / "output" / "pages" / "about.html").read_bytes()
    assert build(tmp_path / "fresh").returncode == 0
    assert tree(tmp_path / "output") == tree(tmp_path / "fresh")


def test_editing_one_template_renders_the_pages_made_from_it(seeds, tmp_path):
    """An entity page template edited (in a copy of the theme given with -t): the entity pages
    show it, no briefing page is rendered again, and the site is a build from nothing's."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    options = f"PELICANOPTS=-t {theme}"
    assert build_site(seeds, tmp_path, options).returncode == 0
    inodes = {page: page.stat().st_ino for page in (tmp_path / "output").rglob("*.html")}
    template = theme / "templates" / "entity.html"
    template.write_text(template.read_text("utf-8").replace("{% block content %}",
                        '{% block content %}<p class="edited-by-test">Edited.</p>', 1), "utf-8")
    copied, pages = reused(build_site(seeds, tmp_path, options))
    rendered = sorted(str(page.relative_to(tmp_path / "output")) for page, inode in inodes.items()
                      if page.stat().st_ino != inode)
    entity_pages = [name for name in rendered if name.startswith("entity/")]
    assert entity_pages and pages - copied == len(rendered)
    assert not [name for name in rendered if name.startswith(("briefings/", "tag/", "chronology"))]
    assert all(b"edited-by-test" in (tmp_path / "output" / name).read_bytes() for name in entity_pages)
    fresh = tmp_path / "fresh"
    assert build_site(seeds, fresh, options).returncode == 0
    assert tree(tmp_path / "output") == tree(fresh / "output")


def test_a_build_with_other_settings_renders_every_page(seeds, tmp_path):
    assert build_site(seeds, tmp_path).returncode == 0
    command = [sys.executable, str(ROOT / "scripts" / "build.py"), str(tmp_path / "content"),
               str(tmp_path / "output"), "-s", str(ROOT / "pelicanconf.py"), "--", "-e", "RELATED_MAX=2"]
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not read_taken_report(result.stdout)  # the last build is not even offered


BRIEFING = "Checksum: {checksum}\nTitle: {title}\nDate: 2024-01-05\n{summary}\n\n{body}\n"


def briefing_file(path: Path, title="A title", body="Text.", summary="Summary: One line.", checksum="1"):
    path.write_text(BRIEFING.format(title=title, body=body, summary=summary, checksum=checksum), "utf-8")
    return str(path)


def test_another_briefings_reference_holds_its_metadata_not_its_text(tmp_path):
    first = metadata_digests(briefing_file(tmp_path / "a.md"), frozenset())
    assert metadata_digests(briefing_file(tmp_path / "a.md", body="Other text.", checksum="2"), frozenset()) == first
    assert metadata_digests(briefing_file(tmp_path / "a.md", title="Another title"), frozenset()) != first


def test_fields_only_a_briefings_own_page_shows_are_left_out_of_its_reference(tmp_path):
    events = "Summary: One line.\nEvents: 2024-03 | p-1 | March 2024 | Kabul | A sentence.\n    2024 | p-2 | 2024 | | {}"

    def digests(metadata: str) -> tuple[bytes, bytes]:  # (whole block, without Events)
        return metadata_digests(briefing_file(tmp_path / "a.md", summary=metadata), frozenset({"events"}))

    whole, shown = digests(events.format("One."))
    assert digests(events.format("Two."))[1] == shown
    assert digests(events.format("Two."))[0] != whole
    assert digests(events.format("One.").replace("One line.", "Another line."))[1] != shown


@pytest.fixture
def settled(monkeypatch):
    """Files written from now on count as written long before: kept with their state."""
    monkeypatch.setattr(reuse_module, "SETTLED_NS", -60 * 10**9)
    return lambda path: path


def test_metadata_digests_are_kept_while_the_file_is_as_it_was(tmp_path, monkeypatch, settled):
    path = settled(briefing_file(tmp_path / "a.md"))
    first = MetadataDigests(frozenset({"events"}), {})
    digests = first.digests(path)
    assert digests == metadata_digests(path, frozenset({"events"}))
    record = first.record()

    read = []
    monkeypatch.setattr(reuse_module, "metadata_digests", lambda *args: read.append(args) or (b"w" * 16, b"s" * 16))
    assert MetadataDigests.from_record(record, frozenset({"events"})).digests(path) == digests
    assert not read  # a stat, not a read
    assert MetadataDigests.from_record(record, frozenset({"removed"})).digests(path) == (b"w" * 16, b"s" * 16)  # other fields left out
    settled(briefing_file(tmp_path / "a.md", title="Another title"))
    assert MetadataDigests.from_record(record, frozenset({"events"})).digests(path) == (b"w" * 16, b"s" * 16)
    assert len(read) == 2


def test_metadata_digests_of_a_file_just_written_are_not_kept(tmp_path):
    """It could be written again within its clock's tick, and keep its state."""
    digests = MetadataDigests(frozenset(), {})
    assert digests.digests(briefing_file(tmp_path / "a.md")) == metadata_digests(str(tmp_path / "a.md"), frozenset())
    assert digests.record()[1] == {}


def test_metadata_digests_go_from_one_build_to_the_next_with_the_page_keys(tmp_path, settled):
    path = settled(briefing_file(tmp_path / "a.md"))
    page = SimpleNamespace(url="briefings/a.html", metadata={"summary": "One line."}, source_path=path)
    settings = {"RENDER_REUSE_TEMPLATES": [], "RENDER_REUSE_OWN_PAGE_METADATA": ["Events"]}
    keys = str(tmp_path / "keys")
    first = Reuse(settings, str(tmp_path / "out"), None, keys)
    first.views.briefing_link(page)
    child = Reuse(settings, str(tmp_path / "out"), None, keys)  # a rendering process's share
    child.views.briefing_link(SimpleNamespace(**{**vars(page), "source_path": settled(briefing_file(tmp_path / "b.md"))}))
    first.merge(*child.collected())
    first.save()
    Path(keys + ".new").replace(keys)
    (tmp_path / "last").mkdir()
    again = Reuse(settings, str(tmp_path / "out"), str(tmp_path / "last"), keys)
    assert set(again.views.metadata.known) == {path, str(tmp_path / "b.md")}
    assert again.earlier("briefings/a.html") is None


def test_a_briefings_own_page_holds_its_whole_metadata_block(tmp_path):
    """The fields left out of another page's reference of a briefing stay in its own page's key."""
    def views(sentence: str):
        path = briefing_file(tmp_path / "a.md", summary=f"Summary: One line.\nEvents: 2024 | p-1 | 2024 | | {sentence}")
        page = SimpleNamespace(url="briefings/a.html", metadata={"summary": "One line."}, content="<p>Text.</p>",
                               source_path=path)
        views = Views(["Events"])
        return views.briefing_link(page), views.briefing(page)

    link, own = views("One.")
    other_link, other_own = views("Two.")
    assert other_link == link and other_own != own


def test_the_checksum_left_out_is_the_converters():
    assert CHECKSUM == f"{CHECKSUM_KEY}:".encode()


def test_without_a_summary_line_the_summary_pelican_cuts_counts_and_not_the_rest(tmp_path):
    """A hand-written page has no Summary line: lists may show the summary Pelican cuts from
    its text, so that counts; the rest of its text, which no other page shows, does not."""
    def link(body: str, summary: str):
        page = SimpleNamespace(url="pages/about.html", metadata={}, summary=summary,
                               source_path=briefing_file(tmp_path / "about.md", summary="", body=body))
        return Views().briefing_link(page)

    first = link("Its first words. Then more.", "Its first words.")
    assert link("Its first words. Then other words.", "Its first words.") == first
    assert link("Other first words. Then more.", "Other first words.") != first


@dataclasses.dataclass(eq=False)
class Entity:
    name: str
    slug: str
    url: str
    type: str
    mentions: list


def test_an_object_with_a_page_of_its_own_is_a_reference_except_on_its_page():
    views = Views()
    quoted = Entity("Kabul", "kabul", "entity/kabul.html", "place", ["first quote"])
    requoted = Entity("Kabul", "kabul", "entity/kabul.html", "place", ["another quote"])
    assert views.of([quoted]) == views.of([requoted])
    assert views.of(quoted, subject=True) != views.of(requoted, subject=True)
    renamed = Entity("Kabul city", "kabul", "entity/kabul.html", "place", ["first quote"])
    assert views.of([renamed]) != views.of([quoted])


def test_long_lists_are_hashed_whole():
    views = Views()
    assert views.of(list(range(500))) != views.of([*range(499), 0])


def test_a_value_the_key_cannot_describe_makes_the_page_rendered():
    with pytest.raises(Unkeyable):
        Views().of([object()])


@pytest.mark.parametrize("value", [len, dataclasses.fields, lambda: 1, Entity], ids=["builtin", "function", "lambda", "class"])
def test_a_function_or_a_class_makes_the_page_rendered(value):
    """What a template gets from calling it is not in the key: never keyed by its name."""
    with pytest.raises(Unkeyable):
        Views().of({"helper": value})


def test_a_value_that_holds_itself_makes_the_page_rendered():
    looped = []
    looped.append(looped)
    with pytest.raises(Unkeyable):
        Views().of([looped])


def test_equal_values_have_one_view_whether_or_not_they_are_one_object():
    """The views are pickled without pickle's memo, which writes an object met again as a
    reference: the same briefings read again, or taken as the last build read them, may share
    their strings differently."""
    name = "Kabul"
    other = "".join(["Kab", "ul"])
    assert other is not name
    views = Views()
    kabul = Entity(name, "kabul", "entity/kabul.html", "place", [])
    assert views.of([name, name, (name,), {"name": name}]) == views.of([name, other, (other,), {"name": other}])
    assert views.of([kabul, kabul]) == views.of([kabul, Entity(other, "kabul", "entity/kabul.html", "place", [])])
    assert views.of(kabul, subject=True) == views.of(Entity(other, "kabul", "entity/kabul.html", "place", []), subject=True)


def test_markup_and_a_string_of_the_same_text_differ():
    """A template escapes one and not the other: the page differs, so must its key."""
    views = Views()
    assert hash_of(views.of([Markup("<b>TTP</b>")])) != hash_of(views.of(["<b>TTP</b>"]))
    assert hash_of(views.of([Markup("a")])) == hash_of(views.of([Markup("a")]))


TEMPLATES = {
    "base.html": "<title>{{ SITENAME }}</title>{% for p in pages %}{{ p.title }}{% endfor %}{% block content %}{% endblock %}",
    "item.html": "{{ article.title }}",
    "tag.html": '{% extends "base.html" %}{% block content %}{% for article in dates %}{% include "item.html" %}{% endfor %}{% endblock %}',
    "home.html": '{% extends "base.html" %}{% block content %}{{ articles|length }}{% endblock %}',
    "chosen.html": "{% include choice %}",
}


def test_a_template_is_read_through_what_it_extends_and_includes():
    environment = Environment(loader=DictLoader(TEMPLATES))
    assert template_names(environment, "tag.html") == {"SITENAME", "pages", "dates", "article"}
    assert template_names(environment, "chosen.html") is None


class Page:
    def __init__(self, template, base, own):
        self.template, self.base, self.own = template, base, own


def test_a_template_that_reads_a_site_wide_list_is_keyed_by_it():
    """The chronology reads every event: a change to any of them changes its key."""
    environment = Environment(loader=DictLoader(TEMPLATES))
    reuse = Reuse({"RENDER_REUSE_TEMPLATES": ["home.html"]}, "/out", None, "/keys")
    home = environment.get_template("home.html")
    site = {"articles": [1, 2], "pages": [], "SITENAME": "S"}
    key = reuse.key(Page(home, site, {}), "index.html")
    assert key is not None
    assert reuse.key(Page(home, {**site, "articles": [1, 3]}, {}), "index.html") != key
    assert reuse.key(Page(home, {**site, "SITENAME": "T"}, {}), "index.html") == key  # settings: not in keys


def test_a_site_wide_value_is_walked_once_per_process():
    views = Views()
    events = [{"sentence": "first"}]
    assert views.shared(events) == views.shared(events)
    assert len(views.site_wide) == 1


def test_a_template_chosen_at_render_time_is_always_rendered(caplog):
    environment = Environment(loader=DictLoader(TEMPLATES))
    reuse = Reuse({"RENDER_REUSE_TEMPLATES": ["chosen.html"]}, "/out", None, "/keys")
    with caplog.at_level(logging.WARNING):
        page = Page(environment.get_template("chosen.html"), {}, {"choice": "item.html"})
        assert reuse.key(page, "chosen.html") is None
    assert "pages of chosen.html are always rendered" in caplog.text


def test_a_static_file_is_taken_from_the_last_build_only_with_the_same_bytes(tmp_path):
    last, out, content = tmp_path / "last", tmp_path / "out", tmp_path / "content"
    for folder in (last / "sources", content):
        folder.mkdir(parents=True)
    (last / "sources" / "a.txt").write_text("seed A")
    (last / "sources" / "b.txt").write_text("seed B")
    (content / "a.txt").write_text("seed A")
    (content / "b.txt").write_text("seed b")  # same size, other bytes
    reuse = Reuse({}, str(out), str(last), str(tmp_path / "keys"))
    assert reuse.same_file_taken(str(content / "a.txt"), str(out / "sources" / "a.txt"))
    assert (out / "sources" / "a.txt").read_text() == "seed A"
    assert not reuse.same_file_taken(str(content / "b.txt"), str(out / "sources" / "b.txt"))
    assert not (out / "sources" / "b.txt").exists()
    assert not reuse.same_file_taken(str(content / "a.txt"), str(out / "sources" / "new.txt"))
    assert not Reuse({}, str(out), None, "k").same_file_taken(str(content / "a.txt"), str(out / "x.txt"))


def test_a_static_file_in_the_state_the_last_build_recorded_is_taken_without_a_look(tmp_path, monkeypatch, settled):
    last, out, content = tmp_path / "last", tmp_path / "out", tmp_path / "content"
    for folder in (last / "sources", content):
        folder.mkdir(parents=True)
    for name in ("a.txt", "b.txt"):
        (last / "sources" / name).write_text("seed A")
        (content / name).write_text("seed A")
    keys = str(tmp_path / "keys")
    first = Reuse({}, str(tmp_path / "first"), None, keys)
    for name in ("a.txt", "b.txt"):
        assert not first.same_file_taken(str(content / name), str(tmp_path / "first" / "sources" / name))
    first.save()
    Path(keys + ".new").replace(keys)
    (content / "b.txt").write_text("seed B")  # same size, other bytes, a new state

    compared = []
    real_cmp = reuse_module.filecmp.cmp
    monkeypatch.setattr(reuse_module.filecmp, "cmp", lambda *args, **kwargs: compared.append(args[0]) or real_cmp(*args, **kwargs))
    reuse = Reuse({}, str(out), str(last), keys)
    assert reuse.same_file_taken(str(content / "a.txt"), str(out / "sources" / "a.txt"))
    assert not reuse.same_file_taken(str(content / "b.txt"), str(out / "sources" / "b.txt"))
    assert compared == [str(content / "b.txt")]  # a.txt was not read
    assert (out / "sources" / "a.txt").read_text() == "seed A"


def test_a_static_file_just_written_is_compared_and_its_state_not_recorded(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.txt").write_text("seed A")
    reuse = Reuse({}, str(tmp_path / "out"), None, str(tmp_path / "keys"))
    reuse.same_file_taken(str(content / "a.txt"), str(tmp_path / "out" / "sources" / "a.txt"))
    assert "sources/a.txt" not in reuse.new


def test_a_page_taken_while_another_process_makes_its_folder_is_still_linked(tmp_path, monkeypatch):
    """Two rendering processes: this one takes entity/a.html before entity/ exists, and the other
    makes the folder (to render another page there) just after the link failed. The page must
    still be a hard link of the last build's, not a copy of it (a copy costs the bytes, and
    made tests/test_page_reuse.py see an untouched page as rendered, now and then)."""
    last, out = tmp_path / "last", tmp_path / "out"
    (last / "entity").mkdir(parents=True)
    (last / "entity" / "a.html").write_text("<p>A</p>")
    real_link = reuse_module.os.link
    calls = []

    def link_racing_another_process(source, target):
        calls.append(target)
        if len(calls) == 1:
            (out / "entity").mkdir(parents=True)  # the other process, between the two steps
            raise FileNotFoundError(target)
        real_link(source, target)

    monkeypatch.setattr(reuse_module.os, "link", link_racing_another_process)
    assert Reuse({}, str(out), str(last), str(tmp_path / "keys")).bring_over("entity/a.html")
    assert (out / "entity" / "a.html").stat().st_ino == (last / "entity" / "a.html").stat().st_ino
    assert len(calls) == 2
    (last / "entity" / "gone.html").write_text("x")
    (last / "entity" / "gone.html").unlink()  # the last build's file is gone: rendered instead
    assert not Reuse({}, str(out), str(last), str(tmp_path / "keys")).bring_over("entity/gone.html")
