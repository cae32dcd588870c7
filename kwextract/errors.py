"""The exceptions kwextract raises: one small family, each message says what to do."""

from __future__ import annotations

import os
import sys


class KwextractError(Exception):
    """Base class of every error kwextract raises on purpose."""


class ModelNotFoundError(KwextractError):
    """A model name or path does not point at a model directory."""


class ModelFormatError(KwextractError):
    """A model directory is incomplete, corrupted or of an unsupported format version."""


class InputError(KwextractError):
    """An input document or data file cannot be read or parsed."""


class KwextractWarning(UserWarning):
    """Something works, but not as the user may assume (the message says what and why)."""


def outside_stacklevel() -> int:
    """The ``stacklevel`` that makes a ``warnings.warn`` called right after this point at the
    first caller outside kwextract: the user's line, however deep in the package (a generator
    such as ``extract_stream`` included) the warning is raised. Python 3.12's
    ``skip_file_prefixes`` does the same; kwextract still runs on 3.11."""
    package = os.path.dirname(os.path.abspath(__file__)) + os.sep
    frame = sys._getframe(1)  # the function that will call warnings.warn: stacklevel 1
    level = 1
    while frame.f_back is not None and os.path.abspath(frame.f_code.co_filename).startswith(package):
        frame = frame.f_back
        level += 1
    return level
