"""Splitting a corpus's files into chunks for the workers, and the progress bar."""
from __future__ import annotations

import math

from .work import Item


def chunks(items: list[Item], jobs: int, size: int | None) -> list[list[Item]]:
    """Split ``items`` into chunks of consecutive files (default: up to 50, four per worker)."""
    if size is None:
        size = max(1, min(50, math.ceil(len(items) / max(1, jobs * 4))))
    out: list[list[Item]] = []
    for run in _runs(items):
        out += [run[i:i + size] for i in range(0, len(run), size)]
    return out


def _runs(items: list[Item]) -> list[list[Item]]:
    # maximal runs of consecutive positions, so chunk results never interleave
    runs: list[list[Item]] = []
    for it in sorted(items, key=lambda i: i.index):
        if runs and runs[-1][-1].index + 1 == it.index:
            runs[-1].append(it)
        else:
            runs.append([it])
    return runs


def progress_bar(total: int, progress: bool, desc: str):
    """A tqdm bar (disabled when ``progress`` is False)."""
    from tqdm.auto import tqdm

    return tqdm(total=total, disable=not progress, desc=desc, unit="file", dynamic_ncols=True)
