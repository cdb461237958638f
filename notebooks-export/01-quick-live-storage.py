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
# # 01 · Quick vs live vs storage migration
#
# Experiment `experiments/01-quick-live-storage.sh`: host 0 of the built-in
# 8-host cluster is drained of its 40 VMs (2, 4 and 8 GiB; idle, web and
# database workloads; two migrations per host at once), once with each
# migration kind on the same VMs and random numbers, over 10 GbE and 1 GbE,
# for seeds 1 to 5 (`--small`: 12 VMs, seed 1).
#
# Input: `$MIGSIM_RESULTS_01`, default `results/01-quick-live-storage`
# (`<link>gbps/seed<N>/{migrations,rounds,summary}.csv`). Figures go to
# `$MIGSIM_FIGURES`, default `notebooks-export/figures`. Relative paths are
# relative to the repository root.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from migsim_notebook import *  # shared: paths, save(), sweep_table(), styles (notebooks-export/migsim_notebook.py)

EXPERIMENT = "01-quick-live-storage"
DATA, FIGURES = setup(EXPERIMENT, "01")


migrations = load("migrations.csv")
rounds = load("rounds.csv")
summary = load("summary.csv")
done = completed(migrations)
KINDS = [k for k in ["live", "quick", "storage"] if k in set(done.kind)]
LINKS = sorted(done.link_gbps.unique())
COLORS = {"live": "tab:blue", "quick": "tab:orange", "storage": "tab:green"}
APP_TIMEOUT_S = float(summary.app_timeout_s.iloc[0])
print(f"input: {shown(DATA)}: {summary.seed.nunique()} seeds, links {', '.join(map(link_label, LINKS))}, "
      f"{len(migrations)} migration requests, {len(done)} completed")

# %% [markdown]
# Per link speed and kind, over all seeds (times in seconds; drain time =
# `makespan_s`, first request to last end):

# %%
table = summary.groupby(["link_gbps", "kind"]).agg(
    runs=("seed", "size"), migrations=("migrations", "sum"), completed=("completed", "sum"),
    downtime_mean_s=("downtime_mean_s", "mean"), downtime_p95_s=("downtime_p95_s", "mean"),
    downtime_max_s=("downtime_max_s", "max"), total_time_mean_s=("total_time_mean_s", "mean"),
    drain_time_mean_s=("makespan_s", "mean"), over_app_timeout=("over_app_timeout", "sum"))
table.round(3)

# %% [markdown]
# ## Downtime by kind
# Live migration pauses a VM only for the last pre-copy round; quick migration
# pauses it while its memory is saved to and restored from the SAN; storage
# migration while memory is saved, the disk switched and memory restored. The
# dashed line is the application timeout (summary.csv `app_timeout_s`).

# %%
fig, axes = plt.subplots(1, len(LINKS), figsize=(4.6 * len(LINKS), 4.2), sharey=True, squeeze=False)
rng = np.random.default_rng(0)
for ax, link in zip(axes[0], LINKS):
    data = [done[(done.link_gbps == link) & (done.kind == k)].downtime_s.to_numpy() for k in KINDS]
    box = ax.boxplot(data, tick_labels=KINDS, whis=(5, 95), showfliers=False, patch_artist=True, widths=0.5)
    for patch, k in zip(box["boxes"], KINDS):
        patch.set(facecolor=COLORS[k], alpha=0.35)
    for i, d in enumerate(data, start=1):  # every migration as a dot
        ax.scatter(i + rng.uniform(-0.15, 0.15, len(d)), d, s=6, color="black", alpha=0.35, lw=0)
    ax.axhline(APP_TIMEOUT_S, color="grey", ls="--", lw=1)
    ax.set_yscale("log")
    ax.set_title(f"drain over {link_label(link)}")
    ax.set_xlabel("migration kind")
axes[0][0].set_ylabel("downtime per migration (s, log scale)")
axes[0][-1].annotate(f"application timeout {APP_TIMEOUT_S:g} s", (0.98, APP_TIMEOUT_S), xycoords=("axes fraction", "data"),
                     ha="right", va="bottom", fontsize=8, color="grey")
fig.suptitle(f"Downtime by migration kind (boxes: quartiles, whiskers: 5th to 95th percentile; "
             f"{summary.seed.nunique()} seeds)", fontsize=10)
fig.tight_layout()
save(fig, "downtime_by_kind")

