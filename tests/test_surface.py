"""Clean surface forms: what a returned keyphrase may look like."""

from __future__ import annotations

import pytest

from kwextract.surface import (INTRODUCES, PICTOGRAPH, balanced, breaks_after_short_line, crosses_sentence,
                               cuts_hyphenated_word, dedup_key, is_clean, is_section_label, letter_formulas,
                               machine_string, wrap_width)

from .conftest import SHARED, needs_shared


@pytest.mark.parametrize("phrase", [
    "-formed", "RDF-", "entity-relation(ER", "SLCAs)in XML data", 'personNEAR company~"IBM', "http://example.org/x",
    "www.example.com", "jane.doe@example.org", "<b>bold</b>", "a = b", "(semantic web", "query]", "'quoted",
    "results.", "", "   ", "x|y", "f{x}", "amazing - easily 12 hours", "simultaneity \u2013 natural", "costs \u2014 or not",
    "doi:10.1038/nature14539", "10.1145/3292500.3330701 paper", "b$ using the conjugate gradient", "$x^2$",
    "def parse(x): return", "Deep learning: a survey", "apprentissage profond : une revue", "red; green",
    "emoji \U0001F642 party", "\U0001F525", "personal best \U0001F4AA", "\u2764\ufe0f running", "Berlin \U0001F1E9\U0001F1EA",
])
def test_unclean_phrases(phrase):
    assert not is_clean(phrase)


@pytest.mark.parametrize("phrase", [
    "neural network", "entity-relation model", "C++", "sensor networks (WSN) routing", "3D reconstruction",
    "R&D spending", "Gaussian mixture models", "état de l'art", "k-means", "O(n log n) algorithm",
    "state-of-the-art methods", "metal:oxide interface", "PEDOT:PSS fluids", "0;1 matrices", "10.5 GHz band", "B-tree index", "25 \u00b0C storage", "\u00a9 notices",
])
def test_clean_phrases(phrase):
    assert is_clean(phrase)


@pytest.mark.parametrize("phrase", [
    "commit 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b", "sk_live_51HfT2ZLkdIwHu7ixq2kRz9Yc0",
    "token eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", "request 3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "Rk5h9KHTxYHyHvwysKuKUDYl48Tm4JJyHMl4g2SZNXZ15eCRJ21dPSuIHwEhR29naR054wDQvVEbZXIklJae5wpeKC6HzV3uTc",
    "primer " + "ATGCGTACCGTAGCTAGGCT" * 4, "a" * 65, "слово" * 14,  # no word is so long, in any script
])
def test_machine_strings_are_not_keyphrases(phrase):
    """Hashes, keys, tokens and base64 in a bug report or a mail were ranked among its keyphrases."""
    assert machine_string(phrase) is not None and not is_clean(phrase)


@pytest.mark.parametrize("phrase", [
    "C12H22O11", "Li4Ti5O12 anodes", "6s5p4d3f1g basis set", "ResNet50V2", "SHA256withRSA", "HSD17B13 variant",
    "IEEE 802.11b", "COVID-19 vaccines", "x86_64 builds", "1-alkyl-2-methyl-3-hydroxyethylimidazolium",
    "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz", "TheHuffingtonPostisnotkillingjournalism",
])
def test_words_and_notations_with_digits_are_not_machine_strings(phrase):
    assert machine_string(phrase) is None and is_clean(phrase)


def test_brackets_must_nest():
    assert balanced("a (b [c] d) e") and not balanced("a (b] c") and not balanced(")(")


def test_variants_in_case_whitespace_and_punctuation_share_a_key():
    assert dedup_key("LMF functionals") == dedup_key("LMF)\nfunctionals") == dedup_key("lmf  Functionals")
    assert dedup_key("entity-relation") == dedup_key("entity relation") != dedup_key("entity relations")


def test_long_unbroken_tokens_are_judged_in_one_pass():
    """A base64 blob or a minified line is one long token; the URL pattern used to backtrack
    over every start of it (minutes for 200,000 characters). Judged in linear time, with
    URLs still found inside and after such tokens, whatever the scheme."""
    from kwextract.surface import URL

    blob = "QmFzZTY" * 5_000  # 35,000 characters: about 20 s with the old pattern
    assert URL.search(blob) is None and not is_clean(blob)  # no URL in it; longer than any word
    assert not is_clean(blob + " see https://example.org") and not is_clean(blob + "ftp://x")
    assert not is_clean("svn+ssh://host/repo") and not is_clean("chrome-extension://abc")


