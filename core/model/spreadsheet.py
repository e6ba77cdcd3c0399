"""The formula guard: a text cell a spreadsheet could run as a formula gets an apostrophe.

`neutralise` is applied to every exported cell; `restore` is its exact inverse, applied to
every imported cell, so the app's own exports re-import to the same data.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
GUARD = "'"
_STARTS = "".join(re.escape(c) for c in FORMULA_START)
LINE_START = r"(?:^|(?<=[\r\n]))"
"""The start of the cell and every position after a CR or LF: a spreadsheet may split a cell's
lines there, so each line is judged as if it were a cell of its own."""
NEEDS_GUARD = re.compile(LINE_START + f"(?={GUARD}*[{_STARTS}])")
"""A line that starts like a formula, or with apostrophes before one (so that `restore`, which
takes one apostrophe off, gives back exactly what was there)."""
GUARDED = re.compile(LINE_START + f"{GUARD}(?={GUARD}*[{_STARTS}])")


def neutralise(value: object) -> str:
    """A cell a spreadsheet will not run as a formula: every line (the cell's start, and each
    position after a CR or LF) that starts with = + - @ tab or CR gets an apostrophe in front,
    unless the whole cell is a plain number such as -2. A line that already starts with
    apostrophes before such a character gets one more, so that `restore` is its exact inverse."""
    text = str(value)
    if PLAIN_NUMBER.fullmatch(text):
        return text
    return NEEDS_GUARD.sub(GUARD, text)


def restore(value: str) -> str:
    """Undo `neutralise` on import, so that an exported file re-imports unchanged: one
    apostrophe comes off each line that `neutralise` guarded."""
    return GUARDED.sub("", value)
