"""Batch extraction over a stream of inputs: ordered, resumable, parallel, failure-tolerant.

Documents flow in chunks to one or more workers (each loads the model once) and results
are written in input order, one whole line per document, flushed after every chunk. With
``resume`` the ids already in the output are skipped; a line cut short by an interruption
is removed first, so a killed run continues without duplicates or gaps. Failures go to
``<output>.errors.jsonl`` with the input's name and the reason.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import InputError
from .inputs import InputFailure, Item
from .keyphrase import Keyphrase

CHUNK = 32
FORMATS = ("jsonl", "csv")


@dataclass(frozen=True)
class BatchOptions:
    model: str | None = None
    top_k: int | None = 10
    min_score: float = 0.0
    workers: int = 1  # processes, one core each; 0 = one per CPU core
    fmt: str = "jsonl"
    resume: bool = False
    chunk_size: int = CHUNK
    engine: str = "local"  # local processes, or "dask"


@dataclass(frozen=True)
class BatchSummary:
    done: int
    failed: int
    skipped: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.done / self.seconds if self.seconds > 0 else 0.0


def errors_path(output: Path) -> Path:
    return output.with_name(output.name + ".errors.jsonl")


# --- worker side -------------------------------------------------------------------------

Results = list[tuple[str, list[Keyphrase] | None, str | None]]


def extract_chunk(extractor: Any, chunk: list[tuple[str, str]], top_k: int | None, min_score: float) -> Results:
    """Keyphrases of a chunk; a document that fails is retried alone and reported alone."""
    texts = [text for _, text in chunk]
    try:
        results = extractor.extract_batch(texts, top_k=top_k, min_score=min_score)
        return [(doc_id, r, None) for (doc_id, _), r in zip(chunk, results)]
    except Exception:  # isolate the failing document below; the others must not be lost
        out: Results = []
        for doc_id, text in chunk:
            try:
                out.append((doc_id, extractor.extract(text, top_k=top_k, min_score=min_score), None))
            except Exception as err:  # reported with the document's id, never swallowed
                out.append((doc_id, None, f"extraction failed: {type(err).__name__}: {err}"))
        return out


# Each pool worker process holds its own model, loaded once by the pool's initializer.
_POOL_MODEL: dict[str, Any] = {}


def _init_pool_worker(model: str | None) -> None:
    import torch

    from .serialization import load

    torch.set_num_threads(1)  # one process per core
    _POOL_MODEL["extractor"] = load(model)


def _pool_chunk(chunk: list[tuple[str, str]], top_k: int | None, min_score: float) -> Results:
    return extract_chunk(_POOL_MODEL["extractor"], chunk, top_k, min_score)


# --- output side -------------------------------------------------------------------------


def to_record(doc_id: Any, keyphrases: list[Keyphrase]) -> dict[str, Any]:
    """The output record of one document: its id and keyphrases with scores and offsets."""
    items = [{"text": k.text, "score": k.score, "start": k.start, "end": k.end} for k in keyphrases]
    return {"id": doc_id, "keyphrases": items}


def format_record(doc_id: str, keyphrases: list[Keyphrase], fmt: str) -> str:
    """One output line (with its newline) for a document."""
    if fmt == "jsonl":
        return json.dumps(to_record(doc_id, keyphrases), ensure_ascii=False) + "\n"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(
        [doc_id, "; ".join(k.text for k in keyphrases), "; ".join(f"{k.score:.6f}" for k in keyphrases),
         "; ".join(f"{k.start}-{k.end}" for k in keyphrases)]
    )
    return buffer.getvalue()


CSV_HEADER = "id,keyphrases,scores,offsets\n"


def completed_ids(output: Path, fmt: str) -> set[str]:
    """Ids already written to ``output``; a last line cut short by a crash is truncated away."""
    if not output.exists():
        return set()
    data = output.read_bytes()
    keep = data.rfind(b"\n") + 1  # everything after the last newline is an unfinished line
    if keep < len(data):
        with output.open("r+b") as handle:
            handle.truncate(keep)
        data = data[:keep]
    text = data.decode("utf-8")
    ids: set[str] = set()
    if fmt == "jsonl":
        for line in text.splitlines():
            if line.strip():
                ids.add(str(json.loads(line)["id"]))
    else:
        rows = csv.reader(io.StringIO(text))
        next(rows, None)
        ids.update(row[0] for row in rows if row)
    return ids


def _chunks(items: Iterable[Item], size: int, skip: set[str], on_skip: Callable[[], None],
            on_failure: Callable[[InputFailure], None]) -> Iterator[list[tuple[str, str]]]:
    chunk: list[tuple[str, str]] = []
    for item in items:
        if isinstance(item, InputFailure):
            on_failure(item)
            continue
        if item.id in skip:
            on_skip()
            continue
        chunk.append((item.id, item.text))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


Submit = Callable[[list[tuple[str, str]]], Callable[[], Results]]


@contextmanager
def _executor(options: BatchOptions, scheduler: str | None) -> Iterator[tuple[Submit, int]]:
    """Where chunks run: in this process, a local process pool, or a Dask cluster.

    Yields ``submit(chunk) -> wait()`` and how many chunks can run at once.
    """
    args = (options.top_k, options.min_score)
    if options.engine == "dask":
        from .dask import dask_executor

        with dask_executor(options.model, options.workers, scheduler, args) as executor:
            yield executor
    elif options.workers == 1:
        import torch

        from .serialization import load

        extractor = load(options.model)
        threads = torch.get_num_threads()
        torch.set_num_threads(1)  # one worker is one core, as in the pool below
        try:
            yield (lambda chunk: (lambda result=extract_chunk(extractor, chunk, *args): result)), 1
        finally:
            torch.set_num_threads(threads)
    else:
        context = multiprocessing.get_context("spawn")
        with context.Pool(options.workers, _init_pool_worker, (options.model,)) as pool:
            yield (lambda chunk: pool.apply_async(_pool_chunk, (chunk, *args)).get), options.workers


def run_batch(
    items: Iterable[Item],
    output: Path,
    options: BatchOptions = BatchOptions(),
    on_progress: Callable[[int], None] | None = None,
    on_failure: Callable[[InputFailure], None] | None = None,
    scheduler: str | None = None,
) -> BatchSummary:
    """Extract keyphrases for every document in ``items`` and write them to ``output``.

    ``scheduler`` is a Dask scheduler address for ``engine="dask"`` (none: a local cluster).
    """
    if options.fmt not in FORMATS:
        raise InputError(f"output format must be one of {FORMATS}, got {options.fmt!r}")
    if options.engine not in ("local", "dask"):
        raise InputError(f"engine must be 'local' or 'dask', got {options.engine!r}")
    if options.workers < 0:
        raise InputError(f"--workers must be 0 (one per CPU core) or more, got {options.workers}")
    if options.workers == 0:
        options = replace(options, workers=os.cpu_count() or 1)
    started = time.time()
    output.parent.mkdir(parents=True, exist_ok=True)
    done_ids = completed_ids(output, options.fmt) if options.resume else set()
    counts = {"done": 0, "failed": 0, "skipped": 0}
    progress = on_progress or (lambda n: None)
    report = on_failure or (lambda failure: None)

    with output.open("a" if options.resume else "w", encoding="utf-8") as out, errors_path(output).open(
        "w", encoding="utf-8"
    ) as errors:
        if options.fmt == "csv" and out.tell() == 0:
            out.write(CSV_HEADER)

        def fail(failure: InputFailure) -> None:
            counts["failed"] += 1
            errors.write(json.dumps({"input": failure.id, "reason": failure.reason}, ensure_ascii=False) + "\n")
            errors.flush()
            report(failure)
            progress(1)

        def skip() -> None:
            counts["skipped"] += 1
            progress(1)

        def write(results: Results) -> None:
            for doc_id, keyphrases, error in results:
                if keyphrases is None:
                    fail(InputFailure(doc_id, error or "unknown failure"))
                else:
                    out.write(format_record(doc_id, keyphrases, options.fmt))
                    counts["done"] += 1
                    progress(1)
            out.flush()

        chunks = _chunks(items, options.chunk_size, done_ids, skip, fail)
        with _executor(options, scheduler) as (submit, parallelism):
            pending: deque[Callable[[], Results]] = deque()
            for chunk in chunks:
                pending.append(submit(chunk))
                while len(pending) >= parallelism * 3:  # bounded: never the whole input in flight
                    write(pending.popleft()())
            while pending:
                write(pending.popleft()())
    return BatchSummary(counts["done"], counts["failed"], counts["skipped"], time.time() - started)
