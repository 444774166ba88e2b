"""The optional dask engine: ``read_corpus(..., engine="dask")`` on a ``dask.distributed`` cluster.

Dask is an extra (``pip install 'govreport[dask]'``), imported only when this engine runs.
Each task parses a chunk and writes its tables to ``out/<table>/part-NNNNNN.parquet``;
:func:`~govreport.corpus.load` reads the folder back.  The report files and ``out`` must
be visible to every worker at the same path.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .corpus import Corpus
from .frames import TABLE_NAMES, empty_table, records_frame
from .chunks import chunks, progress_bar
from .store import SCHEMA_FILE, column_spec, read_tables, schema_of, write_json
from .work import Item, work_chunk


def _dask_chunk(items: list[Item], opts: Mapping[str, Any], out: str, part: int) -> dict:
    """Parse a chunk on a dask worker and write its tables as Parquet parts; return only
    the small things (reports records, errors, dtypes and categories)."""
    res = work_chunk(items, opts)
    meta: dict[str, Any] = {}
    for name, df in res["tables"].items():
        if len(df):
            d = Path(out) / name
            d.mkdir(parents=True, exist_ok=True)
            tmp = d / f".part-{part:06d}.parquet.tmp"
            df.to_parquet(tmp, index=False)
            os.replace(tmp, d / f"part-{part:06d}.parquet")
        meta[name] = {"columns": column_spec(df), "rows": len(df)}
    return {"records": res["records"], "errors": res["errors"], "tables": meta,
            "first": res["first"]}


def read_dask(items: list[Item], opts: Mapping[str, Any], njobs: int, client: Any,
               out: str | os.PathLike | None, chunksize: int | None, progress: bool) -> Corpus:
    """Run the chunks on a dask.distributed cluster; each task writes Parquet parts under ``out``."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise ImportError("engine='dask' needs the dask extra: pip install 'govreport[dask]' "
                          "(dask[distributed])") from exc
    out_dir = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="govreport-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in list(TABLE_NAMES) + ["reports", "errors"]:
        if (out_dir / name).is_dir():
            shutil.rmtree(out_dir / name)
    own_cluster = None
    if client is None:
        own_cluster = LocalCluster(n_workers=njobs, processes=True, threads_per_worker=1,
                                   dashboard_address=None)
        client = Client(own_cluster)
    try:
        nworkers = max(1, len(client.scheduler_info().get("workers", {})) or njobs)
        work = chunks(items, nworkers, chunksize)
        wopts = dict(opts, cwd=os.getcwd())
        futs = [client.submit(_dask_chunk, ch, wopts, str(out_dir.resolve()), i, pure=False)
                for i, ch in enumerate(work)]
        sizes = {f.key: len(ch) for f, ch in zip(futs, work)}
        results = []
        with progress_bar(len(items), progress, "govreport[dask]") as bar:
            for fut in as_completed(futs):
                results.append(fut.result())
                bar.update(sizes[fut.key])
    finally:
        if own_cluster is not None:
            client.close()
            own_cluster.close()

    results.sort(key=lambda r: r["first"])
    records = [rec for r in results for rec in r["records"]]
    errs = [e for r in results for e in r["errors"]]
    small = {"reports": records_frame("reports", records), "errors": records_frame("errors", errs)}
    schema = schema_of(small)
    for name, df in small.items():
        d = out_dir / name
        d.mkdir(parents=True, exist_ok=True)
        df.to_parquet(d / "part-000000.parquet", index=False)
    names = list(TABLE_NAMES)
    for r in results:
        names += [n for n in r["tables"] if n not in names]
    for name in names:
        (out_dir / name).mkdir(parents=True, exist_ok=True)
        specs = [r["tables"][name] for r in results if name in r["tables"]]
        if not specs:
            schema["tables"][name] = schema_of({name: empty_table(name)})["tables"][name]
            continue
        first = next((s for s in specs if s["rows"]), specs[0])
        cols = [dict(c) for c in first["columns"]]
        for c in cols:
            if c["dtype"] == "category":
                cats = set()
                for s in specs:
                    for sc in s["columns"]:
                        if sc["name"] == c["name"]:
                            cats.update(sc.get("categories", []))
                c["categories"] = sorted(cats)
        schema["tables"][name] = {"columns": cols, "rows": sum(s["rows"] for s in specs)}
    schema["storage"] = "parquet-partitioned"
    write_json(out_dir / SCHEMA_FILE, schema)
    corpus = Corpus(read_tables(out_dir))
    corpus.path = out_dir  # type: ignore[attr-defined]
    return corpus
