"""Named groups of countries, derived from the countries table."""

from __future__ import annotations

from core.model.dataset import Dataset

GROUPS = ["Central Asia", "CSTO members", "EAEU members", "All"]


def group_members(ds: Dataset, group: str) -> list[str]:
    """ISO3 codes of a named group, in table order; empty for an unknown name."""
    c = ds.countries
    if group == "Central Asia":
        mask = c["region"] == "Central Asia"
    elif group == "CSTO members":
        mask = c["csto"] == "member"
    elif group == "EAEU members":
        mask = c["eaeu"] == "member"
    elif group == "All":
        mask = c["iso3"].notna()
    else:
        return []
    return list(c.loc[mask, "iso3"])
