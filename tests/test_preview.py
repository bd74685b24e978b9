"""`make devserver`'s preview: the last build's keeper (plugins/preview) writes what an edit to a
briefing's text alone changes (its page, its seed copy, the search files), byte for byte the
site a build writes, so that no build is needed; it says why not for any other change, and
where the site has feeds it leaves them to the build that follows."""

import contextlib
import os
import random
import re
import select
import shutil
import sys
import time
from pathlib import Path
from typing import NamedTuple

import pytest
from blinker import signal as named_signal
from conftest import ROOT, SEEDS, built_output

sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "plugins"))

import build  # noqa: E402
import convert  # noqa: E402
import devserver  # noqa: E402
from briefing.corpus import write_corpus  # noqa: E402
from briefing.preview import Keeper  # noqa: E402
from briefing.up_to_date import BuildInputs, BuildStamp  # noqa: E402
from preview import shown_fields  # noqa: E402  (the plugin, from plugins/)
from preview.preview import shaped  # noqa: E402
from test_devserver import base_url, builds_done, eventually, start, started, stopped, tree  # noqa: E402

TEXT_ONLY = "\nThe ministry later corrected the figure in a statement.\n"
NEW_WORD = "\nThe ministry later corrected the zqxwvish figure in a statement.\n"  # the only "zq…" word
EDITED = "us-is-back-in-pakistan-with-a-renewed-zeal-for-counterterrorism"  # the third seed's briefing


def seed_folder(tmp_path: Path) -> Path:
    """tmp_path/seeds, holding the project's five seeds."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, seeds)
    return seeds


def process_status(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command's name (state, parent …); [] if it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie, ended but not yet reaped, does not)."""
    status = process_status(pid)
    return bool(status) and status[0] not in {"Z", "X"}


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    seed_folder(tmp_path)
    shutil.copytree(ROOT / "content" / "pages", tmp_path / "content" / "pages")
    return tmp_path


def arguments(workdir: Path, settings: Path = ROOT / "pelicanconf.py"):
    return devserver.parse_args([str(workdir / "seeds"), str(workdir / "content"), str(workdir / "output"),
                                 "-s", str(settings)])


def settings_with(workdir: Path, extra: str) -> Path:
    """pelicanconf.py with an absolute SITEURL (as feeds need) and `extra` lines."""
    settings = workdir / "with_feeds_conf.py"
    settings.write_text(f"import runpy\nglobals().update({{n: v for n, v in runpy.run_path({str(ROOT / 'pelicanconf.py')!r})"
                        f".items() if n.isupper()}})\nTHEME = {str(ROOT / 'theme')!r}\n"
                        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n{extra}\n"
                        "SITEURL = 'https://briefings.example.org'\n", "utf-8")
    return settings


def kept_build(args) -> Keeper:
    """Convert and build as the devserver does, leaving a keeper."""
    assert devserver.forked(convert.main, devserver.convert_arguments(args))[0] == 0
    keeper = Keeper()
    status, _ = devserver.forked(devserver.build_here, args, keeper)
    keeper.build_started()
    assert status == 0
    assert keeper.wait_ready(), "the build left no keeper"
    return keeper


def edited(seed: Path, old: str, new: str) -> None:
    text = seed.read_text("utf-8")
    assert old in text
    seed.write_text(text.replace(old, new, 1), "utf-8")


def text_edit_previewed(args, keeper: Keeper) -> dict:
    """TEXT_ONLY added to the third seed, previewed (see previewed); then the keeper dismissed."""
    seed = sorted(args.seed_dir.glob("*.txt"))[2]
    try:
        seed.write_text(seed.read_text("utf-8") + TEXT_ONLY, "utf-8")
        return previewed(args, keeper)
    finally:
        keeper.close()


def previewed(args, keeper: Keeper) -> dict:
    """Convert, have the keeper preview, and sign the site again, as the devserver does."""
    assert devserver.forked(convert.main, devserver.convert_arguments(args))[0] == 0
    answer, record = devserver.previewed(args, keeper, time.perf_counter())
    assert answer.get("reason") is None, answer
    record()
    return answer


class EditRound(NamedTuple):
    """A seed edited and the edit undone, each finished by the keeper (its answers), with the
    sites: before the edit, after it, built from nothing after it, and after the undoing; and
    the site's arguments and the keeper (closed), for what a test checks besides."""

    args: object
    keeper: Keeper
    first: dict
    second: dict
    before: dict[str, bytes]
    edited: dict[str, bytes]
    whole: dict[str, bytes]
    undone: dict[str, bytes]


