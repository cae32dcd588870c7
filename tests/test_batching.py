"""Windows → batches: grouped by length, bounded in windows and in padded tokens."""

from __future__ import annotations

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
