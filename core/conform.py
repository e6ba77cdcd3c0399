"""Turn an imported table into a full package on top of a base dataset.

- Long form: rows shaped like positions.csv; countries may be names or ISO3 codes.
- Wide matrix: one row per country, one column per issue (id or label), cells holding stance
  codes or labels, or scores -2..+2; dates from an `as_of` column or one date for the file.

A country missing from the base's countries table is added when it is a valid ISO 3166 country.
Issues and stances the base does not know are reported, or, when the caller says so, added to
the codebook (`add_unknown`): a numeric matrix needs no labels, so its scores become stances.
The result is checked by the same schema as the bundled data (core.dataset.load_tables).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from core.countries import country_name, iso3
from core.dataset import Dataset, load_tables
from core.importing import read_upload
from core.problems import Problem
from core.validate import FIRST_DATA_ROW

UPLOAD_SOURCE = "UPLOAD"
IMPORTED_CATEGORY = "Imported"
COUNTRY_COLUMNS = {"country", "iso3", "country_name", "name", "state", "member state"}
SCORE_LABELS = {2: "+2", 1: "+1", 0: "0", -1: "-1", -2: "-2"}
SCORE_STANCES = {2: "score_p2", 1: "score_p1", 0: "score_0", -1: "score_m1", -2: "score_m2"}
TABLES = ("countries", "issues", "stances", "positions", "observation_sources", "events", "sources")
OBSERVATION_KEY = ["country", "issue", "date"]


@dataclass
class Conformed:
    """Tables of strings ready for validation, or the problems that stopped the import."""

    tables: dict[str, pd.DataFrame] | None
    problems: list[Problem]
    added_countries: list[str] = field(default_factory=list)
    added_issues: list[str] = field(default_factory=list)
    added_stances: list[tuple[str, str]] = field(default_factory=list)


def base_tables(ds: Dataset) -> dict[str, pd.DataFrame]:
    """The dataset's tables back as strings, as they would be read from CSV."""
    out = {}
    for name in TABLES:
        frame = getattr(ds, name).copy()
        for column in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[column]):
                frame[column] = frame[column].dt.strftime("%Y-%m-%d")
        # missing values become empty cells; a text that reads "nan" stays as it is
        out[name] = frame.astype(object).where(frame.notna(), "").astype(str)
    return out


def keep_sources_of_unchanged_observations(
    tables: dict[str, pd.DataFrame], before: pd.DataFrame
) -> None:
    """Keep the further sources only of observations that are still there exactly as they were
    in `before` (the positions those sources were written for). An observation an import or an
    edit replaced, changed or deleted loses them: they may not support what it says now."""
    further = tables["observation_sources"]
    columns = list(before.columns)
    now = tables["positions"].reindex(columns=columns).fillna("").astype(str)
    same = before.fillna("").astype(str).merge(now, on=columns)
    kept = pd.MultiIndex.from_frame(same[OBSERVATION_KEY])
    mask = pd.MultiIndex.from_frame(further[OBSERVATION_KEY].astype(str)).isin(kept)
    tables["observation_sources"] = further[mask].reset_index(drop=True)


def _country_codes(values: pd.Series, known: set[str], file: str, column: str):
    """ISO3 codes for a column of names or codes; problems for those that name no country."""
    codes, problems = [], []
    for idx, value in values.items():
        code = str(value).strip().upper() if str(value).strip().upper() in known else iso3(value)
        if code is None:
            rule = "not a country name or ISO3 code (ISO 3166) that can be recognised"
            problems.append(Problem(file, int(idx) + FIRST_DATA_ROW, column, str(value), rule))
        codes.append(code)
    return codes, problems


def _add_countries(tables: dict, codes: list[str]) -> list[str]:
    known = set(tables["countries"]["iso3"])
    new = sorted({c for c in codes if c and c not in known})
    if new:
        rows = pd.DataFrame(
            {"iso3": new, "name": [country_name(c) for c in new], "region": "Other",
             "csto": "none", "eaeu": "none", "cis": "none", "membership_note": ""}
        )  # fmt: skip
        tables["countries"] = pd.concat([tables["countries"], rows], ignore_index=True)
    return new


def _add_upload_source(tables: dict, file: str) -> None:
    if UPLOAD_SOURCE in set(tables["sources"]["id"]):
        return
    row = {
        "id": UPLOAD_SOURCE, "title": f"Imported file {file}"[:300], "author": "The user",
        "publisher": "Imported into this session", "date_published": f"{dt.date.today():%Y-%m-%d}",
        "url": "", "note": "Rows imported from a file; the locator gives the file and row.",
    }  # fmt: skip
    tables["sources"] = pd.concat([tables["sources"], pd.DataFrame([row])], ignore_index=True)


