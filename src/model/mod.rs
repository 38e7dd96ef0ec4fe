//! The typed model: one file per kind of workspace file, plus money and time; and what the
//! business computes from them alone (rates, totals, what a payout request holds).

/// An enum whose variants are written as fixed words in YAML, with `as_str` and `ALL`.
macro_rules! named_enum {
    ($(#[$m:meta])* pub enum $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        $(#[$m])*
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $text)] $variant),+
        }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub mod bank;
pub mod bpf;
pub mod client;
pub mod common;
pub mod complaint;
pub mod config;
pub mod declaration;
pub mod evidence;
pub mod interaction;
pub mod invoice;
pub mod ledger;
pub mod mission;
pub mod money;
pub mod opportunity;
pub mod organisation;
pub mod origin;
pub mod payout;
pub mod payout_due;
pub mod person;
pub mod registrations;
pub mod request;
pub mod roster;
pub mod session;
pub mod survey;
pub mod time;
pub mod vat;

pub use client::ClientStatus;
pub use common::{Contact, Label, Sector, Share, Shares, Vat, VatRegime};
pub use complaint::{Complaint, ComplaintState};
pub use config::{Config, Crm, NoRate, Offer, OfferKind};
pub use declaration::{Declaration, DeclarationState};
pub use interaction::Interactions;
pub use invoice::{Invoice, InvoiceKind, InvoiceState};
pub use mission::{Mission, MissionState};
pub use money::{Money, NumberError, Quantity};
pub use organisation::Organisation;
pub use payout::{Payout, PayoutState};
pub use person::{NotSelfBillable, Person, Role};
pub use request::{Application, Request, RequestState, Track};
pub use session::{Session, SessionState};
pub use time::{Clock, ClockError, Date, DateTime, TimeError, YearMonth};

/// Is `path` (from a data file) a relative path that stays inside `private/`?
pub fn is_private_path(path: &str) -> bool {
    let p = std::path::Path::new(path);
    let mut comps = p.components();
    matches!(comps.next(), Some(std::path::Component::Normal(first)) if first == "private")
        && comps.all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// The workspace's configuration file, at its root.
pub const CONFIG_FILE: &str = "fresk.yaml";

/// Every kind of file in a workspace; the kind comes from the file's place.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Kind {
    Config,
    Person,
    Organisation,
    Request,
    Mission,
    Session,
    Payout,
    Invoice,
    Declaration,
    Interactions,
    Complaint,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Config,
        Kind::Person,
        Kind::Organisation,
        Kind::Request,
        Kind::Mission,
        Kind::Session,
        Kind::Payout,
        Kind::Invoice,
        Kind::Declaration,
        Kind::Interactions,
        Kind::Complaint,
    ];

    /// The name used for schema files and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Config => "fresk",
            Kind::Person => "person",
            Kind::Organisation => "organisation",
            Kind::Request => "request",
            Kind::Mission => "mission",
            Kind::Session => "session",
            Kind::Payout => "payout",
            Kind::Invoice => "invoice",
            Kind::Declaration => "declaration",
            Kind::Interactions => "interactions",
            Kind::Complaint => "complaint",
        }
    }

    pub fn schema_file(self) -> String {
        format!("{}.schema.json", self.name())
    }

    /// Does the file name carry the id (all kinds but fresk.yaml, mission.yaml and the
    /// interactions, named by organisation and year)?
    pub fn id_from_file_name(self) -> bool {
        !matches!(self, Kind::Config | Kind::Mission | Kind::Interactions)
    }
}
