"""kwextract: keyphrase extraction with a BiLSTM-CRF, ready to use on a laptop CPU.

    >>> import kwextract
    >>> kwextract.extract("Recurrent neural networks model sequences ...")   # doctest: +SKIP
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

__version__ = "0.2.0"

# oneDNN (torch's CPU kernels) keeps one compiled kernel per input shape it has met. Texts come
# in every length, so by default that cache grows by hundreds of MB over a few hundred
# documents; 64 entries keep memory flat at the same speed (benchmarks/speed.py). It must be
# set before the first kernel runs; a value the user has set is kept.
os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "64")

from .errors import InputError, KwextractError, ModelFormatError, ModelNotFoundError  # noqa: E402
from .ensemble import EnsembleExtractor  # noqa: E402
from .extractor import Extractor, KeyphraseExtractor  # noqa: E402
from .keyphrase import Keyphrase  # noqa: E402
from .serialization import load, save  # noqa: E402

__all__ = [
    "EnsembleExtractor",
    "Extractor",
    "InputError",
    "Keyphrase",
    "KeyphraseExtractor",
    "KwextractError",
    "ModelFormatError",
    "ModelNotFoundError",
    "extract",
    "load",
    "save",
    "__version__",
]


@lru_cache(maxsize=4)
def _cached(name_or_path: str | None) -> Extractor:
    return load(name_or_path)


def extract(
    text: str, top_k: int | None = 10, min_score: float = 0.0, model: str | Path | None = None
) -> list[Keyphrase]:
    """Keyphrases of ``text`` with the bundled model (loaded on first use, then cached)."""
    return _cached(None if model is None else str(model)).extract(text, top_k=top_k, min_score=min_score)
