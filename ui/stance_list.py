"""The matrix for a phone: one line per country with a strip of score colours, opening onto its
issues and stances in words.

A page draws both this list and the Plotly matrix; CSS shows the list and hides the chart below
PHONE_WIDTH (Streamlit knows nothing of the viewport on the server). Plain HTML, so it needs no
script and reads at any width.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from core.analysis.query import NO_EVIDENCE, SCORED
from core.settings import VIEW_CACHE_ENTRIES, VIEW_CACHE_TTL_SECONDS
from figures.palette import NOT_APPLICABLE_COLOUR, SCORE_COLOURS
from figures.stance_table import cell_text
from ui.text import md_escape

PHONE_WIDTH = 640
"""Below this viewport width in pixels the list replaces the chart."""
PHONE_KEY = "matrix_phone"
WIDE_KEY = "matrix_wide"
CSS = f"""
.st-key-{PHONE_KEY} {{display: none !important;}}
@media (max-width: {PHONE_WIDTH - 0.02}px) {{
  .st-key-{PHONE_KEY} {{display: flex !important;}}
  .st-key-{WIDE_KEY} {{display: none !important;}}
}}
.stance-list details {{border-bottom: 1px solid rgba(128,128,128,0.35); padding: 0.35rem 0;}}
.stance-list summary {{font-size: 1rem; font-weight: 600; cursor: pointer; display: flex;
  flex-wrap: wrap; align-items: center; gap: 0.25rem 0.6rem; min-height: 2.75rem;}}
.stance-list .strip {{display: inline-flex; flex-wrap: wrap; gap: 2px;}}
.stance-list .strip span {{width: 9px; height: 14px; border: 1px solid #757575;
  box-sizing: border-box;}}
.stance-list ul {{list-style: none; margin: 0.25rem 0 0.5rem; padding: 0;}}
.stance-list li {{display: flex; align-items: baseline; gap: 0.5rem; font-size: 0.95rem;
  line-height: 1.35; padding: 0.2rem 0; margin: 0;}}
.stance-list li.category {{font-size: 0.8rem; font-weight: 600; text-transform: uppercase;
  letter-spacing: 0.03em; padding-top: 0.5rem;}}
.stance-list li .swatch {{flex: 0 0 0.9rem; height: 0.9rem; border: 1px solid #757575;
  align-self: center;}}
.stance-list li .issue {{flex: 1 1 50%; min-width: 0; overflow-wrap: anywhere;}}
.stance-list li .stance {{flex: 1 1 45%; min-width: 0; font-weight: 600;
  overflow-wrap: anywhere;}}
"""


def _colour(row: dict) -> str:
    if row["state"] == SCORED:
        return SCORE_COLOURS[int(row["score"])]
    return "transparent" if row["state"] == NO_EVIDENCE else NOT_APPLICABLE_COLOUR


def stance_list_html(frame: pd.DataFrame, countries: list[str], issues: list[str]) -> str:
    """The list for `countries` x `issues` of a cells frame, in their order, every data value
    escaped; the first country is open."""
    order = {issue: i for i, issue in enumerate(issues)}
    by_country: dict[str, list[dict]] = {country: [] for country in countries}
    shown = frame[frame["country"].isin(by_country) & frame["issue"].isin(order)]
    for record in shown.to_dict("records"):  # one pass: per-country filters were most of its time
        by_country[record["country"]].append(record)
    parts = ['<div class="stance-list">']
    for n, country in enumerate(countries):
        rows = sorted(by_country[country], key=lambda r: order[r["issue"]])
        if not rows:
            continue
        name = html.escape(str(rows[0]["country_name"]))
        strip = "".join(
            f'<span style="background:{_colour(r)}" title="{html.escape(str(r["issue_label"]))}">'
            "</span>"
            for r in rows
        )
        parts.append(
            f"<details{' open' if n == 0 else ''}><summary>{name}"
            f'<span class="strip" aria-hidden="true">{strip}</span></summary><ul>'
        )
        category = None
        for r in rows:
            if r["category"] != category:
                category = r["category"]
                parts.append(f'<li class="category">{html.escape(str(category))}</li>')
            parts.append(
                f'<li><span class="swatch" style="background:{_colour(r)}"></span>'
                f'<span class="issue">{html.escape(str(r["issue_label"]))}</span>'
                f'<span class="stance">{html.escape(cell_text(r))}</span></li>'
            )
        parts.append("</ul></details>")
    parts.append("</div>")
    return "".join(parts)


def show_stance_list(
    frame: pd.DataFrame, countries: list[str], issues: list[str], *, title: str
) -> None:
    """The phone's list under `title`, in a container shown only below PHONE_WIDTH (the page
    puts its chart in a container keyed WIDE_KEY, hidden there)."""
    with st.container(key=PHONE_KEY):
        st.markdown(f"**{md_escape(title)}**. Tap a country for its stances.")
        st.html(f"<style>{CSS}</style>{_cached_html(frame, tuple(countries), tuple(issues))}")


@st.cache_data(max_entries=VIEW_CACHE_ENTRIES, ttl=VIEW_CACHE_TTL_SECONDS, show_spinner=False)
def _cached_html(frame: pd.DataFrame, countries: tuple[str, ...], issues: tuple[str, ...]) -> str:
    """stance_list_html, cached by the frame's content: hashing the frame costs a small fraction
    of building the list, which every rerun of the matrix page would do again."""
    return stance_list_html(frame, list(countries), list(issues))
