"""Turn an imported table into a full package on top of a base dataset.

- Long form: rows shaped like positions.csv; countries may be names or ISO3 codes.
- Wide matrix: one row per country, one column per issue (id or label), cells holding stance
  codes or labels, or scores -2..+2; dates from an `as_of` column or one date for the file.

A country missing from the base's countries table is added when it is a valid ISO 3166 country.
Issues and stances the base does not know are reported, or, when the caller says so, added to
the codebook (`add_unknown`): a numeric matrix needs no labels, so its scores become stances.
`core.ingest.importing` checks the result as the bundled data is checked (load_tables).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from core.ingest.validate import FIRST_DATA_ROW
from core.model.countries import country_name, iso3
from core.model.dataset import Dataset, string_tables
from core.model.problems import Problem
from core.model.vocabulary import signed_score

UPLOAD_SOURCE = "UPLOAD"
IMPORTED_CATEGORY = "Imported"
COUNTRY_COLUMNS = {"country", "iso3", "country_name", "name", "state", "member state"}
SCORE_STANCES = {2: "score_p2", 1: "score_p1", 0: "score_0", -1: "score_m1", -2: "score_m2"}
TABLES = ("countries", "issues", "stances", "positions", "observation_sources", "events", "sources")
OBSERVATION_KEY = ["country", "issue", "date"]
COUNTRY_FIELDS = ["iso3", "name", "region", "csto", "eaeu", "cis", "membership_note"]
CHOSEN_DATE = "as_of (the date chosen on import)"
"""What a problem names as the column when a wide matrix's date is the one chosen on import."""


@dataclass(frozen=True)
class Origin:
    """The place in the uploaded file that a row of a conformed table came from, so that a
    problem with that row can name the file's own row and column."""

    row: int
    """The file's row as a spreadsheet numbers it (1 is the header)."""
    column: str | None = None
    """The file's column the row was made from (a wide matrix's cell or header), if one."""
    headers: dict[str, str] = field(default_factory=dict)
    """Table column -> the file's column, where the file names it differently."""
    made: str = ""
    """For a table the user never uploaded: what the file made, e.g. "a new issue"."""

    def column_for(self, column: str | None) -> str | None:
        """The file's column for a problem about the table column(s) `column`."""
        if column is None:
            return self.column
        if column in self.headers:
            return self.headers[column]
        if self.column is not None:
            return self.column
        return " + ".join(self.headers.get(part, part) for part in column.split(" + "))


Origins = dict[str, dict[int, Origin]]
"""Table name -> row label -> where that row came from in the uploaded file."""


@dataclass(frozen=True)
class Additions:
    """What an import added to the base's codebook, to tell the user."""

    countries: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    stances: list[tuple[str, str]] = field(default_factory=list)
    """(issue, stance) pairs."""


@dataclass
class Conformed:
    """Tables of strings ready for validation, or the problems that stopped the import."""

    tables: dict[str, pd.DataFrame] | None
    problems: list[Problem]
    added: Additions = field(default_factory=Additions)
    origins: Origins = field(default_factory=dict)


def base_tables(ds: Dataset) -> dict[str, pd.DataFrame]:
    """The dataset's tables back as strings, as they would be read from CSV."""
    return string_tables(ds)


def keep_sources_of_unchanged_observations(
    tables: dict[str, pd.DataFrame], before: pd.DataFrame
) -> None:
    """Keep the further sources only of observations that are still there exactly as they were
    in `before` (the positions those sources were written for). An observation an import or an
    edit replaced, changed or deleted loses them: they may not support what it says now."""
    further = tables["observation_sources"]
    columns = list(before.columns)
    now = tables["positions"].reindex(columns=columns).astype(object).fillna("").astype(str)
    same = before.fillna("").astype(str).merge(now, on=columns)
    kept = pd.MultiIndex.from_frame(same[OBSERVATION_KEY])
    mask = pd.MultiIndex.from_frame(further[OBSERVATION_KEY].astype(str)).isin(kept)
    tables["observation_sources"] = further[mask].reset_index(drop=True)


def country_codes(values: pd.Series, known: set[str], file: str, column: str):
    """ISO3 codes for a column of names or codes; problems for those that name no country."""
    codes, problems = [], []
    for idx, value in values.items():
        code = str(value).strip().upper() if str(value).strip().upper() in known else iso3(value)
        if code is None:
            rule = "not a country name or ISO3 code (ISO 3166) that can be recognised"
            problems.append(Problem(file, int(idx) + FIRST_DATA_ROW, column, str(value), rule))
        codes.append(code)
    return codes, problems


