"""The public scorecard: its own Streamlit entry (``streamlit run public/app.py``), apart from staff pages."""
