"""Contrast and type size: the WCAG helper, every ink on every colour it is written on, the
theme's text colours, and the size of every text a figure builder writes."""

from __future__ import annotations

import tomllib
from itertools import pairwise

import pytest

from core.settings import PACKAGE_DIR
from figures.contrast import (
    AA_TEXT,
    PLOTLY_DARK_INK,
    PLOTLY_LIGHT_INK,
    contrast_ratio,
    over,
    parse_colour,
    plotly_auto_ink,
    readable_ink,
)
from figures.map import NO_EVIDENCE_FILL
from figures.options import MIN_TEXT_SIZE, PRESENTER, Presentation
from figures.palette import (
    AGREEMENT_COLOURS,
    AGREEMENT_INK,
    NOT_APPLICABLE_COLOUR,
    SCORE_COLOURS,
    score_colorscale,
    score_colour,
)
from figures.stance_table import DARK_TEXT_SCORES
from tests.unit.test_presentation import BUILDERS

THEME = tomllib.loads((PACKAGE_DIR / ".streamlit" / "config.toml").read_text())["theme"]
FADED = 0.6
"""Streamlit writes captions and muted text in the text colour at 60 % opacity."""


@pytest.mark.parametrize(
    ("text", "background", "expected"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#777777", "#ffffff", 4.48),  # the classic just-too-light grey
        ("#808495", "#ffffff", 3.72),  # Streamlit's chart axis grey, as issue 9 measured
        ("rgba(47, 45, 43, 0.6)", "#ffffff", 3.89),  # the old caption colour, as axe measured
        ("#fff", "rgba(0,0,0,0)", 1.0),  # a transparent background is the page
    ],
)
def test_contrast_ratio_matches_wcag(text, background, expected):
    assert contrast_ratio(text, background) == pytest.approx(expected, abs=0.01)
    assert contrast_ratio(background, text) == pytest.approx(contrast_ratio(text, background))


def test_colours_are_parsed_and_laid_over_the_page():
    assert parse_colour("#abc") == parse_colour("#aabbcc") == (170.0, 187.0, 204.0, 1.0)
    assert over("rgba(0,0,0,0.5)", "#ffffff") == (127.5, 127.5, 127.5, 1.0)
    with pytest.raises(ValueError, match="hsl"):
        parse_colour("hsl(0, 0%, 0%)")


@pytest.mark.parametrize(
    ("background", "ink"), [("#ffffff", PLOTLY_DARK_INK), ("#000000", PLOTLY_LIGHT_INK)]
)
def test_plotly_auto_ink_is_dark_on_light_and_white_on_dark(background, ink):
    assert plotly_auto_ink(background) == ink


@pytest.mark.parametrize("colour", [*SCORE_COLOURS.values(), NOT_APPLICABLE_COLOUR])
def test_matrix_cell_words_are_readable_on_every_cell_colour(colour):
    """The matrix leaves its cell words' colour to plotly, which picks #444 or white."""
    assert contrast_ratio(plotly_auto_ink(colour), colour) >= AA_TEXT


@pytest.mark.parametrize("score", SCORE_COLOURS)
def test_stance_table_ink_is_readable_on_every_score(score):
    ink = "#111111" if score in DARK_TEXT_SCORES else "#ffffff"
    assert contrast_ratio(ink, SCORE_COLOURS[score]) >= AA_TEXT


def scale_colour(scale: list[list], at: float) -> str:
    """The colour of a Plotly colour scale at `at` (0..1), interpolated in RGB as plotly does."""
    for (x0, c0), (x1, c1) in pairwise(scale):
        if x0 <= at <= x1:
            f = 0 if x1 == x0 else (at - x0) / (x1 - x0)
            a, b = parse_colour(c0), parse_colour(c1)
            return "rgb({},{},{})".format(*(round(a[i] + f * (b[i] - a[i])) for i in range(3)))
    raise ValueError(at)


@pytest.mark.parametrize("score", [s / 10 for s in range(-20, 21)])
def test_map_labels_are_readable_on_the_index_scale(score):
    """The map writes each label in the ink that stands out most on its fill; on this scale one
    of black and white always reaches 4.5:1 (near-black would not at -1.6)."""
    fill = score_colour(score)
    same = scale_colour(score_colorscale(), (score + 2) / 4)
    assert all(abs(a - b) <= 1 for a, b in zip(parse_colour(fill), parse_colour(same), strict=True))
    assert contrast_ratio(readable_ink(fill), fill) >= AA_TEXT, (score, fill)


@pytest.mark.parametrize("fill", [NOT_APPLICABLE_COLOUR, NO_EVIDENCE_FILL])
def test_map_labels_are_readable_on_the_unscored_fills(fill):
    assert contrast_ratio(readable_ink(fill), fill) >= AA_TEXT


@pytest.mark.parametrize("at", [i / 20 for i in range(21)])
def test_agreement_ink_is_readable_on_the_whole_scale(at):
    scale = [[i / (len(AGREEMENT_COLOURS) - 1), c] for i, c in enumerate(AGREEMENT_COLOURS)]
    assert contrast_ratio(AGREEMENT_INK, scale_colour(scale, at)) >= AA_TEXT


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_both_themes_keep_faded_text_and_the_accent_readable(mode):
    """No `base` is forced, so the app follows the system; each mode's text colour keeps the
    60 % captions at 4.5:1, and its accent (the slider's value) too."""
    assert "base" not in THEME
    theme = THEME[mode]
    r, g, b, _ = parse_colour(theme["textColor"])
    faded = f"rgba({r},{g},{b},{FADED})"
    assert contrast_ratio(faded, theme["backgroundColor"]) >= AA_TEXT
    assert contrast_ratio(theme["primaryColor"], theme["backgroundColor"]) >= AA_TEXT


def font_sizes(node, path: str = "") -> list[tuple[str, float]]:
    """(path, size) of every font size set anywhere in a figure's JSON."""
    found: list[tuple[str, float]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}"
            if key.endswith("font") and isinstance(value, dict) and value.get("size") is not None:
                sizes = value["size"] if isinstance(value["size"], list) else [value["size"]]
                found += [(here, s) for s in sizes]
            found += font_sizes(value, here)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += font_sizes(value, f"{path}[{i}]")
    return found


OPTIONS = {"explorer": Presentation(), "presenter": PRESENTER}


@pytest.mark.parametrize("options", OPTIONS.values(), ids=OPTIONS.keys())
@pytest.mark.parametrize("build", BUILDERS.values(), ids=BUILDERS.keys())
def test_every_text_a_builder_writes_is_at_least_the_minimum_size(build, options):
    """Layout, axes, legend, annotations and trace text alike; a size left unset is plotly's
    default of 12 px."""
    fig = build(options).to_plotly_json()
    small = [(path, size) for path, size in font_sizes(fig) if size < MIN_TEXT_SIZE]
    assert not small, small


def test_the_font_walk_finds_sizes_in_traces_annotations_and_axes():
    fig = {
        "data": [{"textfont": {"size": [10, 14]}}],
        "layout": {"annotations": [{"font": {"size": 11}}], "xaxis": {"tickfont": {"size": 9}}},
    }
    assert sorted(s for _, s in font_sizes(fig)) == [9, 10, 11, 14]
