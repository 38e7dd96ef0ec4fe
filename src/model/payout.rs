//! `payouts/<year>/<id>.yaml`: a coordinator's request to pay the facilitators of a mission.

use super::money::Money;
use super::session::FacilitatorRole;
use super::time::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

named_enum! {
    pub enum PayoutState {
        /// Asked for; approved by merging its pull request.
        Requested = "requested",
        /// Self-invoices numbered and issued.
        Invoiced = "invoiced",
        /// Put in a SEPA transfer file for the bank (`fresk payout transfer`), not yet
        /// recorded as paid.
        Ordered = "ordered",
        Paid = "paid",
        Rejected = "rejected",
    }
}

/// A payout request.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Payout {
    /// The identifier; the file is named after it and it never changes.
    pub id: String,
    /// The mission (id in missions/).
    pub mission: String,
    /// Where this file stands in its lifecycle.
    pub state: PayoutState,
    /// The coordinator who asked.
    pub requested_by: String,
    /// The date of the request.
    pub requested: Date,
    /// The lines, in order.
    pub lines: Vec<PayoutLine>,
    /// Written on main by `fresk payout invoice`.
    #[serde(default)]
    pub self_invoices: Vec<SelfInvoice>,
    /// The bank transfer order, written by `fresk payout transfer`.
    #[serde(default)]
    pub ordered: Option<TransferOrder>,
    /// The payment.
    #[serde(default)]
    pub paid: Option<Payment>,
    /// Why the payout was rejected.
    #[serde(default)]
    pub rejection: Option<Rejection>,
}

impl Payout {
    /// The sum of the lines.
    pub fn total(&self) -> Money {
        self.lines.iter().map(|l| l.amount).sum()
    }

    /// Each person's total, in the order people first appear in the lines: one self-invoice
    /// each.
    pub fn totals_by_person(&self) -> Vec<(&str, Money)> {
        let mut totals: Vec<(&str, Money)> = Vec::new();
        for line in &self.lines {
            match totals.iter_mut().find(|(who, _)| *who == line.person) {
                Some((_, t)) => *t += line.amount,
                None => totals.push((line.person.as_str(), line.amount)),
            }
        }
        totals
    }
}

/// What one person is owed for one session, or for coordinating the mission.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutLine {
    /// The session (id); absent on the coordination line.
    #[serde(default)]
    pub session: Option<String>,
    /// A person (id in people/).
    pub person: String,
    /// The role the line pays (`lead` or `co`), as booked on the session; none on a
    /// coordination line.
    #[serde(default)]
    pub role: Option<FacilitatorRole>,
    /// The amount, computed from the rate card.
    pub amount: Money,
    /// The coordinator's line, once the mission is closed.
    #[serde(default)]
    pub coordination: bool,
    /// Sessions held, on the coordination line.
    #[serde(default)]
    pub sessions: Option<u32>,
    /// Why the amount differs from the rate card.
    #[serde(default)]
    pub override_reason: Option<String>,
}

/// A self-invoice issued in a facilitator's name.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SelfInvoice {
    /// A person (id in people/).
    pub person: String,
    /// In the facilitator's own series, e.g. AF-camille-dupont-0007.
    pub number: String,
    /// The issue date.
    pub issued: Date,
    /// The total of this person's lines.
    pub total: Money,
}

/// The SEPA transfer file a payout was put in.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferOrder {
    /// The day the file was made.
    pub date: Date,
    /// The execution date asked of the bank.
    pub execution: Date,
    /// The message id of the file (`MsgId`), as the bank's statement shows it.
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// The date.
    pub date: Date,
    /// The payment reference (transfer id, cheque number).
    #[serde(default)]
    pub reference: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    /// The date.
    #[serde(default)]
    pub date: Option<Date>,
    /// Why.
    pub reason: String,
}
