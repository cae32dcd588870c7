import itertools
import warnings
from dataclasses import replace

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from kwextract import InputError, KwextractWarning, ModelFormatError, load, save
from kwextract.calibrate import _weights, calibrate
from kwextract.data import read_documents
from kwextract.normalize import stem, stems_of
from kwextract.phrase_scorer import (FIRST_FEATURES, PHRASE_FEATURES, Candidate, PhraseScorer, _nesting,
                                     feature_blocks, fit_phrase_scorer, phrase_features)
from kwextract.ranking import candidates, exact_expected_f1_count, expected_f1_count
from kwextract.tokenize import Tokenizer

TEXT = ("Recurrent neural networks tag keyphrases. A recurrent neural network reads the text; "
        "the network is trained on abstracts.")


def _data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.random((n, len(PHRASE_FEATURES)))
    y = (x[:, 0] + x[:, 4] * x[:, 5] + 0.3 * rng.random(n) > 1.0).astype(np.int64)
    return x, y


def test_trees_as_arrays_equal_scikit_learn():
    x, y = _data(2000, 0)
    ours = fit_phrase_scorer(x, y, seed=3)
    theirs = HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, max_depth=4, early_stopping=False,
                                            random_state=3).fit(x, y)
    test, _ = _data(500, 1)
    np.testing.assert_allclose(ours.predict(test), theirs.predict_proba(test)[:, 1], atol=1e-12)


def test_save_and_load_keep_predictions(tmp_path):
    x, y = _data(1000, 2)
    scorer = fit_phrase_scorer(x, y)
    scorer.save(tmp_path / "trees.pt")
    np.testing.assert_array_equal(PhraseScorer.load(tmp_path / "trees.pt").predict(x), scorer.predict(x))


def test_one_class_is_refused():
    x, _ = _data(100, 4)
    with pytest.raises(ValueError, match="both keyphrases and non-keyphrases"):
        fit_phrase_scorer(x, np.zeros(100, dtype=np.int64))


def test_nesting_features():
    outer = Candidate(("recurr", "neural", "network"), 0, log_miss=np.log(0.2), best=0.8, total=0.8, occurrences=1)
    inner = Candidate(("neural", "network"), 1, log_miss=np.log(0.5), best=0.5, total=0.5, occurrences=1)
    alone = Candidate(("abstract",), 10, log_miss=np.log(0.9), best=0.1, total=0.1, occurrences=1)
    tokens = Tokenizer().pipe(["Recurrent neural\nnetwork reads the text and is trained on abstracts"])[0]
    x = phrase_features([outer, inner, alone], tokens, lambda w: 2.0)
    col = {name: x[:, i] for i, name in enumerate(PHRASE_FEATURES)}
    assert col["inside_better"].tolist() == [0, 1, 0]  # "neural network" sits inside a better phrase
    assert col["contains_better"].tolist() == [0, 0, 0]
    assert col["max_inner"][0] == pytest.approx(0.5) and col["max_outer"][1] == pytest.approx(0.8)
    assert col["rank"].tolist() == [0, 1, 2]
    assert col["mean_idf"].tolist() == [2.0, 2.0, 2.0]
    assert col["line_breaks"].tolist() == [1, 1, 0]  # "neural\nnetwork" is wrapped
    assert col["crosses_first_line"].tolist() == [1, 1, 0]
    assert phrase_features([], tokens, lambda w: 1.0).shape == (0, len(PHRASE_FEATURES))


