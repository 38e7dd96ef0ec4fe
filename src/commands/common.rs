//! What every workspace command shares: the opened workspace and its clock, finding records by
//! id with helpful errors, the header of new files, prompts, and printing lists.

use super::Error;
use super::mutate::{self, Options, Plan};
use crate::cli::{ListArgs, ListFormat};
use crate::diagnostics::did_you_mean;
use crate::model::{Clock, Config, Date, DateTime, Kind, Person, Role};
use crate::report::table::format_rows;
use crate::store;
use crate::workspace::{self, Loaded, Workspace};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Global options every command receives.
#[derive(Debug, Clone, Default)]
pub struct Globals {
    pub dry_run: bool,
    pub color: bool,
    /// Commit the files written (`--commit`).
    pub commit: bool,
    /// Branch to create first (`--branch`; empty: named after the change).
    pub branch: Option<String>,
}

/// An opened workspace, ready for a command.
pub struct Cx {
    pub root: PathBuf,
    pub ws: Workspace,
    pub clock: Clock,
    pub tz: chrono_tz::Tz,
    pub globals: Globals,
    /// The workspace lock, held from before the workspace was read until the command ends
    /// (`None` for the partial, read-only loads of reports).
    _lock: Option<store::Lock>,
}

impl Cx {
    /// Find the workspace from `start`, take its lock (so that this command sees what any
    /// other command wrote, and writes what it read), finish or undo a change an interrupted
    /// command left, load it and read the clock.
    pub fn open(start: &Path, globals: Globals) -> Result<Cx, Error> {
        let root = super::root(start)?;
        let lock = store::Lock::take(&root)?;
        super::recover(&root, true)?;
        Cx::open_with(root, globals, Some(lock), workspace::load)
    }

    /// [`Cx::open`], loading only `kinds` (and fresk.yaml), without the lock: for reports,
    /// which read a few kinds and write nothing.
    pub fn open_kinds(start: &Path, globals: Globals, kinds: &[Kind]) -> Result<Cx, Error> {
        let root = super::root(start)?;
        super::recover(&root, false)?;
        Cx::open_with(root, globals, None, |root| {
            workspace::load_kinds(root, kinds)
        })
    }

    fn open_with(
        root: PathBuf,
        globals: Globals,
        lock: Option<store::Lock>,
        load: impl FnOnce(&Path) -> Result<Workspace, workspace::OpenError>,
    ) -> Result<Cx, Error> {
        let ws = load(&root)?;
        let tz = ws
            .config
            .as_ref()
            .map_or(chrono_tz::Europe::Paris, |c| c.tz());
        let clock = Clock::from_env(tz)?;
        Ok(Cx {
            root,
            ws,
            clock,
            tz,
            globals,
            _lock: lock,
        })
    }

    /// fresk.yaml, or an error telling to fix it first.
    pub fn config(&self) -> Result<&Config, Error> {
        self.ws.config.as_ref().map(|c| &c.value).ok_or_else(|| {
            Error::io("fresk.yaml cannot be read; run `fresk lint` and fix it first".into())
        })
    }

    pub fn today(&self) -> Date {
        self.clock.today(self.tz)
    }

    /// Now, as a date-time in the workspace time zone (minute precision).
    pub fn now(&self) -> DateTime {
        let local = self.clock.now.with_timezone(&self.tz).naive_local();
        let local = local
            .date()
            .and_hms_opt(
                chrono::Timelike::hour(&local),
                chrono::Timelike::minute(&local),
                0,
            )
            .unwrap_or(local);
        DateTime {
            local,
            offset: None,
        }
    }

    /// The text of a workspace file.
    pub fn read(&self, rel: &str) -> Result<String, Error> {
        std::fs::read_to_string(self.root.join(rel))
            .map_err(|e| Error::io(format!("cannot read {rel}: {e}")))
    }

