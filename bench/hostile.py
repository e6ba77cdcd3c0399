"""Benchmark: every file of the hostile corpus (tests/hostile) imported in a fresh process.

For each file of `tests/hostile/manifest.csv` this runs the import in a new Python process whose
address space is capped (8 GB by default, so that the machine survives a bomb), pinned to one
CPU, and killed (with everything it started) after a generous timeout. It records the outcome:
`imported`, `refused` (with the first rule), `crashed` (with the exception), `memory` (a
MemoryError), `timeout`, or `killed` (by a signal); the wall-clock seconds of the import; and
the peak resident memory (VmHWM) of the process, and of the workers it starts (polled every
0.2 s, so a worker's short spike may be missed). Whether that is what the manifest
expects is judged as in the test (`tests/hostile/expect.py`).

The corpus and this script come from this checkout; the import code from `--repo` (default:
this checkout), so that an older or newer checkout can be measured with the same files (one with
the layered layout, core/ingest/, i.e. from after the restructuring of issue 12):

    .venv/bin/python -m bench.hostile --repo /work/wt/before --json bench/results/x.json

With `--via auto` (the default) the import runs through `core.ingest.sandbox.run_import` when the
checkout has it (its own worker and limits included), otherwise `core.ingest.importing.import_file`.
Files run one after another, never two at once.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.hostile.expect import describe, failures, load_manifest
from tests.hostile.files import FILES, build, import_options

ROOT = Path(__file__).resolve().parent.parent

RESULTS = ROOT / "bench" / "results"
MARK = "@@HOSTILE@@"
KEPT_PROBLEMS = 5
"""Problems of each file kept in the JSON (all, up to 50, are judged; problem_count says how
many there were)."""

CHILD = r"""
import datetime as dt, json, sys, time, traceback
repo, path, opts = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
from dataclasses import asdict
from core.ingest.package import load_package
from core.settings import BUNDLED_DATA_DIR
from core.ingest.importing import import_file

def peak_mb():  # VmHWM, not ru_maxrss: that one keeps the forking parent's peak across exec
    with open("/proc/self/status") as fh:
        return next(int(x.split()[1]) for x in fh if x.startswith("VmHWM:")) / 1024

base = load_package(BUNDLED_DATA_DIR).dataset
raw = open(path, "rb").read()
kw = dict(as_of=dt.date.fromisoformat(opts["as_of"]) if opts["as_of"] else None,
          add_unknown=opts["add_unknown"], merge=opts["merge"])
via = "import_file"
run = lambda: import_file(opts["file_name"], raw, base, **kw)
if opts["via"] != "direct":
    try:
        from core.ingest.sandbox import run_import
        via = "sandbox"
        run = lambda: run_import(opts["file_name"], raw, base, **kw)
    except ImportError:
        if opts["via"] == "sandbox":
            raise
out = {"via": via, "base_rss_mb": round(peak_mb(), 1)}
started = time.perf_counter()
try:
    result = run()
    out["outcome"] = "imported" if result.dataset is not None and not result.problems else "refused"
    out["problems"] = [
        {**asdict(p), "value": None if p.value is None else str(p.value)[:200]}
        for p in result.problems[:50]
    ]
    out["problem_count"] = len(result.problems)
    if result.dataset is not None:
        summaries = set(result.dataset.positions["summary"])
        out["kept"] = all(text in summaries for text in opts["keep"])
        out["same_as_base"] = result.dataset.fingerprint == base.fingerprint
        if opts["export_safe"]:
            import re
            from core.serving.export import csv_bytes
            text = csv_bytes(result.dataset.positions).decode("utf-8-sig")
            number = re.compile(r"[+-]?\d+(\.\d+)?")
            out["export_safe"] = not any(
                line.startswith(("=", "+", "-", "@")) and not number.fullmatch(line)
                for line in re.split(r"\r\n|\r|\n", text)
            )
