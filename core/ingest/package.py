"""Load a data package into one typed Dataset, or say everything that is wrong with it.

Tables of strings go through the schema checks (`validate`), then the cross-table rules
(`rules`); only then are they typed (`core.model.dataset.typed_dataset`).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.ingest.rules import check_rules
from core.ingest.validate import validate_tables
from core.model.dataset import Dataset, typed_dataset
from core.model.problems import Problem
from core.model.schema import PackageSchema, Resource, load_schema
from core.settings import BUNDLED_DATA_DIR


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


def read_tables(
    read: Callable[[str], bytes | None], resources: tuple[Resource, ...]
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Read each resource's CSV through `read(path)` (None: no such file); a missing required
    file or one that cannot be read becomes a problem, an empty optional one is left out."""
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for resource in resources:
        raw = read(resource.path)
        if resource.optional and not (raw or b"").strip():
            continue  # an empty optional table is the same as leaving it out
        if raw is None:
            problems.append(Problem(resource.path, None, None, None, "the file is missing"))
            continue
        try:
            tables[resource.name] = read_csv_text(raw)
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            rule = f"the file cannot be read as UTF-8 CSV ({type(exc).__name__})"
            problems.append(Problem(resource.path, None, None, None, rule))
    return tables, problems


def read_package_dir(
    directory: Path, schema: PackageSchema, resources: tuple[Resource, ...] | None = None
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Read each data table's CSV (or each of `resources`) from `directory`."""

    def read(path: str) -> bytes | None:
        try:
            return (directory / path).read_bytes()
        except FileNotFoundError:
            return None

    return read_tables(read, schema.data_resources if resources is None else resources)


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
    return LoadResult(typed_dataset(tables), [])


def load_files(files: dict[str, bytes], schema: PackageSchema | None = None) -> LoadResult:
    """Load a package given as files (file name -> bytes, e.g. uploads), with the same checks."""
    schema = schema or load_schema()
    tables, problems = read_tables(files.get, schema.data_resources)
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