    /// Check and write a plan (or print its diff with --dry-run), then say what happened;
    /// with --commit (and --branch), commit exactly the files written.
    pub fn apply(&mut self, plan: &Plan) -> Result<u8, Error> {
        let options = Options {
            dry_run: self.globals.dry_run,
            color: self.globals.color,
        };
        let committer = if self.globals.commit && !self.globals.dry_run {
            let branch = self.globals.branch.as_deref().map(|b| {
                if b.is_empty() {
                    crate::git::branch_name_for(&plan.summary)
                } else {
                    b.to_string()
                }
            });
            Some(crate::git::prepare_commit(&self.root, branch.as_deref())?)
        } else {
            None
        };
        let written = mutate::apply(&mut self.ws, self.clock, plan, options)?;
        if self.globals.dry_run {
            return Ok(0);
        }
        // Committed before anything is printed: a reader that goes away (a closed pipe) never
        // leaves the files written but not committed.
        // Files under private/ (rosters) are written but never committed: git ignores them.
        let written: Vec<String> = written
            .into_iter()
            .filter(|p| !crate::workspace::is_private_path(p))
            .collect();
        let commit = committer
            .filter(|_| !written.is_empty())
            .map(|committer| committer.commit(&written, &plan.summary))
            .transpose()
            .map_err(|e| {
                Error::io(format!(
                    "the files are written but the commit failed: {}; commit them with git",
                    e.0
                ))
            })?;
        println!("{}", plan.summary);
        if let Some(id) = commit {
            println!("committed {id}: {}", plan.summary);
        }
        Ok(0)
    }
}

/// The error of an edit of `file` that could not be made.
pub fn edit_error(file: &str) -> impl Fn(crate::yaml::edit::EditError) -> Error + use<> {
    let file = file.to_string();
    move |e| {
        Error::io(format!(
            "cannot edit {file}: {e}; nothing was changed — fix the file (see `fresk lint`) and retry"
        ))
    }
}

/// Find a record by id among `items`, or say which ids are close.
pub fn find<'a, T>(
    items: &'a [Loaded<T>],
    id: &str,
    what: &str,
    id_of: impl Fn(&T) -> &str,
) -> Result<&'a Loaded<T>, Error> {
    if let Some(found) = items.iter().find(|x| id_of(&x.value) == id) {
        return Ok(found);
    }
    let hint = did_you_mean(id, items.iter().map(|x| id_of(&x.value)))
        .map(|m| format!("; did you mean `{m}`?"))
        .unwrap_or_else(|| match what {
            "person" => format!("; add them with `fresk person new {id} --name … --role …`"),
            "organisation" => {
                format!("; add it with `fresk organisation new {id} --name … --sector …`")
            }
            _ => String::new(),
        });
    Err(Error::refused(format!(
        "no {what} `{id}`{hint} (or its file does not lint: run `fresk lint`)"
    )))
}

/// One of a fixed set of words, or an error listing them (with a "did you mean").
pub fn parse_word<T: Copy>(
    value: &str,
    flag: &str,
    all: &[T],
    name: impl Fn(T) -> &'static str,
) -> Result<T, Error> {
    let v = value.trim();
    if let Some(found) = all.iter().copied().find(|x| name(*x) == v) {
        return Ok(found);
    }
    let words: Vec<&str> = all.iter().map(|x| name(*x)).collect();
    let hint = did_you_mean(v, words.iter().copied())
        .map(|m| format!("did you mean `{m}`? "))
        .unwrap_or_default();
    Err(Error::usage(format!(
        "{flag} `{v}` is not allowed; {hint}use one of: {}",
        words.join(", ")
    )))
}

