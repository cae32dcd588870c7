from dataclasses import replace

import pytest
import torch

from kwextract import load
from kwextract.config import (
    BASE_LEARNING_RATE,
    NEW_MODEL_LEARNING_RATE,
    OTHER_LANGUAGE_BASE_LEARNING_RATE,
    default_learning_rate,
)
from kwextract.errors import InputError
from kwextract.train import TrainConfig, train

from .conftest import TINY


def _weights(corpus, out, seed):
    config = TrainConfig(train=(str(corpus["train"]),), dev=(str(corpus["dev"]),), epochs=2, patience=2,
                         batch_size=8, learning_rate=1e-2, word_min_freq=1, seed=seed)
    return train(config, TINY, out, log=lambda message: None).tagger.state_dict()


def test_same_seed_same_weights_other_seed_other_weights(corpus, tmp_path):
    a, b = _weights(corpus, tmp_path / "a", 7), _weights(corpus, tmp_path / "b", 7)
    assert all(torch.equal(a[k], b[k]) for k in a)
    c = _weights(corpus, tmp_path / "c", 8)
    assert not all(torch.equal(a[k], c[k]) for k in a)


def test_a_file_given_twice_is_sampled_twice_but_counted_once(corpus, tmp_path):
    """Oversampling a corpus (``--train f --train f``) doubles its windows per epoch; the
    vocabulary and IDF still describe the distinct texts."""
    once = TrainConfig(train=(str(corpus["train"]),), dev=(str(corpus["dev"]),), epochs=1, patience=1,
                       batch_size=8, learning_rate=1e-2, word_min_freq=2)
    same_file = f"{corpus['train'].parent}/./{corpus['train'].name}"  # the same file, spelt another way
    twice = replace(once, train=(str(corpus["train"]), same_file))
    a = train(once, TINY, tmp_path / "once", log=lambda message: None)
    b = train(twice, TINY, tmp_path / "twice", log=lambda message: None)
    assert a.words.to_list() == b.words.to_list()  # a word seen once is not promoted by the repeat
    assert torch.equal(a.tagger.idf, b.tagger.idf)
    a_weights, b_weights = a.tagger.state_dict(), b.tagger.state_dict()
    assert not all(torch.equal(a_weights[k], b_weights[k]) for k in a_weights)  # it saw more windows


def _continue(tiny_model, corpus, out, learning_rate, **kwargs):
    config = TrainConfig(train=(str(corpus["train"]),), dev=(str(corpus["dev"]),), epochs=2, patience=2,
                         batch_size=8, learning_rate=learning_rate, word_min_freq=1, base=str(tiny_model), **kwargs)
    return train(config, TINY, out, log=lambda message: None, meta={"name": "continued"})


def test_continuing_a_model_keeps_its_vocabulary_and_records_its_base(tiny_model, corpus, tmp_path):
    base = load(tiny_model)
    continued = _continue(tiny_model, corpus, tmp_path / "c", 1e-2)
    assert continued.words.itos == base.words.itos and continued.chars.itos == base.chars.itos
    assert torch.equal(continued.tagger.idf, base.tagger.idf)
    changed = any(not torch.equal(a, b) for a, b in zip(continued.tagger.state_dict().values(),
                                                         base.tagger.state_dict().values()))
    assert changed == (continued.meta["training"]["best_epoch"] > 0)
    record = continued.meta["base_model"]
    assert record["path"] == str(tiny_model) and record["training"] == base.meta["training"]
    card = (tmp_path / "c" / "MODEL_CARD.md").read_text()
    assert f"Continued from: {tiny_model} (model " in card
    reloaded = load(tmp_path / "c")
    text = "We study neural network methods for keyphrase extraction."
    assert reloaded.extract(text) == continued.extract(text)


def test_continuing_returns_the_base_when_no_epoch_beats_it(tiny_model, corpus, tmp_path):
    base = load(tiny_model)
    continued = _continue(tiny_model, corpus, tmp_path / "same", 1e-30)  # steps too small to change a score
    assert continued.meta["training"]["best_epoch"] == 0
    assert all(torch.equal(a, b) for a, b in zip(continued.tagger.state_dict().values(),
                                                 base.tagger.state_dict().values()))


@pytest.mark.filterwarnings("ignore:document .* looks 'en'")  # English texts read as French, on purpose
@pytest.mark.parametrize("lang, expected", [(None, BASE_LEARNING_RATE), ("en", BASE_LEARNING_RATE),
                                            ("fr", OTHER_LANGUAGE_BASE_LEARNING_RATE)])
def test_a_continued_model_learns_at_the_rate_for_its_case(tiny_model, corpus, tmp_path, lang, expected):
    """Unless told, continuing a model on its own language takes small steps, and on another
    language (``lang`` other than the one the base was trained in) larger ones; the rate used is
    recorded, and one given is kept."""
    config = TrainConfig(train=(str(corpus["train"]),), dev=(str(corpus["dev"]),), epochs=1, patience=1,
                         batch_size=8, word_min_freq=1, base=str(tiny_model), lang=lang)
    assert config.learning_rate is None
    said = []
    continued = train(config, TINY, tmp_path / "c", log=said.append)
    assert continued.meta["train_config"]["learning_rate"] == expected
    assert f"learning rate {expected:g}" in "\n".join(said)
    given = train(replace(config, learning_rate=3e-3), TINY, tmp_path / "g", log=lambda m: None)
    assert given.meta["train_config"]["learning_rate"] == 3e-3


