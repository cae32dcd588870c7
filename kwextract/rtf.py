"""RTF files (TextEdit's and WordPad's default format) → their text, a paragraph a block.

RTF is text full of control words (``{\\rtf1\\ansi\\deff0{\\fonttbl...}\\f0\\fs24 Coral reefs\\par}``):
read as plain text, its keyphrases were font tables and control words. ``rtf_text`` reads the
body in one pass: plain text and ``\\'hh`` / ``\\uN`` characters (in the file's code page, with
``\\uc`` fallbacks skipped), ``\\par`` as a paragraph break, ``\\line`` and ``\\tab`` as written,
quotes and dashes as their characters; groups that are not the document's text (font, colour
and style tables, document information, pictures, headers and footers, field instructions,
every ``{\\*...}`` destination) are left out. As for Word files, an RTF file's bytes are not its
text: keyphrases' ``start:end`` point into the text this returns.
"""

from __future__ import annotations

import codecs
import re

# one token: a control word (with its number, and the space that ends it), a hex character,
# a control symbol, a brace, a line break of the source (not text), or a run of text
_TOKEN = re.compile(rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|[\r\n]+|([^\\{}\r\n]+)",
                    re.DOTALL)
# groups whose content is not the document's text
_SKIPPED = frozenset(b"""fonttbl colortbl stylesheet info pict header headerl headerr headerf footer footerl footerr
    footerf listtable listoverridetable rsidtbl generator xmlnstbl themedata colorschememapping latentstyles
    datastore object fldinst bkmkstart bkmkend filetbl revtbl operator author title""".split())
_CHARACTERS = {b"par": "\n\n", b"sect": "\n\n", b"page": "\n\n", b"row": "\n\n", b"cell": " | ", b"line": "\n",
               b"tab": "\t", b"emdash": "\u2014", b"endash": "\u2013", b"bullet": "\u2022", b"lquote": "\u2018",
               b"rquote": "\u2019", b"ldblquote": "\u201c", b"rdblquote": "\u201d", b"emspace": " ",
               b"enspace": " "}
_SYMBOLS = {b"~": " ", b"-": "", b"_": "-", b"\\": "\\", b"{": "{", b"}": "}", b"\n": "\n\n", b"\r": "\n\n"}


class RtfError(ValueError):
    """A file that is not RTF; the message says why."""


def rtf_text(data: bytes) -> str:
    """The text of the RTF document ``data`` (see the module docstring), paragraphs parted by
    a blank line, whitespace at their ends trimmed."""
    if not data.lstrip().startswith(b"{\\rtf"):
        raise RtfError("not an RTF document (it does not begin with {\\rtf)")
    encoding = "cp1252"
    out: list[str] = []
    stack: list[tuple[bool, int]] = []  # per open group: was the text skipped, the \uc count
    skipped, uc, pending = False, 1, 0  # pending: fallback characters of a \u still to skip
    at_group_start = False
    for match in _TOKEN.finditer(data):
        word, number, hex_char, symbol, brace, text = match.groups()
        if brace == b"{":
            stack.append((skipped, uc))
            at_group_start = True
            continue
        starting, at_group_start = at_group_start, False
        if brace == b"}":
            skipped, uc = stack.pop() if stack else (skipped, uc)
            pending = 0
        elif word is not None:
            if word in _SKIPPED:
                skipped = True
            elif word == b"ansicpg" and number:
                encoding = _code_page(int(number), encoding)
            elif word == b"uc" and number:
                uc = max(int(number), 0)
            elif word == b"u" and number:
                if not skipped and int(number) % 65536:  # a signed 16-bit number: -4064 is U+F020
                    out.append(chr(int(number) % 65536))
                pending = uc
            elif not skipped and word in _CHARACTERS:
                out.append(_CHARACTERS[word])
        elif symbol is not None:
            if symbol == b"*" and starting:  # {\* ...}: a destination a reader may ignore
                skipped = True
            elif not skipped and symbol in _SYMBOLS:
                out.append(_SYMBOLS[symbol])
        elif hex_char is not None:
            if pending:
                pending -= 1
            elif not skipped:
                out.append(bytes([int(hex_char, 16)]).decode(encoding, "replace"))
        elif text is not None:
            if pending:
                dropped = min(pending, len(text))
                text, pending = text[dropped:], pending - dropped
            if not skipped and text:
                out.append(text.decode(encoding, "replace"))
    paragraphs = (p.strip() for p in re.split(r"\n\s*\n", "".join(out)))
    return "\n\n".join(p for p in paragraphs if p)


def _code_page(number: int, current: str) -> str:
    """Python's name for Windows code page ``number`` (\\ansicpgN), or ``current`` if unknown."""
    try:
        return codecs.lookup(f"cp{number}").name
    except LookupError:
        return current
