//! The identities and mentions documents must print: the association's SIRET, address and
//! training declaration, the facilitators' and clients' details, VAT mentions and the "EI" of sole
//! traders.

use super::{blank, noun_of};
use crate::HashSet;
use crate::diagnostics::{At, Finding, Severity};
use crate::model::person::{Billing, Entity};
use crate::model::{Config, InvoiceState, OfferKind, PayoutState, Sector, Vat, VatRegime};
use crate::rules::Context;
use crate::workspace::{Loaded, Workspace};

pub(super) fn config_mentions(config: &Config, file: &str, out: &mut Vec<Finding>) {
    let org = &config.organisation;
    let mention =
        |at: At, message: String| Finding::new(&super::MISSING_LEGAL_MENTION, file, at, message);
    match org.siret.as_deref() {
        None => out.push(mention(
            At::key("organisation"),
            "the association has no `siret`: its SIRET is printed on every quote, invoice and self-invoice; add `siret: \"…\"` (14 digits) under `organisation`".into(),
        )),
        Some(s) if s.trim().is_empty() => out.push(mention(
            At::value("organisation.siret"),
            "the association's `siret` is empty: its SIRET is printed on every quote, invoice and self-invoice; fill in the 14 digits".into(),
        )),
        Some(_) => {}
    }
    if org.address.trim().is_empty() {
        out.push(mention(
            At::value("organisation.address"),
            "the association's `address` is empty: it is printed on every document; fill it in"
                .into(),
        ));
    }
    if let Some(offer) = config
        .catalogue
        .iter()
        .find(|o| o.kind == OfferKind::Training)
        && blank(org.training_declaration.as_deref())
    {
        let at = if org.training_declaration.is_some() {
            At::value("organisation.training_declaration")
        } else {
            At::key("organisation")
        };
        out.push(mention(
            at,
            format!(
                "the catalogue sells training (offer `{}`), but `organisation.training_declaration` is missing: the training-body declaration number must be printed on quotes, invoices and certificates; add `training_declaration: \"…\"` (11 digits)",
                offer.id
            ),
        ));
    }
}

/// People paid by a payout must have what self-invoices print about the seller.
pub(super) fn billing_mentions(ws: &Workspace, out: &mut Vec<Finding>) {
    let mut paid: HashSet<&str> = HashSet::default();
    for p in &ws.payouts {
        if p.state == PayoutState::Rejected {
            continue;
        }
        paid.extend(p.lines.iter().map(|l| l.person.as_str()));
        paid.extend(p.self_invoices.iter().map(|s| s.person.as_str()));
    }
    for person in &ws.people {
        if !paid.contains(person.id.as_str()) {
            continue;
        }
        let Some(b) = &person.billing else { continue };
        let file = person.file.as_str();
        let mention = |route: &str, what: &str| {
            Finding::new(
                &super::MISSING_LEGAL_MENTION,
                file,
                At::value(route),
                format!(
                    "`{}` is paid through payouts, and self-invoices print the facilitator's {what}, but `{route}` is empty; fill it in",
                    person.id
                ),
            )
        };
        if b.legal_name.trim().is_empty() {
            out.push(mention("billing.legal_name", "legal name"));
        }
        if b.address.trim().is_empty() {
            out.push(mention("billing.address", "address"));
        }
        if person.self_billable() {
            match b.siret.as_deref() {
                None => out.push(Finding::new(
                    &super::MISSING_LEGAL_MENTION,
                    file,
                    At::key("billing"),
                    format!(
                        "`{}` is self-billed, and self-invoices print the facilitator's SIRET, but `billing.siret` is absent; add `siret: \"…\"` (14 digits)",
                        person.id
                    ),
                )),
                Some(s) if s.trim().is_empty() => out.push(mention("billing.siret", "SIRET")),
                Some(_) => {}
            }
        }
    }
}

/// Clients of issued invoices must have what invoices print about the buyer.
pub(super) fn client_mentions(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    let mut seen: HashSet<&str> = HashSet::default();
    for inv in &ws.invoices {
        if inv.state == InvoiceState::Draft || !seen.insert(inv.organisation.as_str()) {
            continue;
        }
        let Some(org) = cx.organisations.get(inv.organisation.as_str()) else {
            continue;
        };
        let doc = format!("{} `{}` ({})", noun_of(inv.kind), inv.id, inv.file);
        client_address(
            org,
            format!("{doc} is issued to this organisation, and an invoice"),
            out,
        );
        if org.country.trim().eq_ignore_ascii_case("FR")
            && org.sector == Sector::Business
            && blank(org.siren.as_deref())
            && blank(org.siret.as_deref())
        {
            out.push(Finding::new(
                &super::MISSING_LEGAL_MENTION,
                &org.file,
                At::key("siren"),
                format!(
                    "{doc} is issued to this French business, and an invoice to a business client must print its SIREN, but it has neither `siren` nor `siret`; add `siren: \"…\"` (9 digits)"
                ),
            ));
        }
    }
    // Quotes print the client's address too (the SIREN is only required on invoices).
    for r in &ws.requests {
        let Some(number) = r.quote.as_ref().and_then(|q| q.number.as_deref()) else {
            continue;
        };
        if !seen.insert(r.organisation.as_str()) {
            continue;
        }
        let Some(org) = cx.organisations.get(r.organisation.as_str()) else {
            continue;
        };
        client_address(
            org,
            format!(
                "quote `{number}` ({}) is sent to this organisation, and a quote",
                r.file
            ),
            out,
        );
    }
}

