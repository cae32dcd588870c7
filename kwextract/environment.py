"""The library versions that decide a model's numbers, recorded in its meta.json.

The same command on the same data gives other weights, or other phrase-scorer trees, under
another torch, numpy, scikit-learn, spaCy or pytorch-crf: training and calibration record
the versions they ran under, and recalibrating under different ones warns, so that dev
scores from two environments are not compared as if they were one. ``kwextract[train]``
pins the versions the bundled model was built with.
"""

from __future__ import annotations

import platform
from importlib import metadata
from typing import Any

# Distributions whose version can change a trained or calibrated model's numbers.
NUMERIC_LIBRARIES = ("torch", "numpy", "scikit-learn", "spacy", "pytorch-crf")


def library_versions() -> dict[str, str]:
    """Python's, kwextract's and each numeric library's version in this environment."""
    from . import __version__

    versions = {"python": platform.python_version(), "kwextract": __version__}
    for name in NUMERIC_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def differences(recorded: Any, current: dict[str, str]) -> list[str]:
    """``"scikit-learn 1.8.0 → 1.9.1"`` for each numeric library whose version differs from the
    record (kwextract's and Python's own versions are recorded, not compared)."""
    if not isinstance(recorded, dict):
        return []
    return [f"{name} {recorded[name]} → {current.get(name)}" for name in NUMERIC_LIBRARIES
            if name in recorded and recorded[name] != current.get(name)]
