#!/usr/bin/env bash
# Prints how many distributions and audit entries a SQLite database of the load test holds.
set -euo pipefail
sqlite3 "$1" "SELECT (SELECT count(*) FROM respond_distributions) || ' distributions, ' || (SELECT count(*) FROM audit_log) || ' audit entries'"