/// The next id `<prefix><year>-<seq:04>` of a kind: one more than the highest of that year among
/// the ids read and the file names (so a file that does not parse still holds its number).
pub fn next_id(cx: &Cx, kind: Kind, prefix: &str, year: i32) -> String {
    let head = format!("{prefix}{year}-");
    let seq_of = |id: &str| id.strip_prefix(&head).and_then(|s| s.parse::<u32>().ok());
    let from_ids = cx
        .ws
        .ids
        .get(&kind)
        .into_iter()
        .flat_map(|m| m.keys())
        .filter_map(|id| seq_of(id));
    let from_files = cx
        .ws
        .files
        .iter()
        .filter(|(_, k)| *k == kind)
        .filter_map(|(rel, _)| {
            let name = rel.rsplit('/').next().unwrap_or(rel);
            seq_of(name.strip_suffix(".yaml").unwrap_or(name))
        });
    let max = from_ids.chain(from_files).max().unwrap_or(0);
    format!("{head}{:04}", max + 1)
}

/// A person by id, with the role a command needs.
pub fn person_with_role<'a>(
    cx: &'a Cx,
    id: &str,
    role: Role,
    what: &str,
) -> Result<&'a Loaded<Person>, Error> {
    let person = find(&cx.ws.people, id, "person", |p| &p.id)?;
    if !person.has_role(role) {
        return Err(Error::refused(format!(
            "`{id}` cannot be {what}: they do not have the role `{}` (roles in {}: {}); choose someone who has it, or add the role to their file",
            role.as_str(),
            person.file,
            person
                .roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(person)
}

/// Sort key of generated ids: year and sequence as numbers, then the text.
pub fn id_order(id: &str) -> (u32, u32, String) {
    let digits: Vec<u32> = id
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    (
        digits.first().copied().unwrap_or(0),
        digits.get(1).copied().unwrap_or(0),
        id.to_string(),
    )
}

/// The first line of every file fresk creates: the JSON Schema for editors, relative to `rel`.
pub fn schema_header(kind: Kind, rel: &str) -> String {
    let depth = rel.matches('/').count();
    format!(
        "# yaml-language-server: $schema={}schema/{}\n",
        "../".repeat(depth),
        kind.schema_file()
    )
}

/// Refuse to number or render a legal document while fresk.yaml still holds the placeholder
/// identity of `fresk init`.
pub fn require_identity(config: &crate::model::Config, what: &str) -> Result<(), Error> {
    match config.organisation.placeholder_field() {
        Some(field) => Err(Error::refused(format!(
            "refusing to {what}: `{field}` in fresk.yaml is still the placeholder `fresk init` wrote; put your association's legal name and SIRET there first (numbers and documents are legal records)"
        ))),
        None => Ok(()),
    }
}

/// An optional value asked on a terminal (`None` for an empty answer, and never asked on a
/// pipe or in CI).
pub fn ask(question: &str) -> Result<Option<String>, Error> {
    if !interactive() {
        return Ok(None);
    }
    Ok(prompt_line(question)?.filter(|l| !l.is_empty()))
}

/// Is someone at a terminal to answer questions (never on a pipe or in CI)?
pub(super) fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Ask `question` on standard error and read one line: `None` at the end of input.
pub(super) fn prompt_line(question: &str) -> Result<Option<String>, Error> {
    let mut err = std::io::stderr();
    let _ = write!(err, "{question}: ");
    let _ = err.flush();
    let mut line = String::new();
    let read = std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::io(e.to_string()))?;
    Ok((read > 0).then(|| line.trim().to_string()))
}

/// A required value: the flag's value, else a prompt on a terminal, else an error naming the flag.
pub fn required(value: Option<String>, flag: &str, question: &str) -> Result<String, Error> {
    required_checked(value, flag, question, |v| Ok(v.to_string()))
}

/// A required value read by `check`. A value given on the command line that `check` refuses is
/// an error; an answer typed at the prompt that it refuses is asked again, with the reason, until
/// it is right or input ends.
pub fn required_checked<T>(
    value: Option<String>,
    flag: &str,
    question: &str,
    check: impl Fn(&str) -> Result<T, Error>,
) -> Result<T, Error> {
    if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
        return check(&v);
    }
    let missing = || Error::usage(format!("missing {flag}: {question}"));
    if !interactive() {
        return Err(missing());
    }
    loop {
        match prompt_line(question)? {
            None => return Err(missing()),
            Some(line) if line.is_empty() => eprintln!("  {flag} is needed; type a value"),
            Some(line) => match check(&line) {
                Ok(value) => return Ok(value),
                Err(e) => eprintln!("  {e}; try again"),
            },
        }
    }
}

/// A prompt's question with the ids to choose from, when there are few enough to read.
pub fn with_choices<'a>(question: &str, ids: impl Iterator<Item = &'a str>) -> String {
    let ids: Vec<&str> = ids.collect();
    if ids.is_empty() || ids.len() > 12 {
        question.to_string()
    } else {
        format!("{question} [{}]", ids.join(", "))
    }
}

