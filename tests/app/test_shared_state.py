"""AppTest of the pages on PostgreSQL (DASHBOARD_DATABASE_URL): a dataset saved by one replica
opens by its `?data=` link on this one, and a presenter on another replica steers this one's
audience."""

from __future__ import annotations

import pytest

import ui.state
from core.ingest.importing import import_file
from tests.app.helpers import run_page, texts

WIDE = b"country,as_of,troop_request\nKyrgyz Republic,2022-03-01,refused\n"


@pytest.fixture
def on_postgres(pg_url, monkeypatch):
    """The app's stores on the test database for this test, as DATABASE_URL would make them."""
    monkeypatch.setattr(ui.state, "DATABASE_URL", pg_url)
    caches = (ui.state.dataset_store, ui.state.room_store, ui.state.stored_dataset)
    for cache in caches:
        cache.clear()
    yield pg_url
    ui.state.dataset_store().close()
    ui.state.room_store().close()
    for cache in caches:
        cache.clear()


def test_the_app_uses_postgresql_when_configured(on_postgres):
    from core.serving.rooms_pg import PgRoomStore
    from core.serving.store_pg import PgDatasetStore

    assert isinstance(ui.state.dataset_store(), PgDatasetStore)
    assert isinstance(ui.state.room_store(), PgRoomStore)


def test_a_dataset_saved_by_another_replica_opens_by_its_link(on_postgres, dataset):
    from core.serving.store_pg import PgDatasetStore

    other = PgDatasetStore(on_postgres)  # another replica's store
    try:
        imported = import_file("mine.csv", WIDE, dataset).dataset
        dataset_id = other.put_dataset(imported, label="imported on replica two")
    finally:
        other.close()
    at = run_page("data.py", data=dataset_id)
    assert "imported on replica two" in texts(at) and "1 observations" in texts(at)


def test_a_presenter_on_another_replica_steers_this_audience(on_postgres):
    from core.serving.rooms_pg import PgRoomStore

    other = PgRoomStore(on_postgres)  # the presenter's replica
    try:
        room = other.create(step=2)
        audience = run_page("present.py", room=room.code)
        assert "2 / 11" in texts(audience)
        assert other.move(room.code, room.key, 5)
        audience.run()
        assert "5 / 11" in texts(audience)
    finally:
        other.close()
