//! The numbering-pattern language of `series:` in fresk.yaml (`AF-{person}-{seq:04}`): parsing a
//! pattern, matching a number against it, and formatting the number with given parts.

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Lit(String),
    Year,
    /// The sequence number, zero-padded to this width.
    Seq(usize),
    Person,
}

/// A numbering pattern from `series:` in fresk.yaml, e.g. `AF-{person}-{seq:04}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    segs: Vec<Seg>,
}

/// What a number says about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Parts<'n> {
    pub year: Option<i32>,
    pub person: Option<&'n str>,
    pub seq: u32,
}

/// Longest number the matcher looks at; numbers are a few dozen characters at most.
const MAX_NUMBER_LEN: usize = 128;

/// Longest series pattern (its numbers stay well under [`MAX_NUMBER_LEN`]).
const MAX_PATTERN_LEN: usize = 40;

impl Pattern {
    /// Parse a pattern: literal text with `{year}` (4 digits), `{seq}` or `{seq:04}` (the
    /// sequence, zero-padded to the width) and `{person}` (a person id). Exactly one `{seq}`.
    ///
    /// A number becomes a file name (`invoices/<year>/<number>.yaml`, `<number>.pdf`), so the
    /// literal text is only ASCII letters, digits, `-`, `_` and `.` (not first), and short: a
    /// pattern such as `../../outside/F{year}-{seq:04}` is refused here, by lint
    /// (`bad-series-pattern`) and by every command that numbers.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        if text.chars().count() > MAX_PATTERN_LEN {
            return Err(format!(
                "it is {} characters long; a series pattern has at most {MAX_PATTERN_LEN}",
                text.chars().count()
            ));
        }
        if let Some(c) = text
            .chars()
            .filter(|c| !matches!(c, '{' | '}'))
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')))
        {
            return Err(format!(
                "`{}` cannot be part of a number: a number becomes a file name (invoices/<year>/<number>.yaml, <number>.pdf); use only letters A–Z, digits, `-`, `_` and `.` around the placeholders",
                c.escape_debug()
            ));
        }
        if text.starts_with('.') {
            return Err(
                "it starts with `.`: the number would name a hidden file; start it with a letter or a digit"
                    .into(),
            );
        }
        let mut segs = Vec::new();
        let mut lit = String::new();
        let (mut years, mut seqs, mut persons) = (0, 0, 0);
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            match c {
                '{' => {
                    let Some(close) = rest.find('}') else {
                        return Err("a `{` without its closing `}`".into());
                    };
                    let name = &rest[1..close];
                    let seg = match name {
                        "year" => {
                            years += 1;
                            Seg::Year
                        }
                        "person" => {
                            persons += 1;
                            Seg::Person
                        }
                        "seq" => {
                            seqs += 1;
                            Seg::Seq(1)
                        }
                        _ => match name.strip_prefix("seq:") {
                            Some(w) => {
                                let width = w
                                    .parse::<usize>()
                                    .ok()
                                    .filter(|w| (1..=9).contains(w))
                                    .ok_or_else(|| {
                                        format!("`{{{name}}}`: the width after `seq:` must be a number from 1 to 9, e.g. `{{seq:04}}`")
                                    })?;
                                seqs += 1;
                                Seg::Seq(width)
                            }
                            None => {
                                return Err(format!(
                                    "unknown placeholder `{{{name}}}`; the placeholders are {{year}}, {{seq:04}} and {{person}}"
                                ));
                            }
                        },
                    };
                    if !lit.is_empty() {
                        segs.push(Seg::Lit(std::mem::take(&mut lit)));
                    }
                    segs.push(seg);
                    rest = &rest[close + 1..];
                }
                '}' => return Err("a `}` without its opening `{`".into()),
                ':' => {
                    return Err(
                        "`:` belongs only in `{seq:04}`, never in the number itself (a file name)"
                            .into(),
                    );
                }
                _ => {
                    lit.push(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
        if !lit.is_empty() {
            segs.push(Seg::Lit(lit));
        }
        if seqs != 1 {
            return Err(if seqs == 0 {
                "it has no `{seq:04}`: a series needs the sequence number".into()
            } else {
                "`{seq}` appears more than once".into()
            });
        }
        if years > 1 || persons > 1 {
            return Err("`{year}` and `{person}` may appear at most once".into());
        }
        Ok(Pattern { segs })
    }

    pub fn has_person(&self) -> bool {
        self.segs.contains(&Seg::Person)
    }

    /// The parts of `number`, or `None` when it does not match the pattern.
    pub fn matches<'n>(&self, number: &'n str) -> Option<Parts<'n>> {
        self.match_with(number, None)
    }

    /// Like [`Pattern::matches`], with `{person}` standing for exactly `person`.
    pub fn matches_person<'n>(&self, number: &'n str, person: &str) -> Option<Parts<'n>> {
        self.match_with(number, Some(person))
    }

    fn match_with<'n>(&self, number: &'n str, person: Option<&str>) -> Option<Parts<'n>> {
        if number.len() > MAX_NUMBER_LEN {
            return None;
        }
        let mut parts = Parts::default();
        self.match_from(0, number, person, &mut parts)
            .then_some(parts)
    }

    /// Backtracking match of `segs[i..]` against `s` (greedy, like a regex).
    fn match_from<'n>(
        &self,
        i: usize,
        s: &'n str,
        fixed: Option<&str>,
        parts: &mut Parts<'n>,
    ) -> bool {
        let Some(seg) = self.segs.get(i) else {
            return s.is_empty();
        };
        match seg {
            Seg::Lit(l) => s
                .strip_prefix(l.as_str())
                .is_some_and(|r| self.match_from(i + 1, r, fixed, parts)),
            Seg::Year => {
                let Some(y) = s.get(..4).filter(|y| y.bytes().all(|b| b.is_ascii_digit())) else {
                    return false;
                };
                parts.year = y.parse().ok();
                self.match_from(i + 1, &s[4..], fixed, parts)
            }
            Seg::Seq(width) => {
                let digits = s.bytes().take_while(u8::is_ascii_digit).count().min(9);
                for len in (*width..=digits).rev() {
                    let d = &s[..len];
                    // Canonical form only: exactly the width, or wider without a leading zero.
                    if len > *width && d.starts_with('0') {
                        continue;
                    }
                    let Ok(seq) = d.parse::<u32>() else { continue };
                    if seq == 0 {
                        continue;
                    }
                    parts.seq = seq;
                    if self.match_from(i + 1, &s[len..], fixed, parts) {
                        return true;
                    }
                }
                false
            }
            Seg::Person => match fixed {
                Some(p) => match s.strip_prefix(p) {
                    Some(r) if !p.is_empty() => {
                        parts.person = Some(&s[..p.len()]);
                        self.match_from(i + 1, r, fixed, parts)
                    }
                    _ => false,
                },
                None => {
                    let max = s
                        .bytes()
                        .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
                        .count();
                    for len in (1..=max).rev() {
                        parts.person = Some(&s[..len]);
                        if self.match_from(i + 1, &s[len..], fixed, parts) {
                            return true;
                        }
                    }
                    false
                }
            },
        }
    }

    /// The number with these parts (`{year}`/`{person}` stay as they are when not given).
    pub fn format(&self, year: Option<i32>, person: Option<&str>, seq: u32) -> String {
        let mut s = String::new();
        for seg in &self.segs {
            match seg {
                Seg::Lit(l) => s.push_str(l),
                Seg::Year => match year {
                    Some(y) => s.push_str(&format!("{y:04}")),
                    None => s.push_str("{year}"),
                },
                Seg::Seq(w) => s.push_str(&format!("{seq:0w$}", w = *w)),
                Seg::Person => s.push_str(person.unwrap_or("{person}")),
            }
        }
        s
    }
}

