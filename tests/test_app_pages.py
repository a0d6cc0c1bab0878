"""The dashboard as a reader meets it, driven in-process by Streamlit's AppTest.

Every page renders in both languages from a warehouse freshly built from data/raw/ (the session
fixture `built` in conftest.py); the filters (regencies, year, language) change what is shown and
are mirrored in the URL; hostile or unknown query parameters are ignored; the numbers shown are
the warehouse's, which cite their raw report lines.

Values checked against data/raw/ (lines verified by hand, 1-based as `sed -n Np`):
  000_dca929226cb0e028.txt l. 612  "Muara Enim\t3,92"          Muara Enim TPT 2023 = 3,92 %
  000_dca929226cb0e028.txt l. 593  "... dari 4,12% di tahun 2022 menjadi 3,92% ..."  TPT 2022 = 4,12 %
  001_579666cb9ad43d5a.txt l. 109  "... (TPT)\t4,50%\t= 4,72%\t95,11%"   Paser TPT 2023 = 4,72 %
  003_27142058ae3706f5.txt l. 608  "<b>Total Pagu Anggaran</b> ... <b>11.58</b>"     Lumajang Q1 absorption
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import duckdb
import pytest
import yaml
from google.protobuf.json_format import MessageToDict
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe

import dashboard.data
import dashboard.i18n
import dashboard.state
from dashboard.i18n import t
from tests.conftest import RAW, raw_lines

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["overview", "unemployment", "placement", "training", "budget", "indicators", "quality", "about"]
REGENCIES = ["Bungo", "Lumajang", "Muara Enim", "Paser", "Tanjung Jabung Barat"]
TITLES = {
    "overview": ("Ringkasan", "Overview"),
    "unemployment": ("Pengangguran (TPT)", "Unemployment (TPT)"),
    "placement": ("Penempatan kerja", "Job placement"),
    "training": ("Pelatihan", "Training"),
    "budget": ("Anggaran", "Budget"),
    "indicators": ("Indikator kinerja", "Performance indicators"),
    "quality": ("Kualitas data & sumber", "Data quality & sources"),
    "about": ("Tentang & metodologi", "About & methodology"),
}
# subheaders each page must show (i18n keys; formatted keys as (key, kwargs))
SUBHEADERS = {
    "overview": ["overview.comparable_title"],
    "unemployment": ["tpt.latest_title", "tpt.series_title", "tpt.context_title"],
    "placement": ["placement.funnel_title", "placement.rate_title", "placement.definitions_title"],
    "training": ["training.totals_title"],
    "budget": ["budget.absorption_title", "budget.pagu_title"],
    "indicators": [("indicators.chart_title", {"regency": r}) for r in REGENCIES],
    "quality": ["quality.reports_title", "quality.coverage_title", "quality.observations_title", "quality.viewer_title"],
    "about": [],
}
# the year selectbox's "latest in each report" choice (None in older versions of state.py)
YEAR_LATEST = getattr(dashboard.state, "LATEST", None)
MIN_CHARTS = {"overview": 4, "unemployment": 3, "placement": 2, "training": 1, "budget": 2, "indicators": 5, "quality": 0,
              "about": 0}

# ---- harness ------------------------------------------------------------------------------------
#
# AppTest serialises every widget's state *between* runs by calling the widget's format_func
# outside any script-run context. Several format_funcs call dashboard.i18n.t(), whose current()
# reads st.session_state — unavailable there, so it falls back to Indonesian and the formatted
# value no longer matches the (English) options AppTest stored: AppTest raises ValueError on the
# next run. A real browser session is not affected (Streamlit calls format_func only inside a
# run). Outside a run, current() therefore answers with the language of the app's last run.

_LAST_LANG = {"lang": "id"}
_original_current = dashboard.i18n.current


def _current_for_apptest() -> str:
    if get_script_run_ctx() is None:
        return _LAST_LANG["lang"]
    return _original_current()


@pytest.fixture(scope="module", autouse=True)
def app_env(built):
    """Point the dashboard at the session's freshly built warehouse. dashboard.data reads
    LKJIP_DB / LKJIP_RAW once, at import, into module constants that every query looks up at call
    time — and AppTest runs the script in this process, reusing the imported module — so both the
    environment and the constants are set."""
    mp = pytest.MonkeyPatch()
    mp.setenv("LKJIP_DB", str(built))
    mp.setenv("LKJIP_RAW", str(RAW))
    mp.setattr(dashboard.data, "DB_PATH", built)
    mp.setattr(dashboard.data, "RAW_DIR", RAW)
    mp.setattr(dashboard.i18n, "current", _current_for_apptest)
    yield built
    mp.undo()


def run(at: AppTest, *, ok: bool = True) -> AppTest:
    _LAST_LANG["lang"] = at.session_state["lang"] if "lang" in at.session_state else "id"
    at.run()
    if ok:
        assert not at.exception, [e.message + "\n" + "\n".join(e.stack_trace) for e in at.exception]
    return at


def open_app(page: str = "overview", **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    run(at)
    if page != "overview":
        at.switch_page(f"dashboard/pages/{page}.py")
        run(at)
    return at


def _strings(obj, out: list[str]) -> None:
    if isinstance(obj, str):
        out.append(obj)
    elif isinstance(obj, dict):
        for v in obj.values():
            _strings(v, out)
    elif isinstance(obj, list):
        for v in obj:
            _strings(v, out)


def _walk(node, out: list[str]) -> None:
    if isinstance(node, Dataframe):
        df = node.value
        out.extend(map(str, df.columns))
        out.extend(str(x) for x in df.astype(str).to_numpy().ravel())
        return
    proto = getattr(node, "proto", None)
    if proto is not None:
        _strings(MessageToDict(proto), out)
    for child in getattr(node, "children", {}).values():
        _walk(child, out)


def all_text(at: AppTest) -> str:
    """Every string the page sends to the browser: markdown, labels, options, chart specs, tables."""
    out: list[str] = []
    _walk(at._tree, out)
    return "\n".join(out)


def markdowns(at: AppTest) -> list[str]:
    return [m.value for m in at.main.markdown]


def matrix_regencies(at: AppTest) -> list[str]:
    """Regency names in the overview matrix's first column, in order shown."""
    return [re.search(r"■</span> \*\*(.+?)\*\*", m).group(1) for m in markdowns(at) if "■</span>" in m]


