"""Events: dates stated or implied, resolved against the publication date, with their precision."""

from datetime import date

import pytest

from annotations import score_events
from briefing.events import find_events
from briefing.model import Briefing, Entity, PublishedDate

# Measured: 35 of 35 annotated events found, none extra (precision and recall 1.00).
PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.9

SUNDAY = PublishedDate(date(2021, 10, 24), "day")


def events_of(text, published=SUNDAY, entities=()):
    briefing = Briefing("x.txt", date=published, paragraphs=[text], entities=list(entities))
    return [(e.date.iso(), e.date.precision, e.planned) for e in find_events(briefing)]


@pytest.mark.parametrize("text, expected", [
    ("CNN reported on Saturday that talks had begun.", [("2021-10-23", "day", False)]),
    ("On August 15, ISIS launched attacks in the country.", [("2021-08-15", "day", False)]),
    ("The US invasion in October 2001 changed everything.", [("2001-10", "month", False)]),
    ("The government collapsed in 1996.", [("1996", "year", False)]),
    ("He visited Kabul in September.", [("2021-09", "month", False)]),
    ("Ghani told Der Spiegel last month that peace was near.", [("2021-09", "month", False)]),
    ("The raid came earlier this month.", [("2021-10", "month", False)]),
    ("Thursday’s flag meeting settled it.", [("2021-10-21", "day", False)]),
    ("They last met in May.", [("2021-05", "month", False)]),
    ("The interview is due to be aired on Sunday.", [("2021-10-24", "day", True)]),
    ("The troops will leave on November 11.", [("2021-11-11", "day", True)]),
    ("The withdrawal will be complete later this year.", [("2021", "year", True)]),
    # spans and vague times are not events
    ("They fought for decades, in the 1980s and in the 90s, and recently too.", []),
    ("The bill passed for 2023 allocates funds.", []),
    ("May God give us patience.", []),
])
def test_dates_in_text(text, expected):
    assert events_of(text) == expected


def test_an_undated_briefing_keeps_only_dates_that_state_their_year():
    text = "At a news conference last week, officials met. The caption says August 3, 2021."
    assert events_of(text, published=None) == [("2021-08-03", "day", False)]


def test_an_event_keeps_its_sentence_paragraph_and_actors():
    cnn = Entity("CNN", "organisation", ["CNN"])
    pakistan = Entity("Pakistan", "place", ["Pakistan"])
    briefing = Briefing("x.txt", date=SUNDAY, entities=[cnn, pakistan],
                        paragraphs=["No date here.", "Talks went on. CNN reported on Saturday that Pakistan agreed."])
    [event] = find_events(briefing)
    assert (event.anchor, event.sentence, event.actors, event.expression) == (
        "p-2", "CNN reported on Saturday that Pakistan agreed.", ["CNN", "Pakistan"], "on Saturday")


def test_precision_and_recall_on_hand_annotated_texts():
    score = score_events()
    report = (round(score.precision, 3), round(score.recall, 3), score.matched, score.found, score.expected)
    assert score.expected >= 30
    assert score.precision >= PRECISION_FLOOR, (report, score.extras)
    assert score.recall >= RECALL_FLOOR, (report, score.misses)
    assert not [extra for extra in score.extras if extra[0] == "planned"], score.extras
    # the entities each event names (measured: precision 0.99, recall 0.97)
    assert score.actors.precision >= 0.9 and score.actors.recall >= 0.9, vars(score.actors)


def sample_texts() -> list[str]:
    """Seed texts to check the expressions on: the fixtures and a generated corpus."""
    from briefing.corpus import generate_corpus  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    fixtures = Path(__file__).parent / "fixtures" / "seeds"
    raw = [path.read_bytes() for path in sorted(fixtures.glob("*.txt"))]
    raw += [data for _, data in generate_corpus(200)]
    return [data.decode("utf-8", errors="replace") for data in raw]


def test_every_date_expression_holds_its_cue():
    """A sentence is tried only against the expressions whose cue it holds: no match may lack
    its expression's cue, and every cue is some expression's."""
    from briefing.events import cues, expressions  # noqa: PLC0415

    matches = [(expression.needs, match.group()) for text in sample_texts()
               for expression in expressions() for match in expression.pattern.finditer(text)]
    assert len(matches) > 500
    assert [(needs, text) for needs, text in matches if not cues()[needs].search(text)] == []
    assert {expression.needs for expression in expressions()} == set(cues())
