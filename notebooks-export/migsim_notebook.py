"""Shared set-up of the migsim notebooks: paths, figure saving, CSV loading and styles.

Each notebook does `from migsim_notebook import *` and `DATA, FIGURES = setup(EXPERIMENT, "0N")`.
Inputs come from $MIGSIM_RESULTS_0N, else $MIGSIM_RESULTS/<experiment>, else results/<experiment>;
figures go to $MIGSIM_FIGURES, else notebooks-export/figures (relative paths are taken from the
repository root, found as $MIGSIM_ROOT or the nearest directory above holding Package.swift).
"""
import os
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: every figure is saved as PNG, then shown from the file
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Image, display

__all__ = ["setup", "save", "sweep_table", "load", "gbps", "first_number", "completed", "link_label", "shown",
           "ROOT", "POLICIES", "STYLE", "PAGE_BYTES", "PROTOCOL_EFFICIENCY"]


def repo_root() -> Path:
    """$MIGSIM_ROOT, else the nearest directory above the working directory holding Package.swift."""
    if os.environ.get("MIGSIM_ROOT"):
        return Path(os.environ["MIGSIM_ROOT"]).resolve()
    here = Path.cwd().resolve()
    return next((d for d in [here, *here.parents] if (d / "Package.swift").is_file()), here)


ROOT = repo_root()
_context = {}


def path_from_env(name: str, default) -> Path:
    p = Path(os.environ.get(name) or default)
    return p if p.is_absolute() else ROOT / p


def shown(p: Path) -> str:
    """A path as printed in the notebook: relative to the repository when inside it."""
    try:
        return str(p.resolve().relative_to(ROOT))
    except ValueError:
        return str(p)


def setup(experiment: str, number: str):
    """Resolves the input and figure directories for `experiment` and sets the plot style."""
    data = path_from_env(f"MIGSIM_RESULTS_{number}", path_from_env("MIGSIM_RESULTS", "results") / experiment)
    figures = path_from_env("MIGSIM_FIGURES", "notebooks-export/figures")
    figures.mkdir(parents=True, exist_ok=True)
    plt.rcParams.update({"figure.dpi": 100, "savefig.dpi": 120, "axes.grid": True, "grid.alpha": 0.3,
                         "legend.fontsize": 8, "axes.titlesize": 11})
    _context.update(experiment=experiment, data=data, figures=figures)
    return data, figures


def save(fig, name: str) -> None:
    """Writes FIGURES/<name>.png and shows that file."""
    path = _context["figures"] / f"{name}.png"
    fig.savefig(path, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    display(Image(filename=str(path)))
    print(f"wrote {shown(path)}")


def sweep_table(name: str) -> pd.DataFrame:
    """A merged sweep CSV joined with runs.csv (grid values per run)."""
    data = _context["data"]
    path = data / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run experiments/{_context['experiment']}.sh first")
    runs = pd.read_csv(data / "runs.csv", dtype=str).drop(columns=["seed", "replication"])
    runs["run_id"] = runs.run_id.astype(int)
    return pd.read_csv(path).merge(runs, on="run_id", validate="many_to_one")


def load(name: str) -> pd.DataFrame:
    """One CSV of every `<link>gbps/seed<N>/` run directory, with link_gbps taken from the directory name."""
    data, experiment = _context["data"], _context["experiment"]
    frames = []
    for path in sorted(data.glob(f"*gbps/seed*/{name}")):
        df = pd.read_csv(path)
        df.insert(0, "link_gbps", float(path.parent.parent.name.removesuffix("gbps")))
        frames.append(df)
    if not frames:
        raise FileNotFoundError(f"no */seed*/{name} under {data}: run experiments/{experiment}.sh first")
    return pd.concat(frames, ignore_index=True)


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
POLICIES = ["hyperv-2008r2", "hyperv-2012r2", "qemu", "xen-legacy", "xen-2005", "xen", "vmware", "simgrid", "nova", "custom"]
STYLE = {p: dict(color=plt.cm.tab10(i), marker="osD^v<>P*Xh"[i], ls=["-", "--", "-", "-.", ":", ":", "-", "--", "-.", ":"][i])
         for i, p in enumerate(POLICIES)}
PAGE_BYTES = 4096          # the scenario's page size (vms.page_size default)
PROTOCOL_EFFICIENCY = 0.94  # payload share of the NIC line rate (cluster.protocol_efficiency default)
