"""A schematic neck-muscle diagram (posterior view) of what was injected where.

Pure: no Django imports. Positions are schematic, for orientation, not anatomy teaching.
The patient's left is drawn on the viewer's left (a view from behind).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from collis.injections.colcap import MUSCLES
from collis.injections.dosing import PlannedInjection, Side

__all__ = [
    "neck_diagram_svg",
]

# muscle -> (x offset from the midline, y) for the LEFT side; the right side mirrors it.
_POSITIONS = {
    "splenius_capitis": (28, 70),
    "semispinalis_capitis": (12, 60),
    "obliquus_capitis_inferior": (22, 50),
    "rectus_capitis_posterior_major": (10, 42),
    "longissimus_capitis": (40, 62),
    "splenius_cervicis": (30, 110),
    "semispinalis_cervicis": (12, 120),
    "longissimus_cervicis": (38, 125),
    "scm": (58, 85),
    "levator_scapulae": (52, 135),
    "scalenes": (66, 120),
    "trapezius": (85, 160),
    "longus_capitis": (20, 95),
    "longus_colli": (14, 140),
    "suprahyoid": (30, 30),
}
_MIDLINE_X = 160


def neck_diagram_svg(injections: Sequence[PlannedInjection], unit_label: str) -> str:
    """Return an inline SVG with one labelled marker per injected muscle and side."""
    largest = max((i.units for i in injections), default=1)
    parts = [
        '<svg class="neck-diagram" viewBox="0 0 320 220" role="img" '
        'aria-labelledby="neck-title neck-desc" xmlns="http://www.w3.org/2000/svg">',
        '<title id="neck-title">Injected muscles, schematic view from behind</title>',
        '<desc id="neck-desc">'
        + escape(
            "; ".join(
                f"{MUSCLES[i.muscle]} {i.side.value}: {i.units} {unit_label}" for i in injections
            )
            or "No injections."
        )
        + "</desc>",
        '<ellipse cx="160" cy="45" rx="48" ry="42" fill="#eef2f6" stroke="#8793a3"/>',
        '<path d="M130 80 L125 150 L40 175 L40 215 L280 215 L280 175 L195 150 L190 80 Z" '
        'fill="#f6f8fa" stroke="#8793a3"/>',
        '<text x="20" y="16" font-size="11" fill="#4a5565">Left</text>',
        '<text x="300" y="16" font-size="11" fill="#4a5565" text-anchor="end">Right</text>',
    ]
    for injection in injections:
        dx, y = _POSITIONS.get(injection.muscle, (0, 200))
        x = _MIDLINE_X - dx if injection.side is Side.LEFT else _MIDLINE_X + dx
        radius = 5 + 9 * injection.units / largest
        label = f"{MUSCLES[injection.muscle]} ({injection.side.value}): {injection.units}"
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="{radius:.1f}" fill="#0b5f83" fill-opacity="0.55" '
            f'stroke="#084661"><title>{escape(label)} {escape(unit_label)}</title></circle>'
            f'<text x="{x}" y="{y + 4}" font-size="10" text-anchor="middle" fill="#1b2430" '
            f'font-weight="700">{injection.units}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
