//! `fresk payout transfer`: a SEPA credit-transfer file (`pain.001.001.09`) for invoiced
//! payouts — one transfer per self-invoice, from the association's account to each
//! facilitator's (`private/bank/<person>.yaml`) — and the payouts marked `ordered`. All or
//! nothing: every problem is listed at once, and the file is written only once the state
//! changes are accepted.

use super::out_table;
use crate::commands::Error;
use crate::commands::common::{Cx, date_or_today, find};
use crate::commands::mutate::Plan;
use crate::export::sepa::{Batch, Transfer, pain_001_001_09};
use crate::model::bank::{BankAccount, BankDetails, check_bic, check_iban};
use crate::model::{Date, Payout, PayoutState};
use crate::workspace::{Loaded, is_private_path};
use crate::yaml::Route;
use crate::yaml::edit::{Document, scalar};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub(super) fn transfer(
    cx: &mut Cx,
    selected: &[String],
    execution: Option<&str>,
    output: &Path,
) -> Result<u8, Error> {
    let config = cx.config()?;
    let today = cx.today();
    let execution = date_or_today(cx, execution, "--execution-date")?;
    if execution < today {
        return Err(Error::refused(format!(
            "--execution-date {execution} is in the past (today is {today}): a bank executes transfers today or later; nothing was ordered"
        )));
    }
    let (debtor_iban, debtor_bic) = debtor(config.bank.as_ref())?;
    check_output(output)?;
    let mut problems = Vec::new();
    let payouts = targets(cx, selected, &mut problems);
    let mut transfers = Vec::new();
    for p in &payouts {
        for si in &p.self_invoices {
            if execution < si.issued {
                problems.push(format!(
                    "payout {}: self-invoice {} is issued on {}, after --execution-date {execution}",
                    p.id, si.number, si.issued
                ));
            }
            match creditor(cx, &si.person) {
                Ok((name, iban, bic)) => transfers.push(Transfer {
                    end_to_end: si.number.clone(),
                    amount: si.total,
                    creditor: name,
                    iban,
                    bic,
                    remittance: si.number.clone(),
                }),
                Err(why) => problems.push(format!("payout {}: {why}", p.id)),
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::refused(format!(
            "cannot order these transfers, nothing was ordered and no file was written:\n{}",
            problems
                .iter()
                .map(|p| format!("  - {p}"))
                .collect::<Vec<_>>()
                .join("\n")
        )));
    }
    let now = cx.now().local;
    let ids: Vec<&str> = payouts.iter().map(|p| p.id.as_str()).collect();
    let message = format!(
        "FRESK-{}-{:06X}",
        now.format("%Y%m%d%H%M"),
        fnv(&ids.join(" ")) & 0xFF_FFFF
    );
    let batch = Batch {
        message_id: message.clone(),
        created: now.format("%Y-%m-%dT%H:%M:%S").to_string(),
        execution,
        debtor: config
            .bank
            .as_ref()
            .and_then(|b| b.holder.clone())
            .unwrap_or_else(|| config.organisation.name.clone()),
        debtor_iban,
        debtor_bic,
        currency: config.currency.clone(),
        transfers,
    };
    let xml = pain_001_001_09(&batch);
    let mut plan = Plan::new(format!(
        "{} transfer(s) ordered for payout(s) {} ({}, execution {execution}, message {message})",
        batch.transfers.len(),
        ids.join(", "),
        batch.total()
    ));
    for p in &payouts {
        plan.write(&p.file, ordered_text(cx, p, today, execution, &message)?);
    }
    cx.apply(&plan)?;
    if cx.globals.dry_run {
        eprintln!("(dry run) {} would be written", output.display());
        return Ok(0);
    }
    crate::store::write_atomic(output, xml.as_bytes()).map_err(|e| {
        Error::io(format!(
            "the payouts are marked `ordered` but {} cannot be written: {e}; write it again with `git revert` of the change (or set them back to `invoiced`) and run the command once more",
            output.display()
        ))
    })?;
    let rows: Vec<Vec<String>> = batch
        .transfers
        .iter()
        .map(|t| {
            vec![
                t.remittance.clone(),
                t.creditor.clone(),
                t.amount.to_string(),
            ]
        })
        .collect();
    print!(
        "{}",
        out_table(&["self-invoice", "creditor", "amount"], &rows)
    );
    eprintln!("wrote {} ({message})", output.display());
    Ok(0)
}

/// The association's IBAN and BIC, from `bank` in fresk.yaml.
fn debtor(bank: Option<&BankAccount>) -> Result<(String, Option<String>), Error> {
    let bank = bank.ok_or_else(|| {
        Error::io(
            "fresk.yaml has no `bank`: add the association's account, e.g. `bank: { iban: \"FR76 …\", bic: BNPAFRPP }`, which transfers are paid from; nothing was ordered".into(),
        )
    })?;
    let iban = check_iban(&bank.iban).map_err(|why| {
        Error::io(format!(
            "bank.iban in fresk.yaml: IBAN `{}` {why}; nothing was ordered",
            bank.iban
        ))
    })?;
    let bic = bank
        .bic
        .as_deref()
        .map(check_bic)
        .transpose()
        .map_err(|why| {
            Error::io(format!(
                "bank.bic in fresk.yaml: BIC {why}; nothing was ordered"
            ))
        })?;
    Ok((iban, bic))
}

/// Refuse an output path that cannot be written: a folder, or in a folder that does not exist.
fn check_output(output: &Path) -> Result<(), Error> {
    if output.is_dir() {
        return Err(Error::usage(format!(
            "-o {} is a folder: give the file to write, e.g. -o transfers.xml",
            output.display()
        )));
    }
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    if !parent.is_dir() {
        return Err(Error::usage(format!(
            "-o {}: the folder {} does not exist; create it first",
            output.display(),
            parent.display()
        )));
    }
    Ok(())
}

/// The payouts given that can be ordered; what is wrong with the others goes to `problems`.
fn targets<'a>(
    cx: &'a Cx,
    selected: &[String],
    problems: &mut Vec<String>,
) -> Vec<&'a Loaded<Payout>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for id in selected {
        if !seen.insert(id.as_str()) {
            continue;
        }
        let p = match find(&cx.ws.payouts, id, "payout", |p| &p.id) {
            Ok(p) => p,
            Err(e) => {
                problems.push(e.message);
                continue;
            }
        };
        let why = match p.state {
            PayoutState::Invoiced if p.self_invoices.is_empty() => {
                Some("it is `invoiced` but has no self-invoices: nothing to transfer".to_string())
            }
            PayoutState::Invoiced => None,
            PayoutState::Requested => Some(format!(
                "it is not invoiced yet (`requested`): run `fresk payout invoice --payout {}` on main first",
                p.id
            )),
            PayoutState::Ordered => Some(match &p.ordered {
                Some(o) => format!(
                    "it is already ordered (file {} of {}, execution {}): record the payment with `fresk payout pay {}` once the bank has paid",
                    o.message, o.date, o.execution, p.id
                ),
                None => "it is already `ordered`".into(),
            }),
            PayoutState::Paid => Some("it is already paid".into()),
            PayoutState::Rejected => Some("it was rejected: nothing is paid".into()),
        };
        match why {
            Some(why) => problems.push(format!("payout {}: {why}", p.id)),
            None => out.push(p),
        }
    }
    out
}

