"""Windows → batches: grouped by length, bounded in windows and in padded tokens."""

from __future__ import annotations

import pytest

from kwextract.batching import Window, length_batches

WINDOWS = [Window(d, 0, n) for d, n in enumerate([256, 10, 256, 200, 30, 256, 120, 5])]


def test_every_window_once_longest_first():
    groups = length_batches(WINDOWS, 3)
    flat = [w for g in groups for w in g]
    assert sorted(flat, key=lambda w: w.doc) == WINDOWS
    assert [len(w) for w in flat] == sorted((len(w) for w in WINDOWS), reverse=True)
    assert [len(g) for g in groups] == [3, 3, 2]


def test_a_token_budget_bounds_each_batch_padded_size():
    groups = length_batches(WINDOWS, 64, max_tokens=512)
    assert all(len(g) * len(g[0]) <= 512 for g in groups)
    assert sum(len(g) for g in groups) == len(WINDOWS)
    assert [len(g) for g in groups] == [2, 2, 4]  # 256+256 | 256+200 | 120+30+10+5 (4 x 120 padded)
    assert length_batches([Window(0, 0, 900)], 64, max_tokens=512) == [[Window(0, 0, 900)]]  # never dropped


def test_collate_pads_a_teachers_targets_and_starts_each_window_outside_a_phrase():
    import numpy as np

    from kwextract import load
    from kwextract.batching import collate

    extractor = load("fast")
    tokens = extractor.tokenizer("Deep neural networks extract keyphrases from scientific articles.")
    arrays = [extractor.featurize(tokens)]
    targets = [np.tile(np.array([[0.2, 0.3, 0.5]], dtype=np.float32), (len(tokens), 1))]
    batch = collate(arrays, [Window(0, 2, 6), Window(0, 0, 3)], targets=targets)
    assert batch.targets is not None and tuple(batch.targets.shape) == (2, 4, 3)
    assert batch.targets[0, 0].tolist() == pytest.approx([0.2, 0.8, 0.0])  # the teacher's I at a window's start is a B there
    assert batch.targets[0, 1].tolist() == pytest.approx([0.2, 0.3, 0.5])
    assert batch.targets[1, 3].tolist() == [0.0, 0.0, 0.0]  # padding
    assert collate(arrays, [Window(0, 0, 3)]).targets is None