def cell_after(at: AppTest, regency: str, column: int) -> str:
    """The overview matrix cell of `regency` for headline indicator `column` (0 = TPT), without the
    indicator label a phone card shows above the value (hidden on wider screens by CSS)."""
    md = markdowns(at)
    i = next(i for i, m in enumerate(md) if f"■</span> **{regency}**" in m)
    return re.sub(r"^<span class='cell-label'>[^<]*</span>", "", md[i + 1 + column])


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def chart_labels(at: AppTest) -> set[str]:
    out: set[str] = set()
    for spec in charts(at):
        for trace in spec["data"]:
            for axis in ("x", "y"):
                vals = trace.get(axis)
                if isinstance(vals, list):
                    out.update(v for v in vals if isinstance(v, str))
    return out


def qp_all(at: AppTest, name: str) -> list[str]:
    """Every value of a URL query parameter (AppTest keeps one value as a str, several as a list)."""
    value = at.query_params.get(name)
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def lang_of(lang: str) -> int:
    return 0 if lang == "id" else 1


# ---- every page, both languages -------------------------------------------------------------------

@pytest.fixture(scope="module")
def rendered():
    """One fresh app per (page, language), shared by the read-only per-page tests."""
    cache: dict[tuple[str, str], AppTest] = {}

    def get(page: str, lang: str) -> AppTest:
        if (page, lang) not in cache:
            cache[page, lang] = open_app(page, **({"lang": "en"} if lang == "en" else {}))
        return cache[page, lang]
    return get


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_renders(rendered, page, lang):
    at = rendered(page, lang)
    assert [x.value for x in at.title] == [TITLES[page][lang_of(lang)]]
    subheaders = [s.value for s in at.subheader]
    for key in SUBHEADERS[page]:
        key, kw = key if isinstance(key, tuple) else (key, {})
        assert t(key, lang, **kw) in subheaders, (key, subheaders)
    assert len(at.get("plotly_chart")) >= MIN_CHARTS[page]
    other = TITLES[page][1 - lang_of(lang)]
    assert other not in [x.value for x in at.title]
    # the sidebar filters are there, labelled in the page's language
    assert at.sidebar.multiselect(key="w_regency").label == t("filter.regencies", lang)
    assert at.sidebar.selectbox(key="w_year").label == t("filter.year", lang)
    assert sorted(at.sidebar.multiselect(key="w_regency").options) == REGENCIES


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_no_missing_text_marker(rendered, page, lang):
    """t() shows a missing key as ⟨key⟩; no page may send one to the browser (tables and charts included)."""
    at = rendered(page, lang)
    text = all_text(at)
    assert "⟨" not in text, sorted(set(re.findall(r"⟨[^⟩]*⟩", text)))


