"""The phone's matrix: a list per country, in the matrix's order, every value escaped."""

from __future__ import annotations

import re

from figures.palette import SCORE_COLOURS
from tests.unit.test_matrix_chart import tiny_cells
from ui.stance_list import CSS, PHONE_KEY, PHONE_WIDTH, WIDE_KEY, stance_list_html


def items(text: str) -> list[str]:
    return re.findall(r'<span class="stance">(.*?)</span>', text)


def test_countries_and_issues_in_the_order_given_with_stances_in_words():
    text = stance_list_html(tiny_cells(), ["RUS", "KAZ"], ["b", "a"])
    assert text.index("Russia") < text.index("Kazakhstan")
    assert items(text) == ["n/a", "no evidence", "Yes (+2)"]
    assert f"background:{SCORE_COLOURS[2]}" in text


def test_only_the_first_country_is_open():
    text = stance_list_html(tiny_cells(), ["KAZ", "RUS"], ["a", "b"])
    assert text.count("<details open>") == 1 and text.count("<details>") == 1


def test_issues_left_out_are_not_listed():
    assert items(stance_list_html(tiny_cells(), ["KAZ"], ["a"])) == ["Yes (+2)"]


def test_text_from_data_is_escaped():
    frame = tiny_cells(country_name=["<b>K</b>"] * 2 + ["Russia"], label=["<i>x", None, None])
    text = stance_list_html(frame, ["KAZ"], ["a", "b"])
    assert "<b>K</b>" not in text and "&lt;b&gt;K&lt;/b&gt;" in text
    assert "<i>x" not in text


def test_the_list_shows_and_the_chart_hides_only_below_the_phone_width():
    phone = CSS.split("@media")[1]
    assert f"max-width: {PHONE_WIDTH - 0.02}px" in phone
    assert f".st-key-{PHONE_KEY} {{display: flex" in phone
    assert f".st-key-{WIDE_KEY} {{display: none" in phone
    assert f".st-key-{PHONE_KEY} {{display: none" in CSS.split("@media")[0]
