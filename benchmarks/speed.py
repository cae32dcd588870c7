"""CPU speed of kwextract's default model (and its single-tagger variant, ``load("fast")``)
beside YAKE (and KeyBERT where it runs offline).

    python benchmarks/speed.py [--data ../shared/datasets] [--limit-long 30] [--startup-only] [--changes-only]
        [--alternating-only] [--rounds 5] [--stages-only] [--against CHECKOUT] [--options-only]
        [--engines kwextract kwextract-fast kwextract-int8 kwextract-bf16 kwextract-fast-bf16 yake keybert]

Each engine runs in its own fresh process so that peak memory (RSS) and time to first
result are its own. Figures: documents/s and tokens/s one document at a time and batched,
time to first result (import + load + one document, and each of the three), peak RSS, and
tokens/s by document length. Tokens are kwextract's (spaCy) tokens, the same count for every
engine. The per-core comparison is also made with the engines taking turns, a process each,
round after round (``--rounds``): on a machine whose speed drifts, one pass per fresh
process can be off by a fifth either way, while both sides of a round drift alike.
``--against CHECKOUT`` adds each kwextract engine as the code of another checkout runs it
(``NAME@before``), in the same rounds: how much a change gained, on a machine that drifts.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

BUCKETS = ((0, 200), (200, 1000), (1000, 4000), (4000, 10**9))


def _texts(path: Path, limit: int | None) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle]
    return texts[:limit] if limit else texts


def _engine(name: str, model: str | None):
    """A function texts → keyphrase lists, and its batch variant."""
    if name in ("kwextract", "kwextract-int8", "kwextract-fast", "kwextract-bf16", "kwextract-fast-bf16"):
        import kwextract

        # kwextract-fast: the bundled model's single-tagger variant, whatever --model says;
        # -bf16: its recurrent encoder in bfloat16 (load(precision="bfloat16"))
        variant = name.split("-")[1:]
        extractor = kwextract.load("fast" if "fast" in variant else model, quantize="int8" in variant,
                                   precision="bfloat16" if "bf16" in variant else "float32")
        return (lambda t: extractor.extract(t, top_k=10)), (lambda ts: extractor.extract_batch(ts, top_k=10))
    if name == "yake":
        import yake

        kw = yake.KeywordExtractor(lan="en", n=3, top=10)
        one = lambda t: kw.extract_keywords(t)  # noqa: E731
        return one, (lambda ts: [one(t) for t in ts])
    if name == "keybert":
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from keybert import KeyBERT  # needs a sentence-transformers model already on disk

        kb = KeyBERT()
        return (lambda t: kb.extract_keywords(t, top_n=10)), (lambda ts: kb.extract_keywords(ts, top_n=10))
    raise ValueError(name)


def worker(args: argparse.Namespace) -> None:
    """Runs inside a fresh process: measures one engine on one file, prints JSON."""
    texts = _texts(Path(args.file), args.limit)
    started = time.perf_counter()
    importlib.import_module(args.engine.split("-")[0])  # each engine is named for its module
    imported = time.perf_counter()
    one, batch = _engine(args.engine, args.model)
    loaded = time.perf_counter()
    one(texts[0])
    done = time.perf_counter()
    first = done - started
    startup = {"import_s": imported - started, "load_s": loaded - imported, "first_doc_s": done - loaded}
    from kwextract.tokenize import Tokenizer

    tokenizer = Tokenizer()
    lengths = [len(t) for t in tokenizer.pipe(texts)]
    per_doc = []
    t0 = time.perf_counter()
    for text in texts:
        s = time.perf_counter()
        one(text)
        per_doc.append(time.perf_counter() - s)
    single = time.perf_counter() - t0
    t0, cpu0 = time.perf_counter(), time.process_time()
    batch(texts)
    batched, batched_cpu = time.perf_counter() - t0, time.process_time() - cpu0  # CPU: all threads' seconds
    # The same batch again (every engine, so each is equally warm) with torch on one thread, as each
    # `kwextract batch` worker and `kwextract extract` run it: with two threads, CPU seconds also
    # count the time one thread spends waiting for the other.
    torch = sys.modules.get("torch")
    threads = torch.get_num_threads() if torch else 1
    if torch:
        torch.set_num_threads(1)
    cpu0 = time.process_time()
    batch(texts)
    one_thread_cpu = time.process_time() - cpu0
    if torch:
        torch.set_num_threads(threads)
    buckets = {}
    for low, high in BUCKETS:
        chosen = [i for i, n in enumerate(lengths) if low <= n < high]
        if chosen:
            tokens = sum(lengths[i] for i in chosen)
            buckets[f"{low}-{high if high < 10**9 else ''}"] = (len(chosen), tokens / sum(per_doc[i] for i in chosen))
    print(json.dumps({
        "docs": len(texts), "tokens": sum(lengths), "single_s": single, "batch_s": batched, "batch_cpu_s": batched_cpu,
        "one_thread_cpu_s": one_thread_cpu,
        "first_result_s": first, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "buckets": buckets, **startup,
    }))


def stage_breakdown(data: Path, model: str | None) -> dict[str, float]:
    """Seconds per stage of ``extract_batch`` over Inspec test: where a batch's time goes.

    The stages are run one after another exactly as ``KeyphraseExtractor`` runs them; for an
    ensemble, every member's tagging stages add up (each member tags every text).
    """
    import torch

    import kwextract
    from kwextract.batching import Window, collate, length_batches
    from kwextract.tokenize import windows

    extractor = kwextract.load(model)
    texts = _texts(data / "inspec" / "test.jsonl", None)
    extractor.extract_batch(texts[:64])  # warm-up
    times: dict[str, float] = {}

    def timed(stage: str, fn):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        result = fn()
        times[stage] = times.get(stage, 0.0) + time.perf_counter() - started
        return result

    docs = timed("spaCy tokenizer + sentencizer", lambda: extractor.tokenizer.pipe(texts))
    for member in extractor.taggers:
        config = member.config
        arrays = timed("features (ids, chars, document features)", lambda: [member.featurize(d) for d in docs])
        groups = length_batches([Window(i, a, b) for i, d in enumerate(docs)
                                 for a, b in windows(d, config.window_tokens)], 64)
        tagger, crf = member.tagger, member.tagger.crf
        with torch.inference_mode():
            for group in groups:
                batch = timed("padding into tensors", lambda: collate(arrays, group))
                x = timed("embeddings + char CNN", lambda: tagger.embed(batch.word_ids, batch.char_ids, batch.features))
                out = timed("BiLSTM", lambda: tagger.run_encoder(x, batch.mask))
                emissions = tagger.emit(out)
                timed("CRF marginals + Viterbi", lambda: (crf.span_log_probs(emissions, batch.mask, config.max_span_tokens),
                                                          crf.viterbi(emissions, batch.mask)))
    spans, decoded = extractor.score_spans(docs)
    idf = extractor.word_idf()
    timed("ranking (merge, stem, phrase scorer, sort)",
          lambda: [extractor.rank(d, spans[i], decoded[i], 10, 0.0, idf) for i, d in enumerate(docs)])
    return times


def inference_changes(data: Path, model: str | None, repeats: int = 3) -> list[tuple[str, float, float]]:
    """CPU seconds, on one thread, of the fifteenth session's two inference changes against the
    code they replaced, on the same batches of Inspec test in this process, alternating
    ``repeats`` times (the best of each): the BiLSTM unpacked (each direction over the padded
    batch) against packed sequences, and distinct spellings found with numpy against
    ``torch.unique(dim=0)``. Day-to-day machine speed cancels out of each pair."""
    import torch
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    import kwextract
    from kwextract.batching import Window, collate, length_batches
    from kwextract.extractor import INFERENCE_BATCH_TOKENS
    from kwextract.model import _distinct_rows
    from kwextract.tokenize import windows

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    extractor = kwextract.load(model).taggers[0]
    tagger, config = extractor.tagger, extractor.config
    docs = extractor.tokenizer.pipe(_texts(data / "inspec" / "test.jsonl", None))
    arrays = [extractor.featurize(d) for d in docs]
    groups = length_batches([Window(i, a, b) for i, d in enumerate(docs) for a, b in windows(d, config.window_tokens)],
                            64, INFERENCE_BATCH_TOKENS)
    batches = [collate(arrays, g) for g in groups]

    def packed(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        sequences = pack_padded_sequence(x, mask.sum(1), batch_first=True, enforce_sorted=False)
        return pad_packed_sequence(tagger.encoder(sequences)[0], batch_first=True, total_length=x.shape[1])[0]

    with torch.inference_mode():
        inputs = [(tagger.embed(b.word_ids, b.char_ids, b.features), b.mask) for b in batches]
        rows = [b.char_ids.reshape(-1, b.char_ids.shape[2]) for b in batches]
        pairs = {
            "BiLSTM": (lambda: [tagger.run_encoder(x, m) for x, m in inputs], lambda: [packed(x, m) for x, m in inputs]),
            "distinct spellings": (lambda: [_distinct_rows(r) for r in rows],
                                   lambda: [torch.unique(r, dim=0, return_inverse=True) for r in rows]),
        }
        best = {name: [float("inf"), float("inf")] for name in pairs}
        for _ in range(repeats):
            for name, fns in pairs.items():
                for i, fn in enumerate(fns):
                    started = time.process_time()
                    fn()
                    best[name][i] = min(best[name][i], time.process_time() - started)
    torch.set_num_threads(threads)
    return [(name, now, before) for name, (now, before) in best.items()]


def _checkout(path: str | None) -> Path | None:
    """``--against``'s checkout root, once it is seen to hold a kwextract package."""
    if path is None:
        return None
    root = Path(path).resolve()
    if not (root / "kwextract" / "__init__.py").is_file():
        raise SystemExit(f"--against {path}: no kwextract package there (give a checkout's root)")
    return root


