"""The tagger's gradients: summed in a fixed order, so a seed fixes training exactly."""

import torch

from kwextract.config import ModelConfig
from kwextract.featurize import NUM_FEATURES
from kwextract.model import KeyphraseTagger


def _gradients(tagger: KeyphraseTagger, batch: tuple[torch.Tensor, ...]) -> list[torch.Tensor]:
    word_ids, char_ids, features, mask, tags = batch
    tagger.zero_grad()
    tagger.crf.nll(tagger(word_ids, char_ids, features, mask), tags, mask).backward()
    return [p.grad.clone() for p in tagger.parameters() if p.grad is not None]


def test_two_backward_passes_on_two_threads_give_identical_gradients():
    g = torch.Generator().manual_seed(0)
    batch, time = 48, 160
    vocabulary = torch.randint(1, 40, (60, 8), generator=g)  # 60 spellings: words repeat across the batch
    word_ids = torch.randint(1, 60, (batch, time), generator=g)
    char_ids = vocabulary[word_ids]
    lengths = torch.randint(time // 2, time + 1, (batch,), generator=g)
    lengths[0] = time
    mask = torch.arange(time) < lengths.unsqueeze(1)
    tags = torch.randint(0, 2, (batch, time), generator=g)  # O and B only: always a valid BIO sequence
    features = torch.rand(batch, time, NUM_FEATURES, generator=g)
    torch.manual_seed(0)
    tagger = KeyphraseTagger(ModelConfig(dropout=0.0), 60, 40)
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        first = _gradients(tagger, (word_ids, char_ids, features, mask, tags))
        again = [_gradients(tagger, (word_ids, char_ids, features, mask, tags)) for _ in range(3)]
    finally:
        torch.set_num_threads(threads)
    assert all(torch.equal(a, b) for other in again for a, b in zip(first, other))


def test_inference_without_packing_matches_the_packed_bilstm():
    """Eval mode runs each direction over the padded batch (faster on CPU); its states equal
    the packed computation's on every real token, and padding stays zero."""
    g = torch.Generator().manual_seed(1)
    batch, time = 7, 30
    word_ids = torch.randint(1, 50, (batch, time), generator=g)
    char_ids = torch.randint(1, 30, (batch, time, 6), generator=g)
    features = torch.rand(batch, time, NUM_FEATURES, generator=g)
    lengths = torch.tensor([30, 29, 17, 17, 5, 2, 1])
    mask = torch.arange(time) < lengths.unsqueeze(1)
    torch.manual_seed(0)
    tagger = KeyphraseTagger(ModelConfig(num_layers=2), 50, 30).eval()
    with torch.no_grad():
        padded = tagger.encode(word_ids, char_ids, features, mask)
        tagger.train()  # training mode takes the packed path; with dropout off it sees the same inputs
        tagger.dropout.p, tagger.encoder.dropout = 0.0, 0.0
        packed = tagger.encode(word_ids, char_ids, features, mask)
    assert padded.shape == packed.shape == (batch, time, 2 * tagger.config.hidden_size)
    assert torch.allclose(padded, packed, atol=1e-5)
    assert not padded[~mask].any()
    # a row's states do not depend on which rows share its batch, nor on its padding
    with torch.no_grad():
        tagger.eval()
        alone = tagger.encode(word_ids[4:5, :5], char_ids[4:5, :5], features[4:5, :5], mask[4:5, :5])
    assert torch.allclose(alone[0], padded[4, :5], atol=1e-5)


def test_character_encoder_encodes_each_spelling_once_with_the_same_result():
    """Distinct spellings are found as byte rows (numpy); the vectors equal encoding every token."""
    from kwextract.model import CharEncoder, _distinct_rows

    g = torch.Generator().manual_seed(2)
    spellings = torch.randint(0, 25, (9, 7), generator=g)
    spellings[3] = 0  # a padding row (no word)
    char_ids = spellings[torch.randint(0, 9, (4, 11), generator=g)]
    rows, index = _distinct_rows(char_ids.reshape(44, 7))
    assert torch.equal(rows[index], char_ids.reshape(44, 7))
    assert len(rows) == len({tuple(r) for r in char_ids.reshape(44, 7).tolist()})
    torch.manual_seed(0)
    encoder = CharEncoder(25, 8, 12, 3)
    with torch.no_grad():
        every = encoder.conv(encoder.embed(char_ids.reshape(44, 7)).transpose(1, 2)).relu()
        every = every.masked_fill(char_ids.reshape(44, 1, 7) == 0, 0.0).max(dim=2).values
        assert torch.allclose(encoder(char_ids).reshape(44, 12), every, atol=1e-6)
