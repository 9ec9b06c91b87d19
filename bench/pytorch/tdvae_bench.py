#!/usr/bin/env python3
"""PyTorch reference for `npm run bench`: the benchmark TDVAE, written by hand.

The same workload as the Strata rows (bench/train-step-bench.ts,
bench/bound-bench.ts, bench/matmul-bench.ts), so the two can be compared
like for like on one machine:

- ``models/tdvae-bench.ppl``: x real[400]; guide encoder
  h = softplus(mlp(400 -> 512 -> 512, softplus)(x)) once per batch;
  q(z2|x) = Normal(loc, softplus(.) + 1e-3) from linear(512 -> 40);
  l_z = softplus(linear(20 -> 512)(z2)); q(z1|x,z2) = Laplace from
  linear(1024 -> 900)(concat(h, l_z)); p(z2) = Normal(0, 1); p(z1|z2) =
  Laplace from mlp(20 -> 512 -> 900, softplus); p(x|z1) =
  Normal(linear(450 -> 400)(z1), 0.4).
- Glorot-uniform weights, zero biases; Laplace noise u ~ U(-1/2, 1/2)
  clamped to 1/2 - 1e-6, z = loc - scale sign(u) log1p(-2|u|); log q(z2|x)
  from the standardized noise eps = (z2 - loc) / scale, as a PyTorch user
  would write it (the same value in exact arithmetic).
- A training step: IWAE-k loss -mean_b log (1/k) sum_i w_bi (Burda et al.
  2016), gradients, their global norm, the per-latent means of
  log p - log q, read back as Python floats and checked for NaN, then Adam
  (lr 1e-4, betas 0.9/0.999, eps 1e-7 as tfjs's) -- what Strata's trainStep
  does.
- The bound: the IWAE-k estimate for 100 points, streamed in chunks of
  samples with a running logsumexp, under ``torch.no_grad()``.

``--split-head`` computes ``head_z1(concat(h, l_z))`` as ``h W_h + l_z W_z``
with ``h W_h`` once per batch, which Strata's compiler does on its own; the
default is the concat a PyTorch user writes.

It writes one JSON object shaped like bench/worker.ts's BackendRun, so
`npm run bench` prints it as one more column. It is not a dependency of
Strata: it needs Python 3 and PyTorch (on Debian: python3-torch, with
libopenblas0-pthread as the BLAS).
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

X, Z1, Z2, H = 400, 450, 20, 512
BATCH = 100
LEARNING_RATE = 1e-4
BATCHES = 4
PATCH_STD = 0.3
HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)
LAPLACE_DELTA = 1e-6


def summarize(samples):
    ordered = sorted(samples)
    n = len(ordered)
    median = ordered[n // 2] if n % 2 == 1 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    return {"min": ordered[0], "median": median, "max": ordered[-1], "samples": list(samples)}


def repeat_timed(call, work_per_call, plan, warm=None):
    """bench/repeat.ts's harness: warm up, size repetitions, time them (wall and CPU)."""
    if warm is not None:
        warmup = [warm()]
    else:
        warmup = []
        for _ in range(max(1, plan.warmup)):
            start = time.perf_counter()
            call()
            warmup.append(time.perf_counter() - start)
            if sum(warmup) > plan.budget / 4:
                break
    estimate = warmup[-1]
    if estimate > plan.budget:
        return {
            "kind": "skipped",
            "reason": f"one call takes ~{estimate:.3g} s, over the {plan.budget} s budget per row (raise --budget to run it)",
            "estimatedSecondsPerCall": estimate,
        }
    calls = max(1, math.ceil(plan.min_rep_seconds / max(estimate, 1e-6)))
    rates, per_call, cpu_per_call, cpu_per_wall = [], [], [], []
    spent = 0.0
    while len(rates) < plan.reps and (not rates or spent + calls * estimate <= plan.budget):
        cpu_start = time.process_time()
        start = time.perf_counter()
        for _ in range(calls):
            call()
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        rates.append(work_per_call * calls / wall)
        per_call.append(wall / calls)
        cpu_per_call.append(cpu / calls)
        cpu_per_wall.append(cpu / wall)
        spent += wall
    return {
        "kind": "measured",
        "rate": summarize(rates),
        "secondsPerCall": summarize(per_call),
        "cpuSecondsPerCall": summarize(cpu_per_call),
        "cpuPerWall": summarize(cpu_per_wall),
        "reps": len(rates),
        "callsPerRep": calls,
        "warmupSeconds": warmup,
        "budgetCut": len(rates) < plan.reps,
        "tensorLeak": 0,
    }


