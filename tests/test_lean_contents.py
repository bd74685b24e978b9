"""Briefings' HTML kept in a temporary file while pages render: out of memory, read back whole.
What briefings hold alike (tags, metadata names, recurring values) held once."""

import copy
import json
import pickle
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from pelican.contents import Article, Content
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Tag

from conftest import ROOT

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from briefing_reader.briefing_reader import Removed, removed_item  # noqa: E402
from build_cache.kept_reads import kept_report  # noqa: E402
from lean_contents.lean_contents import (  # noqa: E402
    close, collector_on, hide_structures, spill, static_links_found_quickly)
from lean_contents.sharing import forget, share  # noqa: E402


class Briefing:
    def __init__(self, html: str):
        self._content = html

    def _update_content(self, text: str, siteurl: str) -> str:  # as Pelican's: links made relative
        return text.replace("{filename}", siteurl + "/")


def test_html_leaves_memory_and_comes_back_the_same_for_every_status():
    texts = ["<p>Kabul — Pešāwar ’quoted’</p>", "", "<p>" + "x" * 100_000 + "</p>", "<p>draft</p>"]
    articles = [Briefing(text) for text in texts[:3]]
    draft = Briefing(texts[3])
    generator = SimpleNamespace(articles=articles, drafts=[draft], hidden_articles=[])
    spill(generator)
    try:
        for briefing, text in zip([*articles, draft], texts):
            assert briefing._content is None
            assert briefing.get_content("..") == text
            assert briefing.get_content("..") == text  # read again: nothing was consumed
        with_link = Briefing('<a href="{filename}x.md">x</a>')
        spill(SimpleNamespace(articles=[with_link]))
        assert with_link.get_content("..") == '<a href="../x.md">x</a>'
    finally:
        close(None)


def test_html_without_a_link_for_pelican_to_resolve_is_given_as_read(monkeypatch):
    """Pelican runs a regular expression over a content's whole HTML whenever it is asked for,
    to resolve links to other content (`{filename}`, `|filename|`). HTML with no `{` and no `|`
    has none: it is given as read, without the search; other HTML goes through Pelican."""
    searched = []
    update = Content._update_content
    monkeypatch.setattr(Content, "_update_content", lambda self, text, siteurl: searched.append(text) or update(
        self, text, siteurl))
    settings = copy.deepcopy(DEFAULT_CONFIG)
    context = {"generated_content": {}, "static_content": {}, "static_links": set()}
    target = Article("<p>b</p>", metadata={"title": "B", "slug": "b"}, settings=settings, source_path="b.md",
                     context=context)
    context["generated_content"]["b.md"] = target
    texts = ["<p>Kabul — Pešāwar</p>", '<p>See <a href="{filename}/b.md">b</a>.</p>', "<p>Dawn | Kabul</p>"]
    articles = [Article(text, metadata={"title": "A"}, settings=settings, source_path="a.md", context=context)
                for text in texts]
    expected = [update(article, text, "..") for article, text in zip(articles, texts)]
    assert expected[1] != texts[1] and "b.html" in expected[1]  # the link resolved
    spill(SimpleNamespace(articles=articles))
    try:
        assert [article.get_content("..") for article in articles] == expected
        assert searched == texts[1:]
    finally:
        close(None)


def test_static_links_are_what_pelican_finds_and_html_without_a_mark_is_not_searched(monkeypatch):
    """Pelican searches every briefing's HTML for `{static}` and `{attach}` links, whose files
    it then copies: HTML with no `{` and no `|` has none and is not searched; the rest is, by
    Pelican, and gives the same links."""
    static_links_found_quickly()
    static_links_found_quickly()  # a process that runs Pelican again installs it once
    pelicans = Content.get_static_links.pelicans
    assert not hasattr(pelicans, "pelicans")
    searched = []
    regex = Content._get_intrasite_link_regex
    monkeypatch.setattr(Content, "_get_intrasite_link_regex", lambda self: searched.append(self) or regex(self))
    settings = copy.deepcopy(DEFAULT_CONFIG)
    texts = ['<p><img src="{static}/images/kabul.png" alt="Kabul"></p>', '<a href="|attach|report.pdf">r</a>',
             "<p>Kabul — Pešāwar</p>", "<p>Dawn | Kabul</p>", '<a href="{filename}/b.md">b</a>']
    articles = [Article(text, metadata={"title": "A"}, settings=settings, source_path="a.md",
                        context={"static_content": {}, "generated_content": {}}) for text in texts]
    links = [article.get_static_links() for article in articles]
    assert links == [{"images/kabul.png"}, {"report.pdf"}, set(), set(), set()]
    assert searched == [articles[0], articles[1], articles[3], articles[4]]
    assert links == [pelicans(article) for article in articles]
    searched.clear()
    custom = copy.deepcopy(settings)
    custom["INTRASITE_LINK_REGEX"] = "[<](?P<what>.*?)[>]"  # a site's own marks: always Pelican's search
    Article("<p>Kabul</p>", metadata={"title": "A"}, settings=custom, source_path="a.md", context={}).get_static_links()
    assert len(searched) == 1


