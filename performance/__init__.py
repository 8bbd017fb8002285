"""Domain logic of the LSP performance dashboard: no Streamlit, no database.

Modules: ``vocabulary`` (names, enumerations and the RAG palette, defined once),
``periods`` (financial years and quarters), ``register`` (validation of the
indicator register), ``rag`` (statuses, direction of travel and forecasts).
"""
