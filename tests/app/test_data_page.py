"""AppTest of the data page: status, stored datasets by link, reset, expired and damaged links,
exports."""

from __future__ import annotations

import sqlite3
import time

import core.serving.export
from core.ingest.conform import base_tables
from core.ingest.importing import import_file
from core.ingest.package import load_tables
from core.settings import STORE_DIR
from tests.app.helpers import figures, run_page, texts
from ui.state import dataset_store

WIDE = b"country,as_of,troop_request\nKyrgyz Republic,2022-03-01,refused\n"


def stored_id(dataset) -> str:
    imported = import_file("mine.csv", WIDE, dataset).dataset
    return dataset_store().put_dataset(imported, label="imported from mine.csv")


def test_bundled_status_and_exports():
    at = run_page("data.py")
    assert "You are looking at **the bundled data**" in texts(at)
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Positions as CSV", "All tables as XLSX", "Data package (zip)"]
    assert at.button(key="reset").disabled


def test_exports_are_built_only_when_clicked(monkeypatch):
    built = []
    for name in ("csv_bytes", "xlsx_bytes", "package_zip"):
        real = getattr(core.serving.export, name)
        monkeypatch.setattr(
            core.serving.export,
            name,
            lambda *a, _r=real, _n=name, **k: built.append(_n) or _r(*a, **k),
        )
    at = run_page("data.py")
    at.run()  # and again on a rerun
    buttons = {b.label: b.proto for b in at.get("download_button")}
    assert built == []
    assert all(p.deferred_file_id and not p.url for p in buttons.values()), buttons


def test_a_data_link_opens_the_imported_dataset_on_every_page(dataset):
    dataset_id = stored_id(dataset)
    at = run_page("data.py", data=dataset_id)
    assert "imported from mine\\.csv" in texts(at)
    assert "1 observations" in texts(at)
    matrix = run_page(None, data=dataset_id)
    assert "Kyrgyzstan" in str(figures(matrix)[0])
    assert matrix.query_params["data"] in (dataset_id, [dataset_id])


def test_reset_goes_back_to_the_bundled_data(dataset):
    at = run_page("data.py", data=stored_id(dataset))
    at.button(key="reset").click().run()
    assert "the bundled data" in texts(at)
    assert "data" not in at.query_params


def test_an_unknown_data_link_falls_back_with_a_notice():
    at = run_page("data.py", data="no-such-dataset")
    assert any("expired or does not exist" in w.value for w in at.warning)
    assert "the bundled data" in texts(at)


def test_a_damaged_dataset_is_reported_and_not_shown(dataset):
    dataset_id = stored_id(dataset)
    with sqlite3.connect(STORE_DIR / "datasets.sqlite") as db:  # its content no longer matches
        db.execute("UPDATE datasets SET fingerprint = '0' WHERE id = ?", (dataset_id,))
    at = run_page("data.py", data=dataset_id)
    reports = [e.value for e in at.error if "The dataset in this link cannot be shown" in e.value]
    assert len(reports) == 1 and "changed or damaged in the server's store" in reports[0]
    assert "You are looking at **the bundled data**" in texts(at)
    assert "data" not in at.query_params


def test_undo_returns_to_the_previous_dataset(dataset):
    at = run_page("data.py", data=stored_id(dataset))
    at.session_state["data_undo"] = [""]
    at.run()
    at.button(key="undo").click().run()
    assert "the bundled data" in texts(at)


def test_pages_work_on_a_dataset_without_the_default_countries(dataset):
    raw = b"country,as_of,dpr_lpr_recognition\nFrance,2022-03-01,refuses\nChile,2022-03-01,silent\n"
    imported = import_file("other.csv", raw, dataset).dataset
    small = base_tables(imported)
    keep = {"FRA", "CHL"}
    small["countries"] = small["countries"][small["countries"]["iso3"].isin(keep)]
    small["events"] = small["events"][small["events"]["country"] == ""]
    small["issues"] = small["issues"][small["issues"]["id"] == "dpr_lpr_recognition"]
    small["stances"] = small["stances"][small["stances"]["issue"] == "dpr_lpr_recognition"]
    assert load_tables(small).ok
    dataset_id = dataset_store().put(small, label="two countries")
    for page in ("compare.py", "country.py", "timeline.py", "changes.py", None):
        at = run_page(page, data=dataset_id)
        assert not at.warning or "expired" not in at.warning[0].value  # really that dataset


def last_used(dataset_id: str) -> float | None:
    with sqlite3.connect(STORE_DIR / "datasets.sqlite") as db:
        row = db.execute("SELECT used FROM datasets WHERE id = ?", (dataset_id,)).fetchone()
    return None if row is None else row[0]


def set_last_used(dataset_id: str, when: float) -> None:
    with sqlite3.connect(STORE_DIR / "datasets.sqlite") as db:
        db.execute("UPDATE datasets SET used = ? WHERE id = ?", (when, dataset_id))


def test_opening_a_cached_dataset_marks_it_used_once_per_session(dataset):
    dataset_id = stored_id(dataset)
    first = run_page("data.py", data=dataset_id)  # now cached by the server
    a_week_ago = time.time() - 7 * 86_400
    set_last_used(dataset_id, a_week_ago)
    first.run()
    assert last_used(dataset_id) == a_week_ago  # the same session: no write on every rerun
    run_page("data.py", data=dataset_id)  # a new session, served from the cache
    assert last_used(dataset_id) > time.time() - 60


def test_a_dataset_gone_from_the_store_is_not_served_from_the_cache(dataset):
    dataset_id = stored_id(dataset)
    run_page("data.py", data=dataset_id)
    with sqlite3.connect(STORE_DIR / "datasets.sqlite") as db:
        db.execute("DELETE FROM datasets WHERE id = ?", (dataset_id,))
    at = run_page("data.py", data=dataset_id)
    assert any("expired or does not exist" in w.value for w in at.warning)