@pytest.mark.parametrize("lang,tpt,line_word", [("id", "**3,92%**", "baris"), ("en", "**3.92%**", "line")])
def test_overview_shows_warehouse_values_with_their_lines(rendered, con, lang, tpt, line_word):
    # the warehouse: Muara Enim TPT 2023 = 3.92, cited at 000_dca929226cb0e028.txt line 612
    row = con.execute("""SELECT value, source_file, source_line, period FROM headline
                         WHERE regency = 'Muara Enim' AND indicator = 'tpt' AND scope = 'total'
                           AND kind = 'actual' AND year = 2023""").fetchone()
    assert row[0] == pytest.approx(3.92) and row[1:] == ("000_dca929226cb0e028.txt", 612, "annual")
    assert raw_lines("000_dca929226cb0e028.txt")[611].split("\t") == ["Muara Enim", "3,92"]

    at = rendered("overview", lang)
    assert matrix_regencies(at) == REGENCIES
    cell = cell_after(at, "Muara Enim", 0)
    assert cell.startswith(tpt) and ":blue-badge[2023]" in cell and f":gray[{line_word} 612]" in cell
    # Paser TPT 2023 = 4,72 % (001_579666cb9ad43d5a.txt l. 109: "... 4,50%\t= 4,72%\t95,11%")
    assert "= 4,72%" in raw_lines("001_579666cb9ad43d5a.txt")[108]
    paser = cell_after(at, "Paser", 0)
    assert paser.startswith("**4,72%**" if lang == "id" else "**4.72%**") and f"{line_word} 109" in paser
    # Lumajang's budget absorption is a first-quarter value (003_27142058ae3706f5.txt l. 608: <b>11.58</b>)
    assert "<b>11.58</b>" in raw_lines("003_27142058ae3706f5.txt")[607]
    lum = cell_after(at, "Lumajang", 3)
    assert lum.startswith("**11,58%**" if lang == "id" else "**11.58%**")
    assert f":orange-badge[2023 · {t('period.Q1', lang)}]" in lum and f"{line_word} 608" in lum


@pytest.mark.parametrize("lang", ["id", "en"])
def test_overview_marks_what_a_report_lacks(rendered, con, lang):
    # Tanjung Jabung Barat's report gives no TPT, placement rate or training participants
    have = {r[0] for r in con.execute("""SELECT DISTINCT indicator FROM headline WHERE regency = 'Tanjung Jabung Barat'
                                         AND scope = 'total' AND kind = 'actual'""").fetchall()}
    assert not have & {"tpt", "placement_rate", "training_participants"}
    at = rendered("overview", lang)
    marker = t("value.not_reported", lang)
    assert marker == ("tidak dilaporkan" if lang == "id" else "not reported")
    for col in range(3):
        assert cell_after(at, "Tanjung Jabung Barat", col) == f":gray[{marker}]"
    assert f"Tanjung Jabung Barat · {marker}" in chart_labels(at)
    # and every value shown for the others is a real value, not the marker
    assert marker not in cell_after(at, "Muara Enim", 0)


