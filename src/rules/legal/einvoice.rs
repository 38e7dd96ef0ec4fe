//! What e-invoices need that a printed invoice did not: ISO country codes, the VAT of each line
//! when the catalogue mixes treatments (and a VAT number to charge VAT), the association's
//! account when invoices ask for a transfer, and the SIRET of public buyers.

use super::blank;
use crate::diagnostics::{At, Finding, Severity};
use crate::model::{Config, InvoiceKind, InvoiceState, Sector, VatRegime};
use crate::rules::Context;
use crate::workspace::Workspace;

/// ISO 3166-1 alpha-2: the officially assigned codes.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Is `code` an ISO 3166-1 alpha-2 country code (upper case)?
pub fn is_country(code: &str) -> bool {
    code.len() == 2 && COUNTRIES.split(' ').any(|c| c == code)
}

pub(super) fn check(ws: &Workspace, cx: &Context, config_file: &str, out: &mut Vec<Finding>) {
    countries(ws, out);
    if let Some(config) = cx.config {
        line_vat(ws, config, config_file, out);
        transfer_account(ws, config, config_file, out);
    }
    public_buyers(ws, cx, out);
}

/// Organisations' `country` and facilitators' `billing.country`.
fn countries(ws: &Workspace, out: &mut Vec<Finding>) {
    let mut bad = |file: &str, route: &str, value: &str| {
        if is_country(value.trim()) {
            return;
        }
        let upper = value.trim().to_ascii_uppercase();
        let hint = if is_country(&upper) {
            format!("write `{upper}` (upper case)")
        } else {
            "write its two-letter ISO 3166-1 code, e.g. FR, BE, CH, DE, PL".to_string()
        };
        out.push(Finding::new(
            &super::COUNTRY_CODE,
            file,
            At::value(route),
            format!(
                "`{route}: {value}` is not an ISO 3166-1 alpha-2 country code, which e-invoices carry (BT-40, BT-55); {hint}"
            ),
        ));
    };
    for o in &ws.organisations {
        bad(&o.file, "country", &o.country);
    }
    for p in &ws.people {
        if let Some(b) = &p.billing {
            bad(&p.file, "billing.country", &b.country);
        }
    }
}

/// The VAT of lines: a taxed offer or line needs the association's VAT number; when the
/// catalogue mixes treatments, each free line of an issued invoice says its own; and each
/// treatment has its mention or rate (the `vat-mention` rule).
fn line_vat(ws: &Workspace, config: &Config, config_file: &str, out: &mut Vec<Finding>) {
    let has_number = !blank(config.organisation.vat.number.as_deref());
    let taxed = |v: &crate::model::Vat| v.regime == VatRegime::Standard;
    let no_number = |file: &str, route: &str, what: &str| {
        Finding::new(
            &super::LINE_VAT,
            file,
            At::value(&format!("{route}.regime")),
            format!(
                "{what} charges VAT (`regime: standard`), but the association has no VAT number: an invoice that charges VAT must print the seller's (and EN 16931 requires it, BR-S-02); add `number: FR…` to `organisation.vat` in {config_file}"
            ),
        )
    };
    for (i, offer) in config.catalogue.iter().enumerate() {
        let Some(v) = &offer.vat else { continue };
        let route = format!("catalogue[{i}].vat");
        super::mentions::vat(config_file, &route, v, out);
        if taxed(v) && !has_number {
            out.push(no_number(
                config_file,
                &route,
                &format!("offer `{}`", offer.id),
            ));
        }
    }
    let mixed = config.catalogue.iter().any(|o| o.vat.is_some());
    for inv in &ws.invoices {
        // A usage-rights fee invoice takes the fees' treatment (`usage_rights.vat`).
        let fee = crate::model::declaration::bills_fees(&ws.declarations, &inv.id);
        for (i, line) in inv.lines.iter().enumerate() {
            let route = format!("lines[{i}].vat");
            match &line.vat {
                Some(v) => {
                    super::mentions::vat(&inv.file, &route, v, out);
                    if taxed(v) && !has_number && inv.state != InvoiceState::Draft {
                        out.push(no_number(&inv.file, &route, &format!("line {}", i + 1)));
                    }
                }
                None if mixed
                    && line.offer.is_none()
                    && inv.state != InvoiceState::Draft
                    && inv.vat.is_none()
                    && !fee =>
                {
                    let mut f = Finding::new(
                        &super::LINE_VAT,
                        &inv.file,
                        At::value(&format!("lines[{i}]")),
                        format!(
                            "line {} has no offer and no `vat`, while the catalogue sells under several VAT treatments: it falls under the association's ({}), which may not be right for it; say its VAT, e.g. `vat: {{ regime: standard, rate: 20 }}` or the exemption with its mention",
                            i + 1,
                            regime_name(config.organisation.vat.regime)
                        ),
                    );
                    f.severity = Severity::Warning;
                    out.push(f);
                }
                None => {}
            }
        }
    }
}

