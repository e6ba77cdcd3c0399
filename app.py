"""Entry point: page config and navigation. Pages live in app_pages/, one file each."""

import logging
from pathlib import Path

import streamlit as st

from components.url_state import keep_across_pages

ASSETS = Path(__file__).resolve().parent / "assets"
PAGE_FAILED = (
    "This page could not be shown because of an unexpected error. Nothing you imported or "
    "edited is lost: try another page, or reload this one."
)

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
    st.Page("app_pages/data.py", title="Your data", icon=":material/upload_file:",
            url_path="data"),
    st.Page("app_pages/present.py", title="Present", icon=":material/slideshow:",
            url_path="present"),
    st.Page("app_pages/about.py", title="About and method", icon=":material/info:",
            url_path="about"),
]  # fmt: skip

# Filters chosen on one page stay chosen on the others (and so in their links).
keep_across_pages(["countries", "compare_countries", "issues", "cell", "country", "image_format"])

# Tighter margins than Streamlit's default, so the wide matrix has room at 1280 px.
st.html("<style>[data-testid=stMainBlockContainer]{padding:2.5rem 1.5rem 3rem 1.5rem;}</style>")
page = st.navigation(PAGES, position="top")
try:
    page.run()
except Exception:  # a plain message for the user; the details go to the server log only
    logging.getLogger("dashboard").exception("page %s failed", page.title)
    st.error(PAGE_FAILED, icon=":material/error:")
