"""Visual pieces: pure figure builders and small Streamlit renderers, one file each."""
