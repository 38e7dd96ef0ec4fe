//! The command line, as clap types only (the set-up commands in [`setup`]).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

mod setup;

pub use setup::{
    CiForge, InitArgs, ManArgs, OrganisationCommand, OrganisationDetails, OrganisationEditArgs,
    OrganisationNewArgs, PersonCommand, PersonDetails, PersonEditArgs, PersonNewArgs,
};

/// Run the business side of a facilitator network from plain YAML files kept in git.
#[derive(Debug, Parser)]
#[command(name = "fresk", version = env!("FRESK_VERSION"), about, propagate_version = true)]
pub struct Cli {
    /// Run as if started in DIR (the workspace is found by walking up from there).
    #[arg(short = 'C', long = "workspace", global = true, value_name = "DIR", help_heading = GLOBAL)]
    pub workspace: Option<PathBuf>,

    /// When to use colours: auto (a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, help_heading = GLOBAL)]
    pub color: ColorChoice,

    /// Writing commands: show what would change, as a unified diff, and write nothing.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub dry_run: bool,

    /// Writing commands: commit exactly the files written, with a message saying what happened.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub commit: bool,

    /// Writing commands: commit on a new branch, ready for a pull request (implies --commit;
    /// a name from the change when NAME is omitted).
    #[arg(long, global = true, value_name = "NAME", num_args = 0..=1, default_missing_value = "", help_heading = GLOBAL)]
    pub branch: Option<String>,

    /// Neither read nor write the cache of loaded files, kept in the user's cache folder (also FRESK_NO_CACHE=1).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub no_cache: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// The heading of the options every command takes.
const GLOBAL: &str = "Global options";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check every file of the workspace and every rule across files.
    Lint(LintArgs),
    /// Explain a rule of `fresk lint`: what it finds, why it matters, how to fix it, examples.
    Explain(ExplainArgs),
    /// Print the JSON Schemas of every kind of file, or write them to schema/.
    Schema(SchemaArgs),
    /// Create a new workspace.
    Init(InitArgs),
    /// People of the network (facilitators, coordinators, staff): add one, change their details.
    #[command(subcommand)]
    Person(PersonCommand),
    /// Organisations (clients and prospects): add one, change their details.
    #[command(subcommand)]
    Organisation(OrganisationCommand),
    /// Incoming requests: log, qualify, quote, win or lose, publish, assign.
    #[command(subcommand)]
    Request(RequestCommand),
    /// The published requests open to applications (as `fresk request list --open`).
    Opportunities(OpportunitiesArgs),
    /// Missions: open from a won request, follow, close.
    #[command(subcommand)]
    Mission(MissionCommand),
    /// Sessions: plan before they happen, record attendance, cancel.
    #[command(subcommand)]
    Session(SessionCommand),
    /// Participants of a session (the private roster): import registrations, add, list.
    #[command(subcommand)]
    Participants(ParticipantsCommand),
    /// Payouts to facilitators: request, number self-invoices, record payment.
    #[command(subcommand)]
    Payout(PayoutCommand),
    /// Client invoices and credit notes.
    #[command(subcommand)]
    Invoice(InvoiceCommand),
    /// Usage-rights fee declarations (client introduction).
    #[command(subcommand)]
    Declaration(DeclarationCommand),
    /// Reports from the files: pipeline, missions, payouts, activity.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Render quotes, invoices, credit notes, self-invoices and attendance certificates.
    #[command(subcommand)]
    Render(RenderCommand),
    /// Files for the accountant: a double-entry journal (hledger, beancount), the FEC.
    #[command(subcommand)]
    Export(ExportCommand),
    /// E-mail participants their certificates or the survey link.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Import the answers of the satisfaction survey.
    #[command(subcommand)]
    Survey(SurveyCommand),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the manual page, or write one page per command to a folder.
    Man(ManArgs),
}

