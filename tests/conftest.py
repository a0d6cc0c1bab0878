"""Shared fixtures: one warehouse built from data/raw/ per test session, in a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.build import run

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """Path of a freshly built warehouse (with its exports beside it)."""
    out = tmp_path_factory.mktemp("curated")
    db = out / "warehouse.duckdb"
    outcome = run(RAW, db, force=True)
    assert not [p for p in outcome.problems if p.severity == "error"], outcome.problems
    return db


@pytest.fixture(scope="session")
def con(built):
    c = duckdb.connect(str(built), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="session")
def observations(con) -> list[dict]:
    return con.execute("SELECT * FROM observations").df().to_dict("records")


@pytest.fixture
def raw_copy(tmp_path) -> Path:
    """A writable copy of data/raw/ for tests that add bad files."""
    dst = tmp_path / "raw"
    shutil.copytree(RAW, dst)
    return dst


def raw_lines(name: str) -> list[str]:
    """Lines as the pipeline numbers them (sed -n 'Np'): split on newlines, no phantom last line."""
    text = (RAW / name).read_text(encoding="utf-8")
    lines = text.split("\n")
    return lines[:-1] if text.endswith("\n") else lines


def query(db: Path, sql: str, params=()) -> list[tuple]:
    """Rows of one read-only query against a warehouse file."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()