def test_default_learning_rate_by_case():
    assert default_learning_rate(None, None) == default_learning_rate(None, "fr") == NEW_MODEL_LEARNING_RATE
    assert default_learning_rate("en", None) == default_learning_rate("en", "EN-us") == BASE_LEARNING_RATE
    assert default_learning_rate("en", "pt") == OTHER_LANGUAGE_BASE_LEARNING_RATE
    assert BASE_LEARNING_RATE < OTHER_LANGUAGE_BASE_LEARNING_RATE


def test_a_base_model_is_not_pretrained_again(tiny_model, corpus, tmp_path):
    with pytest.raises(InputError, match="pre-training is for new models"):
        _continue(tiny_model, corpus, tmp_path / "p", 1e-3, pretrain_epochs=1)


@pytest.mark.parametrize("decay, expected", [(0.5, ["0.01", "0.01", "0.005", "0.005"]), (1.0, ["0.01"] * 4)])
def test_learning_rate_decays_after_epochs_that_do_not_beat_the_best(corpus, tmp_path, monkeypatch, decay, expected):
    dev_scores = iter([0.5, 0.4, 0.6, 0.7])  # epoch 2 falls short of epoch 1; epochs 3 and 4 improve
    monkeypatch.setattr("kwextract.train._dev_score", lambda extractor, dev_sets: next(dev_scores))
    config = TrainConfig(train=(str(corpus["train"]),), dev=(str(corpus["dev"]),), epochs=4, patience=4,
                         batch_size=8, learning_rate=1e-2, word_min_freq=1, lr_decay=decay, phrase_scorer=False)
    lines: list[str] = []
    train(config, TINY, tmp_path / "m", log=lines.append)
    rates = [line.split(", ")[0].split("lr ")[1] for line in lines if line.startswith("epoch ")]
    assert rates == expected


@pytest.mark.parametrize("decay", [0.0, 1.5, -0.5])
def test_learning_rate_decay_outside_0_1_is_refused(decay):
    with pytest.raises(ValueError, match=r"lr_decay must be in \(0, 1\], got"):
        TrainConfig(train=("train.jsonl",), lr_decay=decay)




def test_a_model_without_word_identities_reads_no_word_and_round_trips(corpus, tmp_path):
    """``word_dim=0`` (the "multi" recipe): no word vectors, no corpus IDF, so the words of a
    text reach the network only through their characters and features."""
    from dataclasses import replace

    from kwextract.featurize import NUM_FEATURES

    config = TrainConfig(train=(str(corpus["train"]),), dev=(str(corpus["dev"]),), epochs=2, patience=2,
                         batch_size=8, learning_rate=1e-2, word_min_freq=1)
    trained = train(config, replace(TINY, word_dim=0), tmp_path / "multi", log=lambda message: None)
    assert len(trained.words) == 2 and trained.tagger.words.weight.numel() == 0  # padding and unknown only
    model = load(tmp_path / "multi")
    assert model.config.word_dim == 0
    assert model.tagger.encoder.input_size == TINY.char_filters + NUM_FEATURES  # no IDF column either
    text = "Neural tagging of keyphrases in scientific abstracts uses recurrent networks."
    assert model.extract(text) == trained.extract(text) and model.extract(text)


def test_a_model_without_word_identities_refuses_word_vectors(corpus, tmp_path):
    from dataclasses import replace

    config = TrainConfig(train=(str(corpus["train"]),), epochs=1, word_min_freq=1, word_vector_epochs=1)
    with pytest.raises(InputError, match="word-dim 0"):
        train(config, replace(TINY, word_dim=0), tmp_path / "m", log=lambda message: None)


def test_an_anchor_keeps_a_continued_model_nearer_its_base(tiny_model, corpus, tmp_path, monkeypatch):
    """--anchor-weight (L2-SP) pulls every weight towards the base's: the same continued
    training moves the weights less with it, and the weight is recorded."""
    better_each_time = iter(range(1000))  # every epoch beats the last, so the last is kept
    monkeypatch.setattr("kwextract.train._dev_score", lambda extractor, dev_sets: next(better_each_time))
    base = load(tiny_model).tagger.state_dict()

    def moved(model):
        weights = model.tagger.state_dict()
        return sum(float(((weights[k] - base[k]) ** 2).sum()) for k in base if base[k].is_floating_point())

    free = _continue(tiny_model, corpus, tmp_path / "free", 1e-2, phrase_scorer=False)
    pulled = _continue(tiny_model, corpus, tmp_path / "pulled", 1e-2, phrase_scorer=False, anchor_weight=1.0)
    assert 0 < moved(pulled) < moved(free)
    assert pulled.meta["train_config"]["anchor_weight"] == 1.0 and free.meta["train_config"]["anchor_weight"] == 0