/// `org` must have an address, since `document` (a sentence up to "…and a quote") prints it.
fn client_address(
    org: &Loaded<crate::model::Organisation>,
    document: String,
    out: &mut Vec<Finding>,
) {
    if !blank(org.address.as_deref()) {
        return;
    }
    let at = if org.address.is_some() {
        At::value("address")
    } else {
        At::key("address")
    };
    out.push(Finding::new(
        &super::MISSING_LEGAL_MENTION,
        &org.file,
        at,
        format!("{document} must print the client's address, but it has none; add `address:`"),
    ));
}

// --- VAT and sole traders ------------------------------------------------------------------

/// Does a franchise mention cite art. 293 B?
fn cites_293b(mention: &str) -> bool {
    let compact: String = mention
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    compact.contains("293b")
}

pub(super) fn vat(file: &str, route: &str, vat: &Vat, out: &mut Vec<Finding>) {
    let mention = vat.mention.as_deref();
    let at_missing = |field: &str, present: bool| {
        if present {
            At::value(&format!("{route}.{field}"))
        } else {
            At::key(route)
        }
    };
    match vat.regime {
        VatRegime::Exempt | VatRegime::Franchise if blank(mention) => {
            let (regime, example) = match vat.regime {
                VatRegime::Exempt => ("exempt", "TVA non applicable, art. 261-4-4° a du CGI"),
                _ => ("franchise", "TVA non applicable, art. 293 B du CGI"),
            };
            out.push(Finding::new(
                &super::VAT_MENTION,
                file,
                at_missing("mention", mention.is_some()),
                format!(
                    "VAT regime `{regime}` without its `mention`: documents without VAT must print why (e.g. \"{example}\"); add `mention:` to `{route}`"
                ),
            ));
        }
        VatRegime::Franchise => {
            if let Some(m) = mention
                && !cites_293b(m)
            {
                let mut f = Finding::new(
                    &super::VAT_MENTION,
                    file,
                    At::value(&format!("{route}.mention")),
                    format!(
                        "the franchise mention `{m}` does not cite art. 293 B du CGI, the legal ground of the VAT franchise; write e.g. \"TVA non applicable, art. 293 B du CGI\""
                    ),
                );
                f.severity = Severity::Warning;
                out.push(f);
            }
        }
        VatRegime::Standard if vat.rate.is_none() => out.push(Finding::new(
            &super::VAT_MENTION,
            file,
            At::key(route),
            format!(
                "VAT regime `standard` without a `rate`: documents print the VAT computed at that rate; add `rate: 20` (percent) to `{route}`"
            ),
        )),
        _ => {}
    }
    if let Some(code) = vat.exemption.as_deref().filter(|c| !is_vatex(c)) {
        out.push(Finding::new(
            &super::VAT_MENTION,
            file,
            At::value(&format!("{route}.exemption")),
            format!(
                "`exemption: {code}` is not a VATEX code: e-invoices carry the exemption's code from the VATEX list, e.g. `VATEX-EU-132-1I` (training, art. 261-4-4° du CGI) or `VATEX-FR-FRANCHISE` (implied by `regime: franchise`); correct it or remove it (the mention alone is enough)"
            ),
        ));
    }
}

/// The shape of a VATEX code (CEF VAT exemption reason codes): `VATEX-`, then upper-case
/// letters, digits and dashes (`VATEX-EU-132-1I`, `VATEX-FR-FRANCHISE`).
fn is_vatex(code: &str) -> bool {
    code.strip_prefix("VATEX-").is_some_and(|rest| {
        rest.len() >= 2
            && rest
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
            && !rest.ends_with('-')
    })
}

pub(super) fn sole_trader(file: &str, b: &Billing, out: &mut Vec<Finding>) {
    if b.entity == Entity::SoleTrader
        && !b.legal_name.trim().is_empty()
        && !crate::model::person::carries_ei(&b.legal_name)
    {
        out.push(Finding::new(
            &super::SOLE_TRADER_EI,
            file,
            At::value("billing.legal_name"),
            format!(
                "`{}` is a sole trader (`billing.entity: sole-trader`, the default), and a sole trader's name must carry \"EI\" (or \"entrepreneur individuel\") on every invoice; write `{} EI` — or set `entity: company` or `non-profit` if it is not a sole trader",
                b.legal_name,
                b.legal_name.trim()
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn franchise_mentions() {
        assert!(cites_293b("TVA non applicable, art. 293 B du CGI"));
        assert!(cites_293b("TVA non applicable - article 293B du CGI"));
        assert!(cites_293b("art. 293\u{a0}b"));
        assert!(!cites_293b("TVA non applicable"));
    }

    #[test]
    fn vatex_codes() {
        assert!(is_vatex("VATEX-EU-132-1I") && is_vatex("VATEX-FR-FRANCHISE"));
        assert!(!is_vatex("vatex-eu-132") && !is_vatex("EU-132") && !is_vatex("VATEX-"));
    }
}
