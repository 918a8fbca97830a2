#!/usr/bin/env bash
# Builds examples/consumer, a separate Maven project that depends on dev.vnet:vnet-train as any user would,
# against the artifacts of this checkout: installs them into the local repository (~/.m2), then compiles and
# tests the consumer (it trains one epoch on synthetic smears and segments an image). docs/embedding.md quotes
# the consumer's code, and its test holds the page to that code.
# Then it checks that embedding the library brings none of the application's dependencies: no command line
# (picocli), no charts (XChart) and no terminal progress bar (progressbar) on the consumer's class path.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -ntp -q install -DskipTests
mvn -B -ntp -f examples/consumer/pom.xml test

list="$(mktemp)"
trap 'rm -f "$list"' EXIT
# runtime scope: the compile and runtime class path, what a program that embeds vnet-train runs with.
mvn -B -ntp -q -f examples/consumer/pom.xml org.apache.maven.plugins:maven-dependency-plugin:3.8.1:list \
    -DincludeScope=runtime -DoutputFile="$list"
if ! grep -q 'dev\.vnet:vnet-train:' "$list"; then
  echo "check-consumer: dev.vnet:vnet-train is not in the consumer's dependency list ($list):" >&2
  cat "$list" >&2
  exit 1
fi
if grep -E 'info\.picocli:|org\.knowm\.xchart:|me\.tongfei:' "$list" >&2; then
  echo "check-consumer: the consumer's class path has the application's dependencies above (picocli, XChart," \
       "progressbar); vnet-train must not bring them" >&2
  exit 1
fi
echo "check-consumer: no picocli, XChart or progressbar on the consumer's class path"
