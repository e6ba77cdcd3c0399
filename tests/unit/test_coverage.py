"""Coverage of the evidence: the functions the About page shows, and the goals the data meets."""

from __future__ import annotations

import pandas as pd
import pytest

from core.analysis.coverage import (
    coverage_by_country,
    empty_cells,
    observations_after,
    observations_by_year,
    total_coverage,
)
from tests.conftest import dataset_with

ROWS = [
    ("KAZ", "troop_request", "2022-03-01"),
    ("KAZ", "troop_request", "2023-05-01"),  # a second observation of a covered cell
    ("KAZ", "unga_es11_1", "2022-03-02"),  # UN votes do not count
    ("RUS", "anti_war_protests", "2024-02-24"),
]
STANCE = {"troop_request": "refused_reportedly", "unga_es11_1": "abstain",
          "anti_war_protests": "repressed"}  # fmt: skip


@pytest.fixture
def small(tables):
    return dataset_with(tables, [(c, i, d, STANCE[i]) for c, i, d in ROWS])


def test_coverage_counts_applicable_non_un_cells_with_any_observation(small):
    table = coverage_by_country(small).set_index("country")
    grid = small.applicability().merge(small.issues, left_on="issue", right_on="id")
    kaz = grid[(grid["country"] == "KAZ") & grid["applies"] & (grid["category"] != "UN votes")]
    assert table.at["KAZ", "applicable"] == len(kaz) > 10
    assert table.at["KAZ", "covered"] == 1 and table.at["KAZ", "observations"] == 2
    assert table.at["RUS", "covered"] == 1 and table.at["GEO", "covered"] == 0
    total = total_coverage(small)
    assert total.covered == 2 and total.applicable == table["applicable"].sum()
    assert total.share == pytest.approx(2 / total.applicable)


def test_observations_by_year_and_after_a_date(small):
    years = observations_by_year(small)
    assert years.loc["KAZ", "2022"] == 1 and years.loc["KAZ", "2023"] == 1
    assert years.loc["RUS", "total"] == 1 and years.loc["GEO", "total"] == 0
    assert observations_after(small, pd.Timestamp("2022-06-30")) == 2


def test_empty_cells_are_the_applicable_ones_without_evidence(small):
    empty = empty_cells(small)
    assert ("KAZ", "troop_request") not in set(zip(empty["country"], empty["issue"], strict=True))
    assert ("GEO", "troop_request") not in set(zip(empty["country"], empty["issue"], strict=True))
    assert ("GEO", "anti_war_protests") in set(zip(empty["country"], empty["issue"], strict=True))
    assert len(empty) == total_coverage(small).applicable - 2


# The goals of the 2022-2025 evidence wave, checked on the bundled data.


def test_most_applicable_cells_hold_evidence(dataset):
    assert total_coverage(dataset).share >= 0.8


def test_every_state_has_at_least_eight_non_un_observations(dataset):
    assert (observations_by_year(dataset)["total"] >= 8).all()


def test_evidence_runs_through_2025(dataset):
    assert observations_after(dataset, pd.Timestamp("2022-06-30")) >= 60
    years = observations_by_year(dataset).sum()
    assert all(years[str(y)] > 0 for y in (2022, 2023, 2024, 2025))


def test_sources_are_many_dated_and_addressed(dataset):
    sources = dataset.sources
    assert len(sources) >= 9 + 25 and sources["publisher"].nunique() >= 12
    assert (sources["url"].str.startswith("https://")).all()
    assert (sources["date_published"] != "").all()


OFFICIAL = ("official", "state news agency", "United Nations")


def test_high_confidence_rests_on_a_record_or_two_publishers(dataset):
    """The codebook's rule: high = an official statement or record, or two independent reports."""
    sources = dataset.sources.set_index("id")
    further = dataset.observation_sources.groupby(["country", "issue", "date"])["source"]
    cited = further.apply(list).to_dict()
    for row in dataset.positions[dataset.positions["confidence"] == "high"].itertuples():
        ids = [row.source, *cited.get((row.country, row.issue, row.date), [])]
        publishers = {sources.at[i, "publisher"] for i in ids}
        official = any(word in sources.at[i, "publisher"] for i in ids for word in OFFICIAL)
        assert len(publishers) >= 2 or official, (row.country, row.issue, row.date)


def test_the_audit_table_matches_the_s1_rows(dataset):
    from core.analysis.audit import load_audit

    audit = load_audit()
    kept = audit[audit["final_stance"] != ""]
    table = set(
        zip(kept["country"], kept["issue"], kept["final_date"], kept["final_stance"],
            kept["final_confidence"], strict=True)
    )  # fmt: skip
    s1 = dataset.positions[dataset.positions["source"] == "S1"]
    data = set(
        zip(s1["country"], s1["issue"], s1["date"].dt.strftime("%Y-%m-%d"), s1["stance"],
            s1["confidence"], strict=True)
    )  # fmt: skip
    assert table == data


def test_audit_md_carries_the_current_table():
    from core.analysis.audit import audit_table_markdown, load_audit
    from core.settings import BUNDLED_DATA_DIR

    text = (BUNDLED_DATA_DIR / "AUDIT.md").read_text(encoding="utf-8")
    block = text.split("<!-- audit-table:start -->\n")[1].split("<!-- audit-table:end -->")[0]
    assert block == audit_table_markdown(load_audit()) + "\n", (
        "run: python scripts/update_data_readme.py"
    )
