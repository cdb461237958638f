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
# # 04 · Rolling maintenance of a 1,000-VM cluster
#
# Experiment `experiments/04-rolling-maintenance.sh` (`migsim run --scenario
# rolling --time-series 60`): 1,000 VMs on hosts 1 to 50 (host 0 an empty
# spare); every host is drained in turn, updated and brought back, and
# placement prefers updated hosts, so every VM moves exactly once (live
# migration, `hyperv-2008r2` stop policy, two migrations per host at once).
# Over 10 GbE and 1 GbE, seeds 1 to 3 (`--small`: 100 VMs on 6 hosts, seed 1).
#
# Input: `$MIGSIM_RESULTS_04`, default `results/04-rolling-maintenance`
# (`<link>gbps/seed<N>/{migrations,summary,hosts}.csv`; `hosts.csv` is
# sampled every 60 s). Figures go to `$MIGSIM_FIGURES`, default
# `notebooks-export/figures`.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from migsim_notebook import *  # shared: paths, save(), sweep_table(), styles (notebooks-export/migsim_notebook.py)

EXPERIMENT = "04-rolling-maintenance"
DATA, FIGURES = setup(EXPERIMENT, "04")


migrations = load("migrations.csv")
summary = load("summary.csv")
hosts = load("hosts.csv")
done = completed(migrations)
LINKS = sorted(float(l) for l in done.link_gbps.unique())
SEEDS = sorted(int(x) for x in summary.seed.unique())
LINK_COLOR = {l: c for l, c in zip(LINKS, ["tab:red", "tab:blue", "tab:green", "tab:purple"])}
APP_TIMEOUT_S = float(summary.app_timeout_s.iloc[0])
print(f"input: {shown(DATA)}: links {', '.join(map(link_label, LINKS))}, seeds {SEEDS}, "
      f"{int(summary.migrations.iloc[0])} VMs on {migrations.source_host.nunique()} hosts per run")

# %% [markdown]
# Per link speed and seed: the maintenance window (when the last host came
# back), downtime statistics, migrations whose downtime exceeded the
# application timeout, and migrations whose pre-copy did not converge:

# %%
table = summary.assign(maintenance_window_h=summary.maintenance_window_s / 3600).set_index(["link_gbps", "seed"])[
    ["migrations", "completed", "maintenance_window_h", "downtime_mean_s", "downtime_p95_s", "downtime_max_s",
     "total_time_mean_s", "queue_mean_s", "over_app_timeout", "non_converged"]]
table.round(3)

# %% [markdown]
# ## Progress
# Migrations completed over time, one line per seed; dotted: when the last
# host came back (summary.csv `maintenance_window_s`).

# %%
fig, axes = plt.subplots(1, len(LINKS), figsize=(4.8 * len(LINKS), 4.0), sharey=True, squeeze=False)
for ax, link in zip(axes[0], LINKS):
    for i, seed in enumerate(SEEDS):
        ends = np.sort(done[(done.link_gbps == link) & (done.seed == seed)].end_s.to_numpy()) / 3600
        ax.step(np.r_[0, ends], np.arange(len(ends) + 1), where="post", lw=1.1, color=plt.cm.tab10(i), label=f"seed {seed}")
    window = summary[summary.link_gbps == link].maintenance_window_s.median() / 3600
    ax.axvline(window, color="grey", ls=":", lw=1)
    ax.annotate(f"maintenance window {window:.2f} h (median)", (window, 0.03), xycoords=("data", "axes fraction"),
                rotation=90, ha="right", va="bottom", fontsize=8, color="grey")
    ax.set_xlim(0, None)
    ax.set_xlabel("simulated time (h)")
    ax.set_title(f"migration NIC {link_label(link)}")
axes[0][0].set_ylabel("migrations completed")
axes[0][0].legend(loc="upper left")
fig.suptitle(f"Rolling maintenance of {int(summary.migrations.iloc[0])} VMs: progress", fontsize=10)
fig.tight_layout()
save(fig, "rolling_progress")

# %% [markdown]
# ## The rolling wave (first seed)
# Share of each host's memory held by VMs (hosts.csv `memory_used`, sampled
# every 60 s): each host empties while it is drained, stays empty while it is
# updated, and fills again as it takes the VMs of later hosts. Host 0 is the
# spare that starts empty.

# %%
seed = SEEDS[0]
fig, axes = plt.subplots(1, len(LINKS), figsize=(5.2 * len(LINKS), 4.4), squeeze=False)
for ax, link in zip(axes[0], LINKS):
    h = hosts[(hosts.link_gbps == link) & (hosts.seed == seed)]
    grid = h.pivot(index="host", columns="time_s", values="memory_used")
    t = grid.columns.to_numpy() / 3600
    image = ax.pcolormesh(np.r_[t, t[-1] + (t[-1] - t[-2] if len(t) > 1 else 1 / 60)], np.arange(len(grid) + 1) - 0.5,
                          grid.to_numpy(), cmap="viridis", vmin=0, vmax=1, shading="flat", rasterized=True)
    ax.grid(False)
    ax.set_xlabel("simulated time (h)")
    ax.set_title(f"migration NIC {link_label(link)}, seed {seed}")
axes[0][0].set_ylabel("host")
fig.colorbar(image, ax=axes[0].tolist(), label="share of host memory held by VMs", shrink=0.9)
fig.suptitle(f"Rolling maintenance of {int(summary.migrations.iloc[0])} VMs: host memory over time", fontsize=10)
save(fig, "rolling_activity")

# %% [markdown]
# ## Downtime CDF
# Every migration of every seed; dashed: the application timeout.

# %%
fig, ax = plt.subplots(figsize=(6.5, 4))
for link in LINKS:
    d = np.sort(done[done.link_gbps == link].downtime_s.to_numpy())
    over = (d > APP_TIMEOUT_S).mean()
    ax.step(d, np.arange(1, len(d) + 1) / len(d), where="post", color=LINK_COLOR[link],
            label=f"{link_label(link)} (n={len(d)}, {over:.1%} over {APP_TIMEOUT_S:g} s)")
ax.axvline(APP_TIMEOUT_S, color="grey", ls="--", lw=1)
ax.set_xscale("log")
ax.set_ylim(0, 1.02)
ax.set_xlabel("downtime (s, log scale)")
ax.set_ylabel("share of migrations with downtime ≤ x")
ax.set_title("Rolling maintenance: downtime CDF")
ax.legend(title="migration NIC", loc="lower right")
fig.tight_layout()
save(fig, "rolling_downtime_cdf")
