"""Provenance said from the data: descriptor title, version and licence; cited sources in full."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from core.model.dataset import Dataset
from core.model.provenance import (
    citation,
    cited_sources,
    licence_words,
    read_descriptor,
    source_citation,
    source_line,
)
from core.settings import BUNDLED_DATA_DIR

T = pd.Timestamp
DESCRIPTOR = {
    "title": "Responses to the war",
    "version": "9.1.0",
    "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
}
S1_IN_FULL = (
    "Paul Stronski, “The Common Theme in Central Asia's Response to Russia's Invasion of "
    "Ukraine”, Carnegie Endowment for International Peace, 2022-03-30. "
    "https://carnegieendowment.org/2022/03/30/"
    "common-theme-in-central-asia-s-response-to-russia-s-invasion-of-ukraine-pub-86764"
)


def tiny(cited: list[str], further: list[str] = ()) -> Dataset:
    """A dataset whose observations cite `cited` (one observation each) and whose first
    observation has the `further` sources too; four sources A-D to cite from."""
    ids = ["A", "B", "C", "D"]
    sources = pd.DataFrame(
        {"id": ids, "title": [f"Title {i}" for i in ids], "author": [f"Author {i}" for i in ids],
         "publisher": ["Pub 1", "Pub 1", "Pub 2", "Pub 3"], "date_published": "2024-01-02",
         "url": [f"https://example.org/{i}" for i in ids], "note": ""}
    )  # fmt: skip
    dates = [T("2022-03-01") + pd.Timedelta(days=n) for n in range(len(cited))]
    positions = pd.DataFrame({"country": "KAZ", "issue": "a", "date": dates, "source": cited})
    extra = pd.DataFrame({"country": "KAZ", "issue": "a", "date": T("2022-03-01"),
                          "source": list(further)})  # fmt: skip
    empty = pd.DataFrame()
    return Dataset(empty, empty, empty, positions, extra, empty, sources)


@pytest.mark.parametrize(
    ("cited", "further", "order"),
    [(["A"], [], ["A"]), (["B", "A", "B"], [], ["B", "A"]), (["C"], ["D", "D"], ["D", "C"])],
)
def test_cited_sources_are_those_the_observations_cite_most_cited_first(cited, further, order):
    assert list(cited_sources(tiny(cited, further)).index) == order


@pytest.mark.parametrize(
    ("descriptor", "words"),
    [
        (DESCRIPTOR, "Creative Commons Attribution 4.0 (CC-BY-4.0)"),
        ({"licenses": [{"name": "ODbL"}, {"title": "Public domain"}]}, "ODbL; Public domain"),
        ({}, ""),
    ],
)
def test_licence_words(descriptor, words):
    assert licence_words(descriptor) == words


@pytest.mark.parametrize(
    ("descriptor", "start"),
    [
        (DESCRIPTOR, "Responses to the war, data package version 9.1.0, licensed Creative"),
        ({"title": "Responses"}, "Responses. Coded from: Author A"),
        ({}, "Imported data (not a release of the bundled data package). Coded from"),
    ],
)
def test_citation_heads_with_what_the_descriptor_says_and_nothing_else(descriptor, start):
    assert citation(tiny(["A"]), descriptor).startswith(start)


@pytest.mark.parametrize(
    ("cited", "named", "unnamed", "rest"),
    [
        (["A", "B"], ["Title A", "Title B"], ["Title C"], ""),
        (["A", "B", "C", "C"], ["Title C", "Title A", "Title B"], ["Title D"], ""),
        (
            ["A", "B", "C", "D", "D"],
            ["Title D"],
            ["Title A"],
            "Coded from 4 sources listed in sources.csv; the most cited: Author D",
        ),
    ],
)
def test_citation_names_the_sources_cited_in_full(cited, named, unnamed, rest):
    text = citation(tiny(cited), {})
    assert all(f"“{t}”" in text for t in named)
    assert not any(t in text for t in unnamed)
    assert "https://example.org/" in text and rest in text


def test_citation_of_data_citing_nothing_says_so():
    assert citation(tiny([]), DESCRIPTOR).endswith("No observation cites a source.")


def test_bundled_citation_is_the_package_and_s1_in_full(dataset):
    descriptor = read_descriptor(BUNDLED_DATA_DIR)
    text = citation(dataset, descriptor)
    assert text.startswith(f"{descriptor['title']}, data package version {descriptor['version']}")
    assert S1_IN_FULL in text and "Creative Commons Attribution 4.0" in text


def test_imported_citation_names_its_own_sources_not_s1(tables):
    tables["positions"]["source"] = "UNDL-3959039"
    tables["observation_sources"] = tables["observation_sources"].iloc[0:0]
    from core.ingest.package import load_tables

    text = citation(load_tables(tables).dataset, {})
    assert "Stronski" not in text and "version" not in text
    assert "https://digitallibrary.un.org/record/3959039" in text


def test_read_descriptor_of_a_folder_with_and_without_one(tmp_path):
    assert read_descriptor(tmp_path) == {}
    (tmp_path / "datapackage.json").write_text(json.dumps(DESCRIPTOR), encoding="utf-8")
    assert read_descriptor(tmp_path) == DESCRIPTOR


def test_source_line_of_a_tiny_dataset_names_author_and_publisher():
    assert source_line(tiny(["A", "C", "C"])) == "Source: Author C (Pub 2); Author A (Pub 1)"
    assert source_line(tiny([])) == ""


def test_source_line_names_few_sources_and_counts_many(dataset, tables):
    from core.ingest.package import load_tables

    line = source_line(dataset)
    assert line.startswith("Sources: United Nations Digital Library; Carnegie Endowment for")
    assert line.endswith("more publishers, each cited in its cell's evidence")
    kaz = dataset.positions[dataset.positions["country"] == "KAZ"]
    only_kaz = source_line(dataset, kaz)
    n_kaz = dataset.sources[
        dataset.sources["id"].isin(
            set(kaz["source"])
            | set(dataset.observation_sources.query("country == 'KAZ'")["source"])
        )
    ]["publisher"].nunique()
    assert only_kaz.endswith(f"and {n_kaz - 2} more publishers, each cited in its cell's evidence")
    keep = tables["positions"]["source"].isin(["S1", "UNDL-3959039"])
    tables["positions"] = tables["positions"][keep]
    tables["observation_sources"] = tables["observation_sources"].iloc[0:0]
    assert source_line(load_tables(tables).dataset) == (
        "Source: Paul Stronski (Carnegie Endowment for International Peace); "
        "United Nations General Assembly (United Nations Digital Library)"
    )


def test_citation_of_untitled_source_does_not_invent_a_title(dataset):
    untitled = pd.Series({"author": "A. Writer", "title": "", "publisher": "P", "url": ""})
    assert source_citation(untitled) == "A. Writer, untitled analysis, P."
    s1 = dataset.sources.set_index("id").loc["S1"]
    assert source_citation(s1).startswith("Paul Stronski, “The Common Theme in Central Asia")
    un = dataset.sources.set_index("id").loc["UNDL-3959039"]
    assert source_citation(un).endswith("https://digitallibrary.un.org/record/3959039")
