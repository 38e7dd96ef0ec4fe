//! `fresk.yaml`: the organisation, its catalogue, rates, numbering series, staff and policies.

use super::common::{Label, Sector, Shares, Vat};
use super::money::{Money, Quantity};
use super::session::FacilitatorRole;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The workspace configuration, `fresk.yaml` at the root.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The association itself: its name, legal form, address and identifiers, printed on
    /// every document.
    pub organisation: Organisation,
    /// IANA time zone for date-times written without an offset.
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// ISO 4217 currency of every amount.
    #[serde(default = "default_currency")]
    pub currency: String,
    /// Languages of rendered documents; the first is the default.
    #[serde(default = "default_languages")]
    pub languages: Vec<String>,
    /// People (ids) who may approve, number, invoice and mark paid.
    pub staff: Vec<String>,
    /// What clients can buy.
    pub catalogue: Vec<Offer>,
    /// What facilitators are paid, per session.
    pub rates: Rates,
    /// Sectors whose missions may have volunteer facilitators.
    #[serde(default)]
    pub volunteer_sectors: Vec<Sector>,
    /// Limits on payout requests.
    #[serde(default)]
    pub payout_policy: PayoutPolicy,
    /// Hours within which a new request must get a first answer.
    #[serde(default = "default_sla")]
    pub response_sla_hours: u32,
    /// Days a quote stays valid.
    #[serde(default = "default_30")]
    pub quote_validity_days: u32,
    /// Days between an invoice's issue date and its due date.
    #[serde(default = "default_30")]
    pub payment_terms_days: u32,
    /// The fee on client-introduction work.
    #[serde(default)]
    pub usage_rights: Option<UsageRights>,
    /// Legal numbering series; assigned only on main.
    pub series: Series,
    /// Qualification levels, lowest first.
    #[serde(default)]
    pub levels: Vec<String>,
    /// Level needed per sector to coordinate or facilitate.
    #[serde(default)]
    pub requirements: BTreeMap<Sector, Requirement>,
    /// What rendered documents print beyond the organisation's identity.
    #[serde(default)]
    pub documents: Documents,
    /// Booking roles and their pay per session, per kind of offer (`{ referent: { workshop:
    /// 300 } }`): `referent` and `mission` are paid only from here; `lead` and `co` from here
    /// when given, else from `rates:`.
    #[serde(default)]
    pub roles: BTreeMap<FacilitatorRole, RoleRates>,
    /// The internal groups that carry requests (a third place's *pôles*, local groups); a
    /// request names one in `group:`.
    #[serde(default)]
    pub groups: Vec<Group>,
    /// The SMTP server `fresk mail` sends through; the user name and password come from the
    /// environment (`FRESK_SMTP_USER`, `FRESK_SMTP_PASSWORD`), never from a file.
    #[serde(default)]
    pub mail: Option<Mail>,
    /// The satisfaction survey participants are sent (`fresk mail survey`) and whose answers
    /// `fresk survey import` summarises.
    #[serde(default)]
    pub survey: Option<Survey>,
    /// When the Qualiopi evidence of a held session is due (certificates and survey sent):
    /// `fresk lint` warns of what is late, `fresk report quality` lists it.
    #[serde(default)]
    pub evidence: Option<Evidence>,
    /// The association's bank account: the debtor of the SEPA transfers `fresk payout
    /// transfer` writes. (Facilitators' accounts are in `private/bank/<person>.yaml`.)
    #[serde(default)]
    pub bank: Option<super::bank::BankAccount>,
    /// The chart of accounts of `fresk export journal` and `fresk export fec`; French
    /// defaults (411, 401, 706, 604, 622, 512, 44571, 44566).
    #[serde(default)]
    pub accounts: super::ledger::Chart,
    /// Where clients come from, as requests' and organisations' `origins:` name them (ids,
    /// `id/kind`, a group, or an alias). Without it, the marketing plan's list: word of mouth
    /// (client, facilitator, partner, family-friends), town hall website and staff, municipal
    /// bulletin, posters, leaflets, press, directories, own website, outbound calls, events,
    /// mutual-insurance platforms, works councils, national networks, returning client, other.
    #[serde(default = "super::origin::default_origins")]
    pub origins: Vec<super::origin::OriginDef>,
    /// The client relationship: when a client becomes a former client, how fast a complaint
    /// must be acknowledged.
    #[serde(default)]
    pub crm: Crm,
    /// The association's logo and colour, printed on every document.
    #[serde(default)]
    pub branding: Option<Branding>,
    /// The e-invoice format: `facturx` makes `fresk render invoice|self-invoice` write Factur-X
    /// by default (the PDF/A-3 with its EN 16931 XML attached as `factur-x.xml`) instead of a
    /// plain PDF.
    #[serde(default)]
    pub einvoicing: Option<Einvoicing>,
}

