"""Run an import in a worker process, bounded in time and memory.

Reading a user's file is the one thing in the app whose cost the user controls. So it never runs
in the server's own process: `ImportJob` hands the file to a fresh worker forked from a small,
single-threaded fork server that has the import code loaded (so a job starts in milliseconds).
The worker caps its own address space (`resource.setrlimit`), and the server kills it when its
wall-clock limit is up or the user cancels. Whatever happens (a hostile file, a bug, a crash of
the worker) the caller gets an `ImportResult`: a dataset, or problems in plain words. The server
itself only waits on a pipe, so other sessions keep their normal latency while a file is read.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import resource
import time
import traceback
from dataclasses import dataclass
from multiprocessing import context as mp_context
from multiprocessing import forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.connection import Connection

from core.ingest.importing import ImportResult, import_file
from core.model.dataset import Dataset
from core.model.problems import Problem
from core.settings import IMPORT_MEMORY_MB, IMPORT_SECONDS, MAX_PROBLEMS

START_METHOD = "forkserver"
PRELOAD = ["core.ingest.importing", "openpyxl", "charset_normalizer"]
"""Modules the fork server imports once, so that each worker starts with them loaded. Not
`__main__`: under `streamlit run` that is whichever page script the session runs (see _Popen)."""
POLL_SECONDS = 0.1
WORKER_NICENESS = 10
"""A worker yields the CPU to the server (and so to every other session) when both want it."""
EXIT_GRACE_SECONDS = 2.0
"""How long a worker that has sent its result may take to exit before it is killed."""


@dataclass(frozen=True)
class Limits:
    """What one import may use: seconds of wall-clock time and megabytes of memory on top of
    what a worker needs to start (about 370 MB of address space with pandas loaded)."""

    seconds: float = IMPORT_SECONDS
    memory_mb: int = IMPORT_MEMORY_MB


_context = None


def _worker_context():
    """The fork-server context, set up once per process (its preload list can be set only
    before the fork server starts)."""
    global _context
    if _context is None:
        _context = multiprocessing.get_context(START_METHOD)
        _context.set_forkserver_preload(PRELOAD)  # the fork server skips what it cannot import
    return _context


class _Popen(popen_forkserver.Popen):
    """The fork server's launcher, less the main module. multiprocessing tells each worker to
    import the parent's `__main__` first, and under `streamlit run` that is the page script the
    session is running: every import ran a whole page in the worker, in bare mode (about
    30 warnings each, and seconds of work). `_work` lives in this module, so a worker needs no
    main module; this is `popen_forkserver.Popen._launch` with the main module's entries left
    out of the preparation data."""

    def _launch(self, process_obj):
        prep_data = {
            name: value
            for name, value in spawn.get_preparation_data(process_obj._name).items()
            if name not in ("init_main_from_name", "init_main_from_path")
        }
        buf = io.BytesIO()
        mp_context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            mp_context.set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        _parent_w = os.dup(w)  # the parent's sentinel of the worker, as in the original
        self.finalizer = util.Finalize(self, util.close_fds, (_parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Worker(mp_context.ForkServerProcess):
    """A fork-server process launched by _Popen."""

    @staticmethod
    def _Popen(process_obj):
        return _Popen(process_obj)


def _address_space() -> int:
    """Bytes of address space this process uses now (from /proc; 0 if unknown)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _work(conn: Connection, args: tuple, options: dict, memory_mb: int) -> None:
    """The worker: cap memory, import, send back the result (or a problem), exit."""
    name = args[0]
    try:
        os.nice(WORKER_NICENESS)
        limit = _address_space() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        result = import_file(*args, **options)
    except MemoryError:
        result = ImportResult(None, [memory_problem(name, memory_mb)])
    except BaseException as exc:  # a bug must reach the user as words, never as a traceback
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        rule = (
            "the file could not be read because of an error in this app, not in your file "
            f"({detail[:200]}); please report it with the file"
        )
        result = ImportResult(None, [Problem(name, None, None, None, rule)])
    try:
        conn.send(capped(result))
    except MemoryError:
        conn.send(ImportResult(None, [memory_problem(name, memory_mb)]))
    finally:
        conn.close()


def capped(result: ImportResult, limit: int = MAX_PROBLEMS) -> ImportResult:
    """The result with at most `limit` problems, and a last one saying how many were left out."""
    if len(result.problems) <= limit:
        return result
    more = len(result.problems) - limit
    rule = (
        f"{more:,} more problems are not listed; the file breaks {len(result.problems):,} rules "
        "in all, often the same few on every row: fix those listed and import it again"
    )
    name = result.problems[0].file
    total = Problem(name, None, None, f"{len(result.problems):,} problems", rule)
    return ImportResult(None, [*result.problems[:limit], total])


