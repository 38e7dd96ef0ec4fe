//! `fresk survey import SESSION --csv FILE`: a session's satisfaction answers from the form's
//! export. The raw answers (comments included) go to `private/surveys/<session>.yaml`, out of
//! git; the session file gets the anonymous summary (`survey:`).

use super::Error;
use super::common::{Cx, Globals, edit_error, find};
use super::mutate::Plan;
use crate::cli::SurveyCommand;
use crate::csv_table::{self, Column, Table};
use crate::model::SessionState;
use crate::model::config::Survey;
use crate::model::survey::{Answers, Response, SurveySummary, parse_rating};
use crate::yaml::Route;
use crate::yaml::edit::{Document, scalar};
use std::path::Path;

/// A form export larger than this is not a session's answers.
const MAX_CSV_BYTES: u64 = 32 << 20;

pub fn run(start: &Path, cmd: SurveyCommand, globals: Globals) -> Result<u8, Error> {
    let SurveyCommand::Import { session, csv } = cmd;
    let mut cx = Cx::open(start, globals)?;
    let survey = cx.config()?.survey.clone().ok_or_else(|| {
        Error::io(
            "fresk.yaml has no `survey:` section: add the form's `link`, its rating `questions` (`- { id: content, column: \"…\" }`, the column headers of the export) and, if asked, `nps: { column: \"…\" }`".into(),
        )
    })?;
    if survey.questions.is_empty() && survey.nps.is_none() {
        return Err(Error::io(
            "`survey:` in fresk.yaml lists no `questions` and no `nps`, so there is nothing to import: add the rating questions with the headers of their columns in the export".into(),
        ));
    }
    let s = find(&cx.ws.sessions, &session, "session", |s| &s.id)?.clone();
    if s.state != SessionState::Held {
        return Err(Error::refused(format!(
            "session {} is `{}`: survey answers are about a session that took place",
            s.id, s.state
        )));
    }
    let bytes = read(&csv)?;
    let answers = answers(&bytes, &survey, &s.id, &csv)?;
    let ids: Vec<&str> = survey.questions.iter().map(|q| q.id.as_str()).collect();
    let summary = answers.summary(&ids, survey.scale, survey.nps.is_some());
    let mut doc = Document::new(cx.read(&s.file)?);
    doc.set(&Route::parse("survey"), &flow(&summary))
        .map_err(edit_error(&s.file))?;
    let mut plan = Plan::new(format!(
        "session {}: survey of {} response(s) imported{}",
        s.id,
        summary.responses,
        rate(summary.responses, s.participants.attended)
    ));
    plan.write(s.file.clone(), doc.into_text());
    if !cx.globals.dry_run {
        write_private(&cx.root, &answers)?;
    }
    cx.apply(&plan)
}

/// " (12 of 15 who attended)".
fn rate(responses: u32, attended: Option<u32>) -> String {
    attended
        .map(|a| format!(" ({responses} of {a} who attended)"))
        .unwrap_or_default()
}

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    let error = |e: std::io::Error| Error::io(format!("cannot read {}: {e}", path.display()));
    let meta = std::fs::metadata(path).map_err(error)?;
    if meta.len() > MAX_CSV_BYTES {
        return Err(Error::refused(format!(
            "{} is {} bytes, far more than a session's survey answers",
            path.display(),
            meta.len()
        )));
    }
    std::fs::read(path).map_err(error)
}

/// The answers of the export `bytes` for `session`, or every line that is wrong.
fn answers(bytes: &[u8], survey: &Survey, session: &str, path: &Path) -> Result<Answers, Error> {
    let name = path.display();
    let aliases: Vec<[&str; 1]> = survey
        .questions
        .iter()
        .map(|q| [q.column.as_str()])
        .collect();
    let mut columns: Vec<Column> = survey
        .questions
        .iter()
        .zip(&aliases)
        .map(|(q, a)| Column {
            key: q.id.as_str(),
            aliases: a,
            required: true,
        })
        .collect();
    let nps = survey.nps.as_ref().map(|n| [n.column.as_str()]);
    if let Some(a) = &nps {
        columns.push(Column {
            key: "nps",
            aliases: a,
            required: true,
        });
    }
    let comments = survey.comments.as_ref().map(|c| [c.column.as_str()]);
    if let Some(a) = &comments {
        columns.push(Column {
            key: "comment",
            aliases: a,
            required: false,
        });
    }
    columns.push(Column {
        key: "session",
        aliases: &["session", "session id", "id session"],
        required: false,
    });
    let table =
        csv_table::read(bytes, &columns).map_err(|e| Error::usage(format!("{name}: {e}")))?;
    let mut out = Answers {
        session: session.to_string(),
        source: path.file_name().map(|f| f.to_string_lossy().into_owned()),
        responses: Vec::new(),
    };
    let mut problems = Vec::new();
    let mut other_sessions = 0;
    for row in &table.rows {
        if table.get(row, "session").is_some_and(|s| s != session) {
            other_sessions += 1;
            continue;
        }
        match response(&table, row, survey) {
            Ok(Some(r)) => out.responses.push(r),
            Ok(None) => {}
            Err(mut p) => problems.append(&mut p),
        }
    }
    if !problems.is_empty() {
        return Err(Error::refused(format!(
            "{name}: {}; nothing was imported",
            problems.join("; ")
        )));
    }
    if other_sessions > 0 {
        eprintln!(
            "fresk: {other_sessions} row(s) of {name} are about other sessions (column `session`) and were left out"
        );
    }
    Ok(out)
}

