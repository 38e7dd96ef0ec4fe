//! `people/<id>.yaml`: facilitators, coordinators and staff.

use super::common::Vat;
use super::time::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Facilitator,
    Coordinator,
    Staff,
}

/// A member of the network.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// The identifier; the file is named after it and it never changes.
    pub id: String,
    /// Full name as printed on documents.
    pub name: String,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// What this person does in the network.
    pub roles: Vec<Role>,
    /// Commit e-mails and forge handles, for `--actor` checks.
    #[serde(default)]
    pub git: Vec<String>,
    /// Qualification level, one of `levels` in fresk.yaml.
    #[serde(default)]
    pub level: Option<String>,
    /// Languages the person works in (fr, en, …); `fresk opportunities --for` shows them the
    /// requests in these languages (every language when empty).
    #[serde(default)]
    pub languages: Vec<String>,
    /// Required to be self-billed.
    #[serde(default)]
    pub billing: Option<Billing>,
    /// Free notes (no personal data of third parties).
    #[serde(default)]
    pub notes: Option<String>,
}

impl Role {
    pub const ALL: &'static [Role] = &[Role::Facilitator, Role::Coordinator, Role::Staff];

    /// The word written in `roles:`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Facilitator => "facilitator",
            Role::Coordinator => "coordinator",
            Role::Staff => "staff",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why the association may not issue self-invoices in a person's name: they send their own.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotSelfBillable {
    #[error("no billing details, no self-billing mandate (they must send their own invoice)")]
    NoBilling,
    #[error(
        "based outside France (billing.country: {0}), not self-billed (they must send their own invoice)"
    )]
    Abroad(String),
    #[error("no self-billing mandate (they must send their own invoice)")]
    NoMandate,
}

impl Person {
    /// Why this person may not be self-billed (a payout request leaves them out), if so.
    pub fn not_self_billable(&self) -> Option<NotSelfBillable> {
        match &self.billing {
            None => Some(NotSelfBillable::NoBilling),
            Some(b) if !b.country.trim().eq_ignore_ascii_case("FR") => {
                Some(NotSelfBillable::Abroad(b.country.clone()))
            }
            Some(b) if b.mandate.is_none() => Some(NotSelfBillable::NoMandate),
            Some(_) => None,
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// May the association issue self-invoices in this person's name?
    pub fn self_billable(&self) -> bool {
        self.billing
            .as_ref()
            .is_some_and(|b| b.mandate.is_some() && b.country.eq_ignore_ascii_case("FR"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Entity {
    /// Entrepreneur individuel: the legal name must carry "EI".
    #[default]
    SoleTrader,
    Company,
    NonProfit,
}

/// What self-invoices need to name the facilitator as the seller.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Billing {
    /// Name printed on self-invoices; sole traders carry "EI".
    pub legal_name: String,
    /// Legal form: sole-trader (default), company or non-profit.
    #[serde(default)]
    pub entity: Entity,
    /// SIRET, 14 digits (checked with the Luhn key).
    #[serde(default)]
    pub siret: Option<String>,
    /// Postal address as printed on documents.
    pub address: String,
    /// VAT status and the mention printed on documents.
    pub vat: Vat,
    /// ISO 3166 country code; outside France, no self-billing.
    pub country: String,
    /// The written self-billing mandate.
    #[serde(default)]
    pub mandate: Option<Mandate>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mandate {
    /// The date the mandate was signed.
    pub signed: Date,
    /// Days the facilitator has to contest a self-invoice.
    #[serde(default)]
    pub contest_days: Option<u32>,
}

/// Does a sole trader's legal name carry "EI" or "entrepreneur individuel", as French law asks
/// of every document a sole trader issues?
pub fn carries_ei(name: &str) -> bool {
    let lower = name.to_lowercase();
    if lower
        .replace("entrepreneure", "entrepreneur")
        .contains("entrepreneur individuel")
    {
        return true;
    }
    lower
        .split(|c: char| !c.is_alphanumeric() && c != '.')
        .any(|w| w == "ei" || w == "e.i." || w == "e.i")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ei_in_legal_names() {
        assert!(carries_ei("Camille Dupont EI"));
        assert!(carries_ei("EI Camille Dupont"));
        assert!(carries_ei("Camille Dupont (EI)"));
        assert!(carries_ei("Camille Dupont, ei"));
        assert!(carries_ei("Camille Dupont E.I."));
        assert!(carries_ei("Camille Dupont, Entrepreneur Individuel"));
        assert!(carries_ei("Camille Dupont, entrepreneure individuelle"));
        assert!(!carries_ei("Camille Dupont"));
        assert!(!carries_ei("Eiffel Conseil"));
        assert!(!carries_ei("Reims Conseil"));
    }
}
