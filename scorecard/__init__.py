"""The public scorecard: its own Streamlit entry (``streamlit run scorecard/app.py``), apart from
the staff pages."""
