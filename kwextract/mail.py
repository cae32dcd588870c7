"""E-mail messages (``.eml``) → their subject and body text.

A saved message is headers (routes, signatures, identifiers) and a MIME body that may be
base64 or quoted-printable, HTML beside plain text, with attachments: read as plain text, its
keyphrases were header names, encodings and tokens. ``mail_text`` reads it with the standard
library's ``email`` package: the subject, then the body's plain-text part (or its HTML part
read as a browser shows it, ``markup.markup_as_text``), decoded, the "> " marks of quoted
replies and the signature (after a "-- " line) left out; attachments are not read. As for
Word files, a message's bytes are not its text: keyphrases' ``start:end`` point into the text
this returns.
"""

from __future__ import annotations

import re

from .markup import markup_as_text

_QUOTE_MARKS = re.compile(r"^(?:[ \t]*>)+[ \t]?", re.MULTILINE)
_SIGNATURE = re.compile(r"^-- ?$", re.MULTILINE)


class MailError(ValueError):
    """A message that cannot be read; the message says why."""


def mail_text(data: bytes) -> str:
    """The subject and body text of the e-mail message ``data`` (see the module docstring),
    a blank line between the two. Raises ``MailError`` when it holds neither."""
    import email  # here, not at import: `kwextract --help` reads no e-mail (8 ms of start-up)
    from email import policy
    from email.message import EmailMessage

    message = email.message_from_bytes(data, policy=policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise MailError("not an e-mail message (no headers)")
    subject = str(message.get("subject", "") or "")
    part = message.get_body(preferencelist=("plain", "html"))
    body = ""
    if part is not None:
        try:
            body = part.get_content()
        except (LookupError, ValueError, AssertionError) as err:  # an unknown charset, a broken encoding
            raise MailError(f"a message whose body cannot be decoded ({err})") from None
        if part.get_content_subtype() == "html":
            body = markup_as_text(body)
        signature = _SIGNATURE.search(body)
        body = _QUOTE_MARKS.sub("", body[: signature.start()] if signature else body)
    return "\n\n".join(piece.strip() for piece in (subject, body) if piece.strip())