@needs_shared()
@pytest.mark.slow
def test_no_gold_keyphrase_of_the_shared_corpora_is_unclean_for_its_machine_strings():
    """The machine-string rule refuses no keyphrase a person chose, in any split of the eight
    corpora (one holds orbital notation, "6s5p4d3f1g", which the rule excepts)."""
    import json

    held = [(path.parent.name, k) for path in sorted(SHARED.glob("*/*.jsonl")) for line in path.open(encoding="utf-8")
            for k in json.loads(line)["keyphrases"] if machine_string(k) is not None]
    assert held == []


@needs_shared()
@pytest.mark.slow
def test_no_gold_keyphrase_of_the_shared_corpora_holds_a_colon_or_semicolon_before_a_space():
    import json

    held = [(path.parent.name, k) for path in sorted(SHARED.glob("*/*.jsonl")) for line in path.open(encoding="utf-8")
            for k in json.loads(line)["keyphrases"] if INTRODUCES.search(k.strip())]
    assert held == []


def test_code_pasted_as_text_gives_no_phrase_across_its_colons():
    from kwextract import load

    text = ("Parsing configuration files in Python\n\nThe parser reads each line of the configuration file.\n\n"
            "def parse(line): return line.strip().split('=')\n\n"
            "Configuration parsing: a practical guide; examples follow for configuration files.")
    for top_k in (20, None):
        found = load("fast").extract(text, top_k=top_k)
        assert found and not any(INTRODUCES.search(text[kp.start : kp.end]) for kp in found), found


def test_a_post_s_emoji_are_no_part_of_its_keyphrases():
    from kwextract import load

    text = ("Just finished the marathon in Berlin \U0001F3C3\u200d\u2640\ufe0f\U0001F525 new personal best \U0001F4AA "
            "emoji \U0001F642 party \U0001F389 with the running club. ") * 2
    found = load("fast").extract(text, top_k=20)
    assert found and not any(PICTOGRAPH.search(kp.text) for kp in found), found


@needs_shared()
@pytest.mark.slow
def test_no_gold_keyphrase_of_the_shared_corpora_holds_a_pictograph():
    import json

    held = [(path.parent.name, k) for path in sorted(SHARED.glob("*/*.jsonl")) for line in path.open(encoding="utf-8")
            for k in json.loads(line)["keyphrases"] if PICTOGRAPH.search(k)]
    assert held == []


STRUCTURED = ("BACKGROUND: Statins reduce cardiovascular events, but their effect on dementia risk is unclear. "
              "METHODS: We followed 12,000 adults aged 65 or older in a prospective cohort study and recorded statin "
              "use and incident dementia. RESULTS: Statin users had a lower risk of Alzheimer disease (hazard ratio "
              "0.79) and of vascular dementia. CONCLUSIONS: Statin use was associated with reduced dementia risk in "
              "older adults.\nKeywords: statins; dementia")


@pytest.mark.parametrize(("text", "phrase", "label"), [
    (STRUCTURED, "BACKGROUND", True), (STRUCTURED, "METHODS", True), (STRUCTURED, "Keywords", True),
    ("Intro. Results : the model wins.", "Results", True), ("Design: a cohort.", "Design", True),
    ("Our results: the model wins.", "results", False),  # inside a sentence: a word
    ("Results of the trial are mixed.", "Results", False),  # no colon: a word
    ("Reef design: corals first.", "design", False), ("Background subtraction: a survey", "Background", False),
])
def test_section_labels_are_labels_where_they_head_a_section(text, phrase, label):
    start = text.index(phrase)
    assert is_section_label(text, start, start + len(phrase)) is label


def test_a_structured_abstract_s_labels_are_not_its_keyphrases():
    """PubMed's structured abstracts gave "BACKGROUND" in their top 10 (rank 7 of this one)."""
    from kwextract import load

    for text in (STRUCTURED, STRUCTURED.replace(". ", ".\n").title()):
        found = [kp.text.lower() for kp in load().extract(text, top_k=15)]
        assert "dementia risk" in found and not {"background", "methods", "results", "conclusions", "keywords"} & set(
            found), found


