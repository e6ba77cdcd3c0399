"""Rewrite the generated parts of data/README.md (codebook, empty cells) from the data."""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.codebook import codebook_markdown
from core.coverage import empty_cells_markdown
from core.dataset import load_bundled
from core.settings import BUNDLED_DATA_DIR

BLOCKS = {"codebook": codebook_markdown, "empty-cells": empty_cells_markdown}


def main() -> None:
    path = BUNDLED_DATA_DIR / "README.md"
    text = path.read_text(encoding="utf-8")
    ds = load_bundled()
    for name, build in BLOCKS.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        text = pattern.sub(lambda m, b=build: m.group(1) + b(ds) + "\n" + m.group(2), text)
    path.write_text(text, encoding="utf-8")
    print("updated", path)


if __name__ == "__main__":
    main()
