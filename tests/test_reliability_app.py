"""The dashboard's trust boundary: whatever a report file, its name or the manifest says is shown
as text; hostile URL parameters never reach the reader as a traceback; the raw-text viewer says
when the file changed since the warehouse read it; CSV downloads do not carry formulas; a page
run reads one warehouse snapshot.

The warehouse here is built from two seed reports, one renamed and given a manifest `regency:`
full of markup (HTML, a remote image, a link, emphasis, a colour directive, LaTeX).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import dashboard.data
import dashboard.i18n
from dashboard.exports import csv_bytes
from dashboard.i18n import t
from dashboard.safe import md
from pipeline.build import run as build
from tests.conftest import RAW
from tests.test_app_pages import PAGES, _current_for_apptest, all_text, open_app

TJB, LUM = "004_d4a71ffeee09fb98.txt", "003_27142058ae3706f5.txt"
HOSTILE_FILE = "lumajang <i>miring [tautan](x).txt"  # a file name cannot hold "/"
HOSTILE = ('Lumajang <img src="http://127.0.0.1:9/x.png"> **tebal** [tautan](http://127.0.0.1:9/t) '
           '![gambar](http://127.0.0.1:9/g.png) :red[merah] $x^2$')
# markup that must never reach the browser unescaped (a backslash before it makes it text)
MARKUP = [r"(?<!\\)<img", r"(?<!\\)<i>", r"(?<!\\)\*\*tebal", r"(?<!\\)\[tautan", r"(?<!\\)\[gambar",
          r"(?<!\\)\[merah", r"(?<!\\)\$x\^2", r"(?<!\\):(?=//127)"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    raw = base / "raw"
    raw.mkdir()
    shutil.copy(RAW / TJB, raw / TJB)
    shutil.copy(RAW / LUM, raw / HOSTILE_FILE)
    (raw / "manifest.yaml").write_text(
        "files:\n  " + repr(HOSTILE_FILE) + ": {regency: '" + HOSTILE + "'}\n", encoding="utf-8")
    db = base / "curated" / "w.duckdb"
    outcome = build(raw, db, export=False)
    assert not outcome.problems, outcome.problems
    mp = pytest.MonkeyPatch()
    mp.setattr(dashboard.data, "DB_PATH", db)
    mp.setattr(dashboard.data, "RAW_DIR", raw)
    mp.setattr(dashboard.i18n, "current", _current_for_apptest)
    yield raw, db
    mp.undo()


def rendered_markdown(at: AppTest) -> list[str]:
    """Every element whose text Streamlit renders as markdown."""
    out = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success", "toast"):
        out += [e.value for e in getattr(at, kind)]
    out += [e.label for e in at.expander]
    return out


@pytest.mark.parametrize("page", PAGES)
def test_file_content_renders_as_text_on_every_page(hostile, page):
    at = open_app(page)
    shown = [m for m in rendered_markdown(at) if "tebal" in m or "miring" in m]
    for text in shown:
        for pattern in MARKUP:
            assert not re.search(pattern, text), (pattern, text)
    # html blocks (the raw-text viewer) carry the text escaped as HTML
    for block in at.get("html"):
        assert "<img" not in block.proto.body and "<i>miring" not in block.proto.body
    if page in ("overview", "budget", "quality"):  # pages that name the regency in markdown
        assert shown, "the hostile name should be on this page (as text)"
    # charts: plotly draws <a href>, <b> … in any text, so names reach it with < > & as entities
    for chart in at.get("plotly_chart"):
        spec = chart.proto.spec
        assert "<img" not in spec and "<i>" not in spec, re.findall(r".{40}<(?:img|i>).{40}", spec)


def test_overview_cell_shows_the_name_literally(hostile):
    at = open_app("overview")
    cell = next(m for m in (e.value for e in at.markdown) if "■</span>" in m and "tebal" in m)
    assert md(HOSTILE) in cell


@pytest.mark.parametrize("line", ["²", "١٢", "-3", "99999999999999999999"])
def test_hostile_line_param_in_the_viewer(hostile, line):
    at = open_app("quality", file=TJB, line=line)
    assert not at.exception
    assert "Traceback" not in all_text(at) and "ValueError" not in all_text(at)
    assert at.selectbox(key="viewer_file").value == TJB
    value = at.number_input(key="viewer_line").value
    assert value == 1 or (line.isascii() and line.isdigit() and str(value) == line)


def test_viewer_warns_when_the_raw_file_changed(hostile, tmp_path, monkeypatch):
    raw, db = hostile
    at = open_app("quality", file=TJB, line="5")
    assert not [w for w in at.warning if "sha256" in w.value]
    changed = tmp_path / "raw"
    shutil.copytree(raw, changed)
    (changed / TJB).write_text("Baris baru di awal\n" + (raw / TJB).read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(dashboard.data, "RAW_DIR", changed)
    at = open_app("quality", file=TJB, line="5")
    assert t("source.file_changed", "id", file=md(TJB)) in [w.value for w in at.warning]


def test_csv_cells_that_would_be_formulas_are_neutralised():
    df = pd.DataFrame({"text": ["=HYPERLINK(\"http://x\")", "+62 812", "-  b. kegiatan", "@SUM(A1)", "Paser", None],
                       "value": [-5.5, 1.0, 2.0, 3.0, 4.0, 5.0]})
    back = pd.read_csv(pd.io.common.BytesIO(csv_bytes(df)), encoding="utf-8-sig")
    assert back["text"].tolist()[:5] == ["'=HYPERLINK(\"http://x\")", "'+62 812", "'-  b. kegiatan", "'@SUM(A1)", "Paser"]
    assert back["value"].tolist() == df["value"].tolist()  # numbers, negative ones too, stay numbers


# ---- one snapshot per page run -------------------------------------------------------------------

def _snapshot_script():
    """A page run that reads twice while a rebuild swaps the warehouse in between."""
    import os

    from dashboard import data

    data.begin_run()
    first = data.query("SELECT value FROM build_info WHERE key = 'build_id'").iloc[0, 0]
    swap = os.environ["SNAPSHOT_SWAP"]
    if os.path.exists(swap):
        os.replace(swap, data.DB_PATH)
    n = int(data.query("SELECT count(*) AS n FROM reports").iloc[0, 0])
    with open(os.environ["SNAPSHOT_LOG"], "a") as fh:
        fh.write(f"{first} {n}\n")


def test_a_page_run_reads_one_warehouse_snapshot(tmp_path, monkeypatch):
    one, two = tmp_path / "one", tmp_path / "two"
    for folder, names in ((one, [TJB]), (two, [TJB, LUM])):
        (folder / "raw").mkdir(parents=True)
        for n in names:
            shutil.copy(RAW / n, folder / "raw" / n)
        build(folder / "raw", folder / "w.duckdb", export=False)
    ids = {}
    for folder in (one, two):
        import duckdb

        con = duckdb.connect(str(folder / "w.duckdb"), read_only=True)
        ids[folder.name] = con.execute("SELECT value FROM build_info WHERE key = 'build_id'").fetchone()[0]
        con.close()
    served = tmp_path / "served.duckdb"
    shutil.copy(two / "w.duckdb", served)
    monkeypatch.setattr(dashboard.data, "DB_PATH", served)
    monkeypatch.setenv("SNAPSHOT_SWAP", str(one / "w.duckdb"))
    monkeypatch.setenv("SNAPSHOT_LOG", str(tmp_path / "log"))
    at = AppTest.from_function(_snapshot_script, default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    seen = (tmp_path / "log").read_text().split("\n")[:-1]
    # the run that saw the swap started again: every completed run read one build only
    assert seen == [f"{ids['one']} 1"], (seen, ids)
    assert not os.path.exists(one / "w.duckdb")
