//! `fresk export contacts`: the mailing list as CSV (for a spreadsheet or a mail merge) and as
//! vCard 4.0, read back by the reference parser `vobject` (PyPI, pinned in scripts/test.sh).

use crate::support::{Ws, manifest_dir};
use std::io::Write;
use std::process::{Command, Stdio};

/// target/validators' python with vobject importable; the test fails (never skips) without it.
fn vobject_python() -> std::path::PathBuf {
    let python = manifest_dir().join("target/validators/bin/python");
    let ok = Command::new(&python)
        .args(["-c", "import vobject"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "vobject is not installed in {}: run the tests with scripts/test.sh, which installs the PyPI package vobject (pinned) into target/validators",
        python.display()
    );
    python
}

/// Every card parsed by vobject, as `FN|family|given|ORG|TITLE|EMAIL|TEL|street|country`.
fn parse_with_vobject(vcards: &str) -> Vec<String> {
    let script = r#"
import sys, vobject
text = sys.stdin.buffer.read().decode("utf-8")
for card in vobject.readComponents(text, validate=True):
    assert card.name == "VCARD", card.name
    assert card.version.value == "4.0"
    get = lambda k: card.contents[k][0].value if k in card.contents else ""
    n = card.n.value
    org = get("org")
    org = ";".join(org) if isinstance(org, list) else org
    adr = card.contents.get("adr")
    street = country = ""
    if adr:
        a = adr[0].value
        street, country = (a.street, a.country) if hasattr(a, "street") else (a, "")
    print("|".join([card.fn.value, n.family, n.given, org, get("title"), get("email"), get("tel"), street, country]))
"#;
    let mut child = Command::new(vobject_python())
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(vcards.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "vobject refused the vCards:\n{}\n{vcards}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// The demo with an opted-out contact, an opted-out organisation, a participant roster
/// (private/) and a name that needs escaping and folding.
fn workspace() -> Ws {
    let ws = Ws::example();
    ws.edit(
        "organisations/mecanique-du-rhone.yaml",
        "  - { name: Olivier Brun,",
        "  - { marketing: false, name: Olivier Brun,",
    );
    let org = ws.read("organisations/habitat-solidaire-rhone.yaml");
    ws.write(
        "organisations/habitat-solidaire-rhone.yaml",
        &format!("{org}marketing: false\n"),
    );
    ws.edit(
        "organisations/iraid.yaml",
        "role: Directrice des études,",
        "role: \"Directrice des études; formation continue, alternance et relations entreprises\",",
    );
    ws.write(
        "private/rosters/M2026-0001-S01.yaml",
        "participants:\n  - { name: Zoé Participante, email: zoe@participant.example }\n",
    );
    ws
}

#[test]
fn vcards_are_valid_vcard_4_and_leave_out_who_opted_out() {
    let ws = workspace();
    let out = ws.run(&["export", "contacts", "--format", "vcard"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    // RFC 6350: CRLF everywhere, no physical line over 75 octets.
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "bare LF in {text}"
    );
    assert!(text.split("\r\n").all(|l| l.len() <= 75), "{text}");
    let cards = parse_with_vobject(&text);
    // 18 contacts in the demo, minus Olivier Brun (his marketing: false) and Karim Haddad
    // (Habitat Solidaire's marketing: false).
    assert_eq!(cards.len(), 16, "{cards:#?}");
    assert!(!cards.iter().any(|c| c.starts_with("Olivier Brun|")));
    assert!(!cards.iter().any(|c| c.starts_with("Karim Haddad|")));
    assert!(cards.iter().any(|c| c.starts_with("Nadia Cherif|")));
    let nathalie = cards
        .iter()
        .find(|c| c.starts_with("Nathalie Vidal|"))
        .unwrap();
    assert_eq!(
        nathalie,
        "Nathalie Vidal|Vidal|Nathalie|Institut Rhône-Alpes d'ingénierie durable (IRAID)|Directrice des études; formation continue, alternance et relations entreprises|nathalie.vidal@iraid.example|04 65 71 90 12|20 avenue Albert Einstein, 69100 Villeurbanne|FR"
    );
    // Participants (private/ rosters) are never exported.
    assert!(!text.contains("Zoé Participante") && !text.contains("zoe@participant.example"));
}

#[test]
fn status_and_sector_filter_the_organisations() {
    let ws = workspace();
    let out = ws.run(&[
        "export", "contacts", "--format", "vcard", "--status", "prospect", "--sector", "public",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cards = parse_with_vobject(&String::from_utf8(out.stdout).unwrap());
    // The public prospects: the Mairie de Caluire's contact (met at a forum) and Ville de
    // Bellecombe's two (the communauté de communes is a client).
    let names: Vec<&str> = cards.iter().map(|c| c.split('|').next().unwrap()).collect();
    assert_eq!(names, ["Hélène Vasseur", "Pascale Renaud", "Yann Leclerc"]);
    let err = ws.run(&["export", "contacts", "--format", "csv", "--sector", "shops"]);
    assert!(!err.status.success());
    assert!(String::from_utf8_lossy(&err.stderr).contains("--sector `shops` is not a sector"));
}

#[test]
fn csv_opens_in_a_spreadsheet_without_running_formulas() {
    let ws = workspace();
    ws.edit(
        "organisations/iraid.yaml",
        "name: Nathalie Vidal,",
        "name: \"=HYPERLINK(\\\"http://evil.example\\\") Vidal\",",
    );
    let file = ws.path().join("contacts.csv");
    ws.run_ok(&[
        "export",
        "contacts",
        "--format",
        "csv",
        "--status",
        "prospect",
        "--out",
        file.to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&file).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a UTF-8 BOM for Excel"
    );
    let text = String::from_utf8(bytes).unwrap();
    let mut reader = csv_rows(text.trim_start_matches('\u{feff}'));
    let header = reader.remove(0);
    assert_eq!(
        header[..5],
        [
            "organisation",
            "organisation_name",
            "sector",
            "status",
            "name"
        ]
    );
    assert_eq!(reader.len(), 8, "{reader:#?}");
    assert!(reader.iter().all(|r| r[3] == "prospect"));
    let evil = reader.iter().find(|r| r[0] == "iraid").unwrap();
    assert_eq!(evil[4], "'=HYPERLINK(\"http://evil.example\") Vidal");
    assert_eq!(evil[11], "FR");
}

/// A small RFC 4180 reader (quoted cells with doubled quotes, CRLF rows).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    rows
}
