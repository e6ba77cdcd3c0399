"""Pure helpers of the UI layer: Markdown escaping, stance tables."""

from __future__ import annotations

import pandas as pd
import pytest

from core.analysis.query import cells
from figures.stance_table import DIFFERS, cell_text, stance_table
from ui.text import md_escape


@pytest.mark.parametrize(
    "text",
    ["<script>alert(1)</script>", "[link](javascript:alert(1))", "**bold** _it_ `code`",
     "$x^2$", "<img src=x onerror=alert(1)>", "# heading", "a | b"],
)  # fmt: skip
def test_md_escape_leaves_no_active_markup(text):
    escaped = md_escape(text)
    for char in "<>[]()*_`$#|":
        assert char not in escaped.replace("\\" + char, "")


def test_cell_text_three_states():
    rows = pd.DataFrame(
        {
            "state": ["scored", "scored", "no_evidence", "not_applicable"],
            "label": ["Allowed", "Silent", None, None],
            "score": [1, 0, None, None],
        }
    )
    assert list(rows.apply(cell_text, axis=1)) == [
        "Allowed (+1)",
        "Silent (0)",
        "no evidence",
        "n/a",
    ]


def test_stance_table_marks_differences(dataset):
    frame = cells(dataset, pd.Timestamp("2022-03-05"))
    table = stance_table(frame, ["KAZ", "KGZ"], ["unga_es11_1", "anti_war_protests"])
    assert list(table.columns) == ["Kazakhstan", "Kyrgyzstan", DIFFERS]
    assert table.loc["UNGA ES-11/1", DIFFERS] == ""  # both abstained
    assert table.loc["Anti-war protests", DIFFERS] == "≠"  # Almaty detained, Bishkek let be
    assert table.loc["Anti-war protests", "Kyrgyzstan"] == "Allowed (+1)"


def test_stance_table_tells_abstain_from_did_not_vote(dataset):
    frame = cells(dataset, pd.Timestamp("2022-03-05"))
    table = stance_table(frame, ["UZB", "KAZ"], ["unga_es11_1"])
    assert table.loc["UNGA ES-11/1", "Uzbekistan"] == "Did not vote (0)"
    assert table.loc["UNGA ES-11/1", "Kazakhstan"] == "Abstain (0)"
    assert table.loc["UNGA ES-11/1", DIFFERS] == "≠"  # same score, different acts
