"""Ensembles: mean span marginals, calibration, save/load, the CLI, and what refuses them."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import torch
from typer.testing import CliRunner

from kwextract import EnsembleExtractor, InputError, KeyphraseExtractor, ModelFormatError, load, save
from kwextract.cli.main import app
from kwextract.config import ModelConfig
from kwextract.data import read_documents
from kwextract.ensemble import average_spans, build_ensemble
from kwextract.ranking import ScoredSpan, SpanList
from kwextract.train import TrainConfig, train
from kwextract.unsupervised import AdaptConfig, adapt
from kwextract.vocab import Vocab

TEXT = ("Genetic algorithm for graph partitioning. We study a genetic algorithm and its relation to "
        "image segmentation. Experiments show that graph partitioning outperforms earlier work on "
        "query optimization.")


@pytest.fixture(scope="module")
def ensemble_dir(tiny_model, tiny_model_b, corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("ensembles") / "pair"
    members = [load(tiny_model), load(tiny_model_b)]
    ensemble = build_ensemble(members, [read_documents(corpus["dev"])], log=lambda m: None,
                              sources=[str(tiny_model), str(tiny_model_b)], dev_names=[str(corpus["dev"])])
    return save(ensemble, out)


def test_average_spans_means_with_missing_as_zero_and_majority_viterbi():
    a = [ScoredSpan(0, 2, 0.8), ScoredSpan(3, 4, 0.4)]
    b = [ScoredSpan(0, 2, 0.6), ScoredSpan(5, 7, 0.2)]
    c = [ScoredSpan(0, 2, 0.1)]
    mean, viterbi = average_spans([a, b, c], [{(0, 2), (3, 4)}, {(0, 2)}, {(5, 7)}])
    assert [(s.start, s.end) for s in mean] == [(0, 2), (3, 4), (5, 7)]  # text order
    assert [s.prob for s in mean] == pytest.approx([0.5, 0.4 / 3, 0.2 / 3])
    assert viterbi == {(0, 2)}  # in two of three best paths; the others in one
    _, two = average_spans([a, b], [{(3, 4)}, {(5, 7)}])
    assert two == {(3, 4), (5, 7)}  # with two members, half is one


def test_average_spans_keeps_the_means_above_the_floor_and_sums_as_one_by_one():
    rng = np.random.default_rng(0)
    members = [SpanList(starts, starts + rng.integers(1, 4, 300), rng.random(300))
               for starts in (rng.integers(0, 200, 300) for _ in range(3))]  # repeats within a member too
    sums: dict[tuple[int, int], float] = {}
    for member in members:
        for s in member:
            sums[(s.start, s.end)] = sums.get((s.start, s.end), 0.0) + s.prob
    expected = sorted((span, total / 3) for span, total in sums.items())
    mean, _ = average_spans(members, [set(), set(), set()])
    assert [((s.start, s.end), s.prob) for s in mean] == expected  # the same floats, in text order
    high, _ = average_spans(members, [set(), set(), set()], min_prob=0.5)
    assert [((s.start, s.end), s.prob) for s in high] == [(span, p) for span, p in expected if p >= 0.5]
    empty, none = average_spans([SpanList(), []], [set(), set()])
    assert len(empty) == 0 and none == set()


def test_an_ensemble_of_a_model_with_itself_is_that_model(tiny_model):
    model = load(tiny_model)
    twin = EnsembleExtractor([model, load(tiny_model)], model.config, phrase_scorer=model.phrase_scorer)
    tokens = model.tokenizer.pipe([TEXT])
    (spans,), (decoded,) = model.score_spans(tokens)
    (twin_spans,), (twin_decoded,) = twin.score_spans(tokens)
    assert sorted((s.start, s.end) for s in spans) == [(s.start, s.end) for s in twin_spans]
    probs = {(s.start, s.end): s.prob for s in spans}
    assert [s.prob for s in twin_spans] == pytest.approx([probs[(s.start, s.end)] for s in twin_spans])
    assert twin_decoded == decoded
    assert [k.text for k in twin.extract(TEXT, top_k=None)] == [k.text for k in model.extract(TEXT, top_k=None)]


def test_ensemble_marginals_are_the_members_mean(tiny_model, tiny_model_b):
    a, b = load(tiny_model), load(tiny_model_b)
    ensemble = EnsembleExtractor([a, b])
    tokens = a.tokenizer.pipe([TEXT])
    floor = ensemble.config.candidate_min_prob
    member = [{(s.start, s.end): s.prob for s in m.score_spans(tokens, min_prob=floor)[0][0]} for m in (a, b)]
    (spans,), _ = ensemble.score_spans(tokens)
    assert spans, "the tiny models score some spans of a text in their own domain"
    for s in spans:
        assert s.prob == pytest.approx((member[0].get((s.start, s.end), 0) + member[1].get((s.start, s.end), 0)) / 2)
        assert s.prob >= floor


def test_members_that_read_alike_featurize_each_text_once(tiny_model, tiny_model_b, monkeypatch):
    """Members with one vocabulary (as the bundled pair's) share one featurizing of each text,
    with the same spans to the bit as when each member featurizes for itself."""
    a, b = load(tiny_model), load(tiny_model_b)
    assert a.reads_like(b) and b.reads_like(a)
    calls = []
    for m in (a, b):
        monkeypatch.setattr(m, "featurize", lambda tokens, m=m, f=m.featurize: calls.append(m) or f(tokens))
    tokens = a.tokenizer.pipe([TEXT, TEXT.upper() + " " + TEXT])
    (shared, shared_decoded) = EnsembleExtractor([a, b]).score_spans(tokens)
    assert calls == [a, a]
    calls.clear()
    monkeypatch.setattr(a, "reads_like", lambda other: False)
    (alone, alone_decoded) = EnsembleExtractor([a, b]).score_spans(tokens)
    assert calls == [a, a, b, b]
    assert shared_decoded == alone_decoded
    for x, y in zip(shared, alone):
        assert len(x) > 0 and (x.starts == y.starts).all() and (x.ends == y.ends).all() and (x.probs == y.probs).all()
    other = load(tiny_model)
    other.words = Vocab(other.words.itos[2:-1])  # one word fewer: it reads text its own way
    assert not b.reads_like(other)


def test_built_ensemble_is_calibrated_saved_and_reloaded(ensemble_dir, tiny_model):
    assert sorted(p.name for p in ensemble_dir.iterdir() if p.is_dir()) == ["member-1", "member-2"]
    assert not (ensemble_dir / "weights.pt").exists()  # the weights live in the members
    model = load(ensemble_dir)
    assert isinstance(model, EnsembleExtractor) and all(isinstance(m, KeyphraseExtractor) for m in model.members)
    assert model.meta["calibration"]["dev_data"] and len(model.meta["members"]) == 2
    assert model.members[0].tokenizer is model.members[1].tokenizer is model.tokenizer  # one spaCy pipeline
    french = load(ensemble_dir, lang="fr")
    assert french.members[1].tokenizer is french.tokenizer and french.tokenizer.lang == "fr"
    assert "Ensemble of 2 taggers" in (ensemble_dir / "MODEL_CARD.md").read_text()
    found = model.extract(TEXT, top_k=5)
    assert 0 < len(found) <= 5 and all(TEXT[k.start : k.end] == k.text and 0 <= k.score <= 1 for k in found)
    texts = [TEXT, "graph partitioning", ""]
    assert model.extract_batch(texts) == [model.extract(t) for t in texts]
    assert load(ensemble_dir, quantize=True).extract(TEXT, top_k=3)  # every member quantized
    halved = load(ensemble_dir, precision="bfloat16")  # every member's encoder in bfloat16
    assert all(m.tagger.encoder.weight_ih_l0.dtype == torch.bfloat16 for m in halved.members)
    assert halved.extract(TEXT, top_k=3)


def test_missing_or_corrupted_member_is_named(ensemble_dir, tmp_path):
    copy = shutil.copytree(ensemble_dir, tmp_path / "copy")
    weights = copy / "member-2" / "weights.pt"
    weights.write_bytes(weights.read_bytes()[:100])
    with pytest.raises(ModelFormatError, match="member-2/weights.pt"):
        load(copy)
    shutil.rmtree(copy / "member-2")
    with pytest.raises(ModelFormatError, match="member-2"):
        load(copy)


def test_fewer_than_two_members_or_nested_ensembles_are_refused(ensemble_dir, tiny_model, corpus):
    with pytest.raises(InputError, match="at least two"):
        EnsembleExtractor([load(tiny_model)])
    with pytest.raises(InputError, match="itself an ensemble"):
        build_ensemble([load(ensemble_dir), load(tiny_model)], [read_documents(corpus["dev"])],
                       sources=["pair", "tiny"])


def test_cli_builds_an_ensemble_and_refuses_one_member(tiny_model, tiny_model_b, corpus, tmp_path):
    runner = CliRunner()
    out = tmp_path / "ens"
    done = runner.invoke(app, ["ensemble", str(tiny_model), str(tiny_model_b), "-o", str(out), "--dev", str(corpus["dev"])])
    assert done.exit_code == 0, done.output
    assert isinstance(load(out), EnsembleExtractor)
    shown = runner.invoke(app, ["info", str(out)])
    assert shown.exit_code == 0 and "Ensemble of 2 taggers" in shown.output
    extracted = runner.invoke(app, ["extract", "--model", str(out), TEXT])
    assert extracted.exit_code == 0, extracted.output
    refused = runner.invoke(app, ["ensemble", str(tiny_model), "-o", str(tmp_path / "x"), "--dev", str(corpus["dev"])])
    assert refused.exit_code == 2 and "at least two" in refused.output


def test_continuing_an_ensemble_continues_every_member(ensemble_dir, corpus, tmp_path):
    config = TrainConfig(train=(str(corpus["train"]),), dev=(str(corpus["dev"]),), epochs=1, patience=1,
                         batch_size=8, learning_rate=1e-3, base=str(ensemble_dir))
    continued = train(config, ModelConfig(), tmp_path / "continued", log=lambda m: None)
    reloaded = load(tmp_path / "continued")
    assert isinstance(continued, EnsembleExtractor) and isinstance(reloaded, EnsembleExtractor)
    assert len(reloaded.members) == 2 and reloaded.meta["base_model"]["path"] == str(ensemble_dir)
    assert "calibration" in reloaded.meta and all(m["training"] for m in reloaded.meta["members"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["continued"]  # no member scratch left behind
    assert reloaded.extract(TEXT) == continued.extract(TEXT)


def test_adapting_an_ensemble_adapts_every_member(ensemble_dir, corpus, tmp_path):
    texts = tmp_path / "new.txt"
    texts.write_text("A genetic algorithm is proposed for speech recognition and decision tree learning.\n"
                     "Speech recognition with a decision tree improves information retrieval.\n")
    adapted = adapt(ensemble_dir, [texts], tmp_path / "adapted", AdaptConfig(rounds=1, epochs_per_round=1),
                    log=lambda m: None)
    reloaded = load(tmp_path / "adapted")
    assert isinstance(adapted, EnsembleExtractor) and isinstance(reloaded, EnsembleExtractor)
    assert len(reloaded.members) == 2 and reloaded.meta["adaptation"]["history"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adapted", "new.txt"]  # no member scratch left behind
    assert reloaded.extract(TEXT) == adapted.extract(TEXT)


@pytest.mark.parametrize("member", ["../elsewhere", "/tmp", "sub/member-1", ".."])
def test_member_outside_the_ensemble_folder_is_refused(tmp_path, member):
    from kwextract.serialization import DEFAULT_MODEL_DIR

    ensemble = tmp_path / "ensemble"
    shutil.copytree(DEFAULT_MODEL_DIR, ensemble)
    config = json.loads((ensemble / "config.json").read_text())
    config["members"][1] = member
    (ensemble / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelFormatError, match="not a folder directly inside"):
        load(ensemble)