def test_regency_filter_narrows_every_view_and_goes_into_the_url():
    at = open_app()
    assert "regency" not in at.query_params  # all regencies = no parameter
    at.sidebar.multiselect(key="w_regency").set_value(["Paser"])
    run(at)
    assert matrix_regencies(at) == ["Paser"]
    assert qp_all(at, "regency") == ["Paser"]
    labels = chart_labels(at)
    assert labels and all("Paser" in label for label in labels), labels
    text = "\n".join(markdowns(at))
    for other in set(REGENCIES) - {"Paser"}:
        assert other not in text
    # the choice survives a page switch (it lives in the URL and session)
    at.switch_page("dashboard/pages/unemployment.py")
    run(at)
    assert qp_all(at, "regency") == ["Paser"]
    assert at.sidebar.multiselect(key="w_regency").value == ["Paser"]
    assert {lbl for lbl in chart_labels(at) if "·" in lbl} <= {"Paser · 2022", "Paser · 2023"}
    # two regencies
    at.sidebar.multiselect(key="w_regency").set_value(["Bungo", "Paser"])
    run(at)
    assert sorted(qp_all(at, "regency")) == ["Bungo", "Paser"]
    at.switch_page("dashboard/pages/overview.py")
    run(at)
    assert matrix_regencies(at) == ["Bungo", "Paser"]


def test_year_filter_changes_values_and_url():
    # 000_dca929226cb0e028.txt l. 593: "... dari 4,12% di tahun 2022 menjadi 3,92% di Tahun 2023"
    assert "dari 4,12% di tahun 2022" in raw_lines("000_dca929226cb0e028.txt")[592]
    at = open_app()
    assert cell_after(at, "Muara Enim", 0).startswith("**3,92%**")
    assert at.sidebar.selectbox(key="w_year").value == YEAR_LATEST
    at.sidebar.selectbox(key="w_year").set_value(2022)
    run(at)
    assert at.query_params.get("year") == "2022"
    cell = cell_after(at, "Muara Enim", 0)
    assert cell.startswith("**4,12%**") and ":blue-badge[2022]" in cell and "baris 593" in cell
    # a regency without a 2022 TPT says so instead of showing another year's value
    assert cell_after(at, "Bungo", 0).startswith("**3,24%**")  # Bungo 2022, 002_… l. 732
    assert cell_after(at, "Paser", 3) == ":gray[tidak dilaporkan]"
    at.sidebar.selectbox(key="w_year").set_value(YEAR_LATEST)
    run(at)
    assert "year" not in at.query_params
    assert cell_after(at, "Muara Enim", 0).startswith("**3,92%**")


def test_language_switch_changes_text_and_url():
    at = open_app()
    assert at.title[0].value == "Ringkasan" and "lang" not in at.query_params
    seg = at.sidebar.button_group[0]
    assert seg.options == ["Bahasa Indonesia", "English"] and seg.value == "id"
    seg.set_value("en")
    run(at)
    assert at.title[0].value == "Overview"
    assert at.query_params.get("lang") == "en"
    assert at.sidebar.multiselect(key="w_regency").label == "Areas"
    assert cell_after(at, "Muara Enim", 0).startswith("**3.92%**")
    # the language sticks across pages
    at.switch_page("dashboard/pages/budget.py")
    run(at)
    assert at.title[0].value == "Budget" and at.query_params.get("lang") == "en"
    at.sidebar.button_group[0].set_value("id")
    run(at)
    assert at.title[0].value == "Anggaran" and "lang" not in at.query_params


