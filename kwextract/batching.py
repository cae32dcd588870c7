"""Windows of featurized documents → padded tensors, grouped by length."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .bio import B, I
from .featurize import DocumentArrays


@dataclass(frozen=True)
class Window:
    """Tokens ``start:end`` of document number ``doc``."""

    doc: int
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Batch:
    word_ids: torch.Tensor  # shape: (batch, time) int64
    char_ids: torch.Tensor  # shape: (batch, time, chars) int64
    features: torch.Tensor  # shape: (batch, time, features) float32
    mask: torch.Tensor  # shape: (batch, time) bool, right-padded
    tags: torch.Tensor | None  # shape: (batch, time) int64, or None at inference
    targets: torch.Tensor | None = None  # shape: (batch, time, 3) float32: a teacher's tag probabilities


def collate(arrays: list[DocumentArrays], windows: list[Window], tags: list[np.ndarray] | None = None,
            targets: list[np.ndarray] | None = None) -> Batch:
    """Pad the given windows into one batch (documents are indexed by ``Window.doc``), with
    their gold tag ids and a teacher's tag probabilities (distill.py) when given."""
    time = max(len(w) for w in windows)
    chars = arrays[windows[0].doc].form_chars.shape[1]
    word_ids = np.zeros((len(windows), time), dtype=np.int64)
    char_ids = np.zeros((len(windows), time, chars), dtype=np.int64)
    features = np.zeros((len(windows), time, arrays[windows[0].doc].num_features), dtype=np.float32)
    mask = np.zeros((len(windows), time), dtype=bool)
    tag_ids = np.zeros((len(windows), time), dtype=np.int64) if tags is not None else None
    soft = np.zeros((len(windows), time, 3), dtype=np.float32) if targets is not None else None
    for row, w in enumerate(windows):
        n = len(w)
        word_ids[row, :n], char_ids[row, :n], features[row, :n] = arrays[w.doc].window(w.start, w.end)
        mask[row, :n] = True
        if tag_ids is not None and tags is not None:
            tag_ids[row, :n] = tags[w.doc][w.start : w.end]
            if tag_ids[row, 0] == I:  # a window cut through a span: it starts anew here
                tag_ids[row, 0] = B
        if soft is not None and targets is not None:
            soft[row, :n] = targets[w.doc][w.start : w.end]
            soft[row, 0, B] += soft[row, 0, I]  # likewise, a teacher's I on a window's first token is a B here
            soft[row, 0, I] = 0.0
    return Batch(
        torch.from_numpy(word_ids),
        torch.from_numpy(char_ids),
        torch.from_numpy(features),
        torch.from_numpy(mask),
        torch.from_numpy(tag_ids) if tag_ids is not None else None,
        torch.from_numpy(soft) if soft is not None else None,
    )


def length_batches(windows: list[Window], batch_size: int, max_tokens: int | None = None) -> list[list[Window]]:
    """Group windows of similar length so that little compute is spent on padding: at most
    ``batch_size`` windows, and at most ``max_tokens`` padded tokens (which bounds the network's
    working memory: about 6 KB a token)."""
    ordered = sorted(windows, key=lambda w: (-len(w), w.doc, w.start))
    if max_tokens is None:
        return [ordered[i : i + batch_size] for i in range(0, len(ordered), batch_size)]
    groups: list[list[Window]] = []
    for w in ordered:  # longest first: a group's first window sets its padded length
        if groups and len(groups[-1]) < batch_size and (len(groups[-1]) + 1) * len(groups[-1][0]) <= max_tokens:
            groups[-1].append(w)
        else:
            groups.append([w])
    return groups
