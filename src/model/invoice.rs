//! `invoices/<year>/<id>.yaml`: client invoices and credit notes.

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
    #[serde(default = "default_kind")]
    pub kind: InvoiceKind,
    pub state: InvoiceState,
    #[serde(default)]
    pub mission: Option<String>,
    pub organisation: String,
    /// The client's order number, printed when given.
    #[serde(default)]
    pub purchase_order: Option<String>,
    #[serde(default)]
    pub issued: Option<Date>,
    /// A date, never a formula.
    #[serde(default)]
    pub due: Option<Date>,
    pub lines: Vec<InvoiceLine>,
    #[serde(default)]
    pub sent: Option<Date>,
    /// Pauses the next dunning step.
    #[serde(default)]
    pub hold: bool,
    /// Dunning steps taken, newest last.
    #[serde(default)]
    pub history: Vec<DunningStep>,
    #[serde(default)]
    pub paid: Option<Payment>,
    /// The invoice (number) a credit note corrects.
    #[serde(default)]
    pub corrects: Option<String>,
    /// Why a credit note was issued.
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

fn default_kind() -> InvoiceKind {
    InvoiceKind::Invoice
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceLine {
    #[serde(default)]
    pub offer: Option<String>,
    #[serde(default)]
    pub label: Option<String>,
    pub quantity: Quantity,
    /// Price excl. VAT; taken from the catalogue when omitted on an offer line.
    #[serde(default)]
    pub unit_price: Option<Money>,
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
    pub step: DunningKind,
    pub date: Date,
}
