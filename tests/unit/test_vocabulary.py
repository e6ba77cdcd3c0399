"""The one vocabulary: scores written one way everywhere."""

from __future__ import annotations

import pytest

from core.model.vocabulary import (
    NO_EVIDENCE,
    NOT_APPLICABLE,
    SCORED,
    SCORES,
    STATE_MARKS,
    STATE_NAMES,
    signed_score,
    stance_words,
    state_words,
)
from core.settings import CELL_STATES, SCORE_MEANINGS


@pytest.mark.parametrize(
    ("score", "text"),
    [(2, "+2"), (1, "+1"), (0, "0"), (-1, "-1"), (-2, "-2"), (2.0, "+2"), (-0.0, "0"), (4, "+4")],
)
def test_signed_score_writes_a_sign_except_on_zero(score, text):
    assert signed_score(score) == text


def test_the_scale_is_the_one_the_settings_explain():
    assert list(SCORES) == sorted(SCORE_MEANINGS, reverse=True)


@pytest.mark.parametrize(
    ("label", "score", "words"),
    [
        ("Allowed", 1, "Allowed (score +1)"),
        ("Abstain", 0, "Abstain (score 0)"),
        ("No", -2.0, "No (score -2)"),
    ],
)
def test_stance_words_never_write_plus_zero(label, score, words):
    assert stance_words(label, score) == words


def test_every_state_has_its_help_text_a_name_and_no_other():
    assert set(CELL_STATES) == {SCORED, NO_EVIDENCE, NOT_APPLICABLE} == set(STATE_NAMES)
    assert set(STATE_MARKS) == {NO_EVIDENCE, NOT_APPLICABLE}  # a scored cell shows its stance


@pytest.mark.parametrize(
    ("state", "start"),
    [
        (SCORED, "Scored: an observation"),
        (NO_EVIDENCE, "No evidence: the issue applies"),
        (NOT_APPLICABLE, "Not applicable: the issue does not concern"),
    ],
)
def test_state_words_name_the_state_then_say_what_it_means(state, start):
    assert state_words(state).startswith(start)
    assert state_words(state).endswith(CELL_STATES[state])
