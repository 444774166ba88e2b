"""One printed cell → a number or missing: placeholders, units, typos, OCR confidence.

A cell that means "not reported" (``/``, ``—``) is missing, never 0; a unit printed in the
cell is stripped with a finding; anything else that is not a number is missing with a finding.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from .. import layouts
from ..findings import Finding, finding
from ..normalize import halfwidth, squash, to_simplified
from .tokens import OCR_MIN_CONFIDENCE, Tok, low_confidence

NA = pd.NA
NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")  # used with fullmatch: linear


@dataclass(slots=True)
class Value:
    raw: str
    value: object = NA  # float or NA
    glued: bool = False  # a digit run that may hold several cells
    page: int | None = None
    box: str | None = None
    conf: float | None = None
    reading: str = ""  # what OCR read in a doubted cell (raw is blank then: it is matched as blank)

    @property
    def printed(self) -> str:
        """The cell's text as printed (as OCR read it, for a doubted cell): the records' ``raw``."""
        return self.reading or self.raw.strip()


@dataclass
class Ctx:
    """What one table's assembly noticed."""

    table: str
    findings: list[Finding] = field(default_factory=list)

    def note(self, check: str, message: str, *, row: str | None = None, column: str | None = None,
             severity: str = "warning", status: str = "fail", reported=None) -> None:
        self.findings.append(finding(check, message, table=self.table, row=row, column=column,
                                     severity=severity, status=status, reported=reported))


def is_number(text: str) -> bool:
    return NUMBER.fullmatch(text) is not None


_LIMITS = layouts.reading_settings()
MAX_DIGITS = _LIMITS.max_digits


def max_digits() -> int:
    """Most digits a printed number may have."""
    return MAX_DIGITS


def parse_cell(raw: str, ctx: Ctx, row: str | None, column: str | None, unit: str | None = None):
    """A printed cell → number or NA, noting placeholders, units, typos."""
    if raw.isdigit() and raw.isascii() and (len(raw) == 1 or raw[0] != "0") and len(raw) <= MAX_DIGITS:
        return float(raw)  # the common case: a plain count
    text = squash(halfwidth(raw or "")).replace(",", "")
    if not text.isascii():  # units may be printed in traditional script (0項)
        text = to_simplified(text)
    if text == "":
        return NA
    if text in layouts.placeholders():
        ctx.note("placeholder", f"cell {raw!r} means not reported; read as missing", row=row, column=column,
                 severity="info", status="info")
        return NA
    number, found_unit = text, None
    for u in layouts.units_longest_first():
        if text.endswith(u) and is_number(text[: -len(u)]):
            number, found_unit = text[: -len(u)], u
            break
    if not is_number(number):
        ctx.note("unparsed_cell", f"cell {raw!r} is not a number; read as missing", row=row, column=column)
        return NA
    if len(number) > MAX_DIGITS and sum(ch.isdigit() for ch in number) > MAX_DIGITS:
        ctx.note("unparsed_cell", f"cell {raw[:40]!r}… has more than {max_digits()} digits: not one printed "
                 "number; read as missing", row=row, column=column)
        return NA
    value = float(number)
    if len(number) > 1 and number[0] == "0" and "." not in number:
        ctx.note("leading_zero", f"cell printed as {raw!r} (typo?); read as {int(value)}", row=row,
                 column=column, reported=value)
    if found_unit:
        kind, _factor = layouts.units()[found_unit]
        if unit and found_unit != unit and kind == "money":
            ctx.note("unit_conflict", f"cell {raw!r} is in {found_unit} but the column is in {unit}; "
                     f"left missing rather than rescaled", row=row, column=column, reported=value)
            return NA
        ctx.note("unit_in_cell", f"unit {found_unit!r} stripped from cell {raw!r}", row=row, column=column,
                 severity="info", status="info")
    return value


def read_value(v: Value, ctx: Ctx, row: str | None, column: str | None, unit: str | None = None):
    """:func:`parse_cell` of a value; missing, with an ``ocr_low_confidence`` finding on its row and
    column that quotes what was read (never parsed into a number), when OCR read it with less than
    the threshold (:data:`~govreport.tables.tokens.OCR_MIN_CONFIDENCE`)."""
    text = v.printed
    if text and low_confidence(v.conf):
        where = f" on page {v.page}, box {v.box}" if v.page is not None else ""
        ctx.note("ocr_low_confidence", f"OCR read the cell{where} as {text!r} with confidence {v.conf:.3f}, "
                 f"below {OCR_MIN_CONFIDENCE:g}; read as missing", row=row, column=column)
        return NA
    return parse_cell(v.raw, ctx, row, column, unit)


def is_value(t: Tok) -> bool:
    """A number, a number with a unit, a placeholder or a blank cell."""
    if t.kind == "num":
        return True
    return t.kind == "cell" and value_key(t.key)


@functools.lru_cache(maxsize=1 << 12)  # cell keys are short (at most max_label characters)
def value_key(key: str) -> bool:
    """Whether a normalised cell text reads as a value (number, number + unit, placeholder, blank)."""
    text = key.replace(",", "")
    if text == "" or text in layouts.placeholders() or is_number(text):
        return True
    return any(text.endswith(u) and is_number(text[: -len(u)]) for u in layouts.units())


def as_values(toks: Sequence[Tok]) -> list[Value]:
    """Tokens → printed values; a digit run with spaces is several (possibly glued) values."""
    out = []
    for t in toks:
        placed = t.page is not None or t.box is not None or t.conf is not None
        if t.doubted:  # blank to the assembler; what was read goes to the records and the finding
            out.append(Value("", NA, False, t.page, t.box, t.conf, t.raw))
            continue
        if t.kind == "num":
            out.extend(Value(c, NA, True, t.page, t.box, t.conf) if placed else Value(c, NA, True)
                       for c in t.key.split())
        else:
            out.append(Value(t.raw, NA, False, t.page, t.box, t.conf) if placed else Value(t.raw))
    return out