fn regime_name(r: VatRegime) -> &'static str {
    match r {
        VatRegime::Exempt => "exempt",
        VatRegime::Franchise => "franchise",
        VatRegime::Standard => "standard",
    }
}

/// Issued client invoices ask for a transfer: the association's account must be in fresk.yaml
/// to be printed on them and sent in their e-invoice (BT-84).
fn transfer_account(ws: &Workspace, config: &Config, config_file: &str, out: &mut Vec<Finding>) {
    if config.bank.is_some() {
        return;
    }
    let Some(inv) = ws
        .invoices
        .iter()
        .find(|i| i.kind == InvoiceKind::Invoice && i.state != InvoiceState::Draft)
    else {
        return;
    };
    out.push(
        Finding::new(
            &super::TRANSFER_ACCOUNT,
            config_file,
            At::key("organisation"),
            format!(
                "client invoices (e.g. {}) ask to be paid by transfer, but {config_file} has no `bank`: they cannot print where to pay, nor their e-invoice carry the account (BT-84); add `bank: {{ iban: \"FR76 …\", bic: … }}` (the association's RIB)",
                inv.id
            ),
        )
        .related(&inv.file, At::value("id"), "an issued client invoice"),
    );
}

/// What e-invoices need of a buyer: a public buyer's SIRET (Chorus Pro routes its invoices by
/// it), and an electronic address (BT-49) for a buyer without a French SIREN: a contact's
/// e-mail.
fn public_buyers(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    let mut seen = crate::HashSet::default();
    for inv in &ws.invoices {
        if inv.state == InvoiceState::Draft || !seen.insert(inv.organisation.as_str()) {
            continue;
        }
        let Some(org) = cx.organisations.get(inv.organisation.as_str()) else {
            continue;
        };
        let doc = format!(
            "{} `{}` ({}) is issued to this",
            super::noun_of(inv.kind),
            inv.id,
            inv.file
        );
        let french = org.country.trim() == "FR";
        if org.sector == Sector::Public && french && blank(org.siret.as_deref()) {
            let mut f = Finding::new(
                &super::MISSING_LEGAL_MENTION,
                &org.file,
                if org.siret.is_some() {
                    At::value("siret")
                } else {
                    At::key("sector")
                },
                format!(
                    "{doc} public buyer, whose invoices go through Chorus Pro, which routes them by the buyer's SIRET (and its `service_code` when it has one); add `siret: \"…\"` (14 digits)"
                ),
            );
            f.severity = Severity::Warning;
            out.push(f);
        }
        let siren = !blank(org.siren.as_deref()) || !blank(org.siret.as_deref());
        let email = org.contacts.iter().any(|c| !blank(c.email.as_deref()));
        let addressed = email || (french && siren);
        if !addressed {
            let mut f = Finding::new(
                &super::MISSING_LEGAL_MENTION,
                &org.file,
                At::key("name"),
                format!(
                    "{doc} organisation, and its e-invoice needs an electronic address (BT-49): a French SIREN, or else a contact's e-mail; add one to `contacts` (`- {{ name: …, email: … }}`) — `fresk render invoice {} --format xml` refuses until then",
                    inv.id
                ),
            );
            f.severity = Severity::Warning;
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes() {
        assert!(is_country("FR") && is_country("PL") && is_country("VN"));
        assert!(!is_country("fr") && !is_country("FRA") && !is_country("UK") && !is_country(""));
    }
}
