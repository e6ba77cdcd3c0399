"""Every user-visible setting and limit in one place, each with its help text.

Each is a row of SETTINGS (name, value, unit, help, environment variable); the README's table of
settings and limits is generated from it, and a test compares the two.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    """One setting: its name in this module, default, unit, help text, and the environment
    variable that overrides the default, if any."""

    name: str
    default: object
    unit: str
    help: str
    env: str | None = None


SETTINGS: list[Setting] = []


def _setting(name: str, value, unit: str, help: str, env: str | None = None):
    """Register a setting and give its value: the environment's, when `env` is set there."""
    SETTINGS.append(Setting(name, value, unit, help, env))
    if env and os.environ.get(env):
        return type(value)(os.environ[env])
    return value


PACKAGE_DIR = Path(__file__).resolve().parent.parent
BUNDLED_DATA_DIR = PACKAGE_DIR / "data"
DESCRIPTOR = BUNDLED_DATA_DIR / "datapackage.json"
"""The schema is always the bundled one: every package the app reads must follow it."""

DATA_DIR_ENV = "DASHBOARD_DATA_DIR"
DATA_DIR = _setting(
    "DATA_DIR",
    BUNDLED_DATA_DIR,
    "folder",
    "Folder of the package the app shows: set it to show your own.",
    DATA_DIR_ENV,
)
STORE_DIR_ENV = "DASHBOARD_STORE_DIR"
STORE_DIR = _setting(
    "STORE_DIR",
    PACKAGE_DIR / "var",
    "folder",
    "Folder of the SQLite store of imported and edited datasets.",
    STORE_DIR_ENV,
)
DATASET_TTL_DAYS = _setting(
    "DATASET_TTL_DAYS",
    30,
    "days",
    "An imported or edited dataset nobody has opened for this long is deleted.",
)
STORE_MAX_MB = _setting(
    "STORE_MAX_MB",
    500,
    "MiB",
    "Most the store holds (compressed); past it, the datasets unused for "
    "longest are deleted to make room for a new one.",
)
DATABASE_URL_ENV = "DASHBOARD_DATABASE_URL"
DATABASE_URL = _setting(
    "DATABASE_URL",
    "",
    "URL",
    "A PostgreSQL database (`postgresql://user:password@host:port/name`) that keeps the imported "
    "datasets and the presentation rooms, shared by every replica of the app. Empty: datasets in "
    "the SQLite store of STORE_DIR and rooms in the server's memory (one process).",
    DATABASE_URL_ENV,
)
DATABASE_POOL_SIZE = _setting(
    "DATABASE_POOL_SIZE",
    4,
    "connections",
    "Most connections to DATABASE_URL one app process keeps for the datasets, and as many for "
    "the rooms (plus one that listens for the rooms' changes).",
    "DASHBOARD_DATABASE_POOL_SIZE",
)

# Imports: every limit is checked while the file is read, before it can cost more.
MAX_UPLOAD_MB = _setting(
    "MAX_UPLOAD_MB",
    20,
    "MB (10^6 bytes)",
    "Largest file the app accepts; `.streamlit/config.toml` sets the same "
    "limit for the uploader. Also the largest table inside a zip, unpacked.",
)
MAX_ROWS = _setting(
    "MAX_ROWS",
    100_000,
    "rows",
    "Largest table accepted (193 countries x 60 issues x 5 observations is about 58,000 rows).",
)
MAX_COLUMNS = _setting("MAX_COLUMNS", 1_000, "columns", "Widest table accepted.")
MAX_CELLS = _setting("MAX_CELLS", 2_000_000, "cells", "Most cells in one table.")
MAX_LINE_CHARS = _setting(
    "MAX_LINE_CHARS",
    100_000,
    "characters",
    "Longest row of a text file, all its lines together (so also the longest cell).",
)
MAX_LINES = _setting(
    "MAX_LINES", 10 * MAX_ROWS, "lines", "Most lines read from a text file, blank ones included."
)
MAX_ZIP_MEMBERS = _setting("MAX_ZIP_MEMBERS", 50, "files", "Most files in a zipped package.")
MAX_ZIP_UNPACKED_MB = _setting(
    "MAX_ZIP_UNPACKED_MB",
    60,
    "MB (10^6 bytes)",
    "A zipped package's tables together, unpacked (counted while "
    "unpacking, never trusting the zip's headers).",
)
MAX_XLSX_MEMBERS = _setting("MAX_XLSX_MEMBERS", 1_000, "parts", "Most parts in a workbook.")
MAX_XLSX_UNPACKED_MB = _setting(
    "MAX_XLSX_UNPACKED_MB",
    50,
    "MB (10^6 bytes)",
    "A workbook's parts together, unpacked, before the spreadsheet reader sees them.",
)
MAX_XLSX_ELEMENTS = _setting(
    "MAX_XLSX_ELEMENTS",
    3_000_000,
    "XML elements",
    "Cells, rows, strings and other elements of a workbook together "
    "(100,000 rows of 12 columns need about 2.5 million).",
)
MAX_PROBLEMS = _setting(
    "MAX_PROBLEMS",
    10_000,
    "problems",
    "Problems listed for one import; then one line says how many more there were.",
)

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

