//! The command line, as clap types only.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Run the business side of a facilitator network from plain YAML files kept in git.
#[derive(Debug, Parser)]
#[command(name = "fresk", version, about, propagate_version = true)]
pub struct Cli {
    /// Run as if started in DIR (the workspace is found by walking up from there).
    #[arg(short = 'C', long = "workspace", global = true, value_name = "DIR")]
    pub workspace: Option<PathBuf>,

    /// When to use colours: auto (a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Show what a command would change, as a unified diff, and write nothing.
    #[arg(long, global = true)]
    pub dry_run: bool,

    /// Commit exactly the files a command wrote, with a message saying what happened.
    #[arg(long, global = true)]
    pub commit: bool,

    /// Create and switch to a branch first (a name from the change when NAME is omitted);
    /// with --commit, leaves a branch ready for a pull request.
    #[arg(long, global = true, value_name = "NAME", num_args = 0..=1, default_missing_value = "")]
    pub branch: Option<String>,

    /// Neither read nor write the cache of loaded files, kept in the user's cache folder (also FRESK_NO_CACHE=1).
    #[arg(long, global = true)]
    pub no_cache: bool,

    #[command(subcommand)]
    pub command: Command,
}

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
    /// Incoming requests: log, qualify, quote, win or lose, publish, assign.
    #[command(subcommand)]
    Request(RequestCommand),
    /// Missions: open from a won request, follow, close.
    #[command(subcommand)]
    Mission(MissionCommand),
    /// Sessions: plan before they happen, record attendance, cancel.
    #[command(subcommand)]
    Session(SessionCommand),
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
    /// Print a shell completion script.
    Completions(CompletionsArgs),
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
pub struct InitArgs {
    /// Folder to create the workspace in (default: the current folder).
    pub dir: Option<PathBuf>,
    /// Add the demo data (people, organisations, requests, missions…).
    #[arg(long)]
    pub example: bool,
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
    /// Open to coordinators (`won` or `qualified` introduction → `published`).
    Publish { request: String },
    /// Choose the coordinator (subcontracting) or the facilitator (introduction) (→ `assigned`).
    Assign {
        request: String,
        #[arg(long, value_name = "PERSON")]
        coordinator: Option<String>,
        #[arg(long, value_name = "PERSON")]
        facilitator: Option<String>,
    },
    /// List requests.
    List {
        #[arg(long)]
        state: Option<String>,
        #[arg(long)]
        track: Option<String>,
        #[arg(long, value_name = "ORG")]
        organisation: Option<String>,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Show one request.
    Show { request: String },
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
        #[arg(long)]
        attended: Option<u32>,
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
    /// List sessions (`--format ics`: an iCalendar file to subscribe to, e.g. with --person).
    List {
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
    /// PERSON[:lead|co[:paid|internal|volunteer]]; repeatable, the first is the lead by default.
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
