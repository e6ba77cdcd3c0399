"""Tests of the bundled data itself: it validates, is cited, complete and codes the UN record."""

from __future__ import annotations

import pandas as pd
import pytest

from core.ingest.package import load_package
from core.settings import BUNDLED_DATA_DIR

CENTRAL_ASIA = ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
COMPARATORS = ["RUS", "BLR", "ARM", "AZE", "GEO", "MDA"]
REQUIRED_ISSUES = [f"unga_es11_{n}" for n in range(1, 9)] + [
    "dpr_lpr_recognition",
    "territorial_integrity",
    "anti_war_protests",
    "z_symbol_displays",
    "csto_eaeu_debate",
    "ruble_customs_duties",
    "troop_request",
    "kremlin_readouts",
    "humanitarian_aid",
    "migrants_foreign_army",
    "official_stance",
]
# The UN Digital Library voting records (Y yes, N no, A abstain, - did not vote).
UN_VOTES = """
KAZ A A N A A A A A
KGZ A A N A A A A A
TJK A A N A A A A A
TKM - - - - - - - -
UZB - A N A A A A A
ARM A A - A A A A Y
AZE - - - - - - - -
BLR N N N N N N N N
GEO Y Y Y Y Y Y - A
MDA Y Y Y Y Y Y Y Y
RUS N N N N N N N N
"""
VOTE_CODE = {"Y": "yes", "N": "no", "A": "abstain", "-": "absent"}
RESOLUTIONS = {
    1: ("2022-03-02", "3959039"),
    2: ("2022-03-24", "3965954"),
    3: ("2022-04-07", "3967778"),
    4: ("2022-10-12", "3990400"),
    5: ("2022-11-14", "3994052"),
    6: ("2023-02-23", "4003921"),
    7: ("2025-02-24", "4076672"),
    8: ("2025-02-24", "4076673"),
}


def test_bundled_package_validates():
    result = load_package()
    assert result.problems == []


def test_countries_are_the_eleven(dataset):
    assert sorted(dataset.countries["iso3"]) == sorted(CENTRAL_ASIA + COMPARATORS)


def test_memberships_note_partial_cases(dataset):
    c = dataset.countries.set_index("iso3")
    assert (c.at["UZB", "csto"], c.at["UZB", "eaeu"]) == ("former", "observer")
    assert "2012" in c.at["UZB", "membership_note"]
    assert "December 2020" in c.at["UZB", "membership_note"]
    assert (c.at["TKM", "csto"], c.at["TKM", "eaeu"]) == ("none", "none")
    assert c.at["GEO", "cis"] == "former" and "2009" in c.at["GEO", "membership_note"]


def test_required_issues_exist(dataset):
    assert set(REQUIRED_ISSUES) <= set(dataset.issues["id"])


def test_s1_locators_name_the_intro_or_a_section(dataset):
    # that every source exists and every locator is filled is the schema's to say (foreign key,
    # required), tested in test_broken_packages.py: the `dataset` fixture raises before then
    s1 = dataset.positions[dataset.positions["source"] == "S1"]
    assert s1["locator"].str.match(r"S1 (Intro|§)").all()


def test_every_issue_has_a_complete_stance_list(dataset):
    for issue, group in dataset.stances.groupby("issue"):
        scores = set(group["score"])
        assert 0 in scores, f"{issue} has no neutral stance"
        assert any(s > 0 for s in scores) and any(s < 0 for s in scores), issue
    for n in range(1, 9):
        votes = dataset.stances[dataset.stances["issue"] == f"unga_es11_{n}"]
        assert dict(zip(votes["stance"], votes["score"], strict=True)) == {
            "yes": 2,
            "abstain": 0,
            "absent": 0,
            "no": -2,
        }
        assert votes.set_index("stance").at["absent", "label"] == "Did not vote"


def test_un_vote_table_is_coded_exactly(dataset):
    pos = dataset.positions.set_index(["country", "issue"])
    for line in UN_VOTES.strip().splitlines():
        iso3, *votes = line.split()
        for n, code in enumerate(votes, start=1):
            row = pos.loc[(iso3, f"unga_es11_{n}")]
            assert isinstance(row, pd.Series), f"{iso3} ES-11/{n} coded more than once"
            date, record = RESOLUTIONS[n]
            assert row["stance"] == VOTE_CODE[code], f"{iso3} ES-11/{n}"
            assert row["date"] == pd.Timestamp(date)
            assert row["source"] == f"UNDL-{record}"
    un_rows = dataset.positions[dataset.positions["issue"].str.startswith("unga_")]
    assert len(un_rows) == 11 * 8


def test_every_central_asian_state_has_s1_observations(dataset):
    s1 = dataset.positions[dataset.positions["source"] == "S1"]
    counts = s1["country"].value_counts()
    for iso3 in CENTRAL_ASIA:
        assert counts.get(iso3, 0) >= 1, iso3


