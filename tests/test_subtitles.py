"""Subtitles (SRT, WebVTT) read as the words spoken, character for character."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kwextract import load
from kwextract.inputs import InputDocument, InputOptions, decode_text
from kwextract.subtitles import subtitles_as_text
from kwextract.surface import PARAGRAPH_BREAK

SRT = """1
00:00:01,000 --> 00:00:04,000
Today we talk about <i>climate</i>

2
00:00:04,500 --> 00:00:07,000
change policy and carbon taxes.

3
00:00:07,500 --> 00:00:09,000
{\\an8}Carbon taxes reduce emissions.\r
\r
4\r
00:00:09,500 --> 00:00:12,000\r
Climate change policy needs carbon taxes.\r
"""

VTT = """WEBVTT
Kind: captions

NOTE a note
over two lines

intro
00:01.000 --> 00:04.000 align:start
<v Alice>Carbon <00:00:02.000>taxes reduce emissions

00:04.500 --> 00:07.000
&amp; climate change.
"""


def test_the_words_spoken_as_one_running_text_at_the_same_offsets():
    for source, words in ((SRT, "Today we talk about climate change policy and carbon taxes. Carbon taxes reduce "
                                "emissions. Climate change policy needs carbon taxes."),
                          (VTT, "Carbon taxes reduce emissions \u2060\u2060\u2060\u2060& climate change.")):
        text = subtitles_as_text(source)
        assert len(text) == len(source) and " ".join(text.split()) == words
        assert not PARAGRAPH_BREAK.search(text)  # consecutive cues are one text: a phrase may run over two


def test_broken_subtitles_keep_the_length():
    for source in ("", "1", "-->", "WEBVTT", "NOTE", "00:00:01,000 -->", "\n\n\n", "<v", "{\\an8", "1\n2\n3"):
        assert len(subtitles_as_text(source)) == len(source)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["1", "\n", "\r\n", "00:00:01,000 --> 00:00:02,000", "WEBVTT", "NOTE ", "word",
                                 " ", "<i>", "</i>", "{\\an8}", "<00:00:01.000>", "&amp;"]), max_size=30))
def test_any_subtitles_keep_their_length(pieces):
    source = "".join(pieces)
    assert len(subtitles_as_text(source)) == len(source)


def test_a_subtitle_file_gives_keyphrases_spanning_cues_with_offsets_into_the_file():
    item = decode_text("talk.srt", SRT.encode(), InputOptions(), suffix=".srt")
    assert isinstance(item, InputDocument) and len(item.text) == len(SRT)
    found = load("fast").extract(item.text, top_k=10)
    assert found and not any(any(c.isdigit() for c in kp.text) or "-->" in kp.text for kp in found)
    # spoken across two cues first, then in one: its first occurrence spans the cues
    (spanning,) = [kp for kp in found if kp.text.lower() == "climate change policy"]
    assert spanning.start == SRT.index("climate") and spanning.count == 2
    assert all(SRT[kp.start :].startswith(kp.text.split()[0]) for kp in found)
    plain = load("fast").extract(SRT, top_k=None)  # as plain text each cue is a paragraph: no phrase spans two
    assert not any(kp.start == SRT.index("climate") and kp.end > SRT.index("change") for kp in plain)
