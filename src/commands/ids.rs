//! The ids an argument takes, known from its value name (`<REQUEST>`, `--mission <MISSION>`):
//! offered at the prompt when a required one is left out on a terminal, and completed by the
//! shell (`fresk completions`).

use super::common::{interactive, prompt_line, with_choices};
use crate::model::Kind;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The kind of file whose ids an argument named `value_name` takes.
pub fn kind_of(value_name: &str) -> Option<Kind> {
    Some(match value_name {
        "REQUEST" => Kind::Request,
        "MISSION" => Kind::Mission,
        "SESSION" => Kind::Session,
        "PAYOUT" => Kind::Payout,
        "INVOICE" => Kind::Invoice,
        "PERSON" => Kind::Person,
        "ORG" | "ORGANISATION" => Kind::Organisation,
        _ => return None,
    })
}

/// The ids of `kind` in the workspace found from `start`, sorted; none when there is no
/// workspace or it cannot be read (a completion or a prompt then simply offers nothing).
pub fn ids(start: &Path, kind: Kind) -> Vec<String> {
    let Ok(root) = crate::workspace::find_root(start) else {
        return Vec::new();
    };
    let Ok(ws) = crate::workspace::load_kinds(&root, &[kind]) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = ws
        .ids
        .get(&kind)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    ids.sort();
    ids
}

/// The command line with every argument that takes ids completed from the workspace of the
/// current folder (`<SESSION>` → the session ids): what the shell's completion asks
/// (`COMPLETE=bash fresk …`, set up by `fresk completions`).
pub fn completing_command() -> clap::Command {
    use clap::CommandFactory;
    with_id_completers(crate::cli::Cli::command())
}

fn with_id_completers(mut command: clap::Command) -> clap::Command {
    use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};
    let names: Vec<(clap::Id, Kind)> = command
        .get_arguments()
        .filter_map(|a| {
            let name = a.get_value_names()?.first()?.as_str();
            Some((a.get_id().clone(), kind_of(name)?))
        })
        .collect();
    for (id, kind) in names {
        command = command.mut_arg(id, |arg| {
            arg.add(ArgValueCompleter::new(move |current: &std::ffi::OsStr| {
                let typed = current.to_string_lossy();
                ids(Path::new("."), kind)
                    .into_iter()
                    .filter(|id| id.starts_with(typed.as_ref()))
                    .map(CompletionCandidate::new)
                    .collect::<Vec<_>>()
            }))
        });
    }
    let subs: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        command = command.mut_subcommand(name, with_id_completers);
    }
    command
}

/// The shell code that makes `shell` complete fresk's command line, ids included, by asking
/// fresk at each Tab.
pub fn completion_script(shell: clap_complete::Shell) -> Result<Vec<u8>, std::io::Error> {
    use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
    let completer: &dyn EnvCompleter = match shell {
        clap_complete::Shell::Bash => &Bash,
        clap_complete::Shell::Zsh => &Zsh,
        clap_complete::Shell::Fish => &Fish,
        clap_complete::Shell::Elvish => &Elvish,
        _ => &Powershell,
    };
    let mut out = Vec::new();
    completer.write_registration("COMPLETE", "fresk", "fresk", "fresk", &mut out)?;
    Ok(out)
}

/// The folder `-C`/`--workspace` names on a command line, else the current folder.
fn start_of(args: &[OsString]) -> PathBuf {
    let mut words = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(w) = words.next() {
        if w == "-C" || w == "--workspace" {
            if let Some(dir) = words.next() {
                return PathBuf::from(dir.as_ref());
            }
        } else if let Some(dir) = w.strip_prefix("--workspace=") {
            return PathBuf::from(dir);
        }
    }
    PathBuf::from(".")
}

