"""The public contract of the app's addresses: every page and every URL parameter, in one table.

The pages' navigation (app.py), the keys of the widgets, the check of a link's values, the
*Link to this view* box and the filters kept across pages all read these tables, and a test
compares the README's deep-link table with `markdown_table()`. Pure: no Streamlit here, so the
table can be tested and documented without a running app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from core.analysis.measures import MIN_SCORED_ISSUES, WEIGHT_PRESETS
from core.model.geo import DEFAULT_REGION, REGIONS
from figures.timeline import DEFAULT_PERIOD, PERIODS


@dataclass(frozen=True)
class Page:
    """A page: its file in app_pages/ (also its URL path), title and Material icon."""

    name: str
    title: str
    icon: str

    @property
    def path(self) -> str:
        """The page's address: the first page is served at /."""
        return "/" if self.name == PAGES[0].name else f"/{self.name}"


PAGES = (
    Page("matrix", "Matrix", "grid_view"),
    Page("map", "Map", "map"),
    Page("timeline", "Timeline", "timeline"),
    Page("compare", "Compare", "compare_arrows"),
    Page("country", "Country profile", "flag"),
    Page("changes", "What changed", "change_history"),
    Page("data", "Your data", "upload_file"),
    Page("present", "Present", "slideshow"),
    Page("about", "About and method", "info"),
)
PAGE = {page.name: page for page in PAGES}
ALL = tuple(page.name for page in PAGES)

SORTS = ("Region", "Alignment index", "Name")
INDEX = "index"
DATA_STATE_KEY = "data_id"
"""The session key of the dataset a session shows (its `data` parameter)."""
WEIGHT_PREFIX = "w_"
"""Custom weights have one parameter per category: `w_` and the category's letters."""


@dataclass(frozen=True)
class Param:
    """One URL parameter: what it holds, on which pages, and how the app treats it."""

    name: str
    kind: str
    """How a value is checked (see CHECKS): countries, issues, date, choice, ..."""
    pages: tuple[str, ...]
    value: str
    """The README's words for its value."""
    default: str | None = None
    """Left out of a view's link when the view has this value."""
    choices: tuple[str, ...] = ()
    state_keys: tuple[tuple[str, str], ...] = ()
    """(page, session key) where a page keeps the value under another key than `name`."""
    shared: bool = True
    """Written into *Link to this view* (a presenter's room and key are not)."""
    keep: bool = False
    """Kept when the user switches pages, so that a filter chosen on one page stays chosen."""
    synced: str = "bound"
    """`bound` (Streamlit's bind="query-params"), `synced` by ui/url_state.py because the
    widget shows names while the link holds codes, or `read` (read by the page only)."""

    def state_key(self, page: str) -> str:
        """The session key under which `page` keeps this parameter's value."""
        return dict(self.state_keys).get(page, self.name)


