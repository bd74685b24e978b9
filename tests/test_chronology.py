"""Merging events: the index by date and actor finds exactly what comparing each event with
every event of its date found, in the same order."""

import pickle
import random
import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from chronology.chronology import Event, Source, add_chronology, merge_events, resentence, same_event  # noqa: E402
from parallel_render.reuse import Views  # noqa: E402


def merge_by_comparing_all(events: list[Event]) -> list[Event]:
    """The merge as first written: each event against every event of its date."""
    by_date = defaultdict(list)
    for event in events:
        group = by_date[event.iso_date]
        same = next((other for other in group if same_event(other, event)
                     and event.articles[0] not in other.articles), None)
        if same:
            same.sources += event.sources
            same.planned = same.planned and event.planned
            same.actors += [actor for actor in event.actors if actor not in same.actors]
        else:
            group.append(event)
    merged = [event for group in by_date.values() for event in group]
    merged.sort(key=lambda e: (e.iso_date, e.sources[0].article.slug, e.sources[0].anchor), reverse=True)
    return merged


def random_events(seed: int) -> list[Event]:
    chance = random.Random(seed)
    actors = [SimpleNamespace(slug=f"a{n}", type=chance.choice(["person", "organisation", "place"]))
              for n in range(8)]
    articles = [SimpleNamespace(slug=f"b{n}") for n in range(30)]
    events = []
    for n in range(300):
        article = chance.choice(articles)
        events.append(Event(chance.choice(["2024", "2024-05", "2024-05-02"]), "day", f"s{n}",
                            chance.random() < 0.3, [Source(article, f"p-{n}", f"s{n}", "")],
                            chance.sample(actors, chance.randint(0, 3))))
    return events


def described(events: list[Event]) -> list[tuple]:
    return [(e.iso_date, e.planned, e.id, [s.sentence for s in e.sources], [a.slug for a in e.actors])
            for e in events]


def test_the_index_merges_exactly_as_comparing_every_event_of_a_date():
    for seed in range(20):
        expected = merge_by_comparing_all(random_events(seed))
        got = merge_events(random_events(seed))
        assert [d[:2] + d[3:] for d in described(got)] == [d[:2] + d[3:] for d in described(expected)]
        assert sum(len(e.sources) > 1 for e in got) > 10  # merges happened


def test_each_briefing_gets_the_events_it_tells_and_its_own_sources_of_each():
    actors = [SimpleNamespace(name=name, aliases=[], slug=name.lower(), type=kind, events=[])
              for name, kind in [("Taliban", "organisation"), ("Kabul", "place")]]

    def told(anchor: str, sentence: str) -> dict:
        return {"iso_date": "2021-08-15", "precision": "day", "sentence": sentence, "planned": False,
                "anchor": anchor, "expression": "on Sunday", "actors": ["Taliban", "Kabul"]}

    def briefing(slug: str, *events: dict):
        return SimpleNamespace(slug=slug, date=datetime(2021, 8, 16), date_label="16 August 2021",
                               title=slug, url=f"briefings/{slug}.html", metadata={"events": list(events)})

    one = briefing("one", told("p-1", "The Taliban took Kabul on Sunday."),
                   told("p-3", "On Sunday the Taliban were in Kabul."))
    two = briefing("two", told("p-2", "Kabul fell to the Taliban on Sunday."))
    add_chronology(SimpleNamespace(articles=[one, two], context={"entities": actors}, settings={}))
    shared = next(told.event for told in one.events if told.told_by == 2)
    assert [source.article for source in shared.sources] == [one, two]
    assert [told.event for told in two.events] == [shared]
    assert len(one.events) == 2  # its second report is an event of its own
    assert [s.anchor for s in one.event_sources[shared.id]] == ["p-1"]
    assert [s.anchor for s in two.event_sources[shared.id]] == ["p-2"]
    assert all(one.event_sources[told.id][0].article is one for told in one.events)


