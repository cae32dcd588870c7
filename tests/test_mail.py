"""E-mail messages (.eml) read as their subject and body text."""

import pytest

from kwextract import load
from kwextract.inputs import InputDocument, InputFailure, InputOptions, decode_text
from kwextract.mail import MailError, mail_text

MESSAGE = b"""Return-Path: <alice@example.com>
Received: from mail.example.com (mail.example.com [192.0.2.1]) by mx.example.org
DKIM-Signature: v=1; a=rsa-sha256; d=example.com; b=dGhpcyBpcyBhIHNpZ25hdHVyZQ==
Message-ID: <CAH2x9=abc123@mail.example.com>
From: Alice Smith <alice@example.com>
To: Bob Jones <bob@example.com>
Subject: =?utf-8?q?Quarterly_budget_review_=E2=80=93_caf=C3=A9_costs?=
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="OUTER"

--OUTER
Content-Type: multipart/alternative; boundary="XYZ"

--XYZ
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

Hi Bob,

The quarterly budget review moves to Thursday. Please bring the marketing spe=
nd figures and the hiring plan for the data engineering team.

> On Fri Bob wrote:
> Can we move the budget review?

--=20
Alice Smith, Chief Financial Officer
--XYZ
Content-Type: text/html; charset="utf-8"

<p>Hi Bob, the <b>quarterly budget review</b> moves.</p>
--XYZ--
--OUTER
Content-Type: application/pdf; name="budget.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0ZpbHRlci9GbGF0ZURlY29kZT4+
--OUTER--
"""

HTML_ONLY = b"""From: news@example.com
Subject: Coral reef report
Content-Type: text/html; charset="iso-8859-1"
Content-Transfer-Encoding: base64

""" + __import__("base64").encodebytes("<h1>Coral bleaching</h1><p>Coral bleaching &amp; reef caf\xe9s</p>".encode(
    "latin-1"))


def test_a_message_gives_its_subject_and_decoded_body_without_headers_quotes_or_signature():
    text = mail_text(MESSAGE)
    assert text.startswith("Quarterly budget review \u2013 caf\u00e9 costs\n\nHi Bob,")
    assert "marketing spend figures" in text  # quoted-printable soft break joined
    assert "Can we move the budget review?" in text and "> " not in text  # the quoted reply, without its marks
    for hidden in ("DKIM", "Received", "example.com", "Chief Financial", "JVBER", "<p>", "budget.pdf"):
        assert hidden not in text, hidden


def test_an_html_only_message_is_read_as_a_browser_shows_it():
    assert " ".join(mail_text(HTML_ONLY).split()) == "Coral reef report Coral bleaching Coral bleaching \u2060\u2060\u2060\u2060& reef caf\u00e9s"


def test_an_eml_file_gives_keyphrases_and_a_file_that_is_no_message_is_named():
    item = decode_text("budget.eml", MESSAGE, InputOptions(), suffix=".eml")
    assert isinstance(item, InputDocument) and item.text == mail_text(MESSAGE)
    found = [kp.text for kp in load("fast").extract(item.text, top_k=10)]
    assert any("budget review" in phrase.lower() for phrase in found)
    assert not any(word in phrase for phrase in found for word in ("DKIM", "Received", "Content", "text/plain"))
    failure = decode_text("notes.eml", b"Just some words, not a message.", InputOptions(), suffix=".eml")
    assert isinstance(failure, InputFailure) and failure.reason == "not an e-mail message (no headers)"
    with pytest.raises(MailError):
        mail_text(b"")


def test_an_mbox_archive_is_a_document_per_message(tmp_path):
    """Thunderbird, mutt and Google Takeout keep mail as mbox: messages one after another, each
    after a "From " line (and ">From " inside a body). Each message is read as a saved .eml,
    named by its Message-ID; one that cannot be read fails alone."""
    from kwextract.inputs import iter_inputs

    plain = (b"From: carol@example.com\nSubject: Server migration\nMessage-ID: <m2@example.com>\n\n"
             b"The database server migration starts on Monday.\n>From now on, backups run nightly.\n")
    archive = tmp_path / "inbox.mbox"
    archive.write_bytes(b"From alice@example.com Fri Nov 27 10:00:00 2026\n" + MESSAGE.replace(b"\r\n", b"\n") + b"\n"
                        + b"From carol@example.com Sat Nov 28 09:00:00 2026\n" + plain + b"\n"
                        + b"From dave@example.com Sat Nov 28 10:00:00 2026\nX-Empty: yes\n\n\n")
    items = list(iter_inputs([archive]))
    assert [type(i) for i in items] == [InputDocument, InputDocument, InputFailure]
    assert items[0].id == "<CAH2x9=abc123@mail.example.com>" and "quarterly budget review" in items[0].text
    assert "DKIM" not in items[0].text and "Return-Path" not in items[0].text
    assert items[1].id == "<m2@example.com>" and "From now on, backups run nightly." in items[1].text
    assert items[2].id == f"{archive}:3"
    (tmp_path / "not.mbox").write_text("Subject: hello\n\nnot an archive\n")
    said = list(iter_inputs([tmp_path / "not.mbox"]))
    assert len(said) == 1 and 'not an mbox file' in said[0].reason
