"""The constrained CRF checked against brute-force enumeration of every tag sequence."""

import itertools

import torch

from kwextract.bio import B, I, O, bio_to_spans
from kwextract.crf import ConstrainedCRF


def _crf(seed: int = 0) -> ConstrainedCRF:
    torch.manual_seed(seed)
    crf = ConstrainedCRF()
    with torch.no_grad():
        for p in crf.crf.parameters():
            p.uniform_(-1.0, 1.0)
    crf.apply_constraints()
    return crf


def _score(crf: ConstrainedCRF, emissions: torch.Tensor, tags: tuple[int, ...]) -> float:
    c = crf.crf
    s = c.start_transitions[tags[0]] + emissions[0, tags[0]]
    for a, b, t in zip(tags, tags[1:], range(1, len(tags))):
        s = s + c.transitions[a, b] + emissions[t, b]
    return float((s + c.end_transitions[tags[-1]]).detach())


def _brute(crf, emissions):
    seqs = list(itertools.product((O, B, I), repeat=emissions.shape[0]))
    scores = torch.tensor([_score(crf, emissions, s) for s in seqs])
    return seqs, scores, torch.logsumexp(scores, 0)


def test_log_partition_and_span_marginals_match_enumeration():
    crf = _crf()
    torch.manual_seed(1)
    emissions = torch.randn(2, 5, 3)
    mask = torch.tensor([[True] * 5, [True] * 3 + [False] * 2])
    with torch.no_grad():
        spans = crf.span_log_probs(emissions, mask, max_len=5).exp()
        _, _, log_z = crf.forward_backward(emissions, mask)
    for row, length in enumerate((5, 3)):
        seqs, scores, z = _brute(crf, emissions[row, :length])
        assert abs(float(log_z[row]) - float(z)) < 1e-4
        probs = (scores - z).exp()
        expected = torch.zeros(5, 5)
        for seq, p in zip(seqs, probs):
            for s, e in bio_to_spans(list(seq)):
                if seq[s] == B:  # only well-formed spans count
                    expected[s, e - s - 1] += p
        assert torch.allclose(spans[row], expected, atol=1e-5)


def test_viterbi_matches_enumeration_and_never_puts_i_after_o():
    crf = _crf(3)
    torch.manual_seed(4)
    for _ in range(20):
        emissions = torch.randn(1, 6, 3) * 3
        emissions[..., I] += 4  # push hard towards I: constraints must still hold
        mask = torch.ones(1, 6, dtype=torch.bool)
        best = crf.viterbi(emissions, mask)[0].tolist()
        seqs, scores, _ = _brute(crf, emissions[0])
        assert tuple(best) == seqs[int(scores.argmax())]
        assert best == crf.crf.decode(emissions, mask=mask)[0]  # same as pytorch-crf's own
        assert best[0] != I
        assert all(not (a == O and b == I) for a, b in zip(best, best[1:]))


def test_constraints_survive_training_steps():
    crf = _crf()
    opt = torch.optim.SGD(crf.parameters(), lr=10.0)
    emissions = torch.randn(1, 4, 3)
    tags = torch.tensor([[O, B, I, O]])
    loss = crf.nll(emissions, tags, torch.ones(1, 4, dtype=torch.bool))
    loss.backward()
    opt.step()
    crf.apply_constraints()
    assert crf.crf.transitions[O, I].item() < -1000
    assert crf.crf.start_transitions[I].item() < -1000


def test_viterbi_handles_padding_per_row():
    crf = _crf(5)
    torch.manual_seed(6)
    emissions = torch.randn(3, 7, 3) * 2
    mask = torch.tensor([[True] * 7, [True] * 4 + [False] * 3, [True] + [False] * 6])
    tags = crf.viterbi(emissions, mask)
    reference = crf.crf.decode(emissions, mask=mask)
    for row, length in enumerate((7, 4, 1)):
        assert tags[row, :length].tolist() == reference[row]
        assert tags[row, length:].tolist() == [O] * (7 - length)


