"""A timeline of events and publication dates as an SVG drawn at build time (no script).

Events are circles above the axis, briefings squares below it: shape and position tell them
apart without colour. Markers on the same spot stack. Each marker has a <title>; the chronology
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
PIECE = 1 << 16  # characters of the drawing per piece handed to the template


def year_layout(years: set[int]) -> dict[int, float]:
    """Left edge of each shown year; years missing between shown ones (one at most) are shown,
    longer gaps become a break. The last key (max + 1) is the right end of the axis."""
    shown = sorted(years)
    filled = sorted({y for a, b in zip(shown, shown[1:]) for y in range(a, b) if b - a <= 2} | set(shown))
    breaks = sum(1 for a, b in zip(filled, filled[1:]) if b - a > 1)
    width = (WIDTH - 2 * MARGIN - breaks * BREAK) / len(filled)
    left, x = {}, float(MARGIN)
    for index, year in enumerate(filled):
        if index and year - filled[index - 1] > 1:
            x += BREAK
        left[year] = x
        x += width
    left[filled[-1] + 1] = x
    return left


def x_for(day: date, left: dict[int, float]) -> float:
    start = left[day.year]
    end = left[day.year + 1] if day.year + 1 in left else start + (left[max(left)] - left[max(left) - 1])
    days = (date(day.year + 1, 1, 1) - date(day.year, 1, 1)).days
    return start + (end - start) * (day - date(day.year, 1, 1)).days / days


def stacked(markers: list[tuple[float, str]], direction: int) -> list[tuple[float, float, str]]:
    """Markers closer than a marker's width go one above (or below) the other."""
    placed: list[tuple[float, float, str]] = []
    nearby = 0  # index of the first placed marker still closer than STEP (markers go left to right)
    for x, label in sorted(markers, key=lambda marker: marker[0]):
        while nearby < len(placed) and x - placed[nearby][0] >= STEP:
            nearby += 1
        level = len(placed) - nearby
        placed.append((x, AXIS_Y + direction * (14 + level * STEP), label))
    return placed


def timeline_svg(events, articles) -> str:
    dated = [a for a in articles if not getattr(a, "undated", False)]
    if not events and not dated:
        return ""
    years = [e.start.year for e in events] + [a.date.year for a in dated]
    first, last = min(years), max(years)
    left = year_layout(set(years))
    event_marks = stacked([(x_for(e.start, left), f"{e.date_label}: {e.sentence}")
                           for e in events], -1)
    brief_marks = stacked([(x_for(a.date.date(), left), f"{a.date_label}: published "
                            f"{Markup(a.title).striptags()}") for a in dated], 1)
    height = max([AXIS_Y + 40] + [y + 20 for _, y, _ in brief_marks])
    top = min([0] + [y - 10 for _, y, _ in event_marks])
    parts = []
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
    for x, y, label in event_marks:
        parts.append(f'<circle class="event" cx="{x:.1f}" cy="{y:.1f}" r="4.5"><title>{escape(label)}</title></circle>')
    for x, y, label in brief_marks:
        parts.append(f'<rect class="published" x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8">'
                     f'<title>{escape(label, quote=False)}</title></rect>')
    return (f'<svg class="timeline" viewBox="0 {top} {WIDTH} {height - top}" role="img" '
            f'aria-labelledby="timeline-title timeline-desc" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="timeline-title">Timeline, {first} to {last}</title>'
            f'<desc id="timeline-desc">{len(events)} events (circles above the line) and '
            f'{len(dated)} publication dates (squares below it), from {first} to {last}. Both are '
            f'listed as text on this page.</desc>{"".join(parts)}'
            f'<g class="legend"><circle class="event" cx="{MARGIN}" cy="{top + 12}" r="4.5"/>'
            f'<text x="{MARGIN + 10}" y="{top + 16}">event told in a briefing</text>'
            f'<rect class="published" x="{MARGIN + 200}" y="{top + 8}" width="8" height="8"/>'
            f'<text x="{MARGIN + 214}" y="{top + 16}">briefing published</text></g></svg>')


def in_pieces(svg: str) -> list[Markup]:
    """The drawing cut into pieces that the page writes one after the other: at 10,000
    briefings it is 7 MB, and writing it whole made five copies of it at once."""
    return [Markup(svg[start:start + PIECE]) for start in range(0, len(svg), PIECE)]