def problem_count(problems: list[Problem]) -> int:
    """How many problems an import found: more than listed when `capped` cut the list."""
    last = problems[-1] if problems else None
    if last and last.row is None and last.value and last.value.endswith(" problems"):
        head = last.value.removesuffix(" problems").replace(",", "")
        if head.isdigit() and int(head) > len(problems):
            return int(head)
    return len(problems)


def memory_problem(name: str, memory_mb: int) -> Problem:
    rule = (
        f"reading this file needs more than the {memory_mb:,} MB of memory an import may use; "
        "split it into smaller files or remove what is not data (images, other sheets)"
    )
    return Problem(name, None, None, None, rule)


def time_problem(name: str, seconds: float) -> Problem:
    rule = (
        f"reading this file took longer than the {seconds:.0f} seconds an import may take; "
        "split it into smaller files, or check that it is a table of observations"
    )
    return Problem(name, None, None, None, rule)


def crash_problem(name: str, exitcode: int | None) -> Problem:
    rule = (
        "the worker reading this file stopped without an answer "
        f"(exit code {exitcode}); it probably ran out of memory: try a smaller file"
    )
    return Problem(name, None, None, None, rule)


CANCELLED_RULE = "the import was cancelled; your data is unchanged"


class ImportJob:
    """One import running in a worker process. Start it, `poll` until it gives a result, and
    `cancel` it in a `finally` so that an abandoned job never outlives its page run."""

    def __init__(self, name: str, raw: bytes, base: Dataset, *, limits: Limits | None = None,
                 clock=time.monotonic, **options) -> None:  # fmt: skip
        """Start importing `raw` (the file `name`) on top of `base`; `options` are those of
        `core.ingest.importing.import_file` (as_of, add_unknown, merge)."""
        self.name = name
        self.limits = limits or Limits()
        self._clock = clock
        context = _worker_context()
        self._conn, child = context.Pipe(duplex=False)
        self._process = _Worker(
            target=_work, args=(child, (name, raw, base), options, self.limits.memory_mb),
            daemon=True,
        )  # fmt: skip
        self._started = clock()
        self._process.start()
        child.close()  # only the worker writes; EOF then means it died
        self.result: ImportResult | None = None

    @property
    def elapsed(self) -> float:
        """Seconds since the job started."""
        return self._clock() - self._started

    def poll(self, wait: float = POLL_SECONDS) -> ImportResult | None:
        """The result if the job has finished (or failed, or ran out of time), else None after
        waiting at most `wait` seconds."""
        if self.result is not None:
            return self.result
        answered = False
        try:
            if self._conn.poll(wait):
                self.result = self._conn.recv()
                answered = True
        except (EOFError, OSError):  # the worker died before answering
            self._process.join(EXIT_GRACE_SECONDS)
            self.result = ImportResult(None, [self._death_problem()])
        if self.result is None and self.elapsed > self.limits.seconds:
            self.result = ImportResult(None, [time_problem(self.name, self.limits.seconds)])
        if self.result is not None:
            self._stop(graceful=answered)
        return self.result

    def _death_problem(self) -> Problem:
        code = self._process.exitcode
        if code is not None and code < 0:  # killed by a signal: the kernel's OOM killer, most often
            return memory_problem(self.name, self.limits.memory_mb)
        return crash_problem(self.name, code)

    def cancel(self) -> None:
        """Stop the worker if it is still running (safe to call at any time, and twice)."""
        if self.result is None:
            self.result = ImportResult(None, [Problem(self.name, None, None, None, CANCELLED_RULE)])
        self._stop()

    def _stop(self, graceful: bool = False) -> None:
        if graceful:  # the worker has answered and is exiting: give it a moment
            self._process.join(EXIT_GRACE_SECONDS)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._conn.close()


def run_import(
    name: str, raw: bytes, base: Dataset, *, limits: Limits | None = None, **options
) -> ImportResult:
    """`import_file(name, raw, base, **options)` (core.ingest.conform) in a bounded worker: a
    dataset or problems, never an exception, within `limits`."""
    job = ImportJob(name, raw, base, limits=limits, **options)
    try:
        while (result := job.poll()) is None:
            pass
        return result
    finally:
        job.cancel()
