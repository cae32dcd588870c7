"""Train → save → load → predict on the tests' own corpus, batch = single, arbitrary Unicode."""

from __future__ import annotations

import json
import re
import unicodedata

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kwextract
from kwextract import Keyphrase, load
from kwextract.config import FORMAT_VERSION
from kwextract.ranking import SpanList
from kwextract.surface import is_clean
from kwextract.tokenize import LIGATURES, readable

TEXT = (
    "A genetic algorithm is proposed for graph partitioning. Experiments show that the genetic "
    "algorithm outperforms earlier work on graph partitioning and on image segmentation."
)


@pytest.fixture(scope="module")
def model(tiny_model):
    return load(tiny_model)


def test_round_trip_predicts_the_learned_phrases(model, tiny_model):
    assert {"config.json", "weights.pt", "words.json", "chars.json", "meta.json", "MODEL_CARD.md"} <= {
        p.name for p in tiny_model.iterdir()
    }
    found = model.extract(TEXT, top_k=None)
    texts = {kp.text.lower() for kp in found}
    assert {"genetic algorithm", "graph partitioning"} <= texts
    for kp in found:
        assert TEXT[kp.start : kp.end] == kp.text
        assert 0.0 <= kp.score <= 1.0
    genetic = next(kp for kp in found if kp.text.lower() == "genetic algorithm")
    assert genetic.count == 2 and genetic.start == TEXT.index("genetic algorithm")


def test_saved_model_reloads_to_identical_predictions(model, tmp_path):
    copy = kwextract.save(model, tmp_path / "copy")
    assert load(copy).extract(TEXT) == model.extract(TEXT)
    assert json.loads((copy / "config.json").read_text())["format_version"] == FORMAT_VERSION


def test_ranked_list_is_sorted_deduplicated_and_respects_top_k_and_min_score(model):
    text = TEXT + " Neural networks and a neural network appear too."
    ranked = model.extract(text, top_k=10)
    scores = [kp.score for kp in ranked]
    assert scores == sorted(scores, reverse=True)
    assert len({kp.text.lower().rstrip("s") for kp in ranked}) == len(ranked)  # variants merged
    assert model.extract(text, top_k=2) == ranked[:2]
    assert all(kp.score >= 0.5 for kp in model.extract(text, min_score=0.5))
    # top_k can exceed what the single best tag sequence selects
    assert len(ranked) >= len(model.extract(text, top_k=None))


def test_batch_equals_one_at_a_time(model):
    texts = [TEXT, "", "Speech recognition with a decision tree.", TEXT * 20, "Image segmentation!"]
    batched = model.extract_batch(texts, top_k=5, batch_size=3)
    single = [model.extract(t, top_k=5) for t in texts]
    assert len(batched) == len(texts)
    for b, s in zip(batched, single):
        assert [(k.text, k.start, k.end, k.count) for k in b] == [(k.text, k.start, k.end, k.count) for k in s]
        assert all(abs(x.score - y.score) < 1e-5 for x, y in zip(b, s))


def test_long_document_is_covered_to_the_end(model):
    text = "Filler words without topic. " * 2000 + "Finally a wireless sensor network appears."
    found = model.extract(text, top_k=None)
    tail = text.index("wireless")
    assert any(kp.start >= tail and "wireless sensor network" in kp.text.lower() for kp in found)


def test_a_long_text_is_tagged_in_smaller_batches_with_the_same_result(model, monkeypatch):
    """Past LONG_TEXT_TOKENS tokens the network reads batches of LONG_TEXT_BATCH_TOKENS (less
    memory); batches change only floating-point rounding."""
    import kwextract.batching
    import kwextract.extractor as extractor

    text = TEXT * 30
    usual = model.extract(text, top_k=10)
    caps = []
    original = kwextract.batching.length_batches
    monkeypatch.setattr(extractor, "length_batches",
                        lambda windows, size, cap: caps.append(cap) or original(windows, size, cap))
    monkeypatch.setattr(extractor, "LONG_TEXT_TOKENS", 100)
    monkeypatch.setattr(extractor, "LONG_TEXT_BATCH_TOKENS", 64)
    long = model.extract(text, top_k=10)
    assert caps and set(caps) == {64}  # a second pass when the tiny model's top 10 is filled (Extractor.filled)
    assert [(k.text, k.start, k.count) for k in long] == [(k.text, k.start, k.count) for k in usual]
    assert all(abs(a.score - b.score) < 1e-4 for a, b in zip(long, usual))