DATA_PAGES = ("matrix", "map", "timeline", "compare", "country", "changes")
PARAMS = (
    Param("countries", "countries", ("matrix", "map", "timeline", "compare", "changes"),
          "ISO3 codes, repeated: `?countries=KAZ&countries=UZB` (2 to 5 on Compare)",
          state_keys=(("compare", "compare_countries"),), keep=True, synced="synced"),
    Param("issues", "issues", ("matrix", "map", "compare", "changes"),
          "issue ids, repeated: `?issues=troop_request&issues=unga_es11_1` (on Map, the issues "
          "of the index)", keep=True, synced="synced"),
    Param("categories", "categories", ("matrix", "map", "timeline", "compare", "changes"),
          "category names, repeated"),
    Param("as_of", "date", ("matrix", "map", "compare"), "`YYYY-MM-DD`", keep=True,
          synced="synced"),
    Param("show", "show", ("map",), f"an issue id, or `{INDEX}` (the default): what colours the "
          "map", default=INDEX, synced="synced"),
    Param("region", "choice", ("map",), "the part of the world the map frames",
          default=DEFAULT_REGION, choices=tuple(REGIONS)),
    Param("cell", "cell", ("matrix", "map", "timeline", "country", "changes"),
          "`ISO3:issue_id`, opens that cell's evidence: `?cell=KGZ:anti_war_protests`",
          keep=True, synced="synced"),
    Param("from", "date", ("changes",), "`YYYY-MM-DD`, the start of the period compared"),
    Param("to", "date", ("changes",), "`YYYY-MM-DD`, its end"),
    Param("un_votes", "choice", ("changes",), "whether the UN General Assembly votes are listed "
          "and drawn (off by default: one row per country and vote would bury the other moves)",
          default="false", choices=("true", "false")),
    Param("sort", "choice", ("matrix",), "how the countries are ordered", default=SORTS[0],
          choices=SORTS),
    Param("weights", "choice", ("matrix", "map", "country"), "the alignment index's weighting",
          default=WEIGHT_PRESETS["equal"], choices=tuple(WEIGHT_PRESETS.values())),
    Param(f"{WEIGHT_PREFIX}*", "weight", ("matrix", "map", "country"),
          f"with `weights={WEIGHT_PRESETS['custom']}`, a weight from 0 to 3 per category: "
          f"`{WEIGHT_PREFIX}` and the category's letters, e.g. `{WEIGHT_PREFIX}unvotes=2`; "
          "default 1",
          default="1.0"),
    Param("min_issues", "count", ("matrix", "map"), "a whole number: the alignment index ranks "
          f"only countries scored on at least this many issues (default {MIN_SCORED_ISSUES})",
          default=str(MIN_SCORED_ISSUES)),
    Param("period", "choice", ("timeline", "country"), "the stretch of time shown",
          default=DEFAULT_PERIOD, choices=tuple(PERIODS)),
    Param("country", "country", ("country",), "one ISO3 code", keep=True, synced="synced"),
    Param("rows", "free", ("matrix",), "which 30 countries to show when there are more than 30"),
    Param("data", "free", (*DATA_PAGES, "data"), "the id of an imported or edited dataset (see "
          "*Using your own data*)", state_keys=tuple((p, DATA_STATE_KEY) for p in ALL),
          synced="read"),
    Param("step", "step", ("present",), "the step shown, from 1", shared=False, synced="read"),
    Param("room", "free", ("present",), "a room's code", shared=False, synced="read"),
    Param("role", "choice", ("present",), "the presenter's view of a room",
          choices=("presenter",), shared=False, synced="read"),
    Param("key", "free", ("present",), "the presenter's key of a room", shared=False,
          synced="read"),
    Param("contrast", "choice", ("present",), "high contrast", choices=("true",
          "false"), shared=False),
)  # fmt: skip
PARAM = {param.name: param for param in PARAMS}
KEPT_KEYS = [p.name for p in PARAMS if p.keep] + ["compare_countries", "image_format"]
"""Session keys app.py keeps across pages: the kept parameters, the Compare page's countries and
the chart download format."""


def params_of(page: str) -> list[Param]:
    """The parameters `page` reads, in table order."""
    return [p for p in PARAMS if page in p.pages]


def param_for(name: str) -> Param | None:
    """The parameter a URL key is, also for a custom weight (`w_...`)."""
    if name in PARAM:
        return PARAM[name]
    if name.startswith(WEIGHT_PREFIX):
        return PARAM[f"{WEIGHT_PREFIX}*"]
    return None


@dataclass(frozen=True)
class Vocabulary:
    """What a link's values may name: the current dataset's codes."""

    countries: frozenset[str]
    issues: frozenset[str]
    categories: frozenset[str]


def _date(value: str, _: Vocabulary) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == len("2022-03-02")


def _number(value: str, low: float, high: float) -> bool:
    try:
        return low <= float(value) <= high
    except ValueError:
        return False


def _cell(value: str, v: Vocabulary) -> bool:
    country, _, issue = value.partition(":")
    return country in v.countries and issue in v.issues


