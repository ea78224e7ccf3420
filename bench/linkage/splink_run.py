"""Runs Splink (DuckDB backend) configured as its documentation recommends.

usage: splink_run.py febrl DIR OUT.csv | splink_run.py synth DIR OUT.csv
febrl: the documented FEBRL4 demo model ("detailed" settings of Splink's febrl4 example:
blocking rules, deterministic rules for λ, u by random sampling of 1e6 pairs, EM sessions
blocked on date of birth and postcode), links at p >= 0.5.
synth: the four generated lists, names split on spaces into parts as a user would, the
same kind of model (NameComparison with term frequencies per name part, exact sex,
birth year and date of death within thresholds, exact place), link_and_dedupe, clusters
at 0.95 and at 0.5 (both written; the scorer takes each).
Writes list,record_id,person_id (one row per record).
"""
import csv, glob, os, sys

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on


def write_clusters(df_clusters, id_col, out, lists):
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["list", "record_id", "person_id"])
        for _, r in df_clusters.iterrows():
            w.writerow([lists[r[id_col]] if lists else r["source_dataset"], r[id_col].split("|", 1)[-1], r["cluster_id"]])


def febrl(d, out):
    dfs = []
    for side in ("a", "b"):
        df = pd.read_csv(os.path.join(d, f"raw_{side}.csv"), dtype=str).fillna("")
        for c in df.columns:
            df[c] = df[c].str.strip()
        df = df.replace({"": None})
        dfs.append(df)
    blocking_rules = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("soc_sec_id"),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d",
                                     invalid_dates_as_null=True),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )
    db_api = DuckDBAPI()
    linker = Linker([db_api.register(df) for df in dfs], settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), estimate_without_term_frequencies=True)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode"), estimate_without_term_frequencies=True)
    pred = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold_match_probability=0.5)
    df = clusters.as_pandas_dataframe()
    side = {}
    for name, dfx in zip(("febrl_a", "febrl_b"), dfs):
        for rid in dfx["rec_id"]:
            side[rid] = name
    write_clusters(df, "rec_id", out, side)


def year_of(age, birth, dod):
    if birth:
        return int(birth)
    if age:
        ref = int(dod[:4]) if dod else 2025
        return ref - int(age)
    return None


def iso(date):
    if not date:
        return None
    if "/" in date:
        d, m, y = date.split("/")
        return f"{y}-{int(m):02d}-{int(d):02d}"
    return date


def synth(d, out):
    rows = []
    digits = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
    for path in sorted(glob.glob(os.path.join(d, "*.csv"))):
        name = os.path.splitext(os.path.basename(path))[0]
        if name == "truth":
            continue
        with open(path, newline="", encoding="utf-8-sig") as f:
            for r in csv.DictReader(f):
                if "full_name" in r:
                    t = r["full_name"].split()
                    given, family = t[0], t[-1] if len(t) > 1 else None
                    father = t[1] if len(t) >= 3 else None
                    grandfather = t[2] if len(t) >= 4 else None
                else:
                    given, father, family = r.get("given_name"), r.get("father_name"), r.get("family_name")
                    grandfather = r.get("grandfather_name")
                sex = {"ذكر": "M", "أنثى": "F", "male": "M", "female": "F"}.get(r["sex"], r["sex"])
                age = r.get("age", "").translate(digits)
                dod = iso(r.get("date_of_death", ""))
                rows.append({
                    "unique_id": f"{name}|{r['record_id']}", "list": name,
                    "given_name": given or None, "father_name": father or None,
                    "grandfather_name": grandfather or None, "family_name": family or None,
                    "mother_name": r.get("mother_name") or None, "sex": sex or None,
                    "birth_year": year_of(age, r.get("birth_year", ""), dod or ""),
                    "date_of_death": dod, "place_of_death": r.get("place_of_death") or None,
                })
    df = pd.DataFrame(rows)
    df["birth_year"] = df["birth_year"].astype("Int64")
    # Splink compares years as dates (its library has no numeric difference comparison).
    df["birth_date"] = [None if pd.isna(y) else f"{int(y):04d}-01-01" for y in df["birth_year"]]
    settings = SettingsCreator(
        link_type="dedupe_only",
        # The rules' comparison counts were checked as the docs advise: given+family or
        # given+father alone made hundreds of millions of pairs at 1M records.
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "father_name", "family_name"),
            block_on("given_name", "family_name", "birth_year"),
            block_on("father_name", "family_name", "birth_year"),
            block_on("given_name", "birth_year", "place_of_death"),
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("father_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("grandfather_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("family_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("mother_name").configure(term_frequency_adjustments=True),
            cl.ExactMatch("sex"),
            cl.AbsoluteDateDifferenceAtThresholds("birth_date", input_is_string=True,
                                                  metrics=["year", "year"], thresholds=[1, 3]),
            cl.AbsoluteDateDifferenceAtThresholds("date_of_death", input_is_string=True,
                                                  metrics=["day", "day"], thresholds=[1, 7]),
            cl.ExactMatch("place_of_death").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(df), settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "father_name", "family_name", "birth_year")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7)
    for rule in (block_on("given_name", "father_name", "family_name"),
                 block_on("father_name", "family_name", "birth_year"),
                 block_on("given_name", "birth_year", "place_of_death")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True)
    pred = linker.inference.predict(threshold_match_probability=0.5)
    lists = dict(zip(df["unique_id"], df["list"]))
    for t, path in ((0.95, out), (0.5, out.replace(".csv", "_p50.csv"))):
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold_match_probability=t)
        write_clusters(clusters.as_pandas_dataframe(), "unique_id", path, lists)


if __name__ == "__main__":
    {"febrl": febrl, "synth": synth}[sys.argv[1]](sys.argv[2], sys.argv[3])
