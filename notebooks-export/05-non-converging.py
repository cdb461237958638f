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
# # 05 · Stop policies under a non-converging workload
#
# Experiment `experiments/05-non-converging.sh` (sweep
# `experiments/05-non-converging.yaml`): 8 VMs of 4 GiB with the memory-bound
# profile (MMuncher-like: a constant 60,000 page writes/s, about 2 Gbit/s,
# uniformly over half of memory) are live-migrated one at a time under every
# stop policy over 1, 2.5 and 10 Gbit/s, 3 replications. At 1 Gbit/s (28,700
# pages/s of payload) pre-copy cannot converge; at 2.5 Gbit/s it barely can;
# at 10 Gbit/s it can unless the policy caps the rate (qemu 128 MiB/s,
# xen-legacy 100 to 500 Mbit/s). Live timeout: migsim's default 1 h, then
# forced stop-and-copy (`--small`: 2 min).
#
# Input: `$MIGSIM_RESULTS_05`, default `results/05-non-converging` (the merged
# sweep: `migrations.csv`, `rounds.csv`, `runs.csv`). Figures go to
# `$MIGSIM_FIGURES`, default `notebooks-export/figures`.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from migsim_notebook import *  # shared: paths, save(), sweep_table(), styles (notebooks-export/migsim_notebook.py)

EXPERIMENT = "05-non-converging"
DATA, FIGURES = setup(EXPERIMENT, "05")


m = completed(sweep_table("migrations.csv"))
m["link_gbps"] = m["cluster.host.nic"].map(gbps)
m["GiB"] = m.bytes_sent / 2**30
policies = [p for p in POLICIES if p in set(m["migration.policy"])]
LINKS = sorted(float(l) for l in m.link_gbps.unique())
LINK_COLOR = {l: plt.cm.plasma(i / max(1, len(LINKS) - 1) * 0.8) for i, l in enumerate(LINKS)}
r = sweep_table("rounds.csv")
r = r[r.stage == "memory"].copy()
r["link_gbps"] = r["cluster.host.nic"].map(gbps)
r["MiB"] = r.bytes_sent / 2**20
MEMORY_GIB = float(r[r["round"] == 1].bytes_sent.max() / 2**30)  # round 1 sends all memory
g = (m.groupby(["migration.policy", "link_gbps"])
     .agg(downtime_s=("downtime_s", "mean"), total_time_s=("total_time_s", "mean"), GiB=("GiB", "mean"),
          rounds=("rounds", "mean"), throttle_max=("throttle", "max"), converged=("converged", "mean"),
          migrations=("downtime_s", "size"))
     .reset_index())
print(f"input: {shown(DATA)}: {len(m)} completed migrations of {MEMORY_GIB:g} GiB VMs, {len(policies)} policies, "
      f"links {', '.join(map(link_label, LINKS))}, {int(g.migrations.min())} migrations per policy and link")

# %% [markdown]
# Means per policy and link speed (`converged`: share of migrations whose
# pre-copy ended on a remainder rule, not a cap or timeout; `throttle_max`:
# the highest vCPU throttle applied):

# %%
g.set_index(["migration.policy", "link_gbps"]).reindex(policies, level=0).round(3)

# %% [markdown]
# ## Downtime, total time, data sent and rounds per policy

# %%
panels = [("downtime_s", "mean downtime (s, log scale)", True), ("total_time_s", "mean total migration time (s, log scale)", True),
          ("GiB", "mean data sent per migration (GiB, log scale)", True), ("rounds", "mean pre-copy rounds (log scale)", True)]
fig, axes = plt.subplots(2, 2, figsize=(12, 7.5), sharex=True)
x = np.arange(len(policies))
width = 0.8 / len(LINKS)
for ax, (column, label, log) in zip(axes.flat, panels):
    for i, link in enumerate(LINKS):
        values = g[g.link_gbps == link].set_index("migration.policy").reindex(policies)[column]
        ax.bar(x + (i - (len(LINKS) - 1) / 2) * width, values, width, color=LINK_COLOR[link], label=link_label(link))
    if log:
        ax.set_yscale("log")
    if column == "GiB":
        ax.axhline(MEMORY_GIB, color="grey", ls="--", lw=1)
        ax.set_ylim(bottom=MEMORY_GIB / 2)
        ax.annotate(f"VM memory {MEMORY_GIB:g} GiB", (0.99, MEMORY_GIB), xycoords=("axes fraction", "data"), ha="right",
                    va="center", fontsize=8, color="dimgrey", bbox=dict(boxstyle="round", fc="white", ec="none"))
    ax.set_ylabel(label)
    ax.set_xticks(x, policies, rotation=30, ha="right")
