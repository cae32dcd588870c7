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
