"""Languages other than English: stop words, stems and tokenizer follow the text's language."""

import json
import subprocess
import sys
import warnings

import pytest

from kwextract import InputError, KwextractWarning, load, save
from kwextract.config import AdaptConfig, ModelConfig, TrainConfig
from kwextract.data import Document, read_documents
from kwextract.evaluate import ProtocolScorer, evaluate
from kwextract.language import SUPPORTED, check_language, detect_language, other_language, rules
from kwextract.normalize import stems_of
from kwextract.tokenize import Tokenizer
from kwextract.train import label, train
from kwextract.unsupervised import adapt

from .conftest import SHARED, needs_shared
from .test_cli import KWEXTRACT, run

FRENCH = ("La communauté scientifique internationale fête le centenaire de la naissance d'Alan Turing, "
          "le père de l'informatique moderne. Les réseaux de neurones et l'intelligence artificielle "
          "doivent beaucoup à ses travaux sur les machines de Turing.")
PORTUGUESE = ("O governo português aprovou hoje o orçamento do Estado para o próximo ano. As medidas de "
              "austeridade incluem cortes nos salários da função pública e o aumento dos impostos.")


def test_every_supported_language_has_stop_words_and_a_stemmer():
    for code in SUPPORTED:
        r = rules(code)
        assert len(r.stop_words) > 20 and r.stem("Tests")
    assert rules("fr").stem("réseaux") == rules("fr").stem("Réseau")
    assert rules("pt").stem("salários") == rules("pt").stem("salário")
    assert rules("en").stem("Networks") == "network"  # English keeps kwextract's Porter stemmer


def test_unknown_language_lists_the_supported_ones():
    with pytest.raises(InputError, match="unsupported language 'xx'.*fr, ga"):
        check_language("xx")
    for tag in ("xx-FR", "", "f", "fra"):
        with pytest.raises(InputError, match="unsupported language"):
            check_language(tag)


def test_a_language_tag_reads_as_its_code():
    """"FR", "fr-CA", "pt_BR" are the codes fr, fr, pt wherever a language is given."""
    assert [check_language(t) for t in ("FR", "fr-CA", "pt_BR", " en ", "EN-us")] == ["fr", "fr", "pt", "en", "en"]
    assert ModelConfig(lang="PT-br").lang == "pt" and TrainConfig(train=("t.jsonl",), lang="Fr").lang == "fr"
    assert rules("FR") is not None and rules("FR").stem("réseaux") == rules("fr").stem("réseaux")
    assert Tokenizer(lang="fr-CA").lang == "fr"
    with pytest.raises(InputError, match="'english'"):
        Tokenizer(lang="english")
    with pytest.raises(InputError):
        ModelConfig(lang="klingon")
    with pytest.raises(InputError):
        TrainConfig(train=("t.jsonl",), lang="zz")


def test_tokens_carry_their_language_downstream():
    tokens = Tokenizer(lang="fr").pipe([FRENCH])[0]
    assert tokens.lang == "fr" and "l'" in tokens.words and "informatique" in tokens.words  # French elision
    assert stems_of(tokens)[tokens.words.index("réseaux")] == rules("fr").stem("réseau")
    long_text = Tokenizer(lang="fr", chunk_chars=60).pipe([FRENCH])[0]  # cut in pieces, same language
    assert long_text.lang == "fr" and long_text.words == tokens.words


def test_protocol_stems_in_the_text_s_language():
    scorer = ProtocolScorer(Tokenizer(lang="fr"))
    doc = Document("d", FRENCH, ("réseau de neurone", "Intelligences artificielles"))
    tokens = scorer.tokenizer.pipe([FRENCH])[0]
    assert scorer.present_gold(doc, tokens) == {scorer.key("réseaux de neurones"), scorer.key("intelligence artificielle")}


