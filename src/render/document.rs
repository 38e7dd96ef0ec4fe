//! What a template receives: every figure computed, every text formatted, every mandatory
//! mention composed — the template only places them on the page.

use super::format::{self, Style};
use super::labels::Labels;
use crate::model::payout::Payment;
use crate::model::person::{Billing, Entity, carries_ei};
use crate::model::vat::{Breakdown, Tax};
use crate::model::{Config, Date, Money, Quantity, VatRegime};
use crate::workspace::Workspace;
use serde::Serialize;

/// One side of a document: who sells or buys, with what identifies them legally.
#[derive(Debug, Clone, Serialize)]
pub struct Party {
    /// "Émetteur", "Client", "Vendeur (prestataire)"…
    pub role: String,
    pub name: String,
    /// Address lines, then e-mail or website.
    pub lines: Vec<String>,
    /// "SIRET 839 412 756 00026", "N° TVA …".
    pub ids: Vec<String>,
    /// "À l'attention de …" when known.
    pub contact: Option<String>,
}

/// A label and a value in the document's heading block (date, due date, order number…).
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub label: String,
    pub value: String,
}

impl Meta {
    pub fn new(label: &str, value: impl Into<String>) -> Meta {
        Meta {
            label: label.to_string(),
            value: value.into(),
        }
    }
}

/// A line of a quote or invoice, formatted; `amount` keeps the exact figure for custom
/// templates that want it unformatted.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub label: String,
    /// Smaller text under the label: sessions, dates, role.
    pub details: Vec<String>,
    pub quantity: String,
    pub unit_price: String,
    pub total: String,
    pub amount: String,
}

/// A row of the totals block.
#[derive(Debug, Clone, Serialize)]
pub struct TotalRow {
    pub label: String,
    pub amount: String,
    /// The figure the reader pays (or is credited): printed larger.
    pub grand: bool,
}

/// A quote, an invoice, a credit note or a self-invoice, ready for its template.
#[derive(Debug, Clone, Serialize)]
pub struct Doc {
    /// `quote`, `invoice`, `credit-note`, `self-invoice`.
    pub kind: &'static str,
    /// "Facture F2026-0001": the HTML title and the PDF's.
    pub title: String,
    /// "Facture", "Devis"… printed large.
    pub heading: String,
    /// "Autofacturation" on self-invoices.
    pub subheading: Option<String>,
    pub number: String,
    /// What the document refers to, printed under the heading (a credit note's invoice).
    pub reference: Option<String>,
    pub meta: Vec<Meta>,
    /// The seller first, then the buyer.
    pub parties: Vec<Party>,
    pub object: Option<String>,
    pub lines: Vec<Line>,
    pub totals: Vec<TotalRow>,
    /// Exact totals, unformatted, for custom templates.
    pub net: String,
    pub vat: String,
    pub gross: String,
    /// Free text printed under the totals (a credit note's reason, a payment received).
    pub notes: Vec<String>,
    /// The legal mentions, in the order printed.
    pub mentions: Vec<String>,
    /// Print the "Bon pour accord" block (quotes).
    pub acceptance: bool,
    /// The account a client invoice is paid to by transfer (the association's, from
    /// fresk.yaml); none on other documents.
    pub bank: Option<BankBlock>,
}

/// The bank details printed on a client invoice: where to send the transfer.
#[derive(Debug, Clone, Serialize)]
pub struct BankBlock {
    /// "Coordonnées bancaires".
    pub title: String,
    /// Label and value rows: holder, IBAN (in groups of four), BIC.
    pub rows: Vec<Meta>,
    /// "Merci d'indiquer F2026-0001 en référence du virement."
    pub reference: String,
}

/// The fields of a quote or invoice line: offer, label, quantity, unit price.
pub type LineFields<'l> = (Option<&'l str>, Option<&'l str>, Quantity, Option<Money>);

/// The priced lines of a quote or invoice.
pub struct Priced {
    pub lines: Vec<Line>,
    /// Their exact total, before VAT.
    pub net: Money,
    /// Whether one of them sells training (the training declaration must be printed).
    pub sells_training: bool,
}

/// What a document would lack; rendering refuses the document and lists them all.
#[derive(Debug, Default)]
pub struct Missing(pub Vec<String>);

