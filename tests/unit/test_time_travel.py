"""plotly.js served by the app: copied from the installed plotly package, once."""

from __future__ import annotations

from ui.time_travel import PLOTLY_JS, serve_plotly_js


def test_plotly_js_is_copied_when_missing_or_different_and_left_when_the_same(tmp_path):
    source = tmp_path / "plotly.min.js"
    source.write_text("/* plotly.js v1 */")
    target = tmp_path / "static" / "plotly.min.js"
    assert serve_plotly_js(source, target) is True  # missing: copied
    assert target.read_text() == "/* plotly.js v1 */"
    assert serve_plotly_js(source, target) is False  # the same: left alone
    source.write_text("/* plotly.js v2 */")  # the same size, another content
    assert serve_plotly_js(source, target) is True
    assert target.read_text() == "/* plotly.js v2 */"
    assert [p.name for p in target.parent.iterdir()] == ["plotly.min.js"]  # no partial left


def test_the_served_file_is_the_installed_plotly_packages_own():
    assert PLOTLY_JS.name == "plotly.min.js" and PLOTLY_JS.parent.name == "package_data"
    assert b"plotly.js v" in PLOTLY_JS.read_bytes()[:200]
