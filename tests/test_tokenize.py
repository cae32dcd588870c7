from kwextract import load
from kwextract.tokenize import Tokenizer, phrase_text, readable, windows

tokenizer = Tokenizer()


def test_offsets_point_into_the_original_text():
    text = "  Graph  partitioning\n\n(GP) is NP-hard;  see §3.\u00a0Done. "
    toks = tokenizer(text)
    assert toks.words[0] == "Graph"
    for word, s, e in zip(toks.words, toks.starts, toks.ends):
        assert text[s:e] == word
        assert word.strip() == word and word


def test_windows_follow_sentences_and_cover_every_token():
    text = " ".join(f"Sentence number {i} has exactly seven tokens." for i in range(40))
    toks = tokenizer(text)
    spans = windows(toks, 20)
    assert spans[0][0] == 0 and spans[-1][1] == len(toks)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert all(toks.sentence_starts[s] for s, _ in spans)
    assert max(e - s for s, e in spans) <= 20


def test_a_sentence_longer_than_a_window_is_cut_not_dropped():
    toks = tokenizer("word " * 50)
    spans = windows(toks, 16)
    assert sum(e - s for s, e in spans) == 50


def test_very_long_text_is_tokenized_in_pieces_with_exact_offsets():
    small = Tokenizer(chunk_chars=100)
    text = "Keyphrase extraction finds topics. " * 30
    toks = small(text)
    assert len(toks) == len(tokenizer(text))
    assert all(text[s:e] == w for w, s, e in zip(toks.words, toks.starts, toks.ends))


def test_empty_and_whitespace_texts():
    assert len(tokenizer("")) == 0
    assert len(tokenizer(" \n\t ")) == 0
    assert windows(tokenizer(""), 10) == []


def test_tokens_are_stored_compactly_and_stay_hashable():
    text = "Graph partitioning splits graphs. Graph partitioning is hard. " * 500
    toks = Tokenizer()(text)
    assert toks.starts.itemsize == toks.ends.itemsize == 4 and isinstance(toks.sentence_starts, bytes)
    graphs = [w for w in toks.words if w == "Graph"]
    assert len(graphs) == 1000 and len({id(w) for w in graphs}) == 1  # one string per spelling
    assert toks == Tokenizer()(text) and len({toks, Tokenizer()(text)}) == 1


def test_a_long_text_leaves_no_strings_in_the_shared_vocabulary():
    text = " ".join(f"word{i} and term{i * 7}." for i in range(300))  # 600 strings never seen before
    tokenizer = Tokenizer(chunk_chars=500)
    before = len(tokenizer.nlp.vocab.strings)
    long = tokenizer(text)
    assert len(tokenizer.nlp.vocab.strings) == before
    whole = Tokenizer(chunk_chars=10**6)(text)  # read in one piece by the shared pipeline
    assert long.words == whole.words and list(long.starts) == list(whole.starts)


def test_a_long_text_read_by_several_fresh_pipelines_gives_the_same_tokens(monkeypatch):
    import kwextract.tokenize as tokenize

    made = []
    original = tokenize.make_nlp
    monkeypatch.setattr(tokenize, "make_nlp", lambda lang="en": made.append(lang) or original(lang))
    monkeypatch.setattr(tokenize, "PIPELINE_CHARS", 2_000)
    text = " ".join(f"Graph{i} partitioning (GP) of term{i * 7}. " for i in range(400))
    tokenizer = Tokenizer(chunk_chars=500)
    made.clear()
    long = tokenizer(text)
    assert 5 <= len(made) <= len(text) // 2_000 + 1  # a fresh one after each 2,000 characters or so
    whole = Tokenizer(chunk_chars=10**6)(text)
    assert long.words == whole.words and list(long.starts) == list(whole.starts)
    assert list(long.ends) == list(whole.ends)


def test_a_text_read_in_pieces_has_the_sentences_of_one_doc():
    """Where a long text is cut starts no sentence: sentence starts, tokens and offsets are those
    of one Doc, wherever the cuts fall (after a full stop, inside quotes, amid blank lines)."""
    parts = ['He said: "It works." Then it failed... Really?!', "(See Fig. 2.)  Next one.", "end.\n\n\n",
             "\u201cQuoted.\u201d After", "no stop here", "A. B. C.", "   \t  trailing spaces.  "]
    text = " ".join(parts[i % len(parts)] + f" item{i}." * (i % 3) for i in range(300))
    from kwextract.tokenize import from_doc, make_nlp

    whole = from_doc(make_nlp("en")(text))  # one Doc, spaCy's own sentencizer
    for size in (40, 97, 500, 3_001, 10**6):  # 10**6: one piece, the rule read from arrays
        cut = Tokenizer(chunk_chars=size)(text)
        assert cut.words == whole.words and list(cut.starts) == list(whole.starts)
        assert list(cut.ends) == list(whole.ends) and cut.sentence_starts == whole.sentence_starts
    assert sum(whole.sentence_starts) > 300


