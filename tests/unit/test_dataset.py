"""Loading a package from a folder into a typed Dataset, or into a list of problems."""

from __future__ import annotations

import shutil

import pandas as pd

from core.ingest.package import load_package, read_csv_text
from core.settings import BUNDLED_DATA_DIR


def copy_package(tmp_path):
    target = tmp_path / "pkg"
    shutil.copytree(BUNDLED_DATA_DIR, target)
    return target


def test_bundled_package_loads_typed():
    result = load_package()
    assert result.ok and result.problems == []
    ds = result.dataset
    assert pd.api.types.is_datetime64_any_dtype(ds.positions["date"])
    assert pd.api.types.is_integer_dtype(ds.stances["score"])
    assert list(ds.issues["order"]) == sorted(ds.issues["order"])


def test_loading_does_not_depend_on_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_package().ok


def test_missing_file_is_a_problem(tmp_path):
    pkg = copy_package(tmp_path)
    (pkg / "events.csv").unlink()
    result = load_package(pkg)
    assert not result.ok
    assert [(p.file, p.rule) for p in result.problems] == [("events.csv", "the file is missing")]


def test_unreadable_file_is_a_problem(tmp_path):
    pkg = copy_package(tmp_path)
    (pkg / "sources.csv").write_bytes(b"\xff\xfe\x00garbage\x00\xc3")
    result = load_package(pkg)
    assert not result.ok
    assert result.problems[0].file == "sources.csv"
    assert "cannot be read" in result.problems[0].rule


def test_bad_value_in_a_file_names_its_row(tmp_path):
    pkg = copy_package(tmp_path)
    lines = (pkg / "stances.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",0,", ",zero,")
    (pkg / "stances.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = load_package(pkg)
    assert [(p.file, p.row, p.column, p.value) for p in result.problems] == [
        ("stances.csv", 4, "score", "zero")
    ]


def test_read_csv_text_keeps_blanks_and_strips_bom():
    frame = read_csv_text("\ufeffa,b\n1,\n".encode())
    assert list(frame.columns) == ["a", "b"]
    assert frame.loc[0, "b"] == ""


def test_applicability_grid(dataset):
    grid = dataset.applicability()
    assert len(grid) == len(dataset.countries) * len(dataset.issues)
    ruble = grid[grid["issue"] == "ruble_customs_duties"].set_index("country")["applies"]
    assert ruble["KAZ"] and ruble["ARM"] and not ruble["RUS"] and not ruble["UZB"]
    stance = grid[grid["issue"] == "official_stance"].set_index("country")["applies"]
    assert not stance["RUS"] and stance["BLR"]


def test_load_files_gives_the_same_dataset_as_the_folder():
    from core.ingest.package import load_files

    files = {p.name: p.read_bytes() for p in BUNDLED_DATA_DIR.glob("*.csv")}
    result = load_files(files)
    assert result.ok
    assert result.dataset.fingerprint == load_package().dataset.fingerprint


def test_load_files_reports_missing_and_bad_files():
    from core.ingest.package import load_files

    files = {p.name: p.read_bytes() for p in BUNDLED_DATA_DIR.glob("*.csv")}
    del files["sources.csv"]
    files["events.csv"] = b"\xff\xfe\xfa"
    rules = {(p.file, p.rule.split(" (")[0]) for p in load_files(files).problems}
    assert rules == {
        ("sources.csv", "the file is missing"),
        ("events.csv", "the file cannot be read as UTF-8 CSV"),
    }


def test_a_dataset_without_observations_still_has_dates_to_show(tables):
    from core.analysis.query import date_bounds, effective_date
    from core.ingest.package import load_tables

    for name in ("positions", "observation_sources"):
        tables[name] = tables[name].iloc[0:0]
    ds = load_tables(tables).dataset
    first, last = date_bounds(ds)
    assert (first, last) == (ds.events["date"].min(), ds.events["date"].max())
    assert effective_date(ds, last) == first - pd.Timedelta(days=1)
    tables["events"] = tables["events"].iloc[0:0]
    first, last = date_bounds(load_tables(tables).dataset)
    assert first == last == pd.Timestamp.today().normalize()
