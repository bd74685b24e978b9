"""Entities and events survive the trip through Markdown metadata, readable and correctable,
and first mentions become links without turning seed text into markup."""

import sys
from datetime import date
from pathlib import Path

import markdown as markdown_lib
import pytest

from briefing.markdown import render
from briefing.model import Briefing, Entity, Event, PublishedDate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from entities.metadata import link_first_mentions, parse_entities, parse_events  # noqa: E402


def metadata_of(text):
    md = markdown_lib.Markdown(extensions=["meta"])
    md.convert(text)
    return md.Meta


def briefing():
    return Briefing(
        "x.txt", title="T", date=PublishedDate(date(2021, 10, 24), "day"), slug="t",
        paragraphs=["CNN reported on Saturday that the TTP | agreed."],
        entities=[Entity("TTP", "organisation", ["Tehreek-e-Taliban Pakistan", "TTP"]),
                  Entity("Sajid Iqbal", "person", ["Sajid Iqbal", "Iqbal"], known=False)],
        events=[Event(PublishedDate(date(2021, 10, 23), "day"),
                      "CNN reported on Saturday that the TTP | agreed.", "p-1", ["CNN", "TTP"],
                      False, "on Saturday"),
                Event(PublishedDate(date(2021, 11, 1), "month"), "They will meet next month.",
                      "p-2", [], True, "next month")])


def test_entities_and_events_are_readable_lines_that_parse_back():
    text = render(briefing(), "sources/t.txt")
    assert "Entities: TTP (organisation): Tehreek-e-Taliban Pakistan; TTP\n" \
           "    Sajid Iqbal (person, discovered): Sajid Iqbal; Iqbal" in text
    assert "Events: 2021-10-23 | p-1 | on Saturday | CNN; TTP | CNN reported on Saturday" in text
    meta = metadata_of(text)
    assert parse_entities(meta["entities"], "t.md") == [
        {"name": "TTP", "type": "organisation", "discovered": False,
         "forms": ["Tehreek-e-Taliban Pakistan", "TTP"]},
        {"name": "Sajid Iqbal", "type": "person", "discovered": True, "forms": ["Sajid Iqbal", "Iqbal"]},
    ]
    first, second = parse_events(meta["events"], "t.md")
    assert first == {"iso_date": "2021-10-23", "precision": "day", "planned": False, "anchor": "p-1",
                     "expression": "on Saturday", "actors": ["CNN", "TTP"],
                     "sentence": "CNN reported on Saturday that the TTP | agreed."}
    assert (second["iso_date"], second["precision"], second["planned"]) == ("2021-11", "month", True)


def test_an_editors_line_without_spellings_or_with_a_typo_is_kept_or_named(caplog):
    parsed = parse_entities(["Khawaja Asif (person)", "Nonsense line"], "content/briefings/t.md")
    assert parsed == [{"name": "Khawaja Asif", "type": "person", "discovered": False,
                       "forms": ["Khawaja Asif"]}]
    assert "content/briefings/t.md" in caplog.text and "Nonsense line" in caplog.text


def test_only_the_first_mention_is_linked_and_text_stays_escaped():
    content = ('<p id="p-1">&lt;b&gt;TTP&lt;/b&gt; and the TTP again.</p>\n\n'
               '<p id="p-2">The TTP and Tehreek-e-Taliban Pakistan.</p>')
    entities = [{"name": "TTP", "forms": ["Tehreek-e-Taliban Pakistan", "TTP"], "slug": "ttp"}]
    linked = link_first_mentions(content, entities, lambda e: f"../entity/{e['slug']}.html")
    assert linked == ('<p id="p-1">&lt;b&gt;<a class="entity-link" href="../entity/ttp.html">TTP</a>'
                      '&lt;/b&gt; and the TTP again.</p>\n\n'
                      '<p id="p-2">The TTP and Tehreek-e-Taliban Pakistan.</p>')
    assert entities[0]["mention"] == {"anchor": "p-1", "before": "<b>", "text": "TTP",
                                      "after": "</b> and the TTP again."}


# ------------------------------------------------------------------ reading through the build cache

CAPTION_BRIEFING = """Title: The "TTP" and Pakistan's talks
Date: 2021-10-24
Summary: Pakistan's talks with the TTP -- "a first".
Caption: Iqbal speaks in Peshawar.
Entities: TTP (organisation): Tehreek-e-Taliban Pakistan; TTP
    Sajid Iqbal (person, discovered): Sajid Iqbal; Iqbal
    Pakistan (place): Pakistan
    Nowhere (place): Nowhere
    Not an entity line
Events: 2021-10-23 | p-1 | on Saturday | CNN; TTP | CNN reported on Saturday that the TTP agreed.
    2021-11 planned | p-2 | next month | | They will meet next month.
    not an event line

<p id="p-1">CNN reported on Saturday that the "TTP" agreed &amp; Pakistan's army didn't.</p>

<p id="p-2">They will meet next month, the Tehreek-e-Taliban Pakistan said.</p>
"""


def reading_settings(tmp_path, **overrides):
    from pelican.settings import read_settings  # noqa: PLC0415

    return read_settings(None, override={
        "PATH": str(tmp_path), "ARTICLE_PATHS": ["briefings"], "PAGE_PATHS": [],
        "TYPOGRIFY": True, "FORMATTED_FIELDS": [], "RELATIVE_URLS": True,
        "ARTICLE_URL": "briefings/{slug}.html", "ENTITY_URL": "entity/{slug}.html",
        "CACHE_CONTENT": False, "TIMEZONE": "UTC", **overrides})


