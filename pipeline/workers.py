"""Read reports in worker processes, each within a time budget.

    with WorkerPool(workers, seconds, n_jobs) as pool:
        for name, result_or_problem, cached in pool.results(jobs): ...

A pool of long-lived forked workers (forking costs ~10 ms; the pipeline modules are already
imported), each fed one report at a time over its own pipe. A worker still busy when its report's
budget runs out is killed and replaced, and that report becomes a FileProblem; so is a report
whose worker died (out of memory, a crash). Results come back in job order, as they are ready,
so the warehouse ids do not depend on timing.

Workers never outlive the build: leaving the `with` block (normally, on an error, on Ctrl-C or
SIGTERM) kills them, and each asks the kernel to kill it when its parent dies (SIGKILL included).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import deque
from multiprocessing.connection import wait
from pathlib import Path

AHEAD = 4  # jobs handed out past the oldest unfinished one, per worker: bounds the results held back


def work(job: tuple[Path, str, dict, Path | None, str]):
    """(name, ReportResult | FileProblem, cached) for one report; runs in a worker."""
    from pipeline import report_cache
    from pipeline.build import FileProblem
    from pipeline.raw.decode import RawInputError, decode, read_bytes
    from pipeline.raw.identify import IdentificationError
    from pipeline.raw.pdf import is_pdf, store_text
    from pipeline.report import process_report

    path, original, overrides, cache_dir, fingerprint = job
    try:
        data, sha = read_bytes(path)
    except RawInputError as exc:
        return path.name, FileProblem(path.name, "error", "unreadable", str(exc)), False
    # a PDF's text is stored beside the warehouse (data/curated/text/): citations point into it
    text_file = (cache_dir.parent if cache_dir else path.parent) / "text" / f"{path.name}.txt" if is_pdf(data) else None
    cache = cache_dir / f"{sha[:24]}-{fingerprint}.json" if cache_dir else None
    if cache and not overrides and (text_file is None or text_file.exists()):
        result = report_cache.load(cache)
        # an identity the file name decided is read again after a rename (the bytes are the same)
        renamed = result is not None and result.report["source_file"] != path.name
        if result is not None and not (renamed and "file name" in (result.report.get("detection") or "")):
            result.report["source_file"] = path.name
            result.report["original_name"] = original
            return path.name, result, True
    try:
        raw = decode(path, data, sha)
    except RawInputError as exc:
        return path.name, FileProblem(path.name, "error", "unreadable", str(exc)), False
    try:
        result = process_report(raw, original, overrides)
        if text_file is not None:
            store_text(text_file, raw.lines)
            result.report["text_file"] = f"text/{text_file.name}"
    except IdentificationError as exc:
        return path.name, FileProblem(path.name, "error", getattr(exc, "code", "unknown_regency"), f"{path.name}: {exc}"), False
    except Exception as exc:  # noqa: BLE001 - one bad report must not stop the build
        return path.name, FileProblem(path.name, "error", "internal", f"{path.name}: could not be processed ({type(exc).__name__}: {exc})"), False
    if cache:
        report_cache.save(cache, result)
    return path.name, result, False


def _die_with_parent(parent: int) -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):  # not Linux: the pipe's EOF still ends an idle worker
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _serve(conn, parent: int) -> None:
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(work(job))


class _Worker:
    def __init__(self, ctx):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, os.getpid()), daemon=True, name="lkjip-report")
        self.proc.start()
        child.close()
        self.index: int | None = None  # the job it is reading
        self.name = ""
        self.deadline = 0.0

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class WorkerPool:
    def __init__(self, workers: int | None, seconds: float, n_jobs: int):
        self.size = max(0, min(workers or os.cpu_count() or 1, n_jobs))
        self.seconds = seconds
        self.ctx = multiprocessing.get_context("fork")
        self.workers: list[_Worker] = []

    def __enter__(self) -> WorkerPool:
        self.workers = [_Worker(self.ctx) for _ in range(self.size)]
        return self

    def __exit__(self, *exc) -> None:
        for w in self.workers:
            w.kill()
        self.workers = []

    def close(self) -> None:
        """Let idle workers exit on their own (no kill needed), then make sure."""
        for w in self.workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + 2
        for w in self.workers:
            w.proc.join(max(0.0, deadline - time.monotonic()))
        self.__exit__()

    def results(self, jobs: list):
        from pipeline.build import FileProblem

        pending = deque(enumerate(jobs))
        done: dict[int, tuple] = {}
        nxt = 0
        while nxt < len(jobs):
            if nxt in done:
                yield done.pop(nxt)
                nxt += 1
                continue
            for slot, w in enumerate(self.workers):
                if w.index is None and pending and pending[0][0] < nxt + AHEAD * self.size:
                    i, job = pending.popleft()
                    self._give(slot, i, job)
            busy = [w for w in self.workers if w.index is not None]
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = wait([w.conn for w in busy], timeout)
            for w in busy:
                slot = self.workers.index(w)
                if w.conn in ready:
                    try:
                        done[w.index] = w.conn.recv()
                    except (EOFError, OSError):
                        w.proc.join(2)  # reap it, for its exit code
                        code = w.proc.exitcode
                        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
                        done[w.index] = (w.name, FileProblem(
                            w.name, "error", "worker_died",
                            f"{w.name}: skipped — the process reading it died ({how}; out of memory?). "
                            "The other reports are loaded"), False)
                        self.workers[slot] = self._restart(w)
                        continue
                    w.index = None
                elif time.monotonic() >= w.deadline:
                    done[w.index] = (w.name, FileProblem(
                        w.name, "error", "over_budget",
                        f"{w.name}: skipped — reading it took longer than the per-report time budget of "
                        f"{self.seconds:g} s (a very long line or an unusual layout?). The other reports are "
                        "loaded; raise the budget with --max-seconds if the file is genuine"), False)
                    self.workers[slot] = self._restart(w)

    def _give(self, slot: int, index: int, job) -> _Worker:
        w = self.workers[slot]
        try:
            w.conn.send(job)
        except OSError:  # it died while idle: a fresh one takes the job
            w = self.workers[slot] = self._restart(w)
            w.conn.send(job)
        w.index, w.name, w.deadline = index, job[0].name, time.monotonic() + self.seconds
        return w

    def _restart(self, w: _Worker) -> _Worker:
        w.kill()
        return _Worker(self.ctx)
