"""WCAG 2 contrast between two colours, for checking that text stays readable on its background.

Colours are CSS strings as Plotly and Streamlit take them: '#rgb', '#rrggbb', 'rgb(r,g,b)' or
'rgba(r,g,b,a)'. A translucent colour is first laid over the colour beneath it.
"""

from __future__ import annotations

import re

AA_TEXT = 4.5
"""WCAG 2 level AA for normal text (under 18.66 px bold or 24 px regular)."""
PLOTLY_DARK_INK, PLOTLY_LIGHT_INK = "#444444", "#ffffff"
"""The two inks plotly.js picks between for text on a mark ("auto" colour, Color.contrast)."""

_RGB = re.compile(r"rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)")

Rgba = tuple[float, float, float, float]


def parse_colour(colour: str) -> Rgba:
    """(r, g, b, alpha) of a CSS colour string, channels 0-255 and alpha 0-1."""
    text = colour.strip().lower()
    if text.startswith("#") and len(text) in (4, 7):
        digits = text[1:] if len(text) == 7 else "".join(c * 2 for c in text[1:])
        return (*(float(int(digits[i : i + 2], 16)) for i in (0, 2, 4)), 1.0)
    match = _RGB.fullmatch(text)
    if match is None:
        raise ValueError(f"not a colour this helper reads: {colour!r}")
    r, g, b, a = match.groups()
    return float(r), float(g), float(b), 1.0 if a is None else float(a)


def over(colour: str, background: str) -> Rgba:
    """`colour` laid over an opaque `background`, as the eye sees it."""
    r, g, b, a = parse_colour(colour)
    br, bg, bb, _ = parse_colour(background)
    return r * a + br * (1 - a), g * a + bg * (1 - a), b * a + bb * (1 - a), 1.0


def luminance(rgba: Rgba) -> float:
    """WCAG relative luminance of an opaque colour."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _ = rgba
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast_ratio(text: str, background: str, page: str = "#ffffff") -> float:
    """WCAG contrast of `text` on `background` (1 to 21); a translucent background is laid over
    `page` first, then a translucent text over the result."""
    ground = over(background, page)
    ground_css = f"rgb({ground[0]},{ground[1]},{ground[2]})"
    lighter, darker = sorted((luminance(over(text, ground_css)), luminance(ground)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_ink(background: str, inks: tuple[str, ...] = ("#000000", "#ffffff")) -> str:
    """Whichever of `inks` stands out most on `background`."""
    return max(inks, key=lambda ink: contrast_ratio(ink, background))


def plotly_auto_ink(background: str) -> str:
    """The ink plotly.js writes on a mark of colour `background` when the text colour is left to
    it: white on a dark colour, #444 on a light one (tinycolor's isDark: brightness < 128)."""
    r, g, b, _ = over(background, "#ffffff")
    return PLOTLY_LIGHT_INK if (299 * r + 587 * g + 114 * b) / 1000 < 128 else PLOTLY_DARK_INK
