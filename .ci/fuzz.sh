#!/usr/bin/env bash
# Fuzz smoke run for CI: builds every cargo-fuzz target in fuzz/ once and runs
# each for a bounded time on stable Rust (no sanitizer), from its committed
# seed corpus. Exits non-zero if any target crashes, times out on one input
# or runs out of memory; the reproducer is printed and left in
# fuzz/artifacts/<target>/. Longer runs: see fuzz/README.md.
#
# LEADKIT_FUZZ_SECONDS sets the time per target (default 15: thirteen targets and
# the build stay well under ten minutes on two cores).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export CARGO_TERM_COLOR=never
seconds="${LEADKIT_FUZZ_SECONDS:-15}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
cargo fuzz --version

# What the runs find goes to a scratch corpus, so the seeds stay as committed.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

printf '\n=== fuzz build (%s)\n' "$(date -u +%H:%M:%S)"
cargo fuzz build --sanitizer none

failed=()
for target in $(cargo fuzz list); do
  printf '\n=== fuzz %s for %ss (%s)\n' "$target" "$seconds" "$(date -u +%H:%M:%S)"
  mkdir -p "$work/$target"
  seeds=()
  if [ -d "corpus/$target" ]; then seeds=("corpus/$target"); fi
  log="$work/$target.log"
  # -timeout: no single input may take 10 s (bounded work per input).
  if cargo fuzz run "$target" --sanitizer none "$work/$target" "${seeds[@]}" -- \
    -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    >"$log" 2>&1; then
    grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true
  else
    failed+=("$target")
    echo "fuzz target $target failed:" >&2
    grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|INITED)' "$log" | tail -n 60 >&2
    for artifact in artifacts/"$target"/*; do
      [ -f "$artifact" ] || continue
      echo "reproducer $artifact (replay: cd fuzz && cargo fuzz run $target --sanitizer none $artifact):" >&2
      head -c 4096 "$artifact" | od -A x -t x1z | head -n 40 >&2
    done
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]}" >&2
  exit 1
fi
echo "every fuzz target ran ${seconds}s without a finding"
