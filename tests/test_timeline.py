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


def marker_x(element) -> float:
    return float(element.get("cx") or float(element["x"]) + 4)


def test_a_date_given_only_to_the_month_or_year_sits_mid_period_on_a_line_across_it():
    year_only = SimpleNamespace(date=datetime(2021, 1, 1), date_precision="year", date_label="2021",
                                title="Published in 2021", undated=False)
    drawing = svg(timeline_svg([Event("2021-03", "month", "In March."), Event("2021-12-15", "day", "A day.")],
                               [year_only, briefing("2021-01-01")]))
    months = {m.get_text(): float(m["x"]) - 3 for m in drawing.select("text.month")}  # a month's left edge
    march, december = drawing.select("circle.event title")[0].parent, drawing.select("circle.event title")[1].parent
    assert months["Mar"] < marker_x(march) < months["Apr"]
    assert abs(marker_x(march) - (months["Mar"] + months["Apr"]) / 2) < 1
    assert months["Dec"] < marker_x(december)  # a day keeps its place
    squares = {rect.title.get_text(): rect for rect in drawing.select("rect.published") if rect.title}
    year_square, day_square = squares["2021: published Published in 2021"], squares["2021-01-01: published Published 2021-01-01"]
    assert months["Jun"] < marker_x(year_square) < months["Aug"]  # not on January, where its date says
    assert marker_x(day_square) < months["Feb"]
    lines = [line for line in drawing.select(":scope > line.period")]
    spans = sorted((float(line["x1"]), float(line["x2"])) for line in lines)
    assert len(lines) == 2  # the month's event and the year's briefing; no line for a day
    assert abs(spans[0][0] - months["Jan"]) < 1 and spans[0][1] > months["Dec"] + 50  # the whole year
    assert abs(spans[1][0] - months["Mar"]) < 1 and abs(spans[1][1] - months["Apr"]) < 1
    assert "only a month or a year" in drawing.select_one("desc").get_text()
    assert drawing.select("g.legend line.period")


def test_days_alone_draw_no_period_lines_or_their_legend():
    drawing = svg(timeline_svg(events_on("2021-08-15", 2), [briefing("2021-02-01")]))
    assert not drawing.select("line.period")
    assert "only a month or a year" not in drawing.select_one("desc").get_text()


def test_a_year_only_marker_before_an_axis_break_spans_its_own_year():
    drawing = svg(timeline_svg([Event("2015", "year", "In 2015."), Event("2021-06-01", "day", "Later.")], []))
    line = drawing.select_one(":scope > line.period")
    axes = sorted((float(axis["x1"]), float(axis["x2"])) for axis in drawing.select("line.axis"))
    assert (round(float(line["x1"]), 1), round(float(line["x2"]), 1)) == axes[0]  # 2015's stretch, not the break
