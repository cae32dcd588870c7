"""RTF files read as their text."""

import pytest

from kwextract import load
from kwextract.inputs import InputDocument, InputOptions, decode_text
from kwextract.rtf import RtfError, rtf_text

TEXTEDIT = rb"""{\rtf1\ansi\ansicpg1252\cocoartf2761
\cocoatextscaling0\cocoaplatform0{\fonttbl\f0\fswiss\fcharset0 Helvetica;}
{\colortbl;\red255\green255\blue255;}
{\*\expandedcolortbl;;}
{\info{\title Secret title}{\author Alice}}
\paperw11900\paperh16840\margl1440\margr1440\vieww11520\viewh8400\viewkind0
\pard\tx566\tx1133\pardirnatural\partightenfactor0

\f0\fs24 \cf0 Coral reef monitoring\par
\par
Coral bleaching threatens the Great Barrier Reef\'97caf\'e9 owners worry. \ldblquote Warmer seas\rdblquote  bleach coral\line
and \u8220?fisheries\u8221? suffer\uc2\u-4064 xx.\tab Done.\par
{\field{\*\fldinst HYPERLINK "http://example.org"}{\fldrslt the coral report}}\par
{\header Page header text}{\pict\pngblip 89504e470d0a}
}"""


def test_an_rtf_document_gives_its_paragraphs_without_tables_or_control_words():
    assert rtf_text(TEXTEDIT).split("\n\n") == [
        "Coral reef monitoring",
        "Coral bleaching threatens the Great Barrier Reef\u2014caf\u00e9 owners worry. \u201cWarmer seas\u201d "
        "bleach coral\nand \u201cfisheries\u201d suffer\uf020.\tDone.",
        "the coral report"]


def test_code_pages_escapes_and_broken_files():
    assert rtf_text(rb"{\rtf1\ansi\ansicpg1251 \'cf\'f0\'e8\'e2\'e5\'f2}") == "\u041f\u0440\u0438\u0432\u0435\u0442"
    assert rtf_text(rb"{\rtf1 a\~b\_c\-d \{x\} e\\f}") == "a b-cd {x} e\\f"
    assert rtf_text(rb"{\rtf1 unclosed {\b bold") == "unclosed bold"
    assert rtf_text(rb"{\rtf1 }}}} extra closing") == "extra closing"
    with pytest.raises(RtfError):
        rtf_text(b"plain text")


def test_an_rtf_file_gives_keyphrases_none_of_them_markup():
    item = decode_text("notes.rtf", TEXTEDIT, InputOptions())
    assert isinstance(item, InputDocument) and item.text == rtf_text(TEXTEDIT)
    found = [kp.text for kp in load("fast").extract(item.text, top_k=10)]
    assert any("coral" in phrase.lower() for phrase in found)
    assert not any(word in phrase for phrase in found for word in ("Helvetica", "fonttbl", "Secret", "header"))
