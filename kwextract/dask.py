"""Dask helpers: keyphrases for corpora spread over a cluster.

- ``extract_bag(bag)``: a Dask Bag of texts or ``{"id", "text"}`` records → a Bag of
  ``{"id", "keyphrases"}`` records; ``to_jsonl(records, "out/*.jsonl")`` streams them to
  one JSON Lines file per partition (every record ends with a newline, so ``cat out/*.jsonl``
  is valid JSON Lines; Dask's own ``to_textfiles`` leaves the last line of a file open).
- ``keyphrases_column(partition)``: for ``dask.dataframe.map_partitions``.
- ``dask_executor``: what ``kwextract batch --engine dask`` runs on.

Each worker process loads the model once (cached per process). The model must be
importable there: the bundled model comes with ``pip install kwextract`` on the workers,
a custom model directory must be on a path every worker can read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from .batch import extract_chunk, extract_texts, to_record
from .extractor import Extractor
from .serialization import load


@lru_cache(maxsize=2)
def worker_model(model: str | None, lang: str | None = None, precision: str = "float32") -> Extractor:
    """The model, loaded once per worker process (reading texts of ``lang``, its encoder in
    ``precision``: load()'s)."""
    return load(model, lang=lang, precision=precision)


def extract_partition(records: list[Any], model: str | None = None, top_k: int | None = 10,
                      min_score: float = 0.0, id_field: str = "id", text_field: str = "text",
                      lang: str | None = None, precision: str = "float32",
                      distinct: bool = False) -> list[dict[str, Any]]:
    """Keyphrase records for one partition of texts or dict records (``distinct``: no phrase inside another)."""
    records = list(records)
    texts = [r if isinstance(r, str) else r[text_field] for r in records]
    ids = [None if isinstance(r, str) else r.get(id_field) for r in records]
    results, langs = extract_texts(worker_model(model, lang, precision), texts, top_k, min_score, distinct)
    return [to_record(i, kps, read_in) for i, kps, read_in in zip(ids, results, langs)]  # lang="auto": each's


def extract_bag(bag: Any, model: str | None = None, top_k: int | None = 10, min_score: float = 0.0,
                id_field: str = "id", text_field: str = "text", lang: str | None = None,
                precision: str = "float32", distinct: bool = False) -> Any:
    """A Bag of keyphrase records, one per input element, partition by partition; ``lang``
    is the texts' language (ISO 639-1), by default the model's; ``precision`` as in load();
    ``distinct``: no phrase inside another."""
    return bag.map_partitions(extract_partition, model=model, top_k=top_k, min_score=min_score,
                              id_field=id_field, text_field=text_field, lang=lang, precision=precision,
                              distinct=distinct)


def to_jsonl(records: Any, pattern: str) -> Any:
    """Write a Bag of records as JSON Lines, one file per partition (``pattern`` holds a ``*``),
    every record on its own newline-terminated line; returns the files written."""
    return records.map_partitions(_jsonl_text).to_textfiles(pattern)


def _jsonl_text(partition: Iterable[Any]) -> list[str]:
    """A partition's records as one text (Dask writes each element and joins them with newlines)."""
    return ["".join(json.dumps(record, ensure_ascii=False) + "\n" for record in partition)]


def keyphrases_column(partition: Any, text_column: str = "text", model: str | None = None,
                      top_k: int | None = 10, lang: str | None = None, precision: str = "float32",
                      distinct: bool = False) -> Any:
    """For ``ddf.map_partitions(keyphrases_column, meta=("keyphrases", object))``: a Series of
    keyphrase lists (dicts with text, score, start, end) aligned with the partition's rows."""
    texts = list(partition[text_column])
    results = worker_model(model, lang, precision).extract_batch(texts, top_k=top_k, distinct=distinct)
    values = [to_record(None, kps)["keyphrases"] for kps in results]
    return partition[text_column].__class__(values, index=partition.index, name="keyphrases")


def _run_chunk(chunk: list[tuple[str, str]], model: str | None, lang: str | None, precision: str,
               top_k: int | None, min_score: float, distinct: bool = False) -> list:
    return extract_chunk(worker_model(model, lang, precision), chunk, top_k, min_score, distinct)


SCHEDULER_TIMEOUT = 10  # seconds to wait for a --scheduler to answer


@contextmanager
def dask_executor(model: str | None, workers: int, scheduler: str | None, args: tuple,
                  lang: str | None = None, precision: str = "float32") -> Iterator[tuple[Any, int]]:
    """Submit chunks to a Dask cluster: the given scheduler, or a local cluster of ``workers``.

    A chunk whose worker dies is recomputed elsewhere by Dask; results are written by the
    caller in input order, so every document lands exactly once.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:  # an optional extra
        from .errors import KwextractError

        raise KwextractError("the dask engine needs the extra: pip install 'kwextract[dask]'") from err
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as err:  # refused, unreachable, or not an address
            from .errors import InputError

            raise InputError(f"{scheduler}: cannot reach a Dask scheduler there within {SCHEDULER_TIMEOUT} s "
                             f"({type(err).__name__}: {err}); start one with 'dask scheduler' or check the address") from err
    try:
        parallelism = max(workers, len(client.scheduler_info().get("workers", {})), 1)

        def submit(chunk: list[tuple[str, str]]) -> Any:
            return client.submit(_run_chunk, chunk, model, lang, precision, *args, pure=False).result

        yield submit, parallelism
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