/// The client relationship's settings (`crm:` in fresk.yaml).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Crm {
    /// Months after its last won request, mission or invoice when an organisation stops being
    /// a client and becomes a former client (24 by default).
    #[serde(default = "default_former_after_months")]
    pub former_after_months: u32,
    /// Hours within which a complaint must be acknowledged (the charter's delay; 48 by
    /// default), measured from when it was received.
    #[serde(default = "default_complaint_hours")]
    pub complaint_acknowledge_hours: u32,
}

impl Default for Crm {
    fn default() -> Crm {
        Crm {
            former_after_months: default_former_after_months(),
            complaint_acknowledge_hours: default_complaint_hours(),
        }
    }
}

fn default_former_after_months() -> u32 {
    24
}
fn default_complaint_hours() -> u32 {
    48
}

/// The association's visual identity on its documents.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Branding {
    /// The logo, a PNG or SVG file inside the workspace (e.g. `templates/logo.svg`), shown
    /// in the header of every document.
    #[serde(default)]
    pub logo: Option<String>,
    /// The colour of headings and strong rules, as a hex colour (`"#1a5276"`).
    #[serde(default)]
    pub colour: Option<String>,
}

impl Branding {
    /// The colour as red, green and blue, when it is a `#rrggbb` or `#rgb` hex colour.
    pub fn rgb(&self) -> Option<(u8, u8, u8)> {
        parse_hex_colour(self.colour.as_deref()?)
    }
}

/// `#rrggbb` or `#rgb` as red, green and blue.
pub fn parse_hex_colour(text: &str) -> Option<(u8, u8, u8)> {
    let hex = text.strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |s: &str| u8::from_str_radix(s, 16).ok();
    match hex.len() {
        6 => Some((
            channel(&hex[0..2])?,
            channel(&hex[2..4])?,
            channel(&hex[4..6])?,
        )),
        3 => {
            let double = |i: usize| channel(&hex[i..=i]).map(|v| v * 17);
            Some((double(0)?, double(1)?, double(2)?))
        }
        _ => None,
    }
}

/// What a logo file is, from its first bytes: `png` or `svg`.
pub fn image_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("png");
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let text = head.trim_start_matches('\u{feff}').trim_start();
    let svg = text.starts_with("<svg")
        || ((text.starts_with("<?xml") || text.starts_with("<!")) && text.contains("<svg"));
    svg.then_some("svg")
}

named_enum! {
    /// The e-invoice format of invoices, credit notes and self-invoices.
    pub enum Einvoicing {
        /// Factur-X, profile EN 16931: a PDF/A-3 carrying its CII XML.
        Facturx = "facturx",
    }
}

/// What a booking role pays per session, by kind of offer.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleRates {
    /// Pay per workshop session.
    #[serde(default)]
    pub workshop: Option<Money>,
    /// Pay per training session.
    #[serde(default)]
    pub training: Option<Money>,
    /// Pay per other session.
    #[serde(default)]
    pub other: Option<Money>,
}

impl RoleRates {
    pub fn for_kind(&self, kind: OfferKind) -> Option<Money> {
        match kind {
            OfferKind::Workshop => self.workshop,
            OfferKind::Training => self.training,
            OfferKind::Other => self.other,
        }
    }
}

/// An internal group that carries requests.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// The id a request's `group:` names.
    pub id: String,
    /// The group's name as people say it.
    #[serde(default)]
    pub name: Option<String>,
}

fn default_timezone() -> String {
    "Europe/Paris".into()
}
fn default_currency() -> String {
    "EUR".into()
}
fn default_languages() -> Vec<String> {
    vec!["fr".into(), "en".into()]
}
fn default_sla() -> u32 {
    48
}
fn default_30() -> u32 {
    30
}

/// The association's identity, printed on every document.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Full name as printed on documents.
    pub name: String,
    /// e.g. `association loi 1901`.
    #[serde(default)]
    pub legal_form: Option<String>,
    /// Postal address as printed on documents.
    pub address: String,
    /// 14 digits, checked with the Luhn key.
    #[serde(default)]
    pub siret: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// Web site.
    #[serde(default)]
    pub website: Option<String>,
    /// VAT status and the mention printed on documents.
    pub vat: Vat,
    /// Training-body declaration number, printed on quotes and invoices.
    #[serde(default)]
    pub training_declaration: Option<String>,
}

