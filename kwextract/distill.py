"""A teacher's beliefs as training targets: distilling a model (an ensemble) into one tagger.

An ensemble of taggers reads better than any of its members but costs one pass each. A
student tagger can learn what the ensemble believes, not only the gold tags: for every
training token, the teacher's probability of each tag (O, B, I), its CRF marginals summed
over every tag sequence and averaged over an ensemble's members. The student's own CRF
marginals are then pulled towards them (``ConstrainedCRF.soft_nll``, mixed with the gold
likelihood by ``TrainConfig.teacher_weight`` in ``train.fit``). Where the teacher hesitates
(a phrase that might be a keyphrase, a boundary that might be one word further), the student
learns the hesitation instead of a hard yes or no.
"""

from __future__ import annotations

import numpy as np
import torch

from .batching import Batch, Window
from .extractor import Extractor
from .tokenize import TokenizedText


def token_marginals(teacher: Extractor, documents: list[TokenizedText], batch_size: int = 64) -> list[np.ndarray]:
    """Every token's tag probabilities under ``teacher``: one array (tokens, 3) per document,
    float32, rows summing to 1 (O, B, I). Each member of an ensemble reads the documents in
    its own windows, with its own vocabularies; their probabilities are averaged. The tokens
    are the student's, so the targets line up with them whatever the teacher's own tokenizer."""
    taggers = teacher.taggers
    out = [np.zeros((len(doc), 3), dtype=np.float32) for doc in documents]
    for member in taggers:
        def add(group: list[Window], batch: Batch, emissions: torch.Tensor, crf=member.tagger.crf) -> None:
            probs = crf.token_log_marginals(emissions, batch.mask).exp().float().numpy()
            probs /= np.maximum(probs.sum(axis=2, keepdims=True), 1e-12)  # float32 rounding over 256 steps
            for row, w in enumerate(group):
                out[w.doc][w.start : w.end] += probs[row, : len(w)] / len(taggers)

        member.tag_windows(documents, batch_size, add)
    return out
