"""A timeline of events and publication dates as an SVG drawn at build time (no script).

Events are circles above the axis, briefings squares below it: shape and position tell them
apart without colour. A date given only to the month or the year is drawn in the middle of that
period, with a line across the whole of it: it may be anywhere on that line, not on its first
day. Markers on the same spot stack. Each marker has a <title>; the chronology
page lists the same events and briefings as text. Every year with a marker gets the same width,
and long empty stretches (1997–2000) shrink to a break in the axis, so a 1996 event does not
squeeze 2021's into one column.
"""

from datetime import date
from html import escape

from markupsafe import Markup

WIDTH, MARGIN = 760, 30
AXIS_Y, STEP = 120, 11


BREAK = 24  # width of a collapsed run of empty years
STACK = 12  # markers one above the other at most; the rest are counted ("+N")
MONTHS_FROM = 300  # a year at least this wide gets its months marked
MONTH_NAMES = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
PIECE = 1 << 16  # characters of the drawing per piece handed to the template


def year_layout(years: set[int]) -> dict[int, float]:
    """Left edge of each shown year; years missing between shown ones (one at most) are shown,
    longer gaps become a break. The last key (max + 1) is the right end of the axis."""
    shown = sorted(years)
    filled = sorted({y for a, b in zip(shown, shown[1:]) for y in range(a, b) if b - a <= 2} | set(shown))
    breaks = sum(1 for a, b in zip(filled, filled[1:]) if b - a > 1)
    width = (WIDTH - 2 * MARGIN - breaks * BREAK) / len(filled)  # the same for every year
    left, x = {}, float(MARGIN)
    for index, year in enumerate(filled):
        if index and year - filled[index - 1] > 1:
            x += BREAK
        left[year] = x
        x += width
    left[filled[-1] + 1] = x
    return left


def year_width(left: dict[int, float]) -> float:
    """The width of every shown year (year_layout gives them all the same)."""
    return left[max(left)] - left[max(left) - 1]


def year_end(year: int, left: dict[int, float]) -> float:
    """The right end of a shown year (the next year's left edge, unless a break follows)."""
    return left[year + 1] if year + 1 in left else left[year] + year_width(left)


def x_for(day: date, left: dict[int, float]) -> float:
    start, end = left[day.year], year_end(day.year, left)
    days = (date(day.year + 1, 1, 1) - date(day.year, 1, 1)).days
    return start + (end - start) * (day - date(day.year, 1, 1)).days / days


def marker(first: date, precision: str, label: str, left: dict[int, float]) -> tuple:
    """(x, label, span): a day's marker at its day; a month's or a year's in the middle of it,
    with span (x from, x to) its whole width."""
    if precision == "year":
        x_from, x_to = left[first.year], year_end(first.year, left)
    elif precision == "month":
        x_from = x_for(first, left)
        x_to = year_end(first.year, left) if first.month == 12 else x_for(first.replace(month=first.month + 1), left)
    else:
        return x_for(first, left), label, None
    return (x_from + x_to) / 2, label, (x_from, x_to)


def stacked(markers: list[tuple[float, str, tuple | None]], direction: int) -> tuple[list, list]:
    """Markers closer than a marker's width go one above (or below) the other, at most STACK
    high: the markers past that are counted, and the counts ((x, y, count), at the top of the
    stack they would have grown) are drawn as "+N" so that a busy day stays a short column.
    Placed markers are (x, y, label, span)."""
    placed: list[tuple[float, float, str, tuple | None]] = []
    hidden: list[list] = []  # [x, y, count]
    nearby = 0  # index of the first placed marker still closer than STEP (markers go left to right)
    for x, label, span in sorted(markers, key=lambda marker: marker[0]):
        while nearby < len(placed) and x - placed[nearby][0] >= STEP:
            nearby += 1
        level = len(placed) - nearby
        if level < STACK:
            placed.append((x, AXIS_Y + direction * (14 + level * STEP), label, span))
        elif hidden and x - hidden[-1][0] < 4 * STEP:  # a count ("+746") is about 3 markers wide
            hidden[-1][2] += 1
        else:
            hidden.append([placed[-1][0], AXIS_Y + direction * (14 + STACK * STEP), 1])
    return placed, hidden


