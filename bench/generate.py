"""Generate a synthetic UN-wide package: every UN member (pycountry's list of countries with a
numeric code is close enough) x 60 issues x 5 observations, about 58,000 positions.

Usage: python bench/generate.py OUT_DIR [--countries 193] [--issues 60] [--observations 5]
The result validates with the bundled schema; `bench/scale.py` times it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

import pandas as pd
import pycountry

from core.ingest.conform import base_tables
from core.ingest.package import load_bundled

ROOT = Path(__file__).resolve().parent.parent

SCORES = [(-2, "strong_no"), (-1, "lean_no"), (0, "neutral"), (1, "lean_yes"), (2, "strong_yes")]


def generate(countries: int = 193, issues: int = 60, observations: int = 5, seed: int = 7):
    """Tables of strings for a synthetic package of the given size."""
    rng = random.Random(seed)
    tables = base_tables(load_bundled())
    codes = sorted(c.alpha_3 for c in pycountry.countries)[:countries]
    tables["countries"] = pd.DataFrame(
        {"iso3": codes, "name": [pycountry.countries.get(alpha_3=c).name[:60] for c in codes],
         "region": "Synthetic", "csto": "none", "eaeu": "none", "cis": "none",
         "membership_note": ""}
    )  # fmt: skip
    ids = [f"issue_{n:02d}" for n in range(1, issues + 1)]
    tables["issues"] = pd.DataFrame(
        {"id": ids, "label": [f"Issue {n}" for n in range(1, issues + 1)],
         "category": [f"Category {1 + n * 6 // issues}" for n in range(issues)],
         "question": "A synthetic question.", "applies_to": "all",
         "order": [str(n) for n in range(1, issues + 1)]}
    )  # fmt: skip
    tables["stances"] = pd.DataFrame(
        [{"issue": i, "stance": s, "label": s.replace("_", " ").title(), "score": str(v),
          "meaning": f"Synthetic stance scoring {v}."} for i in ids for v, s in SCORES]
    )  # fmt: skip
    start = dt.date(2022, 2, 24)
    rows = []
    for country in codes:
        for issue in ids:
            days = sorted(rng.sample(range(0, 1000), observations))
            for day in days:
                rows.append({
                    "country": country, "issue": issue,
                    "date": f"{start + dt.timedelta(days=day):%Y-%m-%d}", "date_precision": "day",
                    "stance": rng.choice(SCORES)[1], "confidence": "medium",
                    "summary": "A synthetic observation.", "source": "S1", "locator": "synthetic",
                })  # fmt: skip
    tables["positions"] = pd.DataFrame(rows)
    tables["events"] = tables["events"][tables["events"]["country"] == ""]
    tables["observation_sources"] = tables["observation_sources"].head(0)  # they cite real rows
    return tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--countries", type=int, default=193)
    parser.add_argument("--issues", type=int, default=60)
    parser.add_argument("--observations", type=int, default=5)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, frame in generate(args.countries, args.issues, args.observations).items():
        frame.to_csv(args.out / f"{name}.csv", index=False)
    (args.out / "story.csv").write_text((ROOT / "data" / "story.csv").read_text("utf-8"), "utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
