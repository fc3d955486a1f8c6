#!/usr/bin/env python3
"""Prints run.sh's table: medians of the hyperfine JSON exports, ratios, targets.

usage: summarize.py WORK_DIR FILES BYTES SUBSET_FILES SUBSET_BYTES DOCUMENTS
Exits 1 when a target is missed.
"""
import glob
import json
import os
import statistics
import sys

TARGET_FLOOR_RATIO = 3.0
TARGET_DOCS_PER_S = 10_000
TARGET_RSS_MIB = 200
TARGET_SMALL_MS = 30.0


def load(work, pattern, times, cpu):
    """Adds each command's wall times and mean CPU times (user + system, seconds)."""
    for path in sorted(glob.glob(os.path.join(work, pattern))):
        with open(path) as f:
            for result in json.load(f)["results"]:
                times.setdefault(result["command"], []).extend(result["times"])
                cpu.setdefault(result["command"], []).append(result["user"] + result["system"])


def main():
    work = sys.argv[1]
    files, total_bytes, subset_files, subset_bytes, docs = map(int, sys.argv[2:7])
    runs, cpu_means = {}, {}
    for pattern in ("tree-*.json", "yamllint-*.json", "small.json"):
        load(work, pattern, runs, cpu_means)
    cpu = {name: statistics.mean(c) for name, c in cpu_means.items()}
    med = {name: statistics.median(t) for name, t in runs.items()}
    spread = {name: (min(t), max(t), len(t)) for name, t in runs.items()}
    rss_kib = []
    for path in glob.glob(os.path.join(work, "rss-*.txt")):
        with open(path) as f:
            rss_kib.append(int(f.read().split()[-1]))
    rss_mib = max(rss_kib) / 1024
    scale = total_bytes / subset_bytes
    yamllint = med["yamllint"] * scale
    validate = med["validate"]
    docs_per_s = docs / validate
    mib = total_bytes / (1 << 20)

    def row(label, value, name=None):
        cpu_text = spread_text = ""
        if name:
            lo, hi, n = spread[name]
            unit, suffix = (1000, " ms") if value.endswith("ms") else (1, " s")
            cpu_text = f"{cpu[name] * unit:.3g}{suffix}"
            spread_text = f"{lo * unit:.3g}-{hi * unit:.3g}{suffix}, {n} runs"
        print(f"| {label} | {value} | {cpu_text} | {spread_text} |")

    print()
    print(f"corpus: {files} files, {docs} documents, {mib:.1f} MiB. Wall-clock medians over "
          "all rounds, warm page cache; CPU is user + system, mean.")
    print()
    print("| figure | median | CPU | range |")
    print("|---|---|---|---|")
    row("cat over the tree (find -exec cat)", f"{med['cat']:.2f} s", "cat")
    row("parse floor: yaml-cpp LoadAll only, -j2", f"{med['floor']:.2f} s", "floor")
    row("capstan's own parse only (libyaml events into its node arena), -j2",
        f"{med['parse']:.2f} s", "parse")
    row("capstan-validate -j2 --strict", f"{validate:.2f} s", "validate")
    row(f"yamllint -P2 on {subset_files} files (every 10th)", f"{med['yamllint']:.2f} s",
        "yamllint")
    row(f"yamllint, scaled to the tree by bytes (x{scale:.2f})", f"{yamllint:.1f} s")
    row("validate: documents/s", f"{docs_per_s:,.0f}")
    row("validate: MiB/s", f"{mib / validate:.2f}")
    row("floor: documents/s", f"{docs / med['floor']:,.0f}")
    # On a loaded machine -j2 may get one core or less; CPU time shows what two free cores
    # would give at best, so a miss can be told from noise.
    row("validate: documents/s with 2 free cores, at best (CPU time / 2)",
        f"{docs / (cpu['validate'] / 2):,.0f}")
    row("floor: documents/s with 2 free cores, at best (CPU time / 2)",
        f"{docs / (cpu['floor'] / 2):,.0f}")
    row("validate: peak RSS (max over rounds)", f"{rss_mib:.1f} MiB")
    row("small file: capstan-validate --strict", f"{med['validate-small'] * 1000:.1f} ms",
        "validate-small")
    row("process start: /bin/true", f"{med['process-start'] * 1000:.2f} ms", "process-start")
    row("process start + read: /bin/cat small file", f"{med['cat-small'] * 1000:.2f} ms",
        "cat-small")
    print()
    print("| ratio | value |")
    print("|---|---|")
    print(f"| validate / floor | {validate / med['floor']:.2f} |")
    print(f"| validate / floor, CPU time | {cpu['validate'] / cpu['floor']:.2f} |")
    print(f"| validate / capstan's own parse | {validate / med['parse']:.2f} |")
    print(f"| validate / cat | {validate / med['cat']:.1f} |")
    print(f"| yamllint (scaled) / validate | {yamllint / validate:.1f} |")
    # Both baselines only start a process; the lower median is the less disturbed one.
    start = min(med["process-start"], med["cat-small"])
    print(f"| small-file validate / process start (lower of true, cat) | "
          f"{med['validate-small'] / start:.1f} "
          f"(+{(med['validate-small'] - start) * 1000:.1f} ms) |")
    if "validate-base" in med:
        print(f"| validate / base build's validate | {validate / med['validate-base']:.3f} |")
        print(f"| validate / base, CPU time | {cpu['validate'] / cpu['validate-base']:.3f} |")
        print(f"| small-file validate / base build's | "
              f"{med['validate-small'] / med['validate-small-base']:.3f} |")
    print()
    checks = [
        (f"validate <= {TARGET_FLOOR_RATIO:g}x parse floor",
         f"{validate / med['floor']:.2f}x", validate / med["floor"] <= TARGET_FLOOR_RATIO),
        (f">= {TARGET_DOCS_PER_S:,} documents/s with -j2", f"{docs_per_s:,.0f}/s",
         docs_per_s >= TARGET_DOCS_PER_S),
        (f"peak RSS <= {TARGET_RSS_MIB} MiB", f"{rss_mib:.1f} MiB", rss_mib <= TARGET_RSS_MIB),
        (f"small file end to end <= {TARGET_SMALL_MS:g} ms",
         f"{med['validate-small'] * 1000:.1f} ms",
         med["validate-small"] * 1000 <= TARGET_SMALL_MS),
    ]
    print("| target | measured | result |")
    print("|---|---|---|")
    for label, value, ok in checks:
        print(f"| {label} | {value} | {'PASS' if ok else 'FAIL'} |")
    return 0 if all(ok for _, _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