def _package_at(checkout: Path):  # noqa: ANN202  (a module)
    """The kwextract package of another checkout, imported beside this one as ``kwextract_before``
    (its modules import one another relatively, so the two never mix)."""
    import importlib.util

    root = checkout / "kwextract"
    spec = importlib.util.spec_from_file_location("kwextract_before", root / "__init__.py",
                                                  submodule_search_locations=[str(root)])
    package = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = package
    spec.loader.exec_module(package)
    return package


def stages_around_network(data: Path, against: Path | None, repeats: int = 3) -> dict[str, list[float]]:
    """CPU seconds, on one thread, of the stages around the network for ``load("fast")`` over
    Inspec test: tokenizing (by a tokenizer that has read the texts before, and by one that
    has read nothing), features, merging spans into candidates, phrase features, the
    phrase scorer's trees, the BiLSTM (on the network's input vectors, as inference runs it), the
    CRF's span marginals and best paths (on the network's emission scores); and the whole ``extract_batch`` (the network included), also of the bundled
    default model (an ensemble: every stage that is not shared runs once per tagger). With
    ``against`` (another checkout), each stage also runs as that code runs it, on the same
    inputs in this process, the two taking turns ``repeats`` times (the best of each): what a
    change to these stages gained, free of the machine's drift."""
    import torch

    import kwextract

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    extractor = kwextract.load("fast")
    texts = _texts(data / "inspec" / "test.jsonl", None)
    docs = extractor.tokenizer.pipe(texts)
    spans, decoded = extractor.score_spans(docs)
    idf, trees = extractor.word_idf(), extractor.phrase_scorer
    emitted: list[tuple[torch.Tensor, torch.Tensor]] = []  # each batch's mask and emission scores
    encoder_inputs: list[tuple[torch.Tensor, torch.Tensor]] = []  # each batch's mask and input vectors

    def keep(group, batch, emissions) -> None:  # noqa: ANN001
        emitted.append((batch.mask, emissions))
        with torch.inference_mode():
            encoder_inputs.append((batch.mask, extractor.tagger.embed(batch.word_ids, batch.char_ids, batch.features)))

    extractor.tag_windows(docs, 64, keep)

    def stages(package: str) -> dict[str, object]:
        """The stages as the package named ``package`` (this kwextract or the other) runs them,
        each on inputs of that package's own types (its isinstance checks would otherwise send
        the other's objects down a slower path)."""
        tokenize_, featurize_, ranking_, scoring, normalize_, crf_, model_ = (
            importlib.import_module(f"{package}.{module}")
            for module in ("tokenize", "featurize", "ranking", "phrase_scorer", "normalize", "crf", "model"))
        tokenizer = tokenize_.Tokenizer()
        unread = [tokenize_.Tokenizer() for _ in range(repeats)]  # one that has read nothing, for each round
        stems = [normalize_.stems_of(d) for d in docs]
        own_spans = [ranking_.SpanList(sp.starts, sp.ends, sp.probs) for sp in spans]
        found = [ranking_.candidates(d, s, sp, dc) for d, s, sp, dc in zip(docs, stems, own_spans, decoded)]
        features = [scoring.phrase_features(f, d, idf, s, trees.columns) for f, d, s in zip(found, docs, stems)]
        scorer = scoring.PhraseScorer(trees.feature, trees.threshold, trees.left, trees.right, trees.value,
                                      trees.bias, trees.depth)
        crf = crf_.ConstrainedCRF()
        crf.load_state_dict(extractor.tagger.crf.state_dict())
        longest = extractor.config.max_span_tokens

        def encoder_pass() -> None:  # the BiLSTM as inference runs it (model._padded_bilstm)
            with torch.inference_mode():
                for mask, x in encoder_inputs:
                    model_._padded_bilstm(extractor.tagger.encoder, x, mask.sum(1))

        def crf_pass() -> None:
            with torch.inference_mode():
                for mask, emissions in emitted:
                    crf.span_log_probs(emissions, mask, longest).exp()
                    crf.viterbi(emissions, mask)

        whole = importlib.import_module(package).load("fast")
        default = importlib.import_module(package).load()
        return {
            "tokenizer": lambda: tokenizer.pipe(texts),
            # every spelling new to it, as in a fresh process or a corpus of new words: spaCy makes
            # and stores a lexeme for each spelling it reads first
            "tokenizer, first reading": lambda: unread.pop().pipe(texts),
            "features": lambda: [featurize_.featurize(d, extractor.words, extractor.chars,
                                                      extractor.config.max_word_chars) for d in docs],
            "candidates": lambda: [ranking_.candidates(d, s, sp, dc)
                                   for d, s, sp, dc in zip(docs, stems, own_spans, decoded)],
            "phrase features": lambda: [scoring.phrase_features(f, d, idf, s, trees.columns)
                                        for f, d, s in zip(found, docs, stems)],
            "phrase scorer trees": lambda: [scorer.predict(x) for x in features],
            "BiLSTM": encoder_pass,
            "CRF spans and best paths": crf_pass,
            "whole extract_batch": lambda: whole.extract_batch(texts),
            "whole, default model": lambda: default.extract_batch(texts),
        }

    runs = {"now": stages("kwextract")}
    if against is not None:
        runs["before"] = stages(_package_at(against).__name__)
    best = {name: [float("inf")] * len(runs) for name in runs["now"]}
    for round_ in range(repeats):
        for name in best:
            turns = list(enumerate(runs.values()))
            for i, run in turns[round_ % 2:] + turns[:round_ % 2]:  # who goes first changes every round
                started = time.process_time()
                run[name]()
                best[name][i] = min(best[name][i], time.process_time() - started)
    torch.set_num_threads(threads)
    return best


