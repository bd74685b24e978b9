"""Scoring extraction against the hand annotations in tests/fixtures/annotations/."""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from briefing.entities import gazetteer
from briefing.pipeline import convert_seed

ROOT = Path(__file__).resolve().parent.parent
ANNOTATIONS = Path(__file__).resolve().parent / "fixtures" / "annotations"


def annotated(kind: str) -> dict:
    with open(ANNOTATIONS / f"{kind}.toml", "rb") as handle:
        return tomllib.load(handle)


def annotated_briefing(name: str):
    """A seed (seeds/) or an annotation text (texts/, names starting with 'x') converted."""
    path = ANNOTATIONS / "texts" / name if name.startswith("x") else ROOT / "seeds" / name
    return convert_seed(name, path.read_bytes())


@dataclass
class Score:
    found: int = 0
    expected: int = 0
    matched: int = 0
    misses: list = field(default_factory=list)
    extras: list = field(default_factory=list)
    actors: "Score | None" = None  # for events: the actors of matched events, scored alike

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 0.0


def score_entities() -> dict[str, Score]:
    """Entity (name, type) pairs per text: overall, for gazetteer actors and for discovered ones."""
    scores = {"all": Score(), "known": Score(), "discovered": Score()}
    known_names = set(gazetteer())
    for name, expected in annotated("entities").items():
        want = {(e["name"], e["type"]) for e in expected}
        got = {(e.name, e.type) for e in annotated_briefing(name).entities}
        for part, keep in [("all", lambda n: True), ("known", lambda n: n in known_names),
                           ("discovered", lambda n: n not in known_names)]:
            w = {pair for pair in want if keep(pair[0])}
            g = {pair for pair in got if keep(pair[0])}
            score = scores[part]
            score.found += len(g)
            score.expected += len(w)
            score.matched += len(g & w)
            score.misses += [(name, pair) for pair in sorted(w - g)]
            score.extras += [(name, pair) for pair in sorted(g - w)]
    return scores


def score_events() -> Score:
    """An event matches when its sentence holds the annotated quote and the date and precision
    agree; `planned` disagreements are listed in extras as ('planned', …)."""
    score = Score(actors=Score())
    for name, expected in annotated("events").items():
        events = annotated_briefing(name).events
        score.found += len(events)
        score.expected += len(expected)
        unmatched = list(expected)
        for event in events:
            hit = next((item for item in unmatched if item["quote"] in event.sentence
                        and item["date"] == event.date.iso()
                        and item["precision"] == event.date.precision), None)
            if hit:
                unmatched.remove(hit)
                score.matched += 1
                want, got = set(hit["actors"]), set(event.actors)
                score.actors.found += len(got)
                score.actors.expected += len(want)
                score.actors.matched += len(want & got)
                if hit.get("planned", False) != event.planned:
                    score.extras.append(("planned", name, hit["quote"]))
            else:
                score.extras.append((name, event.date.iso(), event.sentence))
        score.misses += [(name, item["date"], item["quote"]) for item in unmatched]
    return score
