#!/usr/bin/env bash
# Writes the figures of docs/preprocessing.md into docs/images/preprocessing/ (or the folder given):
# a synthetic smear before and after each preprocessing step, its true mask and its 50x50 patches.
# Usage: tools/preprocessing-figures.sh [outputDir [imageIndex]]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -o -q -B -pl examples -am compile dependency:build-classpath -Dmdep.outputFile=target/examples.classpath >/dev/null
cp="vnet-core/target/classes:vnet-ops/target/classes:vnet-io/target/classes:vnet-train/target/classes:examples/target/classes"
cp="$cp:$(cat examples/target/examples.classpath)"
java -cp "$cp" dev.vnet.examples.PreprocessingFigures "$@"
