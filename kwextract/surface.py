"""What a returned keyphrase may look like on the page: clean surface forms.

The tagger scores token spans, and spaCy's tokens keep hyphens, brackets and markup that no
user wants as a keyphrase ("-formed", "RDF-", "entity-relation(ER", a URL). A phrase is
*clean* when it begins and ends with a letter or digit-like character (not punctuation or a
hyphen), its brackets are balanced, no dash between spaces parts it ("amazing - easily 12
hours": a dash so written separates clauses; no gold keyphrase of the six visible corpora
holds one), it does not span a paragraph break (a blank line) or a tab (``SPAN_BREAK``) or
run from one sentence into the next (``crosses_sentence``), and it is not a URL, a DOI,
an e-mail address or a fragment of markup or query syntax, holds no colon or semicolon before
a space (``INTRODUCES``: "def parse(x): return", "learning: a survey"), and holds no machine string (a
hash, key, token or base64 run: ``machine_string``) and no emoji or pictograph ("emoji 🙂
party" from a post). A structured abstract's section label ("BACKGROUND:", "Methods:",
"Keywords:") is not a keyphrase where it heads its section (``is_section_label``), nor is a
phrase found only cut out of hyphenated words ("CRI" of "CRI-O": ``cuts_hyphenated_word``) or
only in a letter's salutation, closing or signature ("Hi team,", "Best regards,\nMaria Keller":
``letter_formulas``). Phrases that differ only in case, whitespace or punctuation are one
phrase: the best-ranked is kept.

``Keyphrase.text`` is the phrase with its whitespace runs (line breaks of hard-wrapped text)
collapsed to one space, a word broken across lines by a hyphen whole and ligatures ("ﬁ")
spelled out (``tokenize.phrase_text``):
``text == " ".join(readable(source[start:end]).split())`` for text without such a break or
ligature, where
``tokenize.readable`` reads control characters and invisible word breaks (U+200B, U+FEFF)
as spaces and lone surrogates as U+FFFD.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import islice

OPENING, CLOSING = "([{", ")]}"
# characters of markup, query syntax or code, never of a keyphrase
MARKUP = set('<>{}|~\\^=`"@$')  # and $: TeX's mathematics, a shell's variables (no gold keyphrase holds one)
# a scheme of at most 32 characters: unbounded, the search backtracked over every start of a
# long unbroken token (a 200,000-character one took minutes); longer schemes do not exist
URL = re.compile(r"(?:[a-z][a-z0-9+.-]{0,31}://|www\.|\bdoi:|\b10\.\d{4,9}/)\S", re.IGNORECASE)  # and DOIs
SPACED_DASH = re.compile(r"\s[-\u2010-\u2015\u2212]\s")  # hyphen, the Unicode dashes, minus
# a colon or semicolon before a space introduces or parts what follows (a title's subtitle, a
# form's value, a list, a line of code); no gold keyphrase of the eight shared corpora holds one
# ("metal:oxide interface" and "PEDOT:PSS" write theirs closed up)
INTRODUCES = re.compile(r"[:;]\s")
# a blank line, or U+2029 PARAGRAPH SEPARATOR: a title and the text under it, two paragraphs,
# two blocks of a web page (markup.py) are never one keyphrase (read in the source text)
PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n|\u2029")
# what no keyphrase's source text spans: a paragraph break, or a tab, which parts the cells of a
# table ("neural network\tprotein structure\t0.85") and a form's label from its value
# ("Manager:\tMary Jones"), never the words of one phrase (no text of the eight shared corpora
# holds a tab)
SPAN_BREAK = re.compile(PARAGRAPH_BREAK.pattern + r"|\t")
# a run of ASCII letters and digits long enough to be a machine's string rather than a word
ALNUM_RUN = re.compile(r"[A-Za-z0-9]{8,}")
LETTERS_OR_DIGITS = re.compile(r"[A-Za-z]+|[0-9]+")
# longer than any word ("Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz": 63)
MAX_WORD_CHARS = 64
LONG_RUN = re.compile(rf"[^\W_]{{{MAX_WORD_CHARS + 1},}}")
# runs that alternate letters and digits by design: chemical formulas (C12H22O11, Li4Ti5O12)
# and orbital or basis-set notation (6s5p4d3f1g, a gold keyphrase of SemEval-2017)
NOTATION = re.compile(r"(?:[A-Z][a-z]?[0-9]*)+|(?:[0-9]+[a-z])+")
# emoji and pictographs (their blocks: symbols and pictographs, dingbats, flags, arrows and
# stars), and the joiner and variation selector that build emoji sequences
PICTOGRAPH = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u200D\uFE0F]")


# the labels that part structured abstracts (ANSI/NISO Z39.14, PubMed, JAMA, Cochrane) and a
# paper's front matter (ACM's "General Terms", IEEE's "Index Terms"): as "BACKGROUND:" or
# "Keywords:" they head a section and name no topic
SECTION_LABELS = frozenset("""background introduction context rationale objective objectives aim aims purpose
    goal goals hypothesis methods method methodology design setting settings participants patients subjects
    intervention interventions measurements measures results result findings conclusion conclusions interpretation
    discussion limitations significance importance implications summary abstract keywords""".split()) | {
    "materials and methods", "patients and methods", "study design", "main outcome measures", "outcome measures",
    "main outcomes and measures", "main results", "principal findings", "conclusions and relevance",
    "data sources", "study selection", "data extraction", "data synthesis", "evidence acquisition",
    "evidence synthesis", "trial registration", "key words", "index terms", "general terms",
    "categories and subject descriptors"}


# formulas that close a letter or an e-mail on a line of their own ("Best regards,"), in the
# languages --lang auto tells apart: the line and the signature under it name no topic
CLOSINGS = frozenset({
    "regards", "best regards", "kind regards", "kindest regards", "warm regards", "warmest regards",
    "with regards", "with best regards", "with kind regards", "best wishes", "with best wishes", "all the best",
    "sincerely", "yours sincerely", "sincerely yours", "yours faithfully", "yours truly", "respectfully",
    "cordially", "cheers", "thanks", "many thanks", "thanks again", "thank you", "with thanks", "take care",
    "cordialement", "bien cordialement", "bien à vous", "salutations", "meilleures salutations",
    "atenciosamente", "cumprimentos", "com os melhores cumprimentos", "abraços", "obrigado", "obrigada",
    "saludos", "un saludo", "saludos cordiales", "atentamente", "gracias", "muchas gracias",
    "mit freundlichen grüßen", "freundliche grüße", "viele grüße", "beste grüße", "liebe grüße", "grüße", "danke",
    "mit freundlichen grüssen", "freundliche grüsse", "viele grüsse", "beste grüsse", "liebe grüsse", "grüsse",
    "cordiali saluti", "distinti saluti", "saluti", "grazie", "un saluto",
    "met vriendelijke groet", "met vriendelijke groeten", "vriendelijke groet", "groeten", "bedankt"})
# words that open a letter's salutation line ("Hi team,", "Dear Dr. Smith:", "Bonjour à tous,")
GREETINGS = frozenset({
    "hi", "hello", "hey", "dear", "greetings", "good morning", "good afternoon", "good evening",
    "bonjour", "bonsoir", "salut", "cher", "chère", "chers", "chères", "madame", "monsieur",
    "olá", "ola", "oi", "caro", "cara", "caros", "prezado", "prezada", "prezados", "bom dia", "boa tarde",
    "hola", "estimado", "estimada", "estimados", "querido", "querida", "buenos días", "buenas tardes",
    "hallo", "liebe", "lieber", "sehr geehrte", "sehr geehrter", "sehr geehrte damen und herren", "guten tag", "moin",
    "ciao", "gentile", "gentili", "buongiorno", "salve", "beste", "hoi", "geachte", "goedemorgen"})
SALUTATION_WORDS = 6  # a greeting and the names it greets, at most
SIGNATURE_LINES = 8  # a closing line and the lines under it, up to a blank line, at most
# a line holding only a closing (words apart by any spaces), and a comma, full stop or "!"
CLOSING_LINE = re.compile(r"^[^\S\n]*(" + "|".join(r"[^\S\n]+".join(map(re.escape, c.split()))
                                                   for c in sorted(CLOSINGS, key=len, reverse=True))
                          + r")[^\S\n]*[,.!]?[^\S\n]*$", re.IGNORECASE | re.MULTILINE)
# a line that opens with a greeting and ends with a comma or colon (its words are counted apart);
# not "!", which also ends a headline ("Hello Kitty turns 50!")
SALUTATION_LINE = re.compile(r"^[^\S\n]*((?:" + "|".join(r"[^\S\n]+".join(map(re.escape, g.split()))
                                                      for g in sorted(GREETINGS, key=len, reverse=True))
                             + r")\b[^\n]{0,80}?[,:])[^\S\n]*$", re.IGNORECASE | re.MULTILINE)

# a line this much shorter than its text's wrap width ends where it does by intent (the name in
# a signature, a line of an address, a list item, a heading), not because it was full
SHORT_LINE_SHARE = 0.5
WRAP_SAMPLE_CHARS = 100_000  # what wrap_width reads of a text


def wrap_width(text: str) -> float:
    """How wide a text's lines run: the length of line (stripped) that half of its characters
    lie in lines no longer than, from its first WRAP_SAMPLE_CHARS characters. Weighed by
    characters, the body's lines decide, however many short ones a signature or a list adds
    (an unwrapped e-mail body is one long line among a dozen short ones); 0 for one line."""
    lengths = sorted(len(line.strip()) for line in text[:WRAP_SAMPLE_CHARS].split("\n") if line.strip())
    if len(lengths) < 2:
        return 0.0
    half, seen = sum(lengths) / 2, 0
    for length in lengths:
        seen += length
        if seen >= half:
            return float(length)
    return float(lengths[-1])  # not reached: the lengths add up to twice half


def breaks_after_short_line(text: str, start: int, end: int, width: float) -> bool:
    """Whether ``text[start:end]`` spans a line break after a line (stripped) shorter than
    SHORT_LINE_SHARE of ``width`` (``wrap_width(text)``) that does not end in a hyphen: "Maria
    Keller\nSenior Project Manager" in a signature, where a hard-wrapped line would have run on."""
    at = text.find("\n", start, end)
    while at != -1:
        line = text[text.rfind("\n", 0, at) + 1:at].strip()
        # a line ending in a hyphen runs on into the next whatever its length ("extrac-\ntion")
        if len(line) < SHORT_LINE_SHARE * width and not line.endswith("-"):
            return True
        at = text.find("\n", at + 1, end)
    return False


