"""A seeded fuzz run over every input format: only ParseError escapes, in bounded time and memory.

A few hundred mutated copies of the real reports in data/raw (see tests/fuzzing.py);
``benchmarks/bench_fuzz.py`` runs thousands before a release.
"""
from __future__ import annotations

import fuzzing


def test_fuzz_only_parse_error_escapes():
    summary = fuzzing.run(fuzzing.cases(300, seed=20261201), time_limit=20.0, mem_mb=3072)
    assert len(summary.outcomes) == 300
    assert [(o.source, o.mutation, o.result, o.detail) for o in summary.failures] == []
    # every kind of mutation was tried on every format
    tried = {(o.source.rsplit(".", 1)[1], o.mutation) for o in summary.outcomes}
    assert {m.__name__ for m in fuzzing.MUTATIONS} == {m for _, m in tried}
    assert {s for s, _ in tried} == {p.suffix[1:] for p in fuzzing.sources()}
