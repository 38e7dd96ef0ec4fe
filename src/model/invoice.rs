//! `invoices/<year>/<id>.yaml`: client invoices and credit notes.

use super::common::{Vat, VatRegime};
use super::config::Config;
use super::money::{Money, Quantity};
use super::payout::Payment;
use super::time::Date;
use super::vat::{Breakdown, Tax, VatSource, resolve};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

named_enum! {
    pub enum InvoiceKind {
        Invoice = "invoice",
        /// Cancels or corrects an issued invoice (`corrects`).
        CreditNote = "credit-note",
    }
}

named_enum! {
    pub enum InvoiceState {
        /// Not numbered yet; named I-<mission>.
        Draft = "draft",
        Issued = "issued",
        Sent = "sent",
        Paid = "paid",
        #[doc = "First reminder sent."]
        Reminded1 = "reminded-1",
        Reminded2 = "reminded-2",
        FormalNotice = "formal-notice",
        Litigation = "litigation",
        /// Fully cancelled by a credit note.
        Cancelled = "cancelled",
    }
}

/// A client invoice or credit note.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Invoice {
    /// The number once issued (F2026-0012, AV2026-0001); I-<mission> while a draft.
    pub id: String,
    /// `invoice` (the default), or `credit-note` for a credit note that corrects an issued
    /// invoice.
    #[serde(default = "default_kind")]
    pub kind: InvoiceKind,
    /// Where this file stands in its lifecycle.
    pub state: InvoiceState,
    /// The mission (id in missions/).
    #[serde(default)]
    pub mission: Option<String>,
    /// The client invoiced (id in organisations/).
    pub organisation: String,
    /// The client's order number, printed when given.
    #[serde(default)]
    pub purchase_order: Option<String>,
    /// The issue date.
    #[serde(default)]
    pub issued: Option<Date>,
    /// A date, never a formula.
    #[serde(default)]
    pub due: Option<Date>,
    /// The lines, in order.
    pub lines: Vec<InvoiceLine>,
    /// The date it was sent.
    #[serde(default)]
    pub sent: Option<Date>,
    /// Pauses the next dunning step.
    #[serde(default)]
    pub hold: bool,
    /// Dunning steps taken, newest last.
    #[serde(default)]
    pub history: Vec<DunningStep>,
    /// The payment.
    #[serde(default)]
    pub paid: Option<Payment>,
    /// The invoice (number) a credit note corrects.
    #[serde(default)]
    pub corrects: Option<String>,
    /// Why a credit note was issued.
    #[serde(default)]
    pub reason: Option<String>,
    /// Free notes (no personal data of third parties).
    #[serde(default)]
    pub notes: Option<String>,
    /// The VAT treatment of this invoice when it is not the association's usual one
    /// (`organisation.vat`): a usage-rights fee invoice, which is not training.
    #[serde(default)]
    pub vat: Option<Vat>,
}

