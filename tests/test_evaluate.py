import re

import pytest

from kwextract.data import Document, read_documents
from kwextract.errors import InputError
from kwextract.evaluate import ProtocolScorer, macro_scores
from kwextract.tokenize import Tokenizer

tokenizer = Tokenizer()
scorer = ProtocolScorer(tokenizer)


def test_present_gold_uses_stems_and_drops_absent_phrases():
    doc = Document("d", "Neural networks learn graph partitions.", ("neural network", "graph partition", "absent"))
    gold = scorer.present_gold(doc, tokenizer(doc.text))
    assert gold == {("neural", "network"), ("graph", "partit")}


def test_gold_and_text_with_ligatures_or_word_joiners_are_read_alike():
    """A gold keyphrase is read as the text's words are: "parallel efﬁciency" (a ligature,
    as PDF text writes it) is present in a text that writes it so, or spelled out, and
    matches the prediction "parallel efficiency"."""
    for text in ("We measure parallel e\ufb03ciency.", "We measure parallel efficiency.", "Parallel e\u2060fficiency."):
        doc = Document("d", text, ("parallel e\ufb03ciency",))
        gold = scorer.present_gold(doc, tokenizer(doc.text))
        assert gold == {("parallel", "effici")}, text
        assert scorer.score(gold, ["parallel efficiency"], None) == (1.0, 1.0, 1.0)


def test_precision_at_k_divides_by_k_and_duplicates_collapse():
    gold = {("neural", "network")}
    predicted = ["Neural Networks", "neural network", "graph"]
    assert scorer.score(gold, predicted, 5) == pytest.approx((1 / 5, 1.0, 2 * 0.2 / 1.2))
    p, r, f = scorer.score(gold, predicted, None)  # M: duplicates removed → 2 predictions
    assert (p, r) == (0.5, 1.0)


def test_macro_average_skips_documents_without_present_gold():
    docs = [
        Document("a", "Graph partitioning is hard.", ("graph partitioning",)),
        Document("b", "Nothing relevant here.", ("absent phrase",)),
    ]
    tokens = tokenizer.pipe([d.text for d in docs])
    predictions = {0: ["graph partitioning"], 1: ["nothing"]}
    result = macro_scores(docs, tokens, lambda i, k: predictions[i], scorer)
    assert result["docs"] == 1
    assert result["f1@M"] == 1.0
    assert result["p@10"] == pytest.approx(0.1)


def test_evaluate_scores_the_top_10_that_extract_returns_with_tfidf_evidence(tiny_model, corpus):
    """``kwextract evaluate`` ranks with every ranking setting of the model, the TF-IDF weight included."""
    from dataclasses import replace

    from kwextract import load
    from kwextract.data import read_documents
    from kwextract.evaluate import evaluate

    model = load(tiny_model)
    docs = read_documents(corpus["dev"])
    tokens = model.tokenizer.pipe([d.text for d in docs])
    plain = evaluate(model, docs)
    model.config = replace(model.config, tfidf_weight=5.0)
    found = model.extract_batch([d.text for d in docs], top_k=10)
    assert found != load(tiny_model).extract_batch([d.text for d in docs], top_k=10)  # the weight re-ranks
    expected = macro_scores(docs, tokens, lambda i, k: [kp.text for kp in found[i]], ProtocolScorer(model.tokenizer),
                            cutoffs=(5, 10))
    scores = evaluate(model, docs)
    assert (scores["f1@5"], scores["f1@10"]) == pytest.approx((expected["f1@5"], expected["f1@10"]))
    assert scores["f1@M"] == plain["f1@M"]  # the model's own selection is not re-ranked


def test_labelled_files_read_with_a_byte_order_mark_and_bad_bytes_named(tmp_path):
    """A JSONL file saved with a UTF-8 mark (Windows tools), or as UTF-16, is read as the same
    documents; bytes that are not UTF-8 are an error naming the file and line (it was a bare
    UnicodeDecodeError), never a silent misreading."""
    records = ('{"id": "a", "text": "Caf\u00e9 and graph partitioning.", "keyphrases": ["graph partitioning"]}\n'
               '{"id": "b", "text": "Genetic algorithms.", "keyphrases": ["genetic algorithms"]}\n')
    plain, marked, wide = tmp_path / "plain.jsonl", tmp_path / "marked.jsonl", tmp_path / "wide.jsonl"
    plain.write_text(records, encoding="utf-8")
    marked.write_text(records, encoding="utf-8-sig")
    wide.write_text(records, encoding="utf-16")
    assert read_documents(marked) == read_documents(wide) == read_documents(plain)
    (tmp_path / "latin1.jsonl").write_bytes(records.encode("utf-8") + '{"text": "Caf\u00e9"}\n'.encode("latin-1"))
    with pytest.raises(InputError, match="latin1.jsonl, line 3: not valid utf-8 at byte"):
        read_documents(tmp_path / "latin1.jsonl")


@pytest.mark.parametrize("record, message", [
    ('{"text": "Graph partitioning.", "keyphrases": "graph partitioning; genetic algorithms"}',
     "'keyphrases' must be a list of strings, got a JSON str"),
    ('{"text": "Graph partitioning.", "keyphrases": ["graph partitioning", null]}', "'keyphrases' item 1 is null"),
    ('{"text": "Graph partitioning.", "keyphrases": [3]}', "'keyphrases' item 0 is 3"),
    ('["a list", "of strings"]', "a JSON list, not an object"),
    ('{"id": "x", "keyphrases": ["graph"]}', "'text'"),
])
def test_a_labelled_record_that_would_be_misread_is_refused_with_its_line(tmp_path, record, message):
    """A string of keyphrases would be read as one gold phrase per character, a null as "None":
    refused, naming the file and line, never silently trained or scored on."""
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "ok", "text": "Fine.", "keyphrases": ["fine"]}\n' + record + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"gold.jsonl, line 2: not a valid document record .*{re.escape(message)}"):
        read_documents(path)
    path.write_text('{"text": "No id, no keyphrases."}\n', encoding="utf-8")
    assert read_documents(path) == [Document("gold.jsonl:1", "No id, no keyphrases.", (), ())]


def test_evaluate_scores_short_texts_top_10_as_extract_fills_them(corpus):
    """Titles get fewer than 10 phrases above the candidate floor; extract fills the rest
    (Extractor.filled) and evaluate must score that same list, not the shorter one."""
    from kwextract import load
    from kwextract.data import Document
    from kwextract.evaluate import evaluate

    model = load()
    titles = ["Mining intrusion detection alarms for actionable knowledge",
              "Sustainable operation and management of data center chillers using temporal data"]
    docs = [Document(str(i), t, ("actionable knowledge", "alarms", "data center chillers", "temporal data"))
            for i, t in enumerate(titles)]
    tokens = model.tokenizer.pipe(titles)
    found = model.extract_batch(titles, top_k=10)
    assert all(len(f) == 10 for f in found)
    expected = macro_scores(docs, tokens, lambda i, k: [kp.text for kp in found[i]], ProtocolScorer(model.tokenizer),
                            cutoffs=(5, 10))
    scores = evaluate(model, docs)
    assert (scores["f1@5"], scores["f1@10"]) == pytest.approx((expected["f1@5"], expected["f1@10"]))
