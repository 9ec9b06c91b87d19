#!/usr/bin/env python3
"""PyTorch reference for the conv VAE rows of `npm run bench` (bench/conv-vae-bench.ts).

``models/conv-vae-mnist.ppl`` written by hand, as a PyTorch user would:

- x: 28x28x1 binary images (PyTorch's layout is channels first, [n, 1, 28, 28]);
  the same synthetic data as the Strata rows: each pixel 1 with probability 0.13.
- guide: Conv2d(1, 16, 3, stride 2, padding 1) -> ReLU -> Conv2d(16, 32, 3,
  stride 2, padding 1) -> ReLU -> flatten -> Linear(1568, 32); z ~ Normal(loc,
  softplus(.) + 1e-3) with z = loc + scale * eps.
- model: z ~ Normal(0, 1); Linear(16, 1568) -> ReLU -> [32, 7, 7] ->
  ConvTranspose2d(32, 32, 3, stride 2, padding 1, output_padding 1) -> ReLU ->
  ConvTranspose2d(32, 1, 3, stride 2, padding 1, output_padding 1): one logit
  per pixel, x ~ Bernoulli(logits), log p(x|z) = -BCE-with-logits summed.
- Glorot-uniform weights (fans kh*kw*in and kh*kw*out), zero biases.
- A training step: IWAE-k loss, gradients, their global norm, values read back
  and checked, Adam (lr 1e-4, eps 1e-7 as tfjs's), as bench/tdvae_bench.py does.
  The bound: IWAE-100 for 100 images in one chunk, under torch.no_grad().

TensorFlow's 'same' padding puts the odd row of a stride-2 convolution at the
bottom; PyTorch's padding=1 pads both sides. The shapes and the arithmetic
are the same; the pixels the kernels line up with differ by one.

Run by bench/pytorch/tdvae_bench.py (``--conv on|only``) for the ``pytorch``
column, or alone: ``python3 bench/pytorch/conv_vae_bench.py --out conv.json``.
"""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn.functional as F

from tdvae_bench import measure

Z = 16
BATCH = 100
LEARNING_RATE = 1e-4
KS = (1, 10)
BOUND_K = 100
INK = 0.13
HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)


def glorot(layer, generator):
    weight = layer.weight
    receptive = weight[0][0].numel() if weight.dim() > 2 else 1
    fan_in, fan_out = weight.shape[1] * receptive, weight.shape[0] * receptive
    if isinstance(layer, torch.nn.ConvTranspose2d):
        fan_in, fan_out = fan_out, fan_in
    limit = math.sqrt(6 / (fan_in + fan_out))
    with torch.no_grad():
        weight.uniform_(-limit, limit, generator=generator)
        layer.bias.zero_()
    return layer


class ConvVAE(torch.nn.Module):
    """models/conv-vae-mnist.ppl with its guide q."""

    def __init__(self, seed):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.enc1 = glorot(torch.nn.Conv2d(1, 16, 3, stride=2, padding=1), g)
        self.enc2 = glorot(torch.nn.Conv2d(16, 32, 3, stride=2, padding=1), g)
        self.head = glorot(torch.nn.Linear(7 * 7 * 32, 2 * Z), g)
        self.dec0 = glorot(torch.nn.Linear(Z, 7 * 7 * 32), g)
        self.dec1 = glorot(torch.nn.ConvTranspose2d(32, 32, 3, stride=2, padding=1, output_padding=1), g)
        self.dec2 = glorot(torch.nn.ConvTranspose2d(32, 1, 3, stride=2, padding=1, output_padding=1), g)

    def log_weights(self, x, k):
        """log w [k, batch] for images x [batch, 1, 28, 28]."""
        batch = x.shape[0]
        e = self.head(torch.flatten(F.relu(self.enc2(F.relu(self.enc1(x)))), 1))
        loc, scale = e[:, :Z], F.softplus(e[:, Z:]) + 1e-3
        eps = torch.randn(k, batch, Z)
        z = loc + scale * eps
        log_q = (-0.5 * eps.square() - scale.log() - HALF_LOG_TWO_PI).sum(-1)
        log_p = (-0.5 * z.square() - HALF_LOG_TWO_PI).sum(-1)
        h = F.relu(self.dec0(z.reshape(k * batch, Z))).reshape(k * batch, 32, 7, 7)
        logits = self.dec2(F.relu(self.dec1(h))).reshape(k, batch, 784)
        target = x.reshape(1, batch, 784).expand(k, batch, 784)
        log_px = -F.binary_cross_entropy_with_logits(logits, target, reduction="none").sum(-1)
        return log_px + log_p - log_q, log_px