def test_long_runs_without_whitespace_are_read_in_slices():
    """spaCy strips a token's prefixes one character at a time (16,000 '(' in a row took it 32 s);
    a run longer than LONG_RUN is read in slices of its own, the words around it as usual."""
    from kwextract.tokenize import LONG_RUN

    blob = "QmFzZTY0" * 200  # 1,600 characters, no whitespace
    text = f"Keyphrase extraction (KE). {blob} Neural networks.\n{'(' * 3000}word"
    tokens = Tokenizer()(text)
    assert all(len(w) <= LONG_RUN for w in tokens.words)
    assert all(text[s:e] == w for w, s, e in zip(tokens.words, tokens.starts, tokens.ends))
    assert "".join(w for w, s in zip(tokens.words, tokens.starts) if text.find(blob) <= s < text.find(blob) + len(blob)) == blob
    assert tokens.words[:6] == ("Keyphrase", "extraction", "(", "KE", ")", ".")
    assert tokens.words[-1] == "word" and "networks" in tokens.words
    short = Tokenizer()("Keyphrase extraction (KE). Neural networks.")
    assert short.words == ("Keyphrase", "extraction", "(", "KE", ")", ".", "Neural", "networks", ".")


def test_a_long_run_of_new_words_renews_the_pipeline_and_keeps_the_tokens():
    texts = [f"Batch {i}: identifiers x{i}a1, x{i}b2 and https://example.org/{i}/page?q={i}. Done (v{i}.{i})."
             for i in range(300)]
    renewing, keeping = Tokenizer(max_strings=200), Tokenizer(max_strings=10**9)
    first, fresh = renewing.nlp, len(renewing.nlp.vocab.strings)
    got = [t for i in range(0, 300, 20) for t in renewing.pipe(texts[i : i + 20])]
    assert renewing.nlp is not first  # replaced once its strings passed the limit
    assert len(renewing.nlp.vocab.strings) <= fresh + 200 + 20 * 30  # at most one batch over the limit
    expected = keeping.pipe(texts)
    assert [(t.words, list(t.starts), list(t.ends), t.sentence_starts) for t in got] == \
        [(t.words, list(t.starts), list(t.ends), t.sentence_starts) for t in expected]
    given = Tokenizer(nlp=keeping.nlp, max_strings=10)  # a caller's own pipeline is never replaced
    given.pipe(texts[:20])
    assert given.nlp is keeping.nlp


def test_the_lean_pipeline_reads_as_a_full_blank_one():
    """make_nlp computes only the word attributes kwextract reads; tokens, offsets and sentence
    starts are those of spaCy's blank pipeline with every attribute (English and French)."""
    import spacy

    from kwextract.tokenize import from_doc, make_nlp

    nasty = ("Dr. Smith's e-mail: j.smith@example.org (see https://example.org/a?b=1). It costs $3.50... "
             "Really?! «Citation» — l'été 2024, n° 5; x≥y, 10⁻³ m² ... \u00a0\u2003 tab\tend.\n\n"
             "Line two:\u201cquoted\u201d [ref 12] {set} 3-D/2-D CO2-laser U.S.A. 'tis. Ünïcödé ÆØÅ.")
    for lang in ("en", "fr"):
        lean = make_nlp(lang)
        full = spacy.blank(lang)
        full.add_pipe("sentencizer")
        assert len(lean.vocab.lex_attr_getters) < len(full.vocab.lex_attr_getters)
        got, expected = from_doc(lean(nasty)), from_doc(full(nasty))
        assert got.words == expected.words and len(got.words) > 50
        assert got.lang == expected.lang == lang
        assert list(got.starts) == list(expected.starts) and list(got.ends) == list(expected.ends)
        assert got.sentence_starts == expected.sentence_starts and sum(got.sentence_starts) >= 4
        batched = Tokenizer(lang=lang).pipe([nasty, "", " \n ", nasty[::-1]])  # the sentencizer's rule, no sentencizer
        assert batched[0] == expected and batched[3] == from_doc(full(nasty[::-1]))
        assert batched[1].words == batched[2].words == ()


