"""Pure data layer: schema, loading, validation and queries. No Streamlit here."""
