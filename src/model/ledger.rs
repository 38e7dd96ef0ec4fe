//! Double-entry bookkeeping: the chart of accounts (French defaults, `accounts:` in fresk.yaml),
//! entries made of balanced postings, and VAT on an amount.

use super::common::{Vat, VatRegime};
use super::money::Money;
use super::time::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The chart of accounts the journal and the FEC use; French general chart (PCG) numbers by
/// default.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Chart {
    /// Clients (with one auxiliary account per client). Default `411`.
    pub clients: String,
    /// Suppliers: facilitators paid by self-invoice (one auxiliary account each). Default `401`.
    pub suppliers: String,
    /// Sales of services. Default `706`.
    pub sales: String,
    /// Facilitators' fees (self-invoices). Default `604`.
    pub fees: String,
    /// Costs recorded on missions. Default `622`.
    pub costs: String,
    /// The bank account. Default `512`.
    pub bank: String,
    /// VAT collected on sales. Default `44571`.
    pub vat_collected: String,
    /// VAT deductible on purchases. Default `44566`.
    pub vat_deductible: String,
}

impl Default for Chart {
    fn default() -> Chart {
        Chart {
            clients: "411".into(),
            suppliers: "401".into(),
            sales: "706".into(),
            fees: "604".into(),
            costs: "622".into(),
            bank: "512".into(),
            vat_collected: "44571".into(),
            vat_deductible: "44566".into(),
        }
    }
}

/// A journal of the books.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Journal {
    /// Client invoices and credit notes.
    Sales,
    /// Self-invoices (facilitators' fees) and costs.
    Purchases,
    /// Payments received and made.
    Bank,
}

impl Journal {
    /// The journal's code (`JournalCode` of the FEC).
    pub fn code(self) -> &'static str {
        match self {
            Journal::Sales => "VT",
            Journal::Purchases => "AC",
            Journal::Bank => "BQ",
        }
    }

    /// The journal's name (`JournalLib` of the FEC).
    pub fn name(self) -> &'static str {
        match self {
            Journal::Sales => "Ventes",
            Journal::Purchases => "Achats",
            Journal::Bank => "Banque",
        }
    }
}

/// One line of an entry: an account (with its auxiliary account: a client or a facilitator),
/// and a debit or a credit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    /// The general account number, e.g. `411`.
    pub account: String,
    /// The auxiliary account: its id (a client's or a person's) and its name.
    pub aux: Option<(String, String)>,
    pub debit: Money,
    pub credit: Money,
}

impl Posting {
    pub fn debit(account: &str, aux: Option<(String, String)>, amount: Money) -> Posting {
        Posting {
            account: account.to_string(),
            aux,
            debit: amount,
            credit: Money::ZERO,
        }
    }

    pub fn credit(account: &str, aux: Option<(String, String)>, amount: Money) -> Posting {
        Posting {
            account: account.to_string(),
            aux,
            debit: Money::ZERO,
            credit: amount,
        }
    }

    /// Debit minus credit.
    pub fn balance(&self) -> Money {
        self.debit - self.credit
    }
}

/// A balanced entry: one piece (an invoice, a self-invoice, a payment) in one journal.
#[derive(Debug, Clone)]
pub struct Entry {
    pub journal: Journal,
    pub date: Date,
    /// The piece's reference (`PieceRef`): an invoice or self-invoice number, a payout id.
    pub piece: String,
    /// The date of the piece (`PieceDate`).
    pub piece_date: Date,
    pub label: String,
    pub postings: Vec<Posting>,
}

impl Entry {
    /// Debits equal credits.
    pub fn is_balanced(&self) -> bool {
        self.postings.iter().map(Posting::balance).sum::<Money>() == Money::ZERO
    }
}

/// The VAT on `net` under `vat`: `rate` percent of it, rounded to the cent, under the standard
/// regime; none otherwise.
pub fn vat_on(vat: &Vat, net: Money) -> Money {
    match (vat.regime, vat.rate) {
        (VatRegime::Standard, Some(rate)) => net
            .times(rate.0 / rust_decimal::Decimal::ONE_HUNDRED)
            .round(),
        _ => Money::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Quantity;

    #[test]
    fn vat_is_rounded_to_the_cent_and_only_under_the_standard_regime() {
        let standard = Vat {
            regime: VatRegime::Standard,
            mention: None,
            rate: Some(Quantity::parse("20").unwrap()),
            number: None,
            exemption: None,
        };
        assert_eq!(
            vat_on(&standard, Money::parse("10.05").unwrap()),
            Money::parse("2.01").unwrap()
        );
        let exempt = Vat {
            regime: VatRegime::Exempt,
            ..standard.clone()
        };
        assert_eq!(vat_on(&exempt, Money::from_int(100)), Money::ZERO);
    }

    #[test]
    fn an_entry_balances_when_debits_equal_credits() {
        let d = Date::parse("2026-01-02").unwrap();
        let mut e = Entry {
            journal: Journal::Sales,
            date: d,
            piece: "F1".into(),
            piece_date: d,
            label: "x".into(),
            postings: vec![
                Posting::debit("411", None, Money::from_int(120)),
                Posting::credit("706", None, Money::from_int(100)),
                Posting::credit("44571", None, Money::from_int(20)),
            ],
        };
        assert!(e.is_balanced());
        e.postings.pop();
        assert!(!e.is_balanced());
    }
}