/// The name, IBAN and BIC transfers to `person` go to, from `private/bank/<person>.yaml`.
fn creditor(cx: &Cx, person: &str) -> Result<(String, String, Option<String>), String> {
    let rel = format!("private/bank/{person}.yaml");
    let write_it = format!(
        "write {rel} (git-ignored) with `iban: \"FR76 …\"`, `bic: …` and `holder: …` from their RIB"
    );
    if !is_private_path(&rel) {
        return Err(format!("`{person}` is not a person id that names a file"));
    }
    let details = read_details(&cx.root, &rel).map_err(|e| format!("{e}; {write_it}"))?;
    if let Some(who) = details.person.as_deref()
        && who != person
    {
        return Err(format!(
            "{rel} says `person: {who}`: it is someone else's; fix the file"
        ));
    }
    let iban = check_iban(&details.iban).map_err(|why| {
        format!(
            "{rel}: IBAN `{}` {why}; ask `{person}` for their RIB",
            details.iban
        )
    })?;
    let bic = details
        .bic
        .as_deref()
        .map(check_bic)
        .transpose()
        .map_err(|why| format!("{rel}: BIC {why}"))?;
    let name = details
        .holder
        .filter(|h| !h.trim().is_empty())
        .or_else(|| {
            cx.ws.person(person).map(|p| {
                p.billing
                    .as_ref()
                    .map_or_else(|| p.name.clone(), |b| b.legal_name.clone())
            })
        })
        .unwrap_or_else(|| person.to_string());
    Ok((name, iban, bic))
}

/// Read `rel` under the workspace `root`, refusing a file that resolves outside it.
fn read_details(root: &Path, rel: &str) -> Result<BankDetails, String> {
    let path = root.join(rel);
    let meta =
        std::fs::metadata(&path).map_err(|_| format!("no bank details ({rel} is missing)"))?;
    let inside = path
        .canonicalize()
        .ok()
        .zip(root.canonicalize().ok())
        .is_some_and(|(p, r)| p.starts_with(r));
    if !inside || !meta.is_file() || meta.len() > crate::yaml::MAX_FILE_BYTES {
        return Err(format!("{rel} is not a small file inside the workspace"));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {rel}: {e}"))?;
    crate::yaml::de::from_text(&text).map_err(|e| format!("{rel} cannot be read: {e}"))
}

/// Payout `p` marked `ordered`, with the file it was put in.
fn ordered_text(
    cx: &Cx,
    p: &Loaded<Payout>,
    today: Date,
    execution: Date,
    message: &str,
) -> Result<String, Error> {
    let mut doc = Document::new(cx.read(&p.file)?);
    let edit_err = |e: crate::yaml::edit::EditError| {
        Error::io(format!("cannot edit {}: {e}; nothing was ordered", p.file))
    };
    doc.set(&Route::parse("state"), "ordered")
        .map_err(edit_err)?;
    doc.set(
        &Route::parse("ordered"),
        &format!(
            "{{ date: {today}, execution: {execution}, message: {} }}",
            scalar(message)
        ),
    )
    .map_err(edit_err)?;
    Ok(doc.into_text())
}

/// FNV-1a, to tell apart files made in the same minute for different payouts.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}