/// What an offer is; decides which rate pays its facilitators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OfferKind {
    Workshop,
    Training,
    Other,
}

/// Something clients can buy.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    /// The offer's id, as quotes, orders and sessions name it (`workshop-onsite`).
    pub id: String,
    /// What the offer is — a workshop, a training day or anything else — which chooses its
    /// line of the facilitators' rate card (`rates:`).
    pub kind: OfferKind,
    /// Duration of one session, in hours.
    #[serde(default)]
    pub hours: Option<Quantity>,
    /// The offer's name as documents print it, per language (`{ fr: …, en: … }`).
    pub label: Label,
    /// Price excl. VAT of one unit.
    pub unit_price: Money,
    /// The offer's VAT when it is not the association's (`organisation.vat`): a third place
    /// sells exempt training and taxed catering or room rental (`{ regime: standard, rate: 10
    /// }`). Invoice lines of the offer take it unless they carry their own.
    #[serde(default)]
    pub vat: Option<Vat>,
    /// Revenue split between internal groups and the common fund.
    #[serde(default)]
    pub shares: Option<Shares>,
    /// What `shares` split: `revenue` (the default) or `margin` (revenue − payouts).
    #[serde(default)]
    pub shares_of: Option<super::mission::ShareBasis>,
    /// What participants are able to do afterwards, per language: printed on attendance
    /// certificates (a Qualiopi auditor looks for the objectives of a training).
    #[serde(default)]
    pub objectives: Option<Label>,
    /// What the training aims at, as the yearly BPF groups trainees (`rncp`, `rs`, `cqp`,
    /// `other`, `skills-assessment`, `vae`); `other` when absent. Only training offers count.
    #[serde(default)]
    pub bpf_objective: Option<super::bpf::Objective>,
}

/// Pay per session for the lead and the co-facilitator.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RolePay {
    /// Pay of the lead facilitator per session.
    pub lead: Money,
    /// Pay of a co-facilitator per session.
    #[serde(default)]
    pub co: Option<Money>,
}

/// The rate card.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rates {
    /// Pay for workshop sessions.
    #[serde(default)]
    pub workshop: Option<RolePay>,
    /// Pay for training sessions.
    #[serde(default)]
    pub training: Option<RolePay>,
    /// Pay for other sessions.
    #[serde(default)]
    pub other: Option<RolePay>,
    /// The coordinator's payout per held session, paid once the mission is closed.
    pub coordination_per_session: Money,
}

impl Rates {
    pub fn for_kind(&self, kind: OfferKind) -> Option<&RolePay> {
        match kind {
            OfferKind::Workshop => self.workshop.as_ref(),
            OfferKind::Training => self.training.as_ref(),
            OfferKind::Other => self.other.as_ref(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutPolicy {
    /// Payout requests allowed per mission and calendar month.
    pub max_requests_per_month: u32,
}

impl Default for PayoutPolicy {
    fn default() -> Self {
        PayoutPolicy {
            max_requests_per_month: 1,
        }
    }
}

/// The fee on client-introduction work.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UsageRights {
    /// Percent of the declared revenue.
    pub percent: Quantity,
    /// Declarations are grouped so that no fee invoice is below this.
    pub min_invoice: Money,
    /// The VAT treatment of fee invoices (`fresk declaration invoice`), with its mention: a
    /// fee is not training, so a training exemption does not cover it. Default:
    /// `organisation.vat`, unless that is an exemption.
    #[serde(default)]
    pub vat: Option<Vat>,
}

impl UsageRights {
    /// The fee on `revenue`: `percent` of it, rounded to the cent (`None` when it overflows).
    pub fn fee_on(&self, revenue: Money) -> Option<Money> {
        revenue
            .0
            .checked_mul(self.percent.0)
            .and_then(|x| x.checked_div(rust_decimal::Decimal::from(100)))
            .map(|x| Money(x).round())
    }
}

/// Numbering patterns: `{year}`, `{seq:04}` and, for self-invoices, `{person}`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Series {
    /// Pattern of quote numbers, e.g. D{year}-{seq:04}.
    pub quote: String,
    /// Pattern of invoice numbers, e.g. F{year}-{seq:04}.
    pub invoice: String,
    /// Pattern of credit-note numbers.
    pub credit_note: String,
    /// Pattern of self-invoice numbers (needs {person}).
    pub self_invoice: String,
}

/// Wording and figures printed on rendered documents (`fresk render`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Documents {
    /// The late-payment penalty rate as printed on invoices, per language, e.g.
    /// `{ fr: "trois fois le taux d'intérêt légal" }`; the built-in wording when absent.
    #[serde(default)]
    pub late_penalty_rate: Option<Label>,
    /// The fixed recovery indemnity for late payment by a business client (40 by law).
    #[serde(default)]
    pub recovery_indemnity: Option<Money>,
    /// Who signs attendance certificates, e.g. "Claire Fontaine, présidente".
    #[serde(default)]
    pub signatory: Option<String>,
    /// The town certificates are signed in ("Fait à Lyon").
    #[serde(default)]
    pub place: Option<String>,
}

named_enum! {
    /// How the connection to the SMTP server is secured.
    pub enum MailTls {
        /// A plain connection upgraded with STARTTLS (port 587 by default); refused if the
        /// server does not offer it.
        Starttls = "starttls",
        /// TLS from the first byte (port 465 by default).
        Tls = "tls",
        /// No encryption (port 25 by default): only for a relay on the same machine or network.
        None = "none",
    }
}

/// The SMTP server mail is sent through.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mail {
    /// The server's host name, e.g. `smtp.example.org`.
    pub host: String,
    /// The server's port; by default 587 with `starttls`, 465 with `tls`, 25 with `none`.
    #[serde(default)]
    pub port: Option<u16>,
    /// `starttls` (the default), `tls` or `none`.
    #[serde(default = "default_tls")]
    pub tls: MailTls,
    /// The sender, e.g. `Fresques en Rhône <contact@example.org>`.
    pub from: String,
    /// Where participants' answers go, when not to `from`.
    #[serde(default)]
    pub reply_to: Option<String>,
}

