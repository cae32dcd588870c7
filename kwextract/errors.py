"""The exceptions kwextract raises: one small family, each message says what to do."""

from __future__ import annotations


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
