"""Make text from data safe to show: nothing in a data file can inject markup."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|$~&])")


def md_escape(text: object) -> str:
    """Escape Markdown, HTML and LaTeX so that `st.markdown` shows `text` literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
