"""Alignment index, agreement, divergences, changes, groups: on tiny frames and the bundled data."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from core.analysis.measures import (
    agreement,
    alignment,
    alignment_over_time,
    changes,
    divergences,
    issue_weights,
    ranking,
    shared_counts,
    stance_agreement,
)
from core.model.groups import GROUPS, group_members
from tests.conftest import dataset_with

T = pd.Timestamp


def frame(rows):
    """A cells frame from (country, issue, state, score, label) tuples; the stance is the label
    in lower case."""
    f = pd.DataFrame(rows, columns=["country", "issue", "state", "score", "label"])
    f["stance"] = f["label"].str.lower()
    f["country_name"] = f["country"].str.title()
    f["issue_label"] = f["issue"].str.upper()
    f["summary"] = "s"
    return f


TINY = frame(
    [
        ("A", "x", "scored", 2, "Yes"),
        ("A", "y", "scored", 0, "Abstain"),
        ("A", "z", "no_evidence", None, None),
        ("B", "x", "scored", -2, "No"),
        ("B", "y", "scored", 0, "Abstain"),
        ("B", "z", "not_applicable", None, None),
        ("C", "x", "no_evidence", None, None),
        ("C", "y", "no_evidence", None, None),
        ("C", "z", "no_evidence", None, None),
    ]
)


def test_alignment_is_the_weighted_mean_over_scored_issues():
    out = alignment(TINY, pd.Series({"x": 1.0, "y": 1.0, "z": 1.0})).set_index("country")
    assert out.at["A", "index"] == 1.0  # (2 + 0) / 2; no evidence is left out, not 0
    assert out.at["B", "index"] == -1.0
    assert math.isnan(out.at["C", "index"])
    assert (out.at["A", "n_scored"], out.at["A", "n_applicable"]) == (2, 3)
    assert (out.at["B", "n_scored"], out.at["B", "n_applicable"]) == (2, 2)


def reference_alignment(cells: pd.DataFrame, weights: pd.Series, min_scored: int) -> dict:
    """The alignment index by its definition, one country at a time in plain Python."""
    out = {}
    for country, rows in cells.groupby("country", sort=False):
        counted = [r for r in rows.itertuples() if weights.get(r.issue, 0.0) > 0]
        scored = [r for r in counted if r.state == "scored"]
        total = sum(weights[r.issue] for r in scored)
        index = sum(r.score * weights[r.issue] for r in scored) / total if scored else None
        applicable = sum(r.state != "not_applicable" for r in counted)
        ranked = index is not None and len(scored) >= max(min_scored, 1)
        out[country] = (index, len(scored), applicable, ranked)
    return out


@pytest.mark.parametrize("preset", ["equal", "un", "domestic"])
@pytest.mark.parametrize("when", ["2022-03-01", "2023-06-30", "2030-01-01"])
def test_alignment_agrees_with_its_definition_on_the_bundled_data(dataset, preset, when):
    from core.analysis.query import cells

    frame = cells(dataset, T(when))
    weights = issue_weights(dataset, preset)
    out = alignment(frame, weights, 3)
    assert list(out["country"]) == list(dict.fromkeys(frame["country"]))
    expected = reference_alignment(frame, weights, 3)
    for row in out.itertuples():
        index, n_scored, n_applicable, ranked = expected[row.country]
        assert (row.n_scored, row.n_applicable, row.ranked) == (n_scored, n_applicable, ranked)
        assert math.isnan(row.index) if index is None else row.index == pytest.approx(index)


def test_alignment_weights_change_the_index():
    out = alignment(TINY, pd.Series({"x": 3.0, "y": 1.0, "z": 1.0})).set_index("country")
    assert out.at["A", "index"] == pytest.approx(6 / 4)
    zero_x = alignment(TINY, pd.Series({"x": 0.0, "y": 1.0})).set_index("country")
    assert zero_x.at["A", "index"] == 0 and zero_x.at["A", "n_scored"] == 1


def test_agreement_formula_and_shared_counts():
    a = agreement(TINY, ["A", "B", "C"])
    assert a.loc["A", "B"] == pytest.approx((0 + 1) / 2)  # yes/no 0, same abstention 1
    assert a.loc["A", "A"] == 1.0
    assert math.isnan(a.loc["A", "C"])
    assert shared_counts(TINY, ["A", "B", "C"]).loc["A", "B"] == 2


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("yes", 2), ("yes", 2), 1.0),
        (("abstain", 0), ("abstain", 0), 1.0),
        (("absent", 0), ("abstain", 0), 0.75),  # did not vote is not an abstention
        (("silent", 0), ("hedging", 0), 0.75),  # saying nothing is not hedging
        (("yes", 2), ("abstain", 0), 0.5),
        (("yes", 2), ("absent", 0), 0.5),
        (("yes", 2), ("no", -2), 0.0),
        (("distancing", 1), ("hedging", 0), 0.75),
    ],
)
def test_stance_agreement_keeps_different_acts_apart(a, b, expected):
    assert stance_agreement(a[0], a[1], b[0], b[1]) == pytest.approx(expected)
    assert stance_agreement(b[0], b[1], a[0], a[1]) == pytest.approx(expected)


def test_agreement_does_not_count_absent_as_abstain():
    votes = frame(
        [
            ("A", "v1", "scored", 0, "Abstain"),
            ("B", "v1", "scored", 0, "Absent"),
            ("C", "v1", "scored", 0, "Abstain"),
            ("A", "s", "scored", 0, "Silent"),
            ("B", "s", "scored", 0, "Silent"),
            ("C", "s", "scored", 0, "Hedging"),
        ]
    )
    a = agreement(votes, ["A", "B", "C"])
    assert a.loc["A", "B"] == pytest.approx((0.75 + 1) / 2)
    assert a.loc["A", "C"] == pytest.approx((1 + 0.75) / 2)
    assert a.loc["B", "C"] == pytest.approx((0.75 + 0.75) / 2)


def test_divergences_include_different_stances_of_equal_score():
    votes = frame([("A", "v1", "scored", 0, "Abstain"), ("B", "v1", "scored", 0, "Absent")])
    d = divergences(votes, ["A", "B"])
    assert list(zip(d["issue"], d["gap"], strict=True)) == [("v1", 0)]


def test_alignment_ranks_only_countries_with_enough_issues():
    rows = [(c, f"i{n}", "scored", 1, "Yes") for c in "AB" for n in range(3)]
    rows += [("C", "i0", "scored", 2, "Yes"), ("D", "i0", "no_evidence", None, None)]
    out = alignment(frame(rows), pd.Series(1.0, index=["i0", "i1", "i2"]))
    ranked = out.set_index("country")["ranked"]
    assert ranked.to_dict() == {"A": True, "B": True, "C": False, "D": False}
    assert out.set_index("country").at["C", "index"] == 2  # shown, but not ranked
    loose = alignment(frame(rows), pd.Series(1.0, index=["i0", "i1", "i2"]), min_scored=1)
    assert loose.set_index("country").at["C", "ranked"]


def test_ranking_breaks_ties_by_name_and_puts_unranked_last():
    rows = [(c, f"i{n}", "scored", s, "Yes") for c, s in [("Z", 1), ("A", 1), ("M", 2)]
            for n in range(3)]  # fmt: skip
    rows += [("B", "i0", "scored", 2, "Yes")]
    scores = alignment(frame(rows), pd.Series(1.0, index=["i0", "i1", "i2"]))
    assert ranking(scores) == ["M", "A", "Z", "B"]


def test_divergences_list_each_pair_once_largest_gap_first():
    d = divergences(TINY, ["A", "B"])
    assert list(zip(d["country_a"], d["country_b"], d["issue"], d["gap"], strict=True)) == [
        ("A", "B", "x", 4)
    ]


@pytest.mark.parametrize(
    ("preset", "un_weight", "domestic_weight"),
    [("equal", 1, 1), ("un", 1, 0), ("domestic", 0, 1)],
)
def test_weight_presets(dataset, preset, un_weight, domestic_weight):
    w = issue_weights(dataset, preset)
    assert w["unga_es11_1"] == un_weight
    assert w["anti_war_protests"] == domestic_weight


def test_custom_weights_per_category(dataset):
    w = issue_weights(dataset, "custom", {"UN votes": 2.5, "Domestic": 0})
    assert w["unga_es11_3"] == 2.5 and w["z_symbol_displays"] == 0 and w["troop_request"] == 1


POSITIONS = [
    # country, issue, date, stance
    ("KGZ", "dpr_lpr_recognition", "2022-02-22", "sympathetic"),
    ("KGZ", "anti_war_protests", "2022-03-01", "allowed"),
    ("KGZ", "anti_war_protests", "2022-03-15", "banned"),
    ("KGZ", "unga_es11_1", "2022-03-02", "absent"),
    ("UZB", "dpr_lpr_recognition", "2022-03-17", "refuses"),
    ("KAZ", "unga_es11_1", "2022-03-02", "abstain"),
]


@pytest.fixture
def small(tables):
    """The bundled codebook with a handful of known observations."""
    return dataset_with(tables, POSITIONS)


def test_changes_since_the_invasion_include_kyrgyz_protest_path(small):
    moved = changes(small, T("2022-02-24"), T("2022-04-30")).set_index(["country", "issue"])
    row = moved.loc[("KGZ", "anti_war_protests")]
    assert row["path"] == "no evidence → Allowed → Banned"
    assert row["stance"] == "banned" and pd.isna(row["score_before"])
    assert ("RUS", "troop_request") not in moved.index  # not applicable never "changes"


def test_changes_between_two_scored_dates_have_a_delta(small):
    moved = changes(small, T("2022-03-05"), T("2022-04-30")).set_index(["country", "issue"])
    assert moved.loc[("KGZ", "anti_war_protests"), "delta"] == -2
    assert moved.loc[("UZB", "dpr_lpr_recognition"), "path"] == "no evidence → Refuses"
    assert ("KAZ", "unga_es11_1") not in moved.index  # same vote on both dates


@pytest.mark.parametrize(
    ("start", "cell", "score_start"),
    [("2022-02-24", ("KGZ", "anti_war_protests"), 1),  # its first stance in the period
     ("2022-03-05", ("KGZ", "anti_war_protests"), 1),  # its stance at the start
     ("2022-03-05", ("UZB", "dpr_lpr_recognition"), 2)],  # first evidence: where it lands
)  # fmt: skip
def test_changes_say_where_each_cell_started_the_period(small, start, cell, score_start):
    moved = changes(small, T(start), T("2022-04-30")).set_index(["country", "issue"])
    assert moved.loc[cell, "score_start"] == score_start


def test_alignment_over_time_steps_on_observation_dates(small):
    w = issue_weights(small, "equal")
    history = alignment_over_time(small, "KGZ", w)
    assert history["date"].is_monotonic_increasing
    # sees merit -1; then allowed +1; then did not vote 0; then banned -1 replaces allowed
    assert list(history["index"]) == pytest.approx([-1, 0, 0, -2 / 3])
    assert list(history["n_scored"]) == [1, 2, 3, 3]


@pytest.mark.parametrize(
    ("group", "members"),
    [
        ("Central Asia", ["KAZ", "KGZ", "TJK", "TKM", "UZB"]),
        ("CSTO members", ["KAZ", "KGZ", "TJK", "RUS", "BLR", "ARM"]),
        ("EAEU members", ["KAZ", "KGZ", "RUS", "BLR", "ARM"]),
    ],
)
def test_groups(dataset, group, members):
    assert group_members(dataset, group) == members


def test_all_group_and_unknown_group(dataset):
    assert "All" in GROUPS and len(group_members(dataset, "All")) == 11
    assert group_members(dataset, "Nonsense") == []