IMPORT_SECONDS = _setting(
    "IMPORT_SECONDS",
    60,
    "seconds",
    "Longest an import may take (reading, checking and validating a file) before it is stopped.",
)
IMPORT_MEMORY_MB = _setting(
    "IMPORT_MEMORY_MB",
    1536,
    "MiB",
    "Most memory an import's worker process may use on top of what it needs to start.",
)

# Rooms: a presenter's screen followed by the audience's.
ROOM_TTL_SECONDS = _setting(
    "ROOM_TTL_SECONDS",
    4 * 60 * 60,
    "seconds",
    "A room whose presenter has not moved for this long ends.",
)
MAX_ROOMS = _setting(
    "MAX_ROOMS",
    1000,
    "rooms",
    "Most rooms open at once; starting one more ends the one unused longest.",
)
ROOMS_PER_OWNER = _setting(
    "ROOMS_PER_OWNER",
    5,
    "rooms",
    "Most rooms one browser session may start in ROOM_WINDOW_SECONDS.",
)
ROOM_WINDOW_SECONDS = _setting(
    "ROOM_WINDOW_SECONDS", 10 * 60, "seconds", "The window in which ROOMS_PER_OWNER applies."
)
FOLLOW_POLL_SECONDS = _setting(
    "FOLLOW_POLL_SECONDS",
    0.5,
    "seconds",
    "How often an audience screen reads its room's signal file; it asks the server to redraw "
    "only when the room has changed.",
)
ROOM_SIGNAL_DIR = PACKAGE_DIR / "static" / "rooms"
"""Where each room's signal file is written: inside the folder Streamlit serves at /app/static/
(it does not follow a link out of that folder), so the app's folder must be writable."""

# Caches: what one server process keeps in memory between reruns.
VIEW_CACHE_ENTRIES = _setting(
    "VIEW_CACHE_ENTRIES",
    128,
    "views",
    "Most views (one page's figures, lists and export rows for one choice of filters and date) "
    "each cache of the server keeps; the one used longest ago is dropped first.",
)
VIEW_CACHE_TTL_SECONDS = _setting(
    "VIEW_CACHE_TTL_SECONDS",
    60 * 60,
    "seconds",
    "A cached view nobody has asked for this long is dropped.",
)
DATASET_CACHE_ENTRIES = _setting(
    "DATASET_CACHE_ENTRIES",
    32,
    "datasets",
    "Most imported datasets (and their stories and checks) the server keeps open in memory; "
    "each costs about 1 MB with its cached views (bench/cache_growth.py).",
)

# Pages
COMPARE_MAX_COUNTRIES = _setting(
    "COMPARE_MAX_COUNTRIES", 5, "countries", "Most countries the Compare page sets side by side."
)
TIMELINE_MAX_LANES = _setting(
    "TIMELINE_MAX_LANES", 30, "countries", "Most countries the timeline draws at a time."
)
BROWSER_ALIGNMENT_MAX_COUNTRIES = _setting(
    "BROWSER_ALIGNMENT_MAX_COUNTRIES",
    40,
    "countries",
    "Most countries whose alignment index the browser redraws at every As of date (its frames "
    "grow with countries times dates); with more, the chart follows once the slider stops.",
)


def markdown_table() -> str:
    """The README's table of settings and limits, from SETTINGS."""
    rows = ["| Setting | Value | Meaning |", "|---|---|---|"]
    for s in SETTINGS:
        value = s.default.relative_to(PACKAGE_DIR) if isinstance(s.default, Path) else s.default
        value = f"{value:,}" if isinstance(value, int) else f"`{value}`" if value != "" else "none"
        unit = "" if s.unit == "folder" or s.default == "" else f" {s.unit}"
        env = f" Environment variable: `{s.env}`." if s.env else ""
        rows.append(f"| `{s.name}` | {value}{unit} | {s.help}{env} |")
    return "\n".join(rows) + "\n"
