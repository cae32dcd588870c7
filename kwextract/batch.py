"""Batch extraction over a stream of inputs: ordered, resumable, parallel, failure-tolerant.

Documents flow in chunks to one or more workers (each loads the model once) and results
are written in input order, one whole record per document, flushed after every chunk. With
``resume`` the records already in the output are skipped (counted, so documents that share
an id are each skipped once); a record cut short by an interruption is removed first, so a
killed run continues without duplicates or gaps. Failures go to ``<output>.errors.jsonl``
with the input's name and the reason.

One process writes an output at a time (``<output>.lock`` holds its pid). The model is
loaded in this process before any worker starts, so a bad model is one clear error; a
worker that dies has its chunks recomputed by a fresh pool, and a chunk that kills its
worker twice is reported as failed, document by document.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import time
import warnings
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .config import check_extract_options, check_precision_name
from .errors import InputError
from .language import AUTO, check_reading_language
from .inputs import InputFailure, Item
from .keyphrase import Keyphrase

CHUNK = 32
CHUNK_ATTEMPTS = 2  # a chunk whose worker dies this many times is reported as failed
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
    lang: str | None = None  # the texts' language (ISO 639-1); None: the model's
    precision: str = "float32"  # the encoder's number type: load()'s precision
    distinct: bool = False  # no keyphrase inside another (distinct.py)

    def __post_init__(self) -> None:
        if isinstance(self.workers, bool) or not isinstance(self.workers, int) or self.workers < 0:
            raise InputError(f"workers must be a whole number, 0 (one per core) or more; got {self.workers!r}")
        if isinstance(self.chunk_size, bool) or not isinstance(self.chunk_size, int) or self.chunk_size < 1:
            raise InputError(f"chunk_size must be a whole number of at least 1; got {self.chunk_size!r}")
        check_extract_options(self.top_k, self.min_score)
        if self.lang is not None:
            object.__setattr__(self, "lang", check_reading_language(self.lang))
        check_precision_name(self.precision)


@dataclass(frozen=True)
class BatchSummary:
    done: int
    failed: int
    skipped: int
    seconds: float
    duplicate_ids: int = 0  # documents whose id an earlier document of the input already had

    @property
    def per_second(self) -> float:
        return self.done / self.seconds if self.seconds > 0 else 0.0


def errors_path(output: Path) -> Path:
    return output.with_name(output.name + ".errors.jsonl")


def check_output(inputs: Sequence[Path], output: Path) -> None:
    """Refuse inputs that do not exist (a typo is a usage error, before anything runs), and an
    output that would destroy or feed an input, or that cannot be a file."""
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        raise InputError(f"no such input: {', '.join(missing)}")
    if output.is_dir():
        raise InputError(f"{output}: is a directory; --output takes a file path, e.g. {output / 'keyphrases.jsonl'}")
    for parent in output.parents:
        if parent.exists() and not parent.is_dir():
            raise InputError(f"{output}: cannot be written, {parent} is a file, not a folder")
    target = output.resolve()
    for source in inputs:
        if source.exists() and source.resolve() == target:
            raise InputError(f"{output}: is also an input; writing it would destroy it. Choose another output file")
        if source.is_dir() and source.resolve() in target.parents:
            raise InputError(f"{output}: lies inside the input folder {source}, so the output would be read as input; "
                             "write it elsewhere")


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold ``<output>.lock`` (an exclusive lock, with this process's pid) while writing ``output``,
    so that two runs never write one file. Where file locks are unavailable, nothing is locked."""
    try:
        import fcntl
    except ImportError:  # Windows: no fcntl; the run proceeds unlocked
        yield
        return
    path = output.with_name(output.name + ".lock")
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise InputError(f"{output}: another kwextract batch (process {holder}) is writing it; wait for it to "
                             "finish or choose another output file") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            path.unlink(missing_ok=True)
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- worker side -------------------------------------------------------------------------

# (id, keyphrases or None, why it failed or None, the language it was read in when the model
# reads each text in its own, lang="auto", else None)
Results = list[tuple[str, list[Keyphrase] | None, str | None, str | None]]


