//! Legal rules: the numbering series (quotes, invoices, credit notes, self-invoices), the
//! self-billing mandate, the identities and mentions documents must print, SIRET/SIREN keys, VAT
//! mentions and the "EI" of sole traders. One file per concern.

mod identifiers;
mod mandates;
mod mentions;
mod numbering;
mod pattern;

pub use identifiers::{Id, check_identifier, luhn_ok};
pub use pattern::{Parts, Pattern};

use crate::diagnostics::Finding;
use crate::model::InvoiceKind;
use crate::rules::Context;
use crate::workspace::{CONFIG_FILE, Workspace};
use identifiers::identifier;

pub fn check(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    let config_file = ws.config.as_ref().map_or(CONFIG_FILE, |c| c.file.as_str());
    if let Some(config) = cx.config {
        numbering::check(ws, cx, config, config_file, out);
        mentions::config_mentions(config, config_file, out);
        let org = &config.organisation;
        if let Some(siret) = &org.siret {
            identifier(config_file, "organisation.siret", siret, Id::Siret, out);
        }
        mentions::vat(config_file, "organisation.vat", &org.vat, out);
    }
    mandates::check(ws, cx, out);
    mentions::billing_mentions(ws, out);
    mentions::client_mentions(ws, cx, out);
    for p in &ws.people {
        if let Some(b) = &p.billing {
            if let Some(siret) = &b.siret {
                identifier(&p.file, "billing.siret", siret, Id::Siret, out);
            }
            mentions::vat(&p.file, "billing.vat", &b.vat, out);
            mentions::sole_trader(&p.file, b, out);
        }
    }
    identifiers::organisations(ws, out);
}

fn blank(s: Option<&str>) -> bool {
    s.is_none_or(|s| s.trim().is_empty())
}

fn noun_of(kind: InvoiceKind) -> &'static str {
    match kind {
        InvoiceKind::Invoice => "invoice",
        InvoiceKind::CreditNote => "credit note",
    }
}
