"""The template context the theme (and the home-page dashboard) builds on: `entities`, `events`,
`article.entities`, `article.events`, as promised to template authors."""

import sys
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from chronology.chronology import add_chronology  # noqa: E402
from entities.entities import add_entities, load_gazetteer  # noqa: E402

SETTINGS = {"RELATIVE_URLS": True, "ENTITY_GAZETTEER": str(
    Path(__file__).resolve().parent.parent / "briefing" / "data" / "gazetteer.toml")}


def briefing(slug, day, entities, events):
    return SimpleNamespace(
        slug=slug, url=f"briefings/{slug}.html", title=slug, undated=False,
        date=datetime(2021, 10, day, tzinfo=timezone.utc), date_label=f"{day} October 2021",
        metadata={"entities": entities, "events": events}, tags=[])


def entity(name, kind, *forms):
    return {"name": name, "type": kind, "discovered": False, "forms": list(forms) or [name],
            "mention": {"anchor": "p-1", "before": "", "text": name, "after": " spoke."}}


def event(iso, anchor, actors, sentence):
    return {"iso_date": iso, "precision": {4: "year", 7: "month"}.get(len(iso), "day"),
            "planned": False, "anchor": anchor, "expression": "on Saturday", "actors": actors,
            "sentence": sentence}


def build():
    a = briefing("a", 24, [entity("Imran Khan", "person"), entity("Kabul", "place")],
                 [event("2021-10-23", "p-1", ["Imran Khan", "Kabul"], "Khan flew to Kabul on Saturday.")])
    b = briefing("b", 25, [entity("Imran Khan", "person", "PM Imran Khan"),
                           entity("Sajid Iqbal", "person")],
                 [event("2021-10-23", "p-2", ["Imran Khan"], "PM Imran Khan left on Saturday."),
                  event("2021-09", "p-3", ["Sajid Iqbal"], "Iqbal spoke last month.")])
    generator = SimpleNamespace(settings=SETTINGS, articles=[b, a], context={})
    add_entities(generator)
    add_chronology(generator)
    return generator.context, a, b


def test_entities_sorted_by_briefings_with_names_types_and_urls():
    context, a, b = build()
    entities = context["entities"]
    assert [(e.name, e.type, e.slug, e.url, e.count) for e in entities] == [
        ("Imran Khan", "person", "imran-khan", "entity/imran-khan.html", 2),
        ("Kabul", "place", "kabul", "entity/kabul.html", 1),
        ("Sajid Iqbal", "person", "sajid-iqbal", "entity/sajid-iqbal.html", 1),
    ]
    assert entities[0].briefings == [b, a]
    assert entities[2].discovered and not entities[0].discovered
    assert [e.name for e in a.entities] == ["Imran Khan", "Kabul"]


def test_events_merged_newest_first_with_sources_and_actors():
    context, a, b = build()
    first, second = context["events"]
    assert (first.iso_date, first.date_label, first.precision) == ("2021-10-23", "23 October 2021", "day")
    assert [(s.article, s.url) for s in first.sources] == [(b, "briefings/b.html#p-2"), (a, "briefings/a.html#p-1")]
    assert [actor.name for actor in first.actors] == ["Imran Khan", "Kabul"]
    assert (second.iso_date, second.date_label) == ("2021-09", "September 2021")
    assert [told.event for told in a.events] == [first] and [told.event for told in b.events] == [second, first]
    assert [(told.date_label, told.told_by) for told in b.events] == [("September 2021", 1), ("23 October 2021", 2)]
    assert context["entities"][0].events == [first]


def test_the_gazetteer_is_read_again_once_its_file_changed(tmp_path):
    """Parsed once while the file stays as it was (the keeper looks entities up in it at every
    preview); edited, it gives its new entries."""
    path = tmp_path / "gazetteer.toml"
    path.write_text("[[entity]]\nname = 'Imran Khan'\ntype = 'person'\naliases = ['IK']\n", "utf-8")
    settings = {"ENTITY_GAZETTEER": str(path)}
    assert load_gazetteer(settings)["ik"]["name"] == "Imran Khan"
    assert load_gazetteer(settings) is load_gazetteer(settings)
    path.write_text("[[entity]]\nname = 'Imran Ahmed Khan'\ntype = 'person'\naliases = ['IK', 'Khan']\n", "utf-8")
    assert load_gazetteer(settings)["ik"]["name"] == "Imran Ahmed Khan"
    assert "khan" in load_gazetteer(settings)
