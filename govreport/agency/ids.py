"""Identifiers a panel needs: the division code and a stable ``agency_id``.

``agency_id`` is a short hash of the agency's normalised name and its division code, so
one agency's reports of different years join even when one year prints the bare
``市住房和城乡建设局`` and another ``安顺市住房和城乡建设局`` (both resolve to division 520400
and the name part ``住房和城乡建设局``). The id is deliberately literal: an agency renamed by
a reform (``住房和城乡建设局`` → ``住房城乡建设局``) or printed under an abbreviation
(``上海市科委``) gets a different id — renames are never merged, because the package
cannot tell a rename from a different body.
"""
from __future__ import annotations

import hashlib

from .divisions import _ancestors, _division_table
from .names import FIELDS, classify_with_key
from .script import _clean_name

#: keys of the dict returned by :func:`identify`, in order
ID_FIELDS: tuple[str, ...] = (*FIELDS, "division_code", "agency_id")
_FIELD_OF_LEVEL = {"province": "province", "prefecture": "prefecture", "county": "county"}


def division_code(key: str | None, fields: dict[str, str | None]) -> str | None:
    """Code of the most specific division that the region ``fields`` keep for ``key``."""
    if key is None:
        return None
    table = _division_table()
    for k in _ancestors(key):
        d = table[k]
        if fields.get(_FIELD_OF_LEVEL[d.level]) == d.name and d.code:
            return d.code
    return None


def agency_id(name: str | None, code: str | None = None, rest: str | None = None) -> str | None:
    """Stable id of an agency: 12 hex digits of SHA-1 over ``code|normalised name``.

    ``rest`` is the name without its leading division mention; it is used when the
    division code is known, so that the bare and the full spelling of a name join.
    """
    if name is None or not str(name).strip():
        return None
    base = _clean_name(rest if code and rest else str(name))
    return hashlib.sha1(f"{code or ''}|{base}".encode()).hexdigest()[:12]


def identify(name: str | None, text: str | None = None) -> dict[str, str | None]:
    """Every field a panel needs about an agency: ``level, kind, sector, province,
    prefecture, county`` (as :func:`classify_agency`), ``division_code`` (行政区划代码 of the
    most specific division found, from the shipped divisions data) and ``agency_id``.

    >>> identify("安顺市住房和城乡建设局")["division_code"]
    '520400'
    """
    fields, key, rest = classify_with_key(name, text)
    code = division_code(key, fields)
    return {**fields, "division_code": code, "agency_id": agency_id(name, code, rest)}
