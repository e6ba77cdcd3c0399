"""The matrix in a real browser: drawn, clickable, and fetching nothing from other hosts."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import click_cell, matrix_ready

COUNTRIES = [
    "Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan",
    "Russia", "Belarus", "Armenia", "Azerbaijan", "Georgia", "Moldova",
]  # fmt: skip


def test_root_draws_the_matrix_with_eleven_rows(page, base_url):
    page.goto(base_url + "/")
    matrix_ready(page)
    rows = page.locator(".st-key-matrix .yaxislayer-above .ytick text").all_text_contents()
    assert rows == COUNTRIES
    cells = page.locator(".st-key-matrix .heatmaplayer image, .st-key-matrix .heatmaplayer text")
    assert cells.count() > 0
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.external_requests == []


def test_clicking_a_cell_shows_its_evidence(page, base_url):
    page.goto(base_url + "/")
    matrix_ready(page)
    click_cell(page, "KGZ", "anti_war_protests")
    panel = page.locator(".st-key-evidence")
    expect(panel).to_contain_text("Evidence: Kyrgyzstan · Anti-war protests", timeout=10_000)
    expect(panel).to_contain_text("S1 §Kyrgyzstan ¶1")
    page.keyboard.press("Escape")  # the evidence drawer is modal: close it to click again
    expect(panel).to_have_count(0)
    click_cell(page, "UZB", "dpr_lpr_recognition")
    expect(panel).to_contain_text("Evidence: Uzbekistan · DPR/LPR recognition", timeout=10_000)
    expect(panel).to_contain_text("17 Mar 2022")
    assert page.external_requests == []
