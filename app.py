"""Entry point: page config and navigation. Pages live in app_pages/, one file each."""

import logging
from pathlib import Path

import streamlit as st

from ui.url_state import keep_across_pages

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

# (file in app_pages/, title, icon). A page's URL path is its file name, which is also how
# AppTest finds a page before its first run; the first page is the default, served at /.
PAGE_TABLE = [
    ("matrix", "Matrix", "grid_view"),
    ("map", "Map", "map"),
    ("timeline", "Timeline", "timeline"),
    ("compare", "Compare", "compare_arrows"),
    ("country", "Country profile", "flag"),
    ("changes", "What changed", "change_history"),
    ("data", "Your data", "upload_file"),
    ("present", "Present", "slideshow"),
    ("about", "About and method", "info"),
]
PAGES = [
    st.Page(f"app_pages/{name}.py", title=title, icon=f":material/{icon}:", url_path=name,
            default=i == 0)
    for i, (name, title, icon) in enumerate(PAGE_TABLE)
]  # fmt: skip

# Filters chosen on one page stay chosen on the others (and so in their links).
keep_across_pages(
    ["countries", "compare_countries", "issues", "cell", "country", "image_format", "as_of"]
)

# Tighter margins than Streamlit's default, so the wide matrix has room at 1280 px.
st.html("<style>[data-testid=stMainBlockContainer]{padding:2.5rem 1.5rem 3rem 1.5rem;}</style>")
page = st.navigation(PAGES, position="top")
try:
    page.run()
except Exception:  # a plain message for the user; the details go to the server log only
    logging.getLogger("dashboard").exception("page %s failed", page.title)
    st.error(PAGE_FAILED, icon=":material/error:")
