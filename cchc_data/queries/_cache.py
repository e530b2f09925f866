"""The one caching policy for query results."""
import streamlit as st

cached = st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
