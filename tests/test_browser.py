"""The dashboard in a real browser: every page in both languages, URL filters, the sources tab,
downloads, and the offline requirement (no request leaves localhost).

    .venv/bin/python -m pytest -m browser tests/test_browser.py

Starts `streamlit run app.py` on a free localhost port against the warehouse the test session
builds (fixture `built` in conftest.py) and drives the system Chromium (/usr/bin/chromium)
through Playwright. Full-page screenshots go to tests/artifacts/screenshots/<lang>-<page>.png
(not committed).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dashboard.i18n import t
from tests.app_process import CHROMIUM, CHROMIUM_ARGS, PAGES, RAW, ROOT, path_of, spawn, stop, wait_healthy, wait_rendered

pytestmark = pytest.mark.browser

SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
LANGS = ["id", "en"]
REGENCIES = ["Bungo", "Lumajang", "Muara Enim", "Paser", "Tanjung Jabung Barat"]
APP_TITLE = "Disnaker · LKjIP"  # st.set_page_config(page_title=...) in app.py
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
VIEWPORT = {"width": 1400, "height": 900}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# No skip when Chromium or Playwright is missing: `make test` must run this test, so it fails loudly instead.


# ---- the app process ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def app_url(built, tmp_path_factory):
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    proc, url = spawn(built, log)
    wait_healthy(proc, url, log)
    yield url
    stop(proc)
    text = log.read_text(errors="replace")
    # an exception in a callback or a deferred download is logged by the server, not shown on the page
    assert "Traceback" not in text, text


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


REQUESTS: dict[str, list[str]] = {}  # "<lang>-<page>" -> every URL the browser asked for


@pytest.fixture(scope="module")
def context(browser):
    """One browser context for the module, so Streamlit's JS bundle is fetched once (its cache)."""
    ctx = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    pg.close()


def goto(pg, base: str, path: str, heading: str | None = None) -> None:
    pg.goto(f"{base}/{path}", wait_until="domcontentloaded")
    wait_rendered(pg, heading)


