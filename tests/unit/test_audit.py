"""Cohen's kappa and the summary of the double coding."""

from __future__ import annotations

import pandas as pd
import pytest

from core.analysis.audit import cohen_kappa, summarise


@pytest.mark.parametrize(
    ("first", "second", "kappa"),
    [
        (["a", "b", "a", "b"], ["a", "b", "a", "b"], 1.0),
        (["a", "a", "b", "b"], ["a", "b", "a", "b"], 0.0),  # agreement at chance level
        (["a", "a", "a", "b"], ["a", "a", "b", "b"], 0.5),
    ],
)
def test_cohen_kappa(first, second, kappa):
    assert cohen_kappa(first, second) == pytest.approx(kappa)


def test_kappa_needs_equal_non_empty_lists():
    with pytest.raises(ValueError):
        cohen_kappa([], [])
    with pytest.raises(ValueError):
        cohen_kappa(["a"], ["a", "b"])


def test_summary_counts_facts_only_one_coder_coded_as_disagreements():
    table = pd.DataFrame(
        {"issue": ["x", "x", "y", "z"], "first_stance": ["p", "p", "", "q"],
         "second_stance": ["p", "r", "s", "q"]}
    )  # fmt: skip
    s = summarise(table)
    assert (s.facts, s.both_coded, s.same_stance) == (4, 3, 2)
    assert s.kappa < 1