def from_content(args) -> Path:
    """The site's content built from nothing, with its settings, into workdir/whole."""
    whole = args.output_dir.parent / "whole"
    assert devserver.forked(build.main, [str(args.content_dir), str(whole), "-s", str(args.settings)])[0] == 0
    return whole


def edit_and_undo(workdir: Path, edit: tuple[int, str, str], settings: Path = ROOT / "pelicanconf.py",
                  from_nothing=from_content) -> EditRound:
    """Build as the devserver does, leaving a keeper; make `edit` (the seed's number, a text in
    it, what replaces it) and have the keeper finish it; build the same site from nothing
    (`from_nothing(args)`: its output folder); undo the edit and have the keeper finish that
    too."""
    args = arguments(workdir, settings)
    keeper = kept_build(args)
    before = tree(args.output_dir)
    number, old, new = edit
    seed = sorted((workdir / "seeds").glob("*.txt"))[number]
    text = seed.read_text("utf-8")
    try:
        edited(seed, old, new)
        first = previewed(args, keeper)
        whole = tree(from_nothing(args))
        after = tree(args.output_dir)
        seed.write_text(text, "utf-8")
        second = previewed(args, keeper)
        undone = tree(args.output_dir)
    finally:
        keeper.close()
    return EditRound(args, keeper, first, second, before, after, whole, undone)


def test_a_text_edit_is_finished_by_the_keeper_as_the_whole_build_writes_the_site(workdir):
    """The keeper writes the edited briefing's page, its seed copy and the search files, and
    the site is then byte for byte what a build from nothing makes of the same seeds. It
    answers the next edit too: the first one undone, which deletes the search shard of the
    word the first one added. Built from nothing means from the seeds, converted anew."""
    text = sorted((workdir / "seeds").glob("*.txt"))[2].read_text("utf-8")
    ending = text[-60:]  # NEW_WORD goes after it: at the end of the seed
    assert text.count(ending) == 1
    done = edit_and_undo(workdir, (2, ending, ending + NEW_WORD),
                         from_nothing=lambda args: built_output(args.seed_dir, workdir / "whole"))
    first, second, args = done.first, done.second, done.args
    assert first["complete"] and second["complete"]
    assert [name for name in first["written"] if not name.startswith("search/")] == [
        f"briefings/{EDITED}.html", f"sources/{EDITED}.txt"]
    assert "search/terms/zq.js" in first["written"] and "search/terms/zq.js" in second["written"]
    assert b"zqxwvish" in done.edited[f"briefings/{EDITED}.html"] and "search/terms/zq.js" in done.edited
    assert done.edited == done.whole
    assert done.undone == done.before
    stamp = BuildStamp(args.content_dir, args.output_dir.resolve(), args.settings, [])
    assert stamp.site_is_current(), "the next make html would build again what the keeper finished"
    assert eventually(lambda: not alive(done.keeper.pid), timeout=10), "the keeper did not end"


QUOTED = (2, "demonstrates no desire to compromise", "demonstrates no real desire to compromise")


@pytest.mark.parametrize(("extra", "quoting"), [
    ("", ["entity/al-qaeda.html", "entity/islamabad.html"]),  # their first mentions are in it
    ("ENTITY_ONE_PAGE_MAX = 1", ["entity/al-qaeda/2022.html", "entity/islamabad/2022.html"]),  # year pages
])
def test_an_edit_to_a_quoted_sentence_is_written_on_the_entity_pages_that_quote_it(workdir, extra, quoting):
    """Entity pages quote the sentence of each briefing that first names the entity: rewording
    it changes those pages too (an entity's page, or its year page when it has year pages).
    The keeper writes them, and the site is byte for byte what a build from nothing makes;
    the edit undone, it writes them back."""
    done = edit_and_undo(workdir, QUOTED, settings_with(workdir, extra))
    assert done.first["complete"] and set(quoting) <= set(done.first["written"]) and set(quoting) <= set(
        done.second["written"])
    assert not any(name.startswith(("entity/", "tag/")) and name not in quoting for name in done.first["written"])
    assert b"demonstrates no real desire" in done.edited[quoting[1]]
    assert done.edited == done.whole
    assert done.undone == done.before