def print_stages(args: argparse.Namespace) -> None:
    against = _checkout(args.against)
    print("\nstages around the network, load(\"fast\"), Inspec test, one thread, this process "
          f"(best of {args.rounds}{', alternating with the code in ' + str(against) if against else ''}; CPU s):")
    for name, seconds in stages_around_network(Path(args.data), against, args.rounds).items():
        line = f"  {name:<24} now {seconds[0]:.3f} s"
        if len(seconds) > 1:
            line += f", before {seconds[1]:.3f} s ({seconds[1] / seconds[0]:.2f}x)"
        print(line, flush=True)


def serve(args: argparse.Namespace) -> None:
    """Runs inside a fresh process holding one engine (torch on one thread): a batched pass
    over ``--file`` for each line read on stdin, answering with the pass's CPU seconds."""
    import torch

    torch.set_num_threads(1)
    texts = _texts(Path(args.file), None)
    importlib.import_module(args.engine.split("-")[0])
    _, batch = _engine(args.engine, args.model)
    batch(texts[:64])  # warm-up
    print("ready", flush=True)
    for _ in sys.stdin:
        started = time.process_time()
        batch(texts)
        print(time.process_time() - started, flush=True)


BEFORE = "@before"  # an engine name's suffix: the same engine run from the code given to --against