/// One row's answers; `None` for a row that answers nothing.
fn response(
    table: &Table,
    row: &csv_table::Row,
    survey: &Survey,
) -> Result<Option<Response>, Vec<String>> {
    let mut r = Response {
        line: row.line,
        ..Response::default()
    };
    let mut problems = Vec::new();
    for q in &survey.questions {
        let Some(text) = table.get(row, &q.id) else {
            continue;
        };
        match parse_rating(text).filter(|n| (1..=survey.scale).contains(n)) {
            Some(n) => {
                r.answers.insert(q.id.clone(), n);
            }
            None => problems.push(format!(
                "line {}: `{}` for {} is not a rating from 1 to {}",
                row.line, text, q.id, survey.scale
            )),
        }
    }
    if let Some(text) = table.get(row, "nps") {
        match parse_rating(text).filter(|n| *n <= 10) {
            Some(n) => r.nps = Some(n),
            None => problems.push(format!(
                "line {}: `{text}` for the recommendation question is not a score from 0 to 10",
                row.line
            )),
        }
    }
    r.comment = table.get(row, "comment").map(str::to_string);
    if !problems.is_empty() {
        return Err(problems);
    }
    if r.answers.is_empty() && r.nps.is_none() && r.comment.is_none() {
        return Ok(None);
    }
    Ok(Some(r))
}

/// The summary as a flow mapping for the session file.
fn flow(s: &SurveySummary) -> String {
    let mut parts = vec![format!("responses: {}", s.responses)];
    let averages: Vec<String> = s
        .averages
        .iter()
        .map(|(k, v)| format!("{}: {v}", scalar(k)))
        .collect();
    parts.push(format!("averages: {{ {} }}", averages.join(", ")));
    if let Some(n) = s.nps {
        parts.push(format!("nps: {n}"));
    }
    if let Some(scale) = s.scale {
        parts.push(format!("scale: {scale}"));
    }
    format!("{{ {} }}", parts.join(", "))
}

/// Write the raw answers under private/, refusing when private/ would not stay out of git.
fn write_private(root: &Path, answers: &Answers) -> Result<(), Error> {
    let problems: Vec<String> = crate::rules::privacy::private_folder_for_writing(root)
        .into_iter()
        .map(|f| f.message)
        .collect();
    if !problems.is_empty() {
        return Err(Error::refused(format!(
            "the raw answers (with comments) go under private/surveys/, but {}; nothing was written",
            problems.join("; and ")
        )));
    }
    let rel = format!("private/surveys/{}.yaml", answers.session);
    std::fs::create_dir_all(root.join("private/surveys"))
        .map_err(|e| Error::io(format!("cannot create private/surveys: {e}")))?;
    let path = crate::store::resolve(root, &rel).map_err(|e| Error::io(e.to_string()))?;
    crate::store::write_atomic(&path, to_yaml(answers).as_bytes())
        .map_err(|e| Error::io(format!("cannot write {rel}: {e}")))
}

/// The private file's YAML.
fn to_yaml(a: &Answers) -> String {
    let mut out = format!(
        "# The raw answers of the survey, from fresk survey import: private, out of git.\nsession: {}\n",
        scalar(&a.session)
    );
    if let Some(source) = &a.source {
        out.push_str(&format!("source: {}\n", scalar(source)));
    }
    out.push_str("responses:");
    if a.responses.is_empty() {
        out.push_str(" []");
    }
    out.push('\n');
    for r in &a.responses {
        let answers: Vec<String> = r
            .answers
            .iter()
            .map(|(k, v)| format!("{}: {v}", scalar(k)))
            .collect();
        out.push_str(&format!(
            "  - {{ line: {}, answers: {{ {} }}",
            r.line,
            answers.join(", ")
        ));
        if let Some(n) = r.nps {
            out.push_str(&format!(", nps: {n}"));
        }
        if let Some(c) = &r.comment {
            out.push_str(&format!(", comment: {}", scalar(c)));
        }
        out.push_str(" }\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_private_file_reads_back() {
        let a = Answers {
            session: "S1".into(),
            source: Some("export, avril.csv".into()),
            responses: vec![Response {
                line: 3,
                answers: [("content".to_string(), 5)].into(),
                nps: Some(9),
                comment: Some("Super: \"merci\"\nà bientôt".into()),
            }],
        };
        let back: Answers = crate::yaml::de::from_text(&to_yaml(&a)).unwrap();
        assert_eq!(back, a);
    }
}
