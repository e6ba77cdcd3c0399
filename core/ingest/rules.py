"""Rules that span tables and that Table Schema cannot express.

Each rule is a function `(tables) -> list[Problem]`, listed in RULES and documented in
data/README.md. They run only on tables that passed the schema checks for the columns
they read, so they can rely on types.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from core.ingest.validate import FIRST_DATA_ROW
from core.model.problems import Problem
from core.model.vocabulary import parse_applies_to

Tables = dict[str, pd.DataFrame]


def _applies_to_codes_known(tables: Tables) -> list[Problem]:
    known = set(tables["countries"]["iso3"])
    problems = []
    for idx, text in tables["issues"]["applies_to"].items():
        # an exclusion ('all -RUS') of a country the data lacks excludes nothing and is harmless
        named = [t for t in str(text).split() if t != "all" and not t.startswith("-")]
        for code in named:
            if code not in known:
                rule = f"names {code}, which is not in countries.csv"
                problems.append(
                    Problem("issues.csv", idx + FIRST_DATA_ROW, "applies_to", text, rule)
                )
    return problems


def _positions_applicable(tables: Tables) -> list[Problem]:
    countries = list(tables["countries"]["iso3"])
    scope = {
        row.id: set(parse_applies_to(row.applies_to, countries))
        for row in tables["issues"].itertuples(index=False)
    }
    pos = tables["positions"]
    problems = []
    for idx, country, issue in zip(pos.index, pos["country"], pos["issue"], strict=True):
        if issue in scope and country not in scope[issue]:
            rule = f"issue {issue} does not apply to {country} (see applies_to in issues.csv)"
            problems.append(
                Problem("positions.csv", idx + FIRST_DATA_ROW, "country", country, rule)
            )
    return problems


def _month_dates_on_first(tables: Tables) -> list[Problem]:
    problems = []
    for name in ("positions", "events"):
        frame = tables[name]
        month = frame["date_precision"] == "month"
        bad = month & ~frame["date"].astype(str).str.endswith("-01")
        for idx in bad[bad].index:
            rule = "a date of month precision must be written as the first day of the month"
            problems.append(
                Problem(f"{name}.csv", idx + FIRST_DATA_ROW, "date", frame.at[idx, "date"], rule)
            )
    return problems


def _issues_have_stances(tables: Tables) -> list[Problem]:
    coded = set(tables["stances"]["issue"])
    problems = []
    for idx, issue in tables["issues"]["id"].items():
        if issue not in coded:
            rule = "this issue has no stances in stances.csv, so it cannot be scored"
            problems.append(Problem("issues.csv", idx + FIRST_DATA_ROW, "id", issue, rule))
    return problems


RULES: list[Callable[[Tables], list[Problem]]] = [
    _applies_to_codes_known,
    _positions_applicable,
    _month_dates_on_first,
    _issues_have_stances,
]


def check_rules(tables: Tables) -> list[Problem]:
    """Problems found by every cross-table rule."""
    problems: list[Problem] = []
    for rule in RULES:
        problems += rule(tables)
    return problems