def alternating_per_core(data: Path, model: str | None, engines: list[str], rounds: int,
                         against: Path | None = None) -> dict[str, list[float]]:
    """CPU seconds of each engine's batched pass over Inspec test, ``rounds`` times, the engines
    taking turns (the order rotates every round). Each engine lives in a process of its own,
    which waits while another runs: a machine whose speed drifts (other processes, a noisy
    neighbour) slows both sides of a round alike, so the ratio within a round is steadier than
    one pass per fresh process, and no engine shares its heap (and garbage collector) with another.
    An engine named ``NAME@before`` is NAME imported from ``against`` (another checkout's root)."""
    file = data / "inspec" / "test.jsonl"
    workers = {}
    for name in engines:
        engine, env = name.removesuffix(BEFORE), None
        if name.endswith(BEFORE):
            env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(against), os.environ.get("PYTHONPATH", "")])}
        cmd = [sys.executable, __file__, "--serve", "--engine", engine, "--file", str(file)]
        workers[name] = subprocess.Popen(cmd + (["--model", model] if model else []), stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, text=True, env=env)
        if workers[name].stdout.readline().strip() != "ready":  # loaded one at a time, before any pass
            raise RuntimeError(f"{name}: its process did not start")
    seconds: dict[str, list[float]] = {name: [] for name in engines}
    try:
        for r in range(rounds):
            for name in engines[r % len(engines):] + engines[: r % len(engines)]:
                workers[name].stdin.write("run\n")
                workers[name].stdin.flush()
                seconds[name].append(float(workers[name].stdout.readline()))
    finally:
        for worker in workers.values():
            worker.stdin.close()
            worker.wait()
    return seconds