@pytest.mark.parametrize(("lang", "text", "crosses"), [
    ("ru", "министрами правительства. На встрече", True),  # a model that never saw Cyrillic gave this
    ("en", "tagging networks. The results", True),
    ("hi", "दिल्ली है। मुंबई", True),  # the danda ends a sentence whatever follows
    ("en", "U.S. Army", False), ("en", "Dr. Smith", False), ("en", "Fig. 1", False),  # abbreviations
    ("en", "Conrad et al. method", False),  # a period, then lower case: the sentence goes on
    ("en", "networks.", False),  # a period at the end is the surface rule's (is_clean), not a crossing
    ("en", "cheap watches now! Buy cheap watches", True), ("en", "is it fast? The answer", True),
    ("en", "Yahoo! Answers", False), ("en", "WhizBang! Extraction Framework", False),  # names (a gold keyphrase)
])
def test_a_phrase_that_runs_into_the_next_sentence(lang, text, crosses):
    from kwextract.tokenize import Tokenizer

    assert crosses_sentence(Tokenizer(lang=lang)(text).words) is crosses


def test_ranking_drops_candidates_that_run_into_the_next_sentence():
    import numpy as np

    from kwextract.ranking import clean_keys
    from kwextract.tokenize import Tokenizer

    tokens = Tokenizer(lang="ru")("Путин встретился с министрами правительства. На встрече обсуждались вопросы.")
    words = list(tokens.words)
    first = np.array([words.index("министрами"), words.index("министрами"), words.index("На")])
    keys = [("министрами", "правительства", ".", "на", "встрече"), ("министрами", "правительства"), ("на", "встрече")]
    kept = clean_keys(np.arange(3), keys, first, tokens, words)  # the keys are words, not stems
    assert kept.tolist() == [1, 2]


def test_a_run_of_letters_longer_than_any_word_is_no_keyphrase():
    """Read in 256-character tokens, "aaaa…" or a DNA sequence gave keyphrases of 256 to 2,440 letters."""
    from kwextract import load
    from kwextract.surface import MAX_WORD_CHARS

    text = "Graph partitioning for parallel sparse matrix computations. " + "a" * 5000 + " ATGCGTACCG" * 40
    found = load("fast").extract(text, top_k=10)
    assert found and all(len(word) <= MAX_WORD_CHARS for kp in found for word in kp.text.split()), found


MAIL = ("Hi team,\n\nThe quarterly budget review for the data platform migration is moved to Thursday. Please send "
        "your cost estimates for the storage cluster upgrade before then.\n\nBest regards,\nMaria Keller\n"
        "Senior Project Manager\nData Platform Group\n")
WRAPPED = ("Keyphrase extraction finds the phrases that best describe a document. A\nconditional random field "
           "tags their spans, and a bidirectional\nrecurrent network reads the words around each of them, in\n"
           "both directions.\nShort last line.\n")


def test_wrap_width_is_how_wide_the_body_runs_whatever_a_signature_adds():
    assert wrap_width(MAIL) == len("The quarterly budget review for the data platform migration is moved to Thursday. "
                                   "Please send your cost estimates for the storage cluster upgrade before then.")
    assert 55 <= wrap_width(WRAPPED) <= 75
    assert wrap_width("one line only") == wrap_width("") == 0.0


def test_a_line_break_after_a_short_line_parts_a_phrase_and_a_wrapped_one_does_not():
    def spans(text, phrase):
        start = text.index(phrase)
        return breaks_after_short_line(text, start, start + len(phrase), wrap_width(text))

    assert spans(MAIL, "Maria Keller\nSenior Project Manager")  # a signature's lines
    assert spans(MAIL, "Senior Project Manager\nData Platform")
    assert not spans(MAIL, "Maria Keller") and not spans(MAIL, "storage cluster upgrade")
    assert not spans(WRAPPED, "bidirectional\nrecurrent network")  # a hard-wrapped line ran on
    assert not spans(WRAPPED, "A\nconditional random field")
    assert spans(WRAPPED, "directions.\nShort")  # the end of a paragraph
    assert not spans("Keyphrase extrac-\ntion finds the main topics of a document, and more of them.",
                     "Keyphrase extrac-\ntion")  # a word broken by a hyphen runs on, however short its line
    assert not spans("Deep Learning\nfor Keyphrases", "Deep Learning\nfor")  # two lines of a like length: neither is short