def read_briefing(path: Path, settings: dict, cached: bool):
    """Read `path` as Pelican does (typogrify included), through the briefing reader, the build
    cache if `cached`, and the entity reader; the cache is saved after, as at the end of a build."""
    from briefing_reader.briefing_reader import BriefingMarkdownReader  # noqa: PLC0415
    from build_cache import build_cache  # noqa: PLC0415
    from entities.metadata import reading_entities  # noqa: PLC0415
    from pelican.contents import Article  # noqa: PLC0415
    from pelican.readers import Readers  # noqa: PLC0415

    base = build_cache.caching_reader(BriefingMarkdownReader) if cached else BriefingMarkdownReader
    settings = {**settings, "READERS": {"md": reading_entities(base, settings)}}
    if cached:
        build_cache.store_for(settings)
    build_cache.install_typogrify_cache()
    try:
        return Readers(settings).read_file(str(path.parent), path.name, content_class=Article,
                                           context={})
    finally:
        build_cache.save_cache(None)


def facts(article) -> tuple:
    """What a read gives: the HTML, and every metadata value with records as their fields."""
    def plain(value):
        if isinstance(value, list):
            return [plain(item) for item in value]
        slots = getattr(type(value), "__slots__", None)
        if slots:
            return type(value).__name__, {name: plain(getattr(value, name)) for name in slots
                                          if hasattr(value, name)}
        return value

    return article._content, {name: plain(value) for name, value in article.metadata.items()}


@pytest.fixture
def counted(monkeypatch):
    """Calls of the entity reader's derive() and of typogrify's own function."""
    from typogrify import filters  # noqa: PLC0415

    import entities.metadata as metadata  # noqa: PLC0415

    calls = {"derive": 0, "typogrify": 0}
    derive, original = metadata.derive, getattr(filters.typogrify, "original", filters.typogrify)

    def counting_derive(*args):
        calls["derive"] += 1
        return derive(*args)

    def counting_typogrify(*args, **kwargs):
        calls["typogrify"] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(metadata, "derive", counting_derive)
    monkeypatch.setattr(filters, "typogrify", counting_typogrify)  # the cache wraps this one
    return calls


def caption_briefing(tmp_path):
    """CAPTION_BRIEFING in a content folder, and the settings to read it with."""
    path = tmp_path / "briefings" / "t.md"
    path.parent.mkdir()
    path.write_text(CAPTION_BRIEFING, "utf-8")
    return path, reading_settings(tmp_path)


def test_a_rebuild_reads_a_briefing_from_the_cache_as_a_fresh_read_would(tmp_path, counted, caplog):
    path, settings = caption_briefing(tmp_path)
    fresh = facts(read_briefing(path, settings, cached=False))
    assert 'class="entity-link" href="../entity/ttp.html"' in fresh[0]
    assert "&#8220;" in fresh[0] and "&#8220;" in fresh[1]["title"]  # typogrified
    first = facts(read_briefing(path, settings, cached=True))
    calls_before = dict(counted)
    again = facts(read_briefing(path, settings, cached=True))
    assert counted == calls_before  # neither derived nor typogrified again
    assert fresh == first == again
    copy = path.with_name("copy.md")  # the same bytes: the same entry
    copy.write_bytes(path.read_bytes())
    caplog.clear()
    assert facts(read_briefing(copy, settings, cached=True)) == fresh
    assert counted == calls_before
    warnings = [record.getMessage() for record in caplog.records]
    assert any(str(copy) in text and "Not an entity line" in text for text in warnings)
    assert any(str(copy) in text and "not an event line" in text for text in warnings)


@pytest.mark.parametrize("change", [
    {"ENTITY_URL": "actors/{slug}/"}, {"SLUG_REGEX_SUBSTITUTIONS": [(r"[^\w\s-]", ""), (r"\s+", "_")]},
    {"TYPOGRIFY_DASHES": "oldschool"}, {"TYPOGRIFY_IGNORE_TAGS": ["p"]},
    {"TYPOGRIFY_OMIT_FILTERS": ["caps"]}, {"TYPOGRIFY": False}, "file"], ids=str)
def test_what_a_cached_read_depends_on_gives_a_new_read(tmp_path, counted, change):
    path, settings = caption_briefing(tmp_path)
    before = facts(read_briefing(path, settings, cached=True))
    if change == "file":
        path.write_text(CAPTION_BRIEFING.replace("Iqbal speaks", "Sajid Iqbal speaks"), "utf-8")
    else:
        settings = reading_settings(tmp_path, **change)
    calls_before = counted["derive"]
    after = facts(read_briefing(path, settings, cached=True))
    assert counted["derive"] == calls_before + 1
    assert after == facts(read_briefing(path, settings, cached=False))
    assert after != before


@pytest.mark.parametrize("change", [{"RELATIVE_URLS": False, "SITEURL": "https://x.org"},
                                    {"ARTICLE_URL": "{slug}.html"}], ids=str)
def test_another_way_to_the_site_root_reuses_what_was_derived(tmp_path, counted, change):
    """`make publish` links absolutely, `make html` relatively: the links are rooted after the
    cache, so one entry serves both, neither derived nor typogrified again."""
    path, settings = caption_briefing(tmp_path)
    before = facts(read_briefing(path, settings, cached=True))
    settings = reading_settings(tmp_path, **change)
    calls_before = dict(counted)
    after = facts(read_briefing(path, settings, cached=True))
    assert counted == calls_before
    assert after == facts(read_briefing(path, settings, cached=False))
    assert after != before
    assert 'href="../entity/ttp.html"' in before[0]
    assert ('href="https://x.org/entity/ttp.html"' if "SITEURL" in change else 'href="entity/ttp.html"') in after[0]