impl Missing {
    pub fn add(&mut self, what: impl Into<String>) {
        self.0.push(what.into());
    }

    /// `Err` with everything recorded when anything is missing.
    pub fn check(self) -> Result<(), Missing> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }

    /// `value` when it is present and not blank; else record `what` as missing.
    pub fn need<'a>(&mut self, value: Option<&'a str>, what: &str) -> Option<&'a str> {
        match value.map(str::trim) {
            Some(v) if !v.is_empty() => Some(v),
            _ => {
                self.add(what);
                None
            }
        }
    }
}

/// Everything the document builders share.
pub struct Cx<'a> {
    pub ws: &'a Workspace,
    pub config: &'a Config,
    pub labels: &'a Labels,
    pub lang: &'a str,
    pub style: Style,
    pub today: Date,
}

impl Cx<'_> {
    pub fn money(&self, m: Money) -> String {
        format::money(m, &self.config.currency, self.style)
    }

    pub fn date(&self, d: Date) -> String {
        format::date(d, self.style)
    }

    pub fn quantity(&self, q: Quantity) -> String {
        format::quantity(q, self.style)
    }

    pub fn l<'s>(&'s self, key: &'s str) -> &'s str {
        self.labels.get(key)
    }

    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        self.labels.fill(key, values)
    }

    /// A catalogue label in the document's language (else the first language, else any).
    pub fn offer_label(&self, offer: &str) -> Option<String> {
        let o = self.config.offer(offer)?;
        let first = self.config.languages.first().map(String::as_str);
        o.label
            .get(self.lang)
            .or_else(|| first.and_then(|f| o.label.get(f)))
            .or_else(|| o.label.values().next())
            .cloned()
    }

    /// A line of a quote or invoice, priced: the written label and unit price, else the
    /// catalogue's. `n` and `route` say where the line is, for the missing-mention message.
    /// Returns the line, its exact total, and whether it sells training.
    pub fn priced_line(
        &self,
        (offer_id, label, quantity, unit_price): LineFields,
        n: usize,
        route: &str,
        missing: &mut Missing,
    ) -> Option<(Line, Money, bool)> {
        let offer = offer_id.and_then(|o| self.config.offer(o));
        let label = label
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
            .or_else(|| offer_id.and_then(|o| self.offer_label(o)));
        let unit = unit_price.or(offer.map(|o| o.unit_price));
        let (Some(label), Some(unit)) = (label, unit) else {
            missing.add(format!(
                "the label or unit price of line {n} ({route}): give an offer of the catalogue or `label` and `unit_price`"
            ));
            return None;
        };
        let total = unit.times(quantity.0).round();
        let line = Line {
            label,
            details: Vec::new(),
            quantity: self.quantity(quantity),
            unit_price: self.money(unit),
            total: self.money(total),
            amount: total.to_string(),
        };
        let training = offer.is_some_and(|o| o.kind == crate::model::OfferKind::Training);
        Some((line, total, training))
    }

    /// The lines of a quote or invoice (`field` in `file`: `quote.lines`, `lines`), each
    /// priced by [`Cx::priced_line`] and given the `details` of its index; what they lack goes
    /// to `missing`.
    pub fn priced_lines<'l>(
        &self,
        lines: impl ExactSizeIterator<Item = LineFields<'l>>,
        (field, file): (&str, &str),
        missing: &mut Missing,
        mut details: impl FnMut(usize) -> Vec<String>,
    ) -> Priced {
        let mut priced = Priced {
            lines: Vec::with_capacity(lines.len()),
            net: Money::ZERO,
            sells_training: false,
        };
        if lines.len() == 0 {
            missing.add(format!("at least one line (`{field}` in {file})"));
        }
        for (i, fields) in lines.enumerate() {
            let route = format!("`{field}[{i}]` in {file}");
            let Some((mut line, total, training)) =
                self.priced_line(fields, i + 1, &route, missing)
            else {
                continue;
            };
            priced.net += total;
            priced.sells_training |= training;
            line.details = details(i);
            priced.lines.push(line);
        }
        priced
    }

    /// A party's legal identifiers: its SIRET (`siret_what` when missing) and its VAT number
    /// when it has one.
    fn legal_ids(
        &self,
        siret: Option<&str>,
        siret_what: &str,
        vat_number: Option<&str>,
        missing: &mut Missing,
    ) -> Vec<String> {
        let mut ids = Vec::new();
        if let Some(s) = missing.need(siret, siret_what) {
            ids.push(format!("{} {}", self.l("siret"), format::siret(s)));
        }
        ids.extend(self.vat_id(vat_number));
        ids
    }

    /// "N° TVA …" when `number` is given.
    fn vat_id(&self, number: Option<&str>) -> Option<String> {
        let n = number.map(str::trim).filter(|n| !n.is_empty())?;
        Some(format!("{} {n}", self.l("vat_number")))
    }

    /// The facilitator a self-invoice is issued for, as its seller; what their billing
    /// identity (`billing:` in `file`) lacks goes to `missing`.
    pub fn facilitator(&self, billing: &Billing, file: &str, missing: &mut Missing) -> Party {
        let legal_name = missing
            .need(
                Some(&billing.legal_name),
                &format!("the facilitator's legal name (`billing.legal_name` in {file})"),
            )
            .unwrap_or_default()
            .to_string();
        if billing.entity == Entity::SoleTrader
            && !legal_name.is_empty()
            && !carries_ei(&legal_name)
        {
            missing.add(format!(
                "\"EI\" in the legal name of a sole trader (`billing.legal_name: {legal_name}` in {file}): write e.g. \"{legal_name} EI\""
            ));
        }
        let lines = missing
            .need(
                Some(&billing.address),
                &format!("the facilitator's address (`billing.address` in {file})"),
            )
            .map(address_lines)
            .unwrap_or_default();
        if !billing.country.trim().eq_ignore_ascii_case("FR") {
            missing.add(format!(
                "a facilitator based in France: `billing.country: {}` in {file}, and the association only self-bills facilitators based in France; they must send their own invoice",
                billing.country
            ));
        }
        let ids = self.legal_ids(
            billing.siret.as_deref(),
            &format!("the facilitator's SIRET (`billing.siret` in {file})"),
            billing.vat.number.as_deref(),
            missing,
        );
        Party {
            role: self.l("seller").to_string(),
            name: legal_name,
            lines,
            ids,
            contact: None,
        }
    }

    /// The association as a party of a document; what it lacks goes to `missing`.
    pub fn association(&self, role: &str, missing: &mut Missing) -> Party {
        let org = &self.config.organisation;
        let mut lines = Vec::new();
        if let Some(form) = org.legal_form.as_deref().filter(|f| !f.trim().is_empty()) {
            lines.push(form.trim().to_string());
        }
        if let Some(a) = missing.need(
            Some(&org.address),
            "the association's address (`organisation.address` in fresk.yaml)",
        ) {
            lines.extend(address_lines(a));
        }
        lines.extend(org.email.iter().chain(&org.website).cloned());
        let ids = self.legal_ids(
            org.siret.as_deref(),
            "the association's SIRET (`organisation.siret` in fresk.yaml)",
            org.vat.number.as_deref(),
            missing,
        );
        Party {
            role: role.to_string(),
            name: org.name.clone(),
            lines,
            ids,
            contact: None,
        }
    }

    /// A client organisation as the buyer of a quote or invoice.
    pub fn client(&self, id: &str, missing: &mut Missing, invoice: bool) -> Option<Party> {
        let Some(org) = self.ws.organisations.iter().find(|o| o.id == id) else {
            missing.add(
                match self
                    .ws
                    .ids
                    .get(&crate::model::Kind::Organisation)
                    .and_then(|m| m.get(id))
                {
                    Some(file) => format!(
                        "the client: {file} cannot be read; run `fresk lint {file}` and fix it"
                    ),
                    None => {
                        format!("the client: organisation `{id}` has no file in organisations/")
                    }
                },
            );
            return None;
        };
        let file = &org.file;
        let mut lines = Vec::new();
        if let Some(a) = missing.need(
            org.address.as_deref(),
            &format!("the client's address (`address` in {file})"),
        ) {
            lines.extend(address_lines(a));
        }
        if !org.country.trim().eq_ignore_ascii_case("FR") {
            lines.push(org.country.trim().to_string());
        }
        let mut ids = Vec::new();
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
        if let Some(s) = org.siret.as_deref().filter(|_| !blank(&org.siret)) {
            ids.push(format!("{} {}", self.l("siret"), format::siret(s)));
        } else if let Some(s) = org.siren.as_deref().filter(|_| !blank(&org.siren)) {
            ids.push(format!("{} {}", self.l("siren"), format::siret(s)));
        } else if invoice
            && org.country.trim().eq_ignore_ascii_case("FR")
            && org.sector == crate::model::Sector::Business
        {
            missing.add(format!(
                "the client's SIREN, which an invoice to a French business must print (`siren` in {file})"
            ));
        }
        ids.extend(self.vat_id(org.vat_number.as_deref()));
        Some(Party {
            role: self.l("client").to_string(),
            name: org.name.clone(),
            lines,
            ids,
            contact: None,
        })
    }

    /// The totals block of a VAT breakdown: the total excl. VAT, the VAT of each rate (with
    /// its base when there are several), the total incl. VAT when there is any, and the
    /// figure to pay (`grand_label`); the exemption mentions go to `mentions`.
    pub fn totals(
        &self,
        b: &Breakdown,
        grand_label: &str,
        mentions: &mut Vec<String>,
    ) -> Vec<TotalRow> {
        let mut rows = vec![TotalRow {
            label: self.l("total_net").to_string(),
            amount: self.money(b.net),
            grand: false,
        }];
        let mut taxed = false;
        for g in &b.groups {
            match g.regime {
                VatRegime::Standard => {
                    taxed = true;
                    let rate = format::rate(Quantity(g.rate), self.style);
                    let label = if b.is_mixed() {
                        self.fill(
                            "vat_rate_on",
                            &[("rate", &rate), ("base", &self.money(g.base))],
                        )
                    } else {
                        self.fill("vat_rate", &[("rate", &rate)])
                    };
                    rows.push(TotalRow {
                        label,
                        amount: self.money(g.tax),
                        grand: false,
                    });
                }
                VatRegime::Exempt | VatRegime::Franchise => {
                    for m in &g.mentions {
                        if !mentions.contains(m) {
                            mentions.push(m.clone());
                        }
                    }
                }
            }
        }
        if taxed {
            rows.push(TotalRow {
                label: self.l("total_gross").to_string(),
                amount: self.money(b.gross),
                grand: grand_label == self.l("total_gross"),
            });
        }
        if !rows.iter().any(|r| r.grand) {
            rows.push(TotalRow {
                label: grand_label.to_string(),
                amount: self.money(b.gross),
                grand: true,
            });
        }
        rows
    }

    /// "TVA 20 %" or "Exonéré de TVA": under each line of a document whose lines are not all
    /// taxed alike.
    pub fn vat_detail(&self, tax: &Tax) -> String {
        match tax.regime {
            VatRegime::Standard => self.fill(
                "vat_rate",
                &[("rate", &format::rate(Quantity(tax.rate), self.style))],
            ),
            VatRegime::Exempt | VatRegime::Franchise => self.l("vat_exempt_line").to_string(),
        }
    }

    /// The VAT breakdown of priced lines, each line's detail saying its VAT when they differ;
    /// what the treatments lack goes to `missing`.
    pub fn breakdown(
        &self,
        resolved: Result<(Breakdown, Vec<Tax>), Vec<String>>,
        lines: &mut [Line],
        missing: &mut Missing,
    ) -> Breakdown {
        match resolved {
            Ok((b, taxes)) => {
                if b.is_mixed() && lines.len() == taxes.len() {
                    for (line, tax) in lines.iter_mut().zip(&taxes) {
                        line.details.push(self.vat_detail(tax));
                    }
                }
                b
            }
            Err(gaps) => {
                for g in gaps {
                    missing.add(g);
                }
                Breakdown::of([])
            }
        }
    }

    /// "Paiement à N jours…", late penalties, the recovery indemnity, no discount: what an
    /// invoice between professionals must print (Code de commerce L441-9).
    pub fn payment_mentions(&self, issued: Date, due: Date, mentions: &mut Vec<String>) {
        let days = (due.0 - issued.0).num_days().max(0).to_string();
        mentions.push(self.fill(
            "payment_terms",
            &[("days", &days), ("date", &self.date(due))],
        ));
        let docs = &self.config.documents;
        let rate = docs
            .late_penalty_rate
            .as_ref()
            .and_then(|l| l.get(self.lang))
            .cloned()
            .unwrap_or_else(|| self.l("late_penalty_rate").to_string());
        let indemnity = self.money(docs.recovery_indemnity.unwrap_or(Money::from_int(40)));
        mentions.push(self.fill(
            "late_penalty",
            &[("rate", &rate), ("indemnity", &indemnity)],
        ));
        mentions.push(self.l("no_discount").to_string());
        // Printed on every invoice since the 2026 invoicing reform: goods, services or both.
        mentions.push(self.l("services").to_string());
    }

    /// The association's bank details for a transfer paying `number`, when fresk.yaml has a
    /// valid account (lint's `bank-account` reports an invalid one).
    pub fn bank_block(&self, number: &str) -> Option<BankBlock> {
        use crate::model::bank::{check_bic, check_iban, iban_grouped};
        let bank = self.config.bank.as_ref()?;
        let iban = check_iban(&bank.iban).ok()?;
        let holder = bank
            .holder
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .unwrap_or(&self.config.organisation.name);
        let mut rows = vec![
            Meta::new(self.l("bank_holder"), holder),
            Meta::new("IBAN", iban_grouped(&iban)),
        ];
        if let Some(bic) = bank.bic.as_deref().and_then(|b| check_bic(b).ok()) {
            rows.push(Meta::new("BIC", bic));
        }
        Some(BankBlock {
            title: self.l("bank_details").to_string(),
            rows,
            reference: self.fill("bank_reference", &[("number", number)]),
        })
    }

    /// "Payé le … (référence …)": a payment received, printed under the totals.
    pub fn paid_note(&self, paid: &Payment) -> String {
        self.fill(
            "paid_on",
            &[
                ("date", &self.date(paid.date)),
                ("reference", paid.reference.as_deref().unwrap_or("—")),
            ],
        )
    }

    /// The training-body declaration, when the association has one; `needed` when the
    /// document sells or certifies training, so its absence is a missing mention.
    pub fn training_mention(
        &self,
        needed: bool,
        missing: &mut Missing,
        mentions: &mut Vec<String>,
    ) {
        let nda = self.config.organisation.training_declaration.as_deref();
        match nda.map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => mentions.push(self.fill("training_declaration", &[("number", n)])),
            None if needed => missing.add(
                "the training declaration number (`organisation.training_declaration` in fresk.yaml), printed on documents about training",
            ),
            None => {}
        }
    }

    /// The footer line: the association's identity, on every page.
    pub fn footer(&self) -> String {
        let org = &self.config.organisation;
        let mut parts = vec![org.name.clone()];
        parts.extend(org.legal_form.clone());
        parts.push(org.address.clone());
        if let Some(s) = &org.siret {
            parts.push(format!("{} {}", self.l("siret"), format::siret(s)));
        }
        if let Some(n) = org
            .training_declaration
            .as_deref()
            .filter(|n| !n.trim().is_empty())
        {
            parts.push(format!("NDA {}", n.trim()));
        }
        parts.retain(|p| !p.trim().is_empty());
        parts.join(" · ")
    }
}

/// `27 rue X, 69007 Lyon` → two lines.
pub fn address_lines(address: &str) -> Vec<String> {
    address
        .split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split_on_commas_and_lines() {
        assert_eq!(
            address_lines("27 rue Sébastien Gryphe, 69007 Lyon"),
            ["27 rue Sébastien Gryphe", "69007 Lyon"]
        );
        assert_eq!(address_lines("a\nb, c"), ["a", "b", "c"]);
    }

    #[test]
    fn blank_values_are_missing() {
        let mut m = Missing::default();
        assert_eq!(m.need(Some(" x "), "x"), Some("x"));
        assert_eq!(m.need(Some("  "), "the blank"), None);
        assert_eq!(m.need(None, "the absent"), None);
        assert_eq!(m.0, ["the blank", "the absent"]);
    }
}