def measure(spec, call, work_per_call, plan, label, warm=None):
    print(f"[{label}] {spec['label']} ...", file=sys.stderr, flush=True)
    timing = repeat_timed(call, work_per_call, plan, warm)
    if timing["kind"] == "measured":
        print(
            f"[{label}] {spec['label']}: median {timing['rate']['median']:.3g} {spec['unit']} "
            f"({timing['reps']} reps x {timing['callsPerRep']} calls, {timing['secondsPerCall']['median'] * 1000:.3g} ms/call)",
            file=sys.stderr,
            flush=True,
        )
    else:
        print(f"[{label}] {spec['label']}: skipped, {timing['reason']}", file=sys.stderr, flush=True)
    return {**spec, "timing": timing}


def glorot_linear(fan_in, fan_out, generator):
    layer = torch.nn.Linear(fan_in, fan_out)
    limit = math.sqrt(6 / (fan_in + fan_out))
    with torch.no_grad():
        layer.weight.uniform_(-limit, limit, generator=generator)
        layer.bias.zero_()
    return layer


class TDVAE(torch.nn.Module):
    """models/tdvae-bench.ppl with its guide `topdown`."""

    def __init__(self, seed, split_head):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.prior_z1_1 = glorot_linear(Z2, H, g)
        self.prior_z1_2 = glorot_linear(H, 2 * Z1, g)
        self.decoder = glorot_linear(Z1, X, g)
        self.encoder_1 = glorot_linear(X, H, g)
        self.encoder_2 = glorot_linear(H, H, g)
        self.head_z2 = glorot_linear(H, 2 * Z2, g)
        self.lift_z2 = glorot_linear(Z2, H, g)
        self.head_z1 = glorot_linear(2 * H, 2 * Z1, g)
        self.split_head = split_head

    def log_weights(self, x, k, given=None, detach_guide=False):
        """log w [k, batch] and the per-latent log p - log q and log p(x|z1), all [k, batch].

        ``detach_guide``: score log q with the guide's parameters detached but the samples live
        (sticking the landing / DReG, as Strata's trace does: q(z1 | x, z2) is recomputed from the
        live z2 with detached weights).

        ``given``: optional {"z2": [k, batch, 20], "z1": [k, batch, 450]} used
        instead of the guide's samples (to compare densities with Strata's
        on the same latents).
        """
        batch = x.shape[0]
        h = F.softplus(self.encoder_2(F.softplus(self.encoder_1(x))))
        q2 = self.head_z2(h)
        loc2, scale2 = q2[:, :Z2], F.softplus(q2[:, Z2:]) + 1e-3
        # Standardized noise: z2 = loc + scale * eps, so (z2 - loc) / scale is eps itself.
        eps = torch.randn(k, batch, Z2) if given is None else (given["z2"] - loc2) / scale2
        z2 = loc2 + scale2 * eps if given is None else given["z2"]
        if detach_guide:
            loc2d, scale2d = loc2.detach(), scale2.detach()
            log_q2 = (-0.5 * ((z2 - loc2d) / scale2d).square() - scale2d.log() - HALF_LOG_TWO_PI).sum(-1)
        else:
            log_q2 = (-0.5 * eps.square() - scale2.log() - HALF_LOG_TWO_PI).sum(-1)
        lz = F.softplus(self.lift_z2(z2))
        if self.split_head:
            w = self.head_z1.weight
            q1 = F.linear(h, w[:, :H], self.head_z1.bias) + F.linear(lz, w[:, H:])
        else:
            q1 = self.head_z1(torch.cat([h.expand(k, batch, H), lz], -1))
        loc1, scale1 = q1[..., :Z1], F.softplus(q1[..., Z1:]) + 1e-3
        if given is None:
            u = (torch.rand(k, batch, Z1) - 0.5).clamp(-0.5 + LAPLACE_DELTA, 0.5 - LAPLACE_DELTA)
            z1 = loc1 - scale1 * u.sign() * torch.log1p(-2 * u.abs())
        else:
            z1 = given["z1"]
        if detach_guide:
            hd = h.detach()
            lzd = F.softplus(F.linear(z2, self.lift_z2.weight.detach(), self.lift_z2.bias.detach()))
            w, b = self.head_z1.weight.detach(), self.head_z1.bias.detach()
            q1d = F.linear(hd, w[:, :H], b) + F.linear(lzd, w[:, H:])
            loc1, scale1 = q1d[..., :Z1], F.softplus(q1d[..., Z1:]) + 1e-3
        log_q1 = (-(z1 - loc1).abs() / scale1 - (2 * scale1).log()).sum(-1)
        log_p2 = (-0.5 * z2.square() - HALF_LOG_TWO_PI).sum(-1)
        p = self.prior_z1_2(F.softplus(self.prior_z1_1(z2)))
        ploc, pscale = p[..., :Z1], F.softplus(p[..., Z1:]) + 1e-3
        log_p1 = (-(z1 - ploc).abs() / pscale - (2 * pscale).log()).sum(-1)
        mean = self.decoder(z1)
        log_px = (-0.5 * ((x - mean) / 0.4).square() - (math.log(0.4) + HALF_LOG_TWO_PI)).sum(-1)
        log_w = log_px + log_p2 - log_q2 + log_p1 - log_q1
        return log_w, {"z2": log_p2 - log_q2, "z1": log_p1 - log_q1}, log_px