def print_alternating(args: argparse.Namespace) -> None:
    import statistics

    engines = [e for e in args.engines if e != "keybert"]
    if "yake" not in engines:
        return
    against = _checkout(args.against)
    if against is not None:
        engines += [e + BEFORE for e in engines if e.startswith("kwextract")]
    seconds = alternating_per_core(Path(args.data), args.model, engines, args.rounds, against)
    print(f"\nper core, the engines taking turns (a process each, torch on one thread), Inspec test batched, "
          f"{args.rounds} rounds{f'; @before: the code in {against}' if against else ''}:")
    for name in engines:
        cpu = seconds[name]
        line = f"  {name:<27} CPU s per pass: median {statistics.median(cpu):.2f} (min {min(cpu):.2f}, max {max(cpu):.2f})"
        if name != "yake":
            line += "; vs YAKE in the same round: " + _median_ratio(seconds["yake"], cpu)
        if name + BEFORE in seconds:
            line += f"; vs {name + BEFORE}: " + _median_ratio(seconds[name + BEFORE], cpu)
        print(line, flush=True)


def _median_ratio(reference: list[float], cpu: list[float]) -> str:
    """How many times faster than ``reference``, round by round: median (min, max)."""
    import statistics

    ratios = [r / c for r, c in zip(reference, cpu)]
    return f"median {statistics.median(ratios):.2f}x (min {min(ratios):.2f}x, max {max(ratios):.2f}x)"


