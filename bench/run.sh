#!/usr/bin/env bash
# Builds the bench jar (and core, which it needs) and runs the side-by-side runner:
#   bash bench/run.sh [BENCH...] [--quick] [--load] [--jdks 17,25] [--no-python] [--child-opts "..."] [--runs N] ...
# Pass --no-build first to run the jar as it is (e.g. while core is being edited).
# Environment: JAVA (the runner's own java, default: java on PATH), JAVA17 / JAVA25 (the JDKs that run
# our benchmarks), PYTHON (default python3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ "${1:-}" == "--no-build" ]]; then
  shift
else
  # Test sources are not compiled: benchmarks need only core's main classes.
  ./mvnw -q -B -pl bench -am -Dmaven.test.skip=true package
fi
exec "${JAVA:-java}" -jar bench/target/multiprocessing4j-bench.jar "$@"