def test_control_characters_and_lone_surrogates_read_as_space_and_replacement():
    """NUL, escape, DEL (debris of binary files and PDF extraction) do not glue to a word, and a
    lone surrogate (a broken JSON escape, which spaCy's strings cannot hold) is read as U+FFFD;
    one character for one, so offsets point into the text as given."""
    text = "null\x00bytes in databases\x00, an \x1bescape\x7f and a lone \ud800 surrogate.\x0cEnd"
    tokens = Tokenizer()(text)
    assert "null" in tokens.words and "bytes" in tokens.words and "databases" in tokens.words
    assert "escape" in tokens.words and "\ufffd" in tokens.words and "End" in tokens.words
    assert not any(c in w for w in tokens.words for c in "\x00\x1b\x7f\ud800")
    assert tokens.text is text  # the text as given, never a copy
    assert all(readable(text)[s:e] == w for w, s, e in zip(tokens.words, tokens.starts, tokens.ends))
    assert all(text[s:e] == w for w, s, e in zip(tokens.words, tokens.starts, tokens.ends) if w != "\ufffd")
    long = Tokenizer(chunk_chars=40)(text)  # read in pieces, each made readable on its own
    assert long.words == tokens.words and list(long.starts) == list(tokens.starts) and long.text is text
    assert Tokenizer().words("graph\x00partitioning") == ["graph", "partitioning"]
    clean = "Plain text, tabs\tand\nnew lines\x0c stay as they are."
    assert readable(clean) is clean


def test_invisible_word_breaks_read_as_space_and_soft_hyphens_stay():
    """A byte-order mark (a Windows file's first character) and zero-width spaces (web text)
    are not whitespace to Python or spaCy, and glued to the next word they made keyphrases
    such as "\ufeffKeyphrase extraction". They read as a space; a soft hyphen stays in its
    word (text taken from PDFs uses it for a printed dash: "pages 12\xad15")."""
    text = "\ufeffKeyphrase extraction\u200b for the\u200bweb, pages 12\xad15.\ufeff"
    tokens = Tokenizer()(text)
    assert tokens.words[:2] == ("Keyphrase", "extraction") and tokens.starts[0] == 1
    assert "the" in tokens.words and "web" in tokens.words and "12\xad15" in tokens.words
    assert not any(c in w for w in tokens.words for c in "\ufeff\u200b")
    assert all(readable(text)[s:e] == w == text[s:e] for w, s, e in zip(tokens.words, tokens.starts, tokens.ends))
    assert Tokenizer().words("\ufeffgraph\u200bpartitioning") == ["graph", "partitioning"]


def test_ligatures_of_pdf_text_are_spelled_out_in_words():
    """Text taken from PDFs writes "ﬁ", "ﬂ", "ﬀ" as one character: "classiﬁcation" and
    "classification" were two words, so a paper's keyphrases split their counts and the tagger
    met an unknown word. Word forms spell ligatures out; offsets still point at the ligature."""
    text = "Text classi\ufb01cation and e\ufb00ective \ufb02ow control: text classification."
    tokens = Tokenizer()(text)
    assert tokens.words[:5] == ("Text", "classification", "and", "effective", "flow")
    assert text[tokens.starts[1] : tokens.ends[1]] == "classi\ufb01cation"
    assert phrase_text(tokens, 0, 2) == "Text classification"
    found = {kp.text: kp for kp in load("fast").extract(text, top_k=None)}
    assert not any("\ufb01" in phrase or "\ufb02" in phrase for phrase in found)


HYPHENATED = ("Keyphrase extrac-\ntion is a well-\nknown prob-\n  lem in re-\r\ntrieval, unlike COVID-\n19 "
              "and Smith-\nJones. A well-known co-\nop-\neration, pro-\nand anti-war. Keyphrase extraction again.")


