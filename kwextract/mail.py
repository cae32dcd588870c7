"""E-mail messages (``.eml``, and each message of an ``.mbox`` archive) → their subject and body text.

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
from collections.abc import Iterator

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


def mailbox_messages(path: str) -> Iterator[tuple[int, str | None, bytes]]:
    """(number from 1, Message-ID or None, bytes) of each message of the mbox file at ``path``
    (what Thunderbird, mutt and Google Takeout write: messages one after another, each after a
    "From " line), read a message at a time. Raises ``MailError`` for a file that is no mbox."""
    import mailbox  # here, not at import (start-up time), as email above

    with open(path, "rb") as handle:
        if not handle.read(5) == b"From ":
            raise MailError('not an mbox file (it does not begin with a "From " line)')
    box = mailbox.mbox(path, create=False)
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            data = box.get_bytes(key)
            found = _MESSAGE_ID.search(data.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0])
            yield number, found.group(1).decode("ascii", "replace") if found else None, data
    finally:
        box.close()


_MESSAGE_ID = re.compile(rb"^message-id:[ \t]*(<[^>\r\n]{1,500}>)", re.IGNORECASE | re.MULTILINE)