YEAR_PAGES = "CHRONOLOGY_ONE_PAGE_MAX = 1\nENTITY_ONE_PAGE_MAX = 1"
PEACE_DEAL = (1, "While the US and Taliban reached a peace deal", "While the US and Taliban had reached a peace deal")
CHINESE_PROJECT = (0, "last month called the Chinese project", "last month described the Chinese project")


@pytest.mark.parametrize(("extra", "edit", "showing"), [
    ("", PEACE_DEAL, ["chronology.html", "entity/taliban.html"]),  # one chronology page and its timeline
    (YEAR_PAGES, PEACE_DEAL, ["chronology/2020.html", "entity/taliban/2020.html"]),  # a year's page
    (YEAR_PAGES, CHINESE_PROJECT, ["chronology/2021-09.html", "chronology/2021.html",  # a month's, its year's timeline
                                   "entity/zabihullah-mujahid.html"]),
])
def test_a_reworded_event_sentence_is_written_wherever_the_event_is_shown(workdir, extra, edit, showing):
    """Rewording the sentence that tells an event changes only that sentence in the briefing's
    metadata: the keeper writes the pages that show the event (chronology, entity pages,
    timelines), and the site is byte for byte what a build from nothing makes (one chronology
    page; year and month pages). The edit undone, it writes them back."""
    done = edit_and_undo(workdir, edit, settings_with(workdir, extra))
    assert done.first["complete"] and done.first["written"] == done.second["written"]
    for page in showing:
        assert page in done.first["written"] and edit[2].encode() in done.edited[page], page
    assert done.edited == done.whole
    assert done.undone == done.before


LEDE = (2, "which has formed the core of America", "which has formed the very core of America")


def test_plugins_prepare_the_first_preview_in_the_keeper_before_it_answers(workdir):
    """`briefing_keeper_waiting` reaches the keeper, with the build's settings, before it answers
    its first request, so that a plugin can make there what every preview needs (the first one
    after a build took a third longer than the next while the keeper parsed every template
    and made its Markdown); the first preview after it is still the build's site."""
    told = workdir / "told"

    def waiting(settings):
        told.write_text(f"{os.getpid()} {settings['SITENAME']}", "utf-8")

    named_signal("briefing_keeper_waiting").connect(waiting, weak=False)  # the forks inherit it
    try:
        done = edit_and_undo(workdir, LEDE)
    finally:
        named_signal("briefing_keeper_waiting").disconnect(waiting)
    assert told.read_text("utf-8") == f"{done.keeper.pid} Briefings"
    assert done.edited == done.whole and done.undone == done.before


@pytest.mark.parametrize(("extra", "showing"), [
    ("FEEDS_PATH = 'feeds'", ["index.html", "tag/ttp.html", "feeds/all.atom.xml", "feeds/tag/ttp.atom.xml"]),
    ("TAG_ONE_PAGE_MAX = 1", ["index.html", "tag/ttp/2022.html"]),  # a tag's year page
])
def test_a_reworded_summary_is_written_on_the_pages_that_list_the_briefing(workdir, extra, showing):
    """Rewording the first paragraph rewords the summary, which the pages listing the briefing
    show (the home page, its tags' pages, the feeds): the keeper writes them, and the site is
    byte for byte what a build from nothing makes. The edit undone, it writes them back."""
    done = edit_and_undo(workdir, LEDE, settings_with(workdir, extra))
    assert done.first["complete"] and done.first["written"] == done.second["written"]
    for page in showing:
        assert page in done.first["written"] and LEDE[2].encode() in done.edited[page], page
    assert done.edited == done.whole
    assert done.undone == done.before


CAPTION = (0, "Closely aligned with Taliban.", "Closely aligned with the Taliban.")
BOILERPLATE = (1, "Listen Live\n", "")  # a line the converter removes, deleted from the seed


@pytest.mark.parametrize(("edit", "page"), [
    (CAPTION, "briefings/us-is-formalizing-an-agreement-with-pakistan-to-use-its-airspace.html"),
    (BOILERPLATE, "briefings/pentagon-and-us-state-department-have-been-pursuing-former-soviet-republics.html"),
])
def test_an_edit_to_what_only_its_own_page_shows_is_written_on_that_page(workdir, edit, page):
    """A photo caption reworded (its Caption and Removed lines), or a line the converter
    removes deleted from the seed (a Removed line): only the briefing's own page shows those.
    The keeper writes it, and no other page, and the site is byte for byte what a build from
    nothing makes. The edit undone, it writes it back."""
    done = edit_and_undo(workdir, edit)
    assert done.first["complete"] and done.first["written"] == done.second["written"]
    assert page in done.first["written"] and done.edited[page] != done.before[page]
    assert not any(name.endswith(".html") and name != page and not name.startswith("entity/")
                   for name in done.first["written"])  # entity pages quote a caption's first mentions
    assert done.edited == done.whole
    assert done.undone == done.before