def images(rows, seed):
    g = torch.Generator().manual_seed(seed)
    return (torch.rand(rows, 1, 28, 28, generator=g) < INK).float()


def conv_vae_rows(plan, label):
    """The rows of bench/conv-vae-bench.ts, with the same ids."""
    torch.manual_seed(0)
    model = ConvVAE(0)
    initial = {n: p.detach().clone() for n, p in model.state_dict().items()}
    batches = [images(BATCH, 100 + i) for i in range(4)]
    rows = []
    for k in KS:
        model.load_state_dict(initial)
        optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, eps=1e-7)
        params = list(model.parameters())
        counter = [0]

        def step():
            i = counter[0]
            counter[0] += 1
            optimizer.zero_grad(set_to_none=True)
            log_w, log_px = model.log_weights(batches[i % len(batches)], k)
            bound = torch.logsumexp(log_w, 0) - math.log(k)
            loss = -bound.mean()
            loss.backward()
            norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(p.grad) for p in params]))
            values = [loss.item(), norm.item(), log_px.mean().item()]
            if not all(math.isfinite(v) for v in values[:2]):
                raise FloatingPointError(f"step {i}: loss {values[0]}, gradient norm {values[1]}")
            optimizer.step()

        spec = {
            "id": f"conv-vae train-step k={k}",
            "group": "conv-vae",
            "label": f"conv VAE train step, k={k}",
            "unit": "steps/s",
            "params": {"k": k, "batch": BATCH, "objective": "iwae", "optimizer": "adam", "learningRate": LEARNING_RATE, "model": "models/conv-vae-mnist.ppl"},
        }
        rows.append(measure(spec, step, 1, plan, label))
    model.load_state_dict(initial)
    x = images(BATCH, 7)

    @torch.no_grad()
    def bound():
        log_w = model.log_weights(x, BOUND_K)[0]
        return (torch.logsumexp(log_w, 0) - math.log(BOUND_K)).mean().item()

    spec = {
        "id": f"conv-vae bound k={BOUND_K}",
        "group": "conv-vae",
        "label": f"conv VAE bound, k={BOUND_K}",
        "unit": "points/s",
        "params": {"k": BOUND_K, "chunk": 100, "batch": BATCH, "model": "models/conv-vae-mnist.ppl"},
    }
    rows.append(measure(spec, bound, BATCH, plan, label))
    return rows


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--name", default="pytorch")
    p.add_argument("--out", required=True)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--min-rep-seconds", type=float, default=1.0)
    p.add_argument("--budget", type=float, default=300.0)
    args = p.parse_args(argv)
    plan = argparse.Namespace(warmup=args.warmup, reps=args.reps, min_rep_seconds=args.min_rep_seconds, budget=args.budget)
    start = time.perf_counter()
    measurements = conv_vae_rows(plan, args.name)
    result = {
        "backend": args.name,
        "tfjsBackend": "none (PyTorch reference)",
        "flags": {"torch": torch.__version__, "threads": torch.get_num_threads()},
        "strataGradients": {"BatchMatMul": False, "Tile": False},
        "seconds": time.perf_counter() - start,
        "measurements": measurements,
        "profiles": [],
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main(sys.argv[1:])
