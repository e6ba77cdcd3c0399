"""Tables of stances: issues down, countries across, cells in the score colours."""

from __future__ import annotations

import pandas as pd

from core.analysis.query import NO_EVIDENCE, SCORED
from core.model.vocabulary import STATE_NAMES, signed_score
from figures.palette import NOT_APPLICABLE_COLOUR, NOT_APPLICABLE_TEXT, SCORE_COLOURS

DIFFERS = "Differs"
DARK_TEXT_SCORES = {-1, 0, 1}


def cell_text(row: pd.Series) -> str:
    """'Allowed (+1)', 'no evidence' or 'n/a' (see core.model.vocabulary)."""
    if row["state"] == SCORED:
        return f"{row['label']} ({signed_score(row['score'])})"
    return STATE_NAMES[NO_EVIDENCE] if row["state"] == NO_EVIDENCE else NOT_APPLICABLE_TEXT


def stance_table(frame: pd.DataFrame, countries: list[str], issues: list[str]) -> pd.DataFrame:
    """Issues x countries of cell texts, plus a column saying whether the scored countries took
    different stances (two stances of equal score, such as abstain and did not vote, differ)."""
    f = frame.assign(text=frame.apply(cell_text, axis=1))
    names = f.drop_duplicates("country").set_index("country")["country_name"]
    labels = f.drop_duplicates("issue").set_index("issue")["issue_label"]
    table = f.pivot(index="issue", columns="country", values="text").reindex(
        index=issues, columns=countries
    )
    stances = f[f["state"] == SCORED].pivot(index="issue", columns="country", values="stance")
    stances = stances.reindex(index=issues, columns=countries)
    table[DIFFERS] = ["≠" if s.dropna().nunique() > 1 else "" for _, s in stances.iterrows()]
    table.index = [labels.get(i, i) for i in issues]
    table.index.name = "Issue"
    table.columns = [names.get(c, c) for c in countries] + [DIFFERS]
    return table


def _style_cell(text: object) -> str:
    text = str(text)
    if text == NOT_APPLICABLE_TEXT:
        return f"background-color: {NOT_APPLICABLE_COLOUR}; color: #111111"
    if text == STATE_NAMES[NO_EVIDENCE]:
        return "font-style: italic"
    if text.endswith(")") and "(" in text:
        raw = text.rsplit("(", 1)[1].rstrip(")")
        score = int(raw) if raw.lstrip("+-").isdigit() else 0
        colour = "#111111" if score in DARK_TEXT_SCORES else "#ffffff"
        return f"background-color: {SCORE_COLOURS[score]}; color: {colour}"
    return ""


def styled(table: pd.DataFrame):
    """The table with score colours, and rows whose scores differ in bold."""
    countries = [c for c in table.columns if c != DIFFERS]
    styler = table.style.map(_style_cell, subset=countries)
    return styler.apply(
        lambda row: ["font-weight: bold" if row[DIFFERS] else "" for _ in row], axis=1
    )