# %% [markdown]
# ## Downtime CDF

# %%
fig, axes = plt.subplots(1, len(LINKS), figsize=(4.6 * len(LINKS), 3.8), sharey=True, sharex=True, squeeze=False)
for ax, link in zip(axes[0], LINKS):
    for k in KINDS:
        d = np.sort(done[(done.link_gbps == link) & (done.kind == k)].downtime_s.to_numpy())
        ax.step(d, np.arange(1, len(d) + 1) / len(d), where="post", color=COLORS[k], label=f"{k} (n={len(d)})")
    ax.axvline(APP_TIMEOUT_S, color="grey", ls="--", lw=1)
    ax.set_xscale("log")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("downtime (s, log scale)")
    ax.set_title(f"drain over {link_label(link)}")
    ax.legend(loc="lower right")
axes[0][0].set_ylabel("share of migrations with downtime ≤ x")
fig.suptitle("Downtime CDF by migration kind (dashed: application timeout)", fontsize=10)
fig.tight_layout()
save(fig, "downtime_cdf")

# %% [markdown]
# ## Total migration time by kind
# From start (concurrency slot granted) to end; queueing for a slot is not included.

# %%
fig, axes = plt.subplots(1, len(LINKS), figsize=(4.6 * len(LINKS), 4.0), sharey=True, squeeze=False)
for ax, link in zip(axes[0], LINKS):
    data = [done[(done.link_gbps == link) & (done.kind == k)].total_time_s.to_numpy() for k in KINDS]
    box = ax.boxplot(data, tick_labels=KINDS, whis=(5, 95), showfliers=False, patch_artist=True, widths=0.5)
    for patch, k in zip(box["boxes"], KINDS):
        patch.set(facecolor=COLORS[k], alpha=0.35)
    for i, d in enumerate(data, start=1):
        ax.scatter(i + rng.uniform(-0.15, 0.15, len(d)), d, s=6, color="black", alpha=0.35, lw=0)
    ax.set_yscale("log")
    ax.set_title(f"drain over {link_label(link)}")
    ax.set_xlabel("migration kind")
axes[0][0].set_ylabel("total migration time (s, log scale)")
fig.suptitle("Total migration time by kind (whiskers: 5th to 95th percentile)", fontsize=10)
fig.tight_layout()
save(fig, "total_time_by_kind")

# %% [markdown]
# ## Bytes per pre-copy round (live migration)
# Round 1 sends all memory; each later round sends the pages dirtied during the
# previous one, until the stop policy (here `hyperv-2008r2`: a remainder below
# 256 KiB, or 10 rounds) ends pre-copy. One line per migration of the first
# seed, coloured by the VM's memory (round 1's bytes).

# %%
FIRST_SEED = int(rounds.seed.min())
live = rounds[(rounds.kind == "live") & (rounds.stage == "memory") & (rounds.seed == FIRST_SEED)].copy()
live["MiB"] = live.bytes_sent / 2**20
memory = live[live["round"] == 1].set_index(["link_gbps", "seed", "vm_id"]).bytes_sent / 2**30
sizes = sorted(memory.round(1).unique())
size_color = {m: plt.cm.viridis(i / max(1, len(sizes) - 1) * 0.85) for i, m in enumerate(sizes)}
fig, axes = plt.subplots(1, len(LINKS), figsize=(4.6 * len(LINKS), 3.8), sharey=True, squeeze=False)
for ax, link in zip(axes[0], LINKS):
    for (seed, vm), one in live[live.link_gbps == link].groupby(["seed", "vm_id"]):
        ax.plot(one["round"], one.MiB, color=size_color[round(memory[(link, seed, vm)], 1)], alpha=0.6, lw=0.9)
    ax.set_yscale("log")
    ax.set_xlabel("pre-copy round")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(f"live migration over {link_label(link)}")
axes[0][0].set_ylabel("data sent in the round (MiB, log scale)")
handles = [plt.Line2D([], [], color=c, lw=2) for c in size_color.values()]
axes[0][-1].legend(handles, [f"{m:g} GiB" for m in sizes], title="VM memory", loc="upper right")
fig.suptitle(f"Live migration: bytes sent per pre-copy round (seed {FIRST_SEED}, {len(memory)} migrations)", fontsize=10)
fig.tight_layout()
save(fig, "bytes_per_round")
