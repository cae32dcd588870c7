"""Learning without labels: the TF-IDF teacher, unsupervised training and adaptation, end to end."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kwextract import load, unsupervised
from kwextract.cli.main import app
from kwextract.data import read_documents
from kwextract.evaluate import evaluate
from kwextract.tokenize import Tokenizer
from kwextract.train import TrainConfig
from kwextract.unsupervised import AdaptConfig, TfidfScorer, adapt, candidate_spans, train_unsupervised

from .conftest import TINY, make_corpus

tokenizer = Tokenizer()


def test_candidates_are_content_word_runs():
    toks = tokenizer("The state-of-the-art model of graph partitioning, and a tree.")
    texts = {" ".join(toks.words[s:e]) for s, e in candidate_spans(toks)}
    assert "graph partitioning" in texts and "model" in texts and "tree" in texts
    assert not any(t.split()[0] in {"the", "of", "and", "a"} or t.endswith(",") for t in texts)


def test_tfidf_teacher_finds_the_topics(corpus):
    docs = read_documents(corpus["train"])
    tokens = tokenizer.pipe([d.text for d in docs])
    scorer = TfidfScorer().fit(tokens)
    hits = [len({p.lower() for p in scorer.top_phrases(t, 3)} & set(d.keyphrases)) for d, t in zip(docs, tokens)]
    assert sum(hits) / (3 * len(docs)) > 0.3  # filler verbs compete in this toy corpus


def _unlabeled(corpus_path, tmp_path):
    path = tmp_path / "texts.jsonl"
    with path.open("w") as out:
        for d in read_documents(corpus_path):
            out.write(json.dumps({"id": d.id, "text": d.text}) + "\n")
    return path


def test_train_unsupervised_end_to_end(corpus, tmp_path):
    texts = _unlabeled(corpus["train"], tmp_path)
    config = TrainConfig(train=(), epochs=4, patience=4, batch_size=8, learning_rate=1e-2, word_min_freq=1)
    model = train_unsupervised([texts], config, TINY, tmp_path / "unsup", log=lambda m: None, held_out=0.1)
    meta = load(tmp_path / "unsup").meta
    assert meta["name"] == "unsupervised"
    # a tenth of the texts, silver-labelled, stopped training and calibrated the selection
    assert meta["silver_held_out"] == len(read_documents(texts)) // 10 > 0
    assert meta["training"]["best_dev_f1_10"] is not None and "calibration" in meta
    assert evaluate(model, read_documents(corpus["dev"]))["f1@10"] > 0.2


def test_adapt_end_to_end(tiny_model, corpus, tmp_path):
    new_domain = make_corpus(tmp_path / "new.jsonl", 20, seed=9)
    texts = _unlabeled(new_domain, tmp_path)
    base = load(tiny_model)
    adapted = adapt(tiny_model, [texts], tmp_path / "adapted", AdaptConfig(rounds=2, epochs_per_round=1),
                    log=lambda m: None, rehearse=[corpus["train"]], guard=[corpus["dev"]])
    reloaded = load(tmp_path / "adapted")
    history = reloaded.meta["adaptation"]["history"]
    assert 1 <= len(history) <= 2 and all(r["silver_phrases"] > 0 for r in history)
    assert all("guard_f1_10" in r for r in history)
    base_guard = reloaded.meta["adaptation"]["base_guard_f1_10"]
    kept = [r for r in history if not r.get("undone")]
    tolerance = reloaded.meta["adaptation"]["settings"]["max_guard_drop"]
    for r in kept:  # a round that forgot on any guard set is undone
        assert all(now >= before - tolerance for now, before in zip(r["guard_f1_10"], base_guard))
    assert len(reloaded.words) >= len(base.words)
    text = "A genetic algorithm is proposed for graph partitioning."
    assert [k.text for k in reloaded.extract(text)] == [k.text for k in adapted.extract(text)]


@pytest.mark.parametrize("reference, rounds_kept", [("base", 1), ("previous", 2)])
def test_drift_check_reference(tiny_model, tmp_path, monkeypatch, reference, rounds_kept):
    """Tagged share 0.1 (base) → 0.25 → 0.5: round 2 moves ×5 from the base but ×2 from round 1."""
    rates = iter([0.1, 0.25, 0.5])
    monkeypatch.setattr(unsupervised, "_tag_rate", lambda extractor, tokens: next(rates))
    texts = _unlabeled(make_corpus(tmp_path / "new.jsonl", 6, seed=3), tmp_path)
    config = AdaptConfig(rounds=2, epochs_per_round=1, max_tag_rate_change=3.0, drift_reference=reference)
    adapt(tiny_model, [texts], tmp_path / "adapted", config, log=lambda m: None)
    history = load(tmp_path / "adapted").meta["adaptation"]["history"]
    assert [r["tag_rate"] for r in history] == [0.25, 0.5]
    assert [not r.get("undone") for r in history].count(True) == rounds_kept


def test_adaptation_with_no_round_kept_writes_the_base_model_unchanged(tiny_model, tmp_path, monkeypatch):
    """The new words were added before round 1; with that round undone they must go too, or
    their IDF from the new texts changes the base model's scores with nothing learned."""
    rates = iter([0.02, 0.2])  # round 1 moves the tagged share ×10: undone
    monkeypatch.setattr(unsupervised, "_tag_rate", lambda extractor, tokens: next(rates))
    texts = _unlabeled(make_corpus(tmp_path / "new.jsonl", 8, seed=5), tmp_path)
    messages = []
    adapt(tiny_model, [texts], tmp_path / "adapted", AdaptConfig(rounds=2, epochs_per_round=1), log=messages.append)
    base, adapted = load(tiny_model), load(tmp_path / "adapted")
    assert any("new words added" in m and not m.startswith("0 ") for m in messages)  # words were added first
    assert any("no round was kept" in m for m in messages)
    assert [r.get("undone") for r in adapted.meta["adaptation"]["history"]] == [True]
    assert adapted.words.itos == base.words.itos
    assert adapted.tagger.idf.tolist() == base.tagger.idf.tolist()
    text = "A genetic algorithm is proposed for graph partitioning of sparse matrices."
    assert adapted.extract(text, top_k=10) == base.extract(text, top_k=10)


