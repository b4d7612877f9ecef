#!/usr/bin/env bash
# The spine benchmark (issue 2): submit→running latency, end-to-end runs/s and events/s with the
# scripted harness, and the journal's rate against the raw Cassandra driver in the same run.
# Tunables as -D flags in BENCH_OPTS, e.g. BENCH_OPTS="-Dbench.throughput-runs=200 -Dbench.slots=16".
# Results go to docs/benchmarks.md by hand, with the machine line this prints.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests install
mvn -q -B -pl cluster-node dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec java -Xmx1g ${BENCH_OPTS:-} -Dlogback.configurationFile=logback-test.xml \
  -cp "cluster-node/target/test-classes:cluster-node/target/classes:$(cat cluster-node/target/test-classpath.txt)" \
  dev.griot.node.SpineBenchmark