def iwae_bound(log_w):
    """log (1/k) sum_i w_i per data point: [batch]."""
    return torch.logsumexp(log_w, 0) - math.log(log_w.shape[0])


def patches(rows, seed):
    return torch.randn(rows, X, generator=torch.Generator().manual_seed(seed)) * PATCH_STD


def train_rows(model, ks, plan, label, foreach):
    initial = {n: p.detach().clone() for n, p in model.state_dict().items()}
    batches = [patches(BATCH, 100 + i) for i in range(BATCHES)]
    rows = []
    for k in ks:
        model.load_state_dict(initial)
        optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, eps=1e-7, foreach=foreach)
        params = list(model.parameters())
        counter = [0]

        def step():
            i = counter[0]
            counter[0] += 1
            optimizer.zero_grad(set_to_none=True)
            log_w, terms, log_px = model.log_weights(batches[i % BATCHES], k)
            bound = iwae_bound(log_w)
            loss = -bound.mean()
            loss.backward()
            norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(p.grad) for p in params]))
            values = [loss.item(), norm.item(), bound.mean().item(), log_px.mean().item()] + [t.mean().item() for t in terms.values()]
            if not all(math.isfinite(v) for v in values[:2]):
                raise FloatingPointError(f"step {i}: loss {values[0]}, gradient norm {values[1]}")
            optimizer.step()

        spec = {
            "id": f"train-step k={k}",
            "group": "train-step",
            "label": f"train step, k={k}",
            "unit": "steps/s",
            "params": {"k": k, "batch": BATCH, "objective": "iwae", "optimizer": "adam", "learningRate": LEARNING_RATE},
        }
        rows.append(measure(spec, step, 1, plan, label))
    model.load_state_dict(initial)
    return rows


GUIDE_LAYERS = ("encoder_1", "encoder_2", "head_z2", "lift_z2", "head_z1")


def objective_rows(model, plan, label, foreach):
    """Rows 'objective iwae k=10 dreg', 'objective piwae 2x5 reparam|dreg' (bench/train-step-bench.ts):
    one forward, then one backward per parameter group with torch.autograd.grad, two Adams for PIWAE."""
    initial = {n: p.detach().clone() for n, p in model.state_dict().items()}
    batches = [patches(BATCH, 100 + i) for i in range(BATCHES)]
    guide = [p for n, p in model.named_parameters() if n.split(".")[0] in GUIDE_LAYERS]
    gen = [p for n, p in model.named_parameters() if n.split(".")[0] not in GUIDE_LAYERS]
    rows = []
    for name, m, k, estimator in (("iwae", 1, 10, "dreg"), ("piwae", 2, 5, "reparam"), ("piwae", 2, 5, "dreg")):
        model.load_state_dict(initial)
        optimizers = [torch.optim.Adam(gen, lr=LEARNING_RATE, eps=1e-7, foreach=foreach), torch.optim.Adam(guide, lr=LEARNING_RATE, eps=1e-7, foreach=foreach)]
        counter = [0]

        def step(m=m, k=k, estimator=estimator, optimizers=optimizers):
            i = counter[0]
            counter[0] += 1
            log_w, terms, log_px = model.log_weights(batches[i % BATCHES], m * k, detach_guide=estimator == "dreg")
            bound = iwae_bound(log_w)
            model_loss = -bound.mean()
            grouped = log_w.reshape(m, k, -1)
            if estimator == "dreg":
                w = torch.softmax(grouped, 1).detach()
                guide_loss = -(w.square() * grouped).sum(1).mean(0).mean()
            else:
                guide_loss = -(torch.logsumexp(grouped, 1) - math.log(k)).mean(0).mean()
            g_model = torch.autograd.grad(model_loss, gen, retain_graph=True)
            g_guide = torch.autograd.grad(guide_loss, guide)
            for p, g in zip(gen + guide, list(g_model) + list(g_guide)):
                p.grad = g
            norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(p.grad) for p in gen + guide]))
            values = [model_loss.item(), norm.item(), bound.mean().item(), log_px.mean().item()] + [t.mean().item() for t in terms.values()]
            if not all(math.isfinite(v) for v in values[:2]):
                raise FloatingPointError(f"step {i}: loss {values[0]}, gradient norm {values[1]}")
            for o in optimizers:
                o.step()

        shape = f"k={k}" if m == 1 else f"{m}x{k}"
        spec = {
            "id": f"objective {name} {shape} {estimator}",
            "group": "objective",
            "label": f"train step, {name} {shape} {estimator}",
            "unit": "steps/s",
            "params": {"k": k, "batch": BATCH, "objective": name, "estimator": estimator, **({"m": m} if m > 1 else {}), "optimizer": "adam", "learningRate": LEARNING_RATE},
        }
        rows.append(measure(spec, step, 1, plan, label))
    model.load_state_dict(initial)
    return rows