/// A payment's `--date` and `--reference`: the flags, else asked on a terminal.
pub fn payment(date: Option<String>, reference: Option<String>) -> Result<(Date, String), Error> {
    let date = required(date, "--date", "Payment date (YYYY-MM-DD)")?;
    let date = Date::parse(&date).map_err(|e| Error::usage(format!("--date: {e}")))?;
    let reference = required(
        reference,
        "--reference",
        "Payment reference (transfer label, cheque number)",
    )?;
    Ok((date, reference))
}

/// Parse an optional `--date`, defaulting to today.
pub fn date_or_today(cx: &Cx, value: Option<&str>, flag: &str) -> Result<Date, Error> {
    match value {
        Some(v) => Date::parse(v).map_err(|e| Error::usage(format!("{flag}: {e}"))),
        None => Ok(cx.today()),
    }
}

/// The dates of `--from` and `--to` (each optional), refusing a `--from` after the `--to`.
pub fn date_range(
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(Option<Date>, Option<Date>), Error> {
    let parse = |v: Option<&str>, flag: &str| {
        v.map(|t| Date::parse(t).map_err(|e| Error::usage(format!("{flag}: {e}"))))
            .transpose()
    };
    let from = parse(from, "--from")?;
    let to = parse(to, "--to")?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(Error::usage(format!(
            "--from {f} is after --to {t}; give the earlier date first"
        )));
    }
    Ok((from, to))
}

/// The `--from` / `--to` of a list.
pub fn list_range(list: &ListArgs) -> Result<(Option<Date>, Option<Date>), Error> {
    date_range(list.from.as_deref(), list.to.as_deref())
}

/// A person by id, or which ids are close.
pub fn find_person<'a>(cx: &'a Cx, id: &str) -> Result<&'a Loaded<Person>, Error> {
    find(&cx.ws.people, id, "person", |p| &p.id)
}

/// Print rows as a table (comfy-table), CSV or JSON (an array of objects keyed by header).
pub fn print_rows(headers: &[&str], rows: &[Vec<String>], format: ListFormat) {
    print!(
        "{}",
        format_rows(headers, rows, format, std::io::stdout().is_terminal())
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_range_is_read_in_order() {
        let d = |t: &str| Date::parse(t).ok();
        assert_eq!(date_range(None, None).unwrap(), (None, None));
        assert_eq!(
            date_range(Some("2026-03-01"), Some("2026-03-01")).unwrap(),
            (d("2026-03-01"), d("2026-03-01"))
        );
        assert_eq!(
            date_range(Some("2026-03-02"), Some("2026-03-01"))
                .unwrap_err()
                .message,
            "--from 2026-03-02 is after --to 2026-03-01; give the earlier date first"
        );
        assert!(
            date_range(Some("March"), None)
                .unwrap_err()
                .message
                .starts_with("--from: ")
        );
        assert!(
            date_range(None, Some("2026-13-01"))
                .unwrap_err()
                .message
                .starts_with("--to: ")
        );
    }

    #[test]
    fn schema_header_is_relative_to_the_file() {
        assert_eq!(
            schema_header(Kind::Session, "missions/M1/sessions/S1.yaml"),
            "# yaml-language-server: $schema=../../../schema/session.schema.json\n"
        );
        assert_eq!(
            schema_header(Kind::Config, "fresk.yaml"),
            "# yaml-language-server: $schema=schema/fresk.schema.json\n"
        );
    }
}