def test_nesting_found_a_few_candidates_at_a_time_is_the_same():
    """Pairs are gathered a block of candidates at a time; sums over them run in the same order."""
    rng = np.random.default_rng(1)
    words = ["neural", "network", "graph", "model", "deep"]
    keys = list({tuple(rng.choice(words, size=rng.integers(1, 5))) for _ in range(200)})
    noisy = rng.random(len(keys))
    whole = _nesting(keys, noisy, rows=len(keys))
    for rows in (1, 3, 64):
        assert all(np.array_equal(a, b) for a, b in zip(_nesting(keys, noisy, rows=rows), whole))
    max_outer, max_inner, sum_outer = whole
    for k, key in enumerate(keys):  # against the definition: each place a longer candidate holds it
        holding = [noisy[h] for h, other in enumerate(keys) if len(other) > len(key)
                   for s in range(len(other) - len(key) + 1) if other[s : s + len(key)] == key]
        inside = [noisy[h] for h, other in enumerate(keys) if len(other) < len(key)
                  and any(key[s : s + len(other)] == other for s in range(len(key) - len(other) + 1))]
        assert max_outer[k] == max(holding, default=0.0) and sum_outer[k] == pytest.approx(sum(holding))
        assert max_inner[k] == max(inside, default=0.0)


def test_whole_text_features():
    text = "Neural networks learn. A neural network and Graph methods. Networks of graphs, again networks."
    tokens = Tokenizer().pipe([text])[0]
    stems = [stem(w) for w in tokens.words]
    network = Candidate(("neural", "network"), 0, log_miss=np.log(0.5), best=0.5, total=0.5, occurrences=1)
    graph = Candidate(("graph", "method"), 8, log_miss=np.log(0.7), best=0.3, total=0.3, occurrences=1)
    idf = {"Neural": 1.0, "networks": 3.0, "Graph": 2.0, "methods": 4.0}
    x = phrase_features([network, graph], tokens, lambda w: idf.get(w, 0.0), stems)
    col = {name: x[:, i] for i, name in enumerate(PHRASE_FEATURES)}
    assert np.expm1(col["log_frequency"]).round().tolist() == [2, 1]  # "Neural networks", "neural network"
    assert col["scored_share"].tolist() == [0.5, 1.0]
    assert col["spread"][0] == pytest.approx(5 / len(tokens)) and col["spread"][1] == 0.0
    assert col["in_first_sentence"].tolist() == [1, 0]
    assert col["min_idf"].tolist() == [1.0, 2.0] and col["max_idf"].tolist() == [3.0, 4.0]
    assert np.expm1(col["log_head_frequency"]).round().tolist() == [4, 1]  # network x4, method x1
    assert col["capitalised"].tolist() == [0.5, 0.5]
    # TF-IDF as the baseline scores it: sum of log(1 + stem count) * IDF over its words / sqrt(words),
    # times log(1 + phrase count), times a position factor that favours early phrases
    n = len(tokens)
    network_tfidf = (np.log1p(2) * 1.0 + np.log1p(4) * 3.0) / np.sqrt(2) * np.log1p(2) * 2.0
    graph_tfidf = (np.log1p(2) * 2.0 + np.log1p(1) * 4.0) / np.sqrt(2) * np.log1p(1) * (1 + 1 / (1 + 80 / n))
    assert col["tfidf"] == pytest.approx([network_tfidf, graph_tfidf])
    assert col["tfidf_rank"].tolist() == [0, 1]
    assert col["tfidf_relative"] == pytest.approx([1.0, graph_tfidf / network_tfidf])
    assert np.array_equal(x, phrase_features([network, graph], tokens, lambda w: idf.get(w, 0.0)))


def test_features_made_a_block_of_rows_at_a_time_are_the_whole_matrix(tiny_model):
    model = load(tiny_model)
    tokens = model.tokenizer.pipe([TEXT * 3])[0]
    spans, decoded = model.score_spans([tokens], min_prob=1e-4)
    stems = stems_of(tokens)
    found = candidates(tokens, stems, spans[0], decoded[0])
    assert len(found) > 7
    for columns in (FIRST_FEATURES, len(PHRASE_FEATURES)):
        whole = phrase_features(found, tokens, lambda w: 1.5, stems, columns)
        blocks = list(feature_blocks(found, tokens, lambda w: 1.5, stems, columns, rows=3))
        assert [len(b) for b in blocks[:-1]] == [3] * (len(blocks) - 1) and whole.shape == (len(found), columns)
        assert np.array_equal(np.concatenate(blocks), whole)


