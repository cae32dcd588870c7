
import pytest

from kwextract.normalize import phrase_key
from kwextract.porter import porter_stem

nltk_porter = pytest.importorskip("nltk.stem.porter", reason="nltk (test extra) checks the stemmer")
WORDS = """caresses ponies ties caress cats feed agreed plastered bled motoring sing conflated troubled
sized hopping tanned falling hissing fizzed failing filing happy sky relational conditional rational
valenci hesitanci digitizer conformabli radicalli differentli vileli analogousli vietnamization
predication operator feudalism decisiveness hopefulness callousness formaliti sensitiviti sensibiliti
triplicate formative formalize electriciti electrical hopeful goodness revival allowance inference
airliner gyroscopic adjustable defensible irritant replacement adjustment dependent adoption homologou
communism activate angulariti homologous effective bowdlerize probate rate cease controll roll networks
generalizations oscillators keyphrases extraction segmentation""".split()


def test_matches_nltk_original_porter_algorithm():
    reference = nltk_porter.PorterStemmer(mode=nltk_porter.PorterStemmer.ORIGINAL_ALGORITHM)
    for word in WORDS:
        assert porter_stem(word) == reference.stem(word), word


def test_phrase_key_merges_variants():
    assert phrase_key(["Neural", "Networks"]) == phrase_key(["neural", "network"])
    assert phrase_key(["generalization"]) == phrase_key(["generalizations"])
