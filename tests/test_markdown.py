"""Markdown read as the text a reader of the rendered page sees, character for character."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kwextract import load
from kwextract.inputs import InputDocument, InputOptions, decode_text
from kwextract.markdown import markdown_as_text
from kwextract.markup import JOINER, PARAGRAPH
from kwextract.tokenize import Tokenizer

NOTES = """---
title: "Connection pools in practice"
tags: [python, databases]
---
# Installing the connection pool
The pool is *fast*.

```python
pool = ConnectionPool(max_size=10, timeout=30)
with pool.connection() as conn:
    conn.execute("SELECT * FROM users")
```

The **connection pool** keeps database connections open between requests. Set `max_size` to the
number of worker threads. See [the docs](https://example.com/pool "Docs") for _connection pool tuning_[^1].
Snake_case names stay whole, 2 * 3 is arithmetic, \\*stars\\* are escaped, ![a pool diagram](img/pool.png).

- Retry logic: exponential back-off
- [x] Timeouts: per-request timeouts

> Quoted **advice** on connection limits

| Setting | Default |
|---------|:-------:|
| max_size | 10 |

Tuning guide
------------
<div class="note">Pools &amp; threads</div>

[docs]: https://example.com/docs
"""


def test_what_a_reader_sees_at_the_same_offsets():
    text = markdown_as_text(NOTES)
    assert len(text) == len(NOTES)
    for hidden in ("tags", "python", "ConnectionPool", "execute", "SELECT", "https", "Docs", "img/pool", "[^1]",
                   "**", "_connection", "[x]", ">", "---", "div", "&amp;", "example.com"):
        assert hidden not in text, hidden
    words = Tokenizer()(text).words
    for word in ("Connection", "pools", "Installing", "fast", "max_size", "docs", "tuning", "Snake_case", "*",
                 "diagram", "Retry", "Timeouts", "Quoted", "advice", "Setting", "guide", "Pools", "&", "threads"):
        assert word in words, word
    assert "\\*stars" not in text and JOINER + "*stars" + JOINER + "*" in text


def test_headings_items_and_titles_are_paragraphs_of_their_own():
    text = markdown_as_text(NOTES)
    blocks = [" ".join(block.split()) for block in text.replace("\n\n", PARAGRAPH).split(PARAGRAPH) if block.strip()]
    for block in ('"Connection pools in practice"', "Installing the connection pool", "The pool is fast .",
                  "Retry logic: exponential back-off", "Timeouts: per-request timeouts", "Tuning guide"):
        assert block in blocks, block


def test_broken_markdown_keeps_the_length():
    for source in ("```", "```\nnever closed", "---\ntitle: x", "# ", "#", "* ", "[", "[a](", "![", "\\", "`",
                   "| - |", "> > >", "~~~\n```\n~~~", "***", "_", "[^", "\r\n# x\r\n", "- [ ] ", "[x]: "):
        assert len(markdown_as_text(source)) == len(source), source
    assert markdown_as_text("plain prose, no marks.") == "plain prose, no marks."


def test_broken_markdown_is_read_in_one_pass():
    for broken in (" " * 200_000 + "x", '[a](x "' * 50_000, "|" + " " * 100_000 + "x", "#" * 100_000, "* " * 100_000,
                   "`" * 100_000, "_a" * 100_000, "[^" * 100_000, "> " * 100_000):
        assert len(markdown_as_text(broken)) == len(broken)


MARKDOWN_PIECES = st.sampled_from(["#", "# ", "*", "**", "_", "`", "```", "~~~", "[", "]", "(", ")", "![", "\n",
                                   "\n\n", " ", "-", "- ", "1. ", ">", "|", "---", "\\", "\\*", "word", "<b>", "&amp;",
                                   "\r\n", "title: ", "[^1]", ":"])


@settings(max_examples=300, deadline=None)
@given(st.lists(MARKDOWN_PIECES, max_size=40))
def test_any_markdown_keeps_its_length(pieces):
    source = "".join(pieces)
    assert len(markdown_as_text(source)) == len(source)


def test_a_markdown_file_gives_keyphrases_with_offsets_into_the_file():
    """`kwextract extract -f notes.md`: no keyphrase from the code block or the link targets,
    each `start:end` pointing at its words in the file."""
    item = decode_text("notes.md", NOTES.encode(), InputOptions(), suffix=".md")
    assert isinstance(item, InputDocument) and len(item.text) == len(NOTES)
    found = load("fast").extract(item.text, top_k=10)
    assert len(found) == 10
    markup_words = set(Tokenizer()(NOTES).words) - set(Tokenizer()(item.text).words)  # code, targets, marks
    for kp in found:
        assert not markup_words & set(kp.text.split()) and JOINER not in kp.text and PARAGRAPH not in kp.text, kp
        assert NOTES[kp.start :].startswith(kp.text.split()[0]), kp
    plain = load("fast").extract(NOTES, top_k=10)  # read as plain text, the code's words come out
    assert any(markup_words & set(kp.text.split()) for kp in plain)
