"""The timeline drawings: stacks kept short on busy days, months marked on a year's own page,
and the years chart of a long chronology."""

import re
import sys
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from chronology.chronology import Event  # noqa: E402
from chronology.timeline import BAR, STACK, timeline_svg, years_svg  # noqa: E402


def svg(markup: str):
    return BeautifulSoup(markup, "html.parser").svg


def events_on(iso_date: str, count: int) -> list[Event]:
    return [Event(iso_date, "day", f"Event {n}.") for n in range(count)]


def briefing(day: str):
    return SimpleNamespace(date=datetime.fromisoformat(day), date_label=day, title=f"Published {day}",
                           undated=False)


def test_a_busy_day_stacks_at_most_STACK_markers_and_counts_the_rest():
    drawing = svg(timeline_svg(events_on("2021-08-15", STACK + 28) + events_on("2021-03-01", 2),
                               [briefing("2021-08-16")]))
    circles = drawing.select("circle.event title")
    assert len(circles) == STACK + 2
    assert [more.get_text() for more in drawing.select("text.more")] == ["+28"]
    assert "42 events" in drawing.select_one("desc").get_text()  # the description counts them all


def test_the_legend_sits_above_the_highest_marker():
    drawing = svg(timeline_svg(events_on("2021-08-15", 40), []))
    legend_y = float(drawing.select_one("g.legend circle")["cy"])
    highest = min(float(c["cy"]) for c in drawing.select(":scope > circle.event"))
    more_y = float(drawing.select_one("text.more")["y"])
    assert legend_y + 10 < more_y - 10 and more_y < highest
    top = float(drawing["viewbox"].split()[1])
    assert top < legend_y - 4.5


def test_months_are_marked_on_one_years_timeline_only():
    one_year = svg(timeline_svg(events_on("2021-08-15", 1), [briefing("2021-02-01")]))
    assert [m.get_text() for m in one_year.select("text.month")] == (
        "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())
    assert "in 2021" in one_year.select_one("desc").get_text()
    years = svg(timeline_svg(events_on("2019-08-15", 1) + events_on("2021-08-15", 1), []))
    assert not years.select("text.month")


def test_years_chart_bars_scale_to_the_busiest_year():
    chart = svg(years_svg([(2019, 10, 4), (2020, 5, 8), (2024, 0, 1)]))
    bars = {bar.title.get_text(): float(bar["height"]) for bar in chart.select("rect")
            if bar.title}
    assert bars["2019: 10 events"] == BAR and bars["2020: 5 events"] == BAR / 2
    assert bars["2020: 8 briefings published"] == BAR and abs(bars["2024: 1 briefing published"] - BAR / 8) < 0.1
    assert bars["2024: 0 events"] == 0
    assert [t.get_text() for t in chart.select("text.year")] == ["2019", "2020", "2024"]
    assert re.search(r"2019 to 2024", chart.select_one("title").get_text())