fn default_tls() -> MailTls {
    MailTls::Starttls
}

impl Mail {
    /// The port to connect to: the one written, else the usual one for `tls`.
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.tls {
            MailTls::Starttls => 587,
            MailTls::Tls => 465,
            MailTls::None => 25,
        })
    }
}

/// The satisfaction survey.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Survey {
    /// The link to the form participants fill in; `{session}`, `{mission}` and `{offer}` are
    /// replaced by the session's id, its mission and its offer.
    pub link: String,
    /// The highest answer of the rating questions (answers run from 1 to it); 5 by default.
    #[serde(default = "default_scale")]
    pub scale: u32,
    /// The rating questions, in the order of the form.
    #[serde(default)]
    pub questions: Vec<SurveyQuestion>,
    /// The "would you recommend" question answered from 0 to 10, when the form asks it: the
    /// summary then has a net promoter score.
    #[serde(default)]
    pub nps: Option<SurveyColumn>,
    /// The free-text question whose answers are kept as anonymous comments.
    #[serde(default)]
    pub comments: Option<SurveyColumn>,
}

fn default_scale() -> u32 {
    5
}

/// A rating question of the survey.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyQuestion {
    /// A short id (`content`, `facilitation`): the key of its average in the session file.
    pub id: String,
    /// The header of its column in the form's export (compared ignoring case and the spaces
    /// around it).
    pub column: String,
}

/// A question of the survey found by its column in the form's export.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyColumn {
    /// The header of its column in the form's export.
    pub column: String,
}

impl Survey {
    /// The form's link for `session` of `mission`, delivering `offer`.
    pub fn link_for(&self, session: &str, mission: &str, offer: &str) -> String {
        self.link
            .replace("{session}", session)
            .replace("{mission}", mission)
            .replace("{offer}", offer)
    }
}

/// When the evidence of a held session is due.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// Days after a held session's end by which its certificates must have been sent
    /// (`fresk mail certificates`). Default 7.
    #[serde(default = "default_7")]
    pub certificates_days: u32,
    /// Days after a held session's end by which the survey must have been sent (`fresk mail
    /// survey`). Default 7.
    #[serde(default = "default_7")]
    pub survey_days: u32,
    /// Sessions that ended before this day are not checked (their evidence was kept before
    /// fresk sent it), `YYYY-MM-DD`.
    #[serde(default)]
    pub since: Option<super::Date>,
}

fn default_7() -> u32 {
    7
}

impl Default for Evidence {
    fn default() -> Self {
        Evidence {
            certificates_days: 7,
            survey_days: 7,
            since: None,
        }
    }
}

