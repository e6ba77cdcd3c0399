"""Entry point: page config and navigation. Pages live in app_pages/, one file each."""

from pathlib import Path

import streamlit as st

ASSETS = Path(__file__).resolve().parent / "assets"

st.set_page_config(
    page_title="Central Asia and the war in Ukraine",
    page_icon=str(ASSETS / "favicon.png"),
    layout="wide",
    initial_sidebar_state="expanded",
)

PAGES = [
    st.Page("app_pages/matrix.py", title="Matrix", icon=":material/grid_view:", default=True),
]

st.navigation(PAGES).run()
