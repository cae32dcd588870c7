"""A word's rarity in its text's language (rarity.py), as a model input (--general-rarity)."""

import gzip
import json
import sys
from dataclasses import replace

import numpy as np
import pytest
import torch

from kwextract import load
from kwextract.batching import Window, collate
from kwextract.errors import InputError, ModelFormatError
from kwextract.featurize import NUM_FEATURES, featurize
from kwextract.rarity import RARITY_FILE, GeneralRarity, build_general_rarity
from kwextract.tokenize import Tokenizer
from kwextract.train import TrainConfig, train
from kwextract.vocab import Vocab

from .conftest import TINY

# Hand-made lists (wordfreq is a training-time extra, not a test dependency): ranks 1, 2, 3...
LISTS = GeneralRarity.from_words({"en": ("the", "of", "network", "model"), "fr": ("de", "la", "l", "réseau", "ville")},
                                 "hand-made")


def test_common_words_are_less_rare_than_rare_ones_in_their_own_language():
    en = LISTS.of(["The", "network", "keyphrase"], "en")
    assert 0 < en[0] < en[1] < en[2] == 1.0  # rank 1, rank 3, not listed
    fr = LISTS.of(["de", "réseau", "network"], "fr")  # an English word is rare in French
    assert fr[0] < fr[1] < fr[2] == 1.0


def test_elided_articles_punctuation_and_unlisted_languages():
    assert LISTS.of(["l'", "L’"], "fr")[0] == LISTS.of(["l"], "fr")[0] == LISTS.of(["L’"], "fr")[0]
    assert LISTS.of([",", "—", "(", "..."], "en").tolist() == [0.0] * 4  # no letters or digits: not a word
    assert LISTS.of(["the", "network"], "eu").tolist() == [1.0, 1.0]  # no list: every word reads rare


def test_the_lists_round_trip_in_the_same_bytes(tmp_path):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    LISTS.save(tmp_path / "a")
    LISTS.save(tmp_path / "b")
    assert (tmp_path / "a" / RARITY_FILE).read_bytes() == (tmp_path / "b" / RARITY_FILE).read_bytes()
    again = GeneralRarity.load(tmp_path / "a")
    assert again == LISTS and again.source == "hand-made"
    assert np.array_equal(again.of(["réseau", "x"], "fr"), LISTS.of(["réseau", "x"], "fr"))


@pytest.mark.parametrize("content", [b"", b"not gzip", gzip.compress(b"{not json"), gzip.compress(b'{"lists": 3}'),
                                     gzip.compress(b'{"lists": {"fr": ["de", "la"]}}'), gzip.compress(b"[]")])
def test_a_damaged_or_missing_file_is_a_model_format_error_naming_it(tmp_path, content):
    with pytest.raises(ModelFormatError, match="file missing"):
        GeneralRarity.load(tmp_path)
    (tmp_path / RARITY_FILE).write_bytes(content)
    with pytest.raises(ModelFormatError, match=RARITY_FILE.replace(".", r"\.")):
        GeneralRarity.load(tmp_path)


def test_featurize_adds_the_rarity_after_the_other_features():
    tokens = Tokenizer(lang="fr")("Le réseau de neurones et le réseau de la ville.")
    plain = featurize(tokens, Vocab([]), Vocab(list("abc")), max_chars=8)
    ranked = featurize(tokens, Vocab([]), Vocab(list("abc")), max_chars=8, rarity=LISTS)
    assert plain.num_features == NUM_FEATURES and ranked.num_features == NUM_FEATURES + 1
    x, y = plain.features, ranked.features
    assert np.array_equal(x, y[:, :NUM_FEATURES])  # the others are untouched
    words = tokens.words
    assert y[words.index("réseau"), NUM_FEATURES] == LISTS.of(["réseau"], "fr")[0]
    assert y[words.index("neurones"), NUM_FEATURES] == 1.0 and y[words.index("."), NUM_FEATURES] == 0.0
    # a window's features are the document's rows
    assert np.array_equal(ranked.window(2, 6)[2], y[2:6])


