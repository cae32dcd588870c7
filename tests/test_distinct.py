"""Distinct keyphrases: no returned phrase inside another one."""

import json

import pytest

from kwextract import Keyphrase, load
from kwextract.distinct import distinct
from kwextract.normalize import phrase_key

TEXT = ("Graph neural networks learn on molecular graphs. Graph neural networks and message passing neural "
        "networks aggregate features over the molecular graph; neural networks of this kind need message "
        "passing. Graph partitioning splits the molecular graph.")


def ranked(*texts: str) -> list[Keyphrase]:
    return [Keyphrase(t, 1 - i / 10, 0, len(t), 1) for i, t in enumerate(texts)]


def test_a_phrase_inside_a_better_one_or_holding_one_is_left_out():
    found = distinct(ranked("graph neural networks", "neural networks", "Graph Neural", "message passing",
                            "Neural Network", "networks", "graph partitioning", "neural network graph"))
    # a run of words, not a bag: "neural network graph" holds no other phrase's words in order
    assert [k.text for k in found] == ["graph neural networks", "message passing", "graph partitioning",
                                       "neural network graph"]
    # the better-ranked of the two stays, whichever is longer
    assert [k.text for k in distinct(ranked("neural networks", "graph neural networks", "graph"))] == \
        ["neural networks", "graph"]
    assert [k.text for k in distinct(ranked("graph neural networks", "message passing", "graph partitioning"), 2)] \
        == ["graph neural networks", "message passing"]
    assert distinct([]) == []


def test_words_are_compared_by_stem_in_the_texts_language():
    assert [k.text for k in distinct(ranked("réseaux de neurones", "réseau", "apprentissage"), lang="fr")] == \
        ["réseaux de neurones", "apprentissage"]


def test_phrases_of_another_language_than_the_extractors_use_one_tokenizer_a_language(monkeypatch):
    """``lang="auto"`` hands each text of another language than the model's to ``distinct``
    without a tokenizer: one spaCy pipeline a language serves them all (making one takes a
    tenth of a second; one a text had made ``batch --lang auto --distinct`` 30 times slower)."""
    from kwextract import tokenize

    made = []
    real = tokenize.Tokenizer.__init__
    monkeypatch.setattr(tokenize.Tokenizer, "__init__", lambda self, *a, **k: made.append(k) or real(self, *a, **k))
    tokenize.shared_tokenizer.cache_clear()
    model = load("fast", lang="auto")
    made.clear()  # the model's own
    french = ("Les réseaux de neurones apprennent sur des graphes moléculaires, et les réseaux de neurones "
              "à passage de messages agrègent les caractéristiques du graphe moléculaire de la molécule.")
    for found in model.extract_batch([french, french, french], distinct=True):
        assert found and [k.text for k in found] == [k.text for k in distinct(found, lang="fr")]
    # the AutoTokenizer's for French texts and the one distinct shares, then none per text (before: one a call)
    assert made == [{"lang": "fr"}] * 2


def test_an_extractor_returns_distinct_phrases_and_fills_its_top_k():
    model = load("fast")
    plain = model.extract(TEXT, top_k=10)
    found = model.extract(TEXT, top_k=10, distinct=True)
    keys = [tuple(phrase_key(model.tokenizer.words(k.text)).split()) for k in plain]
    assert any(a != b and " ".join(a) in " ".join(b) for a in keys for b in keys)  # plain: pieces of phrases
    words = [phrase_key(model.tokenizer.words(k.text)) for k in found]
    assert not any(a != b and f" {a} " in f" {b} " for a in words for b in words)
    assert found[0] == plain[0] and len(found) > len([k for k in plain if k in found])  # filled from below
    assert all(k in model.extract(TEXT, top_k=30) for k in found)  # the model's phrases, in its order
    own = model.extract(TEXT, top_k=None, distinct=True)
    assert own and set(own) <= set(model.extract(TEXT, top_k=None))
    assert model.extract_batch([TEXT], top_k=10, distinct=True) == [found]
    assert list(model.extract_stream([TEXT], top_k=10, distinct=True)) == [found]


def test_the_command_line_and_the_spacy_component_ask_for_distinct_phrases(tmp_path):
    import spacy
    from typer.testing import CliRunner

    from cli.main import app

    expected = [k.text for k in load("fast").extract(TEXT, top_k=5, distinct=True)]
    said = CliRunner().invoke(app, ["extract", TEXT, "-m", "fast", "-k", "5", "--distinct", "--format", "json"])
    assert said.exit_code == 0 and [k["text"] for k in json.loads(said.stdout)] == expected
    (tmp_path / "a.txt").write_text(TEXT)
    out = tmp_path / "out.jsonl"
    batch = CliRunner().invoke(app, ["batch", str(tmp_path / "a.txt"), "-o", str(out), "-m", "fast", "-k", "5",
                                     "--distinct", "-w", "1", "--quiet"])
    assert batch.exit_code == 0 and [k["text"] for k in json.loads(out.read_text())["keyphrases"]] == expected
    nlp = spacy.blank("en")
    nlp.add_pipe("kwextract", config={"model": "fast", "top_k": 5, "distinct": True})
    assert [k.text for k in nlp(TEXT)._.keyphrases] == expected


@pytest.mark.parametrize("top_k", [1, 3])
def test_distinct_keeps_at_most_top_k(top_k):
    assert len(load("fast").extract(TEXT, top_k=top_k, distinct=True)) <= top_k
