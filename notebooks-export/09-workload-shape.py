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
# # 09 · Workload shape: downtime and rounds at the same mean write rate
#
# Experiment `experiments/09-workload-shape.sh`: VMs of 4 GiB, each writing
# 20,000 pages/s (78 MiB/s of 4 KiB pages), are live-migrated one at a time over
# 1 GbE under every stop policy, with six page popularities: uniform,
# two-level (10 % of memory takes 90 % of the writes), Zipf s = 0.8, 1.0, 1.2,
# and a synthetic working-set curve with the same initial slope
# (`experiments/09-workload-shape.csv`). Statistical fidelity, 2 min timeout.
# The write rate is the same everywhere: only how the writes spread over the
# pages changes, hence how many distinct pages each round re-sends.
#
# Input: `$MIGSIM_RESULTS_09`, default `results/09-workload-shape`
# (`<shape>/<policy>/seed<N>/migrations.csv`). Figures go to `$MIGSIM_FIGURES`,
# default `notebooks-export/figures`.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from migsim_notebook import *  # shared: paths, save(), sweep_table(), styles (notebooks-export/migsim_notebook.py)

EXPERIMENT = "09-workload-shape"
DATA, FIGURES = setup(EXPERIMENT, "09")
SHAPES = ["uniform", "two-level", "zipf-0.8", "zipf-1.0", "zipf-1.2", "curve"]

frames = []
for path in sorted(DATA.glob("*/*/seed*/migrations.csv")):
    df = pd.read_csv(path)
    df.insert(0, "shape", path.parent.parent.parent.name)
    frames.append(df)
if not frames:
    raise FileNotFoundError(f"no */*/seed*/migrations.csv under {DATA}: run experiments/{EXPERIMENT}.sh first")
m = completed(pd.concat(frames, ignore_index=True))
policies = [p for p in POLICIES if p in set(m.policy)]
shapes = [s for s in SHAPES if s in set(m["shape"])]
g = (m.groupby(["shape", "policy"])
     .agg(downtime_s=("downtime_s", "mean"), rounds=("rounds", "mean"), migrations=("downtime_s", "size"))
     .reset_index())
print(f"input: {shown(DATA)}: {len(m)} completed migrations, {len(shapes)} shapes, {len(policies)} policies")

# %% [markdown]
# Mean downtime (s) and rounds by shape and policy:

# %%
print(g.pivot(index="policy", columns="shape", values="downtime_s").reindex(index=policies, columns=shapes).round(3).to_string())
print()
print(g.pivot(index="policy", columns="shape", values="rounds").reindex(index=policies, columns=shapes).round(1).to_string())

# %%
def bars(value: str, ylabel: str, name: str, log: bool = False) -> None:
    fig, ax = plt.subplots(figsize=(9, 4))
    width = 0.8 / len(shapes)
    x = np.arange(len(policies))
    for i, s in enumerate(shapes):
        v = g[g["shape"] == s].set_index("policy").reindex(policies)[value]
        ax.bar(x + (i - (len(shapes) - 1) / 2) * width, v, width, label=s, color=plt.cm.viridis(i / max(1, len(shapes) - 1)))
    ax.set_xticks(x, policies, rotation=20)
    ax.set_ylabel(ylabel)
    if log:
        ax.set_yscale("log")
    ax.set_title(f"{ylabel} by policy and workload shape (20,000 page writes/s, 4 GiB, 1 GbE)")
    ax.legend(ncols=3)
    save(fig, name)


bars("downtime_s", "downtime (s)", "shape_downtime_by_policy", log=True)
bars("rounds", "pre-copy rounds", "shape_rounds_by_policy")
