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
import os
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: every figure is saved as PNG, then shown from the file
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Image, display

EXPERIMENT = "02-policies-dirty-rate"


def repo_root() -> Path:
    """$MIGSIM_ROOT, else the nearest directory above the working directory holding Package.swift."""
    if os.environ.get("MIGSIM_ROOT"):
        return Path(os.environ["MIGSIM_ROOT"]).resolve()
    here = Path.cwd().resolve()
    return next((d for d in [here, *here.parents] if (d / "Package.swift").is_file()), here)


ROOT = repo_root()


def path_from_env(name: str, default) -> Path:
    p = Path(os.environ.get(name) or default)
    return p if p.is_absolute() else ROOT / p


def shown(p: Path) -> str:
    """A path as printed in the notebook: relative to the repository when inside it."""
    try:
        return str(p.resolve().relative_to(ROOT))
    except ValueError:
        return str(p)


DATA = path_from_env("MIGSIM_RESULTS_02", path_from_env("MIGSIM_RESULTS", "results") / EXPERIMENT)
FIGURES = path_from_env("MIGSIM_FIGURES", "notebooks-export/figures")
FIGURES.mkdir(parents=True, exist_ok=True)
plt.rcParams.update({"figure.dpi": 100, "savefig.dpi": 120, "axes.grid": True, "grid.alpha": 0.3,
                     "legend.fontsize": 8, "axes.titlesize": 11})


def save(fig, name: str) -> None:
    """Writes FIGURES/<name>.png and shows that file."""
    path = FIGURES / f"{name}.png"
    fig.savefig(path, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    display(Image(filename=str(path)))
    print(f"wrote {shown(path)}")


def sweep_table(name: str) -> pd.DataFrame:
    """A merged sweep CSV joined with runs.csv (grid values per run)."""
    path = DATA / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run experiments/{EXPERIMENT}.sh first")
    runs = pd.read_csv(DATA / "runs.csv", dtype=str).drop(columns=["seed", "replication"])
    runs["run_id"] = runs.run_id.astype(int)
    return pd.read_csv(path).merge(runs, on="run_id", validate="many_to_one")


def gbps(rate: str) -> float:
    """'10Gbps', '2.5Gbps', '100Mbps' -> Gbit/s."""
    value, unit = re.fullmatch(r"([0-9.]+)\s*([KMG]?)bps", rate.strip()).groups()
    return float(value) * {"": 1e-9, "K": 1e-6, "M": 1e-3, "G": 1.0}[unit]


def first_number(text: str) -> float:
    """'40000' or 'constant(40000)' -> 40000.0."""
    return float(re.search(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?", str(text)).group())


def completed(m: pd.DataFrame) -> pd.DataFrame:
    """Migrations that ran to the end (not refused, not aborted)."""
    return m[m.refused_reason.isna() & ~m.aborted.astype(bool) & m.end_s.notna()]


def link_label(g: float) -> str:
    return f"{g:g} Gbit/s"


# Stop policies in migsim's documentation order, each with a fixed colour and marker.
POLICIES = ["hyperv-2008r2", "hyperv-2012r2", "qemu", "xen-legacy", "xen", "vmware", "simgrid", "custom"]
STYLE = {p: dict(color=plt.cm.tab10(i), marker="osD^v<>P"[i], ls=["-", "--", "-", "-.", ":", "-", "--", ":"][i])
         for i, p in enumerate(POLICIES)}
PAGE_BYTES = 4096          # the scenario's page size (vms.page_size default)
PROTOCOL_EFFICIENCY = 0.94  # payload share of the NIC line rate (cluster.protocol_efficiency default)

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
