#!/usr/bin/env bash
# Every publishable crate compiles with no default features and with each
# feature alone, not only under --all-features (which is what the tests
# build). The list is read from `cargo metadata`, so a new crate or feature
# is checked without editing this file.
set -euo pipefail
cd "$(dirname "$0")/.."

combos="$(cargo metadata --no-deps --format-version 1 | python3 -c '
import json, sys
meta = json.load(sys.stdin)
for package in meta["packages"]:
    if package["publish"] == []:
        continue  # not published: only ever built with the workspace
    name = package["name"]
    print(name, "--no-default-features")
    for feature in sorted(package["features"]):
        if feature != "default":
            print(name, "--no-default-features --features", feature)
')"

while read -r name flags; do
  echo "--- cargo check -p $name $flags"
  # shellcheck disable=SC2086 # the flags are words
  cargo check --quiet -p "$name" $flags
done <<<"$combos"