def test_an_english_model_reads_french_with_french_rules(tiny_model):
    model = load(tiny_model, lang="fr")
    assert model.tokenizer.lang == "fr" and model.config.lang == "en"  # reading French; still an English model
    found = model.extract(FRENCH, top_k=10)
    stop = rules("fr").stop_words
    assert found and all(k.text.split()[0].lower() not in stop and k.text.split()[-1].lower() not in stop
                         for k in found)
    assert all(" ".join(FRENCH[k.start : k.end].split()) == k.text for k in found)


def test_a_model_trained_for_a_language_is_saved_and_loaded_as_one(corpus, tmp_path):
    source = tmp_path / "pt.jsonl"
    source.write_text("".join(json.dumps({"id": str(i), "text": PORTUGUESE, "keyphrases": ["orçamento do Estado",
                                                                                          "austeridade"]}) + "\n"
                              for i in range(12)))
    config = TrainConfig(train=(str(source),), dev=(str(source),), epochs=2, patience=2, batch_size=4, lang="pt",
                         word_min_freq=1)
    model = train(config, ModelConfig(hidden_size=8, num_layers=1, word_dim=8, char_dim=4, char_filters=4),
                  tmp_path / "pt-model", log=lambda m: None)
    saved = json.loads((tmp_path / "pt-model" / "config.json").read_text())
    assert saved["model"]["lang"] == "pt" and model.tokenizer.lang == "pt"
    reloaded = load(tmp_path / "pt-model")
    assert reloaded.tokenizer.lang == "pt" and reloaded.extract(PORTUGUESE) == model.extract(PORTUGUESE)


def test_set_language_makes_a_model_of_that_language(tiny_model, tmp_path):
    model = load(tiny_model)
    model.set_language("fr")
    save(model, tmp_path / "fr")
    assert load(tmp_path / "fr").config.lang == "fr" and load(tmp_path / "fr").tokenizer.lang == "fr"


def test_lang_on_the_command_line(tiny_model, corpus):
    result = run("extract", FRENCH, "-m", str(tiny_model), "--lang", "fr", "--format", "json")
    assert result.exit_code == 0, result.output
    stop = rules("fr").stop_words
    assert all(k["text"].split()[0].lower() not in stop for k in json.loads(result.stdout))
    bad = run("evaluate", "-d", str(corpus["dev"]), "-m", str(tiny_model), "--lang", "xx")
    assert bad.exit_code == 2 and "supports" in bad.stderr


