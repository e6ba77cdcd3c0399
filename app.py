"""Entry point: page config and navigation. Pages live in app_pages/, one file each."""

import logging
from pathlib import Path

import streamlit as st

from ui.contract import KEPT_KEYS
from ui.contract import PAGES as CONTRACT_PAGES
from ui.links import CURRENT_PAGE
from ui.url_state import keep_across_pages

ASSETS = Path(__file__).resolve().parent / "assets"
PAGE_FAILED = (
    "This page could not be shown because of an unexpected error. Nothing you imported or "
    "edited is lost: try another page, or reload this one."
)
# Streamlit's chart theme writes axis labels, notes and the source line in a fixed grey (#808495,
# 3.7:1 on white). In the theme's own text colour they follow light and dark at 4.5:1 or more.
CHART_TEXT = ".xtick,.ytick,.g-xtitle,.g-ytitle,.cbaxis,.cbtitle,.annotation-text-g,.g-gtitle"
# A primary button is white on the accent; the dark theme's accent is light (it must be read as
# text on the dark page too), so there its label is the page's dark colour. Streamlit marks the
# app's color-scheme with the theme in use, which `light-dark()` follows.
THEME_CSS = (
    f"<style>.js-plotly-plot :is({CHART_TEXT}) text, .js-plotly-plot .barlayer text.bartext"
    "{fill:currentColor !important;}"
    'button[kind="primary"], button[kind="primary"]:hover{color:light-dark(#ffffff,#171614);}'
    "</style>"
)

st.set_page_config(
    page_title="Central Asia and the war in Ukraine",
    page_icon=str(ASSETS / "favicon.png"),
    layout="wide",
    initial_sidebar_state="collapsed",
)

# A page's URL path is its file name, which is also how AppTest finds a page before its first
# run; the first page is the default, served at /.
PAGES = [
    st.Page(f"app_pages/{p.name}.py", title=p.title, icon=f":material/{p.icon}:", url_path=p.name,
            default=i == 0)
    for i, p in enumerate(CONTRACT_PAGES)
]  # fmt: skip

# Filters chosen on one page stay chosen on the others (and so in their links).
keep_across_pages(KEPT_KEYS)

# Tighter margins than Streamlit's default, so the wide matrix has room at 1280 px.
st.html("<style>[data-testid=stMainBlockContainer]{padding:2.5rem 1.5rem 3rem 1.5rem;}</style>")
st.html(THEME_CSS)
page = st.navigation(PAGES, position="top")
st.session_state[CURRENT_PAGE] = page.url_path or CONTRACT_PAGES[0].name
try:
    page.run()
except Exception:  # a plain message for the user; the details go to the server log only
    logging.getLogger("dashboard").exception("page %s failed", page.title)
    st.error(PAGE_FAILED, icon=":material/error:")
