//! The command line of the client relationship: interactions and callbacks, complaints, the
//! morning agenda.

use super::*;

#[derive(Debug, Subcommand)]
pub enum ContactCommand {
    /// Log an interaction with an organisation (a call, an e-mail, a visit, an event), and the
    /// callback it promises: a line appended to interactions/ORG/YEAR.yaml.
    Log(ContactLogArgs),
}

/// How an interaction happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InteractionChannelArg {
    Phone,
    Email,
    Visit,
    Event,
    Other,
}

#[derive(Debug, Args)]
pub struct ContactLogArgs {
    /// The organisation (id in organisations/).
    pub organisation: String,
    /// How it happened.
    #[arg(long, value_enum)]
    pub channel: InteractionChannelArg,
    /// What was said, in a sentence or two (no personal data beyond the contact's name).
    #[arg(long)]
    pub summary: String,
    /// Who we talked to: the name of one of the organisation's contacts (add them first with
    /// `fresk organisation edit ORG --contact NAME`).
    #[arg(long, value_name = "NAME")]
    pub contact: Option<String>,
    /// The day to call back (YYYY-MM-DD); needs --reason. Replaces the open callback.
    #[arg(long, value_name = "DATE", requires = "reason")]
    pub callback: Option<String>,
    /// What the callback is about.
    #[arg(long, requires = "callback")]
    pub reason: Option<String>,
    /// Who on our side (person id): logged the interaction, and calls back.
    #[arg(long, value_name = "PERSON")]
    pub owner: Option<String>,
    /// This contact measured the client's satisfaction (the call after the first mission).
    #[arg(long)]
    pub satisfaction: bool,
    /// When it happened (default: now), `YYYY-MM-DD HH:MM`.
    #[arg(long, value_name = "DATETIME")]
    pub at: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum CallbackCommand {
    /// The organisation's open callback is done: a line appended to its interactions.
    Done {
        /// The organisation called back (id in organisations/).
        organisation: String,
        /// What came of it.
        #[arg(long)]
        note: Option<String>,
        /// Who called back (person id; default: the callback's owner).
        #[arg(long, value_name = "PERSON")]
        owner: Option<String>,
    },
    /// The open callbacks, by due day.
    List(CallbackListArgs),
}

/// Which callbacks, by due day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DueFilter {
    /// Due today or before.
    Today,
    /// Due within the next 7 days, or before.
    Week,
    /// Due before today.
    Overdue,
}

/// Table (on a terminal) or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum TableOrJson {
    #[default]
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct CallbackListArgs {
    /// Only the callbacks of this person (id).
    #[arg(long, value_name = "PERSON")]
    pub owner: Option<String>,
    /// Only the callbacks due today (and before), this week (and before), or overdue.
    #[arg(long, value_enum)]
    pub due: Option<DueFilter>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableOrJson::Table)]
    pub format: TableOrJson,
}

#[derive(Debug, Subcommand)]
pub enum ComplaintCommand {
    /// Log a client's complaint (state `received`): complaints/YEAR/ID.yaml.
    New {
        /// The organisation complaining (id in organisations/).
        organisation: String,
        /// What the client complains about (no personal data of third parties).
        #[arg(long)]
        summary: String,
        /// The mission concerned.
        #[arg(long)]
        mission: Option<String>,
        /// The session concerned (needs --mission).
        #[arg(long, requires = "mission")]
        session: Option<String>,
        /// The staff member handling it (person id).
        #[arg(long, value_name = "PERSON")]
        owner: Option<String>,
        /// When it was received (default: now), `YYYY-MM-DD HH:MM`.
        #[arg(long, value_name = "DATETIME")]
        received: Option<String>,
    },
    /// The client was told we have it (`received` → `acknowledged`).
    Acknowledge {
        /// The complaint (e.g. C2026-0001).
        complaint: String,
        /// When (default: now), `YYYY-MM-DD HH:MM`.
        #[arg(long, value_name = "DATETIME")]
        at: Option<String>,
    },
    /// An action answers it (`acknowledged` → `resolved`).
    Resolve {
        /// The complaint (e.g. C2026-0001).
        complaint: String,
        /// What was done about it.
        #[arg(long)]
        action: String,
        /// The day (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// The matter is over (`resolved` → `closed`).
    Close {
        /// The complaint (e.g. C2026-0001).
        complaint: String,
        /// The day (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
}

/// How the agenda prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum AgendaFormat {
    #[default]
    Text,
    Json,
    /// An iCalendar file: to-dos with a due day, sessions as events.
    Ics,
}

#[derive(Debug, Args)]
pub struct AgendaArgs {
    /// Only what this person (id) has to do (their callbacks, requests, missions, sessions).
    #[arg(long, value_name = "PERSON")]
    pub person: Option<String>,
    /// The day to look from (default: today).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AgendaFormat::Text)]
    pub format: AgendaFormat,
}

/// Text or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum TextOrJson {
    #[default]
    Text,
    Json,
}