def test_an_anchor_needs_a_base_and_a_weight_of_zero_or_more(corpus, tmp_path):
    with pytest.raises(InputError, match="--base"):
        train(TrainConfig(train=(str(corpus["train"]),), anchor_weight=1e-4), TINY, tmp_path / "m", log=lambda m: None)
    with pytest.raises(ValueError, match="anchor_weight"):
        TrainConfig(train=(str(corpus["train"]),), anchor_weight=-1.0)


def test_data_that_cannot_train_a_model_is_refused_before_the_first_epoch(corpus, tmp_path):
    """An empty dev file used to fail calibration only after the whole training; an empty
    training file gave scikit-learn's "empty vocabulary"; documents whose keyphrases never occur
    in their text trained a model that had nothing to learn. Each is refused first, named."""
    empty, unlabelled = tmp_path / "empty.jsonl", tmp_path / "unlabelled.jsonl"
    empty.write_text("")
    unlabelled.write_text('{"id": "a", "text": "Graph partitioning with genetic algorithms."}\n'
                          '{"id": "b", "text": "Speech recognition.", "keyphrases": ["image segmentation"]}\n')
    epochs = []
    cases = [((str(corpus["train"]),), (str(empty),), "empty.jsonl: no documents"),
             ((str(empty),), (str(corpus["dev"]),), "empty.jsonl: no documents"),
             ((str(unlabelled),), (str(corpus["dev"]),), r"no training document has a keyphrase .*1 gold phrases in 2")]
    for train_files, dev_files, message in cases:
        config = TrainConfig(train=train_files, dev=dev_files, epochs=1, word_min_freq=1)
        with pytest.raises(InputError, match=message):
            train(config, TINY, tmp_path / "m", on_event=epochs.append, log=lambda message: None)
    assert not epochs and not (tmp_path / "m").exists()


PORTUGUESE_TEXT = ("A eleição municipal discutiu a educação pública, a informação e a saúde. "
                   "As eleições e a educação dominaram a campanha; a saúde ficou em segundo plano. ") * 3


def test_new_characters_join_a_continued_model_from_their_base_letter(tiny_model):
    """A model knows the characters of its training texts only: continued on Portuguese, ç, õ
    and ú were one unknown character to it. extend_characters adds those seen at least
    CHAR_MIN_FREQ times, each starting from its base letter's embedding."""
    from kwextract.config import CHAR_MIN_FREQ
    from kwextract.tokenize import Tokenizer
    from kwextract.train import extend_characters
    from kwextract.vocab import UNK_ID

    model = load(tiny_model)
    before = model.chars.to_list()
    embedding = model.tagger.chars.embed.weight.detach().clone()
    text = PORTUGUESE_TEXT + " жжжжж" + " œ"  # five Cyrillic ж; œ (no base letter) seen once only
    added = extend_characters(model, [Tokenizer(lang="pt")(text)])
    assert {"ç", "ã", "ú", "ж"} <= set(added) and "õ" not in added and "œ" not in added  # õ: 3 times
    assert model.chars.to_list() == before + added  # old ids unchanged
    grown = model.tagger.chars.embed.weight.detach()
    assert grown.shape[0] == len(model.chars) and torch.equal(grown[: len(before)], embedding)
    assert torch.equal(grown[model.chars["ç"]], embedding[model.chars["c"]])
    assert torch.equal(grown[model.chars["ж"]], embedding[UNK_ID])  # no base letter it knows: the unknown one's
    assert CHAR_MIN_FREQ == 5 and extend_characters(model, [Tokenizer(lang="pt")(text)]) == []  # known now
    assert model.extract(PORTUGUESE_TEXT)  # the grown encoder reads text


def test_a_model_continued_with_new_characters_saves_and_loads_them(tiny_model, tmp_path):
    import json

    data = tmp_path / "pt.jsonl"
    data.write_text("".join(json.dumps({"id": str(i), "text": PORTUGUESE_TEXT, "keyphrases": ["educação", "saúde"]}) + "\n"
                            for i in range(6)), encoding="utf-8")
    config = TrainConfig(train=(str(data),), dev=(str(data),), epochs=1, patience=1, batch_size=8,
                         learning_rate=1e-2, base=str(tiny_model), lang="pt", phrase_scorer=False)
    grown = train(replace(config, new_characters=True), TINY, tmp_path / "grown", log=lambda m: None)
    kept = train(config, TINY, tmp_path / "kept", log=lambda m: None)
    assert "ç" in load(tmp_path / "grown").chars.stoi and "ç" not in load(tmp_path / "kept").chars.stoi
    assert load(tmp_path / "grown").extract(PORTUGUESE_TEXT) == grown.extract(PORTUGUESE_TEXT)
    assert load(tmp_path / "grown").meta["train_config"]["new_characters"] is True
    assert kept.meta["train_config"]["new_characters"] is False
    with pytest.raises(ValueError, match="--base"):
        TrainConfig(train=(str(data),), new_characters=True)
