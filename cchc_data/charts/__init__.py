"""Pure Altair chart builders: (data, lang, ...) -> alt.Chart. No Streamlit, no SQL."""
