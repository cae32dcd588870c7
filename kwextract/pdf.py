"""PDF files → their text, page after page (with the optional ``pypdf``: ``pip install "kwextract[pdf]"``).

Papers, the texts kwextract's bundled model learned from, are mostly PDFs. ``pdf_text`` reads
each page's text layer with pypdf (pure Python, BSD licence), leaves out the running heads and
feet that stand on most pages (``pages.without_running_lines``), and joins the pages with a line
break, so a sentence that runs over a page stays one sentence. What PDF text holds that plain
text does not is handled where any text goes: words broken across lines by a hyphen read
whole, and ligatures ("ﬁ") are spelled out (``tokenize.py``). A scanned PDF has no text
layer: it comes back empty (run OCR first). As for Word files, a PDF's bytes are not its text:
keyphrases' ``start:end`` point into the text this returns.
"""

from __future__ import annotations

import io
import logging

from .pages import without_running_lines

INSTALL_HINT = "pip install 'kwextract[pdf]' to read it, or extract its text first (e.g. pdftotext FILE FILE.txt)"


class PdfError(ValueError):
    """A PDF that cannot be read (pypdf missing, encrypted, broken); the message says why."""


def pdf_text(data: bytes) -> str:
    """The text of every page of the PDF ``data``, in order, a line break between two pages.
    Raises ``PdfError`` when pypdf is not installed or the file cannot be read."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError, PyPdfError
    except ImportError:
        raise PdfError(f"a PDF file: {INSTALL_HINT}") from None
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.ERROR)  # pypdf warns about every quirk of a PDF it reads anyway
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfError("an encrypted PDF (it needs a password): save a copy without one, or extract its text")
        return "\n".join(without_running_lines([(page.extract_text() or "").rstrip() for page in reader.pages]))
    except PdfError:
        raise
    except (PyPdfError, DependencyError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
            NotImplementedError) as err:  # what pypdf raises on a broken file, or may need (crypto) and lack
        raise PdfError(f"a PDF that cannot be read ({type(err).__name__}: {err}); extract its text another way "
                       "(e.g. pdftotext FILE FILE.txt)") from None
    finally:
        log.setLevel(level)
