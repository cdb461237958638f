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
# # 13 · Consolidation over a simulated day: energy saved against SLA violations
#
# Experiment `experiments/13-consolidation-day.sh` (sweep
# `experiments/13-consolidation-day.yaml`): 48 VMs of 4 GiB (web profile, 1.5
# cores each) start spread over 8 hosts of 16 cores (6 per host, 56 % load).
# At t = 0 a migration plan packs them onto 5 hosts (15 or 13.5 cores each) or
# onto 4 (18 cores each: saturated), or nothing moves; the cluster then runs
# for 24 simulated hours, with the emptied hosts left on or switched off
# (`energy.switch_off_empty`). Every run is costed over the whole day
# (`energy.window: horizon`): host energy (IBM x3550 SPECpower_ssj2008
# curve), SLATAH, PDM and SLAV (Beloglazov and Buyya, CCPE 2012) and VMs over
# their downtime budget (99.95 % over 30 days); 2 replications.
#
# Host load in migsim is the VMs' mean CPU demand (nothing redraws it without
# PRO balancing), so a host is saturated all day or never: SLATAH here says
# how many hosts were packed past their cores, not how often a load peak hit them.
#
# Input: `$MIGSIM_RESULTS_13`, default `results/13-consolidation-day`. Figures
# go to `$MIGSIM_FIGURES`, default `notebooks-export/figures`.

# %%
import matplotlib.pyplot as plt

from migsim_notebook import *  # shared: paths, save(), sweep_table(), styles (notebooks-export/migsim_notebook.py)

EXPERIMENT = "13-consolidation-day"
DATA, FIGURES = setup(EXPERIMENT, "13")

s = sweep_table("summary.csv")
s["switch_off"] = s["energy.switch_off_empty"].astype(str).str.lower() == "true"
s["plan"] = s["scenario.plan"].str.extract(r"consolidation-(\w+)\.csv", expand=False).map(
    {"none": "none", "5hosts": "pack onto 5", "4hosts": "pack onto 4"})
s["energy_kwh"] = s.energy_hosts_j / 3.6e6
kinds = [k for k in ["live", "post-copy", "quick"] if k in set(s.kind)]
plans = [p for p in ["none", "pack onto 5", "pack onto 4"] if p in set(s.plan)]
print(f"input: {shown(DATA)}: {len(s)} runs, kinds {', '.join(kinds)}, plans {', '.join(plans)}")

# %% [markdown]
# ## Host energy over the day
# Packing alone saves little or nothing on this curve: an idle x3550 still
# draws 58.4 W of its 222 W peak, and the packed hosts run on the steeper top
# of the curve, so packing onto 5 hosts with the emptied hosts left on draws
# slightly more than not packing; packing onto 4 saves because those hosts
# are capped at 222 W while overloaded. Switching the emptied hosts off is
# what saves energy. The kind hardly matters over a day: the migrations take
# minutes.

# %%
fig, axes = plt.subplots(1, len(kinds), figsize=(5 * len(kinds), 3.8), sharey=True, squeeze=False)
for ax, k in zip(axes[0], kinds):
    for j, off in enumerate([False, True]):
        means = [s[(s.kind == k) & (s.plan == p) & (s.switch_off == off)].energy_kwh.mean() for p in plans]
        ax.bar([i + (j - 0.5) * 0.4 for i in range(len(plans))], means, 0.4,
               label="emptied hosts off" if off else "emptied hosts on")
    ax.set_xticks(range(len(plans)))
    ax.set_xticklabels(plans)
    ax.set_title(k)
axes[0][0].set_ylabel("host energy over the run (kWh)")
axes[0][0].legend(fontsize=8)
fig.suptitle("Consolidating 48 VMs from 8 hosts: host energy over the simulated day (mean of replications)", fontsize=10)
fig.tight_layout()
save(fig, "consolidation_day")

# %% [markdown]
# ## What the energy costs in SLA terms
# Energy saved (against no consolidation, same kind and switch-off setting)
# next to SLATAH, PDM, SLAV and downtime-budget breaches. Packing onto 4 hosts
# saturates them all day (SLATAH near one half: 4 of the 8 hosts that ran VMs);
# packing onto 5 keeps every host below its cores. PDM is the migrations' own
# cost, small over a day; quick migration's is larger because its VMs are
# down (and counted as migrating) for minutes while the SAN is shared. No VM
# breaks its budget (1,296 s): quick migration's mean downtime of a few
# minutes stays well inside it.

# %%
base = s[s.plan == "none"].groupby(["kind", "switch_off"]).energy_kwh.mean()
s["saved_kwh"] = [base[(k, o)] - e for k, o, e in zip(s.kind, s.switch_off, s.energy_kwh)]
off = s[s.switch_off]
panels = [("saved_kwh", "energy saved vs none (kWh), emptied hosts off", False),
          ("slatah", "SLATAH (share of active time at 100 % CPU)", False),
          ("pdm", "PDM (share of CPU lost to migration)", False),
          ("downtime_budget_breaches", "VMs over their downtime budget", False)]
fig, axes = plt.subplots(1, len(panels), figsize=(17, 3.8))
width = 0.8 / len(kinds)
for ax, (column, label, log) in zip(axes, panels):
    for j, k in enumerate(kinds):
        means = [off[(off.kind == k) & (off.plan == p)][column].mean() for p in plans]
        ax.bar([i + (j - (len(kinds) - 1) / 2) * width for i in range(len(plans))], means, width, label=k)
    ax.set_xticks(range(len(plans)))
    ax.set_xticklabels(plans)
    ax.set_ylabel(label, fontsize=8)
    ax.set_ylim(bottom=0)
axes[0].legend(fontsize=8, title="kind")
fig.suptitle("Energy saved against SLA figures, emptied hosts switched off (mean of replications)", fontsize=10)
fig.tight_layout()
save(fig, "consolidation_sla")

# %% [markdown]
# Mean figures by kind, plan and switch-off setting:

# %%
s.groupby(["kind", "plan", "switch_off"])[["energy_kwh", "slatah", "pdm", "slav", "downtime_budget_breaches",
                                            "downtime_mean_s", "migrations"]].mean()
