"""The second reading of the S1 codings: how far two coders agreed (Cohen's kappa on stance).

`data/audit/s1_double_coding.csv` holds one row per fact that either coder coded: the first
coder's stance, the blind second coder's, how the difference was resolved and the coding the
data now holds (`final_*`, blank for a fact dropped). A fact one coder left out counts as the
category "not coded".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.settings import BUNDLED_DATA_DIR

AUDIT_FILE = BUNDLED_DATA_DIR / "audit" / "s1_double_coding.csv"
NOT_CODED = "(not coded)"


def cohen_kappa(first: list[str], second: list[str]) -> float:
    """Cohen's kappa of two coders' labels for the same units (1 = perfect, 0 = chance)."""
    if len(first) != len(second) or not first:
        raise ValueError("two equally long, non-empty lists of labels are needed")
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    labels = set(first) | set(second)
    expected = sum((first.count(k) / n) * (second.count(k) / n) for k in labels)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


@dataclass(frozen=True)
class AuditSummary:
    """Counts and agreement of the double coding."""

    facts: int
    both_coded: int
    same_stance: int
    kappa: float


def load_audit(path: Path = AUDIT_FILE) -> pd.DataFrame:
    """The double-coding table, blanks as empty strings."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def summarise(table: pd.DataFrame) -> AuditSummary:
    """Agreement on stance over every fact either coder coded; a stance is issue + code."""
    first, second = (
        [f"{i}:{s}" if s else NOT_CODED for i, s in zip(table["issue"], table[col], strict=True)]
        for col in ("first_stance", "second_stance")
    )
    both = (table["first_stance"] != "") & (table["second_stance"] != "")
    same = int((both & (table["first_stance"] == table["second_stance"])).sum())
    return AuditSummary(len(table), int(both.sum()), same, cohen_kappa(first, second))


def _coding(stance: str, date: str, confidence: str) -> str:
    return f"{stance} · {date} · {confidence}" if stance else "not coded"


def audit_table_markdown(table: pd.DataFrame) -> str:
    """The double-coding table as Markdown, one row per fact (data/AUDIT.md carries it)."""
    lines = [
        "| State | Issue | Fact | First coding | Second coding | Now in the data | Resolution |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in table.itertuples(index=False):
        first = _coding(r.first_stance, r.first_date, r.first_confidence)
        second = _coding(r.second_stance, r.second_date, r.second_confidence)
        final = _coding(r.final_stance, r.final_date, r.final_confidence)
        lines.append(
            f"| {r.country} | `{r.issue}` | {r.fact} | {first} | {second} | {final} | "
            f"{r.resolution} |"
        )
    return "\n".join(lines)