def bound_row(model, k, chunk, plan, label):
    x = patches(BATCH, 7)
    size = min(chunk, k)

    @torch.no_grad()
    def bound(k_total, chunk_size):
        running = None
        done = 0
        while done < k_total:
            n = min(chunk_size, k_total - done)
            lse = torch.logsumexp(model.log_weights(x, n)[0], 0)
            running = lse if running is None else torch.logaddexp(running, lse)
            done += n
        return (running - math.log(k_total)).mean().item()

    def warm():
        start = time.perf_counter()
        bound(size, size)
        return (time.perf_counter() - start) * math.ceil(k / size)

    spec = {
        "id": f"bound k={k}",
        "group": "bound",
        "label": f"bound, k={k} in chunks of {chunk}",
        "unit": "points/s",
        "params": {"k": k, "chunk": chunk, "batch": BATCH},
    }
    return measure(spec, lambda: bound(k, chunk), BATCH, plan, label, warm=warm)


FULL_SHAPES = [(1024, 1024, 1024, False, False), (5000, 450, 400, False, False), (1024, 1024, 1024, False, True), (1024, 1024, 1024, True, False)]
QUICK_SHAPES = [(1024, 1024, 1024, False, False), (5000, 450, 400, False, False), (512, 512, 512, False, True)]


def describe(m, k, n, ta, tb):
    a = f"[{k}x{m}]ᵀ" if ta else f"[{m}x{k}]"
    b = f"[{n}x{k}]ᵀ" if tb else f"[{k}x{n}]"
    return f"{a}·{b}"


def matmul_rows(shapes, plan, label):
    rows = []
    g = torch.Generator().manual_seed(1)
    for m, k, n, ta, tb in shapes:
        a = torch.randn(*((k, m) if ta else (m, k)), generator=g)
        b = torch.randn(*((n, k) if tb else (k, n)), generator=g)
        a_op, b_op = (a.t() if ta else a), (b.t() if tb else b)

        def call():
            c = a_op @ b_op
            float(c[0, 0])

        name = describe(m, k, n, ta, tb)
        spec = {
            "id": f"matmul {name}",
            "group": "matmul",
            "label": f"matmul {name}",
            "unit": "GFLOP/s",
            "params": {"m": m, "k": k, "n": n, "transposeA": ta, "transposeB": tb},
        }
        rows.append(measure(spec, call, 2 * m * n * k / 1e9, plan, label))
    return rows


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--name", default="pytorch", help="column name in the report")
    p.add_argument("--out", required=True, help="JSON result file")
    p.add_argument("--k", default="1,10,50")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--min-rep-seconds", type=float, default=1.0)
    p.add_argument("--budget", type=float, default=300.0)
    p.add_argument("--bound-k", type=int, default=5000)
    p.add_argument("--chunk", type=int, default=100)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: PyTorch's default)")
    p.add_argument("--split-head", action="store_true", help="head_z1 split over concat(h, l_z), as Strata compiles it")
    p.add_argument("--flush-denormal", action="store_true", help="torch.set_flush_denormal(True): denormal floats become 0")
    p.add_argument("--adam-foreach", action="store_true", help="Adam(foreach=True): the multi-tensor update")
    p.add_argument(
        "--conv",
        choices=["on", "off", "only"],
        default="off",
        help="the conv VAE rows of conv_vae_bench.py too, not at all, or only them (not with --split-head, which is about the TDVAE)",
    )
    p.add_argument("--objectives", choices=["on", "off"], default="off", help="also the DReG and PIWAE training-step rows")
    p.add_argument(
        "--log-weights",
        metavar="DIR",
        help="instead of timing: load Strata's parameters from DIR/NAME.npy, the data from DIR/x.npy and, "
        "if present, the latents DIR/z2.npy and DIR/z1.npy [k, batch, d] (else sample them); write the "
        "log-weights [k, batch] to --out as .npy (checks that this model is Strata's)",
    )
    return p.parse_args(argv)


