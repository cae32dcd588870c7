"""LaTeX source → the prose a reader of the typeset paper sees, character for character, so
offsets still point into the ``.tex`` file.

A paper's source read as plain text gives keyphrases such as "xu2019powerful" (a citation key),
"textbf" or "Table~\\ref": the markup's words are words to the tagger. ``latex_as_text`` keeps
the prose (and the prose inside commands: ``\\emph{message passing}``, section titles,
captions) and blanks the rest with spaces, keeping line breaks: commands, comments, mathematics,
the arguments that are labels or file names (``\\cite``, ``\\ref``, ``\\label``, ``\\usepackage``...),
optional arguments, the preamble (except the title), and environments that hold no prose
(figures' drawing code, verbatim text, the bibliography). An escaped character (``\\&``) and
an accent (``G\\"odel``) become their character, padded in front with U+2060 WORD JOINER
(``markup.JOINER``, left out of word forms by the tokenizer), so words stay whole. A section
title, a caption, a list item or an environment's start and end is a paragraph of its own
(U+2029 PARAGRAPH SEPARATOR: no keyphrase spans it, ``surface.PARAGRAPH_BREAK``). One pass,
linear in the length of the source, whatever its braces or dollars.

A paper split over files (``\\input{intro}``, ``\\include``, ``\\subfile``, ``\\import``) is read
whole when read from its main file: ``splice_inputs`` puts each file's source in place of the
command that reads it, and offsets then point into that spliced source.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .markup import JOINER, PARAGRAPH, blank

# commands whose braced arguments are not prose, with what each argument is: "-" blanked,
# "k" kept (prose), in order; commands not named here keep their arguments
_ARGUMENTS = {
    **dict.fromkeys("""cite citep citet citealp citealt citeauthor citeyear citenum nocite parencite textcite
        autocite footcite ref eqref autoref cref Cref pageref nameref vref label url includegraphics input include
        usepackage RequirePackage documentclass bibliography bibliographystyle addbibresource graphicspath
        pagestyle thispagestyle hypersetup setcounter addtocounter stepcounter vspace hspace linespread
        includeonly email orcid doi""".split(), "-"),
    **dict.fromkeys("newcommand renewcommand providecommand DeclareMathOperator setlength addtolength "
                    "newtheorem".split(), "--"),
    "newenvironment": "---", "renewenvironment": "---",
    **dict.fromkeys("href textcolor colorbox".split(), "-k"),
    "definecolor": "---", "fcolorbox": "--k", "resizebox": "--k", "scalebox": "-k", "multicolumn": "--k",
    "multirow": "--k", "setcitestyle": "-",
    # who wrote it and where they work: names, not the paper's keyphrases
    **dict.fromkeys("author affiliation affil address institute thanks date".split(), "-"),
}
# commands whose argument is a paragraph of its own: the same words, set apart
_BLOCK_COMMANDS = frozenset("""title subtitle chapter section subsection subsubsection paragraph subparagraph part
    caption keywords footnote footnotetext marginpar""".split())
# commands that start a paragraph and take no argument
_BREAKS = frozenset("item maketitle par newline linebreak bigskip medskip smallskip noindent newpage clearpage".split())
# environments whose whole body is not prose
_HIDDEN_ENVIRONMENTS = frozenset("""equation equation* align align* alignat alignat* gather gather* multline multline*
    eqnarray eqnarray* displaymath math flalign flalign* verbatim verbatim* Verbatim lstlisting minted comment
    tikzpicture pgfpicture picture thebibliography filecontents filecontents*""".split())
# environments whose first arguments are not prose (a table's column specification, a width)
_ENVIRONMENT_ARGUMENTS = {"tabular": "-", "tabular*": "--", "tabularx": "--", "tabulary": "--", "longtable": "-",
                          "array": "-", "minipage": "-", "multicols": "-", "wrapfigure": "--", "wraptable": "--"}
_VERBATIM_COMMANDS = frozenset("verb verb* lstinline".split())  # \verb|x| : delimited by any character

_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307",
            "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323",
            "b": "\u0331"}
_LETTERS = {"ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å", "o": "ø", "O": "Ø",
            "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ"}
# an accented letter in its usual spellings (\'e, \'{e}, {\'e}, \c c, \c{c}, \"{\i}), and the named letters (\ss{})
_ACCENT = re.compile(r"""\{\\(?P<a1>['`^"~=.])\s*(?P<c1>[A-Za-z])\}"""
                     r"""|\\(?P<a2>['`^"~=.uvHckrdb])\{\\?(?P<c2>[A-Za-z])\}"""
                     r"""|\\(?P<a3>['`^"~=.])(?P<c3>[A-Za-z])"""
                     r"""|\\(?P<a4>[uvHckrdb])\s(?P<c4>[A-Za-z])"""
                     r"""|\\(?P<letter>ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j)(?![A-Za-z])(?:\{\})?""")
# one token of the source: a comment, a control word or symbol, a math shift, a brace, a bracket,
# a tab or non-breaking space, or a run of anything else
_TOKEN = re.compile(r"%[^\n]*|\\(?:[A-Za-z@]+\*?|.|\n)?|\$\$?|[{}\[\]~&]|[^%\\${}\[\]~&]+", re.DOTALL)
_SYMBOLS = frozenset("&%$#_{}")  # \& \% \$ \# \_ \{ \} : the character itself
_SPACES = frozenset(" ,;:!>")  # \  \, \; \: \! \> : a space in the typeset text


def _accented(match: re.Match[str]) -> str:
    """An accent or named letter as its character, padded in front with word joiners."""
    groups = match.groupdict()
    if groups["letter"]:
        char = _LETTERS[groups["letter"]]
    else:
        accent, base = next((groups[f"a{i}"], groups[f"c{i}"]) for i in range(1, 5) if groups[f"a{i}"])
        char = unicodedata.normalize("NFC", base + _ACCENTS[accent])
        if len(char) > 1:  # no precomposed letter: the letter alone reads better than a loose mark
            char = base
    return JOINER * (len(match.group()) - 1) + char


@dataclass
class _Group:
    """An open brace: whether its content is kept, what its "}" becomes, and the arguments its
    command awaits after it."""

    kept: bool
    closing: str
    then_awaiting: list[str]


class _Reader:
    """One pass over a source: the groups open, the arguments a command awaits."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.out: list[str] = []
        self.groups: list[_Group] = []  # the braces open
        self.awaiting: list[str] = []  # the next braced arguments' kinds: "-" blanked, "k" kept, "b" a paragraph
        self.options_may_follow = False  # right after a command: "[" opens its optional argument
        self.in_option = 0  # depth of the optional argument's brackets being blanked
        self.document = _document_start(source)  # before it, the preamble: only the title is prose
        self.paragraph_end = -1  # where the paragraph being read ends (for a math shift's search)

    def kept(self) -> bool:
        """Whether text here is prose."""
        if self.in_option:
            return False
        if self.groups:
            return self.groups[-1].kept
        return self.document < 0

    def read(self) -> str:
        pos = 0
        while pos < len(self.source):
            if 0 <= self.document <= pos:  # the body: whatever the preamble left open is closed
                self.document, self.groups, self.awaiting, self.in_option = -1, [], [], 0
            match = _TOKEN.match(self.source, pos)
            assert match is not None  # its alternatives cover every character
            pos = self.token(match.group(), match.end())
        return "".join(self.out)

    def token(self, token: str, end: int) -> int:
        """Write what ``token`` (ending at ``end``) becomes; the position to read on from."""
        first = token[0]
        if first == "\\":
            return self.command(token, end)
        if first == "$":
            return self.math(token, end)
        options_may_follow, self.options_may_follow = self.options_may_follow, False
        if first == "%":
            self.out.append(blank(token))
            self.options_may_follow = options_may_follow
        elif first == "{":
            self.open_group()
        elif first == "}":
            self.close_group()
        elif first == "[" and (self.in_option or options_may_follow):
            self.in_option += 1
            self.out.append(" ")
        elif first == "]" and self.in_option:
            self.in_option -= 1
            self.out.append(" ")
            self.options_may_follow = not self.in_option  # \newcommand{\x}[1]{...}
        elif first == "~":
            self.out.append(" ")
        elif first == "&":
            self.out.append("|" if self.kept() else " ")  # a table's cell border: no phrase spans it
        else:
            if token.isspace():
                self.options_may_follow = options_may_follow
            elif not self.in_option:
                self.awaiting.clear()  # the command took no (more) braced arguments
            self.out.append(token if self.kept() else blank(token))
        return end

    def open_group(self) -> None:
        """A "{": an awaited argument of the kind its command gave, or a group like the text
        around. The arguments its command still awaits wait until it closes."""
        if self.in_option:
            self.out.append(" ")
            return
        kind = self.awaiting.pop(0) if self.awaiting else None
        around = self.groups[-1].kept if self.groups else True  # the preamble's title is kept
        if kind == "-":
            group = _Group(False, " ", self.awaiting)
        elif kind in ("k", "b"):
            group = _Group(around, PARAGRAPH if kind == "b" else " ", self.awaiting)
        else:
            group = _Group(self.kept(), " ", self.awaiting)
        self.groups.append(group)
        self.awaiting = []
        self.out.append(PARAGRAPH if kind == "b" else " ")

    def close_group(self) -> None:
        """A "}": a space, or a paragraph break after a block command's argument; its command's
        next argument may follow."""
        if self.in_option or not self.groups:
            self.out.append(" ")
            return
        group = self.groups.pop()
        self.out.append(group.closing)
        self.awaiting = group.then_awaiting
        self.options_may_follow = bool(self.awaiting)

    def command(self, token: str, end: int) -> int:
        """A control word or symbol: what it writes, and what it makes of what follows."""
        name = token[1:]
        if self.in_option:  # \includegraphics[width=\hsize]: part of the option, blanked with it
            self.out.append(blank(token))
            return end
        self.awaiting, self.options_may_follow = [], False
        if len(name) == 1 and name in _SYMBOLS:
            self.out.append(JOINER + name if self.kept() else "  ")
        elif name in ("", "\n") or (len(name) == 1 and name in _SPACES):
            self.out.append(blank(token))
        elif name == "\\":  # a forced line break (a table's row end): a paragraph of its own
            self.out.append(PARAGRAPH + " ")
            self.options_may_follow = True  # \\[2pt]
        elif name == "-":  # a hyphenation point inside a word
            self.out.append(JOINER * 2 if self.kept() else "  ")
        elif name in ("(", "["):  # \( ... \) and \[ ... \]: mathematics
            return self.blank_to(end - 2, "\\" + (")" if name == "(" else "]"), end)
        elif name in _VERBATIM_COMMANDS and end < len(self.source):  # \verb|x|: any delimiter
            delimiter = self.source[end]
            return self.blank_to(end - len(token), "}" if delimiter == "{" else delimiter, end + 1)
        elif name in ("begin", "end"):
            return self.environment(token, end)
        else:
            base = name.rstrip("*")
            block = name in _BREAKS or base in _BLOCK_COMMANDS
            self.out.append((PARAGRAPH + blank(token)[1:]) if block else blank(token))
            self.awaiting = ["b"] if base in _BLOCK_COMMANDS else list(_ARGUMENTS.get(base, ""))
            self.options_may_follow = True
        return end

    def blank_to(self, start: int, closing: str, search_from: int) -> int:
        """Blank the source from ``start`` through the next ``closing`` (to its end if none)."""
        close = self.source.find(closing, search_from)
        stop = len(self.source) if close < 0 else close + len(closing)
        self.out.append(blank(self.source[start:stop]))
        return stop

    def environment(self, token: str, end: int) -> int:
        """``\\begin{name}`` or ``\\end{name}``: a paragraph break; a hidden environment's body
        is blanked through its ``\\end``, and a table's column specification too."""
        self.out.append(PARAGRAPH + blank(token)[1:])
        match = _ENVIRONMENT_NAME.match(self.source, end)
        if match is None:
            return end
        name = match.group(1).strip()
        if token == "\\begin" and name in _HIDDEN_ENVIRONMENTS:
            return self.blank_to(end, "\\end{" + name + "}", match.end())
        self.out.append(blank(match.group()))
        if token == "\\begin":
            self.awaiting = list(_ENVIRONMENT_ARGUMENTS.get(name, ""))
            self.options_may_follow = True  # \begin{figure}[t]
        return match.end()

    def math(self, token: str, end: int) -> int:
        """``$...$`` or ``$$...$$`` blanked through the closing shift in the same paragraph; a
        lone dollar is left as it is."""
        self.options_may_follow = False
        if self.paragraph_end < end:  # found once per paragraph, however many dollars it holds
            found = _PARAGRAPH_END.search(self.source, end)
            self.paragraph_end = found.start() if found else len(self.source)
        close = _unescaped(self.source, token, end, self.paragraph_end)
        if close < 0:
            self.out.append(token if self.kept() else blank(token))
            return end
        stop = close + len(token)
        self.out.append(blank(self.source[end - len(token) : stop]))
        return stop


_ENVIRONMENT_NAME = re.compile(r"[^\S\n]*\{([^{}\n]{1,40})\}")
def _document_start(source: str) -> int:
    """Where ``\\begin{document}`` starts (not in a comment: a template may mention it there), or -1."""
    for number, match in enumerate(re.finditer(r"\\begin\{document\}", source)):
        line = source[source.rfind("\n", 0, match.start()) + 1 : match.start()]
        if number >= 10 or not re.search(r"(?<!\\)%", line):
            return match.start()
    return -1


_PARAGRAPH_END = re.compile(r"\n[^\S\n]*\n")


def _unescaped(source: str, shift: str, start: int, limit: int) -> int:
    """Where ``shift`` ($ or $$) next occurs unescaped in ``source[start:limit]``, or -1."""
    at = source.find(shift, start, limit)
    while at >= 0 and at > 0 and source[at - 1] == "\\":
        at = source.find(shift, at + 1, limit)
    return at


def latex_as_text(source: str) -> str:
    """``source`` (LaTeX) as the prose it typesets, the same length (see the module docstring)."""
    return _Reader(_ACCENT.sub(_accented, source)).read()


# \input{f}, \include{f}, \subfile{f} (f relative to the main file's folder, as LaTeX run there
# reads it) and \import{dir/}{f}, \subimport{dir/}{f} (import package: dir relative to the main
# file's folder, or to the importing file's for \subimport)
_READS_FILE = re.compile(rb"\\(input|include|subfile)[^\S\n]*\{([^{}\n]+)\}"
                         rb"|\\(import|subimport)\*?[^\S\n]*\{([^{}\n]*)\}[^\S\n]*\{([^{}\n]+)\}")
_COMMENT = re.compile(rb"(?<!\\)%")
MAX_SPLICE_DEPTH = 8  # files read by files read by... the main file
MAX_SPLICED_BYTES = 64 * 2**20  # a whole project, spliced: beyond it, commands are left as they are


def splice_inputs(data: bytes, path: Path) -> bytes:
    """The bytes of the LaTeX file at ``path`` with every file it reads (``\\input``,
    ``\\include``, ``\\subfile``, ``\\import``, ``\\subimport``; in turn, MAX_SPLICE_DEPTH
    deep) in place of the command, so that a paper whose sections are files is read whole. A
    name without a suffix is tried with ``.tex`` first, as LaTeX does; a subfile's own preamble
    is left out (its body only). Commented-out commands, files that do not exist or lie outside
    the main file's folder (``\\input{/etc/passwd}`` in a file from elsewhere), and a file
    already being spliced (a loop) are left as they are: the reader blanks the command."""
    main = path.resolve().parent
    total = [len(data)]

    def splice(source: bytes, here: Path, chain: tuple[Path, ...]) -> bytes:
        out, last = [], 0
        for match in _READS_FILE.finditer(source):
            line = source[source.rfind(b"\n", 0, match.start()) + 1 : match.start()]
            if _COMMENT.search(line):
                continue
            found = _resolve(match, main, here)
            if found is None or found in chain or len(chain) > MAX_SPLICE_DEPTH:
                continue
            try:
                text = _body(found.read_bytes())
            except OSError:
                continue
            if total[0] + len(text) > MAX_SPLICED_BYTES:
                continue
            total[0] += len(text)
            out += [source[last : match.start()], splice(text, found.parent, (*chain, found))]
            last = match.end()
        return b"".join(out) + source[last:] if out else source

    return splice(data, main, (path.resolve(),))


def _resolve(match: re.Match[bytes], main: Path, here: Path) -> Path | None:
    """The file a reading command names, if it exists inside the main file's folder: relative
    to that folder, or to the reading file's (where a project's files read their neighbours)."""
    if match.group(2) is not None:
        name, folders = match.group(2), [main, here]
    else:
        folder = match.group(4).decode("utf-8", "replace").strip()
        name = match.group(5)
        folders = [here / folder] if match.group(3) == b"subimport" else [main / folder, here / folder]
    stem = name.decode("utf-8", "replace").strip()
    for folder in folders:
        for candidate in (f"{stem}.tex", stem):
            file = (folder / candidate).resolve()
            if file.is_relative_to(main) and file.is_file():
                return file
    return None


def _body(source: bytes) -> bytes:
    """A file's source as it reads into another: a subfile's body without its own preamble."""
    start, end = source.find(b"\\begin{document}"), source.rfind(b"\\end{document}")
    if start >= 0 and end > start:
        return source[start + len(b"\\begin{document}") : end]
    return source
