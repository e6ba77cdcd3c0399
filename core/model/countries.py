"""Country names and codes as people write them, matched to ISO 3166 alpha-3 with pycountry."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pycountry

# Spellings pycountry does not know: UN forms, older names and common short names.
ALIASES = {
    "turkey": "TUR",
    "turkiye": "TUR",
    "turkyye": "TUR",  # the UN record's "TÜRKÝYE", once accents are folded
    "cote d'ivoire": "CIV",
    "democratic republic of the congo": "COD",
    "dr congo": "COD",
    "congo-kinshasa": "COD",
    "congo-brazzaville": "COG",
    "republic of korea": "KOR",
    "south korea": "KOR",
    "north korea": "PRK",
    "state of palestine": "PSE",
    "palestine": "PSE",
    "netherlands (kingdom of the)": "NLD",
    "kirghizia": "KGZ",
    "kyrgyzstan": "KGZ",
    "russia": "RUS",
    "moldova": "MDA",
    "iran": "IRN",
    "syria": "SYR",
    "laos": "LAO",
    "tanzania": "TZA",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "vietnam": "VNM",
    "ivory coast": "CIV",
    "cape verde": "CPV",
    "swaziland": "SWZ",
    "macedonia": "MKD",
    "east timor": "TLS",
    "czech republic": "CZE",
    "the gambia": "GMB",
    "micronesia": "FSM",
}
_PAREN = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<qual>[^()]+)\)$")


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).strip().lower()


@cache
def iso3(value: str) -> str | None:
    """The ISO3 code for a name or code in any letter case, or None if it names no country."""
    text = " ".join(str(value).split())
    if not text:
        return None
    if len(text) == 3 and text.isalpha():
        found = pycountry.countries.get(alpha_3=text.upper())
        return found.alpha_3 if found else None
    if _plain(text) in ALIASES:
        return ALIASES[_plain(text)]
    candidates = [text]
    match = _PAREN.match(text)
    if match:  # UN style "BOLIVIA (PLURINATIONAL STATE OF)" -> "Bolivia, Plurinational State of"
        candidates.append(f"{match['name']}, {match['qual']}")
        candidates.append(match["name"])
    for candidate in candidates:
        try:
            return pycountry.countries.lookup(candidate).alpha_3
        except LookupError:
            plain = _plain(candidate)
            if plain in ALIASES:
                return ALIASES[plain]
    return None


def country_name(code: str) -> str:
    """The common (or else official) English name of an ISO3 code."""
    found = pycountry.countries.get(alpha_3=code)
    if found is None:
        return code
    return getattr(found, "common_name", None) or found.name


UN_MEMBER_STATES = """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA
BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK COD DNK
DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB
GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO
LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU
NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA
KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE
SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB
ZWE
""".split()  # noqa: SIM905 (a list of 193 would be 193 lines)
"""The 193 member states of the United Nations, by ISO 3166 alpha-3 code."""
