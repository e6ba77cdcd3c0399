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
    change_dates,
    date_bounds,
    event_date,
    format_date,
    key_dates,
    latest_on_or_before,
    un_vote_issues,
)
from core.ingest.package import load_tables
from tests.conftest import dataset_with

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


def test_change_dates_are_the_observation_and_event_dates_in_order(dataset):
    dates = change_dates(dataset)
    assert dates == sorted(set(dates))
    observed = set(dataset.positions["date"])
    first, last = min(observed), max(observed)
    assert observed <= set(dates)
    assert (dates[0], dates[-1]) == (first, last)
    events = set(dataset.events["date"])
    within = {d for d in events if first <= d <= last}
    assert set(dates) == observed | within and within - observed  # events add dates
    assert T("2022-01-01") in events and T("2022-01-01") not in dates  # before any observation


def test_change_dates_of_a_small_dataset(tables):
    ds = dataset_with(tables, [("KAZ", "troop_request", "2022-03-01", "refused"),
                               ("KGZ", "troop_request", "2022-03-09", "refused")])  # fmt: skip
    events = set(ds.events["date"])
    between = {d for d in events if T("2022-03-01") < d < T("2022-03-09")}
    assert change_dates(ds) == [T("2022-03-01"), *sorted(between), T("2022-03-09")]


@pytest.mark.parametrize(
    ("when", "expected"),
    [("2022-03-01", "2022-03-01"), ("2022-03-05", "2022-03-01"), ("2022-03-09", "2022-03-09"),
     ("2030-01-01", "2022-03-09"), ("2021-01-01", "2022-03-01")],
)  # fmt: skip
def test_latest_on_or_before_snaps_back_or_to_the_first(when, expected):
    dates = [T("2022-03-01"), T("2022-03-09")]
    assert latest_on_or_before(dates, T(when)) == T(expected)


def test_key_dates_are_the_invasion_and_each_un_vote_from_the_data(dataset):
    keys = key_dates(dataset)
    assert keys[0] == (event_date(dataset, "invasion"), "Russia's full-scale invasion")
    assert keys[0].date == T("2022-02-24")
    votes = {k.date: k.label for k in keys[1:]}
    assert votes[T("2022-03-02")] == "UN vote: UNGA ES-11/1"
    assert votes[T("2025-02-24")] == "UN votes: UNGA ES-11/7, UNGA ES-11/8"  # one day, two votes
    labels = dataset.issues.set_index("id")["label"]
    assert sum(label.count("UNGA") for label in votes.values()) == len(un_vote_issues(dataset))
    assert all(labels[i] in " ".join(votes.values()) for i in un_vote_issues(dataset))
    assert [k.date for k in keys] == sorted(k.date for k in keys)
    assert set(k.date for k in keys) <= set(change_dates(dataset))


def test_key_dates_skip_what_the_data_lacks(tables):
    tables["events"] = tables["events"][tables["events"]["id"] != "invasion"]
    ds = dataset_with(tables, [("KAZ", "unga_es11_2", "2022-03-24", "yes")])
    assert key_dates(ds) == [(T("2022-03-24"), "UN vote: UNGA ES-11/2")]
    assert event_date(ds, "invasion") is None
