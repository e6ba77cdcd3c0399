"""About and method: how the data was coded, what the measures mean, sources and licence."""

import streamlit as st

from core.analysis.audit import load_audit, summarise
from core.analysis.coverage import coverage_by_country, observations_by_year, total_coverage
from core.model.provenance import licence_words, source_citation
from core.model.vocabulary import SCORES, STATE_NAMES, signed_score
from core.serving.codebook import codebook_markdown
from core.serving.export import dataset_citation, package_descriptor
from core.settings import CELL_STATES, MAX_UPLOAD_MB, PRECISIONS, SCORE_MEANINGS
from figures.palette import SCORE_COLOURS
from ui.state import current_dataset
from ui.text import md_escape

ds = current_dataset()
st.title("About and method")
st.markdown(
    """
This dashboard compares how the five Central Asian states responded to Russia's full-scale war in
Ukraine, beside six post-Soviet comparators. Every cell is a **dated, cited observation**: a
country's stance on one issue, coded from a source with a locator that points to the passage. The
evidence behind any cell is one click away.
"""
)

st.header("Scores", anchor=False)
st.markdown("One scale for every issue:")
for score in SCORES:
    st.markdown(
        f"<span style='display:inline-block;width:1.2em;height:1.2em;vertical-align:middle;"
        f"background:{SCORE_COLOURS[score]};border:1px solid #666'></span> "
        f"**{signed_score(score)}**: {SCORE_MEANINGS[score]}",
        unsafe_allow_html=True,  # constants only: no text from data goes through here
    )
st.markdown(
    "UN votes: yes +2, abstain 0, did not vote 0 (shown as *did not vote*, never merged with an "
    "abstention), no −2. The colours come from a diverging scale that stays distinct for the "
    "common forms of colour blindness, and every cell also carries its stance in words."
)

st.header("Three kinds of cell", anchor=False)
for state, meaning in CELL_STATES.items():
    st.markdown(f"- **{STATE_NAMES[state].capitalize()}**: {meaning}.")

st.header("Dates and their precision", anchor=False)
for precision, meaning in PRECISIONS.items():
    st.markdown(f"- **{precision}**: {meaning}")
st.markdown(
    "The **As of** date shows, for each cell, the latest observation dated on or before it. "
    "A month-precision observation counts from the first day of its month."
)

st.header("Measures", anchor=False)
states = ", ".join(STATE_NAMES.values())
st.markdown(
    f"""
- **Alignment index** of a country: the weighted mean of its scores over the selected issues it is
  scored on (no evidence and not applicable are left out, not counted as 0). Presets: *equal*
  weights; *UN votes only*; *domestic measures only*; or a weight per category. It is an
  interpretation: it treats a UN abstention and a refused troop request as comparable steps, which
  they are not. The chart says how many issues each figure rests on.
- **Too little evidence.** A country scored on fewer issues than the chosen minimum (3 by default,
  under *Sort and weights*) is listed as *too little evidence* under the chart instead of ranked.
  Ties are ordered by name, the same way in the matrix and in the bar chart.
- **Agreement** of two countries: over the issues scored for both, the mean of 1 where they took
  the *same stance*, and otherwise 1 − max(|score difference|, 1) ÷ 4. Two different acts never
  agree fully even when they score the same: *did not vote* against *abstain*, or *silent* against
  *hedging*, counts 0.75; yes against abstain 0.5; +2 against −2 counts 0. Issues where either has
  no evidence are left out: high agreement on few shared issues is weak.
- **What changed**: a cell changed between two dates if its state ({states})
  or its stance differs; the path lists every stance in between.
"""
)

st.header("Coverage of the evidence", anchor=False)
cover = total_coverage(ds)
st.markdown(
    f"Of the **{cover.applicable}** country × issue cells outside the UN votes that apply to a "
    f"state, **{cover.covered}** ({cover.share:.0%}) hold at least one observation. An empty cell "
    "means our sources are silent, not that the state was. Per state:"
)
by_country = coverage_by_country(ds).assign(share=lambda f: (100 * f["share"]).round())
by_country = by_country.rename(
    columns={"country": "ISO3", "name": "State", "applicable": "Applicable cells",
             "covered": "Cells with evidence", "share": "Share", "observations": "Observations",
             "sources": "Sources cited"}
)  # fmt: skip
st.dataframe(
    by_country,
    hide_index=True,
    height=35 * (len(by_country) + 1) + 3,
    column_config={
        "Share": st.column_config.ProgressColumn(format="%.0f%%", min_value=0, max_value=100)
    },
)
st.markdown("Observations outside the UN votes, by the year they are dated:")
by_year = observations_by_year(ds)
by_year.index = by_year.index.map(ds.countries.set_index("iso3")["name"])
by_year.index.name = "State"
st.dataframe(by_year, height=35 * (len(by_year) + 1) + 3)

st.header("A second reading of the S1 codings", anchor=False)
audit = summarise(load_audit())
st.markdown(
    "A second coder, who had not seen the first coding, coded S1 again from the codebook and the "
    "coding principles. "
    f"Of the **{audit.facts}** facts either coder coded, both coded **{audit.both_coded}** and "
    f"chose the same stance for **{audit.same_stance}**; a fact only one of them coded counts as "
    "a disagreement. Agreement on stance, corrected for chance: "
    f"**Cohen's κ = {audit.kappa:.2f}**. "
    "Every difference and how it was resolved (dates tied to the mid-March shift, 'reportedly' "
    "kept apart from open steps, confidence lowered where S1's overview and country section "
    "disagree) is in `data/AUDIT.md` of the bundled data."
)

st.header("Codebook", anchor=False)
st.caption("What each issue asks and what each stance means and scores, from the data itself.")
st.markdown(codebook_markdown(ds, esc=md_escape))

st.header("Sources", anchor=False)
for source in ds.sources.itertuples(index=False):
    row = source._asdict()
    st.markdown(f"- **{md_escape(row['id'])}**: {md_escape(source_citation(row))}")
    if row.get("note"):
        st.caption(md_escape(row["note"]))

st.header("How to cite", anchor=False)
st.markdown(
    f"{md_escape(dataset_citation(ds))} "
    "Cite the view you used with its link (every page has *Link to this view*)."
)

st.header("Licence and privacy", anchor=False)
licence = licence_words(package_descriptor(ds))
st.markdown(
    (
        f"The data is released under **{md_escape(licence)}**."
        if licence
        else "This dataset was imported or edited here: its licence is the one its makers gave it."
    )
    + f"""
The app runs on your
own machine or server and sends nothing anywhere: usage statistics are off, and no page loads
fonts, scripts, map tiles or images from any other host. Uploads, where offered, are limited to
{MAX_UPLOAD_MB} MB.
"""
)