def test_span_parts_are_the_spans_in_the_order_they_were_found(model):
    """``score_span_parts`` hands a document's spans over a batch at a time (what ``extract``
    merges as it goes); read in order they are ``score_spans``' list, to the last bit."""
    docs = model.tokenizer.pipe([TEXT, "", TEXT * 12, "Image segmentation!"])
    spans, decoded = model.score_spans(docs, batch_size=2)
    parts, parts_decoded = model.score_span_parts(docs, batch_size=2)
    assert parts_decoded == decoded
    for whole, pieces in zip(spans, parts):
        pieces = list(pieces)
        assert len(pieces) >= (1 if len(whole) else 0)
        joined = SpanList.concatenate(pieces)
        assert list(joined.rows()) == list(whole.rows())
        assert joined.probs.dtype == whole.probs.dtype == np.float64 and whole.starts.dtype == np.int32
    assert len(parts) == 4 and len(list(parts[0])) == 0  # read once: drained


def test_spans_found_per_batch_are_kept_in_ten_bytes_and_read_back_exactly():
    from kwextract.extractor import _Columns

    columns, again = _Columns(), _Columns()
    probs = np.array([0.1, 0.7, 1e-7], dtype=np.float32)
    for c in (columns, again):
        c.append(np.array([5, 9, 70_000]), np.array([0, 2, 9]), probs)
        c.append(np.array([3]), np.array([1]), np.array([0.5], dtype=np.float32))
    assert sum(a.nbytes for column in columns.columns for a in column) == 10 * 4
    joined = columns.join()
    assert list(joined.rows()) == [(5, 6, float(probs[0])), (9, 12, float(probs[1])), (70_000, 70_010, float(probs[2])),
                                   (3, 5, 0.5)]
    assert list(SpanList.concatenate(list(again.drain())).rows()) == list(joined.rows())
    assert len(_Columns().join()) == 0 and list(_Columns().drain()) == []


def test_non_string_input_is_a_clear_error(model):
    with pytest.raises(kwextract.InputError, match="the text is a NoneType, not a str"):
        model.extract(None)  # type: ignore[arg-type]
    with pytest.raises(kwextract.InputError, match="text number 1"):
        model.extract_batch(["fine", b"bytes"])  # type: ignore[list-item]
    with pytest.raises(kwextract.InputError, match="got one str; use extract"):
        model.extract_batch("one text, which would otherwise be read a character at a time")
    assert model.extract_batch(iter(["Graph partitioning."]), top_k=3) == [model.extract("Graph partitioning.", top_k=3)]


def test_words_broken_across_lines_come_back_whole_with_offsets_into_the_source():
    """Text taken from a PDF: "Keyphrase extrac-\ntion" is the keyphrase "Keyphrase extraction",
    its offsets spanning the break in the text as given."""
    text = ("Keyphrase extrac-\ntion finds the main topics of a document. We study keyphrase\nextrac-\ntion "
            "for scientific articles, with neural networks for keyphrase extraction.")
    bundled = load("fast")
    found = {kp.text: kp for kp in bundled.extract(text, top_k=None) + bundled.extract(text, top_k=10)}
    assert not any("extrac-" in phrase or "extrac " in phrase for phrase in found)
    kp = found["Keyphrase extraction"]
    assert (kp.start, kp.end) == (0, len("Keyphrase extrac-\ntion")) and kp.count == 3


def test_no_keyphrase_spans_a_paragraph_break():
    """A title and the paragraph under it, or two paragraphs, never make one keyphrase."""
    text = ("Deep learning\n\nImage segmentation with deep learning is studied. Image segmentation\n \n"
            "Image segmentation matters.\u2029Deep learning helps.")
    for top_k in (10, None):
        for kp in load("fast").extract(text, top_k=top_k):
            assert not re.search(r"\n\s*\n|\u2029", text[kp.start : kp.end]), kp


