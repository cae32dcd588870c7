"""kwextract: keyphrase extraction with a BiLSTM-CRF, ready to use on a laptop CPU.

    >>> import kwextract
    >>> kwextract.extract("Recurrent neural networks model sequences ...")   # doctest: +SKIP
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__version__ = "0.1.0"

from .errors import InputError, KwextractError, ModelFormatError, ModelNotFoundError  # noqa: E402
from .extractor import KeyphraseExtractor  # noqa: E402
from .keyphrase import Keyphrase  # noqa: E402
from .serialization import load, save  # noqa: E402

__all__ = [
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
def _cached(name_or_path: str | None) -> KeyphraseExtractor:
    return load(name_or_path)


def extract(
    text: str, top_k: int | None = 10, min_score: float = 0.0, model: str | Path | None = None
) -> list[Keyphrase]:
    """Keyphrases of ``text`` with the bundled model (loaded on first use, then cached)."""
    return _cached(None if model is None else str(model)).extract(text, top_k=top_k, min_score=min_score)