/// The pattern written back as in fresk.yaml.
pub(super) fn pat_text(pat: &Pattern) -> String {
    let mut s = String::new();
    for seg in &pat.segs {
        match seg {
            Seg::Lit(l) => s.push_str(l),
            Seg::Year => s.push_str("{year}"),
            Seg::Seq(1) => s.push_str("{seq}"),
            Seg::Seq(w) => s.push_str(&format!("{{seq:{w:02}}}")),
            Seg::Person => s.push_str("{person}"),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(s: &str) -> Pattern {
        Pattern::parse(s).unwrap()
    }

    #[test]
    fn patterns_parse_and_reject_mistakes() {
        assert!(Pattern::parse("D{year}-{seq:04}").is_ok());
        assert!(Pattern::parse("F{seq}").is_ok());
        assert!(
            Pattern::parse("D{year}")
                .unwrap_err()
                .contains("no `{seq:04}`")
        );
        assert!(
            Pattern::parse("D{yaer}-{seq:04}")
                .unwrap_err()
                .contains("unknown placeholder")
        );
        assert!(Pattern::parse("D{year-{seq:04}").is_err());
        assert!(Pattern::parse("D{year}}-{seq:04}").is_err());
        assert!(Pattern::parse("D{seq:0}").unwrap_err().contains("width"));
        assert!(Pattern::parse("D{seq:x4}").is_err());
        assert!(Pattern::parse("{seq}{seq}").is_err());
        assert!(Pattern::parse("{year}{year}{seq}").is_err());
    }

    #[test]
    fn numbers_match_their_pattern() {
        let p = pat("D{year}-{seq:04}");
        assert_eq!(
            p.matches("D2026-0042"),
            Some(Parts {
                year: Some(2026),
                person: None,
                seq: 42
            })
        );
        assert_eq!(p.matches("D2026-12345").map(|x| x.seq), Some(12345));
        assert_eq!(p.matches("D2026-042"), None, "too short");
        assert_eq!(p.matches("D2026-00042"), None, "over-padded");
        assert_eq!(p.matches("D2026-0000"), None, "sequences start at 1");
        assert_eq!(p.matches("D26-0042"), None);
        assert_eq!(p.matches("F2026-0042"), None);
        assert_eq!(p.matches("D2026-0042 "), None);
        assert_eq!(p.matches("D2026-0042x"), None);
        assert_eq!(p.matches(""), None);
        assert_eq!(pat("F{seq}").matches("F7").map(|x| x.seq), Some(7));
        assert_eq!(pat("F{seq}").matches("F07"), None);
    }

    #[test]
    fn patterns_make_file_names_only() {
        for bad in [
            "../../../outside/F{year}-{seq:04}",
            "F{year}/{seq:04}",
            "F{year}\\{seq:04}",
            ".F{year}-{seq:04}",
            "F {year}-{seq:04}",
            "F:{seq:04}",
            "É{year}-{seq:04}",
            "F{year}-{seq:04}\n",
            "F{seq}-0123456789012345678901234567890123456789",
        ] {
            assert!(Pattern::parse(bad).is_err(), "{bad:?}");
        }
        for good in ["FAC_{year}.{seq:05}", "AF-{person}-{seq:04}", "Q{seq}"] {
            assert!(Pattern::parse(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn person_patterns_backtrack_over_hyphens() {
        let p = pat("AF-{person}-{seq:04}");
        let parts = p.matches("AF-camille-dupont-0007").unwrap();
        assert_eq!(parts.person, Some("camille-dupont"));
        assert_eq!(parts.seq, 7);
        assert!(
            p.matches_person("AF-camille-dupont-0007", "camille-dupont")
                .is_some()
        );
        assert!(
            p.matches_person("AF-camille-dupont-0007", "lucas-bernard")
                .is_none()
        );
        assert!(
            p.matches_person("AF-camille-dupont-0007", "camille")
                .is_none()
        );
        assert!(p.matches("AF--0007").is_none());
        assert!(p.matches("AF-Camille-0007").is_none(), "ids are lowercase");
        let y = pat("{person}.{year}_{seq:03}");
        let parts = y.matches("ana-2.2026_012").unwrap();
        assert_eq!(
            (parts.person, parts.year, parts.seq),
            (Some("ana-2"), Some(2026), 12)
        );
        let adjacent = pat("{seq}{year}");
        assert_eq!(
            adjacent.matches("122026").map(|x| (x.seq, x.year)),
            Some((12, Some(2026)))
        );
    }

    #[test]
    fn numbers_format_back() {
        let p = pat("AF-{person}-{seq:04}");
        assert_eq!(p.format(None, Some("ana"), 3), "AF-ana-0003");
        assert_eq!(p.format(None, Some("ana"), 12345), "AF-ana-12345");
        assert_eq!(
            pat("D{year}-{seq:04}").format(Some(2026), None, 42),
            "D2026-0042"
        );
        assert_eq!(pat_text(&pat("D{year}-{seq:04}")), "D{year}-{seq:04}");
        for n in ["D2026-0001", "D2026-9999", "D2026-10000"] {
            let q = pat("D{year}-{seq:04}");
            let parts = q.matches(n).unwrap();
            assert_eq!(q.format(parts.year, None, parts.seq), n);
        }
    }
}
