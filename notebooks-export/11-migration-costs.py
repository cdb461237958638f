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
# # 11 · The cost of migration beyond downtime under PRO balancing
#
# Experiment `experiments/11-migration-costs.sh` (sweep
# `experiments/11-migration-costs.yaml`): the built-in balance scenario (48 VMs
# of 4 GiB packed on 3 of 8 hosts of 16 cores, CPU demand redrawn every 60 s,
# PRO balancing at 60 %) for one simulated hour, per migration kind, stop
# policy and whether empty hosts are switched off; 3 replications, each with
# its own seed. Per run, `summary.csv` gives host energy (IBM x3550
# SPECpower_ssj2008 curve), SLATAH, PDM and SLAV (Beloglazov and Buyya, CCPE
# 2012) and the service lost beyond downtime (`degradation_total_s`).
#
# Input: `$MIGSIM_RESULTS_11`, default `results/11-migration-costs`. Figures go
# to `$MIGSIM_FIGURES`, default `notebooks-export/figures`.

# %%
import matplotlib.pyplot as plt
import pandas as pd

from migsim_notebook import *  # shared: paths, save(), sweep_table(), styles (notebooks-export/migsim_notebook.py)

EXPERIMENT = "11-migration-costs"
DATA, FIGURES = setup(EXPERIMENT, "11")

s = sweep_table("summary.csv")
s["switch_off"] = s["energy.switch_off_empty"].astype(str).str.lower() == "true"
s["energy_kwh"] = s.energy_hosts_j / 3.6e6
kinds = [k for k in ["live", "post-copy", "quick"] if k in set(s.kind)]
policies = [p for p in POLICIES if p in set(s["migration.policy"])]
print(f"input: {shown(DATA)}: {len(s)} runs, kinds {', '.join(kinds)}, policies {', '.join(policies)}")


# %%
def bars(ax, table: pd.DataFrame, column: str, ylabel: str, log: bool = False) -> None:
    width = 0.8 / len(policies)
    for j, p in enumerate(policies):
        means = [table[(table.kind == k) & (table["migration.policy"] == p)][column].mean() for k in kinds]
        ax.bar([i + (j - (len(policies) - 1) / 2) * width for i in range(len(kinds))], means, width, label=p,
               color=STYLE[p]["color"])
    ax.set_xticks(range(len(kinds)))
    ax.set_xticklabels(kinds)
    ax.set_ylabel(ylabel)
    if log:
        ax.set_yscale("log")


# %% [markdown]
# ## Energy and SLA figures by kind and policy (empty hosts left on)
# Quick migration keeps VMs down and hosts overloaded longer: higher SLATAH
# and PDM. The stop policy only matters for live migration, where QEMU's
# 128 MiB/s cap makes migrations (and so PDM) longer.

# %%
on = s[~s.switch_off]
fig, axes = plt.subplots(1, 4, figsize=(17, 3.8))
bars(axes[0], on, "energy_kwh", "host energy over 1 h (kWh)")
bars(axes[1], on, "slatah", "SLATAH (share of active time at 100 % CPU)")
bars(axes[2], on, "pdm", "PDM (share of CPU lost to migration)", log=True)
bars(axes[3], on, "slav", "SLAV = SLATAH x PDM", log=True)
fig.suptitle("PRO balancing for 1 h, 48 VMs on 8 hosts: costs beyond downtime (mean of 3 replications)", fontsize=10)
fig.tight_layout()
handles, labels = axes[0].get_legend_handles_labels()
fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(policies), title="stop policy (live only)")
save(fig, "costs_by_kind_policy")

# %% [markdown]
# ## Switching empty hosts off
# Balancing spreads VMs onto the empty hosts within minutes, so switching them
# off while empty saves little here; a consolidation plan that packs VMs and
# empties hosts would save more.

# %%
fig, ax = plt.subplots(figsize=(6, 3.8))
for j, off in enumerate([False, True]):
    means = [s[(s.kind == k) & (s.switch_off == off)].energy_kwh.mean() for k in kinds]
    ax.bar([i + (j - 0.5) * 0.4 for i in range(len(kinds))], means, 0.4, label="empty hosts off" if off else "empty hosts on")
ax.set_xticks(range(len(kinds)))
ax.set_xticklabels(kinds)
ax.set_ylabel("host energy over 1 h (kWh)")
lo = s.energy_kwh.min()
ax.set_ylim(lo * 0.98, s.energy_kwh.max() * 1.005)
ax.legend(fontsize=8)
fig.suptitle("Host energy with and without switching empty hosts off", fontsize=10)
fig.tight_layout()
save(fig, "costs_switch_off")

# %% [markdown]
# Mean figures by kind and policy (empty hosts on):

# %%
on.groupby(["kind", "migration.policy"])[["energy_kwh", "slatah", "pdm", "slav", "degradation_total_s", "downtime_mean_s"]].mean()
