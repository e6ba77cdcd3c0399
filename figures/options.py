"""How a figure is presented, whatever it shows: type sizes, height, room, legend and contrast.

Every builder takes `options=` and applies them itself, so no caller restyles a finished
figure. `EXPLORER` (the default) leaves each figure as its builder draws it for the dashboard
pages; `PRESENTER` is the big screen: large type, no legend (the presenter says it in words)
and tight margins. A field left at None means "the builder's own".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

CONTRAST_PAPER = "#000000"
CONTRAST_INK = "#ffffff"
CONTRAST_FOCUS = "#ffd400"
"""Focus outlines in high contrast: yellow, as the page's keyboard focus ring."""
CONTRAST_VEIL = "rgba(0,0,0,0.72)"
"""Over the cells outside the focus in high contrast: the black paper, so they sink back."""
MIN_TEXT_SIZE = 12
"""The smallest type any figure writes, in pixels: readable at 1280 px wide (issue 9)."""
TITLE_RATIO = 1.2
"""A title's type size over the base size."""
TIGHT_MARGIN = 5
"""The bottom margin of a compact figure, in pixels: its axis labels make their own room."""


@dataclass(frozen=True)
class Presentation:
    """Presentation options of a figure builder (see the module docstring)."""

    font_size: int | None = None
    """Base type size in pixels: title, ticks and labels that set no size of their own."""
    tick_size: int | None = None
    """Row labels (the y axis) in pixels."""
    label_size: int | None = None
    """Text written on the marks: the matrix's cell words and the map's labels."""
    marker_size: int | None = None
    """The timeline's observation markers."""
    height: int | None = None
    """Figure height in pixels; None grows the figure with the rows it shows."""
    legend: bool = True
    """False hides the legend, for a screen that says it in words."""
    compact: bool = False
    """Margins cut to what the labels need: each builder's tight room above and below the
    plot, and axes that grow their margin to fit their labels."""
    flat_labels: int = 0
    """Up to this many matrix columns, their labels are written flat instead of slanted."""
    high_contrast: bool = False
    """White on black with yellow focus outlines, for a washed-out projector."""
    width: int | None = None
    """Figure width in pixels where the screen is known (the presenter's); builders that place
    labels by width assume their own otherwise. The figure itself fills its container."""


EXPLORER = Presentation()
PRESENTER = Presentation(
    font_size=15, tick_size=16, label_size=15, marker_size=20, height=470,
    legend=False, compact=True, flat_labels=4,
)  # fmt: skip
PRESENTER_SCREEN = (1280, 720)
"""The screen PRESENTER's sizes are chosen for; `scaled` fits them to another screen."""
SIZES = ("font_size", "tick_size", "label_size", "marker_size", "height", "width")


def scaled(options: Presentation, factor: float) -> Presentation:
    """`options` with every size in pixels (type, markers, height, width) times `factor`."""
    sizes = {name: getattr(options, name) for name in SIZES}
    return replace(options, **{k: round(v * factor) for k, v in sizes.items() if v is not None})


def _axis(options: Presentation, tick_size: int | None) -> dict:
    axis: dict = {}
    if options.compact:
        axis["automargin"] = True
    tickfont = {"size": tick_size} if tick_size else {}
    if options.high_contrast:
        tickfont["color"] = CONTRAST_INK
    if tickfont:
        axis["tickfont"] = tickfont
    return axis


def presentation_layout(options: Presentation) -> dict:
    """The layout keys every figure takes from `options` (none for `EXPLORER`); builders merge
    them into their own layout with `merged`."""
    layout: dict = {
        "xaxis": _axis(options, options.font_size),  # column and date labels: the base size
        "yaxis": _axis(options, options.tick_size),
    }
    font = {"size": options.font_size} if options.font_size else {}
    if options.high_contrast:
        font["color"] = CONTRAST_INK
        layout |= {"paper_bgcolor": CONTRAST_PAPER, "plot_bgcolor": CONTRAST_PAPER}
    if font:
        layout["font"] = font
    if options.font_size:  # a theme may size the title on its own; the options size it here
        layout["title"] = {"font": {"size": round(options.font_size * TITLE_RATIO)}}
    if not options.legend:
        layout["showlegend"] = False
    if options.height:
        layout["height"] = options.height
    return {key: value for key, value in layout.items() if value != {}}


def merged(base: dict, extra: dict) -> dict:
    """`base` with `extra` laid over it, nested dicts merged key by key (as update_layout does)."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out
