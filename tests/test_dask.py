"""Dask: a real scheduler and two worker processes on loopback; one worker is killed midway."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kwextract.errors import KwextractWarning

from tests.test_cli import KWEXTRACT, _big_jsonl, run

pytest.importorskip("distributed", reason="the dask extra is not installed")
BIN = Path(sys.executable).parent
DASK = shutil.which("dask") or str(BIN / "dask")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def cluster(tmp_path):
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = [open(tmp_path / f"{n}.log", "w") for n in ("scheduler", "w1", "w2")]
    scheduler = subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                  "--no-dashboard"], stdout=logs[0], stderr=logs[0])
    # The workers start once the scheduler holds its port: a worker's own listener, started
    # earlier, could be given that free port by the system, and the client would then ask a
    # worker for the scheduler's identity (a 60 s timeout, seen once in CI).
    deadline = time.time() + 60
    while "Scheduler at" not in (tmp_path / "scheduler.log").read_text() and time.time() < deadline:
        assert scheduler.poll() is None, (tmp_path / "scheduler.log").read_text()
        time.sleep(0.1)
    workers = [
        subprocess.Popen([DASK, "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                          "--host", "127.0.0.1"], stdout=log, stderr=log)
        for log in logs[1:]
    ]
    from distributed import Client

    with Client(address, timeout=60) as client:
        client.wait_for_workers(2, timeout=120)
    yield address, workers
    for proc in [*workers, scheduler]:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=30)
    for log in logs:
        log.close()


def test_dask_engine_matches_local_and_survives_a_killed_worker(cluster, tiny_model, tmp_path):
    address, workers = cluster
    source = _big_jsonl(tmp_path / "docs.jsonl", 1500)
    local = tmp_path / "local.jsonl"
    assert run("batch", "-w", "1", str(source), "-o", str(local), "-m", str(tiny_model)).exit_code == 0
    out = tmp_path / "dask.jsonl"
    proc = subprocess.Popen([KWEXTRACT, "batch", str(source), "-o", str(out), "-m", str(tiny_model), "-q",
                             "--engine", "dask", "--scheduler", address], stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 180
    while time.time() < deadline and (not out.exists() or out.stat().st_size < 5000):
        time.sleep(0.05)
    os.kill(workers[0].pid, signal.SIGKILL)  # a worker dies with chunks in flight
    done_before_kill = len(out.read_text().splitlines())
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert 0 < done_before_kill < 1500
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert len(ids) == len(set(ids)) == 1500
    assert out.read_text() == local.read_text()


def test_extract_bag_streams_partitions_to_files(tiny_model, tmp_path):
    import dask
    import dask.bag as db

    from kwextract import load
    from kwextract.dask import extract_bag

    texts = ["Graph partitioning with a genetic algorithm.", "Speech recognition.", "Image segmentation."]
    records = [{"id": f"t{i}", "text": t} for i, t in enumerate(texts)]
    bag = db.from_sequence(records, npartitions=2)
    with dask.config.set(scheduler="sync"):
        extract_bag(bag, model=str(tiny_model), top_k=3).map(json.dumps).to_textfiles(str(tmp_path / "out" / "*.jsonl"))
    files = sorted((tmp_path / "out").glob("*.jsonl"))
    assert len(files) == 2
    results = [json.loads(line) for f in files for line in f.read_text().splitlines()]
    expected = load(tiny_model).extract_batch(texts, top_k=3)
    assert [r["id"] for r in results] == ["t0", "t1", "t2"]
    assert [[k["text"] for k in r["keyphrases"]] for r in results] == [[k.text for k in e] for e in expected]


def test_unreachable_scheduler_is_one_line_and_exit_code_2(tiny_model, tmp_path):
    source = _big_jsonl(tmp_path / "in.jsonl", 3)
    address = f"tcp://127.0.0.1:{_free_port()}"  # nothing listens there
    result = run("batch", str(source), "-o", str(tmp_path / "o.jsonl"), "-m", str(tiny_model), "--engine", "dask",
                 "--scheduler", address)
    assert result.exit_code == 2, result.output
    assert f"{address}: cannot reach a Dask scheduler" in result.stderr and "Traceback" not in result.output


def test_extract_bag_with_lang_auto_names_each_record_s_language(tiny_model):
    import dask
    import dask.bag as db

    from kwextract.dask import extract_bag

    from .test_language import ENGLISH_TEXT, FRENCH

    bag = db.from_sequence([{"id": "en", "text": ENGLISH_TEXT}, {"id": "fr", "text": FRENCH}], npartitions=1)
    with dask.config.set(scheduler="sync"):
        records = extract_bag(bag, model=str(tiny_model), top_k=3, lang="auto").compute()
        with pytest.warns(KwextractWarning, match="looks 'fr', not 'en'"):  # read as English, the guard says so
            plain = extract_bag(bag, model=str(tiny_model), top_k=3).compute()
    assert [(r["id"], r["lang"]) for r in records] == [("en", "en"), ("fr", "fr")]
    assert all("lang" not in r for r in plain)