def test_nll_equals_pytorch_crf_in_value_and_gradient():
    emissions = torch.randn(3, 6, 3, generator=torch.Generator().manual_seed(2))
    mask = torch.tensor([[True] * 6, [True] * 2 + [False] * 4, [True] + [False] * 5])
    tags = torch.tensor([[B, I, O, B, O, O], [O, B, O, O, O, O], [B, O, O, O, O, O]])
    ours, theirs = _crf(3), _crf(3)
    e1, e2 = emissions.clone().requires_grad_(), emissions.clone().requires_grad_()
    loss = ours.nll(e1, tags, mask)
    reference = -theirs.crf(e2, tags, mask=mask, reduction="sum") / mask.sum()
    assert torch.allclose(loss, reference, atol=1e-5)
    loss.backward()
    reference.backward()
    assert torch.allclose(e1.grad, e2.grad, atol=1e-6)
    for a, b in zip(ours.parameters(), theirs.parameters()):
        assert torch.allclose(a.grad, b.grad, atol=1e-6)


def test_token_marginals_match_enumeration_and_ignore_padding():
    crf = _crf(5)
    torch.manual_seed(6)
    emissions = torch.randn(2, 5, 3) * 2
    mask = torch.tensor([[True] * 5, [True] * 3 + [False] * 2])
    with torch.no_grad():
        marginals = crf.token_log_marginals(emissions, mask).exp()
    for row, length in enumerate((5, 3)):
        seqs, scores, z = _brute(crf, emissions[row, :length])
        expected = torch.zeros(length, 3)
        for seq, p in zip(seqs, (scores - z).exp()):
            for t, tag in enumerate(seq):
                expected[t, tag] += p
        assert torch.allclose(marginals[row, :length], expected, atol=1e-5)
        assert float(marginals[row, 0, I]) < 1e-6  # no sequence starts with I


def test_soft_nll_is_the_cross_entropy_of_the_marginals_over_real_tokens():
    crf = _crf(7)
    torch.manual_seed(8)
    emissions = torch.randn(2, 4, 3, requires_grad=True)
    mask = torch.tensor([[True] * 4, [True] * 2 + [False] * 2])
    targets = torch.softmax(torch.randn(2, 4, 3), dim=2)
    targets[:, 0, I] = 0.0  # as collate gives them: a window never starts inside a phrase
    loss = crf.soft_nll(emissions, targets, mask)
    log_p = crf.token_log_marginals(emissions, mask).detach()
    expected = -(targets[0] * log_p[0]).sum() - (targets[1, :2] * log_p[1, :2]).sum()
    assert abs(loss.item() - float(expected) / 6) < 1e-5
    other = targets.clone()
    other[1, 2:] = torch.tensor([0.0, 0.0, 1.0])  # padding's targets do not count
    assert abs(crf.soft_nll(emissions, other, mask).item() - loss.item()) < 1e-6
    loss.backward()
    assert emissions.grad is not None and float(emissions.grad[1, 2:].abs().sum()) == 0.0


def test_forward_backward_gives_the_two_recursions_to_the_bit():
    """One loop advances alpha and beta together (one logsumexp a step for both) and skips the
    padding test before the shortest row ends: the same floats as the recursions run apart."""
    crf = _crf(7)
    torch.manual_seed(8)
    emissions = torch.randn(4, 40, 3) * 4
    for lengths in ((40, 40, 40, 40), (40, 33, 12, 1), (5, 40, 40, 39)):
        mask = torch.arange(40).unsqueeze(0) < torch.tensor(lengths).unsqueeze(1)
        alpha, beta, log_z = crf.forward_backward(emissions, mask)
        alphas, expected_z = crf._forward(emissions, mask)  # the forward recursion alone
        assert torch.equal(alpha, torch.stack(alphas, 1)) and torch.equal(log_z, expected_z)
        trans, end = crf.crf.transitions, crf.crf.end_transitions
        expected = [end.expand(4, 3)]
        for t in range(38, -1, -1):  # the backward recursion alone
            step = torch.logsumexp(trans + (emissions[:, t + 1] + expected[-1]).unsqueeze(1), dim=2)
            expected.append(torch.where(mask[:, t + 1 : t + 2], step, end.expand(4, 3)))
        assert torch.equal(beta, torch.stack(expected[::-1], 1))
        with torch.no_grad():
            tags = crf.viterbi(emissions, mask)
        reference = crf.crf.decode(emissions, mask=mask)
        assert [tags[row, :n].tolist() for row, n in enumerate(lengths)] == reference
