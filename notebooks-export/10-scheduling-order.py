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
# # 10 · Scheduling order on a mass evacuation
#
# Experiment `experiments/10-scheduling-order.sh` (sweep
# `experiments/10-scheduling-order.yaml`): hosts 0 and 1 of an 8-host cluster
# are evacuated at once, 80 VMs of 2, 4 and 8 GiB with idle, web and database
# workloads, live migration, 2 migrations per host, so most requests queue
# behind their source's slots. `scenario.order` decides which queued request
# gets a freed slot first. 1 and 10 Gbit/s, 5 replications.
#
# Input: `$MIGSIM_RESULTS_10`, default `results/10-scheduling-order`. Figures
# go to `$MIGSIM_FIGURES`, default `notebooks-export/figures`.

# %%
import matplotlib.pyplot as plt
import pandas as pd

from migsim_notebook import *  # shared: paths, save(), sweep_table(), styles (notebooks-export/migsim_notebook.py)

EXPERIMENT = "10-scheduling-order"
DATA, FIGURES = setup(EXPERIMENT, "10")

m = completed(sweep_table("migrations.csv"))
m["link_gbps"] = m["cluster.host.nic"].map(gbps)
m["completion_s"] = m.end_s - m.request_s  # queue + migration: what the VM's owner waits
s = sweep_table("summary.csv")
s["link_gbps"] = s["cluster.host.nic"].map(gbps)
ORDERS = ["fifo", "smallest-first", "largest-first", "lowest-dirty-rate-first", "shortest-expected-first", "longest-expected-first"]
orders = [o for o in ORDERS if o in set(m["scenario.order"])]
LINKS = sorted(m.link_gbps.unique())
per_run = m.groupby(["run_id", "scenario.order", "link_gbps"]).completion_s.mean().reset_index()
print(f"input: {shown(DATA)}: {len(m)} completed migrations in {m.run_id.nunique()} runs, orders {', '.join(orders)}")


# %%
def by_order(table: pd.DataFrame, column: str, ylabel: str, title: str, name: str) -> None:
    fig, axes = plt.subplots(1, len(LINKS), figsize=(5.2 * len(LINKS), 4.0), squeeze=False)
    for ax, link in zip(axes[0], LINKS):
        sub = table[table.link_gbps == link]
        means = [sub[sub["scenario.order"] == o][column].mean() for o in orders]
        sds = [sub[sub["scenario.order"] == o][column].std() for o in orders]
        ax.bar(range(len(orders)), means, yerr=sds, capsize=3, color=[plt.cm.tab10(i) for i in range(len(orders))])
        ax.set_xticks(range(len(orders)))
        ax.set_xticklabels(orders, rotation=35, ha="right", fontsize=8)
        ax.set_title(f"migration NIC {link_label(link)}")
        ax.set_ylabel(ylabel)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    save(fig, name)


# %% [markdown]
# ## Mean completion time (request to end, queueing included)
# Serving the shortest migrations first (by memory, or by the closed-form
# estimate) lowers the mean completion time, as the shortest-processing-time
# rule predicts; serving the longest first raises it.

# %%
by_order(per_run, "completion_s", "mean completion time per VM (s)",
         "Evacuating 80 VMs from 2 hosts: mean completion time by scheduling order (bars: sd over 5 replications)", "order_completion_time")

# %% [markdown]
# ## Makespan (first request to last end)
# The evacuation's total length changes much less with the order: the same
# bytes cross the same two source NICs.

# %%
by_order(s, "makespan_s", "makespan (s)",
         "Evacuating 80 VMs from 2 hosts: makespan by scheduling order (bars: sd over 5 replications)", "order_makespan")

# %% [markdown]
# Mean completion time and makespan (s) by order and link:

# %%
table = per_run.groupby(["scenario.order", "link_gbps"]).completion_s.mean().unstack().round(1)
table.columns = [f"completion {link_label(c)}" for c in table.columns]
mk = s.groupby(["scenario.order", "link_gbps"]).makespan_s.mean().unstack().round(1)
mk.columns = [f"makespan {link_label(c)}" for c in mk.columns]
table.join(mk).reindex(orders)