def test_the_keeper_compares_metadata_without_the_fields_it_sets_itself():
    """A shown field may be reworded (its Summary line), or come and go (a photo caption and
    its credit); any other change to the metadata block is one the keeper leaves to a build."""
    block = (b"Title: Talks in Kabul\nSummary: Talks began.\nCaption: Delegates in Doha.\n"
             b"Removed: [photo caption] Delegates in Doha.\n    [audio player] Listen Live\nTags: Kabul")
    shapes = shown_fields.shapes()
    same = (b"Title: Talks in Kabul\nSummary: Talks have begun.\n"
            b"Removed: [audio player] Listen Live\nCredit: Reuters\nTags: Kabul")
    assert shaped(same, shapes) == shaped(block, shapes)
    for other in (block.replace(b"Title: Talks in Kabul", b"Title: Talks in Doha"),
                  block.replace(b"\nSummary: Talks began.", b""),  # Pelican would cut one from the text
                  block.replace(b"Tags: Kabul", b"Tags: Kabul, Doha"),
                  block + b"\n    Doha"):  # a tag's continuation line
        assert shaped(other, shapes) != shaped(block, shapes)


def test_the_pages_that_may_show_a_briefings_fields_are_found_for_every_briefing_at_once():
    """shown_fields.Holders: a page may show a briefing's summary or caption when its template
    reads that field of something and its context holds the briefing (itself, in a list, in a
    list a value holds); a template chosen at render time may read anything. Found once for
    all briefings, in the pages' order."""
    import copy  # noqa: PLC0415
    from dataclasses import dataclass, field  # noqa: PLC0415

    from jinja2 import DictLoader, Environment  # noqa: PLC0415
    from parallel_render.reuse import template_names  # noqa: PLC0415
    from pelican.contents import Article  # noqa: PLC0415
    from pelican.settings import DEFAULT_CONFIG  # noqa: PLC0415

    @dataclass
    class TagYear:
        briefings: list = field(default_factory=list)

    @dataclass
    class Page:
        template: object
        own: dict
        base: dict

    environment = Environment(loader=DictLoader({
        "list.html": "{% for a in articles %}{{ a.summary }}{% endfor %}",
        "year.html": "{% for a in tag_year.briefings %}{{ a['summary'] }}{% endfor %}",
        "own.html": "{{ article.caption }}",
        "title.html": "{{ article.title }}{% for a in articles %}{{ a.title }}{% endfor %}",
        "chosen.html": "{% include chosen %}",
    }))
    settings = copy.deepcopy(DEFAULT_CONFIG)
    a, b, c = (Article(f"<p>{name}</p>", metadata={"title": name}, settings=settings, source_path=f"{name}.md",
                       context={}) for name in "abc")
    base = {"articles": [a, b, c], "chosen": "own.html"}
    pages = [Page(environment.get_template("list.html"), {"articles": [b, a]}, base),
             Page(environment.get_template("year.html"), {"tag_year": TagYear([c])}, base),
             Page(environment.get_template("own.html"), {"article": a}, base),
             Page(environment.get_template("title.html"), {"article": a}, base),
             Page(environment.get_template("chosen.html"), {"article": b}, base)]
    holders = shown_fields.Holders(pages, lambda page: template_names(environment, page.template.name))
    list_page, year_page, own_page, _, chosen_page = pages
    assert holders.pages_showing(a, ["summary"]) == [list_page, chosen_page]
    assert holders.pages_showing(a, ["caption"]) == [own_page, chosen_page]
    assert holders.pages_showing(a, ["summary", "caption"]) == [list_page, own_page, chosen_page]
    assert holders.pages_showing(b, ["caption"]) == [chosen_page]
    assert holders.pages_showing(c, ["summary"]) == [year_page, chosen_page]
    assert holders.pages_showing(c, ["removed"]) == [chosen_page]


ADDED_PARAGRAPH = "\n    The ministry later corrected the figure in a statement.\n"


