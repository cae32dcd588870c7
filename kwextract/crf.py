"""A BIO-constrained CRF on top of pytorch-crf, with forward-backward span marginals.

pytorch-crf holds the parameters (start, end and transition scores) and is the reference
that the likelihood and Viterbi decoding here are tested against (they are vectorised over
the batch and reproducible on several CPU threads). Two things it lacks are added here:
forbidden BIO transitions (start→I and O→I get a large negative score, so no decoded
sequence ever holds an I without a B), and marginals: the probability that a given token
span is tagged exactly as one keyphrase, summed over every tag sequence.
Those probabilities are kwextract's confidence scores.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torchcrf import CRF

from .bio import B, I, O

FORBIDDEN = -10_000.0


class ConstrainedCRF(nn.Module):
    """A linear-chain CRF over the tags O, B, I in which an I can only follow a B or an I."""

    def __init__(self) -> None:
        super().__init__()
        self.crf = CRF(3, batch_first=True)
        self.apply_constraints()

    @torch.no_grad()
    def apply_constraints(self) -> None:
        """Pin the forbidden transition scores (after init, load and each optimiser step)."""
        self.crf.start_transitions[I] = FORBIDDEN
        self.crf.transitions[O, I] = FORBIDDEN

    def nll(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Negative log-likelihood of the gold tags, averaged over real tokens.

        The same value as pytorch-crf's ``CRF.forward`` (``tests/test_crf.py`` checks it),
        computed without indexing parameters by tensors: on CPU the gradient of such indexing
        is summed by racing threads, so two trainings with one seed would differ. Here the
        gold path is scored with one-hot products, which sum in a fixed order.
        """
        # shape: emissions (batch, time, 3); tags (batch, time); mask (batch, time) bool
        self._check(emissions, mask)
        on = mask.to(emissions.dtype)
        gold = torch.nn.functional.one_hot(tags, 3).to(emissions.dtype) * on.unsqueeze(2)  # (batch, time, 3)
        last = gold.gather(1, (mask.sum(1) - 1).view(-1, 1, 1).expand(-1, 1, 3)).squeeze(1)  # (batch, 3)
        score = (
            gold[:, 0] @ self.crf.start_transitions
            + (emissions * gold).sum((1, 2))
            + ((gold[:, :-1] @ self.crf.transitions) * gold[:, 1:]).sum((1, 2))
            + last @ self.crf.end_transitions
        )
        _, log_z = self._forward(emissions, mask)
        return (log_z - score).sum() / on.sum()

    def _forward(self, emissions: torch.Tensor, mask: torch.Tensor) -> tuple[list[torch.Tensor], torch.Tensor]:
        """The forward recursion: alpha at every step (batch, 3) and log Z (batch,)."""
        trans, start, end = self.crf.transitions, self.crf.start_transitions, self.crf.end_transitions
        alpha = start + emissions[:, 0]  # shape: (batch, 3)
        alphas = [alpha]
        for t in range(1, emissions.shape[1]):
            step = torch.logsumexp(alpha.unsqueeze(2) + trans, dim=1) + emissions[:, t]
            alpha = torch.where(mask[:, t : t + 1], step, alpha)
            alphas.append(alpha)
        return alphas, torch.logsumexp(alpha + end, dim=1)

    @staticmethod
    def _check(emissions: torch.Tensor, mask: torch.Tensor) -> None:
        if emissions.dim() != 3 or emissions.shape[:2] != mask.shape:
            raise ValueError(f"emissions {tuple(emissions.shape)} do not match mask {tuple(mask.shape)}")
        if not bool(mask[:, 0].all()):
            raise ValueError("mask must be right-padded with the first time step on")

    def viterbi(self, emissions: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The best tag sequence of each row, shape (batch, time); padding is tagged O.

        Vectorised over the batch (pytorch-crf's ``decode`` backtracks token by token in
        Python); ``tests/test_crf.py`` checks both against enumeration.
        """
        trans = self.crf.transitions
        batch, time, _ = emissions.shape
        full = int(mask.sum(1).min())  # steps before the shortest row ends: no padding to pass through
        identity = torch.arange(3).expand(batch, 3)
        score = self.crf.start_transitions + emissions[:, 0]  # shape: (batch, 3)
        history = []
        for t in range(1, time):
            best, index = (score.unsqueeze(2) + trans).max(dim=1)  # over the previous tag
            if t < full:
                score = best + emissions[:, t]
                history.append(index)
            else:
                on = mask[:, t : t + 1]
                score = torch.where(on, best + emissions[:, t], score)
                history.append(torch.where(on, index, identity))  # padding passes the tag through
        score = score + self.crf.end_transitions
        # Backtracking reads one small integer table a step: numpy's indexing costs less per step.
        tags = np.empty((batch, time), dtype=np.int64)
        tags[:, time - 1] = score.argmax(dim=1).cpu().numpy()
        back = torch.stack(history).cpu().numpy() if history else np.zeros((0, batch, 3), dtype=np.int64)  # (time - 1, batch, 3)
        rows = np.arange(batch)
        for t in range(time - 1, 0, -1):
            tags[:, t - 1] = back[t - 1, rows, tags[:, t]]
        return torch.from_numpy(tags).to(emissions.device).masked_fill(~mask, O)

    def forward_backward(
        self, emissions: torch.Tensor, mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Log-space alpha (batch, time, 3), beta (batch, time, 3) and log Z (batch,).

        alpha[t, y] scores every prefix ending in tag y at t (emission at t included);
        beta[t, y] every suffix after t given tag y at t. Padded steps copy the last real one.
        """
        self._check(emissions, mask)
        trans, start, end = self.crf.transitions, self.crf.start_transitions, self.crf.end_transitions
        batch, time, _ = emissions.shape
        # Both recursions advance in one loop, one logsumexp a step for the two (a step costs
        # little arithmetic and much dispatch): alpha[t] reduces alpha[t-1] + transitions over
        # the tag before, beta[t] reduces transitions + (emission + beta)[t+1] over the tag
        # after, i.e. the transposed transitions over the same axis. The same sums as two loops,
        # to the bit. Before the shortest row ends no row has padding to keep, so no where().
        full = int(mask.sum(1).min())
        transitions = torch.stack([trans, trans.T]).unsqueeze(1)  # (2, 1, 3, 3): forward, backward
        final = end.expand(batch, 3)
        alpha, beta = start + emissions[:, 0], final  # shape: (batch, 3) each
        alphas, betas = [alpha], [beta]
        for k in range(1, time):
            t = time - 1 - k  # the backward recursion's step
            ahead = emissions[:, t + 1] + beta
            summed = torch.logsumexp(torch.stack([alpha, ahead]).unsqueeze(3) + transitions, dim=2)
            step = summed[0] + emissions[:, k]
            alpha = step if k < full else torch.where(mask[:, k : k + 1], step, alpha)
            beta = summed[1] if t + 1 < full else torch.where(mask[:, t + 1 : t + 2], summed[1], final)
            alphas.append(alpha)
            betas.append(beta)
        betas.reverse()
        return torch.stack(alphas, 1), torch.stack(betas, 1), torch.logsumexp(alpha + end, dim=1)

    def token_log_marginals(self, emissions: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """log P(token t is tagged y), summed over every tag sequence: shape (batch, time, 3).

        Rows past a sequence's end hold no meaning; mask them."""
        alpha, beta, log_z = self.forward_backward(emissions, mask)
        return alpha + beta - log_z.view(-1, 1, 1)

    def soft_nll(self, emissions: torch.Tensor, targets: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Cross-entropy of the CRF's token marginals against target tag distributions
        (batch, time, 3), averaged over real tokens: how a student learns a teacher's beliefs
        (distill.py). Zero-probability targets on forbidden tags cost nothing."""
        log_p = self.token_log_marginals(emissions, mask)
        on = mask.to(emissions.dtype).unsqueeze(2)
        return -(targets * on * log_p.clamp_min(FORBIDDEN)).sum() / on.sum()

    def span_log_probs(
        self, emissions: torch.Tensor, mask: torch.Tensor, max_len: int
    ) -> torch.Tensor:
        """log P(tokens i..i+l-1 are exactly one keyphrase) for every start i and length l.

        Returns (batch, time, max_len); entries of spans that run past the sequence are -inf.
        A span is exact when its first tag is B, the rest are I, and the next tag is not I.
        """
        alpha, beta, log_z = self.forward_backward(emissions, mask)
        trans = self.crf.transitions
        batch, time, _ = emissions.shape
        end = self.crf.end_transitions
        # gamma[j, s]: log-score of everything after j given tag s at j, the next tag not I.
        after = emissions[:, 1:, [O, B]] + beta[:, 1:, [O, B]]  # shape: (batch, time-1, 2)
        gamma_next = torch.logsumexp(trans[:, [O, B]] + after.unsqueeze(2), dim=3)  # (batch, time-1, 3)
        gamma = end.expand(batch, time, 3).clone()
        gamma[:, :-1] = torch.where(mask[:, 1:].unsqueeze(2), gamma_next, gamma[:, :-1])
        # prefix[t] = sum of I-emissions before t, so any run of I-emissions is one subtraction.
        prefix = torch.zeros(batch, time + 1, dtype=emissions.dtype)
        prefix[:, 1:] = torch.cumsum(emissions[:, :, I], dim=1)
        lengths = mask.sum(1)
        starts = torch.arange(time)
        out = torch.full((batch, time, max_len), float("-inf"), dtype=emissions.dtype)
        head = alpha[:, :, B] - log_z.unsqueeze(1)  # shape: (batch, time)
        out[:, :, 0] = head + gamma[:, :, B]
        for length in range(2, min(max_len, time) + 1):
            n = time - length + 1
            last = starts[:n] + length - 1
            inner = prefix[:, last + 1] - prefix[:, starts[:n] + 1]
            score = (
                head[:, :n]
                + trans[B, I]
                + (length - 2) * trans[I, I]
                + inner
                + gamma[:, last, I]
            )
            out[:, :n, length - 1] = score
        valid = (starts.unsqueeze(0).unsqueeze(2) + torch.arange(max_len).view(1, 1, -1)) < lengths.view(-1, 1, 1)
        return out.masked_fill(~valid, float("-inf"))