# hyphens that join the parts of one word ("CRI-O", "non-linear", "state-of-the-art"); dashes
# (en, em) and slashes join or part separate words and are not among them
WORD_HYPHENS = frozenset("-\u2010\u2011")


def cuts_hyphenated_word(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is cut out of a hyphenated word: it starts right after a
    hyphen that follows a letter or digit, or ends right before one that a letter or digit
    follows ("CRI" of "CRI-O", "linear" of "non-linear"). A line-end hyphen ("extrac-\ntion")
    is followed by a line break, not a letter, so a word broken across lines is not cut."""
    before = start >= 2 and text[start - 1] in WORD_HYPHENS and text[start - 2].isalnum()
    return before or (end + 1 < len(text) and text[end] in WORD_HYPHENS and text[end + 1].isalnum())


def is_section_label(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands as a section label: one of SECTION_LABELS (any case),
    first in its line or sentence, and followed by a colon ("BACKGROUND: Statins reduce...")."""
    if " ".join(text[start:end].lower().split()) not in SECTION_LABELS:
        return False
    if not text[end : end + 3].lstrip(" \t").startswith(":"):
        return False
    before = text[max(0, start - 3) : start].rstrip(" \t")
    return not before or before[-1] in "\n\r.!?\u2029"


def letter_formulas(text: str) -> list[tuple[int, int]]:
    """Where ``text`` opens or closes as a letter does, as (start, end): each salutation line
    (a greeting of GREETINGS, at most SALUTATION_WORDS words in all, and a comma or colon to
    end the line: "Hi team,", "Dear Dr. Smith:") and each closing line (only one of CLOSINGS,
    any case, and at most a comma, full stop or "!") with the lines under it, the signature.
    The signature must end at a blank line or the text's end within SIGNATURE_LINES lines in
    all; lines that run on are a paragraph ("best" alone on a line of a PDF's text), not a
    signature."""
    found = [m.span(1) for m in SALUTATION_LINE.finditer(text) if len(m.group(1).split()) <= SALUTATION_WORDS]
    for match in CLOSING_LINE.finditer(text):
        end = match.end()  # of the closing line; then of each line under it
        for _ in range(SIGNATURE_LINES):
            if end >= len(text):
                break
            after = text.find("\n", end + 1)
            after = len(text) if after == -1 else after
            if not text[end + 1 : after].strip():  # a blank line ends the signature
                break
            end = after
        else:
            continue  # no end within SIGNATURE_LINES: not a signature
        found.append((match.start(1), end))
    return found


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def balanced(text: str) -> bool:
    """Every bracket closes the last one opened, and all are closed."""
    stack: list[str] = []
    for char in text:
        if char in OPENING:
            stack.append(CLOSING[OPENING.index(char)])
        elif char in CLOSING:
            if not stack or stack.pop() != char:
                return False
    return not stack


def machine_string(text: str) -> str | None:
    """The first run of ASCII letters and digits in ``text`` that reads as a machine's string,
    not a word: at least 8 characters switching between letters and digits at least 4 times
    (a commit hash, an API key, a UUID's part, a JWT, base64), unless it is a chemical formula
    or orbital notation. Words and names that hold digits switch fewer times ("ResNet50V2",
    "SHA256withRSA", "HSD17B13"); no gold keyphrase of the eight visible corpora holds one.
    So is any run of more than MAX_WORD_CHARS letters or digits, in any script: a DNA
    sequence, a line of one key held down (the longest word of a gold keyphrase: 39)."""
    if (long_run := LONG_RUN.search(text)) is not None:
        return long_run.group()
    for match in ALNUM_RUN.finditer(text):
        run = match.group()
        parts = sum(1 for _ in islice(LETTERS_OR_DIGITS.finditer(run), 5))  # 5 parts: 4 switches
        if parts == 5 and not NOTATION.fullmatch(run):
            return run
    return None


# tokens that end a sentence: a period when a capital follows it (spaCy keeps "U.S.", "Dr." and
# "e.g." whole, and "Fig. 1" or "et al. method" go on in lower case), and the danda of Hindi and
# Nepali, which ends one wherever it stands
FULL_STOP = "."
EXCLAMATIONS = frozenset("!?")
SENTENCE_ENDS = frozenset({"\u0964", "\u0965"})


def crosses_sentence(words: Sequence[str]) -> bool:
    """Whether a phrase of these tokens runs over the end of a sentence into the next
    ("правительства. На встрече", read by a model that never saw the language's letters;
    "watches now! Buy cheap": an exclamation or a question after a lower-case word, since
    "Yahoo! Answers" and "WhizBang! Extraction Framework" are names)."""
    for before, word, after in zip(words, words[1:-1], words[2:]):
        if word in SENTENCE_ENDS or (word == FULL_STOP and after[:1].isupper()):
            return True
        if word in EXCLAMATIONS and before[:1].islower() and after[:1].isupper():
            return True
    return False


def is_clean(surface: str) -> bool:
    """Whether ``surface`` may be returned as a keyphrase (see the module docstring)."""
    text = surface.strip()
    if not text or _is_punctuation(text[0]) or _is_punctuation(text[-1]):
        return False
    if any(char in MARKUP for char in text) or URL.search(text) or SPACED_DASH.search(text) \
            or INTRODUCES.search(text):
        return False
    if PICTOGRAPH.search(text):
        return False
    if machine_string(text) is not None:
        return False
    return balanced(text)


# ASCII punctuation → space, in one C-level pass; other characters are looked up by category
_ASCII_PUNCTUATION = str.maketrans({chr(i): " " for i in range(128) if unicodedata.category(chr(i)).startswith("P")})


def dedup_key(surface: str) -> str:
    """Phrases with equal keys differ only in case, whitespace or punctuation."""
    text = surface.lower().translate(_ASCII_PUNCTUATION)
    if not text.isascii():
        text = "".join(" " if _is_punctuation(c) else c for c in text)
    return " ".join(text.split())
