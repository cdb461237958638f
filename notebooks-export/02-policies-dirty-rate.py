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
# # 02 · Stop policies: downtime and total time against dirty rate and link speed
#
# Experiment `experiments/02-policies-dirty-rate.sh` (sweep
# `experiments/02-policies-dirty-rate.yaml`): 8 VMs of 4 GiB, each writing
# uniformly over all of its memory at a constant rate (page writes/s, 4 KiB
# pages), are live-migrated one at a time under every stop policy, over 1, 10
# and 25 Gbit/s, 3 replications. Policies keep their own rate limits (qemu
# 128 MiB/s, xen-legacy adaptive 100 to 500 Mbit/s); the live timeout is
# migsim's default 1 h, after which stop-and-copy is forced.
#
# Input: `$MIGSIM_RESULTS_02`, default `results/02-policies-dirty-rate`
# (the merged sweep: `migrations.csv` joined with `runs.csv`). Figures go to
# `$MIGSIM_FIGURES`, default `notebooks-export/figures`.

# %%
import matplotlib.pyplot as plt
import pandas as pd

from migsim_notebook import *  # shared: paths, save(), sweep_table(), styles (notebooks-export/migsim_notebook.py)

EXPERIMENT = "02-policies-dirty-rate"
DATA, FIGURES = setup(EXPERIMENT, "02")


m = completed(sweep_table("migrations.csv"))
m["link_gbps"] = m["cluster.host.nic"].map(gbps)
m["dirty_rate"] = m["vms.dirty_rate"].map(first_number)
policies = [p for p in POLICIES if p in set(m["migration.policy"])]
LINKS = sorted(m.link_gbps.unique())
g = (m.groupby(["migration.policy", "link_gbps", "dirty_rate"])
     .agg(downtime_s=("downtime_s", "mean"), total_time_s=("total_time_s", "mean"), rounds=("rounds", "mean"),
          migrations=("downtime_s", "size"), forced=("stop_reason", lambda s: (s == "timeout-forced").mean()))
     .reset_index())
print(f"input: {shown(DATA)}: {len(m)} completed migrations, {len(policies)} policies, "
      f"links {', '.join(map(link_label, LINKS))}, dirty rates {', '.join(f'{r:g}' for r in sorted(m.dirty_rate.unique()))} pages/s, "
      f"{int(g.migrations.min())} to {int(g.migrations.max())} migrations per point")

# %% [markdown]
# Mean downtime (s) per policy and dirty rate (pages/s), one table per link speed:

# %%
for link in LINKS:
    print(f"\n{link_label(link)}")
    print(g[g.link_gbps == link].pivot(index="migration.policy", columns="dirty_rate", values="downtime_s")
          .reindex(policies).round(3).to_string())


# %%
def against_dirty_rate(column: str, ylabel: str, title: str, name: str) -> None:
    fig, axes = plt.subplots(1, len(LINKS), figsize=(4.4 * len(LINKS), 4.2), sharey=True, squeeze=False)
    for ax, link in zip(axes[0], LINKS):
        sub = g[g.link_gbps == link]
        for p in policies:
            one = sub[sub["migration.policy"] == p].sort_values("dirty_rate")
            ax.plot(one.dirty_rate, one[column], label=p, ms=4, lw=1.3, alpha=0.9, **STYLE[p])
        ax.set_xscale("log")
        ax.set_yscale("log")
        payload = link * 1e9 * PROTOCOL_EFFICIENCY / 8 / PAGE_BYTES  # pages/s the link carries
        lo, hi = sub.dirty_rate.min(), sub.dirty_rate.max()
        if lo <= payload <= hi:
            ax.axvline(payload, color="grey", lw=1, ls=(0, (4, 3)))
            ax.annotate("link payload rate", (payload, 0.02), xycoords=("data", "axes fraction"), rotation=90,
                        ha="right", va="bottom", fontsize=7, color="grey")
        ax.set_title(f"migration NIC {link_label(link)}")
        ax.set_xlabel("dirty rate per VM (4 KiB page writes/s)")
    axes[0][0].set_ylabel(ylabel)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.legend(handles, labels, loc="upper center", ncol=len(policies), bbox_to_anchor=(0.5, 0.0), title="stop policy")
    save(fig, name)


# %% [markdown]
# ## Downtime against dirty rate
# Below the link's payload rate most policies converge to a remainder of a
# few pages and the downtime is milliseconds; above it, pre-copy cannot catch
# up and the downtime is whatever remains when the policy gives up (round cap,
# data cap, timeout) unless the policy throttles the guest (vmware's SDPS) or
# targets a downtime (qemu, vmware). Rate-capped policies (qemu, xen-legacy)
# behave the same on every link.

# %%
against_dirty_rate("downtime_s", "mean downtime per migration (s, log scale)",
                   "Live migration downtime against dirty rate, per stop policy and link speed "
                   "(8 VMs of 4 GiB, mean over VMs and replications)", "policies_downtime_vs_dirty_rate")

# %% [markdown]
# ## Total migration time against dirty rate
# Policies without a round or data cap keep copying until the 1 h timeout
# when the dirty rate exceeds what they can send.

# %%
against_dirty_rate("total_time_s", "mean total migration time (s, log scale)",
                   "Total live migration time against dirty rate, per stop policy and link speed "
                   "(8 VMs of 4 GiB, mean over VMs and replications)", "policies_total_time_vs_dirty_rate")

# %% [markdown]
# How pre-copy ended, by policy (share of migrations, all links and rates):

# %%
pd.crosstab(m["migration.policy"], m.stop_reason, normalize="index").reindex(policies).round(2)