axes[0][1].legend(title="migration NIC", loc="upper left", bbox_to_anchor=(1.02, 1))
for ax in axes[1]:
    ax.set_xlabel("stop policy")
fig.suptitle(f"Memory-bound workload (60,000 page writes/s per VM): live migration of {MEMORY_GIB:g} GiB VMs per stop policy",
             fontsize=10)
fig.tight_layout()
save(fig, "nonconverging_policies")

# %% [markdown]
# ## Bytes per pre-copy round
# Median data sent per round over the migrations that reached the round (log
# axes). Round 1 sends all memory; later rounds send what was dirtied during
# the previous one. Where the link is slower than the dirtying, rounds do not
# shrink and only the policy's cap (rounds, data, time) ends pre-copy.

# %%
per_round = r.groupby(["migration.policy", "link_gbps", "round"]).MiB.median().reset_index()
fig, axes = plt.subplots(1, len(LINKS), figsize=(4.6 * len(LINKS), 4.2), sharey=True, squeeze=False)
for ax, link in zip(axes[0], LINKS):
    for p in policies:
        one = per_round[(per_round["migration.policy"] == p) & (per_round.link_gbps == link)]
        style = dict(STYLE[p], marker=None)
        ax.plot(one["round"], one.MiB, label=p, lw=1.4, **style)
        ax.plot(one["round"].iloc[-1:], one.MiB.iloc[-1:], marker=STYLE[p]["marker"], color=STYLE[p]["color"], ms=5)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("pre-copy round (log scale)")
    ax.set_title(f"migration NIC {link_label(link)}")
axes[0][0].set_ylabel("data sent in the round (MiB, log scale, median)")
handles = [plt.Line2D([], [], lw=1.4, ms=5, **STYLE[p]) for p in policies]
fig.suptitle("Memory-bound workload: bytes per pre-copy round (marker: the last round)", fontsize=10)
fig.tight_layout()
fig.legend(handles, policies, loc="upper center", ncol=len(policies), bbox_to_anchor=(0.5, 0.0), title="stop policy")
save(fig, "nonconverging_bytes_per_round")

# %% [markdown]
# ## How pre-copy ended
# Share of migrations per `stop_reason`, per policy and link speed.

# %%
REASONS = ["no-dirty-pages", "remainder-below-threshold", "few-dirty-pages", "downtime-target", "max-rounds",
           "total-data-limit", "timeout-forced", "timeout-aborted", "timeout-postcopy", "round-guard"]
seen = [x for x in REASONS if x in set(m.stop_reason)] + sorted(set(m.stop_reason) - set(REASONS))
REASON_COLOR = {x: plt.cm.tab10(i % 10) for i, x in enumerate(REASONS + sorted(set(m.stop_reason) - set(REASONS)))}
fig, axes = plt.subplots(1, len(LINKS), figsize=(4.2 * len(LINKS), 3.9), sharey=True, squeeze=False)
for ax, link in zip(axes[0], LINKS):
    share = pd.crosstab(m[m.link_gbps == link]["migration.policy"], m[m.link_gbps == link].stop_reason, normalize="index")
    share = share.reindex(index=policies, columns=seen, fill_value=0)
    left = np.zeros(len(policies))
    for reason in seen:
        ax.barh(policies, share[reason], left=left, color=REASON_COLOR[reason], label=reason)
        left += share[reason].to_numpy()
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of migrations")
    ax.set_title(f"migration NIC {link_label(link)}")
    ax.grid(axis="y", visible=False)
axes[0][0].set_ylabel("stop policy")
handles, labels = axes[0][0].get_legend_handles_labels()
fig.suptitle("Memory-bound workload: why pre-copy ended (migrations.csv stop_reason)", fontsize=10)
fig.tight_layout()
fig.legend(handles, labels, loc="upper center", ncol=min(len(seen), 5), bbox_to_anchor=(0.5, 0.0), title="stop reason")
save(fig, "nonconverging_stop_reasons")
