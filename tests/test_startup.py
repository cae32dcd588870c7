"""The command line starts without the model stack: ``--help``, ``--version``, every command's
help and shell completion never import torch or spaCy (benchmarks/speed.py times them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import kwextract

PROBE = """
import json, sys
from kwextract.cli.main import main
sys.argv = ["kwextract", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in ("torch", "spacy", "sklearn", "numpy") if m in sys.modules)), file=sys.stderr)
"""


def _heavy_modules(args: list[str], env: dict[str, str] | None = None) -> list[str]:
    result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True, text=True,
                            env={**os.environ, **(env or {})}, timeout=120)
    return json.loads(result.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["extract", "--help"], ["batch", "--help"],
                                  ["train", "--help"], ["adapt", "--help"], ["info", "--help"]])
def test_help_and_version_do_not_import_the_model_stack(args):
    assert _heavy_modules(args) == []


def test_shell_completion_does_not_import_the_model_stack():
    env = {"_KWEXTRACT_COMPLETE": "complete_bash", "COMP_WORDS": "kwextract ex", "COMP_CWORD": "1"}
    assert _heavy_modules([], env) == []


def test_import_kwextract_is_light_until_a_model_is_used():
    code = "import sys, kwextract; a = 'torch' in sys.modules; kwextract.load; print(a, 'torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.split() == ["False", "True"]


def test_python_dash_m_kwextract_is_the_command():
    result = subprocess.run([sys.executable, "-m", "kwextract", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == f"kwextract {kwextract.__version__}"
    help_text = subprocess.run([sys.executable, "-m", "kwextract", "--help"], capture_output=True, text=True).stdout
    assert "extract" in help_text and "batch" in help_text
