"""The server: `streamlit run serve.py` serves the dashboard (app.py, the router) as a Streamlit st.App whose
start-up, in a background thread, imports the pages' modules and builds the landing page's view (cchc_data.ui.warm),
while the first browser is still loading Streamlit's frontend. `streamlit run app.py` serves the same pages without
the warm-up."""

import threading
from contextlib import asynccontextmanager

import streamlit as st


@asynccontextmanager
async def lifespan(_app):
    from cchc_data.ui.warm import warm_up  # here, not at the top: the server answers /_stcore/health before it runs

    threading.Thread(target=warm_up, kwargs={"freeze": True}, name="cchc-warm-up", daemon=True).start()
    yield


app = st.App("app.py", lifespan=lifespan)
