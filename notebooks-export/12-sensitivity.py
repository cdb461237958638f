# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 12 · Sensitivity of the headline comparison
#
# Which model parameters do live, quick and storage migration of the built-in
# drain (40 VMs off host 0) depend on? `experiments/12-sensitivity.sh` runs
# two sampled sweeps over 14 parameters, with ranges that are migsim's
# assumption (see the spec files):
#
# - **Variance-based (Sobol)**: Saltelli's design over the ranges
#   (`12-sensitivity.yaml`). `migsim sweep sensitivity` estimates each
#   parameter's first-order index S1 (the share of the output variance it
#   causes alone) and total index ST (alone and with every interaction)
#   (Saltelli et al. 2010, table 2).
# - **One-at-a-time (OAT)**: each parameter alone at 5 levels, with the others
#   at the middle of their ranges (`12-sensitivity-oat.yaml`).
#
# Outputs: mean downtime and drain time (`makespan_s`) per kind.
#
# Input: `$MIGSIM_RESULTS_12`, default `results/12-sensitivity`
# (`sobol/sensitivity.csv`, `oat/sensitivity.csv`).

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from migsim_notebook import *  # shared: paths, save(), styles (notebooks-export/migsim_notebook.py)

EXPERIMENT = "12-sensitivity"
DATA, FIGURES = setup(EXPERIMENT, "12")
for part in ("sobol", "oat"):
    if not (DATA / part / "sensitivity.csv").is_file():
        raise FileNotFoundError(f"{shown(DATA / part / 'sensitivity.csv')} is missing: run experiments/{EXPERIMENT}.sh first")
sobol = pd.read_csv(DATA / "sobol" / "sensitivity.csv")
oat = pd.read_csv(DATA / "oat" / "sensitivity.csv")
KINDS = [k for k in ("live", "quick", "storage") if k in set(sobol.kind)]
FIGS = {"downtime_mean_s": "mean downtime", "makespan_s": "drain time (makespan)"}
print(f"input: {len(sobol)} Sobol rows from {int(sobol.points.max())} base points; {len(oat)} OAT rows")

# %% [markdown]
# ## Sobol indices
# Each bar is one parameter: S1 (dark) and ST (light). Parameters are sorted
# by ST for each panel. An index near 0 means the figure does not depend on
# that parameter over its range. ST much larger than S1 means the parameter
# acts through interactions. For live migration these are large: whether
# pre-copy converges depends on dirty rate, working set and link together.
# With heavy-tailed outputs and a finite sample, estimates can fall below 0
# or rise above 1. Read them as ranks, not exact shares.

# %%
fig, axes = plt.subplots(len(FIGS), len(KINDS), figsize=(4.2 * len(KINDS), 4.6 * len(FIGS)), squeeze=False)
for r, (figure, label) in enumerate(FIGS.items()):
    for c, kind in enumerate(KINDS):
        ax = axes[r][c]
        d = sobol[(sobol.kind == kind) & (sobol.figure == figure)].sort_values("st", ascending=True)
        y = np.arange(len(d))
        ax.barh(y + 0.2, d.st.clip(-0.1, 2), height=0.4, color="tab:blue", alpha=0.45, label="ST (total)")
        ax.barh(y - 0.2, d.s1.clip(-0.1, 2), height=0.4, color="tab:blue", label="S1 (first order)")
        ax.set_yticks(y, d.parameter.str.replace("cluster.", "").str.replace("migration.", "").str.replace("vms.", ""), fontsize=7)
        ax.axvline(0, color="0.3", lw=0.8)
        ax.set(title=f"{kind}: {label}", xlabel="index (clipped to [-0.1, 2])")
        if r == 0 and c == 0:
            ax.legend(fontsize=7, loc="lower right")
fig.tight_layout()
save(fig, "sensitivity_sobol")

# %% [markdown]
# The five parameters with the largest total index, per kind and figure:

# %%
top = (sobol[sobol.figure.isin(FIGS)].sort_values("st", ascending=False).groupby(["kind", "figure"], sort=False).head(5)
       .sort_values(["kind", "figure", "st"], ascending=[True, True, False]))
top[["kind", "figure", "parameter", "s1", "st"]].round(3)

# %% [markdown]
# ## One at a time
# Each parameter alone from the low to the high end of its range, with the
# others at their middle. The bars show the figure at the low end (left
# marker) and at the high end (right marker), on a log axis.

# %%
fig, axes = plt.subplots(len(FIGS), len(KINDS), figsize=(4.2 * len(KINDS), 4.6 * len(FIGS)), squeeze=False)
for r, (figure, label) in enumerate(FIGS.items()):
    for c, kind in enumerate(KINDS):
        ax = axes[r][c]
        d = oat[(oat.kind == kind) & (oat.figure == figure)].sort_values("range", ascending=True)
        y = np.arange(len(d))
        lo, hi = d.at_low.to_numpy(), d.at_high.to_numpy()
        ax.hlines(y, np.minimum(lo, hi), np.maximum(lo, hi), color="0.6", lw=3)
        ax.scatter(lo, y, marker="<", color="tab:orange", label="low end", zorder=3)
        ax.scatter(hi, y, marker=">", color="tab:green", label="high end", zorder=3)
        ax.set_yticks(y, d.parameter.str.replace("cluster.", "").str.replace("migration.", "").str.replace("vms.", ""), fontsize=7)
        positive = np.concatenate([lo, hi])
        if (positive > 0).all():
            ax.set_xscale("log")
        ax.set(title=f"{kind}: {label}", xlabel=f"{label} (s)")
        if r == 0 and c == 0:
            ax.legend(fontsize=7, loc="lower right")
fig.tight_layout()
save(fig, "sensitivity_oat")

# %%
oat[oat.figure.isin(FIGS)][["kind", "figure", "parameter", "at_low", "at_high", "range"]].round(4)
