"""Entities and events survive the trip through Markdown metadata, readable and correctable,
and first mentions become links without turning seed text into markup."""

import sys
from datetime import date
from pathlib import Path

import markdown as markdown_lib

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
