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
# # 03 · Host drain time against concurrency limit and link speed
#
# Experiment `experiments/03-drain-concurrency.sh` (sweep
# `experiments/03-drain-concurrency.yaml`): host 0 of the built-in 8-host
# cluster (40 VMs of 2, 4 and 8 GiB; idle, web and database workloads) is
# drained with live migration, for every per-host concurrency limit
# (`concurrency.per_host`), link speed (`cluster.host.nic`) and two stop
# policies: `hyperv-2012r2` (no rate cap) and `qemu` (each migration capped at
# 128 MiB/s), 5 replications. Drain time is summary.csv's `makespan_s`
# (first request to last end).
#
# Input: `$MIGSIM_RESULTS_03`, default `results/03-drain-concurrency` (the
# merged sweep: `summary.csv`, `migrations.csv`, `rounds.csv` and `runs.csv`).
# Figures go to `$MIGSIM_FIGURES`, default `notebooks-export/figures`.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from migsim_notebook import *  # shared: paths, save(), sweep_table(), styles (notebooks-export/migsim_notebook.py)

EXPERIMENT = "03-drain-concurrency"
DATA, FIGURES = setup(EXPERIMENT, "03")


s = sweep_table("summary.csv")
s["link_gbps"] = s["cluster.host.nic"].map(gbps)
s["concurrency"] = s["concurrency.per_host"].astype(int)
policies = [p for p in POLICIES if p in set(s["migration.policy"])]
LINKS = sorted(float(l) for l in s.link_gbps.unique())
LIMITS = sorted(int(c) for c in s.concurrency.unique())
LINK_COLOR = {l: plt.cm.plasma(i / max(1, len(LINKS) - 1) * 0.85) for i, l in enumerate(LINKS)}
LIMIT_COLOR = {c: plt.cm.viridis(i / max(1, len(LIMITS) - 1) * 0.9) for i, c in enumerate(LIMITS)}
# The memory of every VM on the drained host, from round 1 of one run (it sends all memory).
r1 = pd.read_csv(DATA / "rounds.csv", usecols=["run_id", "vm_id", "stage", "round", "bytes_sent"])
r1 = r1[(r1.run_id == r1.run_id.min()) & (r1.stage == "memory") & (r1["round"] == 1)]
MEMORY_BYTES = r1.bytes_sent.sum()
stats = (s.groupby(["migration.policy", "link_gbps", "concurrency"])
         .agg(drain_median_s=("makespan_s", "median"), drain_min_s=("makespan_s", "min"), drain_max_s=("makespan_s", "max"),
              downtime_mean_s=("downtime_mean_s", "median"), downtime_lo_s=("downtime_mean_s", "min"),
              downtime_hi_s=("downtime_mean_s", "max"), non_converged=("non_converged", "mean"),
              replications=("makespan_s", "size"))
         .reset_index())
print(f"input: {shown(DATA)}: {len(s)} drains of {int(s.migrations.iloc[0])} VMs ({MEMORY_BYTES / 2**30:g} GiB of memory), "
      f"policies {', '.join(policies)}, links {', '.join(map(link_label, LINKS))}, limits {LIMITS}, "
      f"{int(stats.replications.min())} replications")

# %% [markdown]
# Median drain time (s) over the replications, per policy and link speed (rows)
# and concurrency limit (columns):

# %%
stats.pivot(index=["migration.policy", "link_gbps"], columns="concurrency", values="drain_median_s").round(1)

# %% [markdown]
# ## Drain time against the concurrency limit
# Lines: median over replications; dots: single drains. Without a rate cap one
# migration already fills the source NIC, so more concurrency only splits it
# (and, on a slow link, slows every migration enough that more pages are
# dirtied and sent again). With qemu's 128 MiB/s cap, concurrency is what fills
# a fast link, until the NIC saturates (dashed: all memory at the limit times
# the cap). Dotted: all memory sent once at the link's payload rate (line rate
# x 0.94), a lower bound. Outlying dots are drains in which a VM whose dirty
# rate exceeds what its migration can send ran into the 1 h live timeout.

