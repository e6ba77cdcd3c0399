"""What a story step shows: the frames of its chart as of its date, for each kind of page."""

from __future__ import annotations

import pandas as pd
import pytest

from core.analysis.query import date_bounds, format_date
from core.serving.steps import TIMELINE_START, step_view
from core.serving.story import Step

WHEN = pd.Timestamp("2022-03-24")


def step(page: str, countries=("KAZ", "KGZ", "RUS"), issues=("unga_es11_1",), as_of=WHEN):
    return Step(
        number=1, title="t", narration="n", page=page, countries=list(countries),
        issues=list(issues), as_of=as_of, focus=[], notes="",
    )  # fmt: skip


@pytest.mark.parametrize("page", ["matrix", "map", "timeline", "compare"])
def test_cells_are_the_steps_countries_and_issues_only(dataset, page):
    view = step_view(dataset, step(page, issues=("unga_es11_1", "official_stance")))
    assert set(view.cells["country"]) == {"KAZ", "KGZ", "RUS"}
    assert set(view.cells["issue"]) == {"unga_es11_1", "official_stance"}
    assert len(view.cells) == 6


def test_cells_are_as_of_the_steps_date(dataset):
    view = step_view(dataset, step("matrix"))
    assert (view.cells["date"].dropna() <= WHEN).all()
    assert view.title == "Positions as of 24 Mar 2022"


def test_a_step_without_a_date_shows_the_last_one(dataset):
    view = step_view(dataset, step("matrix", as_of=None))
    assert view.title == f"Positions as of {format_date(date_bounds(dataset)[1], 'day')}"


def test_timeline_gets_named_observations_and_events_up_to_the_date(dataset):
    view = step_view(dataset, step("timeline"))
    assert len(view.observations) and (view.observations["date"] <= WHEN).all()
    assert view.observations[["country_name", "issue_label", "category"]].notna().all().all()
    assert (view.events["date"] <= WHEN).all()
    assert view.date_range == (TIMELINE_START, WHEN + pd.Timedelta(days=7))
    assert view.categories == list(dict.fromkeys(dataset.issues["category"]))


def test_map_of_one_issue_draws_it_and_of_several_their_index(dataset):
    one = step_view(dataset, step("map"))
    several = step_view(dataset, step("map", issues=("unga_es11_1", "official_stance")))
    assert one.alignment is None and one.title.startswith("UNGA ES-11/1 as of")
    assert set(several.alignment["country"]) == {"KAZ", "KGZ", "RUS"}
    assert several.title == "Alignment index as of 24 Mar 2022"


def test_compare_gets_pairwise_agreement_of_the_steps_countries(dataset):
    view = step_view(dataset, step("compare", issues=("unga_es11_1", "official_stance")))
    assert list(view.agreement.index) == ["KAZ", "KGZ", "RUS"]
    assert view.shared.shape == (3, 3) and view.names["KAZ"] == "Kazakhstan"
