"""Colours and words for scores and cell states, the same on every page.

The score scale is ColorBrewer's RdBu, a diverging scale that stays readable with the
common forms of colour blindness; states without a score get no hue at all and carry
their own text, so they never rely on colour alone.
"""

from __future__ import annotations

from core.model.vocabulary import NOT_APPLICABLE, STATE_MARKS, signed_score
from core.settings import SCORE_MEANINGS

SCORE_COLOURS = {
    2: "#2166ac",
    1: "#92c5de",
    0: "#f2f2f2",
    -1: "#f4a582",
    -2: "#b2182b",
}
NO_EVIDENCE_COLOUR = "rgba(0,0,0,0)"  # the page shows through, in light and dark themes
NOT_APPLICABLE_COLOUR = "#9e9e9e"
NOT_APPLICABLE_TEXT = STATE_MARKS[NOT_APPLICABLE]


def score_words(score: int) -> str:
    """'+2 Open distancing from Moscow…' for the legend."""
    return f"{signed_score(score)} {SCORE_MEANINGS[score]}"


def score_colorscale() -> list[list]:
    """A continuous scale over -2..+2 through the five score colours, for indexes and means."""
    return [[(s + 2) / 4, SCORE_COLOURS[s]] for s in (-2, -1, 0, 1, 2)]


AGREEMENT_COLORSCALE = "Purples"  # agreement is not a score, so it gets its own single hue
