"""As-of queries, date precision, the three cell states and a cell's history."""

from __future__ import annotations

import pandas as pd
import pytest

from core.analysis.query import (
    NO_EVIDENCE,
    NOT_APPLICABLE,
    SCORED,
    as_of,
    cell_history,
    cell_state,
    cells,
    date_bounds,
    format_date,
)
from core.ingest.package import load_tables

T = pd.Timestamp


@pytest.mark.parametrize(
    ("date", "precision", "text"),
    [
        ("2022-03-02", "day", "2 Mar 2022"),
        ("2022-03-01", "month", "Mar 2022"),
        ("2022-03-15", "approximate", "c. 15 Mar 2022"),
    ],
)
def test_format_date(date, precision, text):
    assert format_date(T(date), precision) == text


@pytest.mark.parametrize(
    ("when", "stance", "n_obs"),
    [("2022-03-05", "allowed", 1), ("2022-03-14", "allowed", 1), ("2022-04-01", "banned", 2)],
)
def test_kyrgyz_protests_change_over_time(dataset, when, stance, n_obs):
    row = as_of(dataset, T(when)).set_index(["country", "issue"]).loc[("KGZ", "anti_war_protests")]
    assert (row["stance"], row["n_obs"]) == (stance, n_obs)


def test_nothing_is_known_before_the_first_observation(dataset):
    first, _ = date_bounds(dataset)
    assert as_of(dataset, first - pd.Timedelta(days=1)).empty
    assert not as_of(dataset, first).empty


def test_three_cell_states(dataset):
    frame = cells(dataset, T("2022-03-05")).set_index(["country", "issue"])
    assert frame.loc[("KAZ", "unga_es11_1"), "state"] == SCORED
    assert frame.loc[("KAZ", "unga_es11_2"), "state"] == NO_EVIDENCE  # voted on 24 March
    assert frame.loc[("RUS", "official_stance"), "state"] == NOT_APPLICABLE
    assert frame.loc[("UZB", "ruble_customs_duties"), "state"] == NOT_APPLICABLE
    assert frame.loc[("TKM", "unga_es11_1"), "stance"] == "absent"
    assert frame.loc[("TKM", "unga_es11_1"), "score"] == 0


def test_cells_filters_countries_and_issues(dataset):
    frame = cells(dataset, T("2025-02-24"), countries=["KAZ", "UZB"], issues=["unga_es11_1"])
    assert sorted(frame["country"]) == ["KAZ", "UZB"]
    assert set(frame["issue"]) == {"unga_es11_1"}


def test_cell_state_follows_the_date(dataset):
    assert cell_state(dataset, "UZB", "dpr_lpr_recognition", T("2022-03-16")) == NO_EVIDENCE
    assert cell_state(dataset, "UZB", "dpr_lpr_recognition", T("2022-03-17")) == SCORED


def test_cell_history_is_ordered_and_cited(dataset):
    history = cell_history(dataset, "KGZ", "anti_war_protests")
    assert list(history["stance"][:2]) == ["allowed", "banned"]
    assert history["date"].is_monotonic_increasing
    assert "Carnegie Endowment for International Peace" in set(history["publisher"])


def test_cell_history_lists_every_source_of_an_observation(dataset):
    history = cell_history(dataset, "UZB", "dpr_lpr_recognition").set_index("date")
    speech = history.loc[T("2022-03-17")]
    assert speech["source"] == "S1" and speech["n_sources"] == 1 + len(speech["further"]) >= 3
    extra = dataset.observation_sources
    mine = extra[(extra["country"] == "UZB") & (extra["issue"] == "dpr_lpr_recognition")]
    assert {f["source"] for f in speech["further"]} == set(mine["source"])
    assert all(f["locator"] and f["publisher"] and f["url"] for f in speech["further"])


def test_month_precision_counts_from_the_start_of_its_month(tables):
    pos = tables["positions"]
    i = pos.index[(pos["country"] == "UZB") & (pos["issue"] == "migrants_foreign_army")][0]
    pos.loc[i, ["date", "date_precision"]] = ["2022-04-01", "month"]
    ds = load_tables(tables).dataset
    assert cell_state(ds, "UZB", "migrants_foreign_army", T("2022-03-31")) == NO_EVIDENCE
    assert cell_state(ds, "UZB", "migrants_foreign_army", T("2022-04-01")) == SCORED
    assert cell_state(ds, "UZB", "migrants_foreign_army", T("2022-04-20")) == SCORED


def test_effective_date_is_the_last_observation_on_or_before(dataset):
    from core.analysis.query import effective_date

    dates = sorted(dataset.positions["date"].unique())
    gap = next(i for i in range(len(dates) - 1) if dates[i + 1] - dates[i] > pd.Timedelta(days=2))
    assert effective_date(dataset, dates[gap] + pd.Timedelta(days=1)) == dates[gap]
    assert effective_date(dataset, T("2022-03-17")) == T("2022-03-17")
    first, _ = date_bounds(dataset)
    assert effective_date(dataset, first - pd.Timedelta(days=5)) < first
    for when in ("2022-03-10", "2024-06-01"):  # same cells for every date in between
        a = cells(dataset, T(when))
        b = cells(dataset, effective_date(dataset, T(when)))
        pd.testing.assert_frame_equal(a, b)
