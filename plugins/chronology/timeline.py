"""A timeline of events and publication dates as an SVG drawn at build time (no script).

Events are circles above the axis, briefings squares below it: shape and position tell them
apart without colour. Markers on the same spot stack. Each marker has a <title>; the chronology
page lists the same events and briefings as text.
"""

from datetime import date
from html import escape

from markupsafe import Markup

WIDTH, MARGIN = 760, 30
AXIS_Y, STEP = 120, 11


def x_for(day: date, first: int, last: int) -> float:
    span = (date(last + 1, 1, 1) - date(first, 1, 1)).days
    return MARGIN + (WIDTH - 2 * MARGIN) * (day - date(first, 1, 1)).days / span


def stacked(markers: list[tuple[float, str]], direction: int) -> list[tuple[float, float, str]]:
    """Markers closer than a marker's width go one above (or below) the other."""
    placed: list[tuple[float, float, str]] = []
    for x, label in sorted(markers, key=lambda marker: marker[0]):
        level = sum(1 for px, _, _ in placed if abs(px - x) < STEP)
        placed.append((x, AXIS_Y + direction * (14 + level * STEP), label))
    return placed


def timeline_svg(events, articles) -> str:
    dated = [a for a in articles if not getattr(a, "undated", False)]
    if not events and not dated:
        return ""
    years = [e.start.year for e in events] + [a.date.year for a in dated]
    first, last = min(years), max(years)
    event_marks = stacked([(x_for(e.start, first, last), f"{e.date_label}: {e.sentence}")
                           for e in events], -1)
    brief_marks = stacked([(x_for(a.date.date(), first, last), f"{a.date_label}: published "
                            f"{Markup(a.title).striptags()}") for a in dated], 1)
    height = max([AXIS_Y + 40] + [y + 20 for _, y, _ in brief_marks])
    top = min([0] + [y - 10 for _, y, _ in event_marks])
    parts = [f'<line class="axis" x1="{MARGIN}" y1="{AXIS_Y}" x2="{WIDTH - MARGIN}" y2="{AXIS_Y}"/>']
    tick_every = max(1, (last - first + 1) // 10)
    for year in range(first, last + 2, tick_every):
        x = x_for(date(year, 1, 1), first, last)
        parts.append(f'<line class="tick" x1="{x:.1f}" y1="{AXIS_Y - 4}" x2="{x:.1f}" y2="{AXIS_Y + 4}"/>'
                     f'<text class="year" x="{x:.1f}" y="{height - 4}" text-anchor="middle">{year}</text>')
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