def extract_chunk(extractor: Any, chunk: list[tuple[str, str]], top_k: int | None, min_score: float,
                  distinct: bool = False) -> Results:
    """Keyphrases of a chunk; a document that fails is retried alone and reported alone."""
    texts = [text for _, text in chunk]
    try:
        results, langs = extract_texts(extractor, texts, top_k, min_score, distinct)
        return [(doc_id, r, None, lang) for (doc_id, _), r, lang in zip(chunk, results, langs)]
    except Exception:  # isolate the failing document below; the others must not be lost
        out: Results = []
        for doc_id, text in chunk:
            try:
                results, langs = extract_texts(extractor, [text], top_k, min_score, distinct)
                out.append((doc_id, results[0], None, langs[0]))
            except Exception as err:  # reported with the document's id, never swallowed
                out.append((doc_id, None, f"extraction failed: {type(err).__name__}: {err}", None))
        return out


def extract_texts(extractor: Any, texts: list[str], top_k: int | None, min_score: float,
                  distinct: bool) -> tuple[list[list[Keyphrase]], list[str | None]]:
    """Each text's keyphrases, and the language each was read in if the model reads each text
    in its own (``lang="auto"``; else None each): batch records say which."""
    check_extract_options(top_k, min_score)
    tokens = extractor.tokenize(texts)
    auto = getattr(extractor.tokenizer, "lang", None) == AUTO
    return (extractor.extract_tokenized(tokens, top_k, min_score, distinct=distinct),
            [t.lang if auto else None for t in tokens])


# Each pool worker process holds its own model, loaded once by the pool's initializer.
_POOL_MODEL: dict[str, Any] = {}


def _init_pool_worker(model: str | None, lang: str | None, precision: str, parent: int) -> None:
    _exit_with_parent(parent)  # first: the parent may die while this worker still imports torch
    import torch

    from .serialization import load

    torch.set_num_threads(1)  # one process per core
    # a library warning (a text in another language) as one line on stderr, as the command line shows it
    warnings.formatwarning = lambda message, category, *args, **kwargs: f"warning: {message}\n"
    _POOL_MODEL["extractor"] = load(model, lang=lang, precision=precision)


def _exit_with_parent(parent: int, every: float = 1.0) -> None:
    """End this worker when ``parent``, the batch process that started it, is gone (killed
    with -9, say): a worker blocked waiting for work would otherwise live on, holding a model
    in memory. Its parent is then no longer ``parent`` (the orphan is adopted by init)."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="kwextract-parent-watch", daemon=True).start()


def _pool_chunk(chunk: list[tuple[str, str]], top_k: int | None, min_score: float, distinct: bool = False) -> Results:
    return extract_chunk(_POOL_MODEL["extractor"], chunk, top_k, min_score, distinct)


# --- output side -------------------------------------------------------------------------


def to_record(doc_id: Any, keyphrases: list[Keyphrase], lang: str | None = None) -> dict[str, Any]:
    """The output record of one document: its id and keyphrases with scores and offsets, and
    the language it was read in when each text is read in its own (``--lang auto``)."""
    items = [{"text": k.text, "score": k.score, "start": k.start, "end": k.end} for k in keyphrases]
    return {"id": doc_id, "keyphrases": items, **({"lang": lang} if lang is not None else {})}


def format_record(doc_id: str, keyphrases: list[Keyphrase], fmt: str, lang: str | None = None) -> str:
    """One output line (with its newline) for a document; ``lang`` (``--lang auto``) is a JSONL
    field, or the last CSV column (``csv_header(auto=True)``)."""
    if fmt == "jsonl":
        return json.dumps(to_record(doc_id, keyphrases, lang), ensure_ascii=False) + "\n"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(
        [doc_id, "; ".join(k.text for k in keyphrases), "; ".join(f"{k.score:.6f}" for k in keyphrases),
         "; ".join(f"{k.start}-{k.end}" for k in keyphrases), *([lang] if lang is not None else [])]
    )
    return buffer.getvalue()


CSV_HEADER = "id,keyphrases,scores,offsets\n"


def csv_header(auto: bool = False) -> str:
    """The first line of a CSV output; with ``--lang auto`` each row also names its text's language."""
    return CSV_HEADER.replace("\n", ",lang\n") if auto else CSV_HEADER


def _complete_length(data: bytes, fmt: str) -> int:
    """Bytes of ``data`` that hold complete records: up to the last newline that ends a record.
    In CSV a newline inside a quoted field does not end one (quotes toggle; an escaped ``""``
    toggles twice), so a record cut inside a multi-line field is dropped whole."""
    if fmt != "csv":
        return data.rfind(b"\n") + 1  # JSON escapes newlines inside strings
    end, quoted = 0, False
    for i, byte in enumerate(data):
        if byte == 0x22:  # "
            quoted = not quoted
        elif byte == 0x0A and not quoted:
            end = i + 1
    return end


