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
    # each bar's label is written above it (an annotation: area · year: value)
    labels = [x for x in page.locator('[data-testid="stPlotlyChart"] .annotation text').all_text_contents() if " · " in x]
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




# ---- layout at 1440, 1280 and 390 px: chart labels neither overlap nor clip -------------------------

WIDTHS = [1440, 1280, 390]

# Every visible SVG text of each plotly chart: its box, and the box of the chart's own SVG.
TEXT_BOXES_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map((chart, i) => {
    const svg = chart.querySelector('svg.main-svg');
    if (!svg) return null;
    const frame = svg.getBoundingClientRect();
    if (frame.width === 0 || frame.height === 0) return null;      // in a hidden tab
    const texts = [...chart.querySelectorAll('svg text')].filter(t => {
        const r = t.getBoundingClientRect();
        const style = getComputedStyle(t);
        return t.textContent.trim() && r.width > 0 && r.height > 0 && style.visibility !== 'hidden'
               && style.display !== 'none' && parseFloat(style.opacity || '1') > 0;
    }).map(t => { const r = t.getBoundingClientRect();
                  return {text: t.textContent.trim(), x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; });
    return {chart: i, frame: {x0: frame.left, y0: frame.top, x1: frame.right, y1: frame.bottom}, texts};
}).filter(Boolean)"""

SLACK = 1.0  # px: anti-aliased glyph boxes of neighbours may touch


def _overlaps(a: dict, b: dict) -> bool:
    return min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > SLACK and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > SLACK


def label_problems(pg) -> list[str]:
    problems = []
    for chart in pg.evaluate(TEXT_BOXES_JS):
        f, texts = chart["frame"], chart["texts"]
        for t_ in texts:
            if t_["x0"] < f["x0"] - SLACK or t_["x1"] > f["x1"] + SLACK or t_["y0"] < f["y0"] - SLACK or t_["y1"] > f["y1"] + SLACK:
                problems.append(f"chart {chart['chart']}: {t_['text']!r} clipped by the chart's edge")
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                if _overlaps(a, b):
                    problems.append(f"chart {chart['chart']}: {a['text']!r} overlaps {b['text']!r}")
    return problems


@pytest.fixture(scope="module", params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def sized(request, browser):
    ctx = browser.new_context(viewport={"width": request.param, "height": 900})
    pg = ctx.new_page()
    yield request.param, pg
    ctx.close()


@pytest.mark.parametrize("lang", LANGS)
def test_overview_chart_labels_do_not_overlap_or_clip(sized, app_url, lang):
    width, pg = sized
    goto(pg, app_url, f"?lang={lang}", t("page.overview", lang))
    full_screenshot_at(pg, SHOTS / f"{lang}-overview-{width}.png", width)
    charts = pg.evaluate(TEXT_BOXES_JS)
    assert len(charts) == 4
    assert all(len(c["texts"]) >= 5 for c in charts), [len(c["texts"]) for c in charts]  # labels are drawn at all
    assert label_problems(pg) == []
    # every area's label is on the TPT chart, whole
    labels = " ".join(x["text"] for x in charts[0]["texts"])
    for regency in REGENCIES:
        assert regency in labels, labels
    # nothing is cut off sideways
    assert pg.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth") <= width


@pytest.mark.parametrize("lang", LANGS)
def test_indicators_chart_labels_do_not_overlap_or_clip(sized, app_url, lang):
    width, pg = sized
    goto(pg, app_url, f"indicators?lang={lang}", t("page.indicators", lang))
    tabs = pg.locator('[data-testid="stTabs"]').first.get_by_role("tab")
    names = [n.strip() for n in tabs.all_inner_texts()]
    assert names[:1] and names[0] in REGENCIES
    checked = 0
    for i, name in enumerate(names):
        if name not in REGENCIES:
            continue
        tabs.nth(i).click()
        pg.wait_for_timeout(400)
        assert label_problems(pg) == [], name
        texts = [x["text"] for c in pg.evaluate(TEXT_BOXES_JS) for x in c["texts"]]
        assert not [x for x in texts if re_internal_id(x)], texts  # no 'disputes_resolved_rate' and the like
        checked += 1
    assert checked == len(REGENCIES)
    full_screenshot_at(pg, SHOTS / f"{lang}-indicators-{width}.png", width)


def re_internal_id(text: str) -> bool:
    import re

    return bool(re.fullmatch(r"[a-z]+(_[a-z]+)+", text)) or text in {"tpt"}


def test_overview_matrix_is_cards_with_labels_on_a_phone(browser, app_url):
    ctx = browser.new_context(viewport={"width": 390, "height": 900})
    pg = ctx.new_page()
    goto(pg, app_url, "?lang=en", t("page.overview", "en"))
    # the header row is hidden, every value carries its indicator's name
    assert not pg.locator(".st-key-matrix_head").is_visible()
    labels = pg.locator(".cell-label")
    assert labels.count() == 4 * len(REGENCIES)
    assert all(labels.nth(i).is_visible() for i in range(labels.count()))
    # charts get the full width of the page (not ~60 px)
    widths = pg.evaluate("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] svg.main-svg')]
                                  .map(s => s.getBoundingClientRect().width).filter(w => w > 0)""")
    assert widths and min(widths) > 300, widths
    ctx.close()


def test_charts_are_one_column_below_1300px(browser, app_url):
    for width, columns in ((1280, 1), (1440, 2)):
        ctx = browser.new_context(viewport={"width": width, "height": 900})
        pg = ctx.new_page()
        goto(pg, app_url, "?lang=en", t("page.overview", "en"))
        lefts = pg.evaluate("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                                     .map(c => Math.round(c.getBoundingClientRect().left))""")
        assert len(set(lefts)) == columns, (width, lefts)
        ctx.close()


def full_screenshot_at(pg, path: Path, width: int) -> None:
    height = pg.evaluate(
        """() => Math.max(document.documentElement.scrollHeight,
                 ...[...document.querySelectorAll('[data-testid="stMain"], section')].map(e => e.scrollHeight))""")
    path.parent.mkdir(parents=True, exist_ok=True)
    pg.set_viewport_size({"width": width, "height": min(max(int(height) + 40, 900), 16000)})
    pg.wait_for_timeout(400)
    pg.screenshot(path=str(path), full_page=True)
    pg.set_viewport_size({"width": width, "height": 900})


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-v", *sys.argv[1:]]))
