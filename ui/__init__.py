"""Streamlit helpers shared by every page: the page guard, the menu and the cached loaders."""