def test_a_piece_of_a_hyphenated_word_is_cut_out_of_it_and_the_whole_word_is_not():
    def cut(text, phrase):
        start = text.index(phrase)
        return cuts_hyphenated_word(text, start, start + len(phrase))

    text = "Kubernetes works with containerd and CRI-O, a non-linear state-of-the-art runtime."
    assert cut(text, "CRI") and cut(text, "O") and cut(text, "linear") and cut(text, "art runtime")
    assert cut(text, "state") and cut("an X\u2010ray image", "ray image")  # U+2010, the Unicode hyphen
    assert not cut(text, "CRI-O") and not cut(text, "non-linear state-of-the-art runtime")
    assert not cut(text, "containerd") and not cut(text, "Kubernetes")  # at the text's ends
    assert not cut("Keyphrase extrac-\ntion", "Keyphrase extrac")  # a word broken at a line's end runs on
    assert not cut("the Smith\u2013Waterman algorithm", "Waterman algorithm")  # an en dash joins two names
    assert not cut("scores - 12 of them", "scores") and not cut("-O", "O") and not cut("CRI-", "CRI")


def test_ranking_drops_a_phrase_found_only_inside_hyphenated_words():
    import numpy as np

    from kwextract.ranking import clean_keys
    from kwextract.tokenize import Tokenizer

    def kept(text, phrase):
        tokens = Tokenizer(lang="en")(text)
        stems = [w.lower() for w in tokens.words]
        key = tuple(w.lower() for w in Tokenizer(lang="en")(phrase).words)
        return clean_keys(np.arange(1), [key], np.array([stems.index(key[0])]), tokens, stems).tolist() == [0]

    assert not kept("Kubernetes works with containerd and CRI-O.", "CRI")
    assert not kept("We study high-dimensional data.", "dimensional data")
    # the first occurrence is a piece, but the phrase also stands on its own
    assert kept("MPEG-7-based retrieval. Its MPEG-7 descriptors are compact.", "MPEG-7")
    assert kept("Agent-based models. An agent acts alone.", "agent")
    assert kept("We study high-dimensional data.", "high-dimensional data")


def test_a_letter_s_salutation_closing_and_signature_are_found_and_prose_is_not():
    def found(text):
        return [text[s:e] for s, e in letter_formulas(text)]

    assert found(MAIL) == ["Hi team,", MAIL[MAIL.index("Best regards,"):].rstrip("\n")]
    assert found("Dear Dr. Smith:\nThe report is attached.\n\nMit freundlichen Grüßen\nJan") == [
        "Dear Dr. Smith:", "Mit freundlichen Grüßen\nJan"]
    assert found("Bonjour à tous,\nLe budget est voté.\nCordialement,\nMarie") == ["Bonjour à tous,", "Cordialement,\nMarie"]
    assert found("MIT FREUNDLICHEN GRÜSSEN\nJan") == ["MIT FREUNDLICHEN GRÜSSEN\nJan"]  # ß upper-cased is SS
    # prose, not a letter: a greeting word in a sentence, a closing word inside a line, "best"
    # alone on a line of a PDF's text, a closing followed by a paragraph that runs on
    assert found("Dear reader, this paper is long.\nHighlights:\nfoo") == []
    assert found("email spam in many\nregards, and content-based methods have been proposed") == []
    assert found("the best\nk\n(\nk = 2, ..., K), which has certain forms") == []
    assert found("Regards,\n" + "a line of a paragraph\n" * 8 + "that runs on") == []
    assert found("Hello everyone in the whole wide world today,\nthe news.") == []  # too many words to greet
    assert found("Hello Kitty turns 50!\nThe cat's maker celebrates.") == []  # a headline, not a greeting


def test_ranking_drops_a_phrase_found_only_in_a_letter_s_salutation_or_signature():
    import numpy as np

    from kwextract.ranking import clean_keys
    from kwextract.tokenize import Tokenizer

    text = ("Hi team,\n\nThe Data Platform Group meets on Thursday.\n\nBest regards,\nMaria Keller\n"
            "Data Platform Group\n")
    tokens = Tokenizer(lang="en")(text)
    stems = [w.lower() for w in tokens.words]

    def kept(phrase, nth=0):  # scored at its nth occurrence
        key = tuple(w.lower() for w in Tokenizer(lang="en")(phrase).words)
        at = [i for i in range(len(stems)) if tuple(stems[i : i + len(key)]) == key][nth]
        return clean_keys(np.arange(1), [key], np.array([at]), tokens, stems).tolist() == [0]

    assert not kept("team") and not kept("regards") and not kept("Maria Keller")
    assert kept("Data Platform Group", nth=1)  # scored in the signature, but the body uses it too
    assert kept("Thursday")


def test_letter_formulas_read_a_long_text_in_one_pass():
    text = "A short line\n" * 50_000 + "Best regards,\nAda"
    assert [text[s:e] for s, e in letter_formulas(text)] == ["Best regards,\nAda"]