except MemoryError:
    out["outcome"] = "memory"
except BaseException as exc:
    out["outcome"] = "crashed"
    out["exception"] = traceback.format_exception_only(type(exc), exc)[-1].strip()[:300]
out["seconds"] = round(time.perf_counter() - started, 3)
out["peak_rss_mb"] = round(peak_mb(), 1)
print(MARK + json.dumps(out, default=str), flush=True)
""".replace("MARK", repr(MARK))


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as fh:
                    kids = [int(k) for k in fh.read().split()]
                found += kids
                todo += kids
        except (OSError, ValueError):
            continue
    return found


def _hwm_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Watcher(threading.Thread):
    """Polls the peak resident memory of a process and its descendants (for a child that is
    killed before it can say)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            for pid in [self.pid, *_descendants(self.pid)]:
                self.peak = max(self.peak, _hwm_mb(pid))


def _limit(memory_gb: float, cpu_seconds: int, cpu: int | None):
    def apply() -> None:
        import resource

        size = int(memory_gb * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
        if cpu is not None:
            os.sched_setaffinity(0, {cpu})

    return apply


def run_one(name: str, repo: Path, args: argparse.Namespace) -> dict:
    spec = FILES[name]
    raw = build(name)
    opts = import_options(name)
    opts = {
        "file_name": spec.file_name, "as_of": opts["as_of"].isoformat() if opts["as_of"] else None,
        "add_unknown": opts["add_unknown"], "merge": opts["merge"], "keep": list(spec.keep),
        "export_safe": spec.export_safe, "via": args.via,
    }  # fmt: skip
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env["PYTHONPATH"] = str(repo)  # the checkout under test comes before any installed copy
    with tempfile.NamedTemporaryFile(prefix="hostile-", suffix=".bin") as fh:
        fh.write(raw)
        fh.flush()
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(repo), fh.name, json.dumps(opts)],
            cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=_limit(args.memory_gb, int(args.timeout) + 30, args.cpu),
        )  # fmt: skip
        watcher = Watcher(child.pid)
        watcher.start()
        timed_out = False
        try:
            stdout, stderr = child.communicate(timeout=args.timeout + 15)  # + start-up time
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(child.pid, signal.SIGKILL)
            stdout, stderr = child.communicate()
        wall = time.perf_counter() - started
        watcher.done.set()
        watcher.join()
    with contextlib.suppress(ProcessLookupError):  # the sandbox's fork server, if left over
        os.killpg(child.pid, signal.SIGKILL)
    lines = [x for x in stdout.decode(errors="replace").splitlines() if x.startswith(MARK)]
    if lines:
        out = json.loads(lines[-1][len(MARK) :])
        out["peak_rss_mb"] = max(out["peak_rss_mb"], round(watcher.peak, 1))
    else:
        out = {"seconds": round(wall, 3), "peak_rss_mb": round(watcher.peak, 1)}
        if timed_out:
            out["outcome"] = "timeout"
        elif child.returncode < 0:
            out["outcome"] = "killed"
            out["exception"] = signal.Signals(-child.returncode).name
        else:
            out["outcome"] = "crashed"
            tail = stderr.decode(errors="replace").strip().splitlines()
            out["exception"] = (tail[-1] if tail else f"exit code {child.returncode}")[:300]
    out.update(name=name, cls=spec.cls, file_name=spec.file_name, bytes=len(raw))
    return out


def judge(row: dict, out: dict) -> dict:
    problems = out.get("problems", [])
    if out["outcome"] in {"imported", "refused"}:
        why = failures(
            row, out["outcome"] == "imported", problems, out.get("kept"),
            out.get("same_as_base") if FILES[row["name"]].same_as_base else None,
        )  # fmt: skip
        if out.get("export_safe") is False:
            why.append("an exported CSV line starts a formula")
    else:
        why = [f"{out['outcome']}: {out.get('exception', '')}".strip(": ")]
    out["expected"] = row["expected"]
    out["as_expected"] = not why
    out["why_not"] = why
    out["first"] = describe(problems[0]) if problems else out.get("exception", "")
    out["problems"] = problems[:KEPT_PROBLEMS]
    return out


