"""Keyboard and clicker keys for presenter mode.

streamlit-shortcuts 1.2.2 was tried first: its keys work on a fresh page but stop after the
presenter starts a room (measured: the key press reaches the page and nothing moves), because it
installs its listener once, from inside a hidden iframe, and never again. Here every render
replaces the listener with one created in the page's own window, so it outlives the iframe.
"""

from __future__ import annotations

import json

import streamlit.components.v1 as components

_SCRIPT = """
<script>
const w = window.parent;
w.__presentKeyMap = %s;
if (w.__presentKeyListener) w.document.removeEventListener("keydown", w.__presentKeyListener);
{
  const listener = new w.Function("event", `
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const t = event.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
    const name = event.key === " " ? "space" : event.key.toLowerCase();
    const key = (window.__presentKeyMap || {})[name];
    if (!key) return;
    const button = document.querySelector(".st-key-" + key + " button");
    if (!button || button.disabled) return;
    event.preventDefault();
    button.click();
  `);
  w.document.addEventListener("keydown", listener);
  w.__presentKeyListener = listener;
}
</script>
"""


def bind_keys(keys: dict[str, str]) -> None:
    """Make each key press (e.g. 'arrowright', 'space', '3') click the button with that key."""
    components.html(_SCRIPT % json.dumps(keys), height=0, width=0)
