#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The host half of `make bench`: the two stacks' results side by side.

    report.py RUNDIR OUTDIR ROUTES

reads RUNDIR/{mainline,rust}.out (tests/bench/bench.sh's "RESULT name value" lines)
and RUNDIR/*.err (vm-run's log, for the accelerator), and writes OUTDIR/results.txt and
OUTDIR/results.png.
"""
import datetime
import os
import platform
import re
import sys


def metrics(routes):
    big = f"{routes // 1000000}M" if routes % 1000000 == 0 else f"{routes}"
    # name, what, unit, higher is better
    return [
        ("fwd_pps", "forwarding, 96-byte UDP via a router netns", "packets/s", True),
        ("tnl_ip6ip6_pps", "the same into an ip6ip6 tunnel, decapsulated", "packets/s", True),
        ("tnl_sit_pps", "the same into a sit (6in4) tunnel, decapsulated", "packets/s", True),
        ("lookup_ns_10", "route lookup, 10 routes", "ns/lookup", False),
        ("lookup_ns_10k", "route lookup, 10k routes", "ns/lookup", False),
        ("lookup_ns_big", f"route lookup, {big} routes", "ns/lookup", False),
        ("klookup_ns_10", "in-kernel lookup (ip6_route_output), 10 routes", "ns/lookup", False),
        ("klookup_ns_10k", "in-kernel lookup, 10k routes", "ns/lookup", False),
        ("klookup_ns_big", f"in-kernel lookup, {big} routes", "ns/lookup", False),
        ("insert_per_s", f"route insertion (ip -batch, {big} routes)", "routes/s", True),
        ("bytes_per_route", f"memory per route ({big} routes)", "bytes", False),
        ("rule_ns_1", "lookup behind 1 rule", "ns/lookup", False),
        ("rule_ns_100", "lookup behind 100 rules", "ns/lookup", False),
        ("rule_ns_1000", "lookup behind 1000 rules", "ns/lookup", False),
    ]


def read(path):
    got = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"RESULT (\S+) (\S+)", line)
            if m:
                got[m.group(1)] = float(m.group(2))
    return got


def accel(rundir):
    for name in ("mainline.err", "rust.err"):
        try:
            with open(os.path.join(rundir, name)) as f:
                m = re.search(r"accel=(\w+)", f.read())
                if m:
                    return m.group(1)
        except OSError:
            pass
    return "unknown"


def cpu():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    rundir, outdir, routes = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ml, rs = read(os.path.join(rundir, "mainline.out")), read(os.path.join(rundir, "rust.out"))
    rows = []
    for name, what, unit, higher in metrics(routes):
        a, b = ml.get(name), rs.get(name)
        if a is None or b is None:
            rows.append((what, unit, a, b, None, "not measured"))
            continue
        ratio = b / a if a else float("inf")
        better = ratio > 1 if higher else ratio < 1
        verdict = "same" if abs(ratio - 1) < 0.05 else ("ipv6_rs" if better else "mainline")
        rows.append((what, unit, a, b, ratio, verdict))

    mode = accel(rundir)
    head = [
        "ipv6_rs benchmark: mainline ipv6.ko and ipv6_rs.ko on the same test kernel",
        "",
        f"date:     {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"host:     {cpu()}, {os.cpu_count()} cores, Linux {platform.release()}",
        f"guest:    Linux 6.12 bench flavour (no KASAN/lockdep/kmemleak), 2 vCPUs, 8 GiB, "
        f"QEMU accel={mode}",
        "method:   tests/bench/bench.sh (make bench); ratio = ipv6_rs / mainline",
    ]
    if mode == "tcg":
        head.append("note:     TCG emulates the CPU: absolute numbers are far below real "
                    "hardware; compare the ratios.")
    w = max(len(r[0]) for r in rows)
    lines = head + [
        "",
        f"{'measurement':<{w}}  {'unit':<10} {'mainline':>12} {'ipv6_rs':>12} {'ratio':>7}  better",
    ]
    for what, unit, a, b, ratio, verdict in rows:
        fa = f"{a:.0f}" if a is not None else "-"
        fb = f"{b:.0f}" if b is not None else "-"
        fr = f"{ratio:.2f}" if ratio is not None else "-"
        lines.append(f"{what:<{w}}  {unit:<10} {fa:>12} {fb:>12} {fr:>7}  {verdict}")
    with open(os.path.join(outdir, "results.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = [r for r in rows if r[4] is not None]
    labels = [f"{r[0]}\n({r[1]}, {'higher' if m[3] else 'lower'} is better)"
              for r, m in zip(rows, metrics(routes)) if r[4] is not None]
    fig, ax = plt.subplots(figsize=(10, 0.8 * len(shown) + 1.5))
    ys = range(len(shown))
    ax.barh([y + 0.2 for y in ys], [1.0] * len(shown), height=0.4, label="mainline ipv6.ko",
            color="#7f7f7f")
    ax.barh([y - 0.2 for y in ys], [r[4] for r in shown], height=0.4, label="ipv6_rs.ko",
            color="#d95f02")
    for y, r in zip(ys, shown):
        ax.text(r[4], y - 0.2, f" {r[4]:.2f}", va="center", fontsize=8)
    ax.set_yticks(list(ys))
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("relative to mainline (mainline = 1)")
    ax.set_title(f"ipv6_rs vs mainline, {head[2].split(':', 1)[1].strip()}, accel={mode}")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(outdir, "results.png"), dpi=100)


if __name__ == "__main__":
    main()