def completed_ids(output: Path, fmt: str, auto: bool = False) -> Counter[str]:
    """How many records of each id ``output`` already holds; a last record cut short by a crash
    is truncated away first. A record that cannot be parsed is an error naming file and line, and
    so is a CSV whose header is not the one this run writes (``auto``: with a lang column)."""
    if not output.exists():
        return Counter()
    data = output.read_bytes()
    keep = _complete_length(data, fmt)
    if keep < len(data):
        with output.open("r+b") as handle:
            handle.truncate(keep)
        data = data[:keep]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{output}: not UTF-8 at byte {err.start}; --resume continues only outputs of kwextract batch") from err
    ids: Counter[str] = Counter()
    if fmt == "jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                ids[str(record["id"])] += 1
            except (json.JSONDecodeError, TypeError, KeyError) as err:
                raise InputError(f"{output}:{number}: not a kwextract batch record ({type(err).__name__}: {err}); "
                                 "--resume continues only JSONL outputs of kwextract batch with --format jsonl") from err
    else:
        rows = csv.reader(io.StringIO(text, newline=""))
        header = next(rows, None)
        if header is not None and header == csv_header(not auto).strip().split(","):
            raise InputError(f"{output}:1: written {'without' if auto else 'with'} --lang auto (its header: "
                             f"{','.join(header)}); resume it with the same --lang, or write a new output")
        if header is not None and header != csv_header(auto).strip().split(","):
            raise InputError(f"{output}:1: not a kwextract batch CSV header ({','.join(header)}); --resume continues "
                             "only CSV outputs of kwextract batch with --format csv")
        ids.update(row[0] for row in rows if row)
    return ids


def _chunks(items: Iterable[Item], size: int, skip: Counter[str], on_skip: Callable[[], None],
            on_failure: Callable[[InputFailure], None], seen: Counter[str]) -> Iterator[list[tuple[str, str]]]:
    """Chunks of ``size`` documents; each record already written (``skip``) skips one document of
    its id, and ``seen`` counts every id, so that duplicates can be reported."""
    chunk: list[tuple[str, str]] = []
    for item in items:
        if isinstance(item, InputFailure):
            on_failure(item)
            continue
        seen[item.id] += 1
        if skip[item.id] > 0:
            skip[item.id] -= 1
            on_skip()
            continue
        chunk.append((item.id, item.text))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


Submit = Callable[[list[tuple[str, str]]], Callable[[], Results]]


