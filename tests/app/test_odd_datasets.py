"""Every page on valid but odd datasets: one country, one issue, one date, a matrix dated today,
all 193 UN member states, dates at both bounds of the schema, an issue and a country nobody was
observed on, no observations at all.

Each dataset is built once, stored the way the Data page stores an import, and opened by its
`?data=<id>` link on every page; a page passes when it raises nothing and shows no error.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.ingest.conform import base_tables
from core.ingest.importing import import_file
from core.ingest.package import load_tables
from core.model.countries import UN_MEMBER_STATES
from core.model.vocabulary import parse_applies_to
from core.settings import PACKAGE_DIR
from tests.app.helpers import APP, as_of_shown
from ui.filters import FROM_MARGIN
from ui.state import dataset_store

PAGES = sorted(path.name for path in (PACKAGE_DIR / "app_pages").glob("*.py"))
FIRST_DATE, LAST_DATE = "1900-01-01", "2100-12-31"
ONE_DATE = "2022-03-01"
EXPIRED = "expired or does not exist"

UN_MEMBERS = UN_MEMBER_STATES


def restrict(tables: dict, countries: set[str] | None = None, issues: set[str] | None = None):
    """The tables cut down to `countries` and `issues`, consistently across all of them."""
    t = {name: frame.copy() for name, frame in tables.items()}
    if countries is not None:
        t["countries"] = t["countries"][t["countries"]["iso3"].isin(countries)]
        t["events"] = t["events"][t["events"]["country"].isin(countries | {""})]
        codes = list(t["countries"]["iso3"])
        scope = {
            row.id: set(parse_applies_to(row.applies_to, codes)) & countries
            for row in t["issues"].itertuples(index=False)
        }
        t["issues"] = t["issues"][t["issues"]["id"].map(lambda i: bool(scope[i]))]
        t["issues"]["applies_to"] = t["issues"]["id"].map(lambda i: " ".join(sorted(scope[i])))
    if issues is not None:
        t["issues"] = t["issues"][t["issues"]["id"].isin(issues)]
    kept_issues = set(t["issues"]["id"])
    kept_countries = set(t["countries"]["iso3"])
    t["stances"] = t["stances"][t["stances"]["issue"].isin(kept_issues)]
    for name in ("positions", "observation_sources"):
        frame = t[name]
        t[name] = frame[frame["issue"].isin(kept_issues) & frame["country"].isin(kept_countries)]
    return {name: frame.reset_index(drop=True) for name, frame in t.items()}


def at_one_date(tables: dict) -> dict:
    """Each cell's latest observation only, all dated ONE_DATE."""
    t = {name: frame.copy() for name, frame in tables.items()}
    latest = t["positions"].sort_values("date").groupby(["country", "issue"]).tail(1)
    t["positions"] = latest.assign(date=ONE_DATE, date_precision="day").reset_index(drop=True)
    t["observation_sources"] = t["observation_sources"].iloc[0:0]
    return t


def at_the_bounds(tables: dict) -> dict:
    """Observations and events on the first and the last day the schema allows."""
    t = {name: frame.copy() for name, frame in tables.items()}
    pos = t["positions"].sort_values(["country", "issue", "date"]).reset_index(drop=True)
    first = ~pos.duplicated(["country", "issue"], keep="first")
    last = ~pos.duplicated(["country", "issue"], keep="last") & ~first
    pos.loc[first, "date"], pos.loc[last, "date"] = FIRST_DATE, LAST_DATE
    pos.loc[first | last, "date_precision"] = "day"
    t["positions"] = pos[first | last].reset_index(drop=True)
    t["observation_sources"] = t["observation_sources"].iloc[0:0]
    events = t["events"]
    events.loc[events.index[0], ["date", "date_precision"]] = [FIRST_DATE, "day"]
    events.loc[events.index[-1], ["date", "date_precision"]] = [LAST_DATE, "day"]
    return t


def with_unobserved_issue(tables: dict) -> dict:
    """A new issue with stances that no observation uses."""
    t = {name: frame.copy() for name, frame in tables.items()}
    order = int(pd.to_numeric(t["issues"]["order"]).max()) + 1
    issue = {"id": "not_yet_observed", "label": "Not yet observed", "category": "Untouched",
             "question": "Asked?", "applies_to": "all", "order": str(order)}  # fmt: skip
    stances = [
        {"issue": issue["id"], "stance": s, "label": s, "score": str(n), "meaning": s}
        for s, n in (("yes", 1), ("no", -1))
    ]
    t["issues"] = pd.concat([t["issues"], pd.DataFrame([issue])], ignore_index=True)
    t["stances"] = pd.concat([t["stances"], pd.DataFrame(stances)], ignore_index=True)
    return t


def with_unobserved_country(tables: dict) -> dict:
    """A country in countries.csv that no observation names."""
    t = {name: frame.copy() for name, frame in tables.items()}
    row = {"iso3": "FRA", "name": "France", "region": "Other", "csto": "none", "eaeu": "none",
           "cis": "none", "membership_note": ""}  # fmt: skip
    t["countries"] = pd.concat([t["countries"], pd.DataFrame([row])], ignore_index=True)
    return t


