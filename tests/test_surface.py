"""Clean surface forms: what a returned keyphrase may look like."""

from __future__ import annotations

import pytest

from kwextract.surface import balanced, dedup_key, is_clean


@pytest.mark.parametrize("phrase", [
    "-formed", "RDF-", "entity-relation(ER", "SLCAs)in XML data", 'personNEAR company~"IBM', "http://example.org/x",
    "www.example.com", "jane.doe@example.org", "<b>bold</b>", "a = b", "(semantic web", "query]", "'quoted",
    "results.", "", "   ", "x|y", "f{x}", "amazing - easily 12 hours", "simultaneity \u2013 natural", "costs \u2014 or not",
    "doi:10.1038/nature14539", "10.1145/3292500.3330701 paper",
])
def test_unclean_phrases(phrase):
    assert not is_clean(phrase)


@pytest.mark.parametrize("phrase", [
    "neural network", "entity-relation model", "C++", "sensor networks (WSN) routing", "3D reconstruction",
    "R&D spending", "Gaussian mixture models", "état de l'art", "k-means", "O(n log n) algorithm",
    "state-of-the-art methods", "10.5 GHz band", "B-tree index",
])
def test_clean_phrases(phrase):
    assert is_clean(phrase)


def test_brackets_must_nest():
    assert balanced("a (b [c] d) e") and not balanced("a (b] c") and not balanced(")(")


def test_variants_in_case_whitespace_and_punctuation_share_a_key():
    assert dedup_key("LMF functionals") == dedup_key("LMF)\nfunctionals") == dedup_key("lmf  Functionals")
    assert dedup_key("entity-relation") == dedup_key("entity relation") != dedup_key("entity relations")


def test_long_unbroken_tokens_are_judged_in_one_pass():
    """A base64 blob or a minified line is one long token; the URL pattern used to backtrack
    over every start of it (minutes for 200,000 characters). Judged in linear time, with
    URLs still found inside and after such tokens, whatever the scheme."""
    blob = "QmFzZTY0" * 5_000  # 40,000 characters: about 20 s with the old pattern
    assert is_clean(blob)
    assert not is_clean(blob + " see https://example.org") and not is_clean(blob + "ftp://x")
    assert not is_clean("svn+ssh://host/repo") and not is_clean("chrome-extension://abc")
