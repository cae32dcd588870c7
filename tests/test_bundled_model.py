"""The bundled default model: present, small, documented, and sensible on real text."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

import kwextract
from kwextract.data import read_documents
from kwextract.evaluate import evaluate
from kwextract.serialization import DEFAULT_MODEL_DIR
from kwextract.surface import dedup_key, is_clean
from kwextract.tokenize import LIGATURES

from .conftest import SHARED, needs_shared

SAMPLE = DEFAULT_MODEL_DIR.parents[2] / "data" / "samples" / "abstract.txt"


def test_bundled_model_is_small_and_carries_its_card():
    size = sum(p.stat().st_size for p in DEFAULT_MODEL_DIR.rglob("*") if p.is_file())  # members too
    assert size <= 25 * 1024 * 1024
    meta = json.loads((DEFAULT_MODEL_DIR / "meta.json").read_text())
    assert set(meta["test_scores"]) == {f"{d}/test" for d in
                                        ("inspec", "semeval2017", "kdd", "kpcrowd", "semeval2010", "nguyen2007")}
    assert "Test scores" in (DEFAULT_MODEL_DIR / "MODEL_CARD.md").read_text()


@pytest.mark.parametrize("folder", [DEFAULT_MODEL_DIR, DEFAULT_MODEL_DIR / "member-1"], ids=["default", "fast"])
def test_bundled_cards_speak_to_users(folder):
    card = (folder / "MODEL_CARD.md").read_text()
    for section in ("## Use", "## What it learned from, and its limits", "## Test scores", "## How it works"):
        assert section in card
    assert ("kwextract.load()" if folder == DEFAULT_MODEL_DIR else 'kwextract.load("fast")') in card
    assert "English only" in card and "TF-IDF" in card  # its limits, measured
    for jargon in ("session", "OUT=", "marginal", "runs/", "../shared"):
        assert jargon not in card, jargon


def test_default_extract_on_a_real_abstract():
    text = SAMPLE.read_text() if SAMPLE.exists() else "Keyphrase extraction with recurrent neural networks."
    found = kwextract.extract(text, top_k=10)
    assert 5 <= len(found) <= 10
    assert all(" ".join(text[k.start : k.end].split()) == k.text for k in found)  # whitespace runs collapsed
    assert "keyphrase extraction" in {k.text.lower() for k in found}
    assert kwextract.extract(text, top_k=10) == found  # cached model, same answer


@needs_shared()
def test_default_model_quality_on_inspec_dev_sample():
    docs = read_documents(SHARED / "inspec" / "dev.jsonl")[:100]
    assert evaluate(kwextract.load(), docs)["f1@10"] > 0.3


def test_default_is_an_ensemble_and_fast_is_its_first_tagger():
    default, fast = kwextract.load(), kwextract.load("fast")
    assert isinstance(default, kwextract.EnsembleExtractor) and isinstance(fast, kwextract.KeyphraseExtractor)
    assert fast.meta == default.members[0].meta  # the same tagger, with its own calibration
    text = SAMPLE.read_text() if SAMPLE.exists() else "Keyphrase extraction with recurrent neural networks."
    found = fast.extract(text, top_k=10)
    assert 5 <= len(found) <= 10 and all(" ".join(text[k.start : k.end].split()) == k.text for k in found)


@needs_shared()
@pytest.mark.slow
def test_no_unclean_or_repeated_phrase_in_any_visible_test_top_10():
    """Issue 18, rule 4, on every test document of the six visible corpora."""
    model = kwextract.load()
    bad = []
    for name in ("inspec", "semeval2017", "kdd", "kpcrowd", "semeval2010", "nguyen2007"):
        docs = read_documents(SHARED / name / "test.jsonl")
        for doc, found in zip(docs, model.extract_batch([d.text for d in docs], top_k=10)):
            keys = [dedup_key(k.text) for k in found]
            bad += [(name, doc.id, k.text) for k in found if not is_clean(k.text)]
            bad += [(name, doc.id, "repeated: " + key) for key in set(keys) if keys.count(key) > 1]
            assert found, (name, doc.id)
            # the source with whitespace collapsed and ligatures spelled out ("oﬄine": SemEval-2010)
            assert all(" ".join(doc.text[k.start : k.end].translate(LIGATURES).split()) == k.text for k in found)
    assert bad == []


def test_a_signature_s_lines_are_not_one_keyphrase():
    """A line break after a short line parts phrases (surface.breaks_after_short_line): the
    bundled tagger had returned "Maria Keller Senior Project Manager" for this e-mail."""
    mail = ("Hi team,\n\nThe quarterly budget review for the data platform migration is moved to Thursday. "
            "Please send your cost estimates for the storage cluster upgrade before then.\n\nBest regards,\n"
            "Maria Keller\nSenior Project Manager\nData Platform Group\nAcme Corporation\nPhone: +49 30 1234567\n")
    for model in ("default", "fast"):
        found = kwextract.load(model).extract(mail, top_k=20)
        assert "data platform migration" in [k.text for k in found]
        assert not any("\n" in mail[k.start:k.end] for k in found), [k.text for k in found]
        # nor a phrase of its salutation, closing or signature (surface.letter_formulas): both
        # taggers had returned "regards", "Maria" and then "Hi team" in the top 10
        top = [k.text for k in found[:10]]
        assert not {"Hi team", "team", "regards", "Best regards", "Maria", "+49 30 1234567"} & set(top), (model, top)


def test_no_keyphrase_is_a_piece_of_a_hyphenated_word():
    """ranking.clean_keys drops a phrase found only cut out of hyphenated words: both bundled
    taggers had returned "CRI" for this text, which says only "CRI-O"."""
    text = ("Kubernetes is an open-source container orchestration system for automating software deployment, "
            "scaling, and management. Kubernetes works with containerd and CRI-O. A pod is the smallest "
            "deployable unit; the scheduler assigns pods to nodes based on resource requests.")
    for model in ("default", "fast"):
        found = [k.text for k in kwextract.load(model).extract(text, top_k=20)]
        assert "Kubernetes" in found and not {"CRI", "O"} & set(found), (model, found)


def test_top_k_never_empty_for_a_text_with_candidates():
    fast = kwextract.load("fast")
    # a floor no span reaches: without the rescue, every text would get nothing
    fast.config = replace(fast.config, candidate_min_prob=0.9999, phrase_scorer=False)
    fast.phrase_scorer = None
    for title in ("Graph partitioning", "On the semantics of XML query languages", "Wireless sensor networks"):
        found = fast.extract(title, top_k=5)
        assert found and all(is_clean(k.text) for k in found), title
    assert fast.extract("the of and", top_k=5) == []  # nothing that can be a keyphrase


@needs_shared()
@pytest.mark.slow
def test_batched_and_one_by_one_agree_up_to_rounding():
    """Issue 20, item 15. Batching windows of other texts together changes the network's float
    rounding (about 1e-5 in a span's probability); the phrase scorer's trees can turn that into a
    visible score change when a feature sits on a split. The ranked phrases must not change."""
    model = kwextract.load("fast")
    texts = [d.text for d in read_documents(SHARED / "inspec" / "test.jsonl")[:100]]
    batched = model.extract_batch(texts, top_k=10)
    worst = 0.0
    for text, together in zip(texts, batched):
        alone = model.extract(text, top_k=10)
        assert [k.text for k in alone] == [k.text for k in together]
        assert [(k.start, k.end, k.count) for k in alone] == [(k.start, k.end, k.count) for k in together]
        worst = max([worst, *(abs(a.score - b.score) for a, b in zip(alone, together))])
    assert worst <= 0.02


FRENCH = ("La Grande-Bretagne a fêté samedi le centenaire de la naissance d'Alan Turing, le mathématicien "
          "britannique considéré comme le père de l'informatique moderne. Pendant la Seconde Guerre mondiale, "
          "Alan Turing a dirigé à Bletchley Park l'équipe qui a cassé le code de la machine Enigma.")


def test_multi_is_bundled_reads_no_word_and_extracts_french():
    model = kwextract.load("multi", lang="fr")
    assert model.config.word_dim == 0 and len(model.words) == 2  # no word identities reach it
    size = sum(p.stat().st_size for p in (DEFAULT_MODEL_DIR.parent / "multi").rglob("*") if p.is_file())
    assert size <= 5 * 1024 * 1024
    found = model.extract(FRENCH, top_k=10)
    assert 3 <= len(found) <= 10
    assert all(" ".join(FRENCH[k.start : k.end].split()) == k.text for k in found)
    assert {"alan turing", "bletchley park", "seconde guerre mondiale"} <= {k.text.lower() for k in found}


FRENCH_NEWS = ("Le gouvernement a présenté mardi son plan pour la biodiversité. Ce plan pour la biodiversité "
               "prévoit de nouvelles zones protégées dans les forêts et sur le littoral. Selon le gouvernement, "
               "les zones protégées couvriront un tiers du territoire en 2030. Les associations de protection de "
               "la nature saluent le plan, mais demandent plus de moyens pour les forêts et pour le littoral.")


def test_multi_reads_another_language_with_evidence_from_that_languages_word_lists():
    """Run 17 of docs/other-languages.md: `multi` read in another language than English re-ranks
    its best phrases with TF-IDF evidence (w = 0.5) whose IDF is each word's rarity in the text's
    language, from the lists it carries; read in English, nothing changes."""
    from kwextract.normalize import stems_of
    from kwextract.tfidf import tfidf_scores

    multi = kwextract.load("multi", lang="fr")
    assert multi.config.lang == "en" and multi.config.foreign_tfidf_weight == 0.5 and "fr" in multi.rarity.lists
    without = kwextract.load("multi", lang="fr")
    without.config = replace(without.config, foreign_tfidf_weight=0.0)
    assert multi.extract(FRENCH_NEWS) != without.extract(FRENCH_NEWS)
    english, plain, plain_without = SAMPLE.read_text(), kwextract.load("multi"), kwextract.load("multi")
    plain_without.config = replace(plain_without.config, foreign_tfidf_weight=0.0)
    assert plain.extract(english) == plain_without.extract(english) and plain.tfidf_evidence("en") == (0.0, None)
    # with the evidence alone deciding, each phrase scores its French-rarity TF-IDF over the best one's
    multi.config = replace(multi.config, foreign_tfidf_weight=1e6)
    found = multi.extract(FRENCH_NEWS)
    tokens = multi.tokenize([FRENCH_NEWS])[0]
    at = [(tokens.starts.index(k.start), tokens.ends.index(k.end) - tokens.starts.index(k.start) + 1, k.count)
          for k in found]
    french = tfidf_scores(tokens, stems_of(tokens), at, multi.rarity.idf("fr"))
    assert [k.score for k in found] == pytest.approx([t / french[0] for t in french], abs=1e-4)
    english_idf = tfidf_scores(tokens, stems_of(tokens), at, multi.word_idf())
    assert [t / english_idf[0] for t in english_idf] != pytest.approx([t / french[0] for t in french], abs=1e-2)


def test_evaluate_ranks_a_text_in_another_language_as_extract_does():
    """`kwextract evaluate --lang fr -m multi` scores the top 10s that `extract` returns,
    TF-IDF evidence included."""
    from kwextract.data import Document
    from kwextract.evaluate import ProtocolScorer, macro_scores

    multi = kwextract.load("multi", lang="fr")
    docs = [Document("a", FRENCH, ("Alan Turing", "Enigma", "informatique")),
            Document("b", FRENCH_NEWS, ("biodiversité", "zones protégées", "littoral"))]
    found = multi.extract_batch([d.text for d in docs])
    expected = macro_scores(docs, multi.tokenize([d.text for d in docs]), lambda i, k: [p.text for p in found[i]],
                            ProtocolScorer(multi.tokenizer), cutoffs=(5, 10))
    scores = evaluate(multi, docs)
    assert {k: scores[k] for k in expected} == expected


def test_a_short_text_s_top_k_is_filled_after_the_model_s_own_phrases():
    """A title had only the phrases above the candidate floor (3 of the 10 asked, say): the
    places left empty could only miss. They are filled from its spans scored again below the
    floor, after the model's own (unchanged), scores still falling; none repeats another."""
    model = kwextract.load()
    title = "Mining intrusion detection alarms for actionable knowledge"
    tokens = model.tokenizer(title)
    spans, decoded = model.score_spans([tokens])
    own = model.rank(tokens, spans[0], decoded[0], 10)
    found = model.extract(title, top_k=10)
    assert len(own) < 10 and len(found) == 10
    assert found[: len(own)] == own
    assert all(a.score >= b.score for a, b in zip(found, found[1:]))
    assert len({dedup_key(k.text) for k in found}) == 10 and all(is_clean(k.text) for k in found)
    assert model.extract(title, top_k=3) == own[:3]  # enough of its own: nothing filled
