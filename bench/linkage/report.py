"""Writes bench/linkage/README.md from the outputs of run.sh (usage: report.py OUT_DIR)."""
import json, os, platform, re, subprocess, sys

OUT = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))


def score(pred, truth):
    r = subprocess.run([sys.executable, os.path.join(HERE, "score.py"), pred, truth],
                       capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


def resources(name):
    t = open(os.path.join(OUT, f"{name}.time")).read()
    wall = re.search(r"Elapsed \(wall clock\) time.*: (.*)", t).group(1).strip()
    parts = [float(x) for x in wall.split(":")]
    secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
    return secs, peak_kb / 1024 / 1024


def machine():
    cpu = "unknown CPU"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = int(open("/proc/meminfo").readline().split()[1]) / 1024 / 1024
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GB RAM, {platform.system()} {platform.release()}"


rows = []
datasets = [("FEBRL4 5k x 5k", "febrl", f"{OUT}/febrl/truth.csv")]
for n in (10000, 1000000):
    if os.path.exists(f"{OUT}/synth_{n}/truth.csv") and os.path.exists(f"{OUT}/sijill_synth_{n}.time"):
        datasets.append((f"Syrian-style, 4 lists, {n:,} records", f"synth_{n}", f"{OUT}/synth_{n}/truth.csv"))
for label, key, truth in datasets:
    for tool in ("sijill", "splink"):
        name = f"{tool}_{key}"
        if not os.path.exists(f"{OUT}/{name}.time"):
            continue
        pred = f"{OUT}/{name}.csv"
        if not os.path.exists(pred):
            rows.append((label, tool, None, None, None, None, None, "did not finish"))
            continue
        s = score(pred, truth)
        note = ""
        alt = pred.replace(".csv", "_p50.csv")
        if tool == "splink" and os.path.exists(alt):
            s50 = score(alt, truth)
            note = "clusters at 0.95"
            if s50["f1"] > s["f1"]:
                s, note = s50, "clusters at 0.5 (better than 0.95)"
        wall, peak = resources(name)
        rows.append((label, tool, s["precision"], s["recall"], s["f1"], wall, peak, note))

print("# Linkage benchmark: sijill against Splink\n")
print("Reproduce with `bench/linkage/run.sh` (creates `bench/.venv` with PyPI `splink==5.0.0` and")
print("`recordlinkage==0.16`, builds sijill in release mode, generates the lists, runs both, and")
print("rewrites this file). Precision, recall and F1 are pairwise over the final clusters (persons);")
print("wall time and peak memory are of the whole process, from `/usr/bin/time -v`.\n")
print(f"Machine: {machine()}.")
print(f"Load before: `{open(os.path.join(OUT, 'load_before.txt')).read().strip()}`; after: "
      f"`{open(os.path.join(OUT, 'load_after.txt')).read().strip()}` (the machine is shared, so other")
print("work was running; times are upper bounds).\n")
print("| data | tool | precision | recall | F1 | wall (s) | peak memory (GB) | note |")
print("|---|---|---|---|---|---|---|---|")
for label, tool, p, r, f1, wall, peak, note in rows:
    fmt = lambda x, d: "—" if x is None else f"{x:.{d}f}"
    print(f"| {label} | {tool} | {fmt(p, 4)} | {fmt(r, 4)} | {fmt(f1, 4)} | {fmt(wall, 1)} | {fmt(peak, 2)} | {note} |")
print()
print(open(os.path.join(HERE, "NOTES.md")).read())