def month_marks(left: dict[int, float], bottom: float) -> list[str]:
    """Month ticks and names under each year wide enough to show them (on a year's own page)."""
    if year_width(left) < MONTHS_FROM:
        return []
    marks = []
    for year in sorted(left)[:-1]:
        for month, name in enumerate(MONTH_NAMES, start=1):
            x = x_for(date(year, month, 1), left)
            marks.append(f'<line class="tick" x1="{x:.1f}" y1="{AXIS_Y}" x2="{x:.1f}" y2="{AXIS_Y + 4}"/>'
                         f'<text class="month" x="{x + 3:.1f}" y="{bottom:.1f}">{name}</text>')
    return marks


def timeline_svg(events, articles) -> str:
    dated = [a for a in articles if not getattr(a, "undated", False)]
    if not events and not dated:
        return ""
    years = [e.start.year for e in events] + [a.date.year for a in dated]
    first, last = min(years), max(years)
    left = year_layout(set(years))
    event_marks, events_hidden = stacked([marker(e.start, e.precision, f"{e.date_label}: {e.sentence}", left)
                                          for e in events], -1)
    brief_marks, briefs_hidden = stacked([marker(a.date.date(), getattr(a, "date_precision", "day"),
                                                 f"{a.date_label}: published {Markup(a.title).striptags()}", left)
                                          for a in dated], 1)
    height = max([AXIS_Y + 40] + [y + 20 for _, y, *_ in brief_marks + briefs_hidden])
    months = month_marks(left, height - 4)
    height += 14 if months else 0
    # room for the legend above the highest marker or count
    top = min([0] + [y - 30 for _, y, *_ in event_marks] + [y - 40 for _, y, _ in events_hidden])
    parts = months
    shown = sorted(left)
    for year, following in zip(shown, shown[1:]):
        end = left[following] - (0 if following == year + 1 else BREAK)
        if following != year + 1:  # an axis break: the years in between had nothing
            parts.append(f'<text class="break" x="{end + BREAK / 2:.1f}" y="{AXIS_Y + 4}" '
                         f'text-anchor="middle">…</text>')
        parts.append(f'<line class="axis" x1="{left[year]:.1f}" y1="{AXIS_Y}" x2="{end:.1f}" y2="{AXIS_Y}"/>'
                     f'<line class="tick" x1="{left[year]:.1f}" y1="{AXIS_Y - 4}" x2="{left[year]:.1f}" '
                     f'y2="{AXIS_Y + 4}"/><text class="year" x="{(left[year] + end) / 2:.1f}" '
                     f'y="{height - 4}" text-anchor="middle">{year}</text>')
    for x, y, label, period in event_marks:
        parts.append(period_line(period, y) + f'<circle class="event" cx="{x:.1f}" cy="{y:.1f}" r="4.5">'
                     f'<title>{escape(label)}</title></circle>')
    for x, y, label, period in brief_marks:
        parts.append(period_line(period, y) + f'<rect class="published" x="{x - 4:.1f}" y="{y - 4:.1f}" '
                     f'width="8" height="8"><title>{escape(label, quote=False)}</title></rect>')
    for x, y, count in events_hidden + briefs_hidden:
        parts.append(f'<text class="more" x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle">+{count}</text>')
    vague = any(period for *_, period in event_marks + brief_marks)
    years_shown, between = (f"{first} to {last}", f"from {first} to {last}") if first != last else (first, f"in {first}")
    return (f'<svg class="timeline" viewBox="0 {top} {WIDTH} {height - top}" role="img" '
            f'aria-labelledby="timeline-title timeline-desc" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="timeline-title">Timeline, {years_shown}</title>'
            f'<desc id="timeline-desc">{len(events)} events (circles above the line) and '
            f'{len(dated)} publication dates (squares below it), {between}.'
            f'{VAGUE_DESCRIPTION if vague else ""} Both are listed as text on this page.</desc>'
            f'{"".join(parts)}'
            f'<g class="legend"><circle class="event" cx="{MARGIN}" cy="{top + 12}" r="4.5"/>'
            f'<text x="{MARGIN + 10}" y="{top + 16}">event told in a briefing</text>'
            f'<rect class="published" x="{MARGIN + 200}" y="{top + 8}" width="8" height="8"/>'
            f'<text x="{MARGIN + 214}" y="{top + 16}">briefing published</text>'
            f'{vague_legend(top) if vague else ""}</g></svg>')