def test_calibration_weightings_and_feature_count(tiny_model, corpus):
    model = load(tiny_model)
    dev = [read_documents(corpus["dev"])]
    for weighting, features in (("document", FIRST_FEATURES), ("file", len(PHRASE_FEATURES))):
        report = calibrate(model, dev, log=lambda m: None, weighting=weighting, features=features).report
        assert report["phrase_scorer"]["weighting"] == weighting and report["phrase_scorer"]["features"] == features
    with pytest.raises(InputError, match="weighting"):
        calibrate(model, dev, log=lambda m: None, weighting="token")
    with pytest.raises(InputError, match="features"):
        calibrate(model, dev, log=lambda m: None, features=len(PHRASE_FEATURES) + 1)


def test_fitting_weights_balance_documents_and_files():
    rows, files = [2, 6, 4], [0, 0, 1]
    doc = _weights(rows, files, "document")
    assert [doc[:2].sum(), doc[2:8].sum(), doc[8:].sum()] == pytest.approx([4.0, 4.0, 4.0])
    per_file = _weights(rows, files, "file")
    assert per_file[:8].sum() == pytest.approx(per_file[8:].sum()) and per_file.mean() == pytest.approx(1.0)
    assert _weights(rows, files, "candidate") is None


def test_candidates_merge_inflections(tiny_model):
    model = load(tiny_model)
    tokens = model.tokenizer.pipe([TEXT])[0]
    spans, decoded = model.score_spans([tokens])
    found = candidates(tokens, [stem(w) for w in tokens.words], spans[0], decoded[0])
    keys = [c.key for c in found]
    assert len(keys) == len(set(keys))
    assert all(c.occurrences >= 1 and 0.0 <= c.noisy_or <= 1.0 and c.best <= c.noisy_or + 1e-9 for c in found)


@pytest.fixture()
def scored_model(tiny_model, tmp_path):
    """The tiny model with a phrase scorer fitted on synthetic features, saved."""
    model = load(tiny_model)
    model.phrase_scorer = fit_phrase_scorer(*_data(1000, 5))
    model.tagger.config = replace(model.config, phrase_scorer=True, select_threshold=0.3)
    return save(model, tmp_path / "scored")


def test_model_with_phrase_scorer_round_trips(scored_model):
    model = load(scored_model)
    assert model.phrase_scorer is not None
    result = model.extract(TEXT, top_k=None)
    assert all(kp.score >= 0.3 for kp in result)
    ranked = model.extract(TEXT, top_k=5)
    assert [kp.score for kp in ranked] == sorted((kp.score for kp in ranked), reverse=True)
    assert all(TEXT[kp.start : kp.end] == kp.text and 0.0 <= kp.score <= 1.0 for kp in ranked)
    assert model.extract_batch([TEXT, "", TEXT], top_k=5) == [ranked, [], ranked]


def test_missing_or_corrupted_phrase_scorer_is_named(scored_model):
    path = scored_model / "phrase_scorer.pt"
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(ModelFormatError, match="phrase_scorer.pt"):
        load(scored_model)
    path.unlink()
    with pytest.raises(ModelFormatError, match="phrase_scorer.pt"):
        load(scored_model)


def test_calibrate_cross_fits_and_reports(tiny_model, corpus):
    model = load(tiny_model)
    result = calibrate(model, [read_documents(corpus["dev"])], log=lambda m: None)
    report = result.report["phrase_scorer"]
    assert report["candidates"] > 0 and set(report["cross_fitted_dev_f1_M_by_selection"])
    assert result.config.phrase_scorer == report["kept"] == (result.phrase_scorer is not None)
    plain = calibrate(model, [read_documents(corpus["dev"])], log=lambda m: None, phrase_scorer=False)
    assert plain.phrase_scorer is None and "phrase_scorer" not in plain.report


def test_recalibrating_under_other_library_versions_warns(tiny_model, corpus):
    model = load(tiny_model)
    dev = [read_documents(corpus["dev"])]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # same versions as recorded: no warning
        calibrate(model, dev, log=lambda m: None, phrase_scorer=False)
    recorded = {**model.meta["calibration"]["environment"], "scikit-learn": "0.0.1"}
    model.meta = {**model.meta, "calibration": {**model.meta["calibration"], "environment": recorded}}
    with pytest.warns(KwextractWarning, match=r"scikit-learn 0\.0\.1 → .*not comparable.*kwextract\[train\]"):
        calibrate(model, dev, log=lambda m: None, phrase_scorer=False)