def load_strata_parameters(model, directory):
    """Strata stores a dense layer's weight as [in, out] under NET.weight or NET.I.weight; torch as [out, in]."""
    import numpy as np

    layers = {
        "prior_z1.0": model.prior_z1_1, "prior_z1.1": model.prior_z1_2, "decoder": model.decoder,
        "encoder.0": model.encoder_1, "encoder.1": model.encoder_2, "head_z2": model.head_z2,
        "lift_z2": model.lift_z2, "head_z1": model.head_z1,
    }
    with torch.no_grad():
        for name, layer in layers.items():
            layer.weight.copy_(torch.from_numpy(np.load(os.path.join(directory, f"{name}.weight.npy"))).t())
            layer.bias.copy_(torch.from_numpy(np.load(os.path.join(directory, f"{name}.bias.npy"))))


def write_log_weights(args):
    import numpy as np

    model = TDVAE(0, args.split_head)
    load_strata_parameters(model, args.log_weights)
    load = lambda name: torch.from_numpy(np.load(os.path.join(args.log_weights, f"{name}.npy")))
    x = load("x")
    has_latents = all(os.path.exists(os.path.join(args.log_weights, f"{n}.npy")) for n in ("z2", "z1"))
    given = {"z2": load("z2"), "z1": load("z1")} if has_latents else None
    with torch.no_grad():
        log_w = model.log_weights(x, int(args.k), given)[0]
    np.save(args.out, log_w.numpy())


def loaded_blas():
    """The BLAS libraries this process has mapped (Linux), e.g. Debian's openblas-pthread libblas.so.3."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1].lower()}
        return ", ".join(sorted(paths)) or "none found"
    except OSError:
        return "unknown (no /proc/self/maps)"


def main(argv):
    args = parse_args(argv)
    if args.log_weights is not None:
        torch.manual_seed(0)
        write_log_weights(args)
        return
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    if args.flush_denormal and not torch.set_flush_denormal(True):
        raise SystemExit("--flush-denormal: this CPU cannot flush denormals")
    plan = argparse.Namespace(warmup=args.warmup, reps=args.reps, min_rep_seconds=args.min_rep_seconds, budget=args.budget)
    start = time.perf_counter()
    torch.manual_seed(0)
    measurements = []
    if args.conv != "only":
        measurements += matmul_rows(QUICK_SHAPES if args.quick else FULL_SHAPES, plan, args.name)
        model = TDVAE(0, args.split_head)
        measurements += train_rows(model, [int(k) for k in args.k.split(",")], plan, args.name, args.adam_foreach or None)
        if args.objectives == "on":
            measurements += objective_rows(model, plan, args.name, args.adam_foreach or None)
        measurements.append(bound_row(model, args.bound_k, args.chunk, plan, args.name))
    if args.conv != "off" and not args.split_head:
        from conv_vae_bench import conv_vae_rows

        measurements += conv_vae_rows(plan, args.name)
    config = torch.__config__.show()
    blas = next((line.split("BLAS_INFO=")[1].split(",")[0] for line in config.splitlines() if "BLAS_INFO=" in line), "unknown")
    result = {
        "backend": args.name,
        "tfjsBackend": "none (PyTorch reference)",
        "flags": {
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "blas": blas,
            "blasLoaded": loaded_blas(),
            "splitHead": args.split_head,
            "flushDenormal": args.flush_denormal,
            "adamForeach": args.adam_foreach,
            "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", ""),
        },
        "strataGradients": {"BatchMatMul": False, "Tile": False},
        "seconds": time.perf_counter() - start,
        "measurements": measurements,
        "profiles": [],
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main(sys.argv[1:])