def test_the_collector_rests_while_the_plugins_build_on_the_briefings_and_runs_again_to_render():
    """Full collections that walk every briefing and structure, and find nothing, are what the
    collector would do between the spill and the rendering (see release_memory)."""
    import gc  # noqa: PLC0415

    spill(SimpleNamespace(articles=[Briefing("<p>x</p>")]))
    try:
        assert not gc.isenabled() and gc.get_freeze_count() > 0
        structures = [[n] for n in range(1000)]  # what the entity, event and cross-link plugins make
        hide_structures()
        assert gc.isenabled()
        assert not gc.is_tracked(structures) or gc.get_freeze_count() >= len(structures)
    finally:
        close(None)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_build_that_failed_after_its_spill_leaves_the_next_build_a_working_collector():
    import gc  # noqa: PLC0415

    spill(SimpleNamespace(articles=[Briefing("<p>x</p>")]))  # then the build fails: no close
    try:
        collector_on()  # the next build starts (Pelican's `initialized`)
        assert gc.isenabled()
    finally:
        close(None)


def fresh(text: str) -> str:
    """An equal string that is another object, as each briefing's reading or unpickling makes."""
    return "".join(list(text))


def briefing(title: str, tag_names: list[str], settings: dict) -> SimpleNamespace:
    tags = [Tag(fresh(name), settings) for name in tag_names]
    metadata = {fresh("title"): title, fresh("tags"): tags, fresh("lang"): fresh("en"),
                fresh("date_precision"): fresh("day")}
    return SimpleNamespace(metadata=metadata, title=title, tags=tags, lang=metadata["lang"],
                           template=fresh("article"), checksum=fresh("30010b3880deb8e0"))


def test_briefings_share_their_tags_metadata_names_and_recurring_values_and_show_the_same():
    settings = {}
    first, second = briefing("Talks in Doha", ["Taliban", "Doha"], settings), briefing("Kabul", ["Taliban"], settings)
    before = [(dict(item.metadata), [tag.name for tag in item.tags], vars(item).copy()) for item in (first, second)]
    try:
        share(first)
        share(second)
        assert second.tags[0] is first.tags[0] and second.tags[0].name == "Taliban"
        assert second.metadata["tags"] is second.tags  # still the list the attribute holds
        assert [key for key in second.metadata][0] is [key for key in first.metadata][0]  # "title"
        assert second.lang is first.lang and second.metadata["date_precision"] is first.metadata["date_precision"]
        assert second.template is first.template
        assert [(dict(item.metadata), [tag.name for tag in item.tags], vars(item)) for item in (first, second)] == before
        forget()  # the next build: its Tags have its settings
        third = briefing("Later", ["Taliban"], {"other": "settings"})
        share(third)
        assert third.tags[0] is not first.tags[0] and third.tags[0].settings == {"other": "settings"}
    finally:
        forget()


def test_a_removed_line_keeps_its_reason_and_text_and_shares_the_reason_after_a_pickle():
    item = removed_item("[newsletter prompt] Sign up for our newsletter")
    assert (item.reason, item.text) == ("newsletter prompt", "Sign up for our newsletter")
    assert removed_item("Listen Live") == Removed("removed", "Listen Live")
    again, other = pickle.loads(pickle.dumps(item)), pickle.loads(pickle.dumps(removed_item("[newsletter prompt] x")))
    assert again == item and again.reason is other.reason


SHARED_IN_A_BUILD = """
import json, os, sys
sys.path[:0] = [{root!r}, {scripts!r}]
os.chdir({root!r})
import build, run_pelican

def report(generators):
    articles = next(g for g in generators if type(g).__name__ == "ArticlesGenerator").articles
    by_name = {{}}
    for article in articles:
        for tag in article.tags:
            by_name.setdefault(tag.name, set()).add(id(tag))
    keys = {{id(key) for article in articles for key in article.metadata if key == "title"}}
    print(json.dumps({{"tags": {{name: len(ids) for name, ids in by_name.items()}}, "title keys": len(keys)}}))

def run(arguments):
    from pelican import main, signals
    signals.all_generators_finalized.connect(report, weak=False)
    main(arguments)
    sys.stdout.flush()
    os._exit(0)

run_pelican.run = run
sys.exit(build.main([{content!r}, {output!r}, "-s", {settings!r}], fork=True))
"""


def shared_in_a_build(content: Path, output: Path) -> tuple[dict, str]:
    script = SHARED_IN_A_BUILD.format(root=str(ROOT), scripts=str(ROOT / "scripts"), content=str(content),
                                      output=str(output), settings=str(ROOT / "pelicanconf.py"))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(next(line for line in result.stdout.splitlines() if line.startswith("{"))), result.stdout


def test_a_build_shares_each_tag_among_its_briefings_when_it_reads_them_and_when_it_takes_them_kept(tmp_path):
    (tmp_path / "content" / "briefings").mkdir(parents=True)
    for day, title in enumerate(["Alpha", "Bravo", "Charlie"], start=1):
        (tmp_path / "content" / "briefings" / f"{title.lower()}.md").write_text(
            f"Title: {title}\nDate: 2024-01-0{day}\nTags: Taliban, {title} Tag\n\n{title} said it.\n", "utf-8")
    read, _ = shared_in_a_build(tmp_path / "content", tmp_path / "output")
    charlie = tmp_path / "content" / "briefings" / "charlie.md"
    charlie.write_text(charlie.read_text("utf-8").replace("said it", "said more"), "utf-8")
    kept, said = shared_in_a_build(tmp_path / "content", tmp_path / "output")

    assert kept_report(2, 3) in said  # Alpha and Bravo unpickled, each on its own

    for shared in (read, kept):
        assert shared["tags"] == {"Taliban": 1, "Alpha Tag": 1, "Bravo Tag": 1, "Charlie Tag": 1}
        assert shared["title keys"] == 1
