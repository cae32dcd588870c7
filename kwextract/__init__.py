"""kwextract: keyphrase extraction with a BiLSTM-CRF, ready to use on a laptop CPU.

    >>> import kwextract
    >>> kwextract.extract("Recurrent neural networks model sequences ...")   # doctest: +SKIP

``import kwextract`` is light: torch and spaCy are imported when a model is first loaded
(the names below that need them are resolved on first use), so ``kwextract --help`` and
``--version`` start at once.
"""

from __future__ import annotations

import importlib
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.3.0.dev0"

# oneDNN (torch's CPU kernels) keeps one compiled kernel per input shape it has met. Texts come
# in every length, so by default that cache grows by hundreds of MB over a few hundred
# documents; 8 entries keep memory flat at the same speed (benchmarks/speed.py), and hold
# ~8 MB less than 64 after a 10 MB text (benchmarks/huge_document.py). It must be set before
# the first kernel runs; a value the user has set is kept.
os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "8")

from .errors import InputError, KwextractError, KwextractWarning, ModelFormatError, ModelNotFoundError  # noqa: E402
from .keyphrase import Keyphrase  # noqa: E402

if TYPE_CHECKING:
    from .ensemble import EnsembleExtractor
    from .extractor import Extractor, KeyphraseExtractor
    from .inputs import read_file
    from .serialization import load, save
    from .tokenize import language_of

# Public names that need torch, and the module that defines each: imported on first access.
_LAZY = {
    "EnsembleExtractor": "ensemble",
    "Extractor": "extractor",
    "KeyphraseExtractor": "extractor",
    "language_of": "tokenize",
    "load": "serialization",
    "read_file": "inputs",
    "save": "serialization",
}

__all__ = [
    "EnsembleExtractor",
    "Extractor",
    "InputError",
    "Keyphrase",
    "KeyphraseExtractor",
    "KwextractError",
    "KwextractWarning",
    "ModelFormatError",
    "ModelNotFoundError",
    "extract",
    "language_of",
    "load",
    "read_file",
    "save",
    "__version__",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'kwextract' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


@lru_cache(maxsize=4)
def _cached(name_or_path: str | None, lang: str | None) -> Extractor:
    from .serialization import load

    return load(name_or_path, lang=lang)


def extract(
    text: str, top_k: int | None = 10, min_score: float = 0.0, model: str | Path | None = None,
    lang: str | None = None, distinct: bool = False,
) -> list[Keyphrase]:
    """Keyphrases of ``text`` with the bundled model (loaded on first use, then cached);
    ``lang`` is the text's language (ISO 639-1), by default the model's; ``distinct=True``
    returns no phrase inside another (kwextract/distinct.py)."""
    return _cached(None if model is None else str(model), lang).extract(text, top_k=top_k, min_score=min_score,
                                                                          distinct=distinct)
