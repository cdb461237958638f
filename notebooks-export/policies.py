# %% [markdown]
# # Stop policies (experiments 02 and 05)
#
# Downtime and total migration time against the dirty rate for each stop policy
# and link speed (02), and the policies under a non-converging, memory-bound
# workload (05). Reads the merged sweeps in `$MIGSIM_RESULTS`.

# %%
import os
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

RESULTS = os.environ.get("MIGSIM_RESULTS", "../results")
FIGURES = os.environ.get("MIGSIM_FIGURES", "figures")
os.makedirs(FIGURES, exist_ok=True)

def sweep(name):
    m = pd.read_csv(f"{RESULTS}/{name}/migrations.csv")
    runs = pd.read_csv(f"{RESULTS}/{name}/runs.csv")
    return m.merge(runs.drop(columns=["seed"]), on="run_id")

d = sweep("02-policies-dirty-rate")
d["dirty_rate"] = d["vms.dirty_rate"].str.extract(r"([0-9.]+)").astype(float)
g = d.groupby(["cluster.host.nic", "migration.policy", "dirty_rate"])[["downtime_s", "total_time_s"]].mean().reset_index()
print(g)

# %% Downtime and total time against dirty rate
for column, label, fname in [("downtime_s", "mean downtime (s, log scale)", "policies_downtime_vs_dirty_rate.png"),
                             ("total_time_s", "mean total migration time (s)", "policies_total_time_vs_dirty_rate.png")]:
    nics = sorted(g["cluster.host.nic"].unique())
    fig, axes = plt.subplots(1, len(nics), figsize=(5.5 * len(nics), 4), squeeze=False)
    for ax, nic in zip(axes[0], nics):
        for policy, sub in g[g["cluster.host.nic"] == nic].groupby("migration.policy"):
            ax.plot(sub.dirty_rate, sub[column], marker="o", label=policy)
        ax.set_xscale("log")
        if column == "downtime_s":
            ax.set_yscale("log")
        ax.set_xlabel("dirty rate (page writes/s, log scale)")
        ax.set_ylabel(label)
        ax.set_title(f"live migration over {nic}")
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(f"{FIGURES}/{fname}", dpi=120)

# %% Non-converging workload
n = sweep("05-non-converging")
summary = n.groupby("migration.policy").agg(downtime=("downtime_s", "mean"), total=("total_time_s", "mean"),
                                            rounds=("rounds", "mean")).sort_values("downtime")
reasons = n.groupby("migration.policy").stop_reason.agg(lambda s: s.mode().iat[0])
print(summary.join(reasons))
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
axes[0].barh(summary.index, summary.downtime)
axes[0].set_xlabel("mean downtime (s)")
for i, p in enumerate(summary.index):
    axes[0].annotate(reasons[p], (summary.downtime[p], i), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7)
axes[1].barh(summary.index, summary.total)
axes[1].set_xlabel("mean total migration time (s)")
fig.suptitle("Memory-bound (non-converging) workload over 1 Gbit/s: stop reason annotated")
fig.tight_layout()
fig.savefig(f"{FIGURES}/nonconverging_policies.png", dpi=120)
