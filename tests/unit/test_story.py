"""The presenter's story: schema, resolution against the data, and errors naming the step."""

from __future__ import annotations

import pytest

from core.ingest.package import read_package_dir
from core.model.schema import STORY
from core.serving.story import load_story, resolve_story
from core.settings import BUNDLED_DATA_DIR


@pytest.fixture
def story_table(schema):
    tables, problems = read_package_dir(BUNDLED_DATA_DIR, schema, (schema.resource(STORY),))
    assert problems == []
    return tables[STORY]


def test_bundled_story_resolves(dataset):
    story = load_story(BUNDLED_DATA_DIR, dataset)
    assert story.problems == []
    assert 8 <= len(story.steps) <= 12
    assert [s.number for s in story.steps] == list(range(1, len(story.steps) + 1))
    for step in story.steps:
        assert step.narration.count("\n\n") <= 1, f"step {step.number}: over two paragraphs"
        for country, issue in step.focus:
            assert country in step.countries and issue in step.issues


def test_bundled_story_follows_s1s_argument(dataset):
    titles = [s.title for s in load_story(BUNDLED_DATA_DIR, dataset).steps]
    for words in ("UN", "ruble", "Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Tajikistan",
                  "Human Rights Council", "2025", "Overlaps"):  # fmt: skip
        assert any(words in t for t in titles), words


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("focus", "KAZ:no_such_issue", "step 2: cell KAZ:no_such_issue names an unknown"),
        ("focus", "UZB:ruble_customs_duties", "step 2: cell UZB:ruble_customs_duties is not among"),
        ("focus", "RUS:ruble_customs_duties", "step 2: cell RUS:ruble_customs_duties is not appl"),
        ("countries", "KAZ XYZ", "step 2: XYZ is not in countries.csv"),
        ("issues", "ruble_customs_duties nope", "step 2: nope is not in issues.csv"),
        ("play_from", "2022-03-24", "step 2: it must come before the step's as_of date"),
    ],
)
def test_unresolvable_step_names_its_number(story_table, dataset, column, value, words):
    story_table.loc[1, column] = value
    story = resolve_story(story_table, dataset)
    assert story.steps == []
    assert any(words in p.rule and p.row == 3 and p.column == column for p in story.problems), [
        str(p) for p in story.problems
    ]


def test_schema_rules_apply_to_the_story(story_table, dataset):
    story_table.loc[0, "page"] = "slides"
    story_table.loc[2, "narration"] = "x" * 600
    problems = resolve_story(story_table, dataset).problems
    assert {(p.row, p.column) for p in problems} == {(2, "page"), (4, "narration")}


def test_steps_must_be_consecutive(story_table, dataset):
    story_table.loc[len(story_table) - 1, "step"] = "42"
    problems = resolve_story(story_table, dataset).problems
    assert "numbered 1, 2, 3" in problems[0].rule


def test_step_lookup_clamps(dataset):
    story = load_story(BUNDLED_DATA_DIR, dataset)
    assert story.step(0).number == 1
    assert story.step(99).number == len(story.steps)


def test_story_is_optional_for_the_data(tmp_path, dataset):
    import shutil

    from core.ingest.package import load_package

    shutil.copytree(BUNDLED_DATA_DIR, tmp_path / "pkg")
    (tmp_path / "pkg" / "story.csv").unlink()
    assert load_package(tmp_path / "pkg").ok  # the dashboard still loads
    story = load_story(tmp_path / "pkg", dataset)
    assert story.problems[0].rule == "the file is missing"


def test_step_link_opens_the_same_view_in_the_dashboard(dataset):
    from ui.presenter import step_link

    story = load_story(BUNDLED_DATA_DIR, dataset)
    first = step_link(story.step(1))
    assert first.startswith("/map?countries=KAZ&countries=KGZ")
    assert "show=unga_es11_1" in first and "as_of=2022-03-24" in first
    assert "cell=KAZ%3Aunga_es11_1" in first
    assert step_link(story.step(2)).startswith("/?countries=KAZ")
    assert step_link(story.step(4)).startswith("/timeline?countries=UZB")
    assert step_link(story.step(11)).startswith("/compare?countries=KAZ")


def test_a_matrix_step_may_play_from_a_date_and_no_other_page_may(story_table, dataset):
    steps = load_story(BUNDLED_DATA_DIR, dataset).steps
    playing = [s for s in steps if s.play_from is not None]
    assert playing and all(s.page == "matrix" and s.play_from < s.as_of for s in playing)
    story_table.loc[0, "play_from"] = "2022-03-01"  # step 1 is a map
    problems = resolve_story(story_table, dataset).problems
    assert [p.rule for p in problems] == ["step 1: only a matrix step can play through dates"]
