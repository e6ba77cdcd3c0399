"""A problem found in a data file, named so that a non-programmer can fix it."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd


@dataclass(frozen=True)
class Problem:
    """One broken rule: which file, row (as numbered in a spreadsheet), column and value."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        value = "" if self.value is None else f": value '{_short(self.value)}'"
        return f"{', '.join(where)}{value} — {self.rule}"


def _short(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table with the columns file, row, column, value, rule."""
    columns = ["file", "row", "column", "value", "rule"]
    frame = pd.DataFrame([asdict(p) for p in problems], columns=columns)
    frame["row"] = frame["row"].astype("Int64")
    return frame
