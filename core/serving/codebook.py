"""The codebook written out as Markdown from the data itself, so the prose never drifts.

data/README.md carries it between two markers (scripts/update_data_readme.py writes it there) and
a test checks that the copy there is current.
"""

from __future__ import annotations

from collections.abc import Callable

from core.model.dataset import Dataset
from core.model.vocabulary import SCORES, applies_to_words, signed_score
from core.settings import SCORE_MEANINGS

START, END = "<!-- codebook:start -->", "<!-- codebook:end -->"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _plain(text: object) -> str:
    return str(text)


def score_table_markdown() -> str:
    """The one score scale as a Markdown table, from `core.settings.SCORE_MEANINGS`."""
    rows = ["| Score | Meaning |", "|---:|---|"]
    rows += [f"| {signed_score(s)} | {_cell(SCORE_MEANINGS[s])} |" for s in SCORES]
    return "\n".join(rows)


def _table(stances, esc: Callable[[object], str]) -> list[str]:
    rows = ["| Stance | Label | Score | Meaning |", "|---|---|---:|---|"]
    for s in stances.itertuples(index=False):
        rows.append(
            f"| `{_cell(s.stance)}` | {_cell(esc(s.label))} | {signed_score(s.score)} "
            f"| {_cell(esc(s.meaning))} |"
        )
    return rows


def codebook_markdown(ds: Dataset, esc: Callable[[object], str] = _plain) -> str:
    """One section per category, one table of stances per issue (shared tables said once).

    `esc` escapes text from the data for where the Markdown is rendered (the About page).
    """
    lines: list[str] = []
    names = dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))
    for category, group in ds.issues.groupby("category", sort=False):
        lines += [f"### {esc(category)}", ""]
        previous: tuple[list[str], str] | None = None
        for issue in group.itertuples(index=False):
            scope = applies_to_words(issue.applies_to, names)
            lines += [
                f"**{_cell(esc(issue.label))}** (`{issue.id}`, applies to {esc(scope)}). "
                f"{_cell(esc(issue.question))}",
                "",
            ]
            stances = ds.stances[ds.stances["issue"] == issue.id].sort_values(
                "score", ascending=False, kind="stable"
            )
            table = _table(stances, esc)
            if previous and previous[0] == table:
                lines += [f"Stances as for {previous[1]}.", ""]
                continue
            lines += [*table, ""]
            previous = (table, _cell(esc(issue.label)))
    return "\n".join(lines).rstrip() + "\n"


def embedded_codebook(readme: str) -> str:
    """The part of a README between the codebook markers."""
    return readme.split(START, 1)[1].split(END, 1)[0].strip("\n") + "\n"
