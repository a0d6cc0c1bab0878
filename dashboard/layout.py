"""Page layout that depends on the screen: the server cannot know the reader's width, so the
rules are CSS, injected once per run (app.py).

- Below ~1300 px of window (about 1000 px of page beside the sidebar) a two-column chart grid
  becomes one column: two charts side by side would each get ~100 px of plot.
- On a phone (Streamlit stacks columns below 640 px) the overview matrix becomes one card per
  area, each value with its indicator's name (the column headers are gone once stacked).
"""

from __future__ import annotations

import streamlit as st

ONE_COLUMN_BELOW = 1300  # px of window width
PHONE_BELOW = 640        # Streamlit stacks st.columns below this width

CSS = f"""
<style>
.cell-label {{ display: none; }}
@media (max-width: {ONE_COLUMN_BELOW}px) {{
  .st-key-chart_grid [data-testid="stHorizontalBlock"] {{ flex-direction: column !important; flex-wrap: nowrap !important; }}
  .st-key-chart_grid [data-testid="stColumn"] {{ width: 100% !important; flex: 1 1 auto !important; min-width: 100% !important; }}
}}
@media (max-width: {PHONE_BELOW}px) {{
  .cell-label {{ display: block; color: #555; font-size: 0.85rem; margin-bottom: -0.2rem; }}
  .st-key-matrix_head {{ display: none; }}
  [class*="st-key-mrow_"] {{ border: 1px solid #d9d9d9; border-radius: 8px; padding: 0.5rem 0.75rem; }}
  [class*="st-key-mrow_"] [data-testid="stHorizontalBlock"] {{ gap: 0.25rem; }}
  .stMainBlockContainer, [data-testid="stMainBlockContainer"] {{ padding-left: 0.75rem; padding-right: 0.75rem; }}
}}
</style>
"""


def inject() -> None:
    st.html(CSS)
