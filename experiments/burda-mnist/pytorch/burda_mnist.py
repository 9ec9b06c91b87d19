"""Burda et al. (2016) 1-layer VAE / IWAE on dynamically binarized MNIST, in plain PyTorch.

The same model, initialization, data, optimizer, schedule and evaluation as
Strata's `npm run reproduce -- burda-mnist --budget quick`, so that the two can
be compared per epoch:

- model: x 784 -> tanh 200 -> tanh 200 -> 100 = (loc, log scale) of z 50; z -> tanh 200 -> tanh 200 -> 784
  Bernoulli logits; prior N(0, I) (one-layer.ppl).
- init: Glorot uniform weights U(-a, a), a = sqrt(6 / (fan_in + fan_out)), zero biases, as Strata's
  `mlp` (src/backend/compile/parameters.ts); `--init torch` uses nn.Linear's default instead.
- data: every epoch each training pixel is redrawn ~ Bernoulli(intensity / 255); a fresh random
  permutation split into batches of 20. The test rows are the ones Strata scores, with Strata's fixed
  binarization, read from the file export-test-rows.ts writes.
- objective: VAE-k = mean of the k log-weights (KL sampled, not closed form); IWAE-k = logsumexp - log k;
  the loss is minus the mean over the batch.
- optimizer: Adam, betas (0.9, 0.999), eps 1e-4; learning rate 1e-3 * 10^(-i/7) for 3^i epochs (stage i),
  the moments kept across a rate change.
- evaluation: test NLL = -mean IWAE bound at k = 5000 with its standard error over rows; active units
  = #{u : Var_x(E_q[u | x]) > 1e-2} (population variance over the test rows).

Example:
  nice /usr/bin/python3 experiments/burda-mnist/pytorch/burda_mnist.py --configs vae-k1,iwae-k50
"""
import argparse
import gzip
import json
import math
import os
import platform
import struct
import sys
import time

import torch
import torch.nn.functional as F

X, H, Z = 784, 200, 50
ADAM = dict(betas=(0.9, 0.999), eps=1e-4)
BATCH = 20
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))


def learning_rate_at(epoch):
    """The paper's schedule: stage i has 3^i epochs at 1e-3 * 10^(-i/7)."""
    end = 0
    for i in range(8):
        end += 3 ** i
        if epoch < end:
            return 1e-3 * 10 ** (-i / 7)
    raise ValueError(f'epoch {epoch} is past the schedule')


def fail(message):
    sys.exit(f'burda_mnist.py: {message}')


def read_idx_images(path):
    if not os.path.exists(path):
        fail(f'missing file {path} (pass --data DIR, DIR holding mnist/train-images-idx3-ubyte.gz; see ../shared/data/README.md)')
    with gzip.open(path, 'rb') as f:
        raw = f.read()
    magic, n, rows, cols = struct.unpack('>IIII', raw[:16])
    if magic != 0x803:
        fail(f'{path} is not an idx3 file (magic {magic:#x})')
    return torch.frombuffer(bytearray(raw[16:]), dtype=torch.uint8).reshape(n, rows * cols)


def read_test_rows(path):
    meta_path = path[:-3] + '.json'
    for p in (path, meta_path):
        if not os.path.exists(p):
            fail(f'missing file {p}; write it with: npx vite-node experiments/burda-mnist/pytorch/export-test-rows.ts -- --budget quick')
    with open(meta_path) as f:
        meta = json.load(f)
    with open(path, 'rb') as f:
        rows = torch.frombuffer(bytearray(f.read()), dtype=torch.uint8)
    return rows.reshape(meta['rows'], meta['cols']).float(), meta


