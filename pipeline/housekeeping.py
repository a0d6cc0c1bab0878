"""What keeps builds from stepping on each other and from leaving debris behind.

- `BuildLock`: one build at a time per warehouse file; a second one waits (and says so).
- `clean_stale`: temporary files and folders of builds that died (SIGKILL, power loss) —
  every one is named with its build's process id, and is removed once that process is gone.
- `on_sigterm`: SIGTERM becomes an exception, so the same clean-up that runs on an error or
  Ctrl-C (stop the workers, delete the temporary warehouse and exports) runs on a kill too.
- `pause_point`: a named place in a build where a test can hold it to kill it there.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

# .<warehouse>.<pid>.tmp(.wal), .export.<pid>/, .parquet.old.<pid>/, .csv.old.<pid>/,
# .export_info.json.<pid>; and in .cache/: <sha>-<code>.json.<pid>.tmp. Only these exact shapes
# are touched: the folder may be shared with other files (--db ~/w.duckdb puts .cache in ~).
STALE = r"^\.(?:{db}\.(?P<a>\d+)\.tmp(?:\.wal)?|export\.(?P<b>\d+)|(?:parquet|csv)\.old\.(?P<c>\d+)|export_info\.json\.(?P<d>\d+))$"
CACHE_ENTRY = r"[0-9a-f]{24}-[0-9a-f]{16}"
STALE_CACHE = re.compile(rf"^{CACHE_ENTRY}\.json\.(?P<a>\d+)\.tmp$")
OLD_PICKLE = re.compile(rf"^{CACHE_ENTRY}\.pkl$")  # the cache's former format
PAUSE_ENV = "LKJIP_BUILD_PAUSE"  # a phase name: extract | load | export | swap (tests only)


class BuildLocked(RuntimeError):
    """Another build kept the warehouse locked for longer than this one would wait."""


class Terminated(SystemExit):
    """SIGTERM arrived: unwinds the build like an error, then exits with 128 + 15."""


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.lock")


class BuildLock:
    """An exclusive lock on `.<warehouse>.lock` (holding the builder's pid, for the message).

    A POSIX record lock (lockf): it belongs to this process only — worker processes forked while
    it is held do not inherit it — and the kernel drops it when the process dies, however it dies,
    so a killed build never leaves the warehouse locked."""

    def __init__(self, db_path: Path, on_wait: Callable[[str], None] | None = None,
                 timeout: float | None = None, poll: float = 0.2):
        self.db_path, self.on_wait, self.timeout, self.poll = db_path, on_wait, timeout, poll
        self.path = lock_path(db_path)
        self.fh = None

    def __enter__(self) -> BuildLock:
        fh = open(self.path, "a+", encoding="utf-8")
        started, told = time.monotonic(), False
        while True:
            try:
                fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                fh.seek(0)
                holder = fh.read().strip() or "?"
                waited = time.monotonic() - started
                if self.timeout is not None and waited >= self.timeout:
                    fh.close()
                    raise BuildLocked(f"another build (pid {holder}) is still writing {self.db_path} after "
                                      f"{waited:.0f} s of waiting; try again when it has finished") from None
                if not told and self.on_wait:
                    self.on_wait(f"another build (pid {holder}) is writing {self.db_path}; waiting for it to finish")
                told = True
                time.sleep(self.poll)
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        self.fh = fh
        return self

    def __exit__(self, *exc) -> None:
        if self.fh is not None:
            self.fh.truncate(0)
            fcntl.lockf(self.fh, fcntl.LOCK_UN)
            self.fh.close()
            self.fh = None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def clean_stale(db_path: Path) -> list[Path]:
    """Remove what builds that are no longer running left beside db_path (and in its cache)."""
    removed = []
    folder = db_path.parent
    stale = re.compile(STALE.format(db=re.escape(db_path.name)))
    candidates = [(p, stale) for p in folder.iterdir()] if folder.is_dir() else []
    cache = folder / ".cache"
    if cache.is_dir():
        candidates += [(p, STALE_CACHE) for p in cache.iterdir()]
    for path, pattern in candidates:
        m = pattern.match(path.name)
        if not m:
            continue
        pid = int(next(g for g in m.groups() if g))
        if _alive(pid):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    if cache.is_dir():  # the cache was pickle once: an old (or planted) entry is never read, only removed
        for old in cache.iterdir():
            if OLD_PICKLE.match(old.name) and old.is_file():
                old.unlink(missing_ok=True)
                removed.append(old)
    return removed


@contextmanager
def on_sigterm():
    """Within this block SIGTERM raises `Terminated` (main thread only: signals go there)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut the clean-up short
        raise Terminated(128 + signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def pause_point(phase: str) -> None:
    """Hold the build here when LKJIP_BUILD_PAUSE names this phase (the kill tests use it)."""
    if os.environ.get(PAUSE_ENV) == phase:
        print(f"paused at {phase}", file=sys.stderr, flush=True)
        time.sleep(float(os.environ.get("LKJIP_BUILD_PAUSE_SECONDS", "30")))
