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