def test_deselecting_the_language_keeps_it():
    at = open_app(lang="en")
    at.sidebar.button_group[0].set_value(None)  # a second click on the selected segment deselects it
    run(at)
    assert at.title[0].value == "Overview"


def test_query_params_initialise_every_filter():
    at = open_app("overview", lang="en", regency=["Paser", "Bungo"], year="2023")
    assert at.title[0].value == "Overview"
    assert at.sidebar.multiselect(key="w_regency").value == ["Paser", "Bungo"]
    assert at.sidebar.selectbox(key="w_year").value == 2023
    assert sorted(matrix_regencies(at)) == ["Bungo", "Paser"]
    assert qp_all(at, "regency") == ["Paser", "Bungo"] and at.query_params.get("year") == "2023"


@pytest.mark.parametrize("page", ["overview", "budget", "quality"])
def test_unknown_regency_is_ignored(page):
    at = open_app(page, regency="Atlantis")
    assert at.sidebar.multiselect(key="w_regency").value == REGENCIES
    assert "regency" not in at.query_params
    assert "Atlantis" not in all_text(at)
    if page == "overview":
        assert matrix_regencies(at) == REGENCIES
    # a known regency beside an unknown one is kept
    at = open_app(page, regency=["Atlantis", "Bungo"])
    assert at.sidebar.multiselect(key="w_regency").value == ["Bungo"]
    assert qp_all(at, "regency") == ["Bungo"]


def _fingerprint(db: Path) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = tuple(con.execute(f"SELECT count(*) FROM {tbl}").fetchone()[0]
                       for tbl in ("reports", "observations", "headline", "conflicts"))
    finally:
        con.close()
    return hashlib.sha256(db.read_bytes()).hexdigest(), counts


@pytest.mark.parametrize("page", ["overview", "unemployment", "quality"])
def test_sql_looking_query_params_do_nothing(built, page):
    before = _fingerprint(built)
    at = open_app(page, regency=["x' OR 1=1 --", "Paser'); DROP TABLE observations; --"],
                  year="2023; DROP TABLE observations", lang="en' OR '1'='1")
    assert at.title[0].value == TITLES[page][0]        # bad lang → Indonesian
    assert at.sidebar.multiselect(key="w_regency").value == REGENCIES   # bad regencies → all
    assert at.sidebar.selectbox(key="w_year").value == YEAR_LATEST      # bad year → latest
    assert not {"regency", "year", "lang"} & set(at.query_params)
    assert "DROP TABLE" not in all_text(at)
    assert _fingerprint(built) == before
    # the query layer binds such a string as a value: it matches no regency
    assert dashboard.data.headline(["tpt"], ["x' OR 1=1 --"]).empty


def test_repeated_regency_param_is_shown_once():
    at = open_app(regency=["Paser", "Paser"])
    assert matrix_regencies(at) == ["Paser"]


def test_quality_viewer_param_shows_cited_line_and_ignores_unknown_files():
    at = open_app("quality", file="000_dca929226cb0e028.txt", line="612")
    assert at.selectbox(key="viewer_file").value == "000_dca929226cb0e028.txt"
    assert at.number_input(key="viewer_line").value == 612
    html = "\n".join(h.proto.body for h in at.get("html"))
    assert "Muara Enim  ⇥  3,92" in html and "background:#fff3b0" in html
    for bad in ("../../../etc/passwd", "/etc/passwd", "manifest.yaml"):
        at = open_app("quality", file=bad, line="1")
        assert at.selectbox(key="viewer_file").value != bad
        assert "root:" not in all_text(at)


