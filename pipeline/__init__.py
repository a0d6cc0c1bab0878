"""LKjIP reports -> provenance-tracked DuckDB warehouse.

Data flow (one sub-package per layer):

    raw/           read bytes, decode, identify regency / year / period
    parsed/        find tables (tab, pipe, HTML, one-cell-per-line) and sentences
    observations/  classify rows and sentences into canonical indicators, normalise numbers
    reconcile/     recompute, mark mismatches, record conflicts, rank headline candidates
    warehouse/     load DuckDB atomically, export Parquet/CSV and the data dictionary

`pipeline.build.run()` strings the layers together; `python -m pipeline build` is the CLI.
"""

__version__ = "0.1.0"