def mlp(sizes, init):
    layers = [torch.nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
    if init == 'glorot':
        for layer in layers:
            torch.nn.init.xavier_uniform_(layer.weight)  # [out, in]: the fans are the same either way round
            torch.nn.init.zeros_(layer.bias)
    return torch.nn.ModuleList(layers)


def run_mlp(layers, h):
    for i, layer in enumerate(layers):
        h = layer(h)
        if i + 1 < len(layers):
            h = torch.tanh(h)
    return h


class OneLayer(torch.nn.Module):
    def __init__(self, init):
        super().__init__()
        self.decoder = mlp([Z, H, H, X], init)
        self.encoder = mlp([X, H, H, 2 * Z], init)

    def guide(self, x):
        e = run_mlp(self.encoder, x)
        return e[..., :Z], e[..., Z:]  # loc, log scale

    def log_weights(self, x, k):
        """log p(x, z) - log q(z | x) for z ~ q, [k, batch]."""
        loc, log_scale = self.guide(x)
        eps = torch.randn((k,) + loc.shape)
        z = loc + torch.exp(log_scale) * eps
        half_log_2pi = 0.5 * math.log(2 * math.pi)
        log_q = (-0.5 * eps ** 2 - log_scale - half_log_2pi).sum(-1)
        log_prior = (-0.5 * z ** 2 - half_log_2pi).sum(-1)
        logits = run_mlp(self.decoder, z)
        log_lik = -(x * F.softplus(-logits) + (1 - x) * F.softplus(logits)).sum(-1)
        return log_prior + log_lik - log_q


def bound_of(log_w, objective):
    k = log_w.shape[0]
    return log_w.mean(0) if objective == 'vae' else torch.logsumexp(log_w, 0) - math.log(k)


def train(model, intensities, objective, k, epochs, seed, log):
    opt = torch.optim.Adam(model.parameters(), lr=learning_rate_at(0), **ADAM)
    n = intensities.shape[0]
    history = []
    for epoch in range(epochs):
        lr = learning_rate_at(epoch)
        for group in opt.param_groups:
            group['lr'] = lr
        began = time.time()
        x_all = (torch.rand(intensities.shape) < intensities).float()  # dynamic binarization
        order = torch.randperm(n)
        total, steps = 0.0, 0
        for start in range(0, n, BATCH):
            x = x_all[order[start:start + BATCH]]
            bound = bound_of(model.log_weights(x, k), objective).mean()
            opt.zero_grad(set_to_none=True)
            (-bound).backward()
            opt.step()
            total += bound.item()
            steps += 1
        history.append({'epoch': epoch + 1, 'bound': total / steps, 'learningRate': lr, 'seconds': time.time() - began})
        log(f'  epoch {epoch + 1}: bound {total / steps:.2f} at lr {lr:.2e} ({time.time() - began:.0f} s)')
    return history


@torch.no_grad()
def evaluate(model, test, eval_k, rows_per_chunk=10):
    model.eval()
    bounds = []
    for start in range(0, test.shape[0], rows_per_chunk):
        x = test[start:start + rows_per_chunk]
        bounds.append(bound_of(model.log_weights(x, eval_k).double(), 'iwae'))
    bounds = torch.cat(bounds)
    n = bounds.shape[0]
    loc, _ = model.guide(test)
    activity = loc.double().var(0, unbiased=False)
    return {
        'testNll': {'mean': -bounds.mean().item(), 'se': (bounds.std(unbiased=True) / math.sqrt(n)).item(), 'k': eval_k, 'rows': n},
        'activeUnits': {'z': {'active': int((activity > 1e-2).sum()), 'units': Z, 'threshold': 1e-2}},
        'bounds': bounds.tolist(),
    }


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo') as f:
            cpu = next(line.split(':', 1)[1].strip() for line in f if line.startswith('model name'))
    except (OSError, StopIteration):
        pass
    return {'cpu': cpu, 'cores': os.cpu_count(), 'threads': torch.get_num_threads(), 'torch': torch.__version__,
            'python': platform.python_version(), 'platform': platform.platform(), 'loadAverageStart': os.getloadavg()[0]}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', default=os.environ.get('STRATA_DATA', os.path.join(REPO, '..', 'shared', 'data')), help='the data directory holding mnist/ (default $STRATA_DATA, else ../shared/data)')
    p.add_argument('--test-rows', default=os.path.join(REPO, 'experiments', 'burda-mnist', 'runs', 'pytorch', 'test-rows-quick.u8'), help="Strata's test rows (export-test-rows.ts)")
    p.add_argument('--configs', default='vae-k1,vae-k50,iwae-k5,iwae-k50', help='comma-separated OBJECTIVE-kK (vae-k1, iwae-k50, ...), run in this order')
    p.add_argument('--epochs', type=int, default=2, help="the first N epochs of the paper's schedule (2: the quick budget)")
    p.add_argument('--eval-k', type=int, default=5000)
    p.add_argument('--init', choices=['glorot', 'torch'], default='glorot', help="glorot: as Strata; torch: nn.Linear's default")
    p.add_argument('--train-rows', type=int, help='train on the first N training images only (a smoke test)')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--out', default=os.path.join(HERE, 'results-quick.json'), help='results JSON; configurations already in it are kept')
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    train_images = read_idx_images(os.path.join(args.data, 'mnist', 'train-images-idx3-ubyte.gz'))
    intensities = train_images[:args.train_rows].float() / 255
    test, meta = read_test_rows(args.test_rows)
    results = {'configurations': []}
    if os.path.exists(args.out):
        with open(args.out) as f:
            results = json.load(f)
    log = lambda s: print(s, flush=True)
    for name in args.configs.split(','):
        objective, k = name.split('-k')
        k = int(k)
        log(f'{name} (init {args.init}, seed {args.seed}): training {args.epochs} epochs')
        torch.manual_seed(args.seed)
        model = OneLayer(args.init)
        began = time.time()
        history = train(model, intensities, objective, k, args.epochs, args.seed, log)
        train_seconds = time.time() - began
        began = time.time()
        ev = evaluate(model, test, args.eval_k)
        eval_seconds = time.time() - began
        log(f'  test NLL {ev["testNll"]["mean"]:.2f} ± {ev["testNll"]["se"]:.2f}, active units {ev["activeUnits"]["z"]["active"]}, {train_seconds:.0f} s train, {eval_seconds:.0f} s eval')
        record = {
            'name': f'1layer-{name}', 'objective': objective, 'k': k, 'init': args.init, 'seed': args.seed, 'epochs': args.epochs,
            'batchSize': BATCH, 'adam': {'beta1': 0.9, 'beta2': 0.999, 'epsilon': ADAM['eps']},
            'trainBound': {'value': history[-1]['bound'], 'epoch': args.epochs}, 'history': history,
            'testNll': {**ev['testNll'], 'ofRows': meta['ofRows'], 'testRowsFile': os.path.relpath(args.test_rows, REPO)},
            'activeUnits': ev['activeUnits'], 'wallSeconds': {'train': train_seconds, 'eval': eval_seconds}, 'machine': machine(),
        }
        bounds_path = os.path.join(os.path.dirname(args.test_rows), f'bounds-1layer-{name}-{args.init}-seed{args.seed}.json')
        with open(bounds_path, 'w') as f:
            json.dump(ev['bounds'], f)
        results['configurations'] = [c for c in results['configurations'] if (c['name'], c['init'], c['seed']) != (record['name'], args.init, args.seed)] + [record]
        results['description'] = 'PyTorch run of the burda-mnist quick budget (experiments/burda-mnist/pytorch/README.md)'
        with open(args.out, 'w') as f:
            json.dump(results, f, indent=1)
            f.write('\n')


if __name__ == '__main__':
    main()
