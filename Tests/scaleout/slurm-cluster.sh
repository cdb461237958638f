#!/usr/bin/env bash
# A throw-away one-node Slurm cluster for migsim's scale-out test (Debian's
# slurmctld, slurmd, slurm-client and munge; root; no systemd).
#   slurm-cluster.sh up|down        state lives under $BASE (default /tmp/migsim-slurm)
# Clients use: export SLURM_CONF=$BASE/etc/slurm.conf. `down` stops the daemons by PID.
set -euo pipefail
BASE=${BASE:-/tmp/migsim-slurm}
CONF=$BASE/etc/slurm.conf
HOST=$(hostname -s)

install() {
    command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null && command -v sbatch >/dev/null && return
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
}

up() {
    install
    mkdir -p "$BASE"/{etc,state,spool,log,run,munge,key}
    chmod 0755 "$BASE/munge"; chmod 0700 "$BASE/key"
    [ -f "$BASE/key/munge.key" ] || mungekey -c -k "$BASE/key/munge.key"
    chmod 0600 "$BASE/key/munge.key"
    # The node line comes from the hardware, so memory and cores always match.
    local node; node=$(slurmd -C | head -1)
    cat >"$CONF" <<CONF
ClusterName=migsim
SlurmctldHost=${HOST}(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$BASE/munge/munge.socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MailProg=/bin/true
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$BASE/state
SlurmdSpoolDir=$BASE/spool/slurmd.%n
SlurmctldPidFile=$BASE/run/slurmctld.pid
SlurmdPidFile=$BASE/run/slurmd.%n.pid
SlurmctldLogFile=$BASE/log/slurmctld.log
SlurmdLogFile=$BASE/log/slurmd.%n.log
MaxArraySize=100001
${node} NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
    munged --key-file="$BASE/key/munge.key" --socket="$BASE/munge/munge.socket" --pid-file="$BASE/run/munged.pid" \
           --log-file="$BASE/log/munged.log" --seed-file="$BASE/munge/munged.seed"
    slurmctld -f "$CONF"
    slurmd -f "$CONF"
    export SLURM_CONF=$CONF
    for _ in $(seq 150); do
        sinfo -h -N -o '%T' 2>/dev/null | grep -qx idle && { echo "slurm up"; return 0; }
        sleep 0.2
    done
    echo "slurm did not come up" >&2; tail -n 20 "$BASE"/log/*.log >&2 || true
    return 1
}

down() {
    local f p
    for f in "$BASE/run/slurmd.${HOST}.pid" "$BASE/run/slurmctld.pid" "$BASE/run/munged.pid"; do
        [ -f "$f" ] || continue
        p=$(cat "$f"); kill -TERM "$p" 2>/dev/null || continue
        for _ in $(seq 100); do   # gone, or a zombie under a non-reaping PID 1
            st=$(ps -o stat= -p "$p" 2>/dev/null || true)
            { [ -z "$st" ] || [ "${st#Z}" != "$st" ]; } && break
            sleep 0.1
        done
    done
    echo "slurm down"
}

case "${1:-}" in up) up ;; down) down ;; *) echo "usage: $0 up|down" >&2; exit 2 ;; esac
