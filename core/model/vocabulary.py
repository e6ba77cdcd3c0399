"""One vocabulary: how the data's codes are said in words, defined once for every view.

Scores are written here, and `applies_to` scopes ('all -RUS', 'KAZ KGZ') are parsed and said here.
"""

from __future__ import annotations

from core.settings import CELL_STATES

SCORED, NO_EVIDENCE, NOT_APPLICABLE = "scored", "no_evidence", "not_applicable"
"""The three states of a cell (see `core.settings.CELL_STATES` for what each means)."""
STATE_NAMES = {SCORED: "scored", NO_EVIDENCE: "no evidence", NOT_APPLICABLE: "not applicable"}
STATE_MARKS = {NO_EVIDENCE: "–", NOT_APPLICABLE: "n/a"}
"""What a cell without a score shows in place of a stance: on the matrix, the map and in tables."""

SCORES = (2, 1, 0, -1, -2)
"""The score scale, in the order a key lists it (see `core.settings.SCORE_MEANINGS`)."""


def signed_score(score: float) -> str:
    """'+2', '+1', '0', '-1', '-2': a score, or a change of score, as every view writes it."""
    score = int(score)
    return f"{score:+d}" if score else "0"


def state_words(state: str) -> str:
    """'No evidence: the issue applies, but nothing is coded by the as-of date'."""
    return f"{STATE_NAMES[state].capitalize()}: {CELL_STATES[state]}"


def stance_words(label: str, score: float) -> str:
    """'Allowed (score +1)': a stance with its score, as hovers and the evidence say it."""
    return f"{label} (score {signed_score(score)})"


def parse_applies_to(text: str, all_countries: list[str]) -> list[str]:
    """Countries an `applies_to` value names: 'all', 'all -RUS -BLR' or 'KAZ KGZ'."""
    tokens = str(text).split()
    if tokens and tokens[0] == "all":
        excluded = {t.removeprefix("-") for t in tokens[1:]}
        return [c for c in all_countries if c not in excluded]
    return tokens


def applies_to_words(text: str, names: dict[str, str]) -> str:
    """An `applies_to` value in words: 'all countries', 'all but Russia and Georgia', or the
    countries named ('Kazakhstan, Kyrgyzstan and Armenia'); `names` maps ISO3 to a name."""
    tokens = str(text).split()

    def listed(codes: list[str]) -> str:
        words = [names.get(c, c) for c in codes]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]

    if not tokens:
        return "no country"
    if tokens[0] == "all":
        excluded = [t.removeprefix("-") for t in tokens[1:]]
        return f"all but {listed(excluded)}" if excluded else "all countries"
    return listed(tokens)
