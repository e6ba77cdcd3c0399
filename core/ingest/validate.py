"""Check tables of strings against the package schema and return every problem found.

Rules come from the Table Schema in `data/datapackage.json`: required, type (string,
integer, date), enum, pattern, minLength/maxLength, minimum/maximum, unique, primaryKey
and foreignKeys. The few rules that span tables and that Table Schema cannot express
live in `core.ingest.rules`. Checks are vectorised so that tens of thousands of rows take well
under a second.
"""

from __future__ import annotations

import pandas as pd

from core.model.problems import Problem
from core.model.schema import Field, PackageSchema, Resource

FIRST_DATA_ROW = 2  # spreadsheet numbering: the header is row 1

_INTEGER = r"[+-]?\d+"
_DATE = r"\d{4}-\d{2}-\d{2}"


def _rows(mask: pd.Series) -> pd.Index:
    return mask[mask].index


def _emit(
    problems: list[Problem], file: str, column: str, values: pd.Series, mask: pd.Series, rule: str
) -> None:
    for idx in _rows(mask):
        problems.append(Problem(file, int(idx) + FIRST_DATA_ROW, column, values.at[idx], rule))


def _check_type(field: Field, values: pd.Series, present: pd.Series) -> tuple[pd.Series, str]:
    """Mask of present values that are not of the field's type, and the rule in words."""
    if field.type == "integer":
        return present & ~values.str.fullmatch(_INTEGER), "must be a whole number, e.g. -2 or 1"
    if field.type == "date":
        parsed = pd.to_datetime(values.where(present), format="%Y-%m-%d", errors="coerce")
        bad_shape = ~values.str.fullmatch(_DATE)
        return present & (bad_shape | parsed.isna()), "must be a real date written YYYY-MM-DD"
    return pd.Series(False, index=values.index), ""


def _outside(values: pd.Series, constraints: dict) -> pd.Series:
    """Mask of well-formed dates (YYYY-MM-DD, so they sort as text) outside the field's range."""
    low, high = constraints.get("minimum"), constraints.get("maximum")
    mask = pd.Series(False, index=values.index)
    if low is not None:
        mask |= values < str(low)
    if high is not None:
        mask |= values > str(high)
    return mask


def _date_range_rule(constraints: dict) -> str:
    low, high = constraints.get("minimum"), constraints.get("maximum")
    if low is not None and high is not None:
        return f"must be between {low} and {high}"
    return f"must be on or after {low}" if low is not None else f"must be on or before {high}"


def check_field(file: str, field: Field, values: pd.Series) -> list[Problem]:
    """Problems with one column's values, by the field's type and constraints."""
    problems: list[Problem] = []
    c = field.constraints
    values = values.fillna("").astype(str)
    stripped = values.str.strip()
    present = stripped != ""
    if field.required:
        _emit(problems, file, field.name, values, ~present, "a value is required")

    bad_type, type_rule = _check_type(field, values, present)
    _emit(problems, file, field.name, values, bad_type, type_rule)
    ok = present & ~bad_type

    if "enum" in c:
        allowed = [str(v) for v in c["enum"]]
        rule = "must be one of: " + ", ".join(allowed)
        _emit(problems, file, field.name, values, ok & ~values.isin(allowed), rule)
    if "pattern" in c:
        rule = f"must match the pattern {c['pattern']}"
        _emit(problems, file, field.name, values, ok & ~values.str.fullmatch(c["pattern"]), rule)
    if "maxLength" in c:
        rule = f"must be at most {c['maxLength']} characters long"
        _emit(problems, file, field.name, values, ok & (values.str.len() > c["maxLength"]), rule)
    if "minLength" in c:
        rule = f"must be at least {c['minLength']} characters long"
        _emit(problems, file, field.name, values, ok & (values.str.len() < c["minLength"]), rule)
    if field.type == "integer" and ("minimum" in c or "maximum" in c):
        numbers = pd.to_numeric(values.where(ok), errors="coerce")
        if "minimum" in c:
            rule = f"must be at least {c['minimum']}"
            _emit(problems, file, field.name, values, ok & (numbers < c["minimum"]), rule)
        if "maximum" in c:
            rule = f"must be at most {c['maximum']}"
            _emit(problems, file, field.name, values, ok & (numbers > c["maximum"]), rule)
    if field.type == "date" and ("minimum" in c or "maximum" in c):
        _emit(problems, file, field.name, values, ok & _outside(values, c), _date_range_rule(c))
    if c.get("unique"):
        dup = ok & values.duplicated(keep=False) & values.duplicated(keep="first")
        first = values[ok].drop_duplicates(keep="first")
        first_row = {v: int(i) + FIRST_DATA_ROW for i, v in first.items()}
        for idx in _rows(dup):
            v = values.at[idx]
            rule = f"must be unique; the same value is already in row {first_row[v]}"
            problems.append(Problem(file, int(idx) + FIRST_DATA_ROW, field.name, v, rule))
    return problems