def without_observations(tables: dict) -> dict:
    """The codebook and events, and not one observation."""
    t = {name: frame.copy() for name, frame in tables.items()}
    for name in ("positions", "observation_sources"):
        t[name] = t[name].iloc[0:0]
    return t


def imported(dataset, name: str, text: str, **options) -> dict:
    result = import_file(name, text.encode(), dataset, **options)
    assert result.dataset is not None, result.problems[:3]
    return base_tables(result.dataset)


def un_matrix(dataset) -> dict:
    """A numeric matrix of every UN member state on two new issues, dated by the import."""
    lines = ["country,Sanctions score,Arms score"]
    lines += [f"{code},{i % 5 - 2},{2 - i % 5}" for i, code in enumerate(UN_MEMBERS)]
    return imported(dataset, "un.csv", "\n".join(lines) + "\n", as_of=dt.date(2024, 6, 1),
                    add_unknown=True)  # fmt: skip


BUILDERS = {
    "one country": lambda ds: restrict(base_tables(ds), countries={"KAZ"}),
    "one issue": lambda ds: restrict(base_tables(ds), issues={"official_stance"}),
    "one date": lambda ds: at_one_date(base_tables(ds)),
    "matrix dated today": lambda ds: imported(
        ds, "today.csv", "country,troop_request\nKAZ,refused\nKGZ,refused\n", as_of=dt.date.today()
    ),
    "193 UN members": un_matrix,
    "dates at both bounds": lambda ds: at_the_bounds(base_tables(ds)),
    "never observed": lambda ds: with_unobserved_country(with_unobserved_issue(base_tables(ds))),
    "no observations": lambda ds: without_observations(base_tables(ds)),
}


@pytest.fixture(scope="module")
def stored(dataset) -> dict[str, str]:
    """Each odd dataset's id in the store, each checked valid first."""
    ids = {}
    for label, build in BUILDERS.items():
        tables = build(dataset)
        result = load_tables(tables)
        assert result.ok, (label, result.problems[:3])
        ids[label] = dataset_store().put(tables, label=label)
    return ids


def test_the_un_list_has_193_distinct_members():
    assert len(set(UN_MEMBERS)) == len(UN_MEMBERS) == 193


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("label", list(BUILDERS))
def test_every_page_shows_an_odd_dataset(stored, label, page):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["data"] = stored[label]
    at.switch_page(f"app_pages/{page}")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert not [w for w in at.warning if EXPIRED in w.value], "the dataset was not opened"


def open_page(page: str, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(f"app_pages/{page}")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


@pytest.mark.parametrize(
    ("page", "kind", "key"),
    [("map.py", "select_slider", "as_of"), ("compare.py", "select_slider", "as_of"),
     ("changes.py", "date_input", "from"), ("changes.py", "date_input", "to")],
)  # fmt: skip
def test_a_date_chosen_on_other_data_is_moved_into_the_new_datas_range(stored, page, kind, key):
    at = open_page(page)
    getattr(at, kind)(key=key).set_value(dt.date(2022, 3, 1)).run()
    at.switch_page("app_pages/data.py").run()
    at.session_state["data_id"] = stored["matrix dated today"]  # as an import would
    at.switch_page(f"app_pages/{page}").run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    # the slider's nearest stop is the one change date; a picker reaches a little earlier
    margin = FROM_MARGIN if kind == "date_input" else dt.timedelta(0)
    assert getattr(at, kind)(key=key).value == dt.date.today() - margin


@pytest.mark.parametrize(
    ("page", "kind", "key", "value", "expected"),
    [
        ("map.py", "select_slider", "as_of", "1800-01-01", "first"),
        ("map.py", "select_slider", "as_of", "2200-01-01", "last"),
        ("compare.py", "select_slider", "as_of", "1899-06-30", "first"),
        ("changes.py", "date_input", "from", "1800-01-01", "first"),
        ("changes.py", "date_input", "to", "2300-01-01", "last"),
    ],
)
def test_a_link_date_outside_the_data_shows_the_nearest_date(
    dataset, page, kind, key, value, expected
):
    at = open_page(page, **{key: value})
    dates = dataset.positions["date"]
    first, last = dates.min().date(), dates.max().date()
    if kind == "date_input":
        first -= FROM_MARGIN
    assert getattr(at, kind)(key=key).value == {"first": first, "last": last}[expected]


@pytest.mark.parametrize(("value", "expected"), [("1800-01-01", "first"), ("2200-01-01", "last")])
def test_the_matrix_opens_a_link_date_outside_the_data_at_the_nearest_date(
    dataset, value, expected
):
    at = open_page("matrix.py", as_of=value)
    dates = dataset.positions["date"]
    assert as_of_shown(at) == {"first": dates.min(), "last": dates.max()}[expected].date()


@pytest.mark.parametrize(
    ("label", "page", "params"),
    [
        ("never observed", "country.py", {"country": "FRA"}),
        ("never observed", "timeline.py", {"countries": "FRA"}),
        ("never observed", "timeline.py", {"categories": "Untouched"}),
        ("never observed", "matrix.py", {"issues": "not_yet_observed"}),
        ("one date", "changes.py", {"from": "2022-03-01", "to": "2022-03-01"}),
    ],
)
def test_a_view_with_nothing_to_draw_is_shown(stored, label, page, params):
    open_page(page, data=stored[label], **params)
