"""The time zones a patient picks from: IANA's own list of one canonical zone per region.

zoneinfo.available_timezones() also returns ~180 aliases and oddities ("Factory", "GB-Eire",
"US/Pacific", "Etc/GMT+5"). IANA's zone.tab lists the canonical Area/City zones with their
country, which makes the list searchable by country as well as by city.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files


def _tab(name: str) -> list[list[str]]:
    text = files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def zone_choices() -> tuple[tuple[str, str], ...]:
    """(zone, label) pairs sorted by zone, e.g. ("Europe/Berlin", "Europe/Berlin · Germany")."""
    countries = {row[0]: row[1] for row in _tab("iso3166.tab")}
    labels: dict[str, str] = {"UTC": "UTC · Coordinated Universal Time"}
    for row in _tab("zone.tab"):
        code, zone = row[0], row[2]
        comment = f" ({row[3]})" if len(row) > 3 and row[3] else ""
        country = countries.get(code, code)
        label = f"{zone.replace('_', ' ')} · {country}{comment}"
        labels[zone] = labels[zone] + f"; {country}" if zone in labels else label
    return tuple(sorted(labels.items()))


def is_listed(zone: str) -> bool:
    return zone in dict(zone_choices())
