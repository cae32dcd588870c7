"""Language-model pre-training of the encoder on raw text: learning from text without labels.

Before it sees a single (silver) keyphrase, the encoder learns which words go together:
reading each sentence window, its left-to-right half at token t predicts the word at t + 1
and its right-to-left half the word at t - 1 (two small softmax heads over the vocabulary,
dropped afterwards). The tagger is then trained as usual from these weights.

Only one-layer encoders: in a stacked bidirectional encoder the second layer's
left-to-right half already sees the next word through the first layer's right-to-left half.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import torch
from torch import nn

from .batching import Window, collate, length_batches
from .extractor import KeyphraseExtractor
from .tokenize import TokenizedText, windows


def pretrain_encoder(
    extractor: KeyphraseExtractor,
    tokens: list[TokenizedText],
    epochs: int,
    batch_size: int = 32,
    learning_rate: float = 2e-3,
    seed: int = 13,
    max_windows_per_doc: int = 16,
    log: Callable[[str], None] = print,
) -> list[float]:
    """Train the tagger's embeddings and encoder as a language model; returns each epoch's loss."""
    tagger = extractor.tagger
    config = tagger.config
    if config.num_layers != 1:
        raise ValueError(f"language-model pre-training needs a one-layer encoder, not {config.num_layers} layers")
    torch.manual_seed(seed)
    hidden = config.hidden_size
    heads = nn.ModuleList(nn.Linear(hidden, len(extractor.words)) for _ in range(2 if config.bidirectional else 1))
    params = [p for name, p in tagger.named_parameters() if not name.startswith(("emit", "crf"))]
    optimizer = torch.optim.Adam(params + list(heads.parameters()), lr=learning_rate)
    arrays = [extractor.featurize(t) for t in tokens]
    rng = random.Random(seed)
    losses = []
    tagger.train()
    for epoch in range(1, epochs + 1):
        chosen = []
        for d, toks in enumerate(tokens):
            spans = windows(toks, config.window_tokens)
            if len(spans) > max_windows_per_doc:
                spans = rng.sample(spans, max_windows_per_doc)
            chosen += [Window(d, a, b) for a, b in spans if b - a > 1]
        batches = length_batches(chosen, batch_size)
        rng.shuffle(batches)
        total = 0.0
        for group in batches:
            batch = collate(arrays, group)
            out = tagger.dropout(tagger.encode(batch.word_ids, batch.char_ids, batch.features, batch.mask))
            # left-to-right state at t → word t + 1; right-to-left state at t + 1 → word t
            pairs = [(heads[0](out[:, :-1, :hidden]), batch.word_ids[:, 1:])]
            if config.bidirectional:
                pairs.append((heads[1](out[:, 1:, hidden:]), batch.word_ids[:, :-1]))
            losses_here = []
            for logits, target in pairs:
                valid = batch.mask[:, 1:] & (target > 1)  # no padding, no unknown word (id 1) as a target
                if valid.any():
                    losses_here.append(nn.functional.cross_entropy(logits[valid], target[valid]))
            if not losses_here:
                continue
            loss = torch.stack(losses_here).mean()
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 5.0)
            optimizer.step()
            total += loss.item()
        losses.append(total / max(len(batches), 1))
        log(f"language-model pre-training epoch {epoch}: loss {losses[-1]:.4f}")
    return losses
