"""The research notebook (notebooks/research_bundle.ipynb) runs top to bottom in a real kernel
(nbclient), against a bundle it has to export itself from the session's warehouse; a cell error
fails the test.

TPT 2022, the one year all four regencies with a TPT give (1-based lines, as `sed -n Np`):
  002_62e370906eecf592.txt l. 732  "| 1 | Tingkat Pengangguran Terbuka | % | 5,88 | 3,24 | ..."  Bungo 3.24 (2022 column, l. 731)
  000_dca929226cb0e028.txt l. 593  "... dari 4,12% di tahun 2022 menjadi 3,92% ..."             Muara Enim 4.12
  001_579666cb9ad43d5a.txt l. 113  "... realisasi tahun 2022 sebesar 4,88%."                    Paser 4.88
  003_27142058ae3706f5.txt l. 395  "... Tingkat Pengangguran Terbuka\t29158\t586536\t2,50%\t4,97%"  Lumajang 4.97
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "research_bundle.ipynb"


def _run(nb, cwd: Path) -> None:
    NotebookClient(nb, timeout=120, startup_timeout=60, kernel_name="python3",
                   resources={"metadata": {"path": str(cwd)}}).execute()


def test_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 8
    assert all(c.outputs == [] and c.execution_count is None for c in code)


@pytest.fixture(scope="module")
def executed(built, tmp_path_factory):
    bundle = tmp_path_factory.mktemp("notebook") / "bundle"  # absent: the notebook exports it
    mp = pytest.MonkeyPatch()
    mp.setenv("LKJIP_BUNDLE", str(bundle))
    mp.setenv("LKJIP_DB", str(built))
    try:
        nb = nbformat.read(NOTEBOOK, as_version=4)
        _run(nb, NOTEBOOK.parent)
    finally:
        mp.undo()
    return nb, bundle


def _outputs(nb, kind: str) -> list:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == kind]


def test_notebook_runs_and_exports_the_missing_bundle(executed):
    nb, bundle = executed
    assert (bundle / "datapackage.json").is_file()
    text = "".join(o.text for o in _outputs(nb, "stream") if o.name == "stdout")
    assert f"no bundle at {bundle}" in text
    assert not _outputs(nb, "error")
    figures = [o for o in _outputs(nb, "display_data") if "application/vnd.plotly.v1+json" in o.data]
    assert len(figures) >= 2  # plotly JSON, rendered offline


def test_notebook_compares_tpt_in_the_common_year_and_says_what_is_not_comparable(executed):
    nb, _ = executed
    text = "".join(o.text for o in _outputs(nb, "stream") if o.name == "stdout")
    assert "Years every regency with a TPT gives: [2022]" in text
    assert "2022: Bungo 3.24%, Muara Enim 4.12%, Paser 4.88%, Lumajang 4.97%" in text
    assert "No TPT in the report: Tanjung Jabung Barat" in text
    assert "Q1 only, not a full year" in text  # Lumajang's first-quarter report is set aside
    assert "no relationship can be estimated" in text
    assert "define it differently" in text and "placed ÷ trainees holding a competency certificate" in text


def test_a_failing_cell_fails_the_run(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")])
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        _run(nb, tmp_path)
