import torch

from kwextract.train import TrainConfig, train

from .conftest import TINY


def _weights(corpus, out, seed):
    config = TrainConfig(train=(str(corpus["train"]),), dev=(str(corpus["dev"]),), epochs=2, patience=2,
                         batch_size=8, learning_rate=1e-2, word_min_freq=1, seed=seed)
    return train(config, TINY, out, log=lambda message: None).tagger.state_dict()


def test_same_seed_same_weights_other_seed_other_weights(corpus, tmp_path):
    a, b = _weights(corpus, tmp_path / "a", 7), _weights(corpus, tmp_path / "b", 7)
    assert all(torch.equal(a[k], b[k]) for k in a)
    c = _weights(corpus, tmp_path / "c", 8)
    assert not all(torch.equal(a[k], c[k]) for k in a)