# %%
fig, axes = plt.subplots(1, len(policies), figsize=(5.2 * len(policies), 4.2), sharey=True, squeeze=False)
for ax, p in zip(axes[0], policies):
    for link in LINKS:
        one = stats[(stats["migration.policy"] == p) & (stats.link_gbps == link)].sort_values("concurrency")
        c = LINK_COLOR[link]
        ax.plot(one.concurrency, one.drain_median_s, marker="o", ms=4, color=c, label=link_label(link))
        runs = s[(s["migration.policy"] == p) & (s.link_gbps == link)]
        ax.scatter(runs.concurrency * (1 + 0.04 * (LINKS.index(link) - 1.5)), runs.makespan_s, s=9, color=c, alpha=0.45, lw=0)
        ax.axhline(MEMORY_BYTES * 8 / (link * 1e9 * PROTOCOL_EFFICIENCY), color=c, ls=":", lw=1)
    if p == "qemu":  # each migration capped at 128 MiB/s: the limit x the cap is the most a host can send
        cap = np.array(LIMITS) * 128 * 2**20
        ax.plot(LIMITS, MEMORY_BYTES / cap, color="grey", ls="--", lw=1, label="memory / (limit x 128 MiB/s)")
    ax.set_xscale("log", base=2)
    ax.set_xticks(LIMITS, [str(c) for c in LIMITS])
    ax.minorticks_off()
    ax.set_yscale("log")
    ax.set_xlabel("concurrent migrations per host (concurrency.per_host)")
    ax.set_title(f"stop policy {p}")
axes[0][0].set_ylabel("host drain time (s, log scale)")
handles, labels = axes[0][-1].get_legend_handles_labels()
axes[0][-1].legend(handles, labels, title="migration NIC", loc="upper left", bbox_to_anchor=(1.02, 1))
fig.suptitle("Drain time of a 40-VM host against the concurrency limit (dotted: memory / link payload rate)", fontsize=10)
fig.tight_layout()
save(fig, "drain_time_vs_concurrency")

# %% [markdown]
# ## Drain time against link speed
# The same medians, one line per concurrency limit.

# %%
fig, axes = plt.subplots(1, len(policies), figsize=(5.2 * len(policies), 4.2), sharey=True, squeeze=False)
for ax, p in zip(axes[0], policies):
    for c in LIMITS:
        one = stats[(stats["migration.policy"] == p) & (stats.concurrency == c)].sort_values("link_gbps")
        ax.plot(one.link_gbps, one.drain_median_s, marker="o", ms=4, color=LIMIT_COLOR[c], label=str(c))
    bound = np.array(LINKS)
    ax.plot(bound, MEMORY_BYTES * 8 / (bound * 1e9 * PROTOCOL_EFFICIENCY), color="black", ls=":", lw=1.2,
            label="memory / payload rate")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(LINKS, [f"{l:g}" for l in LINKS])
    ax.minorticks_off()
    ax.set_xlabel("migration NIC line rate (Gbit/s, log scale)")
    ax.set_title(f"stop policy {p}")
axes[0][0].set_ylabel("host drain time (s, log scale, median)")
axes[0][-1].legend(title="concurrency limit", loc="upper left", bbox_to_anchor=(1.02, 1))
fig.suptitle("Drain time of a 40-VM host against link speed, per concurrency limit", fontsize=10)
fig.tight_layout()
save(fig, "drain_time_vs_link_speed")

# %% [markdown]
# ## What concurrency costs each VM: downtime
# Mean downtime per migration in a drain (lines: median over replications;
# bands: min to max). Sharing the link slows every migration, so more pages are
# dirtied per round and the final stop-and-copy round is larger.

# %%
fig, axes = plt.subplots(1, len(policies), figsize=(5.2 * len(policies), 4.0), sharey=True, squeeze=False)
for ax, p in zip(axes[0], policies):
    for link in LINKS:
        one = stats[(stats["migration.policy"] == p) & (stats.link_gbps == link)].sort_values("concurrency")
        c = LINK_COLOR[link]
        ax.plot(one.concurrency, one.downtime_mean_s, marker="o", ms=4, color=c, label=link_label(link))
        ax.fill_between(one.concurrency, one.downtime_lo_s, one.downtime_hi_s, color=c, alpha=0.15, lw=0)
    ax.set_xscale("log", base=2)
    ax.set_xticks(LIMITS, [str(c) for c in LIMITS])
    ax.minorticks_off()
    ax.set_yscale("log")
    ax.set_xlabel("concurrent migrations per host (concurrency.per_host)")
    ax.set_title(f"stop policy {p}")
axes[0][0].set_ylabel("mean downtime per migration (s, log scale)")
axes[0][-1].legend(title="migration NIC", loc="upper left", bbox_to_anchor=(1.02, 1))
fig.suptitle("Downtime during a host drain against the concurrency limit", fontsize=10)
fig.tight_layout()
save(fig, "drain_downtime_vs_concurrency")