def measure(engine: str, file: Path, limit: int | None, model: str | None) -> dict | str:
    cmd = [sys.executable, __file__, "--worker", "--engine", engine, "--file", str(file)]
    cmd += ["--limit", str(limit)] if limit else []
    cmd += ["--model", model] if model else []
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return (proc.stderr.strip().splitlines() or ["failed"])[-1][:100]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def cli_startup(repeats: int = 5) -> list[tuple[str, float]]:
    """Median wall time of ``repeats`` fresh processes of each light command: none of them
    imports torch or spaCy (tests/test_startup.py checks that; this times it)."""
    import shutil
    import statistics

    exe = shutil.which("kwextract") or str(Path(sys.executable).parent / "kwextract")
    completion = {**os.environ, "_KWEXTRACT_COMPLETE": "complete_bash", "COMP_WORDS": "kwextract ex", "COMP_CWORD": "1"}
    commands = [
        ("python -c pass (the interpreter alone)", [sys.executable, "-c", "pass"], None),
        ("kwextract --help", [exe, "--help"], None),
        ("kwextract --version", [exe, "--version"], None),
        ("python -m kwextract --help", [sys.executable, "-m", "kwextract", "--help"], None),
        ("shell completion of 'kwextract ex'", [exe], completion),
        ("kwextract extract --help", [exe, "extract", "--help"], None),
    ]
    medians = []
    for label, cmd, env in commands:
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - started)
        medians.append((label, statistics.median(times)))
    return medians


def print_cli_startup() -> None:
    print("\ncommand-line start-up, median of 5 fresh processes (no model is loaded):")
    for label, seconds in cli_startup():
        print(f"  {label:<42}{seconds:>6.3f} s")