def test_a_paragraph_added_before_events_moves_their_sources_where_they_are_shown(workdir):
    """A paragraph added before the paragraphs that tell events (and first name entities)
    numbers those paragraphs again: the keeper writes the pages that link to them (the
    chronology's sources, the entity pages' quotes), and the site is byte for byte what a
    build from nothing makes. Removed again, it writes them back."""
    args = arguments(workdir)
    keeper = kept_build(args)
    site_before = tree(args.output_dir)
    seed = sorted((workdir / "seeds").glob("*.txt"))[1]
    text = seed.read_text("utf-8")
    lede_end = text.index("\n\n", text.index("The Pentagon and US State Department")) + 1
    try:
        seed.write_text(text[:lede_end] + ADDED_PARAGRAPH + text[lede_end:], "utf-8")
        first = previewed(args, keeper)
        whole = workdir / "whole"
        assert devserver.forked(build.main, [str(args.content_dir), str(whole), "-s", str(args.settings)])[0] == 0
        site_edited = tree(args.output_dir)
        seed.write_text(text, "utf-8")
        second = previewed(args, keeper)
        site_undone = tree(args.output_dir)
    finally:
        keeper.close()
    assert first["complete"] and first["written"] == second["written"]
    assert "chronology.html" in first["written"] and "entity/imran-khan.html" in first["written"]
    assert b"pentagon-and-us-state-department-have-been-pursuing-former-soviet-republics.html#p-3" in site_edited[
        "chronology.html"]  # the Sunday interview, paragraph 2 before
    assert site_edited == tree(whole)
    assert site_undone == site_before