@pytest.mark.parametrize(
    ("country", "issue", "stance", "date"),
    [
        ("UZB", "dpr_lpr_recognition", "refuses", "2022-03-17"),
        ("UZB", "territorial_integrity", "affirms_ukraine", "2022-03-17"),
        ("KAZ", "troop_request", "refused_reportedly", None),
        ("KAZ", "ruble_customs_duties", "refused", None),
        ("KGZ", "ruble_customs_duties", "refused", None),
        ("ARM", "ruble_customs_duties", "refused", None),
        ("KGZ", "anti_war_protests", "banned", None),
        ("UZB", "migrants_foreign_army", "warned", None),
        ("TKM", "official_stance", "silent", None),
        ("TJK", "official_stance", "silent", "2022-02-25"),
    ],
)
def test_key_s1_facts_are_coded(dataset, country, issue, stance, date):
    pos = dataset.positions[dataset.positions["source"] == "S1"]
    rows = pos[(pos["country"] == country) & (pos["issue"] == issue) & (pos["stance"] == stance)]
    assert len(rows) == 1
    if date:
        assert rows["date"].iloc[0] == pd.Timestamp(date)


@pytest.mark.parametrize(
    ("issue", "locator"),
    [("z_symbol_displays", "S1 Intro ¶3"), ("humanitarian_aid", "S1 Intro ¶3"),
     ("humanitarian_aid", "S1 §Uzbekistan ¶1"), ("ruble_customs_duties", "S1 Intro ¶2")],
)  # fmt: skip
def test_one_sentence_on_several_states_is_coded_alike(dataset, issue, locator):
    pos = dataset.positions
    rows = pos[(pos["source"] == "S1") & (pos["issue"] == issue) & (pos["locator"] == locator)]
    assert set(rows["country"]) >= {"KAZ", "KGZ"}
    assert rows[["stance", "date", "date_precision"]].drop_duplicates().shape[0] == 1


def test_s1_rows_follow_the_audit_principles(dataset):
    pos = dataset.positions[dataset.positions["source"] == "S1"]
    further = dataset.observation_sources
    backed = set(zip(further["country"], further["issue"], further["date"], strict=True))
    alone = [k not in backed for k in zip(pos["country"], pos["issue"], pos["date"], strict=True)]
    # S1 is one report: never "high" on its own (high needs a record or two reports)
    assert not (pos[alone]["confidence"] == "high").any()
    # a relative or undated fact is never day precision: only the explicit 17 and 20 March
    days = pos[alone].loc[pos["date_precision"] == "day", "date"]
    assert set(days.dt.strftime("%m-%d")) <= {"03-17", "03-20"}
    # 'reportedly' is not 'open': the reported troop refusal is not scored +2
    assert set(pos.loc[pos["issue"] == "troop_request", "stance"]) == {"refused_reportedly"}
    # steps S1 ties to the mid-March shift are dated with it
    shift = pos[pos["issue"].isin(["z_symbol_displays", "territorial_integrity"])]
    assert (shift["date"] >= pd.Timestamp("2022-03-15")).all()


def test_data_readme_documents_every_issue(dataset):
    text = (BUNDLED_DATA_DIR / "README.md").read_text(encoding="utf-8")
    for issue in dataset.issues["id"]:
        assert f"`{issue}`" in text, issue
    for words in ("no evidence", "not applicable", "did not vote"):
        assert words in text.lower()


def test_data_readme_codebook_is_current(dataset):
    from core.serving.codebook import codebook_markdown, embedded_codebook

    text = (BUNDLED_DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert embedded_codebook(text) == codebook_markdown(dataset), (
        "run: python scripts/update_data_readme.py"
    )


def test_data_readme_score_table_is_the_settings_one():
    from core.serving.codebook import score_table_markdown

    text = (BUNDLED_DATA_DIR / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- scores:start -->\n")[1].split("<!-- scores:end -->")[0]
    assert block == score_table_markdown() + "\n", "run: python scripts/update_data_readme.py"
    assert "| -2 | Siding with Moscow |" in block  # the scale itself, not only its markers


def test_data_readme_citation_is_the_one_the_app_writes(dataset):
    from core.model.provenance import citation, read_descriptor

    text = (BUNDLED_DATA_DIR / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- citation:start -->\n")[1].split("<!-- citation:end -->")[0]
    assert block == citation(dataset, read_descriptor(BUNDLED_DATA_DIR)) + "\n", (
        "run: python scripts/update_data_readme.py"
    )


def test_data_readme_lists_the_empty_cells_it_has(dataset):
    from core.analysis.coverage import empty_cells_markdown

    text = (BUNDLED_DATA_DIR / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- empty-cells:start -->\n")[1].split("<!-- empty-cells:end -->")[0]
    assert block == empty_cells_markdown(dataset) + "\n", (
        "run: python scripts/update_data_readme.py"
    )
