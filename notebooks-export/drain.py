# %% [markdown]
# # Draining hosts (experiments 03 and 04)
#
# How long a host drain takes against the per-host concurrency limit and link
# speed (03), and the progress of a rolling maintenance of a 1,000-VM cluster
# with link utilisation over time (04).

# %%
import os
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

RESULTS = os.environ.get("MIGSIM_RESULTS", "../results")
FIGURES = os.environ.get("MIGSIM_FIGURES", "figures")
os.makedirs(FIGURES, exist_ok=True)

s = pd.read_csv(f"{RESULTS}/03-drain-concurrency/summary.csv")
runs = pd.read_csv(f"{RESULTS}/03-drain-concurrency/runs.csv")
s = s.merge(runs.drop(columns=["seed"]), on="run_id")
g = s.groupby(["cluster.host.nic", "concurrency.per_host"]).makespan_s.agg(["mean", "std"]).reset_index()
print(g)

# %% Drain time against concurrency
fig, ax = plt.subplots(figsize=(6, 4))
for nic, sub in g.groupby("cluster.host.nic"):
    ax.errorbar(sub["concurrency.per_host"], sub["mean"], yerr=sub["std"].fillna(0), marker="o", capsize=3, label=nic)
ax.set_xscale("log", base=2)
ax.set_xlabel("concurrent migrations per host")
ax.set_ylabel("host drain time (s)")
ax.set_title("Drain time against concurrency limit")
ax.legend(title="migration NIC")
fig.tight_layout()
fig.savefig(f"{FIGURES}/drain_time_vs_concurrency.png", dpi=120)

# %% Rolling maintenance: progress and link utilisation
m = pd.read_csv(f"{RESULTS}/04-rolling-maintenance/migrations.csv")
links = pd.read_csv(f"{RESULTS}/04-rolling-maintenance/links.csv")
done = np.sort(m.end_s.dropna().values)
tx = links[links.link.str.endswith("nic.tx")].groupby("time_s").utilisation.max()
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(done / 3600, np.arange(1, len(done) + 1), label="migrations completed")
ax.set_xlabel("simulated time (h)")
ax.set_ylabel("migrations completed")
ax2 = ax.twinx()
ax2.plot(tx.index / 3600, tx.values, color="tab:orange", alpha=0.5, lw=0.8, label="busiest NIC (tx)")
ax2.set_ylabel("busiest NIC utilisation (share)")
ax2.set_ylim(0, 1.05)
ax.set_title(f"Rolling maintenance of {len(m)} VMs")
fig.legend(loc="lower right", fontsize=8)
fig.tight_layout()
fig.savefig(f"{FIGURES}/rolling_progress.png", dpi=120)
