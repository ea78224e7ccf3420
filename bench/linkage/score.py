"""Pairwise precision, recall and F1 of a clustering against a truth file.

usage: score.py PERSONS.csv TRUTH.csv [--cluster-col person_id]
Both files have list, record_id and a cluster column; pairs of records in one cluster
are compared. Prints one JSON object.
"""
import csv, json, sys
from collections import defaultdict


def pairs_of(path, col):
    groups = defaultdict(list)
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            groups[row[col]].append((row["list"], row["record_id"]))
    n = sum(len(g) for g in groups.values())
    out = set()
    for g in groups.values():
        g.sort()
        for i in range(len(g)):
            for j in range(i + 1, len(g)):
                out.add((g[i], g[j]))
    return out, len(groups), n


def main():
    pred, clusters, n = pairs_of(sys.argv[1], "person_id")
    true, persons, _ = pairs_of(sys.argv[2], "person_id")
    tp = len(pred & true)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(true) if true else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(json.dumps({"records": n, "persons_found": clusters, "persons_true": persons,
                      "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
                      "tp": tp, "fp": len(pred) - tp, "fn": len(true) - tp}))


if __name__ == "__main__":
    main()
