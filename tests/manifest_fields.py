"""The hand-read fields of data/raw/manifest.csv and the canonical cell each one is, as the
shared scorer reads them; used by the reader, mutation and OCR tests and bench_ocr.py."""
from __future__ import annotations

#: manifest column → (table, keys) of the cell holding that value
FIELDS: dict[str, tuple[str, dict[str, str]]] = {
    "new_requests_total": ("applications", {"row": "new_received", "applicant": "total"}),
    "carried_over_total": ("applications", {"row": "carried_over", "applicant": "total"}),
    "granted_total": ("applications", {"row": "granted", "applicant": "total"}),
    "partial_total": ("applications", {"row": "partially_granted", "applicant": "total"}),
    "not_held_total": ("applications", {"row": "unavailable.not_held", "applicant": "total"}),
    "processed_total": ("applications", {"row": "processed_total", "applicant": "total"}),
    "carried_forward_total": ("applications", {"row": "carried_forward", "applicant": "total"}),
    "review_total": ("review_litigation", {"procedure": "review", "outcome": "total"}),
}
