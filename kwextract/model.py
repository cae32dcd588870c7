"""The network: word + character embeddings + document features → RNN encoder → CRF."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from .config import ModelConfig
from .crf import ConstrainedCRF
from .featurize import NUM_FEATURES

_RNNS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}


def _distinct_rows(rows: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The distinct rows of a 2-d integer tensor and each row's index among them.

    numpy compares each row as one block of bytes, about five times faster than
    ``torch.unique(dim=0)``, which sorts column by column; the order of the distinct rows
    differs, which changes nothing downstream (each is encoded on its own)."""
    if rows.device.type != "cpu":
        return torch.unique(rows, dim=0, return_inverse=True)
    array = np.ascontiguousarray(rows.numpy())
    keys = array.view(np.dtype((np.void, array.itemsize * array.shape[1]))).ravel()
    _, first, index = np.unique(keys, return_index=True, return_inverse=True)
    return rows[torch.from_numpy(first)], torch.from_numpy(index.reshape(-1))


class CharEncoder(nn.Module):
    """A word's characters → one vector (convolution + max-pool): casing, affixes, OOV words."""

    def __init__(self, num_chars: int, dim: int, filters: int, kernel: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(num_chars, dim, padding_idx=0)
        self.conv = nn.Conv1d(dim, filters, kernel, padding=kernel // 2)

    def forward(self, char_ids: torch.Tensor) -> torch.Tensor:
        batch, time, chars = char_ids.shape  # shape: (batch, time, chars)
        # Text repeats words ("the", ",", a topic's terms): encode each distinct spelling once.
        words, index = _distinct_rows(char_ids.reshape(batch * time, chars))
        x = self.embed(words).transpose(1, 2)  # shape: (words, dim, chars)
        x = torch.relu(self.conv(x))
        x = x.masked_fill((words.unsqueeze(1) == 0), 0.0)
        # index_select, not values[index]: its gradient is summed in a fixed order (reproducible training)
        return x.max(dim=2).values.index_select(0, index).view(batch, time, -1)  # (batch, time, filters)


def row_reverser(lengths: torch.Tensor, time: int) -> Callable[[torch.Tensor], torch.Tensor]:
    """A function that reverses each row of a right-padded batch (batch, time, features)
    within its own length, padding left in place; it is its own inverse. The backward
    direction of ``_padded_bilstm`` reads its input and writes its states through it."""
    batch = len(lengths)
    steps = torch.arange(time)
    # reverse[b, t]: the position read at step t of row b's backward pass (padding stays put)
    reverse = torch.where(steps < lengths.unsqueeze(1), lengths.unsqueeze(1) - 1 - steps, steps)
    # the same as rows of the batch flattened to (batch × time, features): one row copied per
    # token (index_select), where gather along time read every feature through its own index
    rows = (reverse + torch.arange(batch).unsqueeze(1) * time).reshape(-1)

    def reversed_rows(states: torch.Tensor) -> torch.Tensor:
        return states.reshape(batch * time, -1).index_select(0, rows).reshape(batch, time, -1)

    return reversed_rows


def _padded_bilstm(lstm: nn.LSTM, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """A bidirectional LSTM over right-padded rows, without packing (inference only).

    Each direction runs as a one-directional LSTM over the padded batch; the backward one
    reads each row reversed within its own length, so padding never reaches a real token.
    Equal to the packed computation up to float rounding (1e-6, tests/test_model.py), and
    faster on CPU: packed sequences step through a shrinking batch, padded ones run the
    fused kernel over the whole batch. Padded positions hold meaningless states.
    """
    batch = x.shape[0]
    reversed_rows = row_reverser(lengths, x.shape[1])
    zeros = x.new_zeros(1, batch, lstm.hidden_size)
    out = x
    for layer in range(lstm.num_layers):
        names = (f"weight_ih_l{layer}", f"weight_hh_l{layer}", f"bias_ih_l{layer}", f"bias_hh_l{layer}")
        ahead = [getattr(lstm, n) for n in names]
        back = [getattr(lstm, n + "_reverse") for n in names]
        forward_states = torch.lstm(out, (zeros, zeros), ahead, True, 1, 0.0, False, False, True)[0]
        backward_states = torch.lstm(reversed_rows(out), (zeros, zeros), back, True, 1, 0.0, False, False, True)[0]
        out = torch.cat([forward_states, reversed_rows(backward_states)], dim=2)
    return out


class KeyphraseTagger(nn.Module):
    """Emits O/B/I scores per token; the CRF turns them into tag sequences and marginals."""

    def __init__(self, config: ModelConfig, num_words: int, num_chars: int, learned_words: int | None = None) -> None:
        super().__init__()
        self.config = config
        self.chars = CharEncoder(num_chars, config.char_dim, config.char_filters, config.char_kernel)
        # Corpus IDF per word id (fitted at training time with scikit-learn), a document feature.
        self.register_buffer("idf", torch.ones(num_words))
        # word_dim=0: no word identity reaches the network, neither a vector nor the IDF
        inputs = (config.word_dim + config.char_filters + NUM_FEATURES + (1 if config.word_dim else 0)
                  + (1 if config.general_rarity else 0))
        if config.pretrained_dim:
            # Frozen general-English vectors (pretrained.py) for every vocabulary word, and its
            # rarity in general English; learned vectors only for the words of the training texts
            # (``learned_index`` maps the other words, known only from the pretrained set, to <unk>).
            learned_words = num_words if learned_words is None else learned_words
            self.register_buffer("pretrained", torch.zeros(num_words, config.pretrained_dim, dtype=torch.float16))
            self.register_buffer("rarity", torch.ones(num_words))
            index = torch.arange(num_words)
            index[learned_words:] = 1
            self.register_buffer("learned_index", index)
            inputs += config.pretrained_dim + 1
        self.words = nn.Embedding(learned_words or num_words, config.word_dim, padding_idx=0)
        self.encoder = _RNNS[config.encoder](
            inputs,
            config.hidden_size,
            num_layers=config.num_layers,
            bidirectional=config.bidirectional,
            batch_first=True,
            dropout=config.dropout if config.num_layers > 1 else 0.0,
        )
        directions = 2 if config.bidirectional else 1
        self.dropout = nn.Dropout(config.dropout)
        self.emit = nn.Linear(config.hidden_size * directions, 3)
        self.crf = ConstrainedCRF()

    def embed(self, word_ids: torch.Tensor, char_ids: torch.Tensor, features: torch.Tensor) -> torch.Tensor:
        """Per-token input vectors, shape (batch, time, inputs)."""
        if not self.config.word_dim:
            return torch.cat([self.chars(char_ids), features], dim=2)
        idf = self.idf[word_ids].unsqueeze(2)
        if not self.config.pretrained_dim:
            return torch.cat([self.words(word_ids), self.chars(char_ids), features, idf], dim=2)
        general = [self.pretrained[word_ids].float(), self.rarity[word_ids].unsqueeze(2)]
        return torch.cat([self.words(self.learned_index[word_ids]), *general, self.chars(char_ids), features, idf], dim=2)

    def encode(
        self, word_ids: torch.Tensor, char_ids: torch.Tensor, features: torch.Tensor, mask: torch.Tensor
    ) -> torch.Tensor:
        """Encoder states, shape (batch, time, hidden × directions); forward half first."""
        return self.run_encoder(self.dropout(self.embed(word_ids, char_ids, features)), mask)

    def run_encoder(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The encoder over input vectors (batch, time, inputs) → states (batch, time, hidden × directions).

        The encoder runs in its weights' type: float32, or bfloat16 after
        ``load(precision="bfloat16")``; its inputs are cast to that type and its states back."""
        lengths = mask.sum(1).cpu()
        weights = getattr(self.encoder, "weight_ih_l0", None)  # an int8-quantized encoder has none
        dtype = weights.dtype if isinstance(weights, torch.Tensor) else x.dtype
        if not self.training and isinstance(self.encoder, nn.LSTM) and self.config.bidirectional:
            states = _padded_bilstm(self.encoder, x.to(dtype), lengths).to(x.dtype)
            return states.masked_fill(~mask.unsqueeze(2), 0.0)
        packed = pack_padded_sequence(x.to(dtype), lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.encoder(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
        return out.to(x.dtype)

    def forward(
        self, word_ids: torch.Tensor, char_ids: torch.Tensor, features: torch.Tensor, mask: torch.Tensor
    ) -> torch.Tensor:
        """Emission scores, shape (batch, time, 3); rows are right-padded per ``mask``."""
        return self.emit(self.dropout(self.encode(word_ids, char_ids, features, mask)))
