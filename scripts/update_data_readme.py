"""Rewrite the generated parts of data/README.md (score scale, citation, codebook, empty cells),
data/AUDIT.md (the table of every double-coded fact) and README.md (the tables of link
parameters, of settings and limits, of the benchmark's latest results and of the load results
in bench/results/) from the data, the code and the measurements' own output files."""

from __future__ import annotations

import re

from bench.load.report import load_results as load_runs
from bench.load.report import markdown_table as load_table
from bench.report import load_results as bench_results
from bench.report import readme_block as bench_block
from core.analysis.audit import audit_table_markdown, load_audit
from core.analysis.coverage import empty_cells_markdown
from core.ingest.package import load_bundled
from core.model.provenance import citation, read_descriptor
from core.serving.codebook import codebook_markdown, score_table_markdown
from core.settings import BUNDLED_DATA_DIR, PACKAGE_DIR
from core.settings import markdown_table as settings_table
from ui.contract import markdown_table as params_table

BLOCKS = {
    BUNDLED_DATA_DIR / "README.md": {
        "scores": lambda ds: score_table_markdown(),
        "citation": lambda ds: citation(ds, read_descriptor(BUNDLED_DATA_DIR)),
        "codebook": codebook_markdown,
        "empty-cells": empty_cells_markdown,
    },
    BUNDLED_DATA_DIR / "AUDIT.md": {"audit-table": lambda ds: audit_table_markdown(load_audit())},
    PACKAGE_DIR / "README.md": {
        "params": lambda ds: params_table().rstrip("\n"),
        "settings": lambda ds: settings_table().rstrip("\n"),
        "bench": lambda ds: bench_block(bench_results()),
        "load": lambda ds: load_table(load_runs()),
    },
}


def fill(text: str, name: str, content: str) -> str:
    """`text` with the block between `<!-- name:start -->` and `<!-- name:end -->` replaced."""
    pattern = re.compile(rf"(<!-- {name}:start[^>]*-->\n).*?(<!-- {name}:end -->)", re.S)
    return pattern.sub(lambda m: m.group(1) + content + "\n" + m.group(2), text)


def main() -> None:
    ds = load_bundled()
    for path, blocks in BLOCKS.items():
        text = path.read_text(encoding="utf-8")
        for name, build in blocks.items():
            text = fill(text, name, build(ds))
        path.write_text(text, encoding="utf-8")
        print("updated", path)


if __name__ == "__main__":
    main()
