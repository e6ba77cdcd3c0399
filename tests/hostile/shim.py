"""Stand-in for `core.ingest.sandbox.run_import` in a checkout that lacks it: `import_file` in a
spawned process with an address-space cap and a time limit. It invents no refusal: a crash, a
timeout or a memory error comes back as a problem that says so plainly (and matches no manifest
words)."""

from __future__ import annotations

import multiprocessing
import resource
from dataclasses import dataclass

from core.ingest.importing import ImportResult, import_file
from core.model.problems import Problem


@dataclass(frozen=True)
class Limits:
    seconds: float = 60
    memory_mb: int = 4096


def _work(conn, args, memory_mb):
    size = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (size, size))
    try:
        result = import_file(*args)
    except BaseException as exc:
        rule = f"SHIM: the import raised {type(exc).__name__}"
        result = ImportResult(None, [Problem(args[0], None, None, None, rule)])
    conn.send(result)


def run_import(name, raw, base, *, as_of=None, add_unknown=False, merge=False, limits=None):
    limits = limits or Limits()
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe(duplex=False)
    worker = context.Process(
        target=_work, args=(theirs, (name, raw, base, as_of, add_unknown, merge), limits.memory_mb)
    )
    worker.start()
    theirs.close()
    try:
        if ours.poll(limits.seconds):
            return ours.recv()
        what = f"SHIM: no answer within {limits.seconds:.0f} s"
    except EOFError:
        what = "SHIM: the worker died"
    finally:
        worker.kill()
        worker.join()
    return ImportResult(None, [Problem(name, None, None, None, what)])
