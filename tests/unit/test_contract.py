"""The contract of the app's addresses (ui.contract): pages, parameters, link checks, and the
README's copy of the table."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from core.settings import PACKAGE_DIR
from ui.contract import (
    PAGES,
    PARAMS,
    WEIGHT_PREFIX,
    link_pairs,
    markdown_table,
    param_for,
    problems_with,
)
from ui.links import vocabulary

README = (PACKAGE_DIR / "README.md").read_text(encoding="utf-8")


def test_the_readme_table_is_the_contract():
    block = re.search(r"<!-- params:start[^>]*-->\n(.*?)<!-- params:end -->", README, re.S)
    assert block is not None, "README.md lacks the params markers"
    assert block.group(1) == markdown_table(), "run scripts/update_data_readme.py"


def test_every_page_has_its_file_and_every_parameter_real_pages():
    names = [p.name for p in PAGES]
    assert len(set(names)) == len(names)
    for page in PAGES:
        assert (PACKAGE_DIR / "app_pages" / f"{page.name}.py").is_file(), page.name
    assert PAGES[0].path == "/" and PAGES[1].path == f"/{PAGES[1].name}"
    for param in PARAMS:
        assert set(param.pages) <= set(names), param.name
        assert not param.choices or param.default in (None, *param.choices), param.name


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"countries": ["KAZ", "UZB"]}, []),
        ({"countries": ["KAZ", "XXX"]}, ["countries 'XXX'"]),
        ({"country": ["XXX"]}, ["country 'XXX'"]),
        ({"issues": ["troop_request", "nope"]}, ["issues 'nope'"]),
        ({"categories": ["UN votes", "Gossip"]}, ["categories 'Gossip'"]),
        ({"as_of": ["2022-13-01"]}, ["as_of '2022-13-01'"]),
        ({"as_of": ["1647302400000000"]}, ["as_of '1647302400000000'"]),
        ({"as_of": ["20220302"]}, ["as_of '20220302'"]),
        ({"from": ["yesterday"]}, ["from 'yesterday'"]),
        ({"cell": ["KAZ:troop_request"]}, []),
        ({"cell": ["KAZ-troop_request"]}, ["cell 'KAZ-troop_request'"]),
        ({"show": ["index"], "region": ["Central Asia"]}, []),
        ({"show": ["nope"]}, ["show 'nope'"]),
        ({"region": ["Mars"]}, ["region 'Mars'"]),
        ({"sort": ["Name"], "weights": ["UN votes only"]}, []),
        ({"sort": ["size"]}, ["sort 'size'"]),
        ({"period": ["forever"]}, ["period 'forever'"]),
        ({"min_issues": ["5"]}, []),
        ({"min_issues": ["0"]}, ["min_issues '0'"]),
        ({"min_issues": ["abc"]}, ["min_issues 'abc'"]),
        ({"min_issues": ["999"]}, ["min_issues '999'"]),
        ({f"{WEIGHT_PREFIX}unvotes": ["2.5"]}, []),
        ({f"{WEIGHT_PREFIX}unvotes": ["9"]}, [f"{WEIGHT_PREFIX}unvotes '9'"]),
        ({"step": ["3"], "room": ["ABCD"]}, []),
        ({"step": ["0"]}, ["step '0'"]),
        ({"utm_source": ["mail"], "embed": ["true"]}, []),  # not ours: left alone
    ],
)
def test_link_values_are_checked_by_their_parameter(dataset, params, expected):
    found = problems_with(params, vocabulary(dataset))
    assert [p.split(" (")[0] for p in found] == expected


def test_a_problem_says_what_the_value_should_be(dataset):
    [problem] = problems_with({"region": ["Mars"]}, vocabulary(dataset))
    assert "one of Former Soviet space" in problem


def test_param_for_knows_custom_weights():
    assert param_for("w_diplomacy").kind == "weight"
    assert param_for("nope") is None


EVERYTHING = {"countries": ["KAZ", "UZB"], "issues": ["a", "b"], "categories": ["X"]}


@pytest.mark.parametrize(
    ("page", "state", "expected"),
    [
        ("matrix", {"countries": ["KAZ", "UZB"], "sort": "Region", "min_issues": 3}, []),
        (
            "matrix",
            {"countries": ["UZB"], "sort": "Name"},
            [("countries", "UZB"), ("sort", "Name")],
        ),
        ("matrix", {"as_of": dt.date(2022, 3, 2)}, [("as_of", "2022-03-02")]),
        ("matrix", {"as_of": dt.datetime(2022, 3, 2, 5)}, [("as_of", "2022-03-02")]),
        ("compare", {"compare_countries": ["KAZ"], "countries": ["UZB"]}, [("countries", "KAZ")]),
        ("matrix", {"weights": "Equal", "w_x": 2.0}, []),
        (
            "map",
            {"weights": "Custom (a weight per category)", "w_b": 1.0, "w_a": 2.5},
            [("weights", "Custom (a weight per category)"), ("w_a", "2.5")],
        ),
        (
            "country",
            {"cell": None, "country": "KAZ", "period": "Feb–Apr 2022"},
            [("country", "KAZ")],
        ),
        ("about", {"countries": ["UZB"]}, []),
        ("present", {"step": 3, "room": "ABCD"}, []),
        ("matrix", {"data_id": "abc123"}, [("data", "abc123")]),
    ],
)
def test_the_link_to_a_view_leaves_out_defaults(page, state, expected):
    assert link_pairs(page, state, EVERYTHING) == expected