def test_without_wordfreq_training_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "wordfreq", None)  # import wordfreq raises ImportError
    with pytest.raises(InputError, match="pip install wordfreq"):
        build_general_rarity()


def test_general_rarity_starts_a_new_model_only():
    with pytest.raises(ValueError, match="new model"):
        TrainConfig(train=("t.jsonl",), base="multi", general_rarity=True)


@pytest.fixture
def rarity_model(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr("kwextract.train.build_general_rarity", lambda: LISTS)
    config = TrainConfig(train=(str(corpus["train"]),), dev=(str(corpus["dev"]),), epochs=2, patience=2,
                         batch_size=8, learning_rate=1e-2, word_min_freq=1, general_rarity=True)
    return train(config, replace(TINY, word_dim=0), tmp_path / "rarity", log=lambda message: None), tmp_path / "rarity"


def test_a_model_with_general_rarity_keeps_its_lists_and_round_trips(rarity_model):
    trained, path = rarity_model
    assert trained.config.general_rarity and (path / RARITY_FILE).is_file()
    assert "the word's rarity in its text's language" in (path / "MODEL_CARD.md").read_text()  # and whose lists: CC-BY-SA
    assert "CC-BY-SA 4.0" in (path / "MODEL_CARD.md").read_text()
    model = load(path)
    assert model.rarity == LISTS
    assert model.tagger.encoder.input_size == TINY.char_filters + NUM_FEATURES + 1
    text = "Neural tagging of keyphrases in scientific abstracts uses recurrent networks."
    assert model.extract(text) == trained.extract(text) and model.extract(text)
    # the rarity reaches the network: other lists, other tag scores
    other = load(path)
    other.rarity = GeneralRarity.from_words({"en": ("neural", "tagging", "keyphrases", "scientific")})
    assert not other.reads_like(model)

    def emissions(extractor):
        arrays = extractor.featurize(extractor.tokenize([text])[0])
        batch = collate([arrays], [Window(0, 0, len(arrays))])
        return extractor.tagger(batch.word_ids, batch.char_ids, batch.features, batch.mask)

    assert not torch.equal(emissions(other), emissions(model))


def test_a_model_with_general_rarity_reads_each_text_in_its_language(rarity_model):
    _, path = rarity_model
    model = load(path, lang="auto")
    french = ("Le réseau de neurones de la ville est un réseau de transport, et le réseau de la ville "
              "dessert la région de la capitale et les villes de la région.")
    arrays = model.featurize(model.tokenize([french])[0])
    tokens = model.tokenize([french])[0]
    assert tokens.lang == "fr"
    assert arrays.features[tokens.words.index("réseau"), NUM_FEATURES] == LISTS.of(["réseau"], "fr")[0] < 1.0


def test_a_model_missing_its_lists_fails_to_load_naming_the_file(rarity_model):
    _, path = rarity_model
    (path / RARITY_FILE).unlink()
    with pytest.raises(ModelFormatError, match="rarity.json.gz: file missing"):
        load(path)


def test_models_of_earlier_formats_read_no_rarity(tiny_model, tmp_path):
    """A model written before format 6 has no general_rarity field: it reads none."""
    import shutil

    shutil.copytree(tiny_model, tmp_path / "m")
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    assert config["format_version"] >= 6 and config["model"]["general_rarity"] is False
    del config["model"]["general_rarity"]
    config["format_version"] = 5
    (tmp_path / "m" / "config.json").write_text(json.dumps(config))
    model = load(tmp_path / "m")
    assert not model.config.general_rarity and model.rarity is None


def test_a_model_with_general_rarity_adapts_and_joins_an_ensemble(rarity_model, corpus, tmp_path):
    """What reads a model's inputs elsewhere (adapt's rounds, an ensemble's shared featurizing)
    keeps the word lists."""
    from kwextract.ensemble import build_ensemble
    from kwextract.serialization import save
    from kwextract.unsupervised import AdaptConfig, adapt

    from kwextract.data import read_documents

    _, path = rarity_model
    texts = tmp_path / "raw.jsonl"
    texts.write_text("".join(json.dumps({"id": d.id, "text": d.text}) + "\n" for d in read_documents(corpus["train"])))
    adapt(path, [texts], tmp_path / "adapted", AdaptConfig(rounds=1, epochs_per_round=1), log=lambda m: None)
    adapted = load(tmp_path / "adapted")
    assert adapted.rarity == LISTS and (tmp_path / "adapted" / RARITY_FILE).is_file()
    pair = build_ensemble([load(path), load(path)], [read_documents(corpus["dev"])], log=lambda m: None)
    save(pair, tmp_path / "pair")
    again = load(tmp_path / "pair")
    assert all(member.rarity == LISTS for member in again.members)
    assert again.members[1].rarity is again.members[0].rarity  # read once, as the vocabularies
    text = "Neural tagging of keyphrases in scientific abstracts uses recurrent networks."
    assert again.extract(text) == pair.extract(text) and again.extract(text)


def test_cli_train_general_rarity_writes_the_lists_or_says_what_is_missing(corpus, tmp_path, monkeypatch):
    from .test_cli import run

    args = ["train", "--train", str(corpus["train"]), "--dev", str(corpus["dev"]), "--epochs", "1", "--word-dim", "0",
            "--hidden-size", "8", "--num-layers", "1", "--general-rarity"]
    monkeypatch.setitem(sys.modules, "wordfreq", None)
    result = run(*args, "-o", str(tmp_path / "none"))
    assert result.exit_code != 0 and "pip install wordfreq" in result.output and not (tmp_path / "none").exists()
    monkeypatch.setattr("kwextract.train.build_general_rarity", lambda: LISTS)
    result = run(*args, "-o", str(tmp_path / "m"))
    assert result.exit_code == 0, result.output
    assert load(tmp_path / "m").rarity == LISTS
    result = run("train", "--train", str(corpus["train"]), "--base", str(tmp_path / "m"), "--general-rarity",
                 "-o", str(tmp_path / "again"))
    assert result.exit_code != 0 and "starts a new model" in result.output


def test_the_lists_from_wordfreq_cover_the_languages_kwextract_reads():
    """The training-time path itself, where the extra is installed (pip install "kwextract[rarity]")."""
    pytest.importorskip("wordfreq", reason="wordfreq is a training-time extra: pip install \"kwextract[rarity]\"")
    from kwextract.language import SUPPORTED
    from kwextract.rarity import RARITY_WORDS

    built = build_general_rarity()
    assert {"en", "fr", "pt", "de", "es", "ru"} <= set(built.lists) <= set(SUPPORTED)
    assert all(20_000 < len(built.words(lang)) <= RARITY_WORDS for lang in built.lists)  # wordfreq's Danish and
    assert len(built.words("en")) == len(built.words("pt")) == RARITY_WORDS  # Hindi lists are shorter
    assert built.words("en")[0] == "the" and "CC-BY-SA 4.0" in built.source
    common, rare = built.of(["de", "eleição"], "pt")
    assert common < 0.1 < rare < 1.0


# The lists as the IDF of TF-IDF evidence for a text in another language than the model's own
# (ModelConfig.foreign_tfidf_weight; docs/other-languages.md, run 17).

def with_foreign_evidence(model, weight=0.5, lists=LISTS):
    model.config = replace(model.config, foreign_tfidf_weight=weight)
    model.rarity = lists
    return model


def test_a_text_in_another_language_gets_evidence_that_reads_its_languages_lists(tiny_model):
    model = with_foreign_evidence(load(tiny_model, lang="auto"))
    assert model.tfidf_evidence("en") == (model.config.tfidf_weight, None)  # its own language: as before
    weight, idf = model.tfidf_evidence("fr")
    assert weight == 0.5 and idf("réseau") == LISTS.of(["réseau"], "fr")[0] < idf("network") == 1.0
    assert idf("de") < idf("réseau")  # a common French word weighs little
    english = "Neural tagging of keyphrases in scientific abstracts uses recurrent networks."
    assert model.extract(english) == load(tiny_model).extract(english)  # English text: no evidence, as before
    model.rarity = None
    with pytest.raises(InputError, match="does not carry"):
        model.tfidf_evidence("fr")
    assert model.tfidf_evidence("en") == (0.0, None)


def test_foreign_evidence_is_saved_with_its_lists_and_read_again(tiny_model, tmp_path):
    from kwextract.serialization import save

    save(with_foreign_evidence(load(tiny_model)), tmp_path / "m")
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    assert config["format_version"] == 7 and config["model"]["foreign_tfidf_weight"] == 0.5
    card = (tmp_path / "m" / "MODEL_CARD.md").read_text()
    assert "A text in another language than 'en'" in card and "CC-BY-SA 4.0" in card
    model = load(tmp_path / "m", lang="fr")
    assert model.rarity == LISTS and model.tfidf_evidence("fr")[0] == 0.5
    # the lists serve the evidence only: the network reads the same arrays as without them
    tokens = model.tokenize(["Le réseau de la ville."])[0]
    assert model.featurize(tokens).features.shape[1] == NUM_FEATURES
    (tmp_path / "m" / RARITY_FILE).unlink()
    with pytest.raises(ModelFormatError, match="rarity.json.gz: file missing"):
        load(tmp_path / "m")
    del config["model"]["foreign_tfidf_weight"]  # a model of format 6: no foreign evidence, no lists read
    config["format_version"] = 6
    (tmp_path / "m" / "config.json").write_text(json.dumps(config))
    assert load(tmp_path / "m").config.foreign_tfidf_weight == 0.0 and load(tmp_path / "m").rarity is None


@pytest.mark.parametrize("weight", [-0.5, float("inf"), float("nan")])
def test_a_foreign_tfidf_weight_must_be_a_finite_number_of_at_least_zero(weight):
    with pytest.raises(ValueError, match="foreign_tfidf_weight"):
        replace(TINY, foreign_tfidf_weight=weight)


def run_foreign_evidence_recipe(model_dir, monkeypatch, *args):
    """data/foreign_evidence.py, which data/train_multi.sh runs on the bundled multi, on
    ``model_dir`` (with LISTS in place of wordfreq's, a training-time extra)."""
    import runpy
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "data" / "foreign_evidence.py"
    if not script.is_file():
        pytest.skip(f"{script}: the data recipes are in the source checkout only")
    monkeypatch.setattr("kwextract.rarity.build_general_rarity", lambda words: LISTS)
    monkeypatch.setattr(sys, "argv", [str(script), str(model_dir), *args])
    with pytest.raises(SystemExit) as done:
        runpy.run_path(str(script), run_name="__main__")
    assert done.value.code == 0


def test_the_recipe_gives_a_model_the_lists_and_the_weight_and_nothing_else(tiny_model, tmp_path, monkeypatch):
    import shutil

    shutil.copytree(tiny_model, tmp_path / "m")
    run_foreign_evidence_recipe(tmp_path / "m", monkeypatch, "--weight", "0.25")
    model = load(tmp_path / "m")
    assert model.config.foreign_tfidf_weight == 0.25 and model.rarity == LISTS
    assert json.loads((tmp_path / "m" / "meta.json").read_text())["foreign_evidence"]["weight"] == 0.25
    assert (tmp_path / "m" / "weights.pt").read_bytes() == (tiny_model / "weights.pt").read_bytes()
    text = "Neural tagging of keyphrases in scientific abstracts uses recurrent networks."
    assert model.extract(text) == load(tiny_model).extract(text)


def test_the_recipe_lets_a_model_that_reads_rarity_keep_its_own_lists(rarity_model, monkeypatch):
    from kwextract.serialization import save

    _, path = rarity_model
    mine = GeneralRarity.from_words({"fr": ("de", "la")}, "mine")  # not LISTS, which the recipe would build
    model = load(path)
    model.rarity = mine
    save(model, path)
    run_foreign_evidence_recipe(path, monkeypatch)
    again = load(path)
    assert again.config.foreign_tfidf_weight == 0.5 and again.config.general_rarity and again.rarity == mine