# ---- page-specific facts ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["id", "en"])
def test_budget_flags_lumajang_first_quarter(con, lang):
    period = con.execute("SELECT period, report_year FROM reports WHERE regency = 'Lumajang'").fetchone()
    assert period == ("Q1", 2023)
    at = open_app("budget", **({"lang": "en"} if lang == "en" else {}))
    errors = [e.value for e in at.error]
    expected = t("budget.partial_banner", lang, regency="Lumajang", period=t("period.Q1", lang), year=2023)
    assert errors == [expected]
    assert ("Tribulan I" if lang == "id" else "Q1") in expected and "Lumajang" in expected
    # only the Q1 report is flagged; without Lumajang there is no banner
    at.sidebar.multiselect(key="w_regency").set_value(["Bungo", "Paser"])
    run(at)
    assert not at.error


@pytest.mark.parametrize("lang", ["id", "en"])
def test_quality_counts_conflicts(con, lang):
    n_conflicts = con.execute("SELECT count(*) FROM conflicts").fetchone()[0]
    n_mismatch = con.execute("SELECT count(*) FROM observations WHERE status = 'mismatch'").fetchone()[0]
    assert n_conflicts > 0
    at = open_app("quality", **({"lang": "en"} if lang == "en" else {}))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {t("quality.n_conflicts", lang): str(n_conflicts), t("quality.n_mismatches", lang): str(n_mismatch)}
    # per regency: Tanjung Jabung Barat's report has none, Paser's has some
    per = dict(con.execute("SELECT c.regency, count(*) FROM conflicts c GROUP BY 1").fetchall())
    for regency in ("Tanjung Jabung Barat", "Paser"):
        at.sidebar.multiselect(key="w_regency").set_value([regency])
        run(at)
        assert at.metric[0].value == str(per.get(regency, 0))
    assert at.metric[0].value != "0"


def test_year_filter_offers_only_years_with_realised_values(con):
    """A year with targets only (a plan for next year) would open an empty page: not offered."""
    target_only = {r[0] for r in con.execute("""SELECT year FROM observations WHERE year IS NOT NULL GROUP BY year
                                                HAVING bool_and(kind = 'target')""").fetchall()}
    assert 2026 in target_only  # a plan for a later year
    realised = {r[0] for r in con.execute("SELECT DISTINCT year FROM observations WHERE kind <> 'target' AND year IS NOT NULL").fetchall()}
    at = open_app()
    offered = {int(y) for y in list(at.sidebar.selectbox(key="w_year").options)[1:]}
    assert offered == realised and not offered & target_only


def test_years_at_the_edges_render_on_every_page():
    """The newest year the filter offers, the oldest (2018) and two between, on every page with all
    regencies: pages with nothing to show for a year say so, none crash."""
    at = open_app()
    years = list(at.sidebar.selectbox(key="w_year").options)[1:]
    assert len(years) >= 7 and years[0] == "2024" and years[-1] == "2018"
    for option in [years[0], "2024", "2021", years[-1]]:
        at.sidebar.selectbox(key="w_year").set_value(int(option))
        run(at)
        for page in PAGES:
            at.switch_page(f"dashboard/pages/{page}.py")
            run(at)
            assert at.query_params.get("year") == option, (page, option)


def test_missing_warehouse_is_explained(tmp_path, monkeypatch):
    missing = tmp_path / "nowhere" / "warehouse.duckdb"
    monkeypatch.setattr(dashboard.data, "DB_PATH", missing)
    at = open_app()
    assert [e.value for e in at.error] == [t("app.no_warehouse", "id", path=str(missing))]
    assert "make run" in at.code[0].value
    assert not at.title


def test_adding_a_chart_updates_the_deck_at_once():
    """The sidebar's deck count is current right after 'add to briefing deck' (the sidebar is drawn
    before the page runs, so the add must happen in a callback, not after the button returns)."""
    at = open_app()
    assert at.sidebar.expander[0].label == t("deck.title", "id", n=0)
    at.button(key="deck_overview-tpt").click()
    run(at)
    assert at.sidebar.expander[0].label == t("deck.title", "id", n=1)