VAGUE_DESCRIPTION = (" A marker with a line across it has only a month or a year for its date: it "
                     "stands in the middle of that period, and the line spans it.")


def period_line(period: tuple[float, float] | None, y: float) -> str:
    """The line across the month or the year a marker's date stands for ('' for a day)."""
    if not period:
        return ""
    return f'<line class="period" x1="{period[0]:.1f}" y1="{y:.1f}" x2="{period[1]:.1f}" y2="{y:.1f}"/>'


def vague_legend(top: float) -> str:
    x = MARGIN + 360
    return (f'<line class="period" x1="{x}" y1="{top + 12}" x2="{x + 24}" y2="{top + 12}"/>'
            f'<rect class="published" x="{x + 8}" y="{top + 8}" width="8" height="8"/>'
            f'<text x="{x + 32}" y="{top + 16}">month or year only: somewhere on the line</text>')


def in_pieces(svg: str) -> list[Markup]:
    """The drawing cut into pieces that the page writes one after the other: at 10,000
    briefings it is 7 MB, and writing it whole made five copies of it at once."""
    return [Markup(svg[start:start + PIECE]) for start in range(0, len(svg), PIECE)]


BAR = 90  # height of the tallest bar of the years chart


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def years_svg(years: list[tuple[int, int, int]]) -> str:
    """A long chronology's overview: for each (year, events, briefings published), a bar of its
    events above the axis and one of its briefings below it, each as tall as its share of the
    busiest year. The page's table of years gives the same numbers as text."""
    if not years:
        return ""
    left = year_layout({year for year, _, _ in years})
    most_events = max(events for _, events, _ in years) or 1
    most_briefings = max(briefings for _, _, briefings in years) or 1
    axis, parts = BAR + 30, []
    width = year_width(left)
    for year, events, briefings in sorted(years):
        x, bar = left[year] + width * 0.2, width * 0.6
        up, down = BAR * events / most_events, BAR * briefings / most_briefings
        parts.append(f'<rect class="event" x="{x:.1f}" y="{axis - up:.1f}" width="{bar:.1f}" height="{up:.1f}">'
                     f'<title>{year}: {counted(events, "event")}</title></rect>'
                     f'<rect class="published" x="{x:.1f}" y="{axis:.1f}" width="{bar:.1f}" height="{down:.1f}">'
                     f'<title>{year}: {counted(briefings, "briefing")} published</title></rect>'
                     f'<text class="year" x="{x + bar / 2:.1f}" y="{axis + BAR + 16}" text-anchor="middle">{year}</text>')
    first, last = min(left), max(left) - 1
    return (f'<svg class="timeline" viewBox="0 0 {WIDTH} {axis + BAR + 22}" role="img" '
            f'aria-labelledby="years-title years-desc" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="years-title">Events and briefings per year, {first} to {last}</title>'
            f'<desc id="years-desc">For each year, a bar above the line for its events and one '
            f'below it for the briefings published in it. The table of years on this page gives '
            f'the numbers.</desc>'
            f'<line class="axis" x1="{MARGIN}" y1="{axis}" x2="{WIDTH - MARGIN}" y2="{axis}"/>'
            f'{"".join(parts)}'
            f'<g class="legend"><rect class="event" x="{MARGIN}" y="6" width="8" height="8"/>'
            f'<text x="{MARGIN + 14}" y="14">events</text>'
            f'<rect class="published" x="{MARGIN + 120}" y="6" width="8" height="8"/>'
            f'<text x="{MARGIN + 134}" y="14">briefings published</text></g></svg>')
