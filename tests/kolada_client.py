"""Reads Utblick's Kolada-shaped API with koladapy, a Kolada API v3 client from PyPI (not
vendored, not modified): only its base URL is changed, and the session carries the API token.

    python tests/kolada_client.py <base_url> <token> <year>

Prints what the client read as JSON: the KPIs, the municipalities, the organisational
units, the municipality's and the units' values for the year — each list read a few items
a page, so that the client follows the pages.
"""

import json
import sys

from koladapy.api import KoladaAPI


def main():
    base_url, token, year = sys.argv[1], sys.argv[2], int(sys.argv[3])
    api = KoladaAPI(base_url=base_url, max_requests_per_second=1000)
    api.session.headers["Authorization"] = f"Bearer {token}"
    # Small pages, so that reading every list takes several requests.
    api.DEFAULT_PER_PAGE = 2
    kpis = api.search_kpis()
    one = api.get_kpi("UTB0005")
    municipalities = api.get_municipalities()
    units = api.get_organizational_units(municipality="0687")
    whole = api.get_values(kpi_id=["UTB0001", "UTB0005"], municipality_id="0687", years=year)
    by_unit = api.get_values(kpi_id="UTB0001", ou_id=[u["id"] for u in units], years=year)
    print(json.dumps({
        "kpis": [k["id"] for k in kpis],
        "one": one,
        "municipalities": municipalities,
        "units": units,
        "whole": whole,
        "by_unit": by_unit,
    }, ensure_ascii=False))


main()
