"""Run the dashboard as a real `streamlit run app.py` process and wait for it in a browser.
Shared by the browser test (tests/test_browser.py) and the app benchmark (bench/bench_app.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
PAGES = ["overview", "unemployment", "placement", "training", "budget", "indicators", "quality", "about"]

# Rendered = the script run is over, no skeleton is left, and every plotly chart has drawn its svg.
RENDERED_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]')) return false;
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return charts.every(c => c.querySelector('.main-svg'));
}"""


def path_of(name: str) -> str:
    """URL path of a page: the default page (overview) lives at the root."""
    return "" if name == "overview" else name


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn(db: Path, log: Path, raw: Path = RAW) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run app.py` on a free localhost port against warehouse `db`; returns (process, base URL)."""
    port = free_port()
    env = dict(os.environ, LKJIP_DB=str(db), LKJIP_RAW=str(raw))
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
           "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}"


def wait_healthy(proc: subprocess.Popen, url: str, log: Path, timeout: float = 60, poll: float = 0.05) -> None:
    """Until /_stcore/health answers; stops the process and raises with its log if it never does."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            stop(proc)
            raise RuntimeError(f"streamlit did not answer /_stcore/health within {timeout:.0f} s:\n{log.read_text()}")
        time.sleep(poll)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_rendered(pg, heading: str | None = None, timeout: float = 60_000) -> None:
    """Until the page's h1 (with `heading`, if given) is shown and RENDERED_JS holds."""
    if heading is not None:
        pg.locator("h1").filter(has_text=heading).first.wait_for(timeout=timeout)
    else:
        pg.wait_for_selector('[data-testid="stHeading"] h1, h1', timeout=timeout)
    pg.wait_for_function(RENDERED_JS, timeout=timeout, polling=50)
