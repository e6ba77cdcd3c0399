"""A room's public signal: a tiny file per room that audience screens poll for a change.

An audience screen asks its server nothing while the room stands still: its browser reads
`/app/static/rooms/<CODE>.json` (Streamlit's static serving; no script runs) every
FOLLOW_POLL_SECONDS and asks for a rerun only when the text differs from the one its slide was
drawn for. The file says only what every screen of the room shows (step and high contrast),
never the presenter's key. It is replaced atomically (written beside, then renamed), so a reader
sees the old text or the new, never half of one; a room that ended has no file.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from core.serving.rooms import Shown, is_code


def signal_text(shown: Shown) -> str:
    """The file's text for what a room shows: the same bytes for the same state, always."""
    return json.dumps({"step": shown.step, "contrast": shown.high_contrast}, sort_keys=True)


def signal_path(directory: Path, code: str) -> Path | None:
    """Where room `code`'s signal lives; None for anything that is not a room code."""
    return directory / f"{code}.json" if is_code(code) else None


def write_signal(directory: Path, code: str, shown: Shown | None) -> None:
    """Publish what room `code` shows (None: the room ended, so its file goes)."""
    path = signal_path(directory, code)
    if path is None:
        return
    if shown is None:
        path.unlink(missing_ok=True)
        return
    directory.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(signal_text(shown))
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def sweep_signals(directory: Path, max_age: float, now: float | None = None) -> int:
    """Remove the signals of rooms not written for `max_age` seconds (their rooms have expired:
    a presenter's every step rewrites its room's file); says how many went."""
    if not directory.is_dir():
        return 0
    now = time.time() if now is None else now
    gone = 0
    for path in directory.glob("*.json"):
        try:
            if now - path.stat().st_mtime > max_age:
                path.unlink()
                gone += 1
        except FileNotFoundError:
            continue
    return gone