/// The plain-text accounting format of `fresk export journal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum JournalFormat {
    Hledger,
    Beancount,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The double-entry journal of invoices, credit notes, self-invoices and payments, for
    /// hledger or beancount.
    Journal {
        /// The journal's format.
        #[arg(long, value_enum)]
        format: JournalFormat,
        /// Only entries dated on or after this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Only entries dated on or before this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// The file to write (default: standard output).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// The FEC (fichier des écritures comptables) of a calendar year, as
    /// `<SIREN>FEC<YYYY>1231.txt`.
    Fec {
        /// The year (the fiscal year is the calendar year).
        #[arg(long, value_name = "YYYY")]
        year: i32,
        /// The folder to write the file in (default: the current folder).
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell.
    pub shell: clap_complete::Shell,
}

/// How `list` commands print: a table on a terminal, or CSV / JSON for other tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ListFormat {
    #[default]
    Table,
    Csv,
    Json,
}

/// Filters and format shared by `list` commands.
#[derive(Debug, Args, Clone, Default)]
pub struct ListArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Only what happens on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only what happens on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum RequestCommand {
    /// Log a new request (state `received`).
    New(RequestNewArgs),
    /// The need is understood and the track chosen (`received` → `qualified`).
    Qualify {
        request: String,
        /// When the first answer was sent (default: now).
        #[arg(long, value_name = "DATETIME")]
        first_response: Option<String>,
    },
    /// Send the quote: lines, validity and the next quote number (`qualified` → `quoted`).
    Quote {
        request: String,
        /// OFFER:QTY or OFFER:QTY:UNIT_PRICE, or LABEL:QTY:UNIT_PRICE for a free line; repeatable.
        #[arg(long = "line", value_name = "OFFER:QTY[:UNIT_PRICE]", required = true)]
        lines: Vec<String>,
        /// Days the quote stays valid (default: quote_validity_days of fresk.yaml).
        #[arg(long)]
        valid_days: Option<u32>,
        /// Date sent (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// The client accepted the quote (`quoted` → `won`).
    Win {
        request: String,
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Closed without work (→ `lost`).
    Lose {
        request: String,
        /// Why it was lost (for the reports).
        #[arg(long)]
        reason: Option<String>,
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Open to applications from coordinators, or facilitators on the introduction track
    /// (`won` or `qualified` introduction → `published`).
    Publish {
        request: String,
        /// The last day to apply (YYYY-MM-DD); later applications are refused.
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
    },
    /// Choose the coordinator (subcontracting) or the facilitator (introduction) among the
    /// applicants (→ `assigned`).
    Assign {
        request: String,
        /// The coordinator (subcontracting), one of the applicants.
        #[arg(long, value_name = "PERSON")]
        coordinator: Option<String>,
        /// The facilitator who contracts directly (introduction), one of the applicants.
        #[arg(long, value_name = "PERSON")]
        facilitator: Option<String>,
        /// Why someone who did not apply is chosen (recorded in the request).
        #[arg(long, value_name = "REASON")]
        without_application: Option<String>,
    },
    /// Apply to take a published request (as its coordinator, or as the facilitator on the
    /// introduction track).
    Apply {
        request: String,
        /// Who applies (person id): usually yourself.
        #[arg(long, value_name = "PERSON")]
        person: Option<String>,
        /// What to tell staff: availability, experience (no personal data of third parties).
        #[arg(long, value_name = "TEXT")]
        message: Option<String>,
        /// The day of the application (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Withdraw an application from a request not yet assigned.
    Withdraw {
        request: String,
        /// Whose application (person id).
        #[arg(long, value_name = "PERSON")]
        person: Option<String>,
    },
    /// List requests (`--open`: the opportunities open to applications).
    List {
        #[arg(long)]
        state: Option<String>,
        #[arg(long)]
        track: Option<String>,
        #[arg(long, value_name = "ORG")]
        organisation: Option<String>,
        /// Only published requests waiting for a coordinator or facilitator (as `fresk
        /// opportunities`).
        #[arg(long)]
        open: bool,
        /// With --open: only what PERSON may apply for (role, level the sector requires,
        /// language).
        #[arg(long = "for", value_name = "PERSON", requires = "open")]
        for_person: Option<String>,
        /// Output format (html: a self-contained page, with --open).
        #[arg(long, value_enum, default_value_t = OpenListFormat::Table)]
        format: OpenListFormat,
        /// Only what happens on or after this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Only what happens on or before this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
    },
    /// Show one request.
    Show { request: String },
}

/// How `request list` and `opportunities` print: the list formats, plus a self-contained HTML
/// page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OpenListFormat {
    #[default]
    Table,
    Csv,
    /// An object with `version` and `opportunities` (or the request rows without --open).
    Json,
    /// A self-contained HTML page a network can publish (with --open).
    Html,
}

/// `fresk opportunities`: the published requests open to applications.
#[derive(Debug, Args)]
pub struct OpportunitiesArgs {
    /// Only what PERSON may apply for (role, level the sector requires, language).
    #[arg(long = "for", value_name = "PERSON")]
    pub for_person: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OpenListFormat::Table)]
    pub format: OpenListFormat,
}

#[derive(Debug, Args)]
pub struct RequestNewArgs {
    /// The organisation (id in organisations/).
    #[arg(long, value_name = "ORG")]
    pub organisation: Option<String>,
    /// subcontracting or introduction.
    #[arg(long)]
    pub track: Option<String>,
    /// email, phone, form, social, visit or other.
    #[arg(long)]
    pub channel: Option<String>,
    /// word-of-mouth, town-hall, internet, event, returning, partner or other.
    #[arg(long)]
    pub origin: Option<String>,
    /// One line describing the need.
    #[arg(long)]
    pub summary: Option<String>,
    #[arg(long)]
    pub participants: Option<u32>,
    #[arg(long)]
    pub language: Option<String>,
    /// The staff member in charge.
    #[arg(long, value_name = "PERSON")]
    pub owner: Option<String>,
    /// When it arrived (default: now).
    #[arg(long, value_name = "DATETIME")]
    pub received: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum MissionCommand {
    /// Open the mission of a won request, copying the accepted quote into the order.
    New {
        #[arg(long, value_name = "REQUEST")]
        request: Option<String>,
        #[arg(long, value_name = "PERSON")]
        coordinator: Option<String>,
        /// Opening date (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// The coordinator's dashboard: ordered, planned, held and cancelled, payouts, what is next.
    Show {
        mission: String,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// List missions.
    List {
        #[arg(long)]
        state: Option<String>,
        #[arg(long, value_name = "PERSON")]
        coordinator: Option<String>,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Close a mission whose sessions are all held or cancelled and requested for payout.
    Close {
        mission: String,
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Record a cost of a mission (travel, room, materials, catering), for its margin.
    Cost {
        /// The mission.
        mission: String,
        /// What it was, e.g. "Train Lyon–Grenoble".
        #[arg(long)]
        label: String,
        /// The amount excl. VAT, e.g. 84.50.
        #[arg(long)]
        amount: String,
        /// travel, room, materials, catering or other (default: other).
        #[arg(long)]
        category: Option<String>,
        /// The deductible VAT charged on it, if any.
        #[arg(long)]
        vat: Option<String>,
        /// Who was paid.
        #[arg(long)]
        supplier: Option<String>,
        /// The day of the expense, YYYY-MM-DD (default: none; the report counts it when the
        /// mission closed, else opened).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Plan a session (before it happens).
    New(SessionNewArgs),
    /// Record a session as held, with its attendance (after its end).
    Hold {
        session: String,
        /// How many participants attended (for a session without a roster).
        #[arg(long, conflicts_with_all = ["present", "from_roster"])]
        attended: Option<u32>,
        /// A participant of the roster who attended, by name or e-mail (repeatable;
        /// NAME|EMAIL@HALF-DAYS, e.g. `ada@x.org@2026-06-10 am`, for some half-days only).
        #[arg(long, value_name = "NAME|EMAIL", conflicts_with = "from_roster")]
        present: Vec<String>,
        /// Count the attendees already marked in the roster (`attended`, `half_days`).
        #[arg(long)]
        from_roster: bool,
        /// Aggregate satisfaction score (0–5).
        #[arg(long)]
        satisfaction: Option<String>,
    },
    /// Cancel a planned session.
    Cancel {
        session: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Take an open seat on a planned session of an open mission.
    Join {
        session: String,
        /// Who takes the seat (person id): usually yourself.
        #[arg(long, value_name = "PERSON")]
        person: Option<String>,
        /// lead or co (default: the session's `open_role`, else co).
        #[arg(long)]
        role: Option<String>,
        /// paid, internal or volunteer (default: paid).
        #[arg(long)]
        status: Option<String>,
    },
    /// Leave a seat on a planned session before it starts; the seat opens again.
    Leave {
        session: String,
        /// Who leaves (person id).
        #[arg(long, value_name = "PERSON")]
        person: Option<String>,
    },
    /// List sessions (`--format ics`: an iCalendar file to subscribe to, e.g. with --person).
    List {
        /// Only planned sessions still to come with a seat open to facilitators.
        #[arg(long)]
        open: bool,
        #[arg(long, value_name = "MISSION")]
        mission: Option<String>,
        #[arg(long, value_name = "PERSON")]
        person: Option<String>,
        #[arg(long)]
        state: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = SessionListFormat::Table)]
        format: SessionListFormat,
        /// Only what happens on or after this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Only what happens on or before this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ParticipantsCommand {
    /// Merge registrations from a form export (CSV) into the session's private roster.
    Import {
        /// The session, by id (e.g. M2026-0005-S08).
        session: String,
        /// The CSV file: columns found by header (name, or first and last name; email;
        /// organisation; phone), `,` `;` or tab separated, UTF-8 or Latin-1.
        #[arg(long, value_name = "FILE")]
        csv: PathBuf,
    },
    /// Add one participant to the session's private roster.
    Add {
        /// The session, by id (e.g. M2026-0005-S08).
        session: String,
        /// Their full name.
        #[arg(long)]
        name: String,
        /// Their e-mail (certificates and surveys are sent there).
        #[arg(long)]
        email: String,
        /// Their employer or organisation.
        #[arg(long)]
        organisation: Option<String>,
        /// Their phone number.
        #[arg(long)]
        phone: Option<String>,
    },
    /// Record the result of the evaluation of what a participant learnt (in the roster), and
    /// the anonymous counts in the session file.
    Evaluate {
        /// The session, by id (e.g. M2026-0005-S08).
        session: String,
        /// The participant, by e-mail or name.
        #[arg(long, value_name = "NAME|EMAIL")]
        participant: String,
        /// acquired, partially, not-acquired, or a score such as 14/20.
        #[arg(long)]
        result: String,
    },
    /// List the participants of the session's roster.
    List {
        /// The session, by id (e.g. M2026-0005-S08).
        session: String,
        /// Output format (JSON: an object with `version`).
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
}

/// How `session list` prints: the list formats, plus an iCalendar file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum SessionListFormat {
    #[default]
    Table,
    Csv,
    Json,
    /// iCalendar (RFC 5545), for calendar applications.
    Ics,
}

/// The period and format every report takes.
/// Reports take the same period and format options as lists.
pub type ReportArgs = ListArgs;

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The pipeline: requests by month, channel, origin, track and sector; conversion; lost
    /// reasons; response and quote times; requests past the SLA, quotes past validity.
    Requests(ReportArgs),
    /// Per mission and offer: ordered, planned, held, cancelled; revenue ordered and delivered;
    /// participants; satisfaction; coordinators' load.
    Missions(ReportArgs),
    /// What facilitators are owed: due, requested, invoiced, paid, per person and month; who
    /// cannot be self-billed.
    Payouts {
        /// Only this person.
        #[arg(long, value_name = "PERSON")]
        person: Option<String>,
        #[command(flatten)]
        args: ReportArgs,
    },
    /// Delivered activity: hours, sessions, participants and revenue per offer, sector and
    /// month; clients; usage-rights fees; revenue shares.
    Activity(ReportArgs),
    /// The Qualiopi view of held sessions, per offer, facilitator, coordinator and month:
    /// attendees, survey responses and averages, sessions missing evidence, comments.
    Quality(ReportArgs),
    /// The year's figures of the bilan pédagogique et financier: trainees, trainee-hours and
    /// revenue of the training actions, by client or funder and by training objective.
    Bpf {
        /// The calendar year, e.g. 2026.
        #[arg(long, value_name = "YEAR")]
        year: i32,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Shared profit: what each group and the commons receive in a year, by `shares` of the
    /// revenue or of the margin, with the computation.
    Shares {
        /// The calendar year.
        #[arg(long, value_name = "YYYY")]
        year: i32,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
}

/// `fresk survey import SESSION --csv FILE`.
#[derive(Debug, Subcommand)]
pub enum SurveyCommand {
    /// Read a session's answers from the form's CSV export: the raw answers go to
    /// private/surveys/SESSION.yaml, the anonymous summary (responses, average per question,
    /// net promoter score) into the session file.
    Import {
        /// The held session the answers are about.
        #[arg(value_name = "SESSION")]
        session: String,
        /// The form's CSV export (UTF-8 or Latin-1, `,` or `;` separated, one row per answer).
        #[arg(long, value_name = "FILE")]
        csv: PathBuf,
    },
}

/// `fresk mail certificates|survey SESSION`.
#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Send each participant who attended a held session their certificate, as a PDF attached.
    Certificates(MailArgs),
    /// Send each participant who attended a held session the link to the satisfaction survey
    /// (`survey.link` in fresk.yaml).
    Survey(MailArgs),
}

#[derive(Debug, Args)]
pub struct MailArgs {
    /// The held session whose participants (its roster under private/) get the message.
    #[arg(value_name = "SESSION")]
    pub session: String,
    /// Write each message as a `.eml` file in DIR instead of sending it (nothing is recorded
    /// as sent); DIR must be outside the workspace or under private/.
    #[arg(long, value_name = "DIR")]
    pub outbox: Option<PathBuf>,
    /// Send again to this address even though the log says it was sent (repeatable).
    #[arg(long, value_name = "EMAIL")]
    pub resend: Vec<String>,
    /// The language of the messages; by default the session's, else the workspace's first.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
}

#[derive(Debug, Args)]
pub struct SessionNewArgs {
    #[arg(long, value_name = "MISSION")]
    pub mission: Option<String>,
    /// The catalogue offer delivered.
    #[arg(long)]
    pub offer: Option<String>,
    /// YYYY-MM-DD HH:MM in the workspace time zone.
    #[arg(long, value_name = "DATETIME")]
    pub start: Option<String>,
    /// YYYY-MM-DD HH:MM, or HH:MM on the start's day (default: start + the offer's hours).
    #[arg(long, value_name = "DATETIME")]
    pub end: Option<String>,
    /// PERSON[:lead|co|referent|mission[:paid|internal|volunteer]]; repeatable, the first is the lead by default.
    #[arg(long = "facilitator", value_name = "PERSON[:ROLE[:STATUS]]")]
    pub facilitators: Vec<String>,
    #[arg(long)]
    pub location: Option<String>,
    #[arg(long, conflicts_with = "location")]
    pub online: bool,
    #[arg(long)]
    pub expected: Option<u32>,
    #[arg(long)]
    pub language: Option<String>,
    /// Seats open to further facilitators, who take them with `fresk session join`.
    #[arg(long, value_name = "N")]
    pub open_seats: Option<u32>,
    /// The role of the open seats: lead or co (default: co).
    #[arg(long, value_name = "ROLE", requires = "open_seats")]
    pub open_role: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum PayoutCommand {
    /// Request what is due for a mission: computes the lines from held sessions and the rate card.
    Request {
        #[arg(long, value_name = "MISSION")]
        mission: Option<String>,
        /// The month of the request, YYYY-MM (default: this month).
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<String>,
    },
    /// On main: number the self-invoices of requested payouts (→ `invoiced`).
    Invoice {
        /// Only these payouts (default: every `requested` payout).
        #[arg(long = "payout", value_name = "PAYOUT")]
        payouts: Vec<String>,
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Write a SEPA credit-transfer file (pain.001.001.09) for invoiced payouts, one transfer per
    /// self-invoice, and mark them `ordered`.
    Transfer {
        /// The payouts to pay (each `invoiced`); repeat the flag for several.
        #[arg(long = "payout", value_name = "PAYOUT", required = true)]
        payouts: Vec<String>,
        /// The day the bank should execute the transfers, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        execution_date: Option<String>,
        /// The XML file to write (e.g. transfers.xml), for the bank's upload page.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: std::path::PathBuf,
    },
    /// Record the payment of an invoiced or ordered payout (→ `paid`).
    Pay {
        /// The payout paid (not with --bank-statement).
        #[arg(required_unless_present = "bank_statement")]
        payout: Option<String>,
        /// The payment date.
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// The payment reference (transfer label, cheque number).
        #[arg(long)]
        reference: Option<String>,
        /// A CSV bank export (date, amount, label): the ordered or invoiced payouts it shows paid
        /// — by self-invoice number or transfer-file message id, and amount — are marked paid.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["payout", "date", "reference"])]
        bank_statement: Option<std::path::PathBuf>,
    },
    /// List payouts.
    List {
        #[arg(long)]
        state: Option<String>,
        #[arg(long, value_name = "MISSION")]
        mission: Option<String>,
        #[arg(long, value_name = "PERSON")]
        person: Option<String>,
        #[command(flatten)]
        list: ListArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum InvoiceCommand {
    /// Draft the client invoice of a closed mission (quantities held).
    Draft {
        #[arg(long, value_name = "MISSION")]
        mission: Option<String>,
        #[arg(long)]
        purchase_order: Option<String>,
    },
    /// On main: give a draft the next number and its dates (→ `issued`).
    Issue {
        invoice: String,
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Record that the invoice was sent (→ `sent`).
    Send {
        invoice: String,
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Take the next dunning step on an unpaid invoice past its due date.
    Remind {
        invoice: String,
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Record the payment (→ `paid`).
    Pay {
        invoice: String,
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        #[arg(long)]
        reference: Option<String>,
    },
    /// Draft a credit note cancelling an issued invoice.
    Credit {
        invoice: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// List invoices and credit notes.
    List {
        #[arg(long)]
        state: Option<String>,
        #[command(flatten)]
        list: ListArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum DeclarationCommand {
    /// Declare revenue made directly with a client; the fee is computed.
    New {
        #[arg(long, value_name = "REQUEST")]
        request: Option<String>,
        #[arg(long, value_name = "PERSON")]
        person: Option<String>,
        /// YYYY-MM.
        #[arg(long)]
        period: Option<String>,
        #[arg(long)]
        sessions: Option<u32>,
        #[arg(long)]
        participants: Option<u32>,
        /// Revenue excl. VAT.
        #[arg(long)]
        revenue: Option<String>,
    },
    /// List declarations.
    List {
        #[arg(long)]
        state: Option<String>,
        #[command(flatten)]
        list: ListArgs,
    },
    /// On main: issue a facilitator's usage-rights fee invoice — their declared fees, oldest
    /// first, until `usage_rights.min_invoice` is reached — and mark them `invoiced`.
    Invoice {
        /// The facilitator whose declared fees are invoiced.
        #[arg(long, value_name = "PERSON")]
        person: String,
        /// The organisation (id) the invoice is addressed to: the facilitator's business
        /// (default: the organisation `<person>` or `<person>-ei`).
        #[arg(long, value_name = "ORG")]
        organisation: Option<String>,
        /// The issue date (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Only report findings in these files or folders (the whole workspace is still checked).
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Exit with 1 on warnings too.
    #[arg(long)]
    pub strict: bool,

    /// List every rule with its id, family, severity and description, then exit.
    #[arg(long)]
    pub rules: bool,

    /// Also check what changed since REV (a branch, tag or commit; in CI the target branch):
    /// lifecycle steps, closed missions, issued documents, numbering, late sessions, payouts.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,

    /// Check each change against what WHO may do (forge login or commit e-mail, as listed under
    /// `git:` in people/); needs --base.
    #[arg(long, value_name = "WHO", requires = "base")]
    pub actor: Option<String>,

    /// The branch where legal numbers are assigned; with --base, numbers added anywhere else
    /// are findings.
    #[arg(long, value_name = "NAME", default_value = "main")]
    pub main_branch: String,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule's id, as findings name it (e.g. double-booked); `fresk lint --rules` lists them.
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub rule: Option<String>,

    /// Every rule, by family.
    #[arg(long)]
    pub all: bool,

    /// Output format: text, or markdown (docs/rules.md is `fresk explain --all --format
    /// markdown`).
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Text,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write schema/<kind>.schema.json (in the current folder, or -C DIR) instead of printing.
    #[arg(long)]
    pub write: bool,

    /// Folder to write into (default: schema/ under the workspace, or the current folder).
    #[arg(long, value_name = "DIR", requires = "write")]
    pub out: Option<PathBuf>,
}

/// The documents `fresk render` makes.
#[derive(Debug, Subcommand)]
pub enum RenderCommand {
    /// A request's quote (devis), by request id or quote number.
    Quote {
        #[arg(required = true, value_name = "REQUEST")]
        ids: Vec<String>,
        #[command(flatten)]
        out: RenderArgs,
    },
    /// The self-invoices of payouts (one per facilitator), by payout id or self-invoice number.
    SelfInvoice {
        #[arg(required = true, value_name = "PAYOUT")]
        ids: Vec<String>,
        /// Only this facilitator's self-invoice.
        #[arg(long, value_name = "PERSON")]
        person: Option<String>,
        #[command(flatten)]
        out: RenderArgs,
    },
    /// Client invoices and credit notes, by number.
    #[command(visible_alias = "credit-note")]
    Invoice {
        #[arg(required = true, value_name = "INVOICE")]
        ids: Vec<String>,
        #[command(flatten)]
        out: RenderArgs,
    },
    /// The sign-in sheet (feuille d'émargement) of sessions: a row per participant of the
    /// roster, a column per half-day; written under private/attendance-sheets/ by default.
    AttendanceSheet {
        /// The sessions, by id.
        #[arg(required = true, value_name = "SESSION")]
        ids: Vec<String>,
        /// Blank rows for walk-ins at the end of the sheet.
        #[arg(long, value_name = "N", default_value_t = 3)]
        blank_rows: usize,
        #[command(flatten)]
        out: RenderArgs,
    },
    /// Attendance certificates of held sessions, one per participant of the private roster.
    Certificate {
        #[arg(required = true, value_name = "SESSION")]
        ids: Vec<String>,
        #[command(flatten)]
        out: RenderArgs,
    },
}

/// Output format of rendered documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocumentFormat {
    Html,
    Pdf,
}

/// Language, format and destination of rendered documents.
#[derive(Debug, Args, Clone)]
pub struct RenderArgs {
    /// Language of the document (default: the first of `languages` in fresk.yaml).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// html (one self-contained file, ready to print on A4) or pdf [default: pdf, or the
    /// extension of -o]
    #[arg(long, value_enum)]
    pub format: Option<DocumentFormat>,
    /// Write the document to FILE (`-` for standard output); only for a single document.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Folder for the documents, each named after its number [default: the current folder;
    /// for certificates, which carry names, private/certificates/ in the workspace].
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    pub out_dir: Option<PathBuf>,
}
