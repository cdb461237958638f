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
# # 12 · Which model parameters do quick, live and storage migration depend on?
#
# Experiment `experiments/12-sensitivity.sh` (spec
# `experiments/12-sensitivity.yaml`): the built-in drain of `migsim run` (40
# VMs of 2, 4 and 8 GiB off host 0 of 8, kinds live, quick and storage) with 20
# model parameters sampled over ranges around their defaults (the ranges are
# migsim's assumption; the spec lists them). Two designs, both analysed by
# `migsim sweep sensitivity`:
#
# - **Sobol indices** from Saltelli's design (Saltelli et al. 2010, Computer
#   Physics Communications 181(2):259-270): N = 256 rows of a Sobol sequence,
#   N (k + 2) = 5,632 runs. S1 (first order, Table 2 (b)) is the share of the
#   output's variance due to the parameter alone; ST (total, Jansen, Table 2
#   (f)) adds its interactions. Bars show the bootstrap 95 % intervals.
# - **One at a time** (OAT): each parameter at 5 levels over its range, every
#   other at its default: 101 runs.
#
# Outputs per kind, from `summary.csv`: mean downtime (`downtime_mean_s`) and
# drain time (`makespan_s`, first request to last end).
#
# Input: `$MIGSIM_RESULTS_12`, default `results/12-sensitivity`. Figures go to
# `$MIGSIM_FIGURES`, default `notebooks-export/figures`.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from migsim_notebook import *  # shared: paths, save(), styles (notebooks-export/migsim_notebook.py)

EXPERIMENT = "12-sensitivity"
DATA, FIGURES = setup(EXPERIMENT, "12")


def table(design: str) -> pd.DataFrame:
    path = DATA / design / "sensitivity.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run experiments/{EXPERIMENT}.sh first")
    return pd.read_csv(path)


sobol, oat = table("saltelli"), table("oat")
KINDS = [k for k in ["live", "quick", "storage"] if k in set(sobol.kind)]
FIGURES_SHOWN = {"downtime_mean_s": "mean downtime", "makespan_s": "drain time (makespan)"}
rows = sobol[sobol.figure.isin(FIGURES_SHOWN)]
n = int(rows.n.max())
print(f"input: {shown(DATA)}: Saltelli N = {n}, {sobol.parameter.nunique()} parameters, kinds {', '.join(KINDS)}; "
      f"OAT {len(pd.read_csv(DATA / 'oat' / 'runs.csv'))} runs")

# Parameters in one order for every panel: by their largest total index over the panels shown.
ORDER = rows.groupby("parameter").st.max().sort_values(ascending=True).index.tolist()

# %% [markdown]
# ## Sobol indices per kind
# Each panel is one output of one kind. A parameter with ST near 0 can be fixed
# anywhere in its range without changing that output; ST well above S1 means
# the parameter acts through interactions (e.g. the dirty rate matters more on
# a slow NIC). Indices of a near-constant output are noisy; the intervals say
# how much.

# %%
fig, axes = plt.subplots(len(FIGURES_SHOWN), len(KINDS), figsize=(5.2 * len(KINDS), 0.32 * len(ORDER) * len(FIGURES_SHOWN) + 1.5),
                         sharey=True, squeeze=False)
y = np.arange(len(ORDER))
for r, (figure, label) in enumerate(FIGURES_SHOWN.items()):
    for c, kind in enumerate(KINDS):
        ax = axes[r][c]
        d = rows[(rows.kind == kind) & (rows.figure == figure)].set_index("parameter").reindex(ORDER)
        for off, col, name, colour in [(-0.2, "s1", "S1 (first order)", "tab:blue"), (0.2, "st", "ST (total)", "tab:orange")]:
            lo = (d[col] - d[f"{col}_ci_low"]).clip(lower=0).fillna(0)
            hi = (d[f"{col}_ci_high"] - d[col]).clip(lower=0).fillna(0)
            ax.barh(y + off, d[col].fillna(0), 0.4, xerr=[lo, hi], color=colour, label=name, error_kw=dict(lw=0.7, capsize=1.5))
        ax.axvline(0, color="black", lw=0.6)
        ax.set_xlim(-0.1, 1.1)
        ax.set_title(f"{kind}: {label}")
        if c == 0:
            ax.set_yticks(y)
            ax.set_yticklabels(ORDER, fontsize=8)
        if r == len(FIGURES_SHOWN) - 1:
            ax.set_xlabel("Sobol index")
