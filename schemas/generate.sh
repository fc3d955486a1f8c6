#!/bin/sh
# Regenerates schemas/k8s/*.json (all but the hand-written Kustomization/Component schemas) from
# the reference data. Run by hand when the reference changes, then commit the result.
#   schemas/generate.sh [BUILD_DIR] [DATA_DIR]
# BUILD_DIR defaults to build/schemagen (configured and built here if needed); DATA_DIR to
# ../shared/data next to the source tree.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/schemagen}
data=${2:-$root/../shared/data}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCAPSTAN_TESTS=OFF >/dev/null
fi
ninja -C "$build" capstan_schemagen >/dev/null
"$build/schemas/capstan_schemagen" "$data" "$root/schemas/k8s"
du -sh "$root/schemas/k8s"
