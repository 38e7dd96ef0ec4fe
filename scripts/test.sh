#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs the reference validators the tests run
# (pinned, from the registries, into target/validators), puts them on PATH, then runs
# `cargo test`. A test that needs a validator fails when it is missing; it never skips.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="$PWD/target/validators"
if [ ! -f "$tools/.installed" ]; then
  python3 -m venv "$tools"
  "$tools/bin/pip" install --quiet --disable-pip-version-check \
    zizmor==1.33.1
  touch "$tools/.installed"
fi
export PATH="$tools/bin:$PATH"
cargo test --locked "$@"
