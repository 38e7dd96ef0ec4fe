//! `fresk mail`: messages sent through a real SMTP server (aiosmtpd, started here on a free
//! port of 127.0.0.1 by `tests/smtp/sink.py`), read back with Python's own MIME parser.

use crate::support::{Ws, manifest_dir, tree};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const SESSION: &str = "M2026-0006-S01";
const ROSTER_FILE: &str = "private/rosters/M2026-0006-S01.yaml";
const SESSION_FILE: &str = "missions/M2026-0006/sessions/M2026-0006-S01.yaml";

/// Three attended with an address, one did not attend, one has no address.
const ROSTER: &str = "session: M2026-0006-S01
participants:
  - { name: Jeanne Martin, email: jeanne.martin@example.org, organisation: Mairie d'Anse }
  - { name: Karim Haddad, email: karim@example.org, attended: false }
  - { name: Léa Rousseau, email: lea.rousseau@example.org }
  - { name: Paul Ménard }
  - { name: Zoé Étienne, email: zoe@example.org }
";

/// The SMTP server of a test; stopped when dropped.
pub struct Smtp {
    child: Child,
    pub port: u16,
    folder: tempfile::TempDir,
}

/// The Python that has aiosmtpd: scripts/test.sh's `target/validators`, else `python3`.
fn python() -> PathBuf {
    let venv = manifest_dir().join("target/validators/bin/python3");
    if venv.is_file() {
        venv
    } else {
        PathBuf::from("python3")
    }
}

impl Smtp {
    pub fn start() -> Smtp {
        let python = python();
        let has = Command::new(&python)
            .args(["-c", "import aiosmtpd"])
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            has,
            "aiosmtpd is missing for {}: run scripts/test.sh (it installs aiosmtpd==1.4.6 into target/validators), or `python3 -m pip install aiosmtpd==1.4.6`",
            python.display()
        );
        let folder = tempfile::tempdir().unwrap();
        let mut child = Command::new(&python)
            .arg(manifest_dir().join("tests/smtp/sink.py"))
            .arg(folder.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("ready ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the SMTP sink did not start: {line:?}"));
        Smtp {
            child,
            port,
            folder,
        }
    }

    /// Every message received so far, in order, as the sink parsed it.
    pub fn received(&self) -> Vec<serde_json::Value> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.folder.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The example with the roster and `mail:` pointing at `port`.
fn workspace(port: u16) -> Ws {
    let ws = Ws::example();
    ws.write(ROSTER_FILE, ROSTER);
    // The roster marks four present (roster-attendance checks the count).
    ws.edit(SESSION_FILE, "attended: 15", "attended: 4");
    let config = ws.read("fresk.yaml");
    ws.write(
        "fresk.yaml",
        &format!(
            "{config}mail:\n  host: 127.0.0.1\n  port: {port}\n  tls: none\n  from: \"Fresques en Rhône <contact@example.org>\"\n  reply_to: bilan@example.org\nsurvey:\n  link: \"https://forms.example.org/avis?session={{session}}\"\n"
        ),
    );
    ws
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn pdf_text(path: &Path) -> String {
    pdf_extract::extract_text(path).unwrap()
}

#[test]
fn certificates_go_to_each_attendee_with_their_own_pdf_once() {
    let smtp = Smtp::start();
    let ws = workspace(smtp.port);
    let out = ws.run_ok(&["mail", "certificates", SESSION]);
    assert!(
        out.contains("sent certificates to Léa Rousseau <lea.rousseau@example.org>"),
        "{out}"
    );
    let got = smtp.received();
    assert_eq!(got.len(), 3, "{got:#?}");
    let expected = [
        (
            "jeanne.martin@example.org",
            "Jeanne Martin",
            "ATT-M2026-0006-S01-01.pdf",
        ),
        (
            "lea.rousseau@example.org",
            "Léa Rousseau",
            "ATT-M2026-0006-S01-03.pdf",
        ),
        (
            "zoe@example.org",
            "Zoé Étienne",
            "ATT-M2026-0006-S01-05.pdf",
        ),
    ];
    for (m, (address, name, file)) in got.iter().zip(expected) {
        assert_eq!(m["rcpt_tos"], serde_json::json!([address]));
        assert_eq!(m["to"], format!("{name} <{address}>"));
        assert_eq!(m["from"], "Fresques en Rhône <contact@example.org>");
        assert_eq!(m["reply_to"], "bilan@example.org");
        assert_eq!(m["content_type"], "multipart/mixed");
        assert_eq!(
            m["subject"],
            "Votre certificat de réalisation — Formation animateur·ice (1 jour) du 14/04/2026"
        );
        assert!(
            m["body"]
                .as_str()
                .unwrap()
                .contains(&format!("Bonjour {name},"))
        );
        let attachments = m["attachments"].as_array().unwrap();
        assert_eq!(attachments.len(), 1);
        assert_eq!(attachments[0]["filename"], file);
        assert_eq!(attachments[0]["content_type"], "application/pdf");
        // The attachment is that participant's certificate, and nobody else's.
        let text = pdf_text(Path::new(attachments[0]["saved"].as_str().unwrap()));
        assert!(text.contains(name), "{text}");
        for (_, other, _) in expected.iter().filter(|(_, o, _)| *o != name) {
            assert!(!text.contains(other), "{text}");
        }
    }
    // The log under private/ says who got what; the session file only when and how many.
    let log = ws.read("private/mail/M2026-0006-S01.yaml");
    assert_eq!(log.matches("kind: certificates").count(), 3, "{log}");
    assert!(log.contains("lea.rousseau@example.org"), "{log}");
    let session = ws.read(SESSION_FILE);
    assert!(
        session.contains("sent: { certificates: { date: 2026-06-15, count: 3 } }"),
        "{session}"
    );
    assert!(!session.contains("@"), "{session}");
    ws.lint().expect_clean();

    // A second run sends nothing new and changes nothing.
    let before = tree(&ws);
    let out = ws.run_ok(&["mail", "certificates", SESSION]);
    assert!(out.contains("nothing to send"), "{out}");
    assert_eq!(smtp.received().len(), 3);
    assert_eq!(tree(&ws), before);

    // --resend sends to that one address again.
    ws.run_ok(&[
        "mail",
        "certificates",
        SESSION,
        "--resend",
        "Zoe@example.org",
    ]);
    let got = smtp.received();
    assert_eq!(got.len(), 4);
    assert_eq!(got[3]["rcpt_tos"], serde_json::json!(["zoe@example.org"]));
    // An address that is not an attendee's is refused.
    let out = ws.run(&[
        "mail",
        "certificates",
        SESSION,
        "--resend",
        "karim@example.org",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--resend karim@example.org"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_survey_link_goes_in_english_when_asked() {
    let smtp = Smtp::start();
    let ws = workspace(smtp.port);
    let out = ws.run(&["mail", "survey", SESSION, "--lang", "en"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Paul has no address: said, not fatal.
    assert!(stderr(&out).contains("Paul Ménard"), "{}", stderr(&out));
    let got = smtp.received();
    assert_eq!(got.len(), 3);
    let m = &got[1];
    assert_eq!(m["content_type"], "text/plain");
    assert_eq!(
        m["subject"],
        "Your feedback on Facilitator training (1 day) on 14 April 2026"
    );
    let body = m["body"].as_str().unwrap();
    assert!(body.contains("Hello Léa Rousseau,"), "{body}");
    assert!(
        body.contains("https://forms.example.org/avis?session=M2026-0006-S01"),
        "{body}"
    );
    assert!(m["attachments"].as_array().unwrap().is_empty());
    let session = ws.read(SESSION_FILE);
    assert!(
        session.contains("survey: { date: 2026-06-15, count: 3 }"),
        "{session}"
    );
}

#[test]
fn a_refused_recipient_is_reported_and_sent_on_the_next_run() {
    let smtp = Smtp::start();
    let ws = workspace(smtp.port);
    ws.edit(
        ROSTER_FILE,
        "lea.rousseau@example.org",
        "refused.lea@example.org",
    );
    let out = ws.run(&["mail", "survey", SESSION]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("not sent: Léa Rousseau <refused.lea@example.org>: refused by the server"),
        "{err}"
    );
    assert!(err.contains("2 of 3 message(s) sent"), "{err}");
    assert_eq!(smtp.received().len(), 2);
    let log = ws.read("private/mail/M2026-0006-S01.yaml");
    assert!(log.contains("jeanne.martin@example.org") && log.contains("zoe@example.org"));
    assert!(!log.contains("lea"), "{log}");
    assert!(
        ws.read(SESSION_FILE)
            .contains("survey: { date: 2026-06-15, count: 2 }")
    );
    // The address is fixed: the next run sends only to her.
    ws.edit(
        ROSTER_FILE,
        "refused.lea@example.org",
        "lea.rousseau@example.org",
    );
    let out = ws.run_ok(&["mail", "survey", SESSION]);
    assert!(out.contains("sent survey to Léa Rousseau"), "{out}");
    assert!(!out.contains("Jeanne"), "{out}");
    let got = smtp.received();
    assert_eq!(got.len(), 3);
    assert_eq!(
        got[2]["rcpt_tos"],
        serde_json::json!(["lea.rousseau@example.org"])
    );
    assert!(
        ws.read(SESSION_FILE)
            .contains("survey: { date: 2026-06-15, count: 3 }")
    );
}

#[test]
fn a_server_down_sends_and_records_nothing() {
    // A port nobody listens on: the server's, once stopped.
    let port = {
        let smtp = Smtp::start();
        smtp.port
    };
    let ws = workspace(port);
    let before = tree(&ws);
    let out = ws.run(&["mail", "certificates", SESSION]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("cannot reach the SMTP server 127.0.0.1:{port}")),
        "{err}"
    );
    assert!(err.contains("2 more message(s) not tried"), "{err}");
    assert!(err.contains("0 of 3 message(s) sent"), "{err}");
    assert_eq!(tree(&ws), before, "nothing recorded as sent");
}

#[test]
fn dry_run_and_outbox_send_nothing() {
    let ws = workspace(9);
    let before = tree(&ws);
    let out = ws.run_ok(&["--dry-run", "mail", "certificates", SESSION]);
    assert!(
        out.contains("would send certificates to Jeanne Martin <jeanne.martin@example.org>"),
        "{out}"
    );
    assert!(out.contains("with ATT-M2026-0006-S01-05.pdf"), "{out}");
    assert!(out.contains("3 message(s) would be sent"), "{out}");
    assert_eq!(tree(&ws), before);
    // An outbox inside the workspace but outside private/ would put names in git.
    let out = ws.run(&["mail", "survey", SESSION, "--outbox", "out"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("under private/"), "{}", stderr(&out));
    let outside = tempfile::tempdir().unwrap();
    let dir = outside.path().join("outbox");
    ws.run_ok(&[
        "mail",
        "certificates",
        SESSION,
        "--outbox",
        dir.to_str().unwrap(),
    ]);
    let eml = std::fs::read_to_string(dir.join("M2026-0006-S01-02.eml")).unwrap();
    assert!(eml.contains("To: =?utf-8?"), "{eml}");
    assert!(eml.contains("lea.rousseau@example.org"), "{eml}");
    assert!(
        eml.contains("filename=\"ATT-M2026-0006-S01-03.pdf\""),
        "{eml}"
    );
    assert!(
        !ws.path().join("private/mail").exists(),
        "nothing recorded as sent"
    );
}

#[test]
fn mail_needs_a_held_session_and_a_mail_section() {
    let ws = Ws::example();
    ws.write(ROSTER_FILE, ROSTER);
    let out = ws.run(&["mail", "certificates", SESSION]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no `mail:` section"),
        "{}",
        stderr(&out)
    );
    let out = ws.run(&["mail", "survey", "M2026-0005-S08"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("took place"), "{}", stderr(&out));
}

#[test]
fn no_name_or_address_reaches_git_or_the_cache() {
    let smtp = Smtp::start();
    let ws = workspace(smtp.port);
    crate::support::git(&ws, None, &["init", "-q", "-b", "main"]);
    crate::support::git(&ws, None, &["config", "user.name", "Claire Fontaine"]);
    crate::support::git(&ws, None, &["config", "user.email", "claire@example.org"]);
    crate::support::git(&ws, None, &["add", "-A"]);
    crate::support::git(&ws, None, &["commit", "-q", "-m", "base"]);
    let out = ws.run_ok(&["mail", "certificates", SESSION, "--commit"]);
    assert!(out.contains("committed"), "{out}");
    ws.run_ok(&["mail", "survey", SESSION, "--commit"]);
    assert_eq!(smtp.received().len(), 6);
    let history = crate::support::git(&ws, None, &["log", "-p", "--all"]);
    assert!(history.contains("sent: { certificates:"), "{history}");
    let tracked = crate::support::git(&ws, None, &["ls-files"]);
    assert!(!tracked.contains("private/"), "{tracked}");
    let status = crate::support::git(&ws, None, &["status", "--porcelain", "--ignored"]);
    assert!(!status.lines().any(|l| !l.starts_with("!!")), "{status}");
    let mut places = vec![history];
    // The cache keeps files that are old enough: age them all, then lint with the cache on.
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for (rel, _) in tree(&ws) {
        let file = std::fs::File::options()
            .write(true)
            .open(ws.path().join(rel))
            .unwrap();
        file.set_modified(past).unwrap();
    }
    std::thread::sleep(std::time::Duration::from_millis(60));
    let out = ws
        .command()
        .env("FRESK_CACHE_MIN_FILES", "0")
        .env_remove("FRESK_NO_CACHE")
        .arg("lint")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let cache = crate::support::tree_of(&ws.cache_dir());
    assert!(!cache.is_empty(), "the cache is written");
    for (_, bytes) in cache {
        places.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    for (rel, bytes) in tree(&ws) {
        if !rel.starts_with("private/") && !rel.starts_with(".git/") {
            places.push(String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    for text in &places {
        for secret in [
            "Jeanne",
            "Martin",
            "Rousseau",
            "Étienne",
            "Ménard",
            "jeanne.martin@",
            "zoe@",
            "lea.rousseau@",
        ] {
            assert!(!text.contains(secret), "{secret} leaked:\n{text}");
        }
    }
}

#[test]
fn mail_refuses_when_private_is_not_ignored() {
    let smtp = Smtp::start();
    let ws = workspace(smtp.port);
    ws.edit(".gitignore", "private/\n", "");
    crate::support::git(&ws, None, &["init", "-q", "-b", "main"]);
    let out = ws.run(&["mail", "survey", SESSION]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nothing was sent"),
        "{}",
        stderr(&out)
    );
    assert!(smtp.received().is_empty());
}
