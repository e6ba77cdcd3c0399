"""Property: any valid dataset survives import -> store -> open -> export -> import unchanged.

Starts from the bundled dataset and writes random text into the summary and locator of a few
observations: words a reader may take for "missing" (nan, NaT, NA, None), line breaks of every
kind, quotes, delimiters, control characters, emoji, and lines that start like a formula.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from core.ingest.conform import base_tables
from core.ingest.importing import import_file
from core.ingest.package import load_tables
from core.model.schema import load_schema
from core.serving.export import package_zip
from core.serving.store import DatasetStore

EXAMPLES = 25
ROWS_CHANGED = 3
PIECES = [
    "nan", "NaN", "NaT", "NA", "N/A", "None", "null", "", " ", "  ", "\r", "\n", "\r\n", '"', '""',
    ",", ";", "\t", "'", "=", "+", "-", "@", "=SUM(A1)", "-2", "+1", "\x07", "\x1b", "\x7f",
    "\x0b", "\x0c", "\x1f", "\x00", "🇺🇦", "👩🏽‍💻", "é", "ж", "\ufeff", "\u2028", "word",
]  # fmt: skip
CHARACTERS = st.characters(blacklist_categories=("Cs",))


def cell_text(max_length: int) -> st.SearchStrategy[str]:
    """Random text a required text field accepts: not blank, at most `max_length` characters."""
    piece = st.sampled_from(PIECES) | st.text(CHARACTERS, min_size=1, max_size=4)
    return (
        st.lists(piece, min_size=1, max_size=8)
        .map("".join)
        .filter(lambda t: t.strip() and len(t) <= max_length)
    )


def max_length(field: str) -> int:
    return load_schema().resource("positions").field(field).constraints["maxLength"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return DatasetStore(tmp_path_factory.mktemp("round-trip") / "store.sqlite")


# No shrinking: each example takes most of a second, and the texts are short enough to read.
@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)  # fmt: skip
@example(rows=[(0, "nan", "NaT"), (1, "NA", "None")])
@example(rows=[(0, "a\rb\r", "  leading"), (2, "=cmd\n@x\r-y", '"quoted", ""twice""')])
@example(rows=[(3, "bell\x07 esc\x1b 🇺🇦\r\n'=x", "\t+1")])
@given(
    rows=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=40),
            cell_text(max_length("summary")),
            cell_text(max_length("locator")),
        ),
        min_size=1,
        max_size=ROWS_CHANGED,
    )
)
def test_import_store_open_export_import_keeps_the_dataset(dataset, store, rows):
    tables = base_tables(dataset)
    for row, summary, locator in rows:
        tables["positions"].loc[row, "summary"] = summary
        tables["positions"].loc[row, "locator"] = locator
    imported = load_tables(tables)
    assert imported.problems == []
    expected = imported.dataset.fingerprint

    reopened, _ = store.open(store.put_dataset(imported.dataset, label="round trip"))
    assert reopened.fingerprint == expected
    assert load_tables(base_tables(reopened)).dataset.fingerprint == expected  # still valid

    again = import_file("export.zip", package_zip(base_tables(reopened)), dataset)
    assert again.problems == []
    assert again.dataset.fingerprint == expected
