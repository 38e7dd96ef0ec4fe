//! Legal rules: the numbering series (quotes, invoices, credit notes, self-invoices), the
//! self-billing mandate, the identities and mentions documents must print, SIRET/SIREN keys, VAT
//! mentions and the "EI" of sole traders. One file per concern.

mod einvoice;
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

use crate::diagnostics::declare_rules;

declare_rules! {
    /// a missing number in a legal series (quotes, invoices, credit notes, self-invoices)
    ///
    /// French law wants quotes, invoices, credit notes and each facilitator's self-invoices
    /// numbered in unbroken series: 1, 2, 3… per series and year (when the pattern has
    /// `{year}`), and per person for self-invoices. A hole means a document was lost or
    /// deleted. The finding is on the number after the hole and names the missing ones: restore
    /// the document that had the missing number, or renumber from there if it was never issued
    /// (numbers are assigned on main, by `fresk request quote`, `fresk invoice issue` and
    /// `fresk payout invoice`).
    ///
    /// Bad:
    /// ```yaml
    /// # invoices/2026/F2026-0004.yaml, while F2026-0001, F2026-0002 exist and F2026-0003 does not
    /// id: F2026-0004
    /// kind: invoice
    /// state: issued
    /// issued: 2026-06-20
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # invoices/2026/F2026-0003.yaml
    /// id: F2026-0003
    /// kind: invoice
    /// state: issued
    /// issued: 2026-06-20
    /// ```
    NUMBERING_GAP = "numbering-gap", Legal, Error;
    /// the same legal number used twice
    ///
    /// A legal number is given once. Two quotes, or two self-invoices of one facilitator, with
    /// the same number (in the same series and year) are a finding on the later one, with the
    /// first as a related location. (Invoices and credit notes are named by their number, so
    /// two with one number are `duplicate-id`.) Give the later document the next free number of
    /// its series.
    ///
    /// Bad:
    /// ```yaml
    /// # requests/2026/R2026-0009.yaml, while R2026-0008.yaml has quote D2026-0006 too
    /// quote:
    ///   number: D2026-0006
    ///   sent: 2026-05-11
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # requests/2026/R2026-0009.yaml
    /// quote:
    ///   number: D2026-0007
    ///   sent: 2026-05-11
    /// ```
    NUMBERING_DUPLICATE = "numbering-duplicate", Legal, Error;
    /// numbers that do not follow the order of issue dates
    ///
    /// In a series, numbers follow the order of the dates the documents were issued (`issued`,
    /// a quote's `sent`): a later number with an earlier date means one of the two is wrong —
    /// or a document was backdated. The finding is on the document dated before the one with
    /// the previous number. Swap the numbers, or fix the dates.
    ///
    /// Bad:
    /// ```yaml
    /// # invoices/2026/F2026-0002.yaml, while F2026-0001 was issued on 2026-04-08
    /// id: F2026-0002
    /// issued: 2026-04-01
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # invoices/2026/F2026-0002.yaml
    /// id: F2026-0002
    /// issued: 2026-04-10
    /// ```
    NUMBERING_ORDER = "numbering-order", Legal, Error;
    /// a number that does not match its series pattern in fresk.yaml
    ///
    /// `series` in fresk.yaml gives each series its pattern (`F{year}-{seq:04}`). A quote,
    /// invoice, credit-note or self-invoice number that does not match it cannot be placed in
    /// its series, nor checked for gaps; one whose `{year}` differs from the year of its date
    /// is in the wrong year's series. A draft invoice carries no number yet (it is named
    /// `I-<mission>` until issued). The message gives the form expected and, when the number
    /// belongs to another series, which one.
    ///
    /// Bad:
    /// ```yaml
    /// # requests/2026/R2026-0010.yaml (series: quote: "D{year}-{seq:04}")
    /// quote:
    ///   number: D26-7
    ///   sent: 2026-05-18
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # requests/2026/R2026-0010.yaml
    /// quote:
    ///   number: D2026-0007
    ///   sent: 2026-05-18
    /// ```
    NUMBERING_FORMAT = "numbering-format", Legal, Error;
    /// a series pattern in fresk.yaml that cannot number: a bad placeholder, or characters a file name must not have (`/`, `..`)
    ///
    /// A series pattern is literal text around placeholders: `{seq}` or `{seq:04}` (the
    /// sequence, zero-padded to that width) exactly once, `{year}` at most once, and
    /// `{person}` in the self-invoice series — which needs it, one series per facilitator —
    /// and only there. A number becomes a file name (`invoices/<year>/<number>.yaml`,
    /// `<number>.pdf`), so the text is ASCII letters, digits, `-`, `_` and `.` (not first), 40
    /// characters at most. The series' numbers are not checked until the pattern is fixed, and
    /// commands refuse to number with it.
    ///
    /// Bad:
    /// ```yaml
    /// # fresk.yaml
    /// series:
    ///   quote: "D{year}-{seq:04}"
    ///   invoice: "factures/F{year}-{sequence}"
    ///   credit_note: "AV{year}-{seq:04}"
    ///   self_invoice: "AF-{seq:04}"
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # fresk.yaml
    /// series:
    ///   quote: "D{year}-{seq:04}"
    ///   invoice: "F{year}-{seq:04}"
    ///   credit_note: "AV{year}-{seq:04}"
    ///   self_invoice: "AF-{person}-{seq:04}"
    /// ```
    BAD_SERIES_PATTERN = "bad-series-pattern", Legal, Error;
    /// a self-invoice number outside the facilitator's own series, or in the association's
    ///
    /// Self-invoices are issued in the facilitator's name, so each facilitator has a series of
    /// their own (`{person}` in the pattern) and never shares numbers with the association's
    /// quotes, invoices and credit notes. A self-invoice numbered in another facilitator's
    /// series, or in one of the association's, is a finding — as is an invoice or credit note
    /// numbered in the self-invoice series. Give it the next number of the right series.
    ///
    /// Bad:
    /// ```yaml
    /// # payouts/2026/P2026-05-M2026-0005.yaml
    /// self_invoices:
    ///   - { person: thomas-girard, number: AF-ines-moreau-0002, issued: 2026-05-22, total: 500 }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # payouts/2026/P2026-05-M2026-0005.yaml
    /// self_invoices:
    ///   - { person: thomas-girard, number: AF-thomas-girard-0003, issued: 2026-05-22, total: 500 }
    /// ```
    SERIES_MIXED = "series-mixed", Legal, Error;
    /// a self-invoiced person without a self-billing mandate, or based outside France
    ///
    /// The association may write a facilitator's invoice for them (self-billing) only under a
    /// mandate they signed beforehand, and — as fresk handles it — only for a facilitator
    /// based in France. A payout that is not rejected, with a line or a self-invoice for
    /// someone with no `billing`, no `billing.mandate`, or a `billing.country` other than FR,
    /// is a finding; so is a self-invoice issued before the mandate's `signed` date. Record
    /// the signed mandate, or pay that person against their own invoice, outside payouts.
    ///
    /// Bad:
    /// ```yaml
    /// # people/julia-weber.yaml, paid through payouts
    /// billing:
    ///   legal_name: "Julia Weber EI"
    ///   address: "Rheinweg 12, 4058 Basel"
    ///   country: CH
    ///   vat: { regime: franchise, mention: "TVA non applicable, art. 293 B du CGI" }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # people/thomas-girard.yaml
    /// billing:
    ///   legal_name: "Thomas Girard EI"
    ///   siret: "90215834400017"
    ///   address: "18 rue de Sèze, 69006 Lyon"
    ///   country: FR
    ///   vat: { regime: franchise, mention: "TVA non applicable, art. 293 B du CGI" }
    ///   mandate: { signed: 2025-09-01, contest_days: 15 }
    /// ```
    MISSING_MANDATE = "missing-mandate", Legal, Error;
    /// an identity or mention that documents must print is missing (address, SIRET, …)
    ///
    /// Quotes, invoices and self-invoices must print who issues them and who they are for. The
    /// association needs `organisation.siret` and `organisation.address`, and
    /// `organisation.training_declaration` when the catalogue sells training. A facilitator
    /// paid through payouts needs `billing.legal_name` and `billing.address`, and a SIRET when
    /// self-billed. A client with an issued invoice or a numbered quote needs an `address`,
    /// and a French business client with an issued invoice a `siren` (or `siret`). The message
    /// names the file and the field to fill in.
    ///
    /// Bad:
    /// ```yaml
    /// # organisations/biscuiterie-lafont.yaml, billed by invoice F2026-0003
    /// id: biscuiterie-lafont
    /// name: Biscuiterie Lafont SARL
    /// sector: business
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # organisations/biscuiterie-lafont.yaml
    /// id: biscuiterie-lafont
    /// name: Biscuiterie Lafont SARL
    /// sector: business
    /// address: "12 chemin des Vignes, 69400 Villefranche-sur-Saône"
    /// siren: "732829320"
    /// ```
    MISSING_LEGAL_MENTION = "missing-legal-mention", Legal, Error;
    /// a SIRET or SIREN with the wrong length or a failing Luhn key
    ///
    /// A SIREN has 9 digits and a SIRET 14 (the SIREN, then a 5-digit establishment number);
    /// both end with a Luhn check key (La Poste's establishments use their own key), and an
    /// organisation's SIRET starts with its SIREN. Spaces are allowed; anything else, a wrong
    /// length or a failing key is a typo that would be printed on every document. Copy the
    /// number again from the company directory (annuaire-entreprises.data.gouv.fr).
    ///
    /// Bad:
    /// ```yaml
    /// # organisations/mecanique-du-rhone.yaml
    /// siren: "402173868"
    /// siret: "40217386800018"
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # organisations/mecanique-du-rhone.yaml
    /// siren: "402173868"
    /// siret: "40217386800017"
    /// ```
    SIRET_CHECKSUM = "siret-checksum", Legal, Error;
    /// VAT exemption without its mention, or standard VAT without a rate
    ///
    /// A document without VAT must say why: the `vat` of the association
    /// (`organisation.vat`), of each facilitator (`billing.vat`), of usage-rights fees, of a
    /// catalogue offer or an invoice line with regime `exempt` or `franchise` needs its
    /// `mention`, which documents print — and a franchise mention should cite art. 293 B du CGI
    /// (a warning when it does not). Regime `standard` needs the `rate` documents compute the
    /// VAT at. An `exemption` code, sent in e-invoices, must be a VATEX code
    /// (`VATEX-EU-132-1I`).
    ///
    /// Bad:
    /// ```yaml
    /// # people/lucas-bernard.yaml
    /// billing:
    ///   vat: { regime: franchise }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # people/lucas-bernard.yaml
    /// billing:
    ///   vat: { regime: franchise, mention: "TVA non applicable, art. 293 B du CGI" }
    /// ```
    VAT_MENTION = "vat-mention", Legal, Error;
    /// a sole trader's legal name without "EI"
    ///
    /// A sole trader (entrepreneur individuel) must show it on every invoice, with "EI" or
    /// "entrepreneur individuel" in their name. A facilitator's `billing.legal_name` without
    /// it, when `billing.entity` is `sole-trader` (the default), is a finding: add " EI" — or
    /// set `entity: company` or `non-profit` if they bill through a company or an association.
    ///
    /// Bad:
    /// ```yaml
    /// # people/antoine-roux.yaml
    /// billing:
    ///   legal_name: "Antoine Roux"
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # people/antoine-roux.yaml
    /// billing:
    ///   legal_name: "Antoine Roux EI"
    /// ```
    SOLE_TRADER_EI = "sole-trader-ei", Legal, Error;
    /// fresk.yaml still holds the placeholder identity `fresk init` wrote
    ///
    /// A workspace made by `fresk init` without `--name` and `--siret` carries a placeholder
    /// association ("Association Exemple", a SIRET that passes the check key) so that it lints
    /// from the start. Quotes, invoices and self-invoices are legal records: while the
    /// placeholder is there, numbering commands and `fresk render` refuse, and lint warns.
    /// Put your association's legal name and SIRET in fresk.yaml.
    ///
    /// Bad:
    /// ```yaml
    /// # fresk.yaml
    /// organisation:
    ///   name: Association Exemple
    ///   siret: "68433532671874"
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # fresk.yaml
    /// organisation:
    ///   name: Les Ateliers du Lien
    ///   siret: "73282932000074"
    /// ```
    PLACEHOLDER_IDENTITY = "placeholder-identity", Legal, Warning;
    /// the association's IBAN or BIC fails its check
    ///
    /// `bank` in fresk.yaml is the account SEPA transfer files
    /// (`fresk payout transfer`) are paid from: a bank rejects the whole file when its IBAN is
    /// wrong. An IBAN has its country's length and a mod-97 check key; a BIC has 8 or 11
    /// characters (4 letters for the bank, 2 for the country, 2 or 5 letters or digits). Copy
    /// them again from the bank's RIB. (Facilitators' bank details live in
    /// `private/bank/<person>.yaml`, outside git; `fresk payout transfer` checks them.)
    ///
    /// Bad:
    /// ```yaml
    /// # fresk.yaml
    /// bank: { iban: "FR76 3000 6000 0112 3456 7890 188" }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # fresk.yaml
    /// bank: { iban: "FR76 3000 6000 0112 3456 7890 189", bic: BNPAFRPP }
    /// ```
    BANK_ACCOUNT = "bank-account", Legal, Error;
    /// a country that is not an ISO 3166-1 alpha-2 code
    ///
    /// E-invoices carry each party's country as its two-letter ISO 3166-1 code (EN 16931
    /// BT-40, BT-55), and French rules (VAT, self-billing, SIREN) depend on it: an
    /// organisation's `country` and a facilitator's `billing.country` must be one, in upper
    /// case (`FR`, `BE`, `CH`, `DE`; the United Kingdom is `GB`).
    ///
    /// Bad:
    /// ```yaml
    /// # organisations/lodz-slusarz.yaml
    /// country: Pologne
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # organisations/lodz-slusarz.yaml
    /// country: PL
    /// ```
    COUNTRY_CODE = "country-code", Legal, Error;
    /// a line's VAT that cannot be invoiced: taxed without a VAT number, or unsaid
    ///
    /// Each catalogue offer and invoice line may carry its own `vat` (a third place sells
    /// exempt training and taxed catering or room rental). A taxed offer or line (`regime:
    /// standard`) needs the association's VAT number (`organisation.vat.number`), which an
    /// invoice charging VAT must print and its e-invoice carry. Once the catalogue mixes
    /// treatments, a free line (no offer) of an issued invoice should say its own VAT: without
    /// it, it falls under the association's (a warning). Each `vat` also needs its rate or
    /// mention (see `vat-mention`).
    ///
    /// Bad:
    /// ```yaml
    /// # fresk.yaml (organisation.vat has no `number`)
    /// catalogue:
    ///   - { id: catering, kind: other, label: { fr: Repas }, unit_price: 18, vat: { regime: standard, rate: 10 } }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # fresk.yaml
    /// organisation:
    ///   vat: { regime: exempt, mention: "TVA non applicable, art. 261-4-4° a du CGI", number: FR37839412756 }
    /// catalogue:
    ///   - { id: catering, kind: other, label: { fr: Repas }, unit_price: 18, vat: { regime: standard, rate: 10 } }
    /// ```
    LINE_VAT = "line-vat", Legal, Error;
    /// client invoices ask for a transfer, but fresk.yaml has no bank account
    ///
    /// Invoices say "par virement": they print the association's IBAN and BIC (from `bank` in
    /// fresk.yaml) and their e-invoice carries the account (EN 16931 BT-84). Without `bank`,
    /// the client does not know where to pay. Copy the association's RIB into fresk.yaml (it is
    /// not personal data; facilitators' accounts stay in `private/bank/`).
    ///
    /// Bad:
    /// ```yaml
    /// # fresk.yaml, with issued invoices in invoices/
    /// organisation: { name: Fresques en Rhône, … }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # fresk.yaml
    /// bank: { iban: "FR76 1027 8073 0000 0204 1234 516", bic: CMCIFR2A }
    /// ```
    TRANSFER_ACCOUNT = "transfer-account", Legal, Warning;
}

