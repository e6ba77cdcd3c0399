"""Colours and words for scores and cell states, the same on every page.

The score scale is ColorBrewer's RdBu, a diverging scale that stays readable with the
common forms of colour blindness; states without a score get no hue at all and carry
their own text, so they never rely on colour alone.
"""

from __future__ import annotations

from core.model.vocabulary import NOT_APPLICABLE, STATE_MARKS, signed_score
from core.settings import SCORE_MEANINGS
from figures.contrast import parse_colour

SCORE_COLOURS = {
    2: "#2166ac",
    1: "#92c5de",
    0: "#f2f2f2",
    -1: "#f4a582",
    -2: "#b2182b",
}
NO_EVIDENCE_COLOUR = "rgba(0,0,0,0)"  # the page shows through, in light and dark themes
NOT_APPLICABLE_COLOUR = "#bdbdbd"  # light enough for plotly's #444 "n/a" at 5.2:1
NOT_APPLICABLE_TEXT = STATE_MARKS[NOT_APPLICABLE]


def score_words(score: int) -> str:
    """'+2 Open distancing from Moscow…' for the legend."""
    return f"{signed_score(score)} {SCORE_MEANINGS[score]}"


def score_colour(score: float) -> str:
    """The colour of `score` (-2..+2) on `score_colorscale`, interpolated in RGB as plotly does."""
    low = max(min(int(score // 1), 1), -2)
    f = min(max(score - low, 0.0), 1.0)
    a, b = parse_colour(SCORE_COLOURS[low]), parse_colour(SCORE_COLOURS[low + 1])
    return "rgb({},{},{})".format(*(round(a[i] + f * (b[i] - a[i])) for i in range(3)))


def score_colorscale() -> list[list]:
    """A continuous scale over -2..+2 through the five score colours, for indexes and means."""
    return [[(s + 2) / 4, SCORE_COLOURS[s]] for s in (-2, -1, 0, 1, 2)]


# Agreement is not a score, so it gets its own single hue: the light two thirds of ColorBrewer's
# Purples, so that one dark ink is readable on every cell (a full scale passes through greys where
# neither plotly's #444 nor white reaches 4.5:1).
AGREEMENT_COLOURS = ["#fcfbfd", "#efedf5", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba"]
AGREEMENT_COLORSCALE = [[i / 5, c] for i, c in enumerate(AGREEMENT_COLOURS)]
AGREEMENT_INK = "#111111"


def score_axis(reach: float, *, zeroline: bool) -> dict:
    """A fixed x axis over the score scale, -`reach`..+`reach`, its ends said in words."""
    return {
        "range": [-reach, reach],
        "tickvals": [-2, -1, 0, 1, 2],
        "ticktext": ["−2 with Moscow", "−1", "0", "+1", "+2 distancing"],
        "zeroline": zeroline,
        "fixedrange": True,
    }