def _append(frame: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` added after `frame`, labelled after its last row so that its labels (the file's
    rows, for an uploaded table) are kept."""
    start = int(frame.index.max()) + 1 if len(frame) else 0
    rows = rows.set_axis(pd.RangeIndex(start, start + len(rows)))
    return pd.concat([frame, rows]) if len(frame) else rows


def add_countries(
    tables: dict, codes: list[str], origins: Origins | None = None,
    where: dict[str, Origin] | None = None,
) -> list[str]:  # fmt: skip
    """Add the valid ISO 3166 countries among `codes` that the countries table lacks; `where`
    (code -> the place in the file that named it) records where each came from."""
    countries = tables["countries"]
    if not set(COUNTRY_FIELDS) <= set(countries.columns):
        return []  # a package's countries.csv lacking a column: validation says which
    known = set(countries["iso3"])
    new = sorted({c for c in codes if c and c not in known})
    if new:
        rows = pd.DataFrame(
            {"iso3": new, "name": [country_name(c) for c in new], "region": "Other",
             "csto": "none", "eaeu": "none", "cis": "none", "membership_note": ""},
            columns=COUNTRY_FIELDS,
        )  # fmt: skip
        tables["countries"] = _append(tables["countries"], rows)
        if origins is not None and where:
            labels = tables["countries"].index[-len(new) :]
            origins["countries"] = {int(i): where[c] for i, c in zip(labels, new, strict=True)}
    return new


def first_places(codes: list[str], index: pd.Index, column: str) -> dict[str, Origin]:
    """Where each code first appears: the file's row and the country column."""
    places: dict[str, Origin] = {}
    for idx, code in zip(index, codes, strict=True):
        if code and code not in places:
            places[code] = Origin(int(idx) + FIRST_DATA_ROW, column, made="a new country")
    return places


def _add_upload_source(tables: dict, file: str) -> None:
    if UPLOAD_SOURCE in set(tables["sources"]["id"]):
        return
    row = {
        "id": UPLOAD_SOURCE, "title": f"Imported file {file}"[:300], "author": "The user",
        "publisher": "Imported into this session", "date_published": f"{dt.date.today():%Y-%m-%d}",
        "url": "", "note": "Rows imported from a file; the locator gives the file and row.",
    }  # fmt: skip
    tables["sources"] = _append(tables["sources"], pd.DataFrame([row]))


def conform_long(frame: pd.DataFrame, base: Dataset, file: str) -> Conformed:
    """A positions-shaped table replaces the base's positions; names become ISO3 codes. The
    frame's index is the file's row - FIRST_DATA_ROW; columns may be in any letter case."""
    tables = base_tables(base)
    headers = {str(c).strip().lower(): str(c) for c in frame.columns}
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    if "country" not in frame.columns:
        return Conformed(None, [Problem(file, 1, "country", None, "this column is missing")])
    known = set(tables["countries"]["iso3"])
    country = headers["country"]
    codes, problems = country_codes(frame["country"], known, file, country)
    if problems:
        return Conformed(None, problems)
    origins: Origins = {}
    added = add_countries(tables, codes, origins, first_places(codes, frame.index, country))
    frame = frame.assign(country=codes)
    if "source" in frame.columns and (frame["source"] == UPLOAD_SOURCE).any():
        _add_upload_source(tables, file)
    renamed = {k: v for k, v in headers.items() if k != v}
    origins["positions"] = {
        n: Origin(int(idx) + FIRST_DATA_ROW, headers=renamed) for n, idx in enumerate(frame.index)
    }
    tables["positions"] = frame.reset_index(drop=True)
    return Conformed(tables, [], Additions(countries=added), origins)


def _issue_ids(columns: list[str], tables: dict) -> dict[str, str | None]:
    issues = tables["issues"]
    by_key = {i.lower(): i for i in issues["id"]}
    by_key.update(
        {label.lower(): i for i, label in zip(issues["id"], issues["label"], strict=True)}
    )
    return {c: by_key.get(c.strip().lower()) for c in columns}


def _slug(text: str) -> str:
    slug = "".join(ch if ch.isalnum() else "_" for ch in text.strip().lower()).strip("_")
    slug = "_".join(part for part in slug.split("_") if part) or "issue"
    return (slug if slug[0].isalpha() else f"i_{slug}")[:40]


def _unique(slug: str, taken: set[str]) -> str:
    """`slug`, or `slug_2`, `slug_3`… if an issue already has it ('Troops: 2022' and 'Troops 2022'
    both make troops_2022); the one returned is added to `taken`."""
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug[: 40 - len(str(n)) - 1]}_{n}"
    taken.add(candidate)
    return candidate


def conform_wide(
    frame: pd.DataFrame,
    base: Dataset,
    file: str,
    as_of: dt.date | None = None,
    add_unknown: bool = False,
) -> Conformed:
    """A countries x issues matrix becomes one observation per filled cell."""
    tables = base_tables(base)
    columns = list(frame.columns)
    country_col = next((c for c in columns if c.strip().lower() in COUNTRY_COLUMNS), columns[0])
    date_col = next((c for c in columns if c.strip().lower() in {"as_of", "date"}), None)
    issue_cols = [c for c in columns if c not in {country_col, date_col}]
    known = set(tables["countries"]["iso3"])
    codes, problems = country_codes(frame[country_col], known, file, country_col)
    origins: Origins = {}

    ids = _issue_ids(issue_cols, tables)
    unknown = [c for c, i in ids.items() if i is None]
    added_issues: list[str] = []
    if unknown and not add_unknown:
        for column in unknown:
            rule = "not an issue id or label in the codebook; choose to add it, or rename it"
            problems.append(Problem(file, 1, column, column, rule))
    elif unknown:
        order = int(pd.to_numeric(tables["issues"]["order"]).max())
        rows = []
        taken = set(tables["issues"]["id"])
        for n, column in enumerate(unknown, start=1):
            ids[column] = _unique(_slug(column), taken)
            rows.append({"id": ids[column], "label": column.strip(),
                         "category": IMPORTED_CATEGORY,
                         "question": f"Imported column '{column.strip()}'."[:300],
                         "applies_to": "all", "order": str(order + n)})  # fmt: skip
            added_issues.append(ids[column])
        tables["issues"] = _append(tables["issues"], pd.DataFrame(rows))
        labels = tables["issues"].index[-len(unknown) :]
        origins["issues"] = {
            int(i): Origin(1, c, made=f"the column name '{c}' makes a new issue")
            for i, c in zip(labels, unknown, strict=True)
        }

    stances = tables["stances"]
    by_issue: dict[str, dict[str, str]] = {}
    by_score: dict[str, dict[int, list[str]]] = {}
    for row in stances.itertuples(index=False):
        by_score.setdefault(row.issue, {}).setdefault(int(row.score), []).append(row.stance)
        by_issue.setdefault(row.issue, {})
        by_issue[row.issue][row.stance.lower()] = row.stance
        by_issue[row.issue][row.label.lower()] = row.stance
    new_stances: list[dict] = []
    stance_places: list[Origin] = []
    observations, places = [], []
    headers = {"date": date_col or CHOSEN_DATE}  # any other problem is the cell's
    records = frame.to_dict("records")
    for n, (idx, record) in enumerate(zip(frame.index, records, strict=True)):
        row_no = int(idx) + FIRST_DATA_ROW
        when = str(record.get(date_col, "")).strip() if date_col else ""
        when = when or (as_of.isoformat() if as_of else "")  # year 1 is 0001, not 1
        if not when:
            rule = "no date: add an as_of column or choose the date the matrix describes"
            problems.append(Problem(file, row_no, date_col or "as_of", "", rule))
        for column in issue_cols:
            value = str(record[column]).strip()
            issue = ids.get(column)
            if not value or issue is None:
                continue
            made = len(new_stances)
            stance = _stance_for(value, issue, by_issue, by_score, new_stances)
            if len(new_stances) > made:
                what = f"the value '{value}' makes a new stance of issue {issue}"
                stance_places.append(Origin(row_no, column, made=what))
            if stance is None:
                choices = ", ".join(sorted({s for s in by_issue.get(issue, {}).values()}))
                rule = (
                    f"not a stance of issue {issue} (known: {choices or 'none'}) nor a score -2..+2"
                )
                problems.append(Problem(file, row_no, column, value, rule))
                continue
            places.append(Origin(row_no, column, headers))
            observations.append({
                "country": codes[n] or "", "issue": issue, "date": when,
                "date_precision": "day", "stance": stance, "confidence": "medium",
                "summary": f"Imported from {file}: {value}"[:300], "source": UPLOAD_SOURCE,
                "locator": f"{file} row {row_no}"[:120],
            })  # fmt: skip
    if not observations and not problems:
        rule = "no cell under an issue column holds a stance or a score: nothing to import"
        problems.append(Problem(file, None, None, None, rule))
    if problems:
        return Conformed(None, problems)
    places_of = first_places(codes, frame.index, country_col)
    added = add_countries(tables, codes, origins, places_of)
    _add_upload_source(tables, file)
    if new_stances:
        tables["stances"] = _append(stances, pd.DataFrame(new_stances))
        labels = tables["stances"].index[-len(new_stances) :]
        origins["stances"] = dict(zip(map(int, labels), stance_places, strict=True))
    tables["positions"] = pd.DataFrame(observations, columns=list(tables["positions"].columns))
    origins["positions"] = dict(enumerate(places))
    stances_added = [(s["issue"], s["stance"]) for s in new_stances]
    return Conformed(tables, [], Additions(added, added_issues, stances_added), origins)


def _stance_for(
    value: str, issue: str, by_issue: dict, by_score: dict, new_stances: list[dict]
) -> str | None:
    """The stance code a cell names: a code or label of the issue, or a score -2..+2."""
    known = by_issue.setdefault(issue, {})
    if value.lower() in known:
        return known[value.lower()]
    try:
        number = float(value.replace("−", "-"))
    except ValueError:
        return None
    if not number.is_integer() or int(number) not in SCORE_STANCES:
        return None
    score = int(number)
    code = SCORE_STANCES[score]
    same_score = by_score.get(issue, {}).get(score, [])
    if len(same_score) == 1:  # the codebook already has one stance with this score: use it
        return same_score[0]
    if code not in known.values():
        meaning = f"Scored {signed_score(score)} in the imported matrix."
        new_stances.append(
            {"issue": issue, "stance": code, "label": signed_score(score),
             "score": str(score), "meaning": meaning}
        )  # fmt: skip
        known[code] = code
    return code