def test_words_broken_across_lines_by_a_hyphen_read_whole():
    """Typeset text (papers taken from PDFs) breaks words at line ends: "extrac-\ntion" is one
    word, "extraction", from the first half's start to the second half's end; so is a word
    broken twice. A compound's own hyphen ("well-known", written so elsewhere in the text), one
    hanging before a stop word ("pro- and anti-war"), a number or a capital after the break
    stay as they were."""
    tokens = Tokenizer()(HYPHENATED)
    spans: dict[str, str] = {}
    for w, s, e in zip(tokens.words, tokens.starts, tokens.ends):
        spans.setdefault(w, HYPHENATED[s:e])  # each word's first occurrence
    assert spans["extraction"] == "extrac-\ntion" and spans["problem"] == "prob-\n  lem"
    assert spans["retrieval"] == "re-\r\ntrieval" and spans["cooperation"] == "co-\nop-\neration"
    assert {"well-", "COVID-", "19", "Smith-", "Jones", "pro-", "and"} <= set(tokens.words)  # left as they were
    assert len(tokens.sentence_starts) == len(tokens.words) == len(tokens.starts) == len(tokens.ends)
    assert [w for w, first in zip(tokens.words, tokens.sentence_starts) if first] == ["Keyphrase", "A", "Keyphrase"]
    assert phrase_text(tokens, 0, 2) == "Keyphrase extraction"
    pieces = Tokenizer(chunk_chars=30)(HYPHENATED)  # a long text, read in pieces, is rejoined alike
    assert pieces.words == tokens.words and list(pieces.ends) == list(tokens.ends)
    plain = Tokenizer()("Keyphrase extraction, plain.")
    assert Tokenizer()(plain.text) == plain and readable(plain.text) is plain.text


def test_a_hyphen_break_beside_a_long_run_of_letters_is_read_in_one_pass():
    """The compound pattern backtracked over a run of letters from each of its starts (20,000
    letters: 5 s; 200,000: minutes) once a text had a hyphenated line break."""
    text = "Keyphrase extrac-\ntion " + "a" * 200_000 + " and a well-known method."
    tokens = Tokenizer()(text)
    assert tokens.words[:2] == ("Keyphrase", "extraction") and "well" in tokens.words


def test_phrase_text_is_the_source_with_whitespace_collapsed():
    text = "Wireless\n   sensor\tnetworks (WSN) for\x00 e-health,\u200bcost-aware routing."
    tokens = Tokenizer()(text)
    for first in range(len(tokens)):
        for count in range(1, min(6, len(tokens) - first) + 1):
            start, end = tokens.starts[first], tokens.ends[first + count - 1]
            assert phrase_text(tokens, first, count) == " ".join(readable(text[start:end]).split())


def test_english_words_that_spacy_reads_as_contractions_stay_whole():
    """spaCy's exceptions split "id" into "i" + "d" (for "I'd"); kwextract keeps such words
    whole, and real contractions still split as spaCy splits them."""
    words = Tokenizer()("The user id, the session ID, Wed 3 Dec: I can't, we don't, Id est.").words
    assert "id" in words and "Wed" in words and "Id" in words and "d" not in words
    assert words[words.index("I") + 1 : words.index("I") + 3] == ("ca", "n't")
    assert Tokenizer().words("user id") == ["user", "id"]


def test_chunks_read_alone_for_spacys_cache_leave_the_tokens_unchanged():
    """Tokenizer._warm has spaCy's tokenizer read each new whitespace chunk alone, so that it
    caches chunks that follow a special case ("e.g.", "don't"); tokens, offsets and sentences
    must stay those of spaCy's blank pipeline, on a first reading and a cached one."""
    import spacy

    from kwextract.tokenize import from_doc

    texts = ["E.g. we don't see (e.g., in Fig. 3) why U.S.A.-based teams' data-mining works :) "
             "— data-mining, (data-mining) and data-mining. Dr. Who's 3-D model, i.e. CO2-laser.",
             "Data-mining (e.g. CO2-laser) works. Fig. 3 shows it; it isn't 3-D.",
             "Ça n'est pas l'été : c.-à-d. aujourd'hui, (l'été) et l'été."]
    for lang, group in (("en", texts[:2]), ("fr", texts[2:])):
        full = spacy.blank(lang)
        full.add_pipe("sentencizer")
        tokenizer = Tokenizer(lang=lang)
        for _ in range(2):  # the second reading finds every chunk in spaCy's cache
            assert tokenizer.pipe(group) == [from_doc(full(t)) for t in group]
        assert {chunk for t in group for chunk in t.split()} <= tokenizer._cached
    bounded = Tokenizer()
    bounded.nlp.tokenizer.max_cache_size = 5  # spaCy caches no more: no more chunks are read alone
    words = " ".join(f"w{i}" for i in range(50))
    assert bounded.pipe([words])[0].words == tuple(words.split())
    assert len(bounded._cached) == 5
