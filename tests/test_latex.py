"""LaTeX source read as the prose it typesets, character for character."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kwextract import load, read_file
from kwextract.inputs import InputDocument, InputOptions, decode_text
from kwextract.latex import latex_as_text, splice_inputs
from kwextract.markup import JOINER, PARAGRAPH
from kwextract.tokenize import Tokenizer

PAPER = r"""\documentclass[11pt]{article}
\usepackage[utf8]{inputenc}  % the encoding
\newcommand{\R}{\mathbb{R}}
\title{Graph Neural Networks for Molecule Property Prediction}
\author{Kurt G\"odel\thanks{Institute for Advanced Study}}
\begin{document}
\maketitle
\begin{abstract}
We study graph neural networks (GNNs) for molecule property prediction \cite{gilmer2017neural,xu2019powerful}.
Message passing neural networks aggregate features over the molecular graph; we propose
\textbf{attention-based readout} functions and evaluate them on \emph{QM9} and \texttt{ZINC}.
\end{abstract}
\section{Introduction}\label{sec:intro}
Molecule property prediction is central to drug discovery. Graph neural networks \citep[see][]{kipf2017semi}
learn representations of the molecular graph at $\mathcal{O}(n)$ cost, see Table~\ref{tab:results}.
Our readout costs 5\% more\footnote{Measured on one GPU.} than sum pooling, and R\&D on Erd\H{o}s graphs
\begin{equation}
  h_v = \sum_{u \in N(v)} W h_u
\end{equation}
continues. % a comment with \cite{nothing}
\begin{table}[t]
\begin{tabular}{l|cc}
model & QM9 & ZINC \\ \hline
sum pooling & 0.91 & 0.85 \\
\end{tabular}
\caption{Attention-based readout against sum pooling.}\label{tab:results}
\end{table}
\begin{verbatim}
readout = Attention(dim=64)
\end{verbatim}
\bibliography{references}
\end{document}
"""


def test_the_prose_at_the_same_offsets():
    text = latex_as_text(PAPER)
    assert len(text) == len(PAPER) and text.count("\n") == PAPER.count("\n")
    for hidden in ("documentclass", "inputenc", "encoding", "mathbb", "Institute", "gilmer2017neural", "xu2019powerful",
                   "textbf", "kipf2017semi", "[", "mathcal", "tab:results", "sec:intro", "sum_", "nothing",
                   "l|cc", "hline", "Attention(dim", "references", "\\", "{", "}", "$", "~"):
        assert hidden not in text, hidden
    words = Tokenizer()(text).words
    for word in ("Graph", "attention", "readout", "QM9", "ZINC", "drug", "discovery", "Introduction", "5%",
                 "R&D", "Erdős", "continues", "pooling", "Measured"):
        assert word in words, word
    assert "Gödel" not in words  # the author is not prose


def test_titles_captions_footnotes_and_environments_are_paragraphs_of_their_own():
    text = latex_as_text(PAPER)
    blocks = [" ".join(block.split()) for block in text.split(PARAGRAPH) if block.strip()]
    assert "Graph Neural Networks for Molecule Property Prediction" in blocks
    assert "Introduction" in blocks and "Measured on one GPU." in blocks
    assert "Attention-based readout against sum pooling." in blocks
    assert "model | QM9 | ZINC" in blocks  # a table's rows are paragraphs, its cells parted by a border


def test_escapes_accents_and_hyphenation_points_keep_words_whole():
    source = r"G\"odel, Erd\H{o}s, {\'e}t{\'e}, Stra\ss{}e, \c{c}a, na\"{\i}ve, extrac\-tion, R\&D, 5\%, \$10"
    text = latex_as_text(source)
    assert len(text) == len(source)
    words = [w for w in Tokenizer()(text).words if w not in ",."]
    assert words[:7] == ["Gödel", "Erdős", "été", "Straße", "ça", "naïve", "extraction"], words
    assert JOINER + "&" in text and "R" + JOINER + "&D" in text


def test_unknown_or_broken_sources_keep_the_length():
    for source in ("\\", "{", "}", "$", "$$ x", "\\begin{equation} never ended", "\\verb", "\\verb|x", "\\(", "a[b]",
                   "\\section", "\\section*[short]{Long}", "%", "\\'", "\\begin{", "\\end{document}", "~\\ref{",
                   "\\begin{document}\\begin{document}", "}{}{\\title{x}}", "\\\\[", "\\href{a}{b", "&&&"):
        assert len(latex_as_text(source)) == len(source), source
    assert latex_as_text("costs $5 and more") == "costs $5 and more"  # a lone dollar is not mathematics
    assert latex_as_text("no markup at all.") == "no markup at all."


def test_a_preamble_left_open_or_naming_the_body_in_a_comment_does_not_hide_the_body():
    for source in ("\\usepackage{x\n\\begin{document}\nKeyphrase extraction works.\n\\end{document}",
                   "% put \\begin{document} below\n\\usepackage{x}\n\\begin{document}\nKeyphrase extraction works."):
        assert "Keyphrase extraction works." in latex_as_text(source)
    assert latex_as_text("\\section{Results}\nA fragment (an \\input file) is all body.").endswith("all body.")


def test_arguments_holding_commands_are_still_counted():
    """A command inside an argument or an option does not make its command forget the rest:
    a wrapped figure's width, a graphic's file name and a table cell's column format are hidden."""
    source = ("\\begin{wrapfigure}{r}{.46\\textwidth}\\includegraphics[width=\\hsize]{figures/flow.pdf}"
              "\\caption{Pipeline}\\end{wrapfigure} \\multicolumn{1}{l|}{\\# cells} "
              "\\resizebox{\\textwidth}{!}{Wide text} \\href{http://x.org/a\\_b}{the site}")
    text = latex_as_text(source)
    assert ".46" not in text and "figures" not in text and "l|" not in text and "!" not in text and "x.org" not in text
    assert [" ".join(block.split()) for block in text.split(PARAGRAPH) if block.strip()] == \
        ["Pipeline", JOINER + "# cells Wide text the site"]


def test_broken_sources_are_read_in_one_pass():
    """Every construct that searches ahead (math, verbatim, environments) jumps past what it
    read, so sources full of unclosed ones are read in linear time."""
    for broken in ("{" * 200_000, "$a " * 100_000, "$" * 200_001, "\\(" * 100_000, "\\section" + "[" * 200_000,
                   "\\cite{" * 50_000, "\\begin{equation}x" * 20_000, "\\verb" * 50_000, "\\'" * 100_000,
                   "$" + "\\$" * 100_000):
        assert len(latex_as_text(broken)) == len(broken)


LATEX_PIECES = st.sampled_from(["\\", "{", "}", "[", "]", "$", "$$", "%", "~", "&", "\n", "\n\n", " ", "\\section",
                                "\\cite", "\\begin{", "\\end{", "equation}", "tabular}", "document}", "\\'", "\\\"",
                                "e", "word", "\\\\", "\\(", "\\)", "\\verb", "|", "\\&", "\\-", "\\ss", "\\item"])


@settings(max_examples=300, deadline=None)
@given(st.lists(LATEX_PIECES, max_size=40))
def test_any_source_keeps_its_length(pieces):
    source = "".join(pieces)
    assert len(latex_as_text(source)) == len(source)


def test_a_tex_file_gives_keyphrases_with_offsets_into_the_file():
    """`kwextract extract -f paper.tex`: keyphrases of the prose, none of them markup, each
    `start:end` pointing at its words in the file."""
    item = decode_text("paper.tex", PAPER.encode(), InputOptions(), suffix=".tex")
    assert isinstance(item, InputDocument) and len(item.text) == len(PAPER)
    found = load("fast").extract(item.text, top_k=10)
    assert len(found) == 10
    markup_words = set(Tokenizer()(PAPER).words) - set(Tokenizer()(item.text).words)  # cite keys, commands...
    for kp in found:
        assert not markup_words & set(kp.text.split()) and JOINER not in kp.text and PARAGRAPH not in kp.text, kp
        assert PAPER[kp.start :].startswith(kp.text.split()[0]), kp
    plain = load("fast").extract(PAPER, top_k=10)  # read as plain text, the markup's words come out
    assert any(markup_words & set(kp.text.split()) for kp in plain)


def test_a_paper_in_several_files_is_read_whole_from_its_main_file(tmp_path):
    """`extract -f main.tex` read only the main file: a paper whose sections are \\input files
    gave keyphrases of its title alone. The files it reads are spliced in, as LaTeX reads
    them; commented-out ones, missing ones, loops and files outside the project are not."""
    (tmp_path / "sections").mkdir()
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\title{Molecule Property Prediction}\n\\begin{document}\n\\maketitle\n"
        "\\input{sections/intro}\n\\include{method.tex}\n% \\input{draft}\n\\input{missing}\n\\input{../outside-the-project}\n"
        "\\subfile{sections/results}\n\\end{document}\n", encoding="utf-8")
    (tmp_path / "sections" / "intro.tex").write_text(
        "\\section{Introduction}\nMessage passing networks read molecular graphs.\n\\input{sections/intro}\n",
        encoding="utf-8")  # reads itself: a loop, left as it is
    (tmp_path / "method.tex").write_text("Attention readout pools atom states.\n\\subimport{sections/}{appendix}\n",
                                         encoding="utf-8")
    (tmp_path / "sections" / "appendix.tex").write_text("Solubility labels come from ESOL.\n", encoding="utf-8")
    (tmp_path / "sections" / "results.tex").write_text(
        "\\documentclass[../main.tex]{subfiles}\n\\title{Not this}\n\\begin{document}\nToxicity is predicted well.\n"
        "\\end{document}\n", encoding="utf-8")
    (tmp_path / "draft.tex").write_text("Commented-out drafts stay out.\n", encoding="utf-8")
    (tmp_path.parent / "outside-the-project.tex").write_text("Private words from elsewhere.\n", encoding="utf-8")
    text = read_file(tmp_path / "main.tex")
    for said in ("Molecule Property Prediction", "Message passing networks", "Attention readout",
                 "Solubility labels", "Toxicity is predicted"):
        assert text.count(said) == 1, said
    assert "drafts" not in text and "Not this" not in text and "documentclass" not in text and "Private" not in text
    spliced = splice_inputs((tmp_path / "main.tex").read_bytes(), tmp_path / "main.tex").decode()
    assert len(text) == len(spliced)  # offsets point into the spliced source
    found = load("fast").extract(text, top_k=10)
    assert any("toxicity" in kp.text.lower() or "solubility" in kp.text.lower() for kp in found), found
    assert all(spliced[kp.start : kp.end].split() == kp.text.split() for kp in found)
