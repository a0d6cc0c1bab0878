"""The Streamlit dashboard: reads the warehouse built by `pipeline`, never the raw reports'
numbers directly (raw text is shown only to let a reader check a cited line)."""
