"""Reference values for test/inference/psis.test.ts.

A straight numpy transcription of loo's R/gpdfit.R (`gpdfit(x, wip = TRUE,
min_grid_pts = 30)`, loo >= 2.6; `min_grid_pts = 80` is loo <= 2.5) and of the
PSIS steps of loo's R/psis.R (`do_psis_i`, `psis_smooth_tail`, `n_pareto` with
r_eff = 1). Run with `python3 test/inference/psis-reference.py` (numpy only)
and paste the printed numbers into the test.
"""
import numpy as np


def lx(a, x):
    a = -a
    k = np.array([np.mean(np.log1p(ai * x)) for ai in a])
    return np.log(a / k) - k - 1


def gpdfit(x, wip=True, min_grid_pts=30):
    x = np.sort(np.asarray(x, dtype=float))
    N = len(x)
    prior = 3
    M = min_grid_pts + int(np.floor(np.sqrt(N)))
    jj = np.arange(1, M + 1)
    xstar = x[int(np.floor(N / 4 + 0.5)) - 1]  # R is 1-based
    theta = 1 / x[N - 1] + (1 - np.sqrt(M / (jj - 0.5))) / prior / xstar
    l_theta = N * lx(theta, x)
    lse = l_theta.max() + np.log(np.sum(np.exp(l_theta - l_theta.max())))
    w_theta = np.exp(l_theta - lse)
    theta_hat = np.sum(theta * w_theta)
    k = np.mean(np.log1p(-theta_hat * x))
    sigma = -k / theta_hat
    if wip:
        k = (k * N + 10 * 0.5) / (N + 10)
    return k, sigma


def qgpd(p, k, sigma):
    return sigma * ((1 - p) ** (-k) - 1) / k


def psis(log_ratios):
    log_ratios = np.asarray(log_ratios, dtype=float)
    S = len(log_ratios)
    lw = log_ratios - log_ratios.max()
    M = int(np.ceil(min(0.2 * S, 3 * np.sqrt(S))))
    order = np.argsort(lw, kind="stable")
    tail = order[S - M:]
    cutoff = lw[order[S - M - 1]]
    k, sigma = gpdfit(np.exp(lw[tail]) - np.exp(cutoff))
    p = (np.arange(1, M + 1) - 0.5) / M
    lw[tail] = np.log(qgpd(p, k, sigma) + np.exp(cutoff))
    lw[lw > 0] = 0
    lse = lw.max() + np.log(np.sum(np.exp(lw - lw.max())))
    return lw - lse, k, M


if __name__ == "__main__":
    x = [0.05, 0.13, 0.21, 0.38, 0.52, 0.77, 1.10, 1.64, 2.90, 5.30]
    for grid in (30, 80):
        for wip in (True, False):
            k, sigma = gpdfit(x, wip=wip, min_grid_pts=grid)
            print(f"gpdfit grid={grid} wip={wip}: k={float(k)!r} sigma={float(sigma)!r}")
    # S = 40 log-weights of Pareto-like weights w = (1 - u)^(-0.8), u on a permuted grid.
    S = 40
    u = (np.array([(i * 7) % S for i in range(S)]) + 0.5) / S
    lw, k, M = psis(-0.8 * np.log1p(-u))
    print(f"psis S={S}: k={float(k)!r} M={M}")
    print("log_weights=[" + ", ".join(repr(float(v)) for v in lw) + "]")
