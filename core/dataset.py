"""Load a data package into one typed Dataset, or say everything that is wrong with it."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.problems import Problem
from core.rules import check_rules, parse_applies_to
from core.schema import PackageSchema, Resource, load_schema
from core.settings import BUNDLED_DATA_DIR
from core.validate import validate_tables


@dataclass(frozen=True)
class Dataset:
    """The tables of a package, typed: dates as datetime64, scores and orders as int."""

    countries: pd.DataFrame
    issues: pd.DataFrame
    stances: pd.DataFrame
    positions: pd.DataFrame
    observation_sources: pd.DataFrame
    events: pd.DataFrame
    sources: pd.DataFrame
    fingerprint: str = ""

    def applicability(self) -> pd.DataFrame:
        """Every country x issue pair with `applies` True or False."""
        codes = list(self.countries["iso3"])
        rows = [
            (country, issue, country in scope)
            for issue, text in zip(self.issues["id"], self.issues["applies_to"], strict=True)
            for scope in [set(parse_applies_to(text, codes))]
            for country in codes
        ]
        return pd.DataFrame(rows, columns=["country", "issue", "applies"])


@dataclass(frozen=True)
class LoadResult:
    """Either a dataset (and no problems) or the full list of problems (and no dataset)."""

    dataset: Dataset | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.dataset is not None


def read_csv_text(text: str | bytes) -> pd.DataFrame:
    """Parse CSV text into a frame of strings, blanks kept as empty strings."""
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    return pd.read_csv(
        io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, index_col=False
    )


def read_package_dir(
    directory: Path, schema: PackageSchema, resources: tuple[Resource, ...] | None = None
) -> tuple[dict, list[Problem]]:
    """Read each data table's CSV (or each of `resources`) from `directory`; a missing or
    unreadable file becomes a problem."""
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for resource in schema.data_resources if resources is None else resources:
        path = directory / resource.path
        try:
            raw = path.read_bytes()
            if resource.optional and not raw.strip():
                continue  # an empty optional table is the same as leaving it out
            tables[resource.name] = read_csv_text(raw)
        except FileNotFoundError:
            if not resource.optional:
                problems.append(Problem(resource.path, None, None, None, "the file is missing"))
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            rule = f"the file cannot be read as UTF-8 CSV ({type(exc).__name__})"
            problems.append(Problem(resource.path, None, None, None, rule))
    return tables, problems


def _typed(tables: dict[str, pd.DataFrame]) -> Dataset:
    t = {name: frame.copy() for name, frame in tables.items()}
    for name in ("positions", "observation_sources", "events"):
        t[name]["date"] = pd.to_datetime(t[name]["date"], format="%Y-%m-%d")
    t["stances"]["score"] = t["stances"]["score"].astype(int)
    t["issues"]["order"] = t["issues"]["order"].astype(int)
    t["issues"] = t["issues"].sort_values("order", kind="stable").reset_index(drop=True)
    return Dataset(**t, fingerprint=fingerprint(tables))


def fingerprint(tables: dict[str, pd.DataFrame]) -> str:
    """A short hash of the tables' content: equal content, equal fingerprint."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        frame = tables[name]
        digest.update(name.encode())
        digest.update("\x1f".join(map(str, frame.columns)).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).values.tobytes())
    return digest.hexdigest()[:16]


def load_tables(tables: dict[str, pd.DataFrame], schema: PackageSchema | None = None) -> LoadResult:
    """Validate frames of strings (resource name -> frame) and type them if all is well.
    Tables that are not data tables (such as the story) are left aside."""
    schema = schema or load_schema()
    names = {r.name for r in schema.data_resources}
    tables = {name: frame for name, frame in tables.items() if name in names}
    for resource in schema.data_resources:
        if resource.optional and resource.name not in tables:
            tables[resource.name] = resource.empty_frame()
    problems = validate_tables(tables, schema)
    if problems:
        return LoadResult(None, problems)
    problems = check_rules(tables)
    if problems:
        return LoadResult(None, problems)
    return LoadResult(_typed(tables), [])


def load_files(files: dict[str, bytes], schema: PackageSchema | None = None) -> LoadResult:
    """Load a package given as files (file name -> bytes, e.g. uploads), with the same checks."""
    schema = schema or load_schema()
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for resource in schema.data_resources:
        content = files.get(resource.path)
        if resource.optional and not (content or b"").strip():
            continue
        if content is None:
            problems.append(Problem(resource.path, None, None, None, "the file is missing"))
            continue
        try:
            tables[resource.name] = read_csv_text(content)
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            rule = f"the file cannot be read as UTF-8 CSV ({type(exc).__name__})"
            problems.append(Problem(resource.path, None, None, None, rule))
    if problems:
        return LoadResult(None, problems)
    return load_tables(tables, schema)


def load_package(
    directory: Path = BUNDLED_DATA_DIR, schema: PackageSchema | None = None
) -> LoadResult:
    """Load and validate the package in `directory` (the bundled data by default)."""
    schema = schema or load_schema()
    tables, problems = read_package_dir(directory, schema)
    if problems:
        return LoadResult(None, problems)
    return load_tables(tables, schema)


def load_bundled() -> Dataset:
    """The bundled dataset; raises if it does not validate (a bug, caught by the tests)."""
    result = load_package()
    if result.dataset is None:
        raise ValueError("bundled data does not validate:\n" + "\n".join(map(str, result.problems)))
    return result.dataset
