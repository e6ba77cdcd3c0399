"""AppTest of the timeline, compare, country, changes and about pages."""

from __future__ import annotations

import datetime as dt

from core.model.provenance import read_descriptor
from core.settings import BUNDLED_DATA_DIR
from tests.app.helpers import figure, figures, run_page, texts
from ui.text import md_escape


def test_timeline_draws_lanes_and_period_zooms():
    at = run_page("timeline.py")
    fig = figure(at, "Observations by country")
    assert len(fig["layout"]["yaxis"]["ticktext"]) == 11
    assert fig["layout"]["title"]["text"].endswith("14 Feb 2022 to 15 Apr 2022")
    at.segmented_control(key="period").set_value("All dates").run()
    title = figure(at, "Observations by country")["layout"]["title"]["text"]
    assert int(title.rsplit(" ", 1)[-1]) >= 2025  # the whole record, to its last year


def test_timeline_countries_and_categories_filter():
    at = run_page("timeline.py", countries=["UZB"])
    fig = figure(at, "Observations by country")
    assert fig["layout"]["yaxis"]["ticktext"] == ["Uzbekistan"]
    at.pills(key="categories").set_value(["Sovereignty"]).run()
    fig = figure(at, "Observations by country")
    names = {t["name"] for t in fig["data"] if t.get("customdata") is not None}
    assert names == {"Sovereignty (exact date)"}


def test_compare_defaults_to_central_asia_with_agreement_and_divergences():
    at = run_page("compare.py")
    table = at.dataframe[0].value
    assert list(table.columns)[:5] == [
        "Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan",
    ]  # fmt: skip
    agreement = figure(at, "Pairwise agreement")
    assert agreement["data"][0]["z"]["shape"] == "5, 5"
    assert any("DPR/LPR recognition" in e.label for e in at.expander)


def test_compare_needs_two_countries_and_takes_at_most_five():
    at = run_page("compare.py", countries=["KAZ"])
    assert "at least two countries" in texts(at)
    at = run_page("compare.py", countries=["KAZ", "UZB", "RUS", "BLR", "ARM", "GEO"])
    assert len(at.multiselect(key="compare_countries").value) == 5


def test_compare_as_of_changes_the_table():
    at = run_page("compare.py", countries=["KGZ", "UZB"], as_of="2022-03-05")
    early = at.dataframe[0].value
    assert early.loc["Anti-war protests", "Kyrgyzstan"] == "Allowed (+1)"
    at.select_slider(key="as_of").set_value(dt.date(2022, 4, 1)).run()
    assert at.dataframe[0].value.loc["Anti-war protests", "Kyrgyzstan"] == "Banned (-1)"


def test_country_profile_follows_its_parameter_and_picker():
    at = run_page("country.py", country="KGZ")
    assert "Kyrgyzstan" in [h.value for h in at.header]
    assert figure(at, "Alignment index of Kyrgyzstan")
    at.selectbox(key="country").set_value("UZB").run()
    assert "Uzbekistan" in [h.value for h in at.header]
    assert "Former member" in [m.value for m in at.metric]
    positions = at.dataframe[0].value
    assert "Refuses (+2)" in set(positions["Stance"])  # the DPR/LPR, 17 March 2022


def test_changes_defaults_and_paths():
    at = run_page("changes.py")
    assert at.date_input(key="from").value == dt.date(2022, 2, 24)
    table = at.dataframe[0].value
    kgz = table[(table["Country"] == "Kyrgyzstan") & (table["Issue"] == "Anti-war protests")]
    assert list(kgz["Path"]) == ["no evidence → Allowed → Banned"]


def test_changes_between_scored_dates_and_swapped_dates():
    at = run_page("changes.py", **{"from": "2022-04-01", "to": "2022-03-05"})
    assert "swapped" in texts(at)
    table = at.dataframe[0].value
    kgz = table[(table["Country"] == "Kyrgyzstan") & (table["Issue"] == "Anti-war protests")]
    assert list(kgz["Change"]) == ["-2"]


def test_about_has_method_codebook_and_sources():
    at = run_page("about.py")
    page = texts(at)
    for words in ("Alignment index", "Agreement", "Codebook", "Paul Stronski", "Creative Commons"):
        assert words in page
    version = read_descriptor(BUNDLED_DATA_DIR)["version"]  # the citation says it, from the data
    assert md_escape(f"data package version {version}") in page
    assert "Did not vote" in page
    assert figures(at) == []