def _key_text(frame: pd.DataFrame, columns: tuple[str, ...], idx) -> str:
    return ", ".join(f"{c}={frame.at[idx, c]}" for c in columns)


def check_primary_key(file: str, resource: Resource, frame: pd.DataFrame) -> list[Problem]:
    """Rows that repeat a primary key (one or several columns) of an earlier row."""
    key = list(resource.primary_key)
    if len(key) < 2 or not set(key) <= set(frame.columns):
        return []  # single-column keys are checked as `unique` on the field
    keys = frame[key].fillna("").astype(str)
    dup = keys.duplicated(keep="first")
    if not dup.any():
        return []
    # the first row of every repeated key, found for all repeats at once (not one lookup each)
    position = pd.Series(range(len(keys)), index=keys.index)
    first = position.groupby([keys[c] for c in key], sort=False).transform("first")[dup]
    first_rows = keys.index[first.to_numpy()]
    label = " + ".join(key)
    repeats = keys[dup]
    values = repeats[key[0]].radd(f"{key[0]}=")
    for column in key[1:]:
        values = values + f", {column}=" + repeats[column]
    return [
        Problem(file, int(idx) + FIRST_DATA_ROW, label, value,
                f"repeats row {int(first_row) + FIRST_DATA_ROW}: each {label} may appear only once")
        for idx, value, first_row in zip(repeats.index, values, first_rows, strict=True)
    ]  # fmt: skip


def check_foreign_keys(
    file: str, resource: Resource, frame: pd.DataFrame, tables: dict[str, pd.DataFrame]
) -> list[Problem]:
    """Rows whose reference to another table points at nothing."""
    problems = []
    for fk in resource.foreign_keys:
        target = tables.get(fk.resource)
        if target is None or not set(fk.fields) <= set(frame.columns):
            continue
        if not set(fk.reference_fields) <= set(target.columns):
            continue
        ours = frame[list(fk.fields)].fillna("").astype(str)
        present = (ours.apply(lambda s: s.str.strip()) != "").all(axis=1)
        theirs = target[list(fk.reference_fields)].fillna("").astype(str)
        known = pd.MultiIndex.from_frame(theirs)
        missing = present & ~pd.MultiIndex.from_frame(ours).isin(known)
        ref_file = f"{fk.resource}.csv"
        column = " + ".join(fk.fields)
        what = " + ".join(fk.reference_fields)
        for idx in _rows(pd.Series(missing, index=frame.index)):
            rule = f"no row in {ref_file} has this {what}"
            if len(fk.fields) > 1:
                value = _key_text(ours, fk.fields, idx)
            else:
                value = ours.at[idx, fk.fields[0]]
            problems.append(Problem(file, int(idx) + FIRST_DATA_ROW, column, value, rule))
    return problems


def check_columns(file: str, resource: Resource, frame: pd.DataFrame) -> list[Problem]:
    """Columns the schema requires but the file lacks, and columns it does not know."""
    problems = []
    for name in resource.field_names:
        if name not in frame.columns:
            problems.append(Problem(file, 1, name, None, "this column is missing from the header"))
    for name in frame.columns:
        if name not in resource.field_names:
            expected = ", ".join(resource.field_names)
            rule = f"this column is not in the schema; expected columns: {expected}"
            problems.append(Problem(file, 1, str(name), None, rule))
    return problems


def validate_tables(
    tables: dict[str, pd.DataFrame],
    schema: PackageSchema,
    resources: tuple[Resource, ...] | None = None,
) -> list[Problem]:
    """Every schema problem in `tables` (resource name -> frame of strings), checking the data
    tables unless `resources` says which."""
    problems: list[Problem] = []
    for resource in schema.data_resources if resources is None else resources:
        file = resource.path
        frame = tables.get(resource.name)
        if frame is None:
            problems.append(Problem(file, None, None, None, "the package has no such table"))
            continue
        problems += check_columns(file, resource, frame)
        for field in resource.fields:
            if field.name in frame.columns:
                problems += check_field(file, field, frame[field.name])
        problems += check_primary_key(file, resource, frame)
        problems += check_foreign_keys(file, resource, frame, tables)
    return problems