def workers_scaling(data: Path, model: str | None, copies: int = 20, busy: bool = False) -> list[tuple[int, float]]:
    """docs/s of ``kwextract batch`` (whole command, start-up included) with 1 and 2 workers;
    with ``busy``, while a CPU-bound busy loop runs beside it in another process (a machine
    whose other core is taken: more workers must never make the batch slower)."""
    import shutil
    import tempfile

    exe = shutil.which("kwextract") or str(Path(sys.executable).parent / "kwextract")
    texts = _texts(data / "inspec" / "test.jsonl", None) * copies
    rates = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "docs.jsonl"
        source.write_text("".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
        neighbour = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if busy else None
        try:
            for workers in (1, 2):
                cmd = [exe, "batch", str(source), "-o", str(Path(tmp) / f"out{workers}.jsonl"), "-q", "-w", str(workers)]
                started = time.perf_counter()
                subprocess.run(cmd + (["-m", model] if model else []), check=True)
                rates.append((workers, len(texts) / (time.perf_counter() - started)))
        finally:
            if neighbour is not None:
                neighbour.kill()
                neighbour.wait()
    return rates


def reading_options(data: Path, model: str | None, limit: int = 100) -> list[tuple[str, float]]:
    """CPU seconds of ``extract_batch`` over the first ``limit`` Inspec test abstracts, one
    thread, with each reading option: the model's language or ``lang="auto"``, with and without
    ``distinct=True`` (what ``batch --lang auto --distinct`` costs beside a plain batch)."""
    import warnings

    import torch

    import kwextract

    torch.set_num_threads(1)
    texts = _texts(data / "inspec" / "test.jsonl", limit)
    rows = []
    for lang in (None, "auto"):
        extractor = kwextract.load(model, lang=lang)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            extractor.extract_batch(texts[:2], distinct=True)  # warm: spaCy and torch's first calls
            for distinct in (False, True):
                started = time.process_time()
                extractor.extract_batch(texts, distinct=distinct)
                rows.append((f"lang={lang or 'model'}, distinct={distinct}", time.process_time() - started))
    return rows


def print_reading_options(args: argparse.Namespace) -> None:
    print(f"\nreading options, {args.model or 'default'} model, first 100 Inspec test abstracts, one thread (CPU s):")
    for label, seconds in reading_options(Path(args.data), args.model):
        print(f"  {label:<32}{seconds:>7.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="../shared/datasets")
    parser.add_argument("--model", default=None)
    parser.add_argument("--limit-long", type=int, default=30, help="SemEval-2010 papers to time (all: 0)")
    parser.add_argument("--engines", nargs="*",
                        default=["kwextract", "kwextract-fast", "kwextract-int8", "yake", "keybert"])
    parser.add_argument("--skip-workers", action="store_true", help="skip the --workers 1 vs 2 measurement")
    parser.add_argument("--startup-only", action="store_true", help="only time the command line's start-up")
    parser.add_argument("--workers-only", action="store_true", help="only the --workers 1 vs 2 measurement")
    parser.add_argument("--changes-only", action="store_true",
                        help="only this session's inference changes against the code they replaced")
    parser.add_argument("--copies", type=int, default=20, help="copies of Inspec test for the workers measurement")
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds of the per-core measurement with the engines taking turns")
    parser.add_argument("--alternating-only", action="store_true",
                        help="only the per-core measurement with the engines taking turns")
    parser.add_argument("--options-only", action="store_true",
                        help="only what lang='auto' and distinct=True cost beside a plain batch")
    parser.add_argument("--stages-only", action="store_true",
                        help="only the CPU time of the stages around the network, best of --rounds "
                             "(with --against: beside the other checkout's code, on the same inputs)")
    parser.add_argument("--against", metavar="CHECKOUT",
                        help="with --alternating-only or --stages-only, also run each kwextract engine "
                             "or stage from this checkout of other code (e.g. git worktree add /tmp/before HEAD~1)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    if args.serve:
        serve(args)
        return
    if args.startup_only:
        print_cli_startup()
        return
    if args.workers_only:
        print_workers(args)
        return
    if args.changes_only:
        print_inference_changes(args)
        return
    if args.alternating_only:
        print_alternating(args)
        return
    if args.stages_only:
        print_stages(args)
        return
    if args.options_only:
        print_reading_options(args)
        return
    import torch

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"torch {torch.__version__} with {torch.get_num_threads()} threads, Python {platform.python_version()}")
    splits = [("inspec/test", None), ("semeval2010/test", args.limit_long or None)]
    results: dict[tuple[str, str], dict | str] = {}
    for split, limit in splits:
        for engine in args.engines:
            results[(split, engine)] = measure(engine, Path(args.data) / f"{split}.jsonl", limit, args.model)
    header = f"{'split':<18}{'engine':<20}{'docs/s 1-by-1':>14}{'docs/s batch':>13}{'tokens/s batch':>15}" \
             f"{'vs kwextract':>13}{'first result s':>15}{'peak RSS MB':>12}{'docs/CPU-s':>11}{'1 thread':>9}"
    print(header)
    for split, _ in splits:
        base = results.get((split, "kwextract"))
        for engine in args.engines:
            r = results[(split, engine)]
            if isinstance(r, str):
                print(f"{split:<18}{engine:<20} not available: {r}")
                continue
            batch_rate = r["docs"] / r["batch_s"]
            ratio = (batch_rate / (base["docs"] / base["batch_s"])) if isinstance(base, dict) else float("nan")
            print(f"{split:<18}{engine:<20}{r['docs'] / r['single_s']:>14.1f}{batch_rate:>13.1f}"
                  f"{r['tokens'] / r['batch_s']:>15.0f}{ratio:>12.2f}x{r['first_result_s']:>15.2f}{r['peak_rss_mb']:>12.0f}"
                  f"{r['docs'] / r['batch_cpu_s']:>11.1f}{r['docs'] / r['one_thread_cpu_s']:>9.1f}")
    print("(docs/CPU-s: documents per CPU second of the batched run, all threads counted, which a busy machine "
          "cannot inflate or hide;\n 1 thread: the same batch run again with torch on one thread, as each "
          "`kwextract batch` worker and `kwextract extract` run it: the per-core rate)")
    for split, _ in splits:
        yake = results.get((split, "yake"))
        if not isinstance(yake, dict):
            continue
        for engine in args.engines:
            r = results[(split, engine)]
            if engine != "yake" and isinstance(r, dict):
                print(f"  {split} {engine} per core (1 thread) vs YAKE: "
                      f"{yake['one_thread_cpu_s'] / r['one_thread_cpu_s'] * r['docs'] / yake['docs']:.2f}x")
    if "kwextract-int8" in args.engines:
        import kwextract
        from kwextract.data import read_documents
        from kwextract.evaluate import evaluate

        docs = read_documents(Path(args.data) / "inspec" / "test.jsonl")
        reference = evaluate(kwextract.load(args.model), docs)
        quantized = evaluate(kwextract.load(args.model, quantize=True), docs)
        print(f"\nInspec test F1@10: float32 {reference['f1@10']:.4f}, int8 {quantized['f1@10']:.4f} "
              f"(difference {quantized['f1@10'] - reference['f1@10']:+.4f}); "
              f"F1@M: {reference['f1@M']:.4f} vs {quantized['f1@M']:.4f}")
    print("\nstart-up in a fresh process, Inspec test (first result = import + load + first document):")
    for engine in args.engines:
        r = results[("inspec/test", engine)]
        if isinstance(r, dict):
            print(f"  {engine:<20} import {r['import_s']:.2f} s, load {r['load_s']:.2f} s, "
                  f"first document {r['first_doc_s']:.2f} s")
    print_cli_startup()
    print("\ntokens/s one document at a time, by document length (tokens):")
    for engine in args.engines:
        merged: dict[str, tuple[int, float]] = {}
        for split, _ in splits:
            r = results[(split, engine)]
            if isinstance(r, dict):
                merged.update({k: tuple(v) for k, v in r["buckets"].items()})
        if merged:
            cells = "  ".join(f"{k}: {v[1]:,.0f} ({v[0]} docs)" for k, v in merged.items())
            print(f"  {engine:<10} {cells}")
    print_alternating(args)
    times = stage_breakdown(Path(args.data), args.model)
    total = sum(times.values())
    print(f"\nwhere extract_batch spends its time on Inspec test ({len(_texts(Path(args.data) / 'inspec' / 'test.jsonl', None))}"
          f" abstracts, {total:.2f} s in all, this process):")
    for stage, seconds in times.items():
        print(f"  {stage:<42}{seconds:>7.2f} s  {100 * seconds / total:>5.1f} %")
    print_inference_changes(args)
    if not args.skip_workers:
        print_workers(args)


def print_inference_changes(args: argparse.Namespace) -> None:
    print("\ninference changes against the code they replaced, one tagger, Inspec test, one thread, same "
          "batches, this process (best of 3 alternating runs, CPU s):")
    for name, now, before in inference_changes(Path(args.data), args.model):
        print(f"  {name:<20} now {now:.2f} s, before {before:.2f} s ({before / now:.2f}x)")


def print_workers(args: argparse.Namespace) -> None:
    for busy in (False, True):
        rates = workers_scaling(Path(args.data), args.model, args.copies, busy=busy)
        print(f"\nkwextract batch on Inspec test x{args.copies} ({500 * args.copies:,} abstracts), whole command "
              "including start-up" + (", with a busy loop running beside it:" if busy else ", idle machine:"))
        for workers, rate in rates:
            print(f"  --workers {workers}: {rate:.1f} docs/s")
        print(f"  speed-up with 2 workers: {rates[1][1] / rates[0][1]:.2f}x", flush=True)


if __name__ == "__main__":
    main()
