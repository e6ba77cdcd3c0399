"""Every data page's *Link to this view* restores the view: open a page with a value for each of
its parameters (ui.contract), read the link it offers, and open that link again."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.app.helpers import run_page
from ui.contract import DATA_PAGES, WEIGHT_PREFIX, params_of

SAMPLES = {  # a value of each shared parameter that is not its default
    "countries": ["KAZ", "KGZ", "UZB"],
    "issues": ["troop_request", "unga_es11_1", "dpr_lpr_recognition"],
    "categories": ["UN votes", "Sovereignty", "Alliances & security"],
    "as_of": "2022-03-20",
    "show": "dpr_lpr_recognition",
    "region": "Central Asia",
    "cell": "UZB:dpr_lpr_recognition",
    "from": "2022-03-01",
    "to": "2023-06-30",
    "un_votes": "true",
    "sort": "Name",
    "weights": "Custom (a weight per category)",
    f"{WEIGHT_PREFIX}*": (f"{WEIGHT_PREFIX}unvotes", "2.0"),
    "min_issues": "5",
    "period": "2022–2023",
    "country": "UZB",
}
UNTESTED = {
    "rows": "shown only with more than 30 countries (tests/app/test_odd_datasets.py)",
    "data": "an imported dataset's id (tests/app/test_data_page.py)",
}


def link_of(at) -> list[tuple[str, str]]:
    """The (parameter, value) pairs of the page's *Link to this view*."""
    links = [c.value for c in at.code if "?" in c.value or c.value == ""]
    assert len(links) == 1, [c.value for c in at.code]
    return parse_qsl(urlsplit(links[0]).query)


def sample_params(page: str) -> dict[str, str | list[str]]:
    params: dict[str, str | list[str]] = {}
    for param in params_of(page):
        if not param.shared or param.name in UNTESTED:
            continue
        sample = SAMPLES[param.name]
        if param.kind == "weight":
            params[sample[0]] = sample[1]
        else:
            params[param.name] = sample
    return params


def pairs_of(params: dict[str, str | list[str]]) -> set[tuple[str, str]]:
    return {(k, v) for k, vs in params.items() for v in ([vs] if isinstance(vs, str) else vs)}


def test_every_shared_parameter_has_a_sample_or_a_reason():
    for page in DATA_PAGES:
        for param in params_of(page):
            assert not param.shared or param.name in SAMPLES or param.name in UNTESTED, param.name


@pytest.mark.parametrize("page", DATA_PAGES)
def test_the_link_to_a_view_holds_every_parameter_and_opens_the_same_view(page):
    params = sample_params(page)
    at = run_page(f"{page}.py", **params)
    link = link_of(at)
    assert pairs_of(params) <= set(link), sorted(pairs_of(params) - set(link))
    again = run_page(f"{page}.py", **{k: [v for kk, v in link if kk == k] for k, _ in link})
    assert link_of(again) == link
