"""What `manifest.csv` expects of each file, checked the same way by the test and the bench.

Columns: `name` (a file of `files.py`), `file_name` (the name it is uploaded under), `class`,
`expected`, `words`, `row`, `column`, `member`, `note` (what would go wrong).

- `expected`: `imported` (a dataset and no problem), `refused` (no dataset, at least one problem
  that matches), or `imported|refused` (either, each checked as such).
- `words`: what the matching problem's rule must say. `|` separates alternatives (any one will
  do), `&` joins words that must all be there; case is ignored. The rule and the value are
  searched together (a problem may show the two readings of a text in either).
- `row`, `column`: if given, the matching problem must have exactly this row and column.
- `member`: for a zip, the member the matching problem must name (in its file or its rule).
- The matching problem must name the uploaded file (`file_name`, or `file_name/...`); for a
  zip, naming one of its members also will do.
- A problem that reports a crash of the import ("an error in this app", whatever exception text
  it quotes) never matches: a bug is not a refusal.
"""

from __future__ import annotations

import csv
from pathlib import Path

MANIFEST = Path(__file__).with_name("manifest.csv")
CRASH_MARKERS = ("error in this app", "SHIM:")
"""Words of a problem that stands for a crash (core.ingest.sandbox's, and the test's stand-in's)."""


def load_manifest() -> list[dict[str, str]]:
    with MANIFEST.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def words_match(words: str, text: str) -> bool:
    text = text.lower()
    return any(
        all(part.strip().lower() in text for part in alternative.split("&"))
        for alternative in words.split("|")
    )


def problem_matches(p: dict, row: dict[str, str]) -> list[str]:
    """Why problem `p` (file, row, column, value, rule) is not the one `row` asks for."""
    why = []
    if any(marker in (p.get("rule") or "") for marker in CRASH_MARKERS):
        return ["the import crashed"]
    text = f"{p.get('rule') or ''}\n{p.get('value') or ''}"
    if row["words"] and not words_match(row["words"], text):
        why.append(f"rule lacks {row['words']!r}")
    if row["row"] and str(p.get("row")) != row["row"]:
        why.append(f"row {p.get('row')} not {row['row']}")
    if row["column"] and (p.get("column") or "") != row["column"]:
        why.append(f"column {p.get('column')!r} not {row['column']!r}")
    file = p.get("file") or ""
    if row["member"] and row["member"] not in file and row["member"] not in (p.get("rule") or ""):
        why.append(f"does not name member {row['member']}")
    upload = row["file_name"]
    names_upload = file == upload or file.startswith(upload + "/")
    if not names_upload and not (upload.endswith(".zip") and file.endswith(".csv")):
        why.append(f"names file {file!r}, not {upload!r}")
    return why


def failures(
    row: dict[str, str],
    imported: bool,
    problems: list[dict],
    kept: bool | None = None,
    same_as_base: bool | None = None,
) -> list[str]:
    """Everything about an outcome that is not what the manifest row expects ([] if all is)."""
    expected = row["expected"].split("|")
    if imported:
        if "imported" not in expected:
            return ["imported, but the file should be refused"]
        out = []
        if kept is False:
            out.append("imported, but a summary did not come back exactly as written")
        if same_as_base is False:
            out.append("imported, but the data differ from the bundled data it encodes")
        return out
    if "refused" not in expected:
        first = problems[0] if problems else {}
        return [f"refused, but should be imported: {describe(first)}"]
    if not problems:
        return ["refused without any problem"]
    reasons = [problem_matches(p, row) for p in problems]
    if any(not r for r in reasons):
        return []
    return [f"no matching problem; first: {describe(problems[0])} ({'; '.join(reasons[0])})"]


def describe(p: dict) -> str:
    where = [str(p.get("file"))]
    if p.get("row") is not None:
        where.append(f"row {p['row']}")
    if p.get("column") is not None:
        where.append(f"column {p['column']!r}")
    value = p.get("value")
    value = "" if value is None else f" value {str(value)[:40]!r}"
    return f"{', '.join(where)}{value}: {str(p.get('rule'))[:160]}"
