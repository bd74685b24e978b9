"""The entity co-occurrence graph as an SVG drawn at build time.

The most mentioned entities sit on a circle; a line joins two that appear in the same briefing,
thicker the more briefings they share. Types are told apart by shape (circle person, square
organisation, diamond place) and by a legend, not by colour alone; every node and line has a
<title>, and the page lists the strongest pairs as text.
"""

import math
from html import escape

WIDTH, HEIGHT = 720, 480
RADIUS = 200
EDGES_PER_NODE = 3  # only the strongest lines are drawn, or a small corpus is a solid web
SHAPES = {"person": "circle", "organisation": "square", "place": "diamond"}


def shape(kind: str, x: float, y: float, size: float = 7) -> str:
    if SHAPES[kind] == "circle":
        return f'<circle class="node {kind}" cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}"/>'
    if SHAPES[kind] == "square":
        return (f'<rect class="node {kind}" x="{x - size:.1f}" y="{y - size:.1f}" '
                f'width="{2 * size:.1f}" height="{2 * size:.1f}"/>')
    points = f"{x:.1f},{y - size - 2:.1f} {x + size + 2:.1f},{y:.1f} {x:.1f},{y + size + 2:.1f} {x - size - 2:.1f},{y:.1f}"
    return f'<polygon class="node {kind}" points="{points}"/>'


def cooccurrence_svg(entities, pairs: dict, limit: int) -> str:
    """An SVG of the `limit` most mentioned entities and the briefings they share; '' if none."""
    chosen = [entity for entity in entities if entity.neighbours][:limit]
    if len(chosen) < 2:
        return ""
    centre_x, centre_y = WIDTH / 2, HEIGHT / 2
    position = {}
    for index, entity in enumerate(chosen):
        angle = 2 * math.pi * index / len(chosen) - math.pi / 2
        position[entity.slug] = (centre_x + RADIUS * math.cos(angle), centre_y + RADIUS * math.sin(angle))
    shown = sorted(((pair, count) for pair, count in pairs.items()
                    if pair[0] in position and pair[1] in position),
                   key=lambda item: (-item[1], item[0]))[:EDGES_PER_NODE * len(chosen)]
    heaviest = max(count for _, count in shown)
    lines = []
    for (first, second), count in sorted(shown):
        (x1, y1), (x2, y2) = position[first], position[second]
        names = f"{by_slug(chosen, first).name} and {by_slug(chosen, second).name}"
        lines.append(f'<line class="edge" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                     f'stroke-width="{0.5 + 3.5 * count / heaviest:.2f}"><title>{escape(names)}: '
                     f'{count} shared {"briefing" if count == 1 else "briefings"}</title></line>')
    nodes = []
    for entity in chosen:
        x, y = position[entity.slug]
        anchor = "start" if x > centre_x + 1 else "end" if x < centre_x - 1 else "middle"
        dx = 12 if anchor == "start" else -12 if anchor == "end" else 0
        dy = 4 if anchor != "middle" else (-12 if y < centre_y else 20)
        nodes.append(f'<g><title>{escape(entity.name)} ({entity.type}, {entity.count} '
                     f'{"briefing" if entity.count == 1 else "briefings"})</title>'
                     f'{shape(entity.type, x, y, 5 + min(entity.count, 8))}'
                     f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}">{escape(entity.name)}</text></g>')
    legend = legend_svg()
    return (f'<svg class="entity-graph" viewBox="0 0 {WIDTH} {HEIGHT + 40}" role="img" '
            f'aria-labelledby="graph-title graph-desc" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="graph-title">Entities that appear together</title>'
            f'<desc id="graph-desc">The {len(chosen)} most mentioned entities; a line joins two '
            f'named in the same briefing (the {len(shown)} strongest pairs), thicker for more shared '
            f'briefings. The list below gives the strongest pairs as text.</desc>'
            f'{"".join(lines)}{"".join(nodes)}{legend}</svg>')


def by_slug(entities, slug):
    return next(entity for entity in entities if entity.slug == slug)


def legend_svg() -> str:
    items = []
    for index, (kind, label) in enumerate([("person", "person"), ("organisation", "organisation"),
                                           ("place", "place")]):
        x = 20 + index * 160
        items.append(f'{shape(kind, x, HEIGHT + 20, 6)}<text x="{x + 14}" y="{HEIGHT + 25}">{label}</text>')
    return f'<g class="legend">{"".join(items)}</g>'