class _RestartingPool:
    """A process pool whose chunks survive a worker's death: when a worker dies (killed, out of
    memory), every chunk not yet collected is submitted again to a fresh pool; a chunk that was
    in flight when workers died ``CHUNK_ATTEMPTS`` times comes back as failed documents."""

    def __init__(self, model: str | None, lang: str | None, precision: str, workers: int,
                 args: tuple[Any, ...]) -> None:
        self.model, self.lang, self.precision, self.workers, self.args = model, lang, precision, workers, args
        self.pool = self._start()
        self.futures: dict[int, Any] = {}
        self.chunks: dict[int, list[tuple[str, str]]] = {}
        self.attempts: Counter[int] = Counter()
        self.submitted = 0

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, multiprocessing.get_context("spawn"), _init_pool_worker,
                                   (self.model, self.lang, self.precision, os.getpid()))

    def submit(self, chunk: list[tuple[str, str]]) -> Callable[[], Results]:
        key = self.submitted
        self.submitted += 1
        self.chunks[key] = chunk
        try:
            self.futures[key] = self.pool.submit(_pool_chunk, chunk, *self.args)
        except BrokenProcessPool:  # a worker died since the last chunk went in: submit to a fresh pool
            self._restart()
            self.futures[key] = self.pool.submit(_pool_chunk, chunk, *self.args)
        return lambda: self._collect(key)

    def _collect(self, key: int) -> Results:
        while True:
            try:
                result = self.futures[key].result()
                break
            except BrokenProcessPool:
                self._restart()
                if self.attempts[key] >= CHUNK_ATTEMPTS:
                    result = [(doc_id, None, f"worker process died {CHUNK_ATTEMPTS} times while extracting this "
                               "chunk (killed, or out of memory)", None) for doc_id, _ in self.chunks[key]]
                    break
        del self.futures[key], self.chunks[key]
        return result

    def _restart(self) -> None:
        """A fresh pool; every chunk not yet collected is submitted to it again, in order."""
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._start()
        for key in sorted(self.futures):
            future = self.futures[key]
            if future.done() and not future.cancelled() and future.exception() is None:
                continue  # finished before the pool broke: its result stands
            self.attempts[key] += 1
            if self.attempts[key] < CHUNK_ATTEMPTS:
                self.futures[key] = self.pool.submit(_pool_chunk, self.chunks[key], *self.args)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _executor(options: BatchOptions, scheduler: str | None) -> Iterator[tuple[Submit, int]]:
    """Where chunks run: in this process, a local process pool, or a Dask cluster.

    Yields ``submit(chunk) -> wait()`` and how many chunks can run at once.
    """
    args = (options.top_k, options.min_score, options.distinct)
    if options.engine == "dask":
        from .dask import dask_executor

        with dask_executor(options.model, options.workers, scheduler, args, options.lang,
                           options.precision) as executor:
            yield executor
    elif options.workers == 1:
        import torch

        from .serialization import load

        extractor = load(options.model, lang=options.lang, precision=options.precision)
        threads = torch.get_num_threads()
        torch.set_num_threads(1)  # one worker is one core, as in the pool below
        try:
            yield (lambda chunk: (lambda result=extract_chunk(extractor, chunk, *args): result)), 1
        finally:
            torch.set_num_threads(threads)
    else:
        from .serialization import load

        # a bad model or language: one clear error, before any worker (and one warning for emulated bfloat16)
        load(options.model, lang=options.lang, precision=options.precision)
        pool = _RestartingPool(options.model, options.lang, options.precision, options.workers, args)
        try:
            yield pool.submit, options.workers
        finally:
            pool.close()


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
    check_extract_options(options.top_k, options.min_score, options.chunk_size)
    if options.fmt not in FORMATS:
        raise InputError(f"output format must be one of {FORMATS}, got {options.fmt!r}")
    if options.engine not in ("local", "dask"):
        raise InputError(f"engine must be 'local' or 'dask', got {options.engine!r}")
    if options.workers < 0:
        raise InputError(f"--workers must be 0 (one per CPU core) or more, got {options.workers}")
    if options.workers == 0:
        options = replace(options, workers=available_cores())
    started = time.time()
    output.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(output):
        return _run_locked(items, output, options, on_progress, on_failure, scheduler, started)


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, which containers and taskset narrow),
    not all the machine's."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _run_locked(items: Iterable[Item], output: Path, options: BatchOptions,
                on_progress: Callable[[int], None] | None, on_failure: Callable[[InputFailure], None] | None,
                scheduler: str | None, started: float) -> BatchSummary:
    auto = options.lang == AUTO
    done_ids = completed_ids(output, options.fmt, auto) if options.resume else Counter()
    seen: Counter[str] = Counter()
    counts = {"done": 0, "failed": 0, "skipped": 0}
    progress = on_progress or (lambda n: None)
    report = on_failure or (lambda failure: None)

    with output.open("a" if options.resume else "w", encoding="utf-8", newline="") as out, errors_path(output).open(
        "w", encoding="utf-8"
    ) as errors:
        if options.fmt == "csv" and out.tell() == 0:
            out.write(csv_header(auto))

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
            for doc_id, keyphrases, error, lang in results:
                if keyphrases is None:
                    fail(InputFailure(doc_id, error or "unknown failure"))
                else:
                    out.write(format_record(doc_id, keyphrases, options.fmt, lang))
                    counts["done"] += 1
                    progress(1)
            out.flush()

        chunks = _chunks(items, options.chunk_size, done_ids, skip, fail, seen)
        with _executor(options, scheduler) as (submit, parallelism):
            pending: deque[Callable[[], Results]] = deque()
            for chunk in chunks:
                pending.append(submit(chunk))
                while len(pending) >= parallelism * 3:  # bounded: never the whole input in flight
                    write(pending.popleft()())
            while pending:
                write(pending.popleft()())
    duplicates = sum(n - 1 for n in seen.values())
    return BatchSummary(counts["done"], counts["failed"], counts["skipped"], time.time() - started, duplicates)