def test_deck_collects_charts(con):
    at = open_app()
    at.button(key="deck_overview-tpt").click()
    run(at)
    assert at.sidebar.expander[0].label == t("deck.title", "id", n=1)
    assert [b.label for b in at.sidebar.get("download_button")] == [t("deck.build", "id")]
    spec = at.session_state["deck"]["overview-tpt"]
    assert spec.title == con.execute("SELECT title_id FROM indicators WHERE indicator = 'tpt'").fetchone()[0]
    assert "000_dca929226cb0e028.txt" in spec.footnote and "612" in spec.footnote


def test_placement_rate_labels_quarter_in_indonesian():
    at = open_app("placement")
    labels = chart_labels(at)
    assert "Lumajang · 2023 Tribulan I" in labels, labels


# ---- interface text --------------------------------------------------------------------------------

def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", text))


def test_every_string_has_both_languages_with_the_same_placeholders():
    strings = yaml.safe_load((ROOT / "dashboard/i18n/strings.yaml").read_text(encoding="utf-8"))
    assert len(strings) > 100
    for key, entry in strings.items():
        assert set(entry) == {"id", "en"}, key
        assert isinstance(entry["id"], str) and entry["id"].strip(), key
        assert isinstance(entry["en"], str) and entry["en"].strip(), key
        assert _placeholders(entry["id"]) == _placeholders(entry["en"]), key
    for g in yaml.safe_load((ROOT / "dashboard/i18n/glossary.yaml").read_text(encoding="utf-8")):
        assert all(g.get(k) for k in ("term", "full", "en")), g


def test_every_key_the_code_uses_exists(con):
    strings = yaml.safe_load((ROOT / "dashboard/i18n/strings.yaml").read_text(encoding="utf-8"))
    sources = [ROOT / "app.py", *sorted((ROOT / "dashboard").rglob("*.py"))]
    literal, dynamic = set(), set()
    for path in sources:
        code = path.read_text(encoding="utf-8")
        literal |= set(re.findall(r"\bt\(\s*\"([a-z_]+\.[a-z_.]+)\"", code))
        literal |= set(re.findall(r"\bt\(\s*'([a-z_]+\.[a-z_.]+)'", code))
        dynamic |= set(re.findall(r"\bt\(\s*f\"([a-z_.]+)\{", code))
        dynamic |= set(re.findall(r"\bt\(\s*f'([a-z_.]+)\{", code))
        dynamic |= set(re.findall(r"\bt\(\s*\"([a-z_.]+\.)\"\s*\+", code))
    assert len(literal) > 80 and dynamic
    assert not sorted(k for k in literal if k not in strings)
    # keys built from data: every value the warehouse can hand them has a text
    values = {
        "page.": PAGES,
        "period.": [r[0] for r in con.execute("SELECT DISTINCT period FROM observations UNION SELECT DISTINCT period FROM reports").fetchall()],
        "kind.": [r[0] for r in con.execute("SELECT DISTINCT kind FROM observations").fetchall()],
        "tpt.level.": [r[0] for r in con.execute("SELECT DISTINCT geography_level FROM context_values").fetchall()],
        "placement.": ["reported", "recomputed"],
        "chart.context_": ["province", "national"],
        "col.": ["source_page", "area_type", "source_kind", "n_pages", "yielded", "missing", "regency", "indicator", "scope", "year", "period", "kind", "value", "shown", "unit", "method",
                 "status", "definition", "formula", "source_file", "source_line", "source_text", "province", "agency",
                 "report_year", "original_name", "n_lines", "encoding", "n_observations", "n_conflicts",
                 "n_warnings", "n_candidates", "chosen_value", "values", "lines", "reason", "severity", "code",
                 "message", "indicator_text", "canonical_indicator", "unit_text", "target_text", "actual_text",
                 "achievement_text", "category"],
    }
    assert set(values) >= dynamic, dynamic - set(values)
    missing = [p + v for p, vs in values.items() for v in vs if v is not None and p + v not in strings]
    assert not missing
