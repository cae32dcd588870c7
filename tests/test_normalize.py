"""Stems of a text's tokens and occurrences of a phrase's stems."""

from __future__ import annotations

from kwextract.normalize import occurrences, stem, stems_of
from kwextract.tokenize import Tokenizer


def test_stems_read_like_a_list_of_every_token_stem():
    tokens = Tokenizer()("Neural networks learn. A neural network, or Neural Networks, is a model.")
    stems = stems_of(tokens)
    expected = [stem(w) for w in tokens.words]
    assert len(stems) == len(expected) and list(stems) == expected
    assert stems[0] == "neural" and stems[-2] == "model" and stems[1:3] == expected[1:3] and stems[-3:] == expected[-3:]
    assert occurrences(stems, [("neural", "network"), ("model",)]) == {("neural", "network"): [0, 5, 9], ("model",): [14]}


def test_stems_follow_the_text_language():
    tokens = Tokenizer(lang="fr").pipe(["Les réseaux neuronaux et le réseau neuronal."])[0]
    assert list(stems_of(tokens)) == [stem(w, "fr") for w in tokens.words]
    assert stems_of(tokens)[1:3] == stems_of(tokens)[5:7] == ["réseau", "neuronal"]  # plural and singular


def test_occurrences_are_every_place_each_key_stands():
    import random

    rng = random.Random(4)
    stems = [rng.choice("aabbcd") for _ in range(3000)]
    keys = list({tuple(rng.choice("abcdz") for _ in range(rng.randint(1, 4))) for _ in range(120)})
    found = occurrences(stems, keys)
    assert list(found) == list(dict.fromkeys(keys))  # one entry per key, in the order given
    for k in keys:  # overlapping places count, a key running past the end does not
        assert found[k] == [i for i in range(len(stems)) if tuple(stems[i : i + len(k)]) == k]
    assert any(len(found[k]) > 100 for k in keys) and found.get(("z",), []) == []
    assert occurrences(["a", "a", "a"], [("a", "a"), ("a", "a")]) == {("a", "a"): [0, 1]}
