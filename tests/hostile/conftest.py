"""The `heavy` marker: bombs and freezes, slow to build or to refuse (see test_hostile.py)."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "heavy: a memory bomb or freeze of the hostile corpus (deselect: -m 'not heavy')"
    )
