//! The command line of the commands that set a workspace up: `init`, `person`, `organisation`
//! and `man`.

use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the workspace in (default: the current folder).
    pub dir: Option<PathBuf>,
    /// Add the demo data (people, organisations, requests, missions…).
    #[arg(long)]
    pub example: bool,
    /// The association's legal name, printed on every document (asked on a terminal).
    #[arg(long, conflicts_with = "example")]
    pub name: Option<String>,
    /// The association's SIRET, 14 digits (asked on a terminal).
    #[arg(long, conflicts_with = "example")]
    pub siret: Option<String>,
    /// The association's postal address, printed on every document (asked on a terminal).
    #[arg(long, conflicts_with = "example")]
    pub address: Option<String>,
    /// Also write the CI job that lints every pull request: github or gitlab.
    #[arg(long, value_enum, value_name = "FORGE")]
    pub ci: Option<CiForge>,
    /// Do not create a git repository (by default: a new repository with a first commit,
    /// unless the folder is already inside one).
    #[arg(long)]
    pub no_git: bool,
}

/// Where the workspace's pull requests are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CiForge {
    Github,
    Gitlab,
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Add a person: people/ID.yaml, with what later steps will ask of them.
    New(PersonNewArgs),
    /// Change a person's common fields (other fields: edit the file, then `fresk lint`).
    Edit(PersonEditArgs),
}

#[derive(Debug, Args)]
pub struct PersonNewArgs {
    /// The person's id: lowercase words joined by `-` (e.g. camille-dupont), the file's name.
    pub id: Option<String>,
    /// Full name, as printed on documents.
    #[arg(long)]
    pub name: Option<String>,
    /// facilitator, coordinator or staff; repeatable or comma-separated.
    #[arg(long = "role", value_name = "ROLE", value_delimiter = ',')]
    pub roles: Vec<String>,
    #[command(flatten)]
    pub details: PersonDetails,
}

#[derive(Debug, Args)]
pub struct PersonEditArgs {
    /// The person's id (file people/ID.yaml).
    pub id: Option<String>,
    /// New full name.
    #[arg(long)]
    pub name: Option<String>,
    /// Give them this role too (facilitator, coordinator or staff); repeatable.
    #[arg(long = "add-role", value_name = "ROLE", value_delimiter = ',')]
    pub add_roles: Vec<String>,
    /// Take this role away; repeatable.
    #[arg(long = "remove-role", value_name = "ROLE", value_delimiter = ',')]
    pub remove_roles: Vec<String>,
    #[command(flatten)]
    pub details: PersonDetails,
}

/// The fields `person new` and `person edit` both set.
#[derive(Debug, Args, Default)]
pub struct PersonDetails {
    /// E-mail address.
    #[arg(long)]
    pub email: Option<String>,
    /// Phone number.
    #[arg(long)]
    pub phone: Option<String>,
    /// Qualification level, one of `levels` in fresk.yaml.
    #[arg(long)]
    pub level: Option<String>,
    /// Their forge login or commit e-mail, for `fresk lint --actor`; repeatable.
    #[arg(long = "git", value_name = "LOGIN")]
    pub git: Vec<String>,
    /// Billing: the legal name they invoice under (e.g. "Camille Dupont EI").
    #[arg(long, help_heading = "Billing (self-billed facilitators)")]
    pub legal_name: Option<String>,
    /// Billing: their SIRET (14 digits).
    #[arg(long, help_heading = "Billing (self-billed facilitators)")]
    pub siret: Option<String>,
    /// Billing: their postal address.
    #[arg(
        long,
        value_name = "ADDRESS",
        help_heading = "Billing (self-billed facilitators)"
    )]
    pub billing_address: Option<String>,
    /// Billing: their VAT regime, franchise (art. 293 B), exempt or standard.
    #[arg(
        long,
        value_name = "REGIME",
        help_heading = "Billing (self-billed facilitators)"
    )]
    pub vat: Option<String>,
    /// Billing: the VAT rate in percent, with --vat standard (e.g. 20).
    #[arg(
        long,
        value_name = "PERCENT",
        help_heading = "Billing (self-billed facilitators)"
    )]
    pub vat_rate: Option<String>,
    /// Billing: the VAT mention printed on their self-invoices (default for franchise: art. 293 B).
    #[arg(
        long,
        value_name = "TEXT",
        help_heading = "Billing (self-billed facilitators)"
    )]
    pub vat_mention: Option<String>,
    /// Billing: the country of their business, ISO code (default FR; only FR is self-billed).
    #[arg(long, help_heading = "Billing (self-billed facilitators)")]
    pub country: Option<String>,
    /// Billing: the date they signed the self-billing mandate (YYYY-MM-DD).
    #[arg(
        long,
        value_name = "DATE",
        help_heading = "Billing (self-billed facilitators)"
    )]
    pub mandate_signed: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum OrganisationCommand {
    /// Add an organisation: organisations/ID.yaml, with what quotes and invoices will need.
    New(OrganisationNewArgs),
    /// Change an organisation's common fields (other fields: edit the file, then `fresk lint`).
    Edit(OrganisationEditArgs),
    /// The client file: identity, contacts, status, requests, quotes, missions, invoices,
    /// payments, interactions, callbacks, complaints, satisfaction, revenue per year.
    Show {
        /// The organisation's id.
        id: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = super::TextOrJson::Text)]
        format: super::TextOrJson,
    },
}

#[derive(Debug, Args)]
pub struct OrganisationNewArgs {
    /// The organisation's id: lowercase words joined by `-` (e.g. biscuiterie-lafont).
    pub id: Option<String>,
    /// Its name, as printed on quotes and invoices.
    #[arg(long)]
    pub name: Option<String>,
    /// business, education, public or non-profit.
    #[arg(long)]
    pub sector: Option<String>,
    #[command(flatten)]
    pub details: OrganisationDetails,
}

#[derive(Debug, Args)]
pub struct OrganisationEditArgs {
    /// The organisation's id (file organisations/ID.yaml).
    pub id: Option<String>,
    /// New name.
    #[arg(long)]
    pub name: Option<String>,
    /// New sector: business, education, public or non-profit.
    #[arg(long)]
    pub sector: Option<String>,
    #[command(flatten)]
    pub details: OrganisationDetails,
}

/// The fields `organisation new` and `organisation edit` both set.
#[derive(Debug, Args, Default)]
pub struct OrganisationDetails {
    /// Postal address (needed to quote and invoice).
    #[arg(long)]
    pub address: Option<String>,
    /// Country, ISO code (default FR).
    #[arg(long)]
    pub country: Option<String>,
    /// SIREN (9 digits).
    #[arg(long)]
    pub siren: Option<String>,
    /// SIRET (14 digits, starting with the SIREN).
    #[arg(long)]
    pub siret: Option<String>,
    /// Intra-community VAT number.
    #[arg(long)]
    pub vat_number: Option<String>,
    /// A contact, "Name" or "Name <e-mail>"; repeatable (edit adds to the list).
    #[arg(long = "contact", value_name = "NAME [<EMAIL>]")]
    pub contacts: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write fresk.1 and one page per command (fresk-request-new.1, …) to DIR instead of
    /// printing fresk.1.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}