def test_a_text_in_another_language_is_named_once(tiny_model):
    model = load(tiny_model)
    with pytest.warns(KwextractWarning, match=r"looks 'fr', not 'en'.*--lang fr") as caught:
        model.extract_batch([FRENCH, FRENCH, "Graph partitioning with genetic algorithms."] * 3)
    assert len([w for w in caught if issubclass(w.category, KwextractWarning)]) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # read as French: no warning; English read as English: none
        load(tiny_model, lang="fr").extract(FRENCH)
        model.extract("Graph partitioning with genetic algorithms is studied for VLSI design. " * 5)
    result = subprocess.run([KWEXTRACT, "extract", PORTUGUESE * 2, "-m", str(tiny_model)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0 and result.stderr.count("--lang pt") == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_the_wrong_language_warning_points_at_the_callers_line(tiny_model):
    """The warning named a line inside kwextract (extractor.py) for extract and for
    extract_stream, a generator three frames deep: Python's own "once per location" filter and
    a user's traceback then point at kwextract, not at the call that read the text."""
    model = load(tiny_model)
    calls = {
        "extract": lambda: model.extract(FRENCH),
        "extract_batch": lambda: model.extract_batch([FRENCH]),
        "extract_stream": lambda: list(model.extract_stream(iter([FRENCH]))),
    }
    for name, call in calls.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            call()
        named = [w for w in caught if issubclass(w.category, KwextractWarning)]
        assert len(named) == 1 and named[0].filename == __file__, (name, [(w.filename, w.lineno) for w in named])


RUSSIAN = ("Машинное обучение — это класс методов искусственного интеллекта, характерной чертой которых является "
           "не прямое решение задачи, а обучение за счёт применения решений множества сходных задач.")
GREEK = ("Η μηχανική μάθηση είναι ένα πεδίο της τεχνητής νοημοσύνης που μελετά αλγορίθμους οι οποίοι "
         "βελτιώνονται αυτόματα μέσω της εμπειρίας και της χρήσης δεδομένων.")
CHINESE = ("机器学习是人工智能的一个分支。人工智能的研究历史有着一条从以推理为重点到以知识为重点再到以学习为重点的"
           "自然清晰的脉络。机器学习理论主要是设计和分析一些让计算机可以自动学习的算法。")
JAPANESE = "機械学習とは、経験からの学習により自動で改善するコンピューターアルゴリズムもしくはその研究領域で、人工知能の一種であるとみなされている。"


@pytest.mark.parametrize(("text", "code", "said"), [
    (RUSSIAN, "ru", "--lang ru"), (GREEK, "el", "--lang el"),
    (CHINESE, "zh", "a script that none of the languages kwextract reads"),
    (JAPANESE, "ja", "a script that none of the languages kwextract reads"),
])
def test_a_text_in_another_script_is_named_whatever_its_stop_words(tiny_model, text, code, said):
    """The guard compared Latin-script stop words only: Russian, Greek or Chinese text read as
    English passed without a word (Chinese came back as one keyphrase, the whole text). The
    script decides: a supported language of it is named with --lang, an unread one is said so."""
    words = Tokenizer()(text).words
    assert other_language(words, "en")[0] == code
    with pytest.warns(KwextractWarning, match=rf"looks '{code}', not 'en'.*{said}"):
        load(tiny_model).extract(text)
    if code in SUPPORTED:
        assert other_language(Tokenizer(lang=code)(text).words, code) is None  # read in its own language: fine


def test_greek_letters_in_english_mathematics_are_not_greek():
    text = ("We prove that the estimator with parameters α, β and γ converges when λ tends to 0 and the "
            "variance σ is bounded by the Lipschitz constant of the loss, for all θ in Θ and every sample size. ") * 2
    assert other_language(Tokenizer()(text).words, "en") is None


def test_a_corpus_in_another_language_is_named_when_scored_or_trained_on(tiny_model, tmp_path):
    """Evaluating, calibrating or training on texts read in the wrong language gives wrong
    tokens, stems and scores: the first such document is named, once, with --lang."""
    english = "Graph partitioning with genetic algorithms is studied for the design of VLSI circuits. " * 3
    docs = [Document("en-1", english, ("graph partitioning",)), Document("fr-1", FRENCH, ("Alan Turing",))]
    with pytest.warns(KwextractWarning, match=r"document 'fr-1' looks 'fr', not 'en'.*--lang fr") as caught:
        evaluate(load(tiny_model), docs)
    assert len([w for w in caught if issubclass(w.category, KwextractWarning)]) == 1
    with pytest.warns(KwextractWarning, match=r"document 'fr-1' looks 'fr'"):
        label("train.jsonl", docs, Tokenizer())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # read as French, the French document is in its language
        evaluate(load(tiny_model, lang="fr"), docs[1:])
        label("train.jsonl", docs[:1], Tokenizer())
    data = tmp_path / "fr.jsonl"
    data.write_text("".join(json.dumps({"id": d.id, "text": d.text, "keyphrases": list(d.keyphrases)}) + "\n"
                            for d in docs))
    result = subprocess.run([KWEXTRACT, "evaluate", "-d", str(data), "-m", str(tiny_model)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0 and result.stderr.count("document 'fr-1' looks 'fr'") == 1, result.stderr
    assert result.stderr.count("--lang fr") == 1 and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_adapting_to_texts_of_another_language_names_it_once(tiny_model, tmp_path):
    """adapt extracts from and labels the new texts every round: the language is named once."""
    texts = tmp_path / "fr.jsonl"
    texts.write_text("".join(json.dumps({"id": f"fr-{i}", "text": FRENCH}) + "\n" for i in range(4)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        adapt(tiny_model, [texts], tmp_path / "adapted", AdaptConfig(rounds=2, epochs_per_round=1),
              log=lambda m: None)
    named = [str(w.message) for w in caught if issubclass(w.category, KwextractWarning)]
    assert len(named) == 1 and named[0].startswith("document 'fr-0' looks 'fr', not 'en'"), named


@needs_shared()
@pytest.mark.slow
def test_the_guard_on_every_visible_test_text():
    """No English test text of the six corpora is taken for another language; every French and
    Portuguese one read as English is named."""
    tokenizer = Tokenizer()
    for name in ("inspec", "semeval2017", "kdd", "kpcrowd", "semeval2010", "nguyen2007", "fr-wikinews", "pt-news"):
        docs = read_documents(SHARED / name / "test.jsonl")
        found = {other_language(t.words, "en") is not None for t in tokenizer.pipe([d.text for d in docs])}
        assert found == ({True} if name in ("fr-wikinews", "pt-news") else {False}), name


def test_english_text_read_as_english_loads_no_other_language(tiny_model):
    """The guard decides the usual case from the text's own stop words: loading six other
    languages' spaCy modules would cost seconds before the first result."""
    code = (f"import sys, kwextract\nm = kwextract.load({str(tiny_model)!r})\n"
            "m.extract('Graph partitioning with genetic algorithms is studied for the design of VLSI circuits. ' * 3)\n"
            "print([c for c in ('fr', 'pt', 'es', 'de', 'it', 'nl') if f'spacy.lang.{c}' in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


ENGLISH_TEXT = ("Graph neural networks learn representations of molecules from their atoms and bonds. Message passing "
                "between the atoms of a molecule lets a graph neural network predict its properties.")
RUSSIAN_TEXT = ("Российские учёные разработали новый метод очистки воды от микропластика. Метод основан на "
                "использовании магнитных наночастиц, которые притягивают частицы микропластика из воды.")


def test_detect_language_names_what_the_guard_would_and_falls_back_when_it_cannot_tell():
    def words(text):
        return Tokenizer()(text).words

    assert detect_language(words(FRENCH), "en") == "fr"
    assert detect_language(words(PORTUGUESE), "en") == "pt"
    assert detect_language(words(RUSSIAN_TEXT), "en") == "ru"
    assert detect_language(words(ENGLISH_TEXT), "en") == "en"
    assert detect_language(words("Graph partitioning"), "en") == "en"  # two words: too short to tell
    assert detect_language(words(CHINESE), "en") == "en"  # a script kwextract does not read: the guard says so


def test_a_short_text_is_read_in_its_language_when_its_stop_words_say_so_clearly():
    """Headlines and titles of 6 to 19 words (experiments/short_texts_language.py): read in
    their language when its stop words outnumber the fallback's by two; an English title with
    a Spanish or French name in it stays English, and under 6 words the fallback decides."""
    import kwextract
    from kwextract.language import SHORT_MIN_WORDS

    assert kwextract.language_of("Le gouvernement annonce la fermeture des écoles de la région") == "fr"
    assert kwextract.language_of("O governo aprovou hoje o orçamento do Estado para o próximo ano") == "pt"
    assert kwextract.language_of("El gobierno aprueba hoy los presupuestos para el año que viene") == "es"
    assert kwextract.language_of("Effects of La Niña and El Niño on the rainfall of the Andes") == "en"
    assert kwextract.language_of("A study of the joie de vivre in French literature") == "en"
    assert kwextract.language_of("The chef and la cuisine de la Provence") == "en"  # 3 French against 2: not clear
    assert kwextract.language_of("Deep learning for keyphrase extraction", fallback="fr") == "fr"  # no stop word says
    assert kwextract.language_of("The state of the art in machine translation", fallback="fr") == "en"
    five = "La fermeture des écoles annoncée"
    assert len(five.split()) < SHORT_MIN_WORDS and kwextract.language_of(five) == "en"  # too short to tell
    auto = Tokenizer()  # the library's reading, as lang="auto" tokenizes
    assert detect_language(auto("Les élèves et les professeurs de la ville manifestent").words, "en") == "fr"


def test_lang_auto_reads_each_text_in_its_own_language(tiny_model):
    """A corpus in several languages, one model: "auto" reads each text with its language's
    tokenizer, stop words and stems, as --lang CODE reads all of them; no wrong-language warning."""
    auto = load(tiny_model, lang="auto")
    texts = [ENGLISH_TEXT, FRENCH, PORTUGUESE, RUSSIAN_TEXT]
    assert [t.lang for t in auto.tokenizer.pipe(texts)] == ["en", "fr", "pt", "ru"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = auto.extract_batch(texts, top_k=5)
        distinct = auto.extract_batch(texts, top_k=5, distinct=True)
    for text, lang, got in zip(texts, ["en", "fr", "pt", "ru"], found):
        assert got == load(tiny_model, lang=lang).extract(text, top_k=5), lang
    assert all(len(d) <= 5 for d in distinct)
    assert auto.config.lang == "en" and load(tiny_model, lang="Auto").tokenizer.lang == "auto"


def test_lang_auto_is_for_extracting_only(tiny_model, corpus):
    with pytest.raises(InputError, match="'auto'.*extracting keyphrases.*give its code"):
        check_language("auto")
    with pytest.raises(InputError, match="'auto'"):
        evaluate(load(tiny_model, lang="auto"), read_documents(corpus["dev"]))
    bad = run("evaluate", "-d", str(corpus["dev"]), "-m", str(tiny_model), "--lang", "auto")
    assert bad.exit_code == 2 and "'auto'" in bad.stderr
    result = run("extract", FRENCH, "-m", str(tiny_model), "--lang", "auto", "--format", "json")
    assert result.exit_code == 0 and "looks 'fr'" not in result.stderr, result.output
    stop = rules("fr").stop_words
    assert all(k["text"].split()[-1].lower() not in stop for k in json.loads(result.stdout))


def test_language_of_names_the_language_auto_reads_a_text_in():
    import kwextract

    assert kwextract.language_of(FRENCH) == "fr" and kwextract.language_of(PORTUGUESE, fallback="fr") == "pt"
    assert kwextract.language_of(RUSSIAN_TEXT) == "ru" and kwextract.language_of(ENGLISH_TEXT, fallback="de") == "en"
    assert kwextract.language_of("") == "en" and kwextract.language_of("Graph partitioning", fallback="fr") == "fr"
    assert kwextract.language_of(FRENCH * 2000) == "fr"  # a long text: its first words decide
    with pytest.raises(InputError, match="unknown or unsupported language 'xx'"):
        kwextract.language_of(FRENCH, fallback="xx")


@needs_shared()
@pytest.mark.slow
def test_lang_auto_reads_every_dev_text_of_the_shared_corpora_in_its_language():
    """Each corpus's dev texts in the language its lines name (English where they name none),
    but for texts under GUARD_MIN_WORDS words, which are too short to tell and read in the
    fallback."""
    import kwextract
    from kwextract.language import GUARD_MIN_WORDS

    wrong = []
    tokenizers: dict[str, Tokenizer] = {}  # one a language: building a spaCy pipeline takes a tenth of a second
    for path in sorted(SHARED.glob("*/dev.jsonl")):
        for line in path.open(encoding="utf-8"):
            record = json.loads(line)
            lang = record.get("lang", "en")
            found = kwextract.language_of(record["text"])
            if lang not in tokenizers:
                tokenizers[lang] = Tokenizer(lang=lang)
            short = sum(w.isalpha() for w in tokenizers[lang](record["text"]).words) < GUARD_MIN_WORDS
            if found != lang and not (short and found == "en"):
                wrong.append((path.parent.name, record["id"], found))
    assert wrong == []