def test_a_briefing_page_sees_of_an_event_what_it_shows_not_the_other_reports():
    """A briefing's page shows of each event it tells the date, whether it was announced, its
    place in the chronology and how many briefings tell it: what the page's key walks
    (`__getstate__`). Another briefing's report, reworded, changes none of it."""
    actors = [SimpleNamespace(name="Taliban", aliases=[], slug="taliban", type="organisation", events=[])]

    def briefing(slug: str, anchor: str, sentence: str):
        return SimpleNamespace(slug=slug, date=datetime(2021, 8, 16), date_label="16 August 2021", title=slug,
                               url=f"briefings/{slug}.html",
                               metadata={"events": [{"iso_date": "2021-08-15", "precision": "day",
                                                     "sentence": sentence, "planned": True, "anchor": anchor,
                                                     "expression": "on Sunday", "actors": ["Taliban"]}]})

    one, two = briefing("one", "p-1", "The Taliban took Kabul on Sunday."), briefing("two", "p-4", "Kabul fell.")
    add_chronology(SimpleNamespace(articles=[one, two], context={"entities": actors}, settings={}))
    told = two.events[0]
    assert (told.iso_date, told.date_label, told.planned, told.told_by) == ("2021-08-15", "15 August 2021", True, 2)
    assert told.url == "chronology.html#" + told.id
    before = told.__getstate__()
    told.event.sources[0].sentence = "The Taliban entered Kabul on Sunday."  # one's report, reworded
    assert told.__getstate__() == before
    assert pickle.loads(pickle.dumps(told)).__getstate__() == before


def test_a_page_listing_an_events_sources_sees_of_each_briefing_its_link_title_and_publisher():
    """What a page's key walks of a source (`__getstate__`): its link, its sentence and, of its
    briefing, the title and the publisher that event lists show; not the briefing's date or
    its other metadata, which those lists do not show."""
    article = SimpleNamespace(url="briefings/one.html", title="One", plain_title="One", source="Dawn",
                              date=datetime(2021, 8, 16), metadata={"date": "2021-08-16", "tags": ["Kabul"]})
    source = Source(article, "p-2", "The Taliban took Kabul on Sunday.", "on Sunday")
    before = Views().of(source)
    article.date, article.metadata = datetime(2021, 8, 17), {"date": "2021-08-17", "tags": ["Taliban"]}
    assert Views().of(source) == before
    assert pickle.loads(pickle.dumps(source)).__getstate__() == source.__getstate__()
    for name, value in [("title", "One, corrected"), ("source", "Reuters"), ("url", "briefings/two.html")]:
        setattr(article, name, value)
        assert Views().of(source) != before, name
    assert source.url == "briefings/two.html#p-2"


def test_a_paragraph_added_before_events_moves_them_unless_their_ids_would_change():
    """plugins/preview's keeper: a briefing read again with its events' paragraphs numbered
    anew (a paragraph added before them) has its sources moved, unless that reorders its
    events of one date, which the chronology numbers by their paragraph as text."""
    actors = [SimpleNamespace(name="Taliban", aliases=[], slug="taliban", type="organisation", events=[])]
    sentences = ["The Taliban took the city on Sunday.", "On Sunday the Taliban said more."]

    def told(anchor: str, sentence: str) -> dict:
        return {"iso_date": "2021-08-15", "precision": "day", "sentence": sentence, "planned": False,
                "anchor": anchor, "expression": "on Sunday", "actors": ["Taliban"]}

    def read_as(*anchors: str):
        return SimpleNamespace(metadata={"events": [told(a, s) for a, s in zip(anchors, sentences)]})

    one = SimpleNamespace(slug="one", date=datetime(2021, 8, 16), date_label="16 August 2021", title="one",
                          url="briefings/one.html", source_path="briefings/one.md",
                          metadata={"events": [told("p-2", sentences[0]), told("p-9", sentences[1])]})
    add_chronology(SimpleNamespace(articles=[one], context={"entities": actors}, settings={}))
    nothing_shown = {"pages": [], "reading": lambda name: []}
    assert resentence(one, read_as("p-3", "p-10"), **nothing_shown) == (
        "briefings/one.md: its events of 2021-08-15 would be numbered again")  # "p-10" sorts before "p-3"
    assert resentence(one, read_as("p-3", "p-8"), **nothing_shown) == []
    assert sorted(source.anchor for told in one.events for source in told.event.sources) == ["p-3", "p-8"]
