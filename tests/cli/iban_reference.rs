//! fresk's IBAN check against a reference implementation: the PyPI package `schwifty`
//! (installed by scripts/test.sh into target/validators) judges the same seeded random IBANs —
//! valid ones made with their mod-97 key, and typos of them.

use crate::cmd_transfers::validator;
use fresk::model::bank::check_iban;
use std::io::Write;
use std::process::{Command, Stdio};

/// A small deterministic generator (xorshift), so that a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Countries whose BBAN is digits only, with their IBAN length.
const COUNTRIES: &[(&str, usize)] = &[
    ("FR", 27),
    ("DE", 22),
    ("BE", 16),
    ("AT", 20),
    ("PL", 28),
    ("PT", 25),
    ("IT", 27),
    ("ES", 24),
    ("NO", 15),
    ("FI", 18),
];

/// The IBAN of `country` for `bban`, with its check key.
fn with_key(country: &str, bban: &str) -> String {
    let moved = format!("{bban}{country}00");
    let mut rest = 0u32;
    for c in moved.chars() {
        let v = c.to_digit(36).unwrap();
        rest = if v >= 10 {
            (rest * 100 + v) % 97
        } else {
            (rest * 10 + v) % 97
        };
    }
    format!("{country}{:02}{bban}", 98 - rest)
}

fn candidates() -> Vec<String> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = Vec::new();
    for _ in 0..300 {
        let (country, len) = COUNTRIES[rng.below(COUNTRIES.len() as u64) as usize];
        let mut bban: String = (0..len - 4)
            .map(|_| char::from(b'0' + rng.below(10) as u8))
            .collect();
        // Italy's BBAN starts with a letter (its CIN).
        if country == "IT" {
            bban.replace_range(..1, "X");
        }
        let good = with_key(country, &bban);
        out.push(good.clone());
        let mut typo = good.clone().into_bytes();
        let at = 4 + rng.below((len - 4) as u64) as usize;
        if typo[at].is_ascii_digit() {
            typo[at] = b'0' + (typo[at] - b'0' + 1 + rng.below(9) as u8) % 10;
        }
        out.push(String::from_utf8(typo).unwrap());
        out.push(good[..len - 1].to_string());
    }
    out
}

#[test]
fn iban_checks_agree_with_schwifty() {
    let python = validator(
        "python3",
        "target/validators, with the PyPI package schwifty",
    );
    let script = "import sys\nfrom schwifty import IBAN\nfor line in sys.stdin:\n    s = line.strip()\n    try:\n        IBAN(s)\n        print('ok')\n    except Exception:\n        print('bad')\n";
    let ivs = candidates();
    let mut child = Command::new(python)
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
        .write_all(ivs.join("\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "schwifty failed (is it installed? run scripts/test.sh): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdicts: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(verdicts.len(), ivs.len());
    let mut valid = 0;
    for (iban, verdict) in ivs.iter().zip(&verdicts) {
        let ours = check_iban(iban).is_ok();
        assert_eq!(
            ours,
            verdict == "ok",
            "{iban}: fresk says {ours}, schwifty {verdict}"
        );
        valid += usize::from(ours);
    }
    assert!(valid > 250, "{valid} valid IBANs only");
}
