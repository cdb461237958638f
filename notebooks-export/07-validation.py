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
# # 07 · Verification and validation
#
# Experiment `experiments/07-validation.sh` runs `migsim validate` over
# `data/validation/`. It has two parts:
#
# - **Verification** asks whether migsim computes its own model. It covers the
#   closed-form pre-copy series (tolerance 1e-9), SimGrid 3.32's recorded
#   results for the same model (1 %), and invariants of the built-in drain.
#   A failure here fails the experiment.
# - **Validation** asks whether the model predicts real migrations. Each
#   measured data set is fitted on its fit subset, its parameters are frozen,
#   and then every point is predicted over its seeds (mean and 95 %
#   interval), by migsim and by the closed-form predictors. Points the
#   parameters were fitted to, or chosen by hand to match, are labelled
#   `calibration`. Only `prediction` points are evidence.
#
# Input: `$MIGSIM_RESULTS_07`, default `results/07-validation`
# (`validation.csv`, `fits.csv`). Figures go to `$MIGSIM_FIGURES`, default
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
for c in ("passed", "approximate"):
    v[c] = v[c].astype(bool)
ver, val = v[v["class"] == "verification"], v[v["class"] == "validation"].reset_index(drop=True)
fits = pd.read_csv(DATA / "fits.csv")
print(f"input: {shown(path)}: {len(ver)} verification figures ({int(ver.passed.sum())} within tolerance), "
      f"{len(val)} validation figures ({int((val.role == 'prediction').sum())} predictions)")

# %% [markdown]
# ## Verification
# The bytes sent by the mean-field fidelity, against `M(1 − λ^(n+1))/(1 − λ)`
# with n from each policy's stop rule (left), and the mean migration time
# against SimGrid 3.32's own results for the same cases (right).

# %%
ana = ver[(ver.group == "analytic") & (ver.metric == "bytes_sent")].reset_index(drop=True)
sg = ver[ver.group == "simgrid"].reset_index(drop=True)
policy = ana["case"].str.split("-").str[0].map({"hv": "hyperv-2008r2", "qemu": "qemu", "xen": "xen-legacy"})
fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.2))
floor = 1e-17  # an exact match would vanish from a log axis
ax.scatter(range(len(ana)), np.maximum(ana.relative_error, floor), color=[STYLE[p]["color"] for p in policy], zorder=3)
for p in dict.fromkeys(policy):
    ax.scatter([], [], color=STYLE[p]["color"], label=p)
ax.axhline(float(ana.tolerance.max()), color="tab:red", ls="--", lw=1, label="tolerance 1e-9")
ax.set_xticks(range(len(ana)), ana["case"], rotation=60, ha="right", fontsize=7)
ax.set(yscale="log", ylim=(floor / 2, 1e-6), ylabel="relative error (floored at 1e-17)",
       title="Analytic pre-copy model: bytes sent")
ax.legend(fontsize=8)
if len(sg):
    bx.scatter(range(len(sg)), np.maximum(sg.relative_error, floor), color="tab:blue", zorder=3)
    bx.axhline(float(sg.tolerance.max()), color="tab:red", ls="--", lw=1, label="tolerance 1 %")
    bx.set_xticks(range(len(sg)), sg["case"], rotation=60, ha="right", fontsize=7)
    bx.legend(fontsize=8)
bx.set(yscale="log", ylim=(floor / 2, 0.1), ylabel="relative error", title="SimGrid 3.32: mean migration time")
fig.tight_layout()
save(fig, "validation_analytic")

# %% [markdown]
# Invariants of the built-in drain (each counts violations; 0 expected):

# %%
ver[ver.group == "invariant"][["case", "simulated", "passed", "note"]].rename(columns={"simulated": "violations"})

# %% [markdown]
# ## Validation: predicted against measured
# One panel per data set. The x axis lists each measured figure. Filled markers
# are predictions; hollow markers are the calibration (fit) subset. Error bars
# give the 95 % interval across seeds, and the black bar is the measured value
# (hatched when it was read from a figure or is otherwise approximate). The y
# axis is the ratio to the measurement, on a log scale, so 1 means exact.