def _brute_expected_f1(probs: list[float], n: int) -> float:
    """E[F1] of keeping the first n, by enumerating every gold/not-gold outcome."""
    total = 0.0
    for outcome in itertools.product((0, 1), repeat=len(probs)):
        weight = float(np.prod([p if o else 1 - p for p, o in zip(probs, outcome)]))
        hits, gold = sum(outcome[:n]), sum(outcome)
        total += weight * (2 * hits / (n + gold) if n + gold else 0.0)
    return total


@pytest.mark.parametrize("probs", [[0.9, 0.8, 0.05, 0.01], [0.3] * 8, [0.6, 0.2, 0.2, 0.1, 0.1, 0.05, 0.02],
                                   [0.01], [0.5, 0.0, 0.0], [1.0, 1.0, 0.4, 0.1]])
def test_exact_expected_f1_count_matches_enumeration(probs):
    best = max(range(1, len(probs) + 1), key=lambda n: (_brute_expected_f1(probs, n), -n))
    assert exact_expected_f1_count(probs) == best
    assert exact_expected_f1_count(probs, max_keep=1) == 1
    assert exact_expected_f1_count([]) == 0


def test_exact_rule_on_a_sure_head_and_a_doubtful_tail():
    # One fairly sure phrase and a long tail of doubtful ones: both rules keep just it; with a
    # second phrase almost as likely as the first, both are kept.
    assert exact_expected_f1_count([0.9] + [0.05] * 40) == expected_f1_count([0.9] + [0.05] * 40, 2.9) == 1
    assert exact_expected_f1_count([0.9, 0.85] + [0.05] * 40) == 2


def test_the_model_s_own_selection_follows_the_exact_rule(tiny_model):
    model = load(tiny_model)
    model.tagger.config = replace(model.config, selection="exact_expected_f1")
    text = "A genetic algorithm for graph partitioning. We compare graph partitioning with image segmentation."
    everything = model.extract(text, top_k=10_000)
    chosen = model.extract(text, top_k=None)
    assert chosen == everything[: exact_expected_f1_count([k.score for k in everything])] and chosen


def test_expected_f1_count():
    assert expected_f1_count([], 0.0) == 0
    assert expected_f1_count([0.9, 0.8, 0.05, 0.01], 1.76) == 2  # sure phrases kept, unlikely ones not
    assert expected_f1_count([0.3] * 10, 3.0) == 10  # many half-likely phrases: keep them all
    assert expected_f1_count([0.01], 0.01) == 1  # one candidate: keeping it beats keeping none


def test_predict_in_chunks_equals_whole():
    x, y = _data(3000, 6)
    scorer = fit_phrase_scorer(x, y)
    np.testing.assert_array_equal(scorer.predict(x, chunk=7), scorer.predict(x, chunk=10_000))


def test_calibrate_without_dev_documents_says_so(tiny_model):
    with pytest.raises(InputError, match="dev"):
        calibrate(load(tiny_model), [[]], log=lambda m: None)


def test_calibration_ranks_top_10s_with_the_models_tfidf_weight(tiny_model, corpus):
    """The candidate floor and aggregation are chosen on the top 10s the model will return."""
    from kwextract.evaluate import evaluate

    model = load(tiny_model)
    model.config = replace(model.config, tfidf_weight=5.0)
    dev = read_documents(corpus["dev"])
    result = calibrate(model, [dev], log=lambda m: None, phrase_scorer=False)
    assert result.config.tfidf_weight == 5.0
    model.config, model.phrase_scorer = result.config, None
    chosen = result.report["dev_f1_10_by_aggregation_and_min_prob"][
        f"{result.config.aggregation} {result.config.candidate_min_prob}"]
    assert chosen == pytest.approx(evaluate(model, dev)["f1@10"], abs=1e-4)
