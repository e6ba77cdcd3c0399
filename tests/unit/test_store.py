"""The dataset store: unguessable ids, round trip, expiry and a size cap."""

from __future__ import annotations

import pandas as pd
import pytest

from core.conform import base_tables
from core.dataset import load_tables
from core.store import DatasetStore, StoreFull


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_round_trip_gives_the_same_dataset(tmp_path, dataset):
    store = DatasetStore(tmp_path / "store.sqlite")
    dataset_id = store.put(base_tables(dataset), label="bundled copy")
    tables, label = store.get(dataset_id)
    assert label == "bundled copy"
    assert load_tables(tables).dataset.fingerprint == dataset.fingerprint


@pytest.mark.parametrize(
    "summary", ["nan", "NaT", "a\rb", "line one\nline two", 'quote " and ""two""', "emoji 🇺🇦"]
)
def test_odd_text_survives_the_store_unchanged(tmp_path, dataset, summary):
    tables = base_tables(dataset)
    tables["positions"].loc[0, "summary"] = summary
    imported = load_tables(tables).dataset
    store = DatasetStore(tmp_path / "store.sqlite")
    back, _ = store.get(store.put(base_tables(imported)))
    assert back["positions"].loc[0, "summary"] == summary
    assert load_tables(back).dataset.fingerprint == imported.fingerprint


def test_ids_are_unguessable_and_unknown_ids_give_nothing(tmp_path):
    store = DatasetStore(tmp_path / "store.sqlite")
    ids = {store.put({"t": pd.DataFrame({"a": ["1"]})}) for _ in range(20)}
    assert len(ids) == 20 and all(len(i) >= 24 for i in ids)
    assert store.get("not-an-id") is None and store.get("") is None


def test_unused_datasets_expire(tmp_path):
    clock = Clock()
    store = DatasetStore(tmp_path / "store.sqlite", ttl_days=1, clock=clock)
    kept, dropped = store.put({"t": pd.DataFrame({"a": ["1"]})}), store.put({"t": pd.DataFrame()})
    clock.now += 0.8 * 86_400
    assert store.get(kept) is not None  # using it keeps it alive
    clock.now += 0.5 * 86_400
    assert store.get(dropped) is None
    assert store.get(kept) is not None


def test_full_store_refuses_with_a_plain_message(tmp_path):
    store = DatasetStore(tmp_path / "store.sqlite", max_bytes=2_000)
    big = pd.DataFrame({"a": [str(i) * 50 for i in range(200)]})
    with pytest.raises(StoreFull, match="store is full"):
        for _ in range(50):
            store.put({"t": big})