def test_no_keyphrase_spans_a_tab():
    """A tab parts a table's cells and a form's label from its value: before the rule, this
    table gave "neural network protein" and "support vector machine gene expression"."""
    text = ("Results by method\n\nmethod\tdataset\tscore\nrandom forest\tprotein structure\t0.81\n"
            "support vector machine\tgene expression data\t0.77\nneural network\tprotein structure\t0.85\n\n"
            "Manager:\tMary Jones\n\nThe neural network reached the best score on protein structure prediction.\n")
    for top_k in (40, None):
        found = load("fast").extract(text, top_k=top_k)
        assert found and not any("\t" in text[kp.start : kp.end] for kp in found), found
    texts = {kp.text for kp in load("fast").extract(text, top_k=40)}
    assert {"neural network", "protein structure", "support vector machine"} <= texts  # the cells' own phrases stay


def test_keyphrase_is_frozen():
    kp = Keyphrase("a", 0.5, 0, 1, 1)
    with pytest.raises(AttributeError):
        kp.score = 1.0  # type: ignore[misc]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(blacklist_categories=()), max_size=300)  # lone surrogates and controls too
       | st.lists(st.sampled_from(["graph", "Partition", "extrac-\n", "tion", " ", "\n\n", "\u2060", "\ufeff",
                                   "\u200b", "-", " - ", "&amp;", "R&D", "\xad", "well-known", "\u2029", "\ufb01",
                                   "classi\ufb01cation", "\t"]),
                  max_size=40).map("".join))  # and the characters this release reads specially
def test_arbitrary_unicode_never_raises_and_offsets_hold(model, text):
    for top_k in (3, None):
        for kp in model.extract(text, top_k=top_k):
            # word joiners left out, ligatures spelled out
            source = readable(text[kp.start : kp.end]).replace("\u2060", "").translate(LIGATURES)
            if not re.search(r"-\s*\n", source):  # whitespace runs collapsed
                assert " ".join(source.split()) == kp.text
            else:  # a word broken across lines may read whole: only hyphens and whitespace go
                assert [c for c in kp.text if c.isalnum()] == [c for c in source if c.isalnum()]
            assert not any(c in kp.text for c in "\n\u2029\ufeff\u200b\u2060\ufb01") and kp.text == kp.text.strip()
            assert not re.search(r"\n[^\S\n]*\n|\u2029|\t", text[kp.start : kp.end])  # no paragraph break or tab
            assert not any(unicodedata.category(c) in ("Cc", "Cs") and not c.isspace() for c in kp.text)
            assert is_clean(kp.text) and 0.0 <= kp.score <= 1.0 and kp.count >= 1


def test_a_stream_of_texts_gives_each_its_keyphrases_as_they_are_done(model):
    """`extract_stream` reads any iterable (a generator here) a few texts at a time and yields
    one list per text, in order: what `extract_batch` gives for the same groups of texts. A
    text that is not a str stops the stream after the results of the texts before it."""
    texts = [f"Graph partitioning number {i} with genetic algorithms for sparse matrices." for i in range(7)]
    read: list[int] = []

    def generator():
        for i, text in enumerate(texts):
            read.append(i)
            yield text

    stream = model.extract_stream(generator(), top_k=5, texts_at_once=3)
    assert read == []  # nothing read before the first result is asked for
    first = next(stream)
    assert read == [0, 1, 2] and first == model.extract_batch(texts[:3], top_k=5)[0]
    rest = list(stream)
    assert [first, *rest] == model.extract_batch(texts[:3], top_k=5) + model.extract_batch(texts[3:6], top_k=5) \
        + model.extract_batch(texts[6:], top_k=5)
    bad = model.extract_stream(iter(texts[:4] + [None] + texts[4:]), top_k=5, texts_at_once=3)
    done = []
    with pytest.raises(kwextract.InputError, match="text number 4 .* NoneType"):
        for found in bad:
            done.append(found)
    assert len(done) == 4  # the texts before it kept their results
    with pytest.raises(kwextract.InputError, match="one str"):
        model.extract_stream("one text")
    with pytest.raises(kwextract.InputError, match="top_k"):
        model.extract_stream(texts, top_k=-1)  # checked at the call, not at the first result
    assert list(model.extract_stream([])) == []
