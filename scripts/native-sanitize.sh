#!/usr/bin/env bash
# The native helper's tests under AddressSanitizer and UndefinedBehaviorSanitizer (Linux; CI runs
# it). The helper is compiled straight with cc, independent of node-gyp and of how binding.gyp
# finds the Node-API headers, into native/build/sanitize/; the tests load that build through
# YIELD_LAB_NATIVE_BUILD, with the sanitizer runtimes preloaded (node itself is not built with
# them). Any report fails the run. The walker's tests run too: with readAhead they drive the
# helper's listing pool from real walks, threads and all. Usage: bash scripts/native-sanitize.sh [more vitest args]
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(uname -s)" != Linux ]; then
  echo "native-sanitize: the sanitizer run is for Linux; nothing to do on $(uname -s)"
  exit 0
fi

include=$(node -p "try { require('node-api-headers').include_dir } catch { '' }")
if [ -z "$include" ]; then include="$(dirname "$(dirname "$(command -v node)")")/include/node"; fi
if [ ! -f "$include/node_api.h" ]; then
  echo "native-sanitize: no node_api.h in $include (install node-api-headers or Node's headers)" >&2
  exit 1
fi

out=native/build/sanitize
mkdir -p "$out"
cc -shared -fPIC -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all \
  -pthread -Wall -Wextra -I"$include" native/src/yield_lab_native.c -o "$out/yield_lab_native.node"

runtimes="$(cc -print-file-name=libasan.so) $(cc -print-file-name=libubsan.so)"
for runtime in $runtimes; do
  if [ ! -e "$runtime" ]; then
    echo "native-sanitize: the compiler names no $runtime; install its sanitizer runtimes (e.g. libasan, libubsan)" >&2
    exit 1
  fi
done

LD_PRELOAD="$runtimes" \
  ASAN_OPTIONS=detect_leaks=0 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  YIELD_LAB_NATIVE_BUILD="$PWD/$out/yield_lab_native.node" \
  node node_modules/vitest/vitest.mjs run --project main test/main/lab/native.test.ts \
  test/main/lab/walk/walk.test.ts test/main/lab/walk/walk.readahead.test.ts "$@"
