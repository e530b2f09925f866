"""Streamlit helpers shared by pages: setup, URL state, formatting, downloads."""
