"""Pairwise agreement between countries as a labelled square heatmap."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from figures.options import EXPLORER, Presentation, presentation_layout
from figures.palette import AGREEMENT_COLORSCALE, AGREEMENT_INK


def build_agreement(
    agreement: pd.DataFrame,
    shared: pd.DataFrame,
    names: dict[str, str],
    *,
    title: str,
    options: Presentation = EXPLORER,
) -> go.Figure:
    """Heatmap of `agreement` (0..1), each cell labelled with its value and hover with n shared;
    presented as `options` say."""
    codes = list(agreement.index)
    labels = [html.escape(names.get(c, c)) for c in codes]
    text = agreement.map(lambda v: "–" if pd.isna(v) else f"{v:.2f}").values
    hover = [
        [
            f"{labels[i]} and {labels[j]}<br>agreement {text[i][j]} over "
            f"{int(shared.loc[a, b])} issues scored for both"
            for j, b in enumerate(codes)
        ]
        for i, a in enumerate(codes)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=agreement.values,
            x=labels,
            y=labels,
            text=text,
            texttemplate="%{text}",
            textfont={"size": options.label_size or 14, "color": AGREEMENT_INK},
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=AGREEMENT_COLORSCALE,
            zmin=0,
            zmax=1,
            xgap=2,
            ygap=2,
            colorbar={
                "title": {"text": "agreement"},
                "tickvals": [0, 0.5, 1],
                "ticktext": ["0 opposite", "0.5", "1 identical"],
            },
        )
    )
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=160 + 70 * len(codes),
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        yaxis={"autorange": "reversed", "fixedrange": True},
        xaxis={"side": "top", "fixedrange": True},
        dragmode=False,
    )
    fig.update_layout(presentation_layout(options))
    return fig