# %%
predictors = list(dict.fromkeys(val.predictor))
colors = {p: plt.cm.tab10(i) for i, p in enumerate(predictors)}
sets = list(dict.fromkeys(val.group))
cols = 2
rows = (len(sets) + cols - 1) // cols
fig, axes = plt.subplots(rows, cols, figsize=(11, 3.2 * rows), squeeze=False)
for ax, name in zip(axes.flat, sets):
    d = val[val.group == name]
    figures = list(dict.fromkeys(d["case"] + " " + d.metric))
    ax.axhline(1, color="black", lw=1)
    for k, p in enumerate(predictors):
        e = d[d.predictor == p]
        if e.empty:
            continue
        x = np.array([figures.index(c + " " + m) for c, m in zip(e["case"], e.metric)]) + (k - (len(predictors) - 1) / 2) * 0.12
        ratio = e.simulated / e.reference
        err = (e.ci95.fillna(0) / e.reference).to_numpy()
        for xi, ri, ei, role in zip(x, ratio, err, e.role):
            ax.errorbar(xi, ri, yerr=ei, fmt="o", ms=6, color=colors[p],
                        mfc=colors[p] if role == "prediction" else "white", capsize=2)
    approx = d.drop_duplicates(["case", "metric"])
    for i, (c, m, a) in enumerate(zip(approx["case"], approx.metric, approx.approximate)):
        if a:
            ax.axvspan(i - 0.4, i + 0.4, color="0.9", hatch="//", zorder=0)
    ax.set_xticks(range(len(figures)), figures, rotation=30, ha="right", fontsize=7)
    ax.set(yscale="log", ylabel="predicted / measured", title=name)
    ax.set_ylim(min(0.1, ax.get_ylim()[0]), max(10, ax.get_ylim()[1]))
for ax in list(axes.flat)[len(sets):]:
    ax.axis("off")
handles = [plt.Line2D([], [], marker="o", ls="", color=colors[p], label=p) for p in predictors]
handles += [plt.Line2D([], [], marker="o", ls="", mfc="white", color="0.3", label="calibration (fit subset)"),
            plt.Line2D([], [], marker="o", ls="", color="0.3", label="prediction")]
fig.legend(handles=handles, loc="upper center", ncol=len(handles), fontsize=8, bbox_to_anchor=(0.5, 1.0))
fig.tight_layout(rect=(0, 0, 1, 0.97))
save(fig, "validation_measured")

# %% [markdown]
# ## Prediction errors
# Only the prediction points count here: |predicted − measured| / measured,
# per predictor. The table gives the median and the worst error. The figure
# shows each point's signed error.

# %%
pred = val[val.role == "prediction"]
summary = pred.groupby("predictor", sort=False).relative_error.agg(figures="count", median="median", worst="max")
print((summary.assign(median=lambda d: (d["median"] * 100).round(1), worst=lambda d: (d.worst * 100).round(1))
       .rename(columns={"median": "median %", "worst": "worst %"})).to_string())
fig, ax = plt.subplots(figsize=(11, 0.32 * max(8, pred.drop_duplicates(["group", "case", "metric"]).shape[0]) + 1))
labels = list(dict.fromkeys(pred.group + " · " + pred["case"] + " · " + pred.metric))
for k, p in enumerate(predictors):
    e = pred[pred.predictor == p]
    y = np.array([labels.index(l) for l in e.group + " · " + e["case"] + " · " + e.metric]) + (k - (len(predictors) - 1) / 2) * 0.18
    ax.barh(y, e.signed_error * 100, height=0.18, color=colors[p], label=p)
ax.axvline(0, color="0.3", lw=1)
ax.set_yticks(range(len(labels)), labels, fontsize=7)
ax.invert_yaxis()
ax.set(xlabel="predicted − measured (% of measured)", title="Prediction errors by point and predictor", xscale="symlog")
ax.legend(fontsize=8)
fig.tight_layout()
save(fig, "validation_errors")

# %% [markdown]
# Fitted parameters (each on its data set's fit subset), and every figure:

# %%
fits

# %%
val[["group", "case", "role", "metric", "predictor", "printed", "simulated", "ci95", "seeds", "signed_error",
     "reference_in_ci95", "note"]]
