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
# # 07 · Validation: simulated against reference values
#
# Experiment `experiments/07-validation.sh` runs `migsim validate`, which
# checks every case kept in `data/validation/`:
#
# - **analytic**: the pre-copy model of Liu et al. (HPDC 2011) and Akoush et
#   al. (MASCOTS 2010), round i sends `M·λ^i`, under the `hyperv-2008r2`,
#   `qemu` and `xen-legacy` stop rules; the expected bytes and rounds are
#   computed from the formulas, not by the simulator; tolerance 1e-9;
# - **published**: downtimes measured by Clark et al. (NSDI 2005: Quake 3,
#   SPECweb99, MMuncher), Hyper-V quick migration (seed 002) and VMM 2008 R2
#   Quick Storage Migration (seed 000); tolerance ±25 %. Rounds and bytes sent
#   are reported next to the published ones where the paper gives them.
#
# Input: `$MIGSIM_RESULTS_07`, default `results/07-validation`
# (`validation.csv`). Figures go to `$MIGSIM_FIGURES`, default
# `notebooks-export/figures`.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from migsim_notebook import *  # shared: paths, save(), styles (notebooks-export/migsim_notebook.py)

EXPERIMENT = "07-validation"
DATA, FIGURES = setup(EXPERIMENT, "07")

path = DATA / "validation.csv"
if not path.is_file():
    raise FileNotFoundError(f"{shown(path)} is missing: run experiments/{EXPERIMENT}.sh first")
v = pd.read_csv(path)
v["passed"] = v.passed.astype(bool)
print(f"input: {shown(path)}: {len(v)} checked figures, {int(v.passed.sum())} within tolerance")

# %% [markdown]
# Every checked figure (relative error = |simulated − reference| / reference):

# %%
v[["group", "case", "metric", "reference", "simulated", "relative_error", "tolerance", "passed", "note"]]

# %% [markdown]
# ## Published measurements
# Simulated downtime against the published value, with the ±tolerance band
# (log scale: the cases span 50 ms to two minutes).

# %%
pub = v[v.group == "published"].reset_index(drop=True)
fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [1.1, 1]})
lo = min(pub.reference.min(), pub.simulated.min()) / 2
hi = max(pub.reference.max(), pub.simulated.max()) * 2
line = np.geomspace(lo, hi, 50)
tol = float(pub.tolerance.max())
ax.fill_between(line, line * (1 - tol), line * (1 + tol), color="0.85", label=f"±{tol:.0%}")
ax.plot(line, line, color="0.4", lw=1, label="simulated = reference")
for i, r in pub.iterrows():
    ax.scatter(r.reference, r.simulated, color=plt.cm.tab10(i), zorder=3, label=r["case"],
               marker="o" if r.passed else "x")
ax.set(xscale="log", yscale="log", xlim=(lo, hi), ylim=(lo, hi), xlabel="published downtime (s)",
       ylabel="simulated downtime (s)", title="Downtime: migsim against published measurements")
ax.legend(loc="upper left")
signed = (pub.simulated - pub.reference) / pub.reference
bx.barh(pub["case"], signed * 100, color=[plt.cm.tab10(i) for i in range(len(pub))])
for t in (-tol, tol):
    bx.axvline(t * 100, color="tab:red", ls="--", lw=1)
bx.axvline(0, color="0.4", lw=1)
bx.invert_yaxis()
bx.set(xlabel="simulated − published (% of published)", title="Relative error and tolerance")
fig.tight_layout()
save(fig, "validation_published")

# %% [markdown]
# Rounds and bytes sent where the paper reports them (not judged: the papers
# give them as approximate figures of one run):

# %%
pub[["case", "rounds", "reference_rounds", "bytes_sent", "reference_bytes"]].assign(
    mb_sent=lambda d: d.bytes_sent / 1e6, reference_mb=lambda d: d.reference_bytes / 1e6
).drop(columns=["bytes_sent", "reference_bytes"])

# %% [markdown]
# ## Analytic pre-copy model
# Bytes sent by the mean-field fidelity against `M(1 − λ^(n+1))/(1 − λ)`, with
# n from each policy's stop rule; the right panel shows the relative error
# against the 1e-9 tolerance.

# %%
ana = v[(v.group == "analytic") & (v.metric == "bytes_sent")].reset_index(drop=True)
policy = ana["case"].str.split("-").str[0].map({"hv": "hyperv-2008r2", "qemu": "qemu", "xen": "xen-legacy"})
fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.2))
gb = 1024 ** 3
line = np.geomspace(ana.reference.min() / gb / 1.5, ana.reference.max() / gb * 1.5, 20)
ax.plot(line, line, color="0.4", lw=1, label="simulated = analytic")
for p in dict.fromkeys(policy):
    sel = policy == p
    ax.scatter(ana.reference[sel] / gb, ana.simulated[sel] / gb, label=p, color=STYLE[p]["color"],
               marker=STYLE[p]["marker"], zorder=3)
ax.set(xscale="log", yscale="log", xlabel="analytic total sent (GiB)", ylabel="simulated total sent (GiB)",
       title="Pre-copy bytes: migsim against the closed form")
ax.legend()
floor = 1e-17  # an exact match would vanish from a log axis
bx.scatter(range(len(ana)), np.maximum(ana.relative_error, floor),
           color=[STYLE[p]["color"] for p in policy], zorder=3)
bx.axhline(float(ana.tolerance.max()), color="tab:red", ls="--", lw=1, label="tolerance 1e-9")
bx.set_xticks(range(len(ana)), ana["case"], rotation=60, ha="right", fontsize=7)
bx.set(yscale="log", ylim=(floor / 2, 1e-6), ylabel="relative error (floored at 1e-17)",
       title="Relative error per case")
bx.legend()
fig.tight_layout()
save(fig, "validation_analytic")