/// Levels needed in a sector.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// Level needed to coordinate a mission.
    #[serde(default)]
    pub coordinate: Option<String>,
    /// Level needed to facilitate a session.
    #[serde(default)]
    pub facilitate: Option<String>,
}

/// Is `code` a language code, as `languages:` in fresk.yaml and `--lang` take: a 2–3 letter
/// lowercase language (`fr`, `en`, `oc`), then optional subtags of 2–8 letters or digits after
/// a `-` (`pt-BR`, `zh-Hant`), BCP 47 style. A code names a labels file,
/// `templates/labels/<code>.yaml`, so nothing else (no `/`, no `.`) may be one.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let language = parts.next().unwrap_or_default();
    (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

impl OfferKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OfferKind::Workshop => "workshop",
            OfferKind::Training => "training",
            OfferKind::Other => "other",
        }
    }
}

impl std::fmt::Display for OfferKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why the rate card pays nothing for a facilitator on a session.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoRate {
    #[error("offer `{0}` is not in the catalogue of fresk.yaml, so it has no rate")]
    NotInCatalogue(String),
    #[error(
        "no rate for a {kind} {role} (rates.{kind}.{role}, or roles.{role}.{kind}, in fresk.yaml): add it, or write the line by hand with `override_reason:`"
    )]
    NotOnRateCard {
        kind: OfferKind,
        role: FacilitatorRole,
    },
}

/// The name `fresk init` writes when it is given no identity.
pub const PLACEHOLDER_NAME: &str = "Association Exemple";
/// The SIRET `fresk init` writes when it is given none: it passes the checks, so that a new
/// workspace lints, but no numbered or rendered document may carry it.
pub const PLACEHOLDER_SIRET: &str = "68433532671874";

impl Organisation {
    /// The field of fresk.yaml still holding `fresk init`'s placeholder identity, if any.
    pub fn placeholder_field(&self) -> Option<&'static str> {
        if self.name.trim() == PLACEHOLDER_NAME {
            return Some("organisation.name");
        }
        let siret: String = self.siret.as_deref()?.split_whitespace().collect();
        (siret == PLACEHOLDER_SIRET).then_some("organisation.siret")
    }
}

impl Config {
    /// What the rate card pays a facilitator of `role` on a session of `offer`, or why nothing.
    pub fn rate(&self, offer: &str, role: FacilitatorRole) -> Result<Money, NoRate> {
        let kind = self
            .offer(offer)
            .ok_or_else(|| NoRate::NotInCatalogue(offer.to_string()))?
            .kind;
        self.role_rate(kind, role)
            .ok_or(NoRate::NotOnRateCard { kind, role })
    }

    /// What `role` is paid on a session of `kind`: from `roles:`, else (lead, co) `rates:`.
    pub fn role_rate(&self, kind: OfferKind, role: FacilitatorRole) -> Option<Money> {
        if let Some(rate) = self.roles.get(&role).and_then(|r| r.for_kind(kind)) {
            return Some(rate);
        }
        let pay = self.rates.for_kind(kind);
        match role {
            FacilitatorRole::Lead => pay.map(|p| p.lead),
            FacilitatorRole::Co => pay.and_then(|p| p.co),
            FacilitatorRole::Referent | FacilitatorRole::Mission => None,
        }
    }

    /// What the rate card pays a facilitator of `role` on a session of `offer`.
    pub fn session_rate(&self, offer: &str, role: FacilitatorRole) -> Option<Money> {
        self.rate(offer, role).ok()
    }

    pub fn offer(&self, id: &str) -> Option<&Offer> {
        self.catalogue.iter().find(|o| o.id == id)
    }

    pub fn tz(&self) -> chrono_tz::Tz {
        self.timezone.parse().unwrap_or(chrono_tz::Europe::Paris)
    }

    pub fn is_staff(&self, person: &str) -> bool {
        self.staff.iter().any(|s| s == person)
    }

    /// Rank of a level (0 = lowest), `None` when not a known level.
    pub fn level_rank(&self, level: &str) -> Option<usize> {
        self.levels.iter().position(|l| l == level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes() {
        for good in ["fr", "en", "oc", "pt-BR", "zh-Hant", "es-419"] {
            assert!(is_language_code(good), "{good}");
        }
        for bad in [
            "",
            "f",
            "FR",
            "french",
            "../x",
            "fr/../../x",
            "fr.yaml",
            "fr-",
            "-fr",
            "fr_FR",
            "fr-x",
            " fr",
            "é",
        ] {
            assert!(!is_language_code(bad), "{bad}");
        }
    }
}
