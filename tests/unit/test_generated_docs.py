"""Every generated block of the docs (scripts/update_data_readme.py's BLOCKS) is present and
current: rendering them all again changes nothing."""

from __future__ import annotations

import importlib.util

import pytest

from core.ingest.package import load_bundled
from core.settings import PACKAGE_DIR

spec = importlib.util.spec_from_file_location(
    "update_data_readme", PACKAGE_DIR / "scripts" / "update_data_readme.py"
)
update = importlib.util.module_from_spec(spec)
spec.loader.exec_module(update)

BLOCKS = [(path, name) for path, blocks in update.BLOCKS.items() for name in blocks]


@pytest.fixture(scope="module")
def ds():
    return load_bundled()


@pytest.mark.parametrize(("path", "name"), BLOCKS, ids=[f"{p.name}:{n}" for p, n in BLOCKS])
def test_the_generated_block_is_current(path, name, ds):
    text = path.read_text(encoding="utf-8")
    assert f"<!-- {name}:start" in text and f"<!-- {name}:end -->" in text, (
        f"{path.name} lacks the {name} markers"
    )
    assert update.fill(text, name, update.BLOCKS[path][name](ds)) == text, (
        f"{path.name}'s {name} block is stale: run python scripts/update_data_readme.py"
    )
