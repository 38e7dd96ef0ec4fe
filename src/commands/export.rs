//! `fresk export`: the books for the accountant — a double-entry journal (hledger,
//! beancount) and the FEC — from the invoices, credit notes, self-invoices and payments.

use super::Error;
use super::common::{Cx, Globals, date_range};
use crate::cli::{ExportCommand, JournalFormat};
use crate::export::entries::entries;
use crate::export::fec;
use crate::export::journal::{Flavour, journal};
use crate::model::{Date, Kind};
use std::io::Write;
use std::path::{Path, PathBuf};

const KINDS: &[Kind] = &[
    Kind::Person,
    Kind::Organisation,
    Kind::Mission,
    Kind::Payout,
    Kind::Invoice,
];

pub fn run(start: &Path, cmd: ExportCommand, globals: Globals) -> Result<u8, Error> {
    if let ExportCommand::Contacts(args) = cmd {
        return export_contacts(start, globals, args);
    }
    let cx = Cx::open_kinds(start, globals, KINDS)?;
    match cmd {
        ExportCommand::Contacts(_) => Ok(0),
        ExportCommand::Journal {
            format,
            from,
            to,
            output,
        } => export_journal(&cx, format, from.as_deref(), to.as_deref(), output),
        ExportCommand::Fec { year, out_dir } => export_fec(&cx, year, out_dir),
    }
}

fn export_journal(
    cx: &Cx,
    format: JournalFormat,
    from: Option<&str>,
    to: Option<&str>,
    output: Option<PathBuf>,
) -> Result<u8, Error> {
    let config = cx.config()?;
    let (from, to) = date_range(from, to)?;
    let entries = entries(&cx.ws, config, from, to);
    let flavour = match format {
        JournalFormat::Hledger => Flavour::Hledger,
        JournalFormat::Beancount => Flavour::Beancount,
    };
    let text = journal(
        &entries,
        flavour,
        &config.currency,
        &config.organisation.name,
    );
    write_out(output.as_deref(), text.as_bytes())
}

fn export_fec(cx: &Cx, year: i32, out_dir: Option<PathBuf>) -> Result<u8, Error> {
    let config = cx.config()?;
    let siren: String = config
        .organisation
        .siret
        .as_deref()
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .take(9)
        .collect();
    if siren.len() != 9 {
        return Err(Error::io(
            "the FEC is named after the association's SIREN: set `organisation.siret` in fresk.yaml first".into(),
        ));
    }
    let (Some(first), Some(last)) = (
        chrono::NaiveDate::from_ymd_opt(year, 1, 1),
        chrono::NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(Error::usage(format!("--year {year} is not a year")));
    };
    let entries = entries(&cx.ws, config, Some(Date(first)), Some(Date(last)));
    let text = fec::fec(&entries, &config.accounts);
    let dir = out_dir.unwrap_or_else(|| PathBuf::from("."));
    if !dir.is_dir() {
        return Err(Error::usage(format!(
            "--out-dir {}: the folder does not exist; create it first",
            dir.display()
        )));
    }
    let path = dir.join(fec::file_name(&siren, year));
    crate::store::write_atomic(&path, &fec::latin9(&text))
        .map_err(|e| Error::io(format!("cannot write {}: {e}", path.display())))?;
    eprintln!(
        "wrote {} ({} entries, {} lines)",
        path.display(),
        entries.len(),
        entries.iter().map(|e| e.postings.len()).sum::<usize>()
    );
    Ok(0)
}

/// `bytes` to `output` (atomically), or to standard output.
/// `fresk export contacts`: the organisations' contacts who may receive mailings, with each
/// organisation's status today (model::client), as CSV or vCard.
fn export_contacts(
    start: &Path,
    globals: Globals,
    args: crate::cli::ExportContactsArgs,
) -> Result<u8, Error> {
    use crate::cli::{ContactStatus, ContactsFormat};
    use crate::model::client::{ClientStatus, status};
    let kinds = [
        Kind::Organisation,
        Kind::Request,
        Kind::Mission,
        Kind::Invoice,
    ];
    let cx = Cx::open_kinds(start, globals, &kinds)?;
    let config = cx.config()?;
    let sectors = args
        .sector
        .iter()
        .map(|s| {
            crate::model::Sector::ALL
                .iter()
                .copied()
                .find(|x| x.as_str() == s.trim())
                .ok_or_else(|| {
                    Error::usage(format!(
                        "--sector `{s}` is not a sector; use business, education, public or non-profit"
                    ))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let statuses: Vec<ClientStatus> = args
        .status
        .iter()
        .map(|s| match s {
            ContactStatus::Prospect => ClientStatus::Prospect,
            ContactStatus::Client => ClientStatus::Client,
            ContactStatus::Former => ClientStatus::Former,
        })
        .collect();
    let today = cx.today();
    let ws = &cx.ws;
    let orgs = ws.organisations.iter().map(|o| {
        let s = status(
            &o.id,
            ws.requests.iter().map(|r| &r.value),
            ws.missions.iter().map(|m| &m.value),
            ws.invoices.iter().map(|i| &i.value),
            today,
            &config.crm,
        );
        (&o.value, s)
    });
    let rows = crate::export::contacts::rows(orgs, &statuses, &sectors);
    let text = match args.format {
        ContactsFormat::Csv => crate::export::contacts::csv(&rows),
        ContactsFormat::Vcard => crate::export::contacts::vcard(&rows),
    };
    eprintln!(
        "{} contact(s) from organisations/ (participants are never exported; marketing: false is left out)",
        rows.len()
    );
    write_out(args.out.as_deref(), text.as_bytes())
}

fn write_out(output: Option<&Path>, bytes: &[u8]) -> Result<u8, Error> {
    match output {
        Some(path) => {
            crate::store::write_atomic(path, bytes)
                .map_err(|e| Error::io(format!("cannot write {}: {e}", path.display())))?;
            eprintln!("wrote {}", path.display());
        }
        None => match std::io::stdout().write_all(bytes) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => return Err(Error::io(format!("cannot write to standard output: {e}"))),
        },
    }
    Ok(0)
}
