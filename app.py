"""Entry point: page config and navigation. Pages live in app_pages/, one file each."""

from pathlib import Path

import streamlit as st

from components.url_state import keep_across_pages

ASSETS = Path(__file__).resolve().parent / "assets"

st.set_page_config(
    page_title="Central Asia and the war in Ukraine",
    page_icon=str(ASSETS / "favicon.png"),
    layout="wide",
    initial_sidebar_state="collapsed",
)

PAGES = [
    st.Page("app_pages/matrix.py", title="Matrix", icon=":material/grid_view:", default=True),
    st.Page("app_pages/timeline.py", title="Timeline", icon=":material/timeline:",
            url_path="timeline"),
    st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:",
            url_path="compare"),
    st.Page("app_pages/country.py", title="Country profile", icon=":material/flag:",
            url_path="country"),
    st.Page("app_pages/changes.py", title="What changed", icon=":material/change_history:",
            url_path="changes"),
    st.Page("app_pages/present.py", title="Present", icon=":material/slideshow:",
            url_path="present"),
    st.Page("app_pages/about.py", title="About and method", icon=":material/info:",
            url_path="about"),
]  # fmt: skip

# Filters chosen on one page stay chosen on the others (and so in their links).
keep_across_pages(["countries", "compare_countries", "issues", "cell", "country"])

# Tighter margins than Streamlit's default, so the wide matrix has room at 1280 px.
st.html("<style>[data-testid=stMainBlockContainer]{padding:2.5rem 1.5rem 3rem 1.5rem;}</style>")
st.navigation(PAGES, position="top").run()