def markdown(results: list[dict]) -> str:
    lines = []
    for cls in dict.fromkeys(r["cls"] for r in results):
        rows = [r for r in results if r["cls"] == cls]
        ok = sum(r["as_expected"] for r in rows)
        lines += [f"\n**{cls}** ({ok}/{len(rows)} as expected)\n"]
        lines += ["| file | expected | outcome | s | peak MB | ok | first problem, error or miss |"]
        lines += ["|---|---|---|--:|--:|:-:|---|"]
        for r in rows:
            first = str(r["first"] or "; ".join(r["why_not"]))
            first = first.replace("|", "\\|").replace("\n", " ")[:110]
            lines.append(
                f"| {r['name']} | {r['expected'].replace('|', ' or ')} | {r['outcome']} | "
                f"{r['seconds']:.2f} | "
                f"{r['peak_rss_mb']:.0f} | {'yes' if r['as_expected'] else '**no**'} | {first} |"
            )
    total = sum(r["as_expected"] for r in results)
    lines.insert(0, f"{total}/{len(results)} files as the manifest expects")
    return "\n".join(lines)


def commit_of(repo: Path) -> str:
    try:
        return subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=ROOT, help="checkout whose import to run")
    parser.add_argument("--json", type=Path, help="where to write the results (JSON)")
    parser.add_argument("--only", nargs="*", help="names (or name prefixes) of files to run")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per file")
    parser.add_argument("--memory-gb", type=float, default=8.0, help="address space per child")
    parser.add_argument("--cpu", type=int, default=max(os.sched_getaffinity(0)),
                        help="the one CPU each child may use")  # fmt: skip
    parser.add_argument("--via", choices=["auto", "sandbox", "direct"], default="auto")
    parser.add_argument("--commit", help="commit to record when --repo is not a git checkout")
    parser.add_argument("--show", type=Path, help="print the table of a saved JSON and stop")
    parser.add_argument(
        "--update", action="store_true",
        help="with --json and --only: replace those files' entries in the saved JSON",
    )  # fmt: skip
    args = parser.parse_args()
    if args.show:
        saved = json.loads(args.show.read_text(encoding="utf-8"))
        print(f"{saved['meta']['repo']} at {saved['meta']['commit']}\n{markdown(saved['results'])}")
        return
    repo = args.repo.resolve()
    rows = [
        r for r in load_manifest()
        if not args.only or any(r["name"].startswith(p) for p in args.only)
    ]  # fmt: skip
    results = []
    for row in rows:
        out = judge(row, run_one(row["name"], repo, args))
        results.append(out)
        print(
            f"{out['name']:42s} {out['outcome']:9s} {out['seconds']:7.2f}s "
            f"{out['peak_rss_mb']:7.0f} MB  {'ok' if out['as_expected'] else 'NO'}",
            file=sys.stderr, flush=True,
        )  # fmt: skip
    if args.update and args.json and args.json.exists():
        saved = json.loads(args.json.read_text(encoding="utf-8"))
        fresh = {r["name"]: r for r in results}
        results = [fresh.pop(r["name"], r) for r in saved["results"]] + list(fresh.values())
        args.commit = args.commit or saved["meta"]["commit"]
    table = markdown(results)
    print(table)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "repo": str(repo), "commit": args.commit or commit_of(repo),
            "corpus_commit": commit_of(ROOT),
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "python": platform.python_version(), "timeout_s": args.timeout,
            "address_space_gb": args.memory_gb, "cpu": args.cpu, "via": args.via,
        }  # fmt: skip
        args.json.write_text(
            json.dumps({"meta": meta, "results": results}, indent=1, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