def full_screenshot(pg, path: Path) -> None:
    """Streamlit scrolls inside its main section, not the document, so a plain full_page shot
    is only one screen: grow the viewport to the content height first."""
    height = pg.evaluate(
        """() => Math.max(document.documentElement.scrollHeight,
                 ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"], section')]
                    .map(e => e.scrollHeight))"""
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    pg.set_viewport_size({"width": VIEWPORT["width"], "height": min(max(int(height) + 40, VIEWPORT["height"]), 16000)})
    pg.wait_for_timeout(400)  # plotly relayout after the resize
    pg.screenshot(path=str(path), full_page=True)
    pg.set_viewport_size(VIEWPORT)


def main_text(pg) -> str:
    return pg.locator('[data-testid="stMain"]').inner_text()


def external(urls: list[str]) -> list[str]:
    return [u for u in urls if urlsplit(u).scheme in ("http", "https", "ws", "wss")
            and urlsplit(u).hostname not in LOCAL_HOSTS]


# ---- every page, both languages ----------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PAGES)
def test_page_renders(page, app_url, lang, name):
    heading = t(f"page.{name}", lang)
    goto(page, app_url, f"{path_of(name)}?lang={lang}", heading)
    REQUESTS[f"{lang}-{name}"] = list(page.requests)
    full_screenshot(page, SHOTS / f"{lang}-{name}.png")

    dialogs = page.locator('[role="dialog"]')
    assert dialogs.count() == 0, dialogs.all_inner_texts()  # e.g. Streamlit's "Page not found"

    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, "\n\n".join(exceptions.all_inner_texts())

    errors = page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
    assert not [e for e in errors if "Traceback" in e or 'File "' in e], errors
    if name == "budget":
        # the first-quarter report is flagged on purpose; no other error banner is expected
        banner = t("budget.partial_banner", lang, regency="@", period="@", year="@").split("@")[-1].strip()[:40]
        assert all(banner in e for e in errors), errors
    else:
        assert not errors, errors

    assert page.locator("h1").first.inner_text().strip() == heading
    assert page.title() == APP_TITLE
    # the sidebar navigation is in the reader's language too
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    for other in PAGES:
        assert t(f"page.{other}", lang) in nav, (other, nav)
    # no i18n key leaked onto the page (t() shows a missing key as ⟨key⟩)
    assert "⟨" not in page.locator('[data-testid="stApp"]').inner_text()


def test_offline_no_external_requests(page, app_url):
    """Nothing the dashboard loads may come from the internet (fonts, icons, scripts, favicons)."""
    seen = dict(REQUESTS)
    for lang in LANGS:  # when run alone, visit the pages here
        for name in PAGES:
            if f"{lang}-{name}" not in seen:
                page.requests.clear()
                goto(page, app_url, f"{path_of(name)}?lang={lang}", t(f"page.{name}", lang))
                page.wait_for_timeout(300)
                seen[f"{lang}-{name}"] = list(page.requests)
    bad = {k: sorted(set(external(v))) for k, v in seen.items() if external(v)}
    assert not bad, f"requests to non-localhost hosts: {bad}"


def test_overview_url_path(page, app_url):
    """/overview (the url_path app.py gives the default page) must open the overview, not a
    "Page not found" dialog over it."""
    goto(page, app_url, "overview?lang=en", t("page.overview", "en"))
    dialogs = page.locator('[role="dialog"]')
    assert dialogs.count() == 0, f"/overview shows a dialog: {dialogs.all_inner_texts()}"


# ---- URL filters ------------------------------------------------------------------------------

def test_regency_filter_from_url(page, app_url):
    goto(page, app_url, "?regency=Paser&regency=Bungo", t("page.overview", "id"))
    text = main_text(page)
    for shown in ("Paser", "Bungo"):
        assert shown in text
    for hidden in set(REGENCIES) - {"Paser", "Bungo"}:
        assert hidden not in text, f"{hidden} shown although the URL picks Paser and Bungo"
    # the charts too (their labels are SVG text, included above; check the bars' labels explicitly)
    labels = page.locator('[data-testid="stPlotlyChart"] .ytick text').all_text_contents()
    assert labels and all(lbl.startswith(("Paser", "Bungo")) for lbl in labels), labels
    # the sidebar multiselect shows exactly the two, and the URL keeps them
    tags = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"] .react-aria-ComboBox [data-tag]')
    chips = [tags.nth(i).get_attribute("aria-label") for i in range(tags.count())]
    assert sorted(chips) == ["Bungo", "Paser"], chips
    assert sorted(q for q in urlsplit(page.url).query.split("&") if q.startswith("regency=")) == \
        ["regency=Bungo", "regency=Paser"]


# ---- the sources tab ----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_sources_tab_shows_raw_line(page, app_url, lang):
    goto(page, app_url, f"?lang={lang}", t("page.overview", lang))
    tab = page.get_by_role("tab", name=t("tab.sources", lang)).first
    tab.click()
    panel = page.locator('[role="tabpanel"]:visible').first
    viewer = panel.locator('[data-testid="stHtml"]').first
    viewer.wait_for(state="visible", timeout=20_000)
    # "**<file>**, baris N" above the viewer, the cited line highlighted inside it
    caption = panel.locator('[data-testid="stMarkdown"]').filter(has_text=f"{t('source.line_abbr', lang)} ").first
    caption_text = caption.inner_text()
    file_name = caption_text.split(",")[0].strip()
    line_no = int(caption_text.rsplit(" ", 1)[-1])
    assert (RAW / file_name).exists(), caption_text
    highlighted = viewer.locator('div[style*="fff3b0"]')
    assert highlighted.count() == 1
    raw = (RAW / file_name).read_text(encoding="utf-8").split("\n")[line_no - 1]
    shown = highlighted.inner_text()
    assert shown.startswith(str(line_no))
    assert shown[len(str(line_no)):].strip() == raw.replace("\t", "  ⇥  ").strip()
    # context lines around it
    assert viewer.locator("div > div").count() > 3


# ---- downloads ----------------------------------------------------------------------------------

def _download(page, label: str, lang: str, timeout: float = 90_000) -> tuple[str, bytes]:
    """Click the first chart's download button whose label contains `label`; the buttons sit in
    a "Download"/"Unduh" popover under each chart."""
    button = page.locator('[data-testid="stDownloadButton"]').filter(has_text=label).first
    if not button.is_visible():
        page.locator('[data-testid="stPopoverButton"]').filter(has_text=t("download.title", lang)).first.click()
        button.wait_for(state="visible", timeout=10_000)
    with page.expect_download(timeout=timeout) as info:
        button.click()
    dl = info.value
    return dl.suggested_filename, Path(dl.path()).read_bytes()


def test_png_and_csv_downloads(page, app_url):
    goto(page, app_url, "?lang=en", t("page.overview", "en"))
    name, png = _download(page, "PNG", "en")  # the first image starts kaleido's Chromium: a few seconds
    assert name.endswith(".png"), name
    assert png.startswith(PNG_SIGNATURE), png[:16]
    assert len(png) > 10_000

    name, raw = _download(page, "CSV", "en", timeout=30_000)
    assert name.endswith(".csv"), name
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:8]  # UTF-8 BOM for Excel
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows, raw[:200]
    assert {"regency", "indicator", "year", "value", "source_file", "source_line"} <= set(rows[0])
    assert {r["regency"] for r in rows} <= set(REGENCIES)
    assert all(r["source_line"] for r in rows)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-v", *sys.argv[1:]]))