def edit_at_random(chance: random.Random, seeds: list[Path]) -> None:
    """An editor's edit to a seed drawn at random: a misspelling in its first or a middle
    paragraph, a paragraph added in the middle, or a short line deleted (often one the
    converter removes: a newsletter prompt, a byline, a caption's credit)."""
    while True:
        seed = chance.choice(seeds)
        try:
            text = seed.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        blocks = [block for block in re.finditer(r"[^\r\n]+(?:\r?\n[^\r\n]+)*", text) if len(block.group().split()) >= 15]
        if len(blocks) < 3:
            continue
        kind = chance.choice(["first", "middle", "added", "deleted"])
        if kind == "deleted":
            short = [line for line in re.finditer(r"(?m)^[^\r\n]+\r?\n", text)
                     if line.start() > 0 and 0 < len(line.group().split()) < 8]
            if short:
                line = chance.choice(short)
                seed.write_bytes((text[:line.start()] + text[line.end():]).encode("utf-8"))
                return
            continue
        block = blocks[0] if kind == "first" else blocks[len(blocks) // 2]
        if kind == "added":
            seed.write_bytes((text[:block.end()] + ADDED_PARAGRAPH + text[block.end():]).encode("utf-8"))
            return
        words = list(re.finditer(r"\b[a-z]{5,}\b", block.group()))
        if words:
            word = chance.choice(words)
            start, letters = block.start() + word.start(), word.group()
            misspelt = letters[:2] + letters[3] + letters[2] + letters[4:]
            seed.write_bytes((text[:start] + misspelt + text[start + len(letters):]).encode("utf-8"))
            return


def test_edits_one_after_another_leave_the_site_a_build_from_nothing_would_write(tmp_path, monkeypatch):
    """Edits made one after another to seeds of a synthetic corpus drawn at random: after each,
    whether the keeper finished it or (its metadata changed otherwise) the site was built
    again, the site is byte for byte what a build from nothing makes of the same seeds."""
    monkeypatch.chdir(ROOT)
    write_corpus(40, tmp_path / "seeds")
    shutil.copytree(ROOT / "content" / "pages", tmp_path / "content" / "pages")
    args = arguments(tmp_path)
    keeper = kept_build(args)
    chance = random.Random(5)
    finished = 0
    try:
        for number in range(12):
            edit_at_random(chance, sorted(args.seed_dir.glob("*.txt")))
            rebuilt = devserver.rebuild(args, keeper, time.perf_counter())  # as the devserver does after a save
            assert rebuilt.success and rebuilt.keeper is not None
            finished += rebuilt.keeper is keeper and rebuilt.then is not None  # previewed, no build
            keeper = rebuilt.keeper
            if rebuilt.then is not None:
                rebuilt.then()
            whole = tmp_path / f"whole-{number}"
            assert devserver.forked(build.main, [str(args.content_dir), str(whole), "-s", str(args.settings)])[0] == 0
            assert tree(args.output_dir) == tree(whole), f"edit {number}"
    finally:
        keeper.close()
    assert finished >= 8  # most such edits need no build


def test_a_change_to_an_event_beyond_its_sentence_is_left_to_the_build(workdir):
    """A new date for an event changes where it is: the keeper says so and writes nothing."""
    args = arguments(workdir)
    keeper = kept_build(args)
    try:
        edited(sorted((workdir / "seeds").glob("*.txt"))[1], "peace deal in February 2020", "peace deal in March 2020")
        assert devserver.forked(convert.main, devserver.convert_arguments(args))[0] == 0
        answer = keeper.preview(args.output_dir.resolve())
    finally:
        keeper.close()
    assert answer["reason"].startswith("the metadata of briefings/pentagon-") and "written" not in answer


def test_a_file_changed_after_the_keeper_read_it_leaves_the_next_build_to_run(workdir, monkeypatch):
    """The devserver fingerprints the inputs while the keeper writes the edit, and records
    them once the keeper says that every file is still as it read it. A briefing changed
    after the keeper read it and before the fingerprint was taken: no record, so the next
    build runs (the site shows the text the keeper read)."""
    args = arguments(workdir)
    keeper = kept_build(args)
    seed = sorted((workdir / "seeds").glob("*.txt"))[2]
    briefing = args.content_dir / "briefings" / f"{EDITED}.md"

    def after_the_keeper(*arguments):
        select.select([keeper.reply_read], [], [], 60)  # it has answered: it read the briefing
        briefing.write_text(briefing.read_text("utf-8").replace("corrected the figure", "corrected the sum"), "utf-8")
        return BuildInputs(*arguments)

    monkeypatch.setattr(devserver, "BuildInputs", after_the_keeper)
    try:
        seed.write_text(seed.read_text("utf-8") + TEXT_ONLY, "utf-8")
        assert devserver.forked(convert.main, devserver.convert_arguments(args))[0] == 0
        answer, record = devserver.previewed(args, keeper, time.perf_counter())
        assert answer["complete"] and not keeper.as_read()
        record()
    finally:
        keeper.close()
    assert b"corrected the sum" not in (args.output_dir / "briefings" / f"{EDITED}.html").read_bytes()
    assert not BuildStamp(args.content_dir, args.output_dir.resolve(), args.settings, []).site_is_current()


def test_with_feeds_the_keeper_updates_the_feed_of_all_briefings_as_a_build_does(workdir):
    """The feed of all briefings carries their text (plugins/feeds): the keeper writes it
    again, and the site is what a build writes."""
    settings = settings_with(workdir, "FEEDS_PATH = 'feeds'")
    args = arguments(workdir, settings)
    answer = text_edit_previewed(args, kept_build(args))
    assert answer["complete"] and "feeds/all.atom.xml" in answer["written"], answer
    assert not any(name.startswith("feeds/tag/") for name in answer["written"])  # summaries only
    whole = workdir / "whole"
    assert devserver.forked(build.main, [str(args.content_dir), str(whole), "-s", str(settings)])[0] == 0
    assert b"corrected the figure" in (whole / "feeds" / "all.atom.xml").read_bytes()
    assert tree(args.output_dir) == tree(whole)


def test_with_pelicans_own_feeds_the_page_is_previewed_and_the_rest_left_to_the_build(workdir):
    """Pelican's feeds carry a briefing's text: the keeper writes the page, and says the build
    must write the rest."""
    settings = settings_with(workdir, "FEED_ALL_ATOM = 'feeds/everything.atom.xml'")
    args = arguments(workdir, settings)
    keeper = kept_build(args)
    feed = (args.output_dir / "feeds" / "everything.atom.xml").read_bytes()
    answer = text_edit_previewed(args, keeper)
    assert answer["complete"] is False and answer["rest"] == "Pelican's feeds show a briefing's text (FEED_ALL_ATOM)"
    assert answer["written"] == [f"briefings/{EDITED}.html", f"sources/{EDITED}.txt"]
    assert b"corrected the figure" in (args.output_dir / "briefings" / f"{EDITED}.html").read_bytes()
    assert (args.output_dir / "feeds" / "everything.atom.xml").read_bytes() == feed


def test_the_build_after_a_preview_takes_the_other_pages_from_the_site(workdir):
    """The preview changed files of the built site; the next build must still find it as its
    last build left it but for those, and so take the unchanged pages from it."""
    args = arguments(workdir)
    keeper = kept_build(args)
    seed = sorted((workdir / "seeds").glob("*.txt"))[2]
    seed.write_text(seed.read_text("utf-8") + TEXT_ONLY, "utf-8")
    assert devserver.forked(convert.main, devserver.convert_arguments(args))[0] == 0
    answer = keeper.preview(args.output_dir.resolve())
    keeper.close()
    devserver.record_preview(args.content_dir, args.output_dir.resolve(), answer["before"])
    stamp = BuildStamp(args.content_dir, args.output_dir.resolve(), args.settings, [])
    assert stamp.reusable_output() == args.output_dir.resolve()
    assert not stamp.site_is_current()  # its inputs changed: the build runs


def test_a_build_that_took_briefings_as_the_last_one_read_them_leaves_a_keeper_that_previews(workdir):
    """plugins/build_cache takes the briefings whose files did not change as the last build read
    them, without reading them again: the keeper must still know every file its build used."""
    args = arguments(workdir)
    kept_build(args).close()
    edited(sorted((workdir / "seeds").glob("*.txt"))[2], "date 2022-12-19", "date 2022-12-20")
    assert devserver.forked(convert.main, devserver.convert_arguments(args))[0] == 0
    answer = text_edit_previewed(args, kept_build(args))
    assert answer["complete"] and f"briefings/{EDITED}.html" in answer["written"]


@pytest.mark.parametrize(("change", "reason"), [
    (lambda seeds: edited(seeds[2], "date 2022-12-19", "date 2022-12-20"),
     "the metadata of briefings/us-is-back-in-pakistan-with-a-renewed-zeal-for-counterterrorism.md changed"),
    (lambda seeds: shutil.copy(seeds[0], seeds[0].with_name("copy.txt")), "a file was added or deleted"),
    (lambda seeds: None, "no content file changed"),
])
def test_any_other_change_is_not_previewed_and_says_why(workdir, change, reason):
    args = arguments(workdir)
    keeper = kept_build(args)
    page = args.output_dir / "briefings" / "us-is-back-in-pakistan-with-a-renewed-zeal-for-counterterrorism.html"
    before = page.read_bytes()
    try:
        change(sorted((workdir / "seeds").glob("*.txt")))
        assert devserver.forked(convert.main, devserver.convert_arguments(args))[0] == 0
        answer = keeper.preview(args.output_dir.resolve())
    finally:
        keeper.close()
    assert answer["reason"] == reason and "written" not in answer
    assert page.read_bytes() == before


def test_a_hand_written_pages_change_is_not_previewed(workdir):
    args = arguments(workdir)
    keeper = kept_build(args)
    try:
        about = next((workdir / "content" / "pages").glob("*.md"))
        about.write_text(about.read_text("utf-8") + "\nOne more line.\n", "utf-8")
        answer = keeper.preview(args.output_dir.resolve())
    finally:
        keeper.close()
    assert answer["reason"] == f"pages/{about.name} changed, and it is not a briefing"


@contextlib.contextmanager
def devserver_on_the_seeds(tmp_path: Path):
    """`make devserver` on a copy of the five seeds, once it serves (its first build done), and
    stopped when the block ends: (its process, the queue of its lines, the lines seen so far,
    its keepers, the third seed)."""
    seeds = seed_folder(tmp_path)
    process, lines = start(tmp_path, seeds)
    seen: list[str] = []
    try:
        base_url(lines, seen)
        yield process, lines, seen, keepers(tmp_path, process.pid), sorted(seeds.glob("*.txt"))[2]
    finally:
        stopped(process, lines, seen)


def test_the_devserver_finishes_a_text_edit_without_a_build_and_its_keepers_end_with_it(tmp_path):
    with devserver_on_the_seeds(tmp_path) as (process, lines, seen, keeper, seed):
        seed.write_text(seed.read_text("utf-8") + TEXT_ONLY, "utf-8")
        assert eventually(lambda: builds_done(lines, seen, 2)), "".join(seen)
        assert keepers(tmp_path, process.pid) == keeper, "no build ran: the same keeper waits"
        done = len(seen)
        edited(seed, "date 2022-12-19", "date 2022-12-20")
        assert eventually(lambda: builds_done(lines, seen, 3)), "".join(seen)
        copies = running_copies(tmp_path)
        assert len(keepers(tmp_path, process.pid)) == 1, "one keeper waits: the last build's"
        assert keepers(tmp_path, process.pid) != keeper
    printed, text_round = "".join(seen), "".join(seen[:done])
    assert text_round.count(f"[devserver] previewed briefings/{EDITED}.html in ") == 1, printed
    assert "nothing is left to build" in text_round and "Done: Processed" not in text_round.split("previewed")[-1]
    assert f"[devserver] no preview: the metadata of briefings/{EDITED}.md changed" in printed
    assert "Done: Processed" in "".join(seen[done:])
    assert eventually(lambda: not any(alive(pid) for pid in copies), timeout=10), "a process outlived the devserver"


def test_a_round_that_changed_no_content_file_keeps_the_keeper(tmp_path):
    """A seed saved again as it was is converted again, into the same briefing: the build
    would find the site current, so none runs, and the keeper stays for the next text edit."""
    with devserver_on_the_seeds(tmp_path) as (process, lines, seen, keeper, seed):
        seed.write_bytes(seed.read_bytes())
        assert eventually(lambda: builds_done(lines, seen, 2)), "".join(seen)
        done = len(seen)
        seed.write_text(seed.read_text("utf-8") + TEXT_ONLY, "utf-8")
        assert eventually(lambda: builds_done(lines, seen, 3)), "".join(seen)
        assert keepers(tmp_path, process.pid) == keeper, "a build ran: another keeper waits"
    unchanged, text_edit = "".join(seen[:done]), "".join(seen[done:])
    assert "nothing changed since the last build" in unchanged and "no preview" not in unchanged
    assert f"[devserver] previewed briefings/{EDITED}.html in " in text_edit, text_edit


def keepers(workdir: Path, devserver_pid: int) -> list[int]:
    """The devserver's keepers: its copies whose parent is none of them (a keeper's, a build
    that ended)."""
    copies = running_copies(workdir)
    return [pid for pid in copies if pid != devserver_pid and parent(pid) not in copies]


def parent(pid: int) -> int | None:
    status = process_status(pid)
    return int(status[1]) if status else None


def running_copies(workdir: Path) -> list[int]:
    """The processes whose command line names `workdir` (the devserver and its forks)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(workdir).encode() in (entry / "cmdline").read_bytes() and alive(int(entry.name)):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_a_devserver_started_on_an_up_to_date_site_previews_the_first_edit(tmp_path):
    """No build runs Pelican when the site is up to date, so none leaves a keeper: the
    devserver runs Pelican once more (taking every page) to have one. The stamp it records
    after reporting the finished edit tells the next make html that the site is current."""
    seeds = seed_folder(tmp_path)
    built_output(seeds, tmp_path)  # make html into tmp_path/content and tmp_path/output
    process, lines = start(tmp_path, seeds)
    seen: list[str] = []
    try:
        base_url(lines, seen)
        seed = sorted(seeds.glob("*.txt"))[2]
        seed.write_text(seed.read_text("utf-8") + TEXT_ONLY, "utf-8")
        assert eventually(lambda: builds_done(lines, seen, 2)), "".join(seen)
    finally:
        stopped(process, lines, seen)
    printed = "".join(seen)
    assert "nothing changed since the last build" in printed
    assert "[devserver] reading the site once more" in printed
    assert "[devserver] previewed briefings/us-is-back-in-pakistan" in printed, printed
    stamp = BuildStamp(tmp_path / "content", (tmp_path / "output").resolve(), ROOT / "pelicanconf.py", [])
    assert stamp.site_is_current(), "stopped after its report, the devserver left make html a build to run"


def test_no_preview_leaves_no_keeper(tmp_path):
    seeds = seed_folder(tmp_path)
    process, lines = started([sys.executable, str(ROOT / "scripts" / "devserver.py"), str(seeds),
                              str(tmp_path / "content"), str(tmp_path / "output"), "-s",
                              str(ROOT / "pelicanconf.py"), "--port", "0", "--no-preview"])
    seen: list[str] = []
    try:
        base_url(lines, seen)
        copies = running_copies(tmp_path)
        assert [pid for pid in copies if parent(pid) not in copies] == [process.pid]  # no keeper
        seed = sorted(seeds.glob("*.txt"))[2]
        seed.write_text(seed.read_text("utf-8") + TEXT_ONLY, "utf-8")
        assert eventually(lambda: builds_done(lines, seen, 2)), "".join(seen)
    finally:
        stopped(process, lines, seen)
    assert "[devserver] previewed" not in "".join(seen) and "[devserver] no preview" not in "".join(seen)
