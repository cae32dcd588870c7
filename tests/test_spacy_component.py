"""The spaCy component: blank pipeline, n_process=2, DocBin and to_disk round trips."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, DocBin, Span

from kwextract import load

TEXTS = [
    "A genetic algorithm is proposed for graph partitioning. Image segmentation is also studied.",
    "Speech recognition with a decision tree.",
    "Nothing here.",
    "Query optimization and information retrieval. " * 30,
]


@pytest.fixture()
def nlp(tiny_model):
    nlp = spacy.blank("en")
    nlp.add_pipe("kwextract", config={"model": str(tiny_model), "top_k": 5})
    return nlp


def _as_tuples(keyphrases):
    return [(k.text, k.start, k.end, k.count) for k in keyphrases]


def _same(a, b) -> bool:
    """Same keyphrases and offsets; scores equal up to float noise between thread counts."""
    return _as_tuples(a) == _as_tuples(b) and all(abs(x.score - y.score) < 1e-4 for x, y in zip(a, b))


def test_same_keyphrases_as_the_library(nlp, tiny_model):
    extractor = load(tiny_model)
    for text in TEXTS:
        doc = nlp(text)
        expected = extractor.extract(text, top_k=5)
        assert _same(doc._.keyphrases, expected)
        spans = doc.spans["keyphrases"]
        assert [s.text for s in spans] == [k.text for k in expected]
        assert [s._.kw_score for s in spans] == [k.score for k in expected]
        assert not doc.has_annotation("SENT_START")  # the user's Doc gets no sentence boundaries


def test_nasty_text_gives_the_librarys_keyphrase_texts(nlp, tiny_model):
    """A byte-order mark glued to the first token, a zero-width space, hard-wrapped lines and a
    word broken across them by a hyphen: ``doc._.keyphrases`` is what ``extract`` returns (the
    span's own text keeps the Doc's characters; ``span._.kw_text`` is the keyphrase's). (A
    zero-width space inside a chunk of text, "end.\u200bStart", is where the two can differ:
    the component reads the pipeline's tokens, which spaCy did not split there.)"""
    text = ("\ufeffA genetic algorithm is pro-\nposed for graph\npartitioning. \u200bImage segmen-\ntation "
            "and graph partitioning with a genetic algorithm.")
    doc = nlp(text)
    expected = load(tiny_model).extract(text, top_k=5)
    assert expected and _same(doc._.keyphrases, expected)
    assert [s._.kw_text for s in doc.spans["keyphrases"]] == [k.text for k in expected]
    assert not any(c in k.text for k in doc._.keyphrases for c in "\ufeff\u200b\n")


def test_pipe_with_batches_and_two_processes(nlp):
    single = [nlp(t)._.keyphrases for t in TEXTS]
    batched = [d._.keyphrases for d in nlp.pipe(TEXTS, batch_size=2)]
    parallel = [d._.keyphrases for d in nlp.pipe(TEXTS, batch_size=2, n_process=2)]
    assert all(_same(a, b) and _same(a, c) for a, b, c in zip(single, batched, parallel))


def test_docbin_round_trip(nlp):
    docs = list(nlp.pipe(TEXTS))
    data = DocBin(docs=docs, store_user_data=True).to_bytes()
    restored = list(DocBin().from_bytes(data).get_docs(nlp.vocab))
    for a, b in zip(docs, restored):
        assert [s.text for s in b.spans["keyphrases"]] == [s.text for s in a.spans["keyphrases"]]
        assert _as_tuples(b._.keyphrases) == _as_tuples(a._.keyphrases)


def test_to_disk_and_spacy_load(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipeline")
    again = spacy.load(tmp_path / "pipeline")
    assert again.pipe_names == ["kwextract"]
    assert _as_tuples(again(TEXTS[0])._.keyphrases) == _as_tuples(nlp(TEXTS[0])._.keyphrases)


def test_user_extensions_are_not_clobbered(tiny_model):
    Span.set_extension("kw_count", getter=lambda span: "mine", force=True)
    try:
        nlp = spacy.blank("en")
        nlp.add_pipe("kwextract", config={"model": str(tiny_model)})
        assert Span.get_extension("kw_count")[2] is not None  # the user's getter is still there
        assert Doc.has_extension("keyphrases")
    finally:
        Span.remove_extension("kw_count")
        Span.set_extension("kw_count", default=None)


def test_bad_component_config_is_refused_when_added():
    import spacy

    from kwextract import InputError

    nlp = spacy.blank("en")
    with pytest.raises(InputError, match="min_score"):
        nlp.add_pipe("kwextract", config={"model": None, "top_k": 10, "min_score": 5.0})


# no elisions (l'énergie), so that spaCy's English and French tokenizers cut it alike
FRENCH = ("Les réseaux de capteurs sans fil économisent une énergie rare. Les capteurs sans fil dorment "
          "souvent, et les réseaux de capteurs durent plus longtemps.")


@pytest.mark.filterwarnings("ignore:text 1 looks 'fr'")
def test_texts_are_read_in_the_pipelines_language(tiny_model):
    nlp = spacy.blank("fr")
    nlp.add_pipe("kwextract", config={"model": str(tiny_model), "top_k": 5})
    assert nlp.get_pipe("kwextract").lang == "fr"
    french = load(tiny_model, lang="fr").extract(FRENCH, top_k=5)
    english = load(tiny_model).extract(FRENCH, top_k=5)
    assert _as_tuples(french) != _as_tuples(english)  # French stop words and stems change the result
    assert _same(nlp(FRENCH)._.keyphrases, french)


def test_lang_in_the_config_overrides_the_pipelines(tiny_model):
    nlp = spacy.blank("en")
    nlp.add_pipe("kwextract", config={"model": str(tiny_model), "top_k": 5, "lang": "fr"})
    assert [t.text for t in nlp.make_doc(FRENCH)] == [t.text for t in spacy.blank("fr").make_doc(FRENCH)]
    assert _same(nlp(FRENCH)._.keyphrases, load(tiny_model, lang="fr").extract(FRENCH, top_k=5))


def test_a_pipeline_language_kwextract_does_not_read_needs_lang_set(tiny_model):
    from kwextract import InputError

    with pytest.raises(InputError, match="'xx'.*config lang"):
        spacy.blank("xx").add_pipe("kwextract", config={"model": str(tiny_model)})
    nlp = spacy.blank("xx")
    nlp.add_pipe("kwextract", config={"model": str(tiny_model), "top_k": 5, "lang": "en"})
    assert _same(nlp(TEXTS[0])._.keyphrases, load(tiny_model).extract(TEXTS[0], top_k=5))
    with pytest.raises(InputError, match="unsupported language 'zz'"):
        spacy.blank("en").add_pipe("kwextract", config={"model": str(tiny_model), "lang": "zz"})
    with pytest.raises(InputError, match="unknown precision"):
        spacy.blank("en").add_pipe("kwextract", config={"model": str(tiny_model), "precision": "float8"})


@pytest.mark.filterwarnings("ignore:this CPU has no native bfloat16")
def test_a_bfloat16_component_saves_a_float32_model_and_loads_as_bfloat16(tiny_model, tmp_path):
    import torch

    nlp = spacy.blank("en")
    nlp.add_pipe("kwextract", config={"model": str(tiny_model), "top_k": 5, "precision": "bfloat16"})
    before = nlp(TEXTS[0])._.keyphrases
    assert _as_tuples(before) == _as_tuples(load(tiny_model, precision="bfloat16").extract(TEXTS[0], top_k=5))
    nlp.to_disk(tmp_path / "pipeline")
    saved = load(tmp_path / "pipeline" / "kwextract" / "model")  # spaCy gives each component its folder
    assert {p.dtype for p in saved.tagger.encoder.parameters()} == {torch.float32}
    again = spacy.load(tmp_path / "pipeline")
    component = again.get_pipe("kwextract")
    assert component.precision == "bfloat16"
    assert {p.dtype for p in component.extractor.tagger.encoder.parameters()} == {torch.bfloat16}
    assert _as_tuples(again(TEXTS[0])._.keyphrases) == _as_tuples(before)
    again.to_disk(tmp_path / "again")  # saved from the pipeline folder it was loaded from
    assert _as_tuples(spacy.load(tmp_path / "again")(TEXTS[0])._.keyphrases) == _as_tuples(before)
