"""`applies_to` said in words, as the codebook and the evidence panel say it."""

from __future__ import annotations

import pytest

from core.model.vocabulary import applies_to_words

NAMES = {"RUS": "Russia", "GEO": "Georgia", "KAZ": "Kazakhstan", "KGZ": "Kyrgyzstan"}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("all", "all countries"),
        ("all -RUS", "all but Russia"),
        ("all -RUS -GEO", "all but Russia and Georgia"),
        ("KAZ", "Kazakhstan"),
        ("KAZ KGZ GEO", "Kazakhstan, Kyrgyzstan and Georgia"),
        ("KAZ XYZ", "Kazakhstan and XYZ"),  # a code the data lacks is shown as it is
        ("", "no country"),
    ],
)
def test_applies_to_in_words(text, words):
    assert applies_to_words(text, NAMES) == words
