"""Keyboard and clicker keys for presenter mode.

streamlit-shortcuts 1.2.2 was tried first: its keys work on a fresh page but stop after the
presenter starts a room (measured: the key press reaches the page and nothing moves), because it
installs its listener once, from inside a hidden iframe, and never again. Here a
`st.components.v2` component, which runs in the page itself, installs one listener on the page's
document the first time and gives it the current key map on every render, so it outlives any
element. (It was a `st.components.v1.html` iframe, whose deprecation warning Streamlit 1.67
logs on every run.)
"""

from __future__ import annotations

import streamlit as st

KEYS_KEY = "present-keys"
"""The component's key; the CSS hides its (empty) element."""
_JS = """
export default function ({ data }) {
  window.__presentKeyMap = data || {};
  if (window.__presentKeyListener) return;
  const listener = (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const t = event.composedPath ? event.composedPath()[0] : event.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT"
              || t.isContentEditable)) return;
    const name = event.key === " " ? "space" : event.key.toLowerCase();
    const key = window.__presentKeyMap[name];
    if (!key) return;
    const button = document.querySelector(".st-key-" + key + " button");
    if (!button || button.disabled) return;
    event.preventDefault();
    button.click();
  };
  document.addEventListener("keydown", listener);
  window.__presentKeyListener = listener;
}
"""
_keys = st.components.v2.component("present_keys", js=_JS)


def bind_keys(keys: dict[str, str]) -> None:
    """Make each key press (e.g. 'arrowright', 'space', '3') click the button with that key."""
    _keys(key=KEYS_KEY, data=keys)