pub fn check(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    let config_file = ws.config.as_ref().map_or(CONFIG_FILE, |c| c.file.as_str());
    if let Some(config) = cx.config {
        numbering::check(ws, cx, config, config_file, out);
        mentions::config_mentions(config, config_file, out);
        let org = &config.organisation;
        if let Some(field) = org.placeholder_field() {
            out.push(Finding::new(
                &PLACEHOLDER_IDENTITY,
                config_file,
                crate::diagnostics::At::value(field),
                format!(
                    "`{field}` is still the placeholder `fresk init` wrote; put your association's legal name and SIRET in {config_file} (numbering and `fresk render` refuse until then)"
                ),
            ));
        }
        if let Some(siret) = &org.siret {
            identifier(config_file, "organisation.siret", siret, Id::Siret, out);
        }
        mentions::vat(config_file, "organisation.vat", &org.vat, out);
        if let Some(v) = config.usage_rights.as_ref().and_then(|u| u.vat.as_ref()) {
            mentions::vat(config_file, "usage_rights.vat", v, out);
        }
        if let Some(bank) = &config.bank {
            bank_account(config_file, "bank", bank, out);
        }
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
    einvoice::check(ws, cx, config_file, out);
}

/// The IBAN and BIC of a bank account in `file` at `route`.
fn bank_account(
    file: &str,
    route: &str,
    bank: &crate::model::bank::BankAccount,
    out: &mut Vec<Finding>,
) {
    use crate::diagnostics::At;
    use crate::model::bank::{check_bic, check_iban};
    if let Err(why) = check_iban(&bank.iban) {
        out.push(Finding::new(
            &BANK_ACCOUNT,
            file,
            At::value(&format!("{route}.iban")),
            format!("IBAN `{}` {why}", bank.iban),
        ));
    }
    if let Some(bic) = &bank.bic
        && let Err(why) = check_bic(bic)
    {
        out.push(Finding::new(
            &BANK_ACCOUNT,
            file,
            At::value(&format!("{route}.bic")),
            format!("BIC `{bic}` {why}; copy it again from the bank's RIB"),
        ));
    }
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