axes[0][0].legend(loc="lower right")
fig.suptitle(f"Sobol indices of the built-in drain (Saltelli design, N = {n}, bootstrap 95 % intervals)", fontsize=11)
fig.tight_layout()
save(fig, "sensitivity_sobol")

# %% [markdown]
# ## One at a time: the output over each parameter's range
# Each bar spans the output from the parameter's lowest to highest level,
# relative to the default scenario (1 = no change; log scale), with the others
# at their defaults. Open circles: the lowest level; filled: the highest. A bar
# that does not reach 1 means the default lies outside the sampled range (the
# dirty rate, hot set and write share replace the profiles' own values).

# %%
oat_rows = oat[oat.figure.isin(FIGURES_SHOWN)]
fig, axes = plt.subplots(len(FIGURES_SHOWN), len(KINDS), figsize=(5.2 * len(KINDS), 0.32 * len(ORDER) * len(FIGURES_SHOWN) + 1.5),
                         sharey=True, squeeze=False)
for r, (figure, label) in enumerate(FIGURES_SHOWN.items()):
    for c, kind in enumerate(KINDS):
        ax = axes[r][c]
        d = oat_rows[(oat_rows.kind == kind) & (oat_rows.figure == figure)].set_index("parameter").reindex(ORDER)
        lo, hi = d.oat_min / d.oat_base, d.oat_max / d.oat_base
        ax.barh(y, hi - lo, 0.6, left=lo, color="tab:green", alpha=0.5)
        ax.plot(d.oat_at_low / d.oat_base, y, "o", mfc="white", mec="black", ms=4, label="lowest level")
        ax.plot(d.oat_at_high / d.oat_base, y, "o", color="black", ms=3, label="highest level")
        ax.axvline(1, color="black", lw=0.6, ls="--")
        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(plt.NullFormatter())
        ax.set_title(f"{kind}: {label}")
        if c == 0:
            ax.set_yticks(y)
            ax.set_yticklabels(ORDER, fontsize=8)
        if r == len(FIGURES_SHOWN) - 1:
            ax.set_xlabel("output / output of the default scenario")
axes[0][0].legend(loc="lower right")
fig.suptitle("One at a time: each parameter over its range, the others at their defaults", fontsize=11)
fig.tight_layout()
save(fig, "sensitivity_oat")

# %% [markdown]
# ## The parameters the results depend on most
# Ranked by the largest total index over the six outputs (mean downtime and
# drain time of live, quick and storage migration). This is the list in the
# README's Validation section.

# %%
wide = rows.pivot_table(index="parameter", columns=["kind", "figure"], values="st")
wide.columns = [f"ST {k} {FIGURES_SHOWN[f]}" for k, f in wide.columns]
wide.insert(0, "max ST", wide.max(axis=1))
top = wide.sort_values("max ST", ascending=False)
top.round(3).head(10)

# %% [markdown]
# First-order and total indices with their intervals, per kind and output (all parameters):

# %%
rows[["kind", "figure", "parameter", "s1", "s1_ci_low", "s1_ci_high", "st", "st_ci_low", "st_ci_high"]] \
    .sort_values(["figure", "kind", "st"], ascending=[True, True, False]).round(3).reset_index(drop=True)

# %% [markdown]
# OAT: output at the default, lowest and highest level, and the range over the levels:

# %%
oat_rows[["kind", "figure", "parameter", "low", "high", "oat_base", "oat_at_low", "oat_at_high", "oat_range"]] \
    .sort_values(["figure", "kind", "oat_range"], ascending=[True, True, False]).reset_index(drop=True)