fn default_kind() -> InvoiceKind {
    InvoiceKind::Invoice
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceLine {
    /// A catalogue offer id.
    #[serde(default)]
    pub offer: Option<String>,
    /// The line's text: required on a line with no offer, else it replaces the offer's name.
    #[serde(default)]
    pub label: Option<String>,
    /// How many units.
    pub quantity: Quantity,
    /// Price excl. VAT; taken from the catalogue when omitted on an offer line.
    #[serde(default)]
    pub unit_price: Option<Money>,
    /// This line's VAT when it differs from its offer's (`catalogue[].vat`) or the
    /// invoice's: `{ regime: standard, rate: 10 }` for catering, `{ regime: exempt, mention: …
    /// }` for training. Absent: the offer's, else the invoice's `vat`, else the association's.
    #[serde(default)]
    pub vat: Option<Vat>,
}

impl InvoiceLine {
    /// The unit price: written on the line, else the catalogue's.
    pub fn unit_price_in(&self, config: &Config) -> Option<Money> {
        self.unit_price.or_else(|| {
            self.offer
                .as_deref()
                .and_then(|o| config.offer(o))
                .map(|o| o.unit_price)
        })
    }
}

impl InvoiceLine {
    /// This line's VAT: written on the line, else its offer's, else `document`'s (the
    /// invoice's own treatment, see [`Invoice::document_vat`]).
    pub fn vat_in<'a>(&'a self, config: &'a Config, document: &'a Vat) -> &'a Vat {
        self.vat
            .as_ref()
            .or_else(|| {
                self.offer
                    .as_deref()
                    .and_then(|o| config.offer(o))
                    .and_then(|o| o.vat.as_ref())
            })
            .unwrap_or(document)
    }

    /// Where [`InvoiceLine::vat_in`] found the line's VAT, for messages (`i` is its index).
    pub fn vat_source(
        &self,
        config: &Config,
        i: usize,
        file: &str,
        document: &VatSource,
    ) -> VatSource {
        if self.vat.is_some() {
            return VatSource::new(format!("lines[{i}].vat"), file);
        }
        let offer = self.offer.as_deref().and_then(|o| config.offer(o));
        match offer.and_then(|o| {
            config
                .catalogue
                .iter()
                .position(|c| c.id == o.id)
                .filter(|_| o.vat.is_some())
        }) {
            Some(at) => VatSource::new(format!("catalogue[{at}].vat"), "fresk.yaml"),
            None => document.clone(),
        }
    }

    /// The line's net amount: unit price × quantity, rounded to the cent (BT-131); zero
    /// without a known price.
    pub fn net_in(&self, config: &Config) -> Money {
        self.unit_price_in(config)
            .unwrap_or(Money::ZERO)
            .times(self.quantity.0)
            .round()
    }
}

impl Invoice {
    /// The VAT of the lines that carry none (theirs or their offer's): the invoice's `vat`;
    /// else, on a usage-rights fee invoice (`fee`: a declaration names it), the fees'
    /// (`usage_rights.vat`, else the association's unless it is an exemption — a training
    /// exemption does not cover a fee); else the association's. With where it is written; `Err`
    /// says what a fee invoice lacks.
    pub fn document_vat<'a>(
        &'a self,
        config: &'a Config,
        fee: bool,
        file: &str,
    ) -> Result<(&'a Vat, VatSource), String> {
        if let Some(v) = &self.vat {
            return Ok((v, VatSource::new("vat", file)));
        }
        let org = &config.organisation.vat;
        let own = || (org, VatSource::new("organisation.vat", "fresk.yaml"));
        if !fee {
            return Ok(own());
        }
        match config.usage_rights.as_ref().and_then(|u| u.vat.as_ref()) {
            Some(v) => Ok((v, VatSource::new("usage_rights.vat", "fresk.yaml"))),
            None if org.regime != VatRegime::Exempt => Ok(own()),
            None => Err(format!(
                "the VAT treatment of usage-rights fees: {} bills a fee, which is not training, so the association's exemption (organisation.vat) does not cover it; set `usage_rights.vat` in fresk.yaml (e.g. `{{ regime: franchise, mention: \"TVA non applicable, art. 293 B du CGI\" }}`) or `vat:` in {file}",
                self.id
            )),
        }
    }

    /// The VAT breakdown of the lines, with each line's treatment, from the one computation
    /// documents and e-invoices share ([`super::vat::resolve`]); or what is missing to make it.
    pub fn breakdown(
        &self,
        config: &Config,
        fee: bool,
        file: &str,
    ) -> Result<(Breakdown, Vec<Tax>), Vec<String>> {
        let (document, source) = self.document_vat(config, fee, file).map_err(|e| vec![e])?;
        resolve(self.lines.iter().enumerate().map(|(i, l)| {
            (
                l.net_in(config),
                l.vat_in(config, document),
                l.vat_source(config, i, file, &source),
            )
        }))
    }

    /// The total excl. VAT: each line rounded to the cent (a line without a known price counts
    /// as zero).
    pub fn total(&self, config: &Config) -> Money {
        self.lines.iter().map(|l| l.net_in(config)).sum()
    }
}

named_enum! {
    pub enum DunningKind {
        Reminded1 = "reminded-1",
        Reminded2 = "reminded-2",
        FormalNotice = "formal-notice",
        Litigation = "litigation",
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DunningStep {
    /// The dunning step taken.
    pub step: DunningKind,
    /// The date.
    pub date: Date,
}
