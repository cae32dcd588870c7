"""Every Python snippet of the README runs as written, each in a fresh process and folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
SNIPPETS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S) if README.exists() else []


def test_the_readme_has_its_python_snippets():
    assert len(SNIPPETS) >= 3  # the API, spaCy and Dask examples


@pytest.mark.slow
@pytest.mark.parametrize("code", SNIPPETS, ids=[s.splitlines()[0] for s in SNIPPETS])
def test_readme_python_snippet_runs_as_written(code, tmp_path):
    if "dask" in code:
        pytest.importorskip("dask.dataframe", reason="the dask extra is not installed")
    script = tmp_path / "snippet.py"
    script.write_text(code, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip()  # every snippet prints what it shows
    if "to_jsonl" in code:  # the concatenated output is valid JSON Lines, one record per input
        import json

        lines = "".join(p.read_text() for p in sorted((tmp_path / "out").glob("*.jsonl"))).splitlines()
        assert len([json.loads(line) for line in lines]) == 2
