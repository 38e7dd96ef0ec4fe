//! `fresk participants import|add|list`: registrations from form exports into the private
//! roster — every flavour of CSV a form tool or spreadsheet writes, and the refusals with their
//! line.

use crate::support::{Ws, tree};

const SESSION: &str = "M2026-0005-S08";
const ROSTER: &str = "private/rosters/M2026-0005-S08.yaml";

fn import(ws: &Ws, bytes: &[u8]) -> std::process::Output {
    ws.write_bytes("export.csv", bytes);
    ws.run(&["participants", "import", SESSION, "--csv", "export.csv"])
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn list_json(ws: &Ws) -> serde_json::Value {
    serde_json::from_str(&ws.run_ok(&["participants", "list", SESSION, "--format", "json"]))
        .unwrap()
}

fn names(ws: &Ws) -> Vec<String> {
    list_json(ws)["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_french_excel_export_with_bom_semicolons_and_quotes_imports() {
    let ws = Ws::example();
    let out = import(
        &ws,
        "\u{feff}Prénom;Nom;Adresse e-mail;Structure;Téléphone\r\nÉlise;Durand;elise@example.org;\"Lycée Ampère; Lyon\";06 12 34 56 78\r\nBob;Martin;bob.martin@example.org;;\r\n"
            .as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains("2 added, 0 updated, 0 unchanged, 0 rejected"),
        "{summary}"
    );
    assert!(!summary.contains("Élise"), "the summary names no one");
    let json = list_json(&ws);
    assert_eq!(json["version"], 1);
    let first = &json["participants"][0];
    assert_eq!(first["name"], "Élise Durand");
    assert_eq!(first["email"], "elise@example.org");
    assert_eq!(first["organisation"], "Lycée Ampère; Lyon");
    assert_eq!(first["phone"], "06 12 34 56 78");
    assert_eq!(first["attended"], false, "registered, not attended yet");
    assert!(
        ws.read(ROSTER)
            .starts_with("# The participants of M2026-0005-S08")
    );
    ws.lint().expect_clean();
}

#[test]
fn latin1_and_tab_separated_exports_import() {
    let ws = Ws::example();
    // "Nom complet\tCourriel\nAndré Lefèvre\tandre@example.org\n" in Latin-1.
    let out = import(
        &ws,
        b"Nom complet\tCourriel\nAndr\xe9 Lef\xe8vre\tandre@example.org\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(names(&ws), ["André Lefèvre"]);
}

#[test]
fn invalid_emails_and_missing_names_are_rejected_with_their_line_the_rest_imported() {
    let ws = Ws::example();
    let out = import(
        &ws,
        b"name,email\nAda Lovelace,ada@example.org\nBob,bob@\n,anon@example.org\nCleo,\n",
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "rejected rows make the exit code 1"
    );
    let err = stderr(&out);
    assert!(
        err.contains("line 3: rejected: `bob@` is not an e-mail address"),
        "{err}"
    );
    assert!(err.contains("line 4: rejected: no name"), "{err}");
    assert!(err.contains("line 5: rejected: no e-mail address"), "{err}");
    assert!(err.contains("added to private/rosters/M2026-0005-S08.yaml: line(s) 2"));
    assert_eq!(names(&ws), ["Ada Lovelace"]);
}

#[test]
fn duplicates_merge_by_email_within_the_file_and_with_the_roster() {
    let ws = Ws::example();
    ws.write(
        ROSTER,
        "# Hand-written before the form existed.\nparticipants:\n  - name: Ada Lovelace   # came early\n    attended: true\n",
    );
    let out = import(
        &ws,
        b"name,email,organisation\nAda Lovelace,ada@example.org,\nCleo Roy,cleo@example.org,\nCleo Roy-Dupont,CLEO@example.org,Mairie\nAda Lovelace,ada@example.org,Analytical\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("line 4: same e-mail as line 3"), "{err}");
    assert!(err.contains("line 5: same e-mail as line 2"), "{err}");
    let json = list_json(&ws);
    let ps = json["participants"].as_array().unwrap();
    assert_eq!(ps.len(), 2, "{json}");
    assert_eq!(
        ps[0]["email"], "ada@example.org",
        "the hand-written entry got its e-mail"
    );
    assert_eq!(ps[0]["organisation"], "Analytical");
    assert_eq!(ps[0]["attended"], true, "attendance is kept");
    assert_eq!(ps[1]["name"], "Cleo Roy-Dupont");
    assert_eq!(ps[1]["organisation"], "Mairie");
    let text = ws.read(ROSTER);
    assert!(
        text.starts_with("# Hand-written before the form existed."),
        "{text}"
    );
    // The same export again changes nothing.
    let out = import(
        &ws,
        b"name,email,organisation\nAda Lovelace,ada@example.org,Analytical\nCleo Roy-Dupont,cleo@example.org,Mairie\n",
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("0 added, 0 updated, 2 unchanged"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(ws.read(ROSTER), text);
}

#[test]
fn missing_columns_and_broken_quotes_are_refused_and_nothing_is_written() {
    let ws = Ws::example();
    ws.write_bytes("export.csv", b"");
    let before = tree(&ws);
    let out = import(&ws, b"Nom;T\xe9l\xe9phone\nDurand;0612\n");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("line 1: no column for `email`"), "{err}");
    assert!(err.contains("\"Nom\", \"Téléphone\""), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    let out = import(&ws, b"email,phone\na@example.org,1\n");
    assert!(
        stderr(&out).contains("no column for `name`"),
        "{}",
        stderr(&out)
    );
    let out = import(&ws, b"name,email\nA,a@example.org\n\"B,b@example.org\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("line 3: a quoted field opens here and is never closed"),
        "{}",
        stderr(&out)
    );
    let mut after = tree(&ws);
    after.insert("export.csv".into(), Vec::new());
    assert_eq!(before, after, "no roster was written");
}

#[test]
fn add_refuses_a_bad_email_and_dedupes() {
    let ws = Ws::example();
    let before = tree(&ws);
    let out = ws.run(&[
        "participants",
        "add",
        SESSION,
        "--name",
        "Ada",
        "--email",
        "ada@",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--email `ada@` is not an e-mail address"));
    assert_eq!(before, tree(&ws));
    let out = ws.run_ok(&[
        "participants",
        "add",
        SESSION,
        "--name",
        "Ada Lovelace",
        "--email",
        "ada@example.org",
        "--organisation",
        "Analytical Engines",
    ]);
    assert!(
        out.contains("participant 1 added (1 in the roster)"),
        "{out}"
    );
    let out = ws.run_ok(&[
        "participants",
        "add",
        SESSION,
        "--name",
        "Ada Lovelace",
        "--email",
        "ADA@example.org",
    ]);
    assert!(out.contains("already in"), "{out}");
    assert_eq!(names(&ws), ["Ada Lovelace"]);
    let csv = ws.run_ok(&["participants", "list", SESSION, "--format", "csv"]);
    assert_eq!(
        csv,
        "n,name,email,organisation,phone,attended,half_days,evaluation\n1,Ada Lovelace,ada@example.org,Analytical Engines,,no,,\n"
    );
    // --dry-run shows the change and writes nothing.
    let before = tree(&ws);
    let out = ws.run_ok(&[
        "--dry-run",
        "participants",
        "add",
        SESSION,
        "--name",
        "Bob",
        "--email",
        "bob@example.org",
    ]);
    assert!(
        out.contains("+  - { name: Bob, email: bob@example.org, attended: false }"),
        "{out}"
    );
    assert_eq!(before, tree(&ws));
}

#[test]
fn participants_refuse_commit_and_unknown_sessions() {
    let ws = Ws::example();
    let out = ws.run(&[
        "--commit",
        "participants",
        "add",
        SESSION,
        "--name",
        "A",
        "--email",
        "a@example.org",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("never committed"), "{}", stderr(&out));
    let out = ws.run(&["participants", "list", "M2099-0001-S01"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_sample_export_of_the_examples_imports_into_the_demo_which_stays_clean() {
    let ws = Ws::example();
    let sample = crate::support::manifest_dir().join("examples/registrations/M2026-0005-S08.csv");
    let out = ws.run(&[
        "participants",
        "import",
        SESSION,
        "--csv",
        sample.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "one row is rejected");
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains("3 added, 0 updated, 0 unchanged, 1 rejected"),
        "{summary}"
    );
    let err = stderr(&out);
    assert!(
        err.contains("line 4: rejected: `camille.roux@lycee-canuts` is not an e-mail address"),
        "{err}"
    );
    assert!(err.contains("line 6: same e-mail as line 2"), "{err}");
    assert_eq!(
        names(&ws),
        ["Nadia Benali-Morel", "Julien Perrot", "Sarah Lefèvre"]
    );
    assert_eq!(
        list_json(&ws)["participants"][0]["organisation"],
        "Lycée des Canuts; vie scolaire"
    );
    ws.lint().expect_clean();
    ws.run_ok(&["render", "attendance-sheet", SESSION]);
    assert!(
        ws.path()
            .join("private/attendance-sheets/EMG-M2026-0005-S08.pdf")
            .is_file()
    );
}
