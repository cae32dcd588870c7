"""Is the bundled encoder bound by arithmetic or by per-step overhead? (issue 19, twenty-eighth session)

    python experiments/lstm_fused_directions.py [--batch 64] [--time 160] [--rounds 10]

The two taggers of the bundled pair each run a 2-layer BiLSTM, half of a pass's time. If the
LSTM were bound by the overhead of its many small steps, running both directions of a layer
as *one* LSTM (hidden size doubled, block-diagonal weights: the same arithmetic plus zeros)
would halve the steps and win; if it is bound by arithmetic, the zeros double the work and it
loses. This script times inference's encoder (``model._padded_bilstm``) with the first bundled
tagger's weights against that fused form on random inputs of a typical batch, checks that
both give the same states, and prints the LSTM's arithmetic rate. One torch thread, CPU
seconds, best of ``--rounds``.
"""

from __future__ import annotations

import argparse
import time

import torch

from kwextract.model import _padded_bilstm, row_reverser
from kwextract.serialization import load


def fused_weights(lstm: torch.nn.LSTM, layer: int) -> list[torch.Tensor]:
    """Layer ``layer``'s two directions as one LSTM of twice the hidden size: each gate's rows
    hold the forward direction's units then the backward one's, the weights block-diagonal."""
    names = (f"weight_ih_l{layer}", f"weight_hh_l{layer}", f"bias_ih_l{layer}", f"bias_hh_l{layer}")
    ahead = [getattr(lstm, n).detach() for n in names]
    back = [getattr(lstm, n + "_reverse").detach() for n in names]
    h, inputs = lstm.hidden_size, ahead[0].shape[1]
    w_ih, w_hh = torch.zeros(8 * h, 2 * inputs), torch.zeros(8 * h, 2 * h)
    b_ih, b_hh = torch.zeros(8 * h), torch.zeros(8 * h)
    for gate in range(4):  # torch's gate order: input, forget, cell, output
        own, f_rows, b_rows = slice(gate * h, (gate + 1) * h), slice(2 * gate * h, (2 * gate + 1) * h), \
            slice((2 * gate + 1) * h, (2 * gate + 2) * h)
        w_ih[f_rows, :inputs], w_ih[b_rows, inputs:] = ahead[0][own], back[0][own]
        w_hh[f_rows, :h], w_hh[b_rows, h:] = ahead[1][own], back[1][own]
        b_ih[f_rows], b_ih[b_rows] = ahead[2][own], back[2][own]
        b_hh[f_rows], b_hh[b_rows] = ahead[3][own], back[3][own]
    return [w_ih, w_hh, b_ih, b_hh]


def fused_bilstm(lstm: torch.nn.LSTM, weights: list[list[torch.Tensor]], x: torch.Tensor,
                 lengths: torch.Tensor) -> torch.Tensor:
    """``_padded_bilstm`` with each layer's two directions run as one fused LSTM."""
    reversed_rows = row_reverser(lengths, x.shape[1])
    h = lstm.hidden_size
    zeros = x.new_zeros(1, x.shape[0], 2 * h)
    out = x
    for layer_weights in weights:
        both = torch.lstm(torch.cat([out, reversed_rows(out)], 2), (zeros, zeros), layer_weights,
                          True, 1, 0.0, False, False, True)[0]
        out = torch.cat([both[..., :h], reversed_rows(both[..., h:])], 2)
    return out


def best_seconds(run, rounds: int) -> float:
    run()  # warm-up
    times = []
    for _ in range(rounds):
        started = time.process_time()
        run()
        times.append(time.process_time() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, default=64, help="windows a batch (extract's batch_size)")
    parser.add_argument("--time", type=int, default=160, help="tokens a window (an Inspec abstract has ~150)")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    lstm = load("fast").tagger.encoder.eval()
    x = torch.randn(args.batch, args.time, lstm.input_size)
    lengths = torch.full((args.batch,), args.time)
    lengths[args.batch // 2:] = args.time * 3 // 4  # some rows padded, as in a real batch
    weights = [fused_weights(lstm, layer) for layer in range(lstm.num_layers)]
    with torch.inference_mode():
        plain, fused = _padded_bilstm(lstm, x, lengths), fused_bilstm(lstm, weights, x, lengths)
        on = (torch.arange(args.time) < lengths.unsqueeze(1)).unsqueeze(2)
        print(f"largest difference of the states (real tokens): {float((plain - fused).masked_fill(~on, 0).abs().max()):.2e}")
        two = best_seconds(lambda: _padded_bilstm(lstm, x, lengths), args.rounds)
        one = best_seconds(lambda: fused_bilstm(lstm, weights, x, lengths), args.rounds)
        single = torch.nn.LSTM(lstm.input_size, lstm.hidden_size, batch_first=True).eval()
        layer_one = best_seconds(lambda: single(x), args.rounds)
    flops = 2 * args.batch * args.time * (lstm.input_size + lstm.hidden_size) * 4 * lstm.hidden_size
    print(f"encoder ({lstm.num_layers} layers, both directions), batch {args.batch} x {args.time} tokens, one thread, "
          f"best of {args.rounds} (CPU s): as inference runs it {two:.4f}, directions fused {one:.4f} ({two / one:.2f}x)")
    print(f"one direction of layer 1 alone: {layer_one:.4f} s, {flops / layer_one / 1e9:.0f} GFLOP/s "
          f"({flops / 1e9:.2f} GFLOP of multiply-adds counted twice)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