def conform_long(frame: pd.DataFrame, base: Dataset, file: str) -> Conformed:
    """A positions-shaped table replaces the base's positions; names become ISO3 codes."""
    tables = base_tables(base)
    frame = frame.copy()
    if "country" not in frame.columns:
        return Conformed(None, [Problem(file, 1, "country", None, "this column is missing")])
    known = set(tables["countries"]["iso3"])
    codes, problems = _country_codes(frame["country"], known, file, "country")
    if problems:
        return Conformed(None, problems)
    frame["country"] = codes
    added = _add_countries(tables, codes)
    if "source" in frame.columns and (frame["source"] == UPLOAD_SOURCE).any():
        _add_upload_source(tables, file)
    tables["positions"] = frame
    return Conformed(tables, [], added_countries=added)


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
    codes, problems = _country_codes(frame[country_col], known, file, country_col)

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
        for n, column in enumerate(unknown, start=1):
            ids[column] = _slug(column)
            rows.append({"id": ids[column], "label": column.strip()[:40],
                         "category": IMPORTED_CATEGORY,
                         "question": f"Imported column '{column.strip()}'."[:300],
                         "applies_to": "all", "order": str(order + n)})  # fmt: skip
            added_issues.append(ids[column])
        tables["issues"] = pd.concat([tables["issues"], pd.DataFrame(rows)], ignore_index=True)

    stances = tables["stances"]
    by_issue: dict[str, dict[str, str]] = {}
    by_score: dict[str, dict[int, list[str]]] = {}
    for row in stances.itertuples(index=False):
        by_score.setdefault(row.issue, {}).setdefault(int(row.score), []).append(row.stance)
        by_issue.setdefault(row.issue, {})
        by_issue[row.issue][row.stance.lower()] = row.stance
        by_issue[row.issue][row.label.lower()] = row.stance
    new_stances: list[dict] = []
    observations = []
    for idx, record in enumerate(frame.to_dict("records")):
        row_no = idx + FIRST_DATA_ROW
        when = str(record.get(date_col, "")).strip() if date_col else ""
        when = when or (f"{as_of:%Y-%m-%d}" if as_of else "")
        if not when:
            rule = "no date: add an as_of column or choose the date the matrix describes"
            problems.append(Problem(file, row_no, date_col or "as_of", "", rule))
        for column in issue_cols:
            value = str(record[column]).strip()
            issue = ids.get(column)
            if not value or issue is None:
                continue
            stance = _stance_for(value, issue, by_issue, by_score, new_stances)
            if stance is None:
                choices = ", ".join(sorted({s for s in by_issue.get(issue, {}).values()}))
                rule = (
                    f"not a stance of issue {issue} (known: {choices or 'none'}) nor a score -2..+2"
                )
                problems.append(Problem(file, row_no, column, value, rule))
                continue
            observations.append({
                "country": codes[idx] or "", "issue": issue, "date": when,
                "date_precision": "day", "stance": stance, "confidence": "medium",
                "summary": f"Imported from {file}: {value}"[:300], "source": UPLOAD_SOURCE,
                "locator": f"{file} row {row_no}"[:120],
            })  # fmt: skip
    if problems:
        return Conformed(None, problems)
    added = _add_countries(tables, codes)
    _add_upload_source(tables, file)
    if new_stances:
        tables["stances"] = pd.concat([stances, pd.DataFrame(new_stances)], ignore_index=True)
    tables["positions"] = pd.DataFrame(observations, columns=list(tables["positions"].columns))
    return Conformed(
        tables, [], added_countries=added, added_issues=added_issues,
        added_stances=[(s["issue"], s["stance"]) for s in new_stances],
    )  # fmt: skip


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
        meaning = f"Scored {SCORE_LABELS[score]} in the imported matrix."
        new_stances.append(
            {"issue": issue, "stance": code, "label": SCORE_LABELS[score],
             "score": str(score), "meaning": meaning}
        )  # fmt: skip
        known[code] = code
    return code


LONG_COLUMNS = {"country", "issue", "date", "stance"}


@dataclass
class ImportResult:
    """The imported dataset (or None) and everything the user should be told about it."""

    dataset: Dataset | None
    problems: list[Problem]
    added_countries: list[str] = field(default_factory=list)
    added_issues: list[str] = field(default_factory=list)
    added_stances: list[tuple[str, str]] = field(default_factory=list)


def import_file(
    name: str,
    raw: bytes,
    base: Dataset,
    as_of: dt.date | None = None,
    add_unknown: bool = False,
    merge: bool = False,
) -> ImportResult:
    """Read, conform and validate one uploaded file on top of `base`; never raises on bad input.
    With `merge`, a single table's observations are added to the base's instead of replacing
    them (an observation already there is then reported as a repeat)."""
    tables, problems = read_upload(name, raw)
    if tables is None:
        return ImportResult(None, problems)
    if "table" not in tables:  # a zipped package: tables it lacks come from the base
        merged = base_tables(base)
        before = merged["positions"]
        merged.update(tables)
        if "observation_sources" not in tables:
            keep_sources_of_unchanged_observations(merged, before)
        codes, problems = _country_codes(
            merged["positions"].get("country", pd.Series(dtype=str)),
            set(merged["countries"]["iso3"]), f"{name}/positions.csv", "country",
        )  # fmt: skip
        if problems:
            return ImportResult(None, problems)
        merged["positions"] = merged["positions"].assign(country=codes)
        added = _add_countries(merged, codes)
        result = load_tables(merged)
        return ImportResult(result.dataset, result.problems, added_countries=added)
    frame = tables["table"]
    if {c.strip().lower() for c in frame.columns} >= LONG_COLUMNS:
        conformed = conform_long(frame.rename(columns=str.lower), base, name)
    else:
        conformed = conform_wide(frame, base, name, as_of=as_of, add_unknown=add_unknown)
    if conformed.tables is None:
        return ImportResult(None, conformed.problems)
    if merge:
        own = base_tables(base)["positions"]
        conformed.tables["positions"] = pd.concat(
            [own, conformed.tables["positions"]], ignore_index=True
        )
    keep_sources_of_unchanged_observations(conformed.tables, base_tables(base)["positions"])
    result = load_tables(conformed.tables)
    renamed = [
        Problem(name, p.row, p.column, p.value, p.rule) if p.file == "positions.csv" else p
        for p in result.problems
    ]
    return ImportResult(
        result.dataset, renamed, conformed.added_countries, conformed.added_issues,
        conformed.added_stances,
    )  # fmt: skip