CHECKS: dict[str, tuple[Callable[[str, Vocabulary], bool], str]] = {
    "countries": (lambda x, v: x in v.countries, "not an ISO3 code in the data"),
    "country": (lambda x, v: x in v.countries, "not an ISO3 code in the data"),
    "issues": (lambda x, v: x in v.issues, "no such issue id"),
    "categories": (lambda x, v: x in v.categories, "no such category"),
    "date": (_date, "dates are written YYYY-MM-DD"),
    "show": (lambda x, v: x == INDEX or x in v.issues, f"an issue id, or {INDEX}"),
    "cell": (_cell, "expected ISO3:issue_id, e.g. KAZ:troop_request"),
    "count": (
        lambda x, v: x.isdigit() and 1 <= int(x) <= max(len(v.issues), 1),
        "a whole number of issues from 1 to the number of issues",
    ),
    "weight": (lambda x, v: _number(x, 0, 3), "a weight from 0 to 3"),
    "step": (lambda x, v: x.isdigit() and int(x) >= 1, "a step number from 1"),
    "free": (lambda x, v: True, ""),
}


def problems_with(params: dict[str, list[str]], vocabulary: Vocabulary) -> list[str]:
    """Words for each link value that names nothing in the data or breaks its parameter's
    form; parameters the app does not know are left alone."""
    problems = []
    for name, values in params.items():
        param = param_for(name)
        if param is None:
            continue
        for value in values:
            if not value:
                continue
            if param.kind == "choice":
                ok, why = value in param.choices, "one of " + ", ".join(param.choices)
            else:
                check, why = CHECKS[param.kind]
                ok = check(value, vocabulary)
            if not ok:
                problems.append(f"{name} '{value}' ({why})")
    return problems


def url_values(value: object) -> list[str]:
    """A widget's value as the link writes it: dates as YYYY-MM-DD, lists repeated."""
    values = list(value) if isinstance(value, list | tuple) else [value]
    out = []
    for v in values:
        if v is None or v == "":
            continue
        if isinstance(v, dt.datetime):
            v = v.date()
        if isinstance(v, bool):  # a toggle: written as Streamlit's binding writes it
            v = str(v).lower()
        out.append(v.isoformat() if isinstance(v, dt.date) else str(v))
    return out


def link_pairs(
    page: str, state: dict[str, object], everything: dict[str, Iterable[str]]
) -> list[tuple[str, str]]:
    """The (parameter, value) pairs of the link to `page` as it shows now, read from the
    session `state`. A value is left out when it is the default: the parameter's `default`,
    or for a list, every choice there is (`everything[name]`)."""
    pairs: list[tuple[str, str]] = []
    for param in params_of(page):
        if not param.shared:
            continue
        if param.kind == "weight":
            custom = state.get("weights") == WEIGHT_PRESETS["custom"]
            keys = sorted(k for k in state if k.startswith(WEIGHT_PREFIX)) if custom else []
            pairs += [(k, v) for k in keys for v in url_values(state[k]) if v != param.default]
            continue
        values = url_values(state.get(param.state_key(page)))
        if param.default is not None and values == [param.default]:
            continue
        if param.name in everything and set(values) == set(everything[param.name]):
            continue
        pairs += [(param.name, v) for v in values]
    return pairs


def markdown_table() -> str:
    """The README's table of parameters, from PARAMS."""
    rows = ["| Parameter | Pages | Value |", "|---|---|---|"]
    for param in PARAMS:
        pages = ", ".join(PAGE[p].title for p in param.pages)
        if set(param.pages) == set((*DATA_PAGES, "data")):
            pages = "every data page, and Your data"
        value = param.value
        if param.kind == "choice":
            shown = [f"`{c}`" + (" (default)" if c == param.default else "") for c in param.choices]
            value += ": " + ", ".join(shown)
        rows.append(f"| `{param.name}` | {pages} | {value} |")
    return "\n".join(rows) + "\n"
