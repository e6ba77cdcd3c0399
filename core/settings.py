"""Every user-visible setting in one place, each with its help text."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BUNDLED_DATA_DIR = PACKAGE_DIR / "data"
DESCRIPTOR = BUNDLED_DATA_DIR / "datapackage.json"
"""The schema is always the bundled one: every package the app reads must follow it."""

DATA_DIR_ENV = "DASHBOARD_DATA_DIR"
DATA_DIR = Path(os.environ.get(DATA_DIR_ENV) or BUNDLED_DATA_DIR)
"""Folder of the package the app shows; set DASHBOARD_DATA_DIR to show your own."""

STORE_DIR_ENV = "DASHBOARD_STORE_DIR"
STORE_DIR = Path(os.environ.get(STORE_DIR_ENV) or PACKAGE_DIR / "var")
"""Folder of the SQLite store of imported and edited datasets (DASHBOARD_STORE_DIR moves it)."""
DATASET_TTL_DAYS = 30
"""An imported or edited dataset nobody has opened for this many days is deleted."""
STORE_MAX_MB = 500
"""Most the store holds (compressed); past it, the datasets unused for longest are deleted to make
room for a new one."""

MAX_UPLOAD_MB = 20
"""Largest file the app accepts, in megabytes; `.streamlit/config.toml` sets the same limit."""

PRECISIONS = {
    "day": "The date is known to the day.",
    "month": "Known only to the month; the date is the first day of that month.",
    "approximate": (
        "The source gives no exact date (e.g. 'mid-March', 'before the invasion'); "
        "the date is our best estimate within the period the source covers."
    ),
}

CELL_STATES = {
    "scored": "an observation is dated on or before the as-of date",
    "no_evidence": "the issue applies, but nothing is coded by the as-of date",
    "not_applicable": "the issue does not concern this country",
}
"""What each state of a cell means, in the words of the About page, hovers and legends (said
through `core.model.vocabulary.state_words`)."""

SCORE_MEANINGS = {
    2: "Open distancing from Moscow or alignment with Ukraine's position",
    1: "Quiet or partial distancing from Moscow",
    0: "Neutral, silent or hedging",
    -1: "Leaning to Moscow's line",
    -2: "Siding with Moscow",
}

IMPORT_SECONDS = 60
"""Longest an import may take (reading, checking and validating a file) before it is stopped."""
IMPORT_MEMORY_MB = 1536
"""Most memory an import's worker process may use on top of what it needs to start."""
