# %% [markdown]
# # Quick vs live vs storage migration (experiment 01)
#
# Drain one host of 40 VMs; every VM is migrated once with each kind, on the same
# VMs and random numbers. Reads `$MIGSIM_RESULTS/01-quick-live-storage/*/seed*/`.

# %%
import glob, os
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

RESULTS = os.environ.get("MIGSIM_RESULTS", "../results")
FIGURES = os.environ.get("MIGSIM_FIGURES", "figures")
os.makedirs(FIGURES, exist_ok=True)

def load(name):
    frames = []
    for path in sorted(glob.glob(f"{RESULTS}/01-quick-live-storage/*gbps/seed*/{name}")):
        df = pd.read_csv(path)
        df["link"] = path.split("/")[-3]
        frames.append(df)
    return pd.concat(frames, ignore_index=True)

mig = load("migrations.csv")
rounds = load("rounds.csv")
mig = mig[mig.refused_reason.isna()]
print(mig.groupby(["link", "kind"]).downtime_s.describe())

# %% Downtime by kind
kinds = ["live", "quick", "storage"]
links = sorted(mig.link.unique(), key=lambda s: float(s.replace("gbps", "")))
fig, axes = plt.subplots(1, len(links), figsize=(5 * len(links), 4), squeeze=False)
for ax, link in zip(axes[0], links):
    data = [mig[(mig.link == link) & (mig.kind == k)].downtime_s for k in kinds]
    ax.boxplot(data, tick_labels=kinds)
    ax.set_yscale("log")
    ax.set_title(f"drain of one host, {link.replace('gbps', ' Gbit/s')}")
    ax.set_ylabel("downtime per VM (s, log scale)")
fig.tight_layout()
fig.savefig(f"{FIGURES}/downtime_by_kind.png", dpi=120)

# %% Downtime CDF
fig, ax = plt.subplots(figsize=(6, 4))
for link in links:
    for k in kinds:
        d = np.sort(mig[(mig.link == link) & (mig.kind == k)].downtime_s.values)
        ax.step(d, np.arange(1, len(d) + 1) / len(d), where="post", label=f"{k}, {link.replace('gbps', ' Gbit/s')}")
ax.set_xscale("log")
ax.set_xlabel("downtime (s, log scale)")
ax.set_ylabel("share of VMs")
ax.legend(fontsize=8)
ax.set_title("Downtime CDF by migration kind")
fig.tight_layout()
fig.savefig(f"{FIGURES}/downtime_cdf.png", dpi=120)

# %% Bytes per pre-copy round (live)
live = rounds[(rounds.kind == "live") & (rounds.stage == "memory")]
fig, ax = plt.subplots(figsize=(6, 4))
stats = live.groupby("round").bytes_sent.agg(["mean", "min", "max"]) / 2**20
ax.plot(stats.index, stats["mean"], marker="o", label="mean")
ax.fill_between(stats.index, stats["min"], stats["max"], alpha=0.2, label="min to max")
ax.set_yscale("log")
ax.set_xlabel("pre-copy round")
ax.set_ylabel("bytes sent in the round (MiB, log scale)")
ax.set_title("Live migration: bytes per round")
ax.legend()
fig.tight_layout()
fig.savefig(f"{FIGURES}/bytes_per_round.png", dpi=120)
