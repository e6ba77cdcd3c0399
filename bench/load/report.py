"""Pure parts of the load harness: percentiles, summaries of samples and of the server's CPU
and memory, and the README's load table drawn from the JSON files in bench/results/."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

RESULTS = Path(__file__).resolve().parent.parent / "results"
README_LABELS = ("before", "after")
"""Labels listed first in the README's table, in this order; other committed labels follow
alphabetically. `latest` (what `make load` writes by default) is never in the table."""
SHOWN_ERRORS = 5


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) of `values`, interpolated linearly between ranks (numpy's
    default); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def stats(group: Sequence[dict]) -> dict:
    """Count, errors, p50/p95/p99 and max seconds of the successful samples, and the most
    common error messages, of samples (dicts with `seconds` and `error`)."""
    ok = [s["seconds"] for s in group if not s.get("error")]
    errors = Counter(s["error"] for s in group if s.get("error"))
    return {
        "count": len(group),
        "errors": sum(errors.values()),
        "p50_s": percentile(ok, 50),
        "p95_s": percentile(ok, 95),
        "p99_s": percentile(ok, 99),
        "max_s": max(ok, default=math.nan),
        "error_messages": dict(errors.most_common(SHOWN_ERRORS)),
    }


def summarize(samples: Iterable[dict]) -> dict[str, dict]:
    """`stats` per request name of the locustfile's samples (name, seconds, error)."""
    groups: dict[str, list[dict]] = {}
    for sample in samples:
        groups.setdefault(sample["name"], []).append(sample)
    return {name: stats(group) for name, group in sorted(groups.items())}


def by_step(records: list[dict]) -> dict[str, dict]:
    """The follow records' statistics per step moved to (which step is slow to follow)."""
    steps = sorted({r["step"] for r in records if r["name"] == "follow" and "step" in r})
    return {
        str(step): stats([r for r in records if r["name"] == "follow" and r.get("step") == step])
        for step in steps
    }


def usage(timeline: Sequence[dict]) -> dict[str, float]:
    """Mean and peak CPU (percent of one core, summed over the server's processes), RSS at the
    start, end and peak (MB), and the machine's mean 1-minute load over a phase's samples."""
    if not timeline:
        return {}
    cpu = [s["cpu"] for s in timeline]
    rss = [s["rss_mb"] for s in timeline]
    return {
        "cpu_mean": sum(cpu) / len(cpu),
        "cpu_max": max(cpu),
        "rss_start_mb": rss[0],
        "rss_end_mb": rss[-1],
        "rss_max_mb": max(rss),
        "load1_mean": sum(s["load1"] for s in timeline) / len(timeline),
        "samples": len(timeline),
    }


def load_results(folder: Path = RESULTS) -> list[dict]:
    """The committed load results to tabulate: README_LABELS first, then the rest by label."""
    results = [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("load-*.json"))
        if not path.name.startswith("load-latest")
    ]

    def order(result: dict) -> tuple[int, str]:
        label = result["config"]["label"]
        return (README_LABELS.index(label), "") if label in README_LABELS else (9, label)

    return sorted(results, key=order)


def _ms(seconds: float | None) -> str:
    return "" if seconds is None or math.isnan(seconds) else f"{seconds * 1000:,.0f} ms"


def _ratio(seconds: float | None, single: float | None) -> str:
    if not seconds or not single or math.isnan(seconds) or math.isnan(single):
        return ""
    return f"{seconds / single:.1f}×"


JOIN = "audience: join"
PHASE_WORDS = {
    "explorers": "{users} explorers, every action → script finished",
    "audience": "{users} audience devices, follow: presenter's move → step shown",
}


def rows(result: dict) -> list[tuple[str, ...]]:
    """(measure, p50, p95, p95 / single p50, errors, server CPU) rows of one result. Errors
    of a phase count every request of it (the presenter's, the joins); a follow error is a step
    a device did not show within the limit."""
    single = result.get("single_rerun") or {}
    base = single.get("p50_s")
    out = []
    if single:
        measure = "one rerun of `/`, one user"
        if ratio := single.get("ratio_to_baseline"):
            measure += f" ({ratio:.1f}× the baseline app's)"
        out.append((measure, _ms(base), _ms(single["p95_s"]), "", str(single["errors"]), ""))
    for key, words in PHASE_WORDS.items():
        phase = result.get(key)
        if not phase:
            continue
        overall, use = phase["overall"], phase.get("usage") or {}
        errors = sum(s["errors"] for s in phase["requests"].values())
        cpu = f"{use['cpu_mean']:.0f}%" if "cpu_mean" in use else ""
        p50, p95 = overall["p50_s"], overall["p95_s"]
        measure = words.format(users=phase["users"])
        if key == "explorers" and overall.get("count") and phase.get("seconds"):
            done = overall["count"] - overall.get("errors", 0)
            measure += f" ({done:,} done in {phase['seconds']} s, {done / phase['seconds']:.1f}/s)"
        if overall.get("count") and overall["count"] == overall.get("errors"):
            measure += f" (none of {overall['count']} in time)"
        out.append((measure, _ms(p50), _ms(p95), _ratio(p95, base), str(errors), cpu))
        if key == "audience" and (join := phase["requests"].get(JOIN)):
            joining = f"{phase['users']} audience devices, opening the room's screen"
            p50, p95, errors = _ms(join["p50_s"]), _ms(join["p95_s"]), str(join["errors"])
            out.append((joining, p50, p95, "", errors, ""))
    imports = result.get("imports")
    if imports and imports["datasets"]:
        out.append((f"RSS growth per imported dataset ({imports['datasets']} imported and "
                    "opened)", f"{imports['per_dataset_mb']:.1f} MB", "", "",
                    str(imports["errors"]), ""))  # fmt: skip
    memory = result.get("memory")
    if memory:
        out.append((f"RSS after warm-up → after {memory['sessions']} sessions",
                    f"{memory['rss_warm_mb']:.0f} MB", f"{memory['rss_after_mb']:.0f} MB", "",
                    "", ""))  # fmt: skip
        if "rss_expired_mb" in memory:
            out.append((f"RSS {memory['expiry_s']} s later, the closed sessions expired", "",
                        f"{memory['rss_expired_mb']:.0f} MB", "", "", ""))  # fmt: skip
    return out


def markdown_table(results: Sequence[dict]) -> str:
    """The README's load table: one block of rows per result (label, commit, replicas)."""
    lines = [
        "| run | measure | p50 | p95 | p95 / one rerun | errors | server CPU |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        c = result["config"]
        replicas = f"{c['replicas']} replica{'' if c['replicas'] == 1 else 's'}"
        run = f"{c['label']} ({c['commit']}, {replicas}, load {c['load1']:.1f})"
        lines += [f"| {run} | " + " | ".join(row) + " |" for row in rows(result)]
    if not results:
        lines.append("| no load results committed yet (`make load`) | | | | | | |")
    return "\n".join(lines)