/// On a terminal, ask for each required argument clap found missing (`error`), offering the
/// ids it takes and asking again when an answer is not one of them; return the command line
/// with the answers. `None` off a terminal, when the error names nothing fresk can ask for, or
/// when input ends: the caller then prints clap's error as usual.
pub fn ask_missing(
    command: &clap::Command,
    args: &[OsString],
    error: &clap::Error,
) -> Option<Vec<OsString>> {
    use clap::error::{ContextKind, ContextValue};
    if !interactive() {
        return None;
    }
    let Some(ContextValue::Strings(missing)) = error.get(ContextKind::InvalidArg) else {
        return None;
    };
    // The subcommand the line names, and where its words start.
    let mut leaf = command;
    let mut at = 1;
    for (i, word) in args.iter().enumerate().skip(1) {
        if let Some(sub) = leaf.find_subcommand(word.to_string_lossy().as_ref()) {
            leaf = sub;
            at = i + 1;
        }
    }
    let start = start_of(args);
    let mut inserted: Vec<OsString> = Vec::new();
    for item in missing {
        let arg = find_arg(leaf, item)?;
        let value_name = arg
            .get_value_names()
            .and_then(|v| v.first())
            .map(|v| v.to_string())
            .unwrap_or_else(|| arg.get_id().as_str().to_uppercase());
        let question = arg
            .get_help()
            .map(|h| h.to_string())
            .unwrap_or_else(|| value_name.clone());
        let question = question.trim_end_matches('.').to_string();
        let choices = kind_of(&value_name)
            .map(|k| ids(&start, k))
            .unwrap_or_default();
        let prompt = with_choices(&question, choices.iter().map(String::as_str));
        let answer = loop {
            let line = prompt_line(&prompt).ok()??;
            if line.is_empty() {
                eprintln!("  {item} is needed; type a value");
                continue;
            }
            if choices.is_empty() || choices.contains(&line) {
                break line;
            }
            let hint = crate::diagnostics::did_you_mean(&line, choices.iter().map(String::as_str))
                .map(|m| format!("; did you mean `{m}`?"))
                .unwrap_or_default();
            eprintln!(
                "  no {} `{line}`{hint} try again",
                value_name.to_lowercase()
            );
        };
        match arg.get_long() {
            Some(long) if !arg.is_positional() => {
                inserted.push(format!("--{long}").into());
                inserted.push(answer.into());
            }
            _ => inserted.push(answer.into()),
        }
    }
    let mut out = args[..at].to_vec();
    out.extend(inserted);
    out.extend_from_slice(&args[at..]);
    Some(out)
}

/// The argument clap names as missing: `<REQUEST>` (a positional) or `--line <OFFER:QTY>`.
fn find_arg<'a>(leaf: &'a clap::Command, item: &str) -> Option<&'a clap::Arg> {
    if let Some(rest) = item.strip_prefix("--") {
        let long = rest.split([' ', '=']).next()?;
        return leaf.get_arguments().find(|a| a.get_long() == Some(long));
    }
    let name = item.trim_start_matches('<').split('>').next()?;
    leaf.get_positionals().find(|a| {
        a.get_value_names()
            .and_then(|v| v.first())
            .map(|v| v.as_str() == name)
            .unwrap_or_else(|| a.get_id().as_str().eq_ignore_ascii_case(name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_missing_arguments_clap_names_are_found() {
        let cli = crate::cli::Cli::command();
        let quote = cli
            .find_subcommand("request")
            .and_then(|r| r.find_subcommand("quote"))
            .unwrap();
        let request = find_arg(quote, "<REQUEST>").unwrap();
        assert_eq!(
            kind_of(request.get_value_names().unwrap()[0].as_str()),
            Some(Kind::Request)
        );
        let line = find_arg(quote, "--line <OFFER:QTY[:UNIT_PRICE]>").unwrap();
        assert_eq!(line.get_long(), Some("line"));
        assert!(find_arg(quote, "<NOTHING>").is_none());
    }

    #[test]
    fn the_workspace_option_is_read_from_the_line() {
        let line = |words: &[&str]| words.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            start_of(&line(&["fresk", "-C", "ws", "lint"])),
            PathBuf::from("ws")
        );
        assert_eq!(
            start_of(&line(&["fresk", "--workspace=w2"])),
            PathBuf::from("w2")
        );
        assert_eq!(start_of(&line(&["fresk", "lint"])), PathBuf::from("."));
    }
}