def test_cli_adapt_says_when_no_round_was_kept(tiny_model, tmp_path, monkeypatch):
    texts = _unlabeled(make_corpus(tmp_path / "new.jsonl", 8, seed=5), tmp_path)
    rates = iter([0.02, 0.2, 0.02, 0.03])  # the first run's round moves ×10 (undone), the second's ×1.5
    monkeypatch.setattr(unsupervised, "_tag_rate", lambda extractor, tokens: next(rates))
    args = ["adapt", "-m", str(tiny_model), "--unlabeled", str(texts), "--rounds", "1", "--epochs-per-round", "1", "-q"]
    result = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "a")])
    assert result.exit_code == 0 and "no adaptation round was kept" in result.output, result.output
    assert "base model unchanged" in result.output
    # which check undid it, by how much, and the option that sets it
    said = " ".join(result.output.split())
    assert "from 2.0% to 20.0% (×10.0), beyond --max-tag-rate-change 3" in said, said
    assert "a looser check (--max-tag-rate-change 10)" in said
    result = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "b")])
    assert result.exit_code == 0 and "(1 of 1 rounds kept)" in result.output, result.output


def test_cli_adapt_names_the_check_that_undid_a_round():
    from kwextract.cli.adapt import undone_reason

    assert undone_reason({"round": 2, "tag_rate": 0.3}, 3.0, 0.01) == ""  # kept
    guard = undone_reason({"round": 2, "tag_rate": 0.3, "undone": True, "undone_by": "guard"}, 3.0, 0.01)
    assert "round 2" in guard and "--max-guard-drop" in guard and "0.01" in guard
    drift = undone_reason({"round": 1, "tag_rate": 0.288, "undone": True, "undone_by": "drift",
                           "reference_tag_rate": 0.0412}, 3.0, 0.01)
    assert "4.1% to 28.8% (×7.0), beyond --max-tag-rate-change 3" in drift
    # a history written before the reason was recorded still gets an answer
    assert "drift or guard check" in undone_reason({"round": 1, "tag_rate": 0.2, "undone": True}, 3.0, 0.01)


def test_held_out_share_is_checked(corpus, tmp_path):
    texts = _unlabeled(corpus["dev"], tmp_path)
    with pytest.raises(ValueError, match="held_out"):
        train_unsupervised([texts], TrainConfig(train=()), TINY, tmp_path / "u", log=lambda m: None, held_out=1.0)


def test_adapt_settings_are_checked(tiny_model, corpus, tmp_path):
    with pytest.raises(ValueError, match="drift_reference"):
        AdaptConfig(drift_reference="first")
    result = CliRunner().invoke(app, ["adapt", "-m", str(tiny_model), "--unlabeled", str(corpus["dev"]), "-o",
                                      str(tmp_path / "a"), "--drift-reference", "first"])
    assert result.exit_code == 2 and "drift_reference" in result.output


def test_cli_adapt_and_unsupervised_usage(tiny_model, corpus, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["train", "--unsupervised", "-o", str(tmp_path / "m")])
    assert result.exit_code == 2 and "--unlabeled" in result.output
    texts = _unlabeled(corpus["dev"], tmp_path)
    result = runner.invoke(app, ["adapt", "-m", str(tiny_model), "--unlabeled", str(texts), "-o",
                                 str(tmp_path / "a"), "--rounds", "1", "--epochs-per-round", "1", "-q",
                                 "--tfidf-weight", "0.3"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a" / "MODEL_CARD.md").exists()
    assert load(tmp_path / "a").config.tfidf_weight == 0.3 and load(tiny_model).config.tfidf_weight == 0.0
    result = runner.invoke(app, ["adapt", "-m", str(tiny_model), "--unlabeled", str(texts), "-o",
                                 str(tmp_path / "b"), "--tfidf-weight", "-1"])
    assert result.exit_code == 2 and "--tfidf-weight" in result.output


def test_cli_unsupervised_defaults_are_the_measured_ones(corpus, tmp_path):
    """experiments/unsupervised.py measured one layer, 10 pre-training and 6 epochs, no held-out texts."""
    texts = _unlabeled(corpus["dev"], tmp_path)
    result = CliRunner().invoke(app, ["train", "--unsupervised", "--unlabeled", str(texts), "-o", str(tmp_path / "u"),
                                      "--hidden-size", "16", "-q"])
    assert result.exit_code == 0, result.output
    meta = load(tmp_path / "u").meta
    assert meta["train_config"]["epochs"] == 6 and meta["training"]["epochs_run"] == 6
    assert meta["train_config"]["pretrain_epochs"] == 10
    assert meta["silver_held_out"] == 0 and json.loads((tmp_path / "u" / "config.json").read_text())["model"]["num_layers"] == 1
