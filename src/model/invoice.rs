//! `invoices/<year>/<id>.yaml`: client invoices and credit notes.

use super::config::Config;
use super::money::{Money, Quantity};
use super::payout::Payment;
use super::time::Date;
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
    pub vat: Option<super::common::Vat>,
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

impl Invoice {
    /// The total excl. VAT: each line rounded to the cent (a line without a known price counts
    /// as zero).
    pub fn total(&self, config: &Config) -> Money {
        self.lines
            .iter()
            .map(|l| {
                l.unit_price_in(config)
                    .unwrap_or(Money::ZERO)
                    .times(l.quantity.0)
                    .round()
            })
            .sum()
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
