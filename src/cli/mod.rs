//! The command line, as clap types only (the set-up commands in [`setup`]).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

mod crm;
mod money;
mod setup;
mod work;

pub use crm::*;
pub use money::*;
pub use setup::{
    CiForge, InitArgs, ManArgs, OrganisationCommand, OrganisationDetails, OrganisationEditArgs,
    OrganisationNewArgs, PersonCommand, PersonDetails, PersonEditArgs, PersonNewArgs,
};
pub use work::*;

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
    /// Reports from the files: pipeline, missions, payouts, activity, quality, BPF, shares,
    /// clients.
    Report(Report),
    /// Render quotes, invoices, credit notes, self-invoices, certificates and attendance sheets.
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
    /// Interactions with organisations: log a call, an e-mail, a visit, and its callback.
    #[command(subcommand)]
    Contact(ContactCommand),
    /// Callbacks promised to organisations: list them, mark one done.
    #[command(subcommand)]
    Callback(CallbackCommand),
    /// Client complaints: log, acknowledge, resolve, close.
    #[command(subcommand)]
    Complaint(ComplaintCommand),
    /// The morning screen: what is due today and what to run next.
    Agenda(AgendaArgs),
    /// Print the shell code that completes fresk's commands, options and ids.
    Completions(CompletionsArgs),
    /// Print the manual page, or write one page per command to a folder.
    Man(ManArgs),
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

/// How reports print: tables on a terminal, CSV / JSON for other tools, or one self-contained
/// HTML page with the tables and charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportFormat {
    #[default]
    Table,
    Csv,
    Json,
    Html,
}

/// The period and format every report takes.
#[derive(Debug, Args, Clone, Default)]
pub struct ReportArgs {
    /// Output format: table, csv, json, or html (one self-contained page with charts).
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Only what happens on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only what happens on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
}

/// `fresk report`: the report to compute, and where its CSV tables go.
#[derive(Debug, Args)]
pub struct Report {
    #[command(subcommand)]
    pub command: ReportCommand,
    /// With --format csv: the one table to print, by name (an unknown name lists them). A
    /// report of several tables needs this or --out-dir.
    #[arg(long, global = true, value_name = "NAME", help_heading = CSV_OUTPUT)]
    pub table: Option<String>,
    /// With --format csv: write every table of the report to DIR/NAME.csv (the folder must
    /// exist) instead of printing one.
    #[arg(long, global = true, value_name = "DIR", help_heading = CSV_OUTPUT)]
    pub out_dir: Option<PathBuf>,
}

const CSV_OUTPUT: &str = "CSV output";

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
        /// Output format: table, csv, json, or html (one self-contained page with charts).
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// Shared profit: what each group and the commons receive in a year, by `shares` of the
    /// revenue or of the margin, with the computation.
    Shares {
        /// The calendar year.
        #[arg(long, value_name = "YYYY")]
        year: i32,
        /// Output format: table, csv, json, or html (one self-contained page with charts).
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// The client relationship: organisations by status, conversion from first contact to
    /// client, lost prospects with reasons, clients per year (new, returning, lost), typology,
    /// revenue and hours by client type and month, hours sold per offer, average basket, answers
    /// within the SLA, origins by month and year, satisfaction after the first mission.
    Clients(ReportArgs),
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

    /// The schemas of fresk's JSON outputs (`--format json` of lint, lists, reports…) instead
    /// of those of the files; written as <output>.schema.json (default folder: schema/output).
    #[arg(long)]
    pub outputs: bool,

    /// Folder to write into (default: schema/ under the workspace, or the current folder).
    #[arg(long, value_name = "DIR", requires = "write")]
    pub out: Option<PathBuf>,
}

/// The documents `fresk render` makes.
#[derive(Debug, Subcommand)]
pub enum RenderCommand {
    /// A request's quote (devis), by request id or quote number.
    Quote {
        /// The requests whose quotes to render (or the quote numbers).
        #[arg(required = true, value_name = "REQUEST")]
        ids: Vec<String>,
        #[command(flatten)]
        out: RenderArgs,
    },
    /// The self-invoices of payouts (one per facilitator), by payout id or self-invoice number.
    SelfInvoice {
        /// The payouts whose self-invoices to render (or the self-invoice numbers).
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
        /// The invoices or credit notes to render (their numbers).
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
        /// The held sessions whose attendance certificates to render.
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
    // The bare e-invoice: EN 16931 CII XML (Factur-X profile EN 16931), for invoices, credit
    // notes and self-invoices. (A plain comment: a doc comment would make clap print every
    // argument's help in its long form.)
    Xml,
    // Factur-X: the PDF/A-3 with its e-invoice attached as factur-x.xml.
    Facturx,
}

/// Language, format and destination of rendered documents.
#[derive(Debug, Args, Clone)]
pub struct RenderArgs {
    /// Language of the document (default: the first of `languages` in fresk.yaml).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// html (one self-contained file, ready to print on A4), pdf, xml (the EN 16931 CII
    /// e-invoice of an invoice, credit note or self-invoice) or facturx (the PDF with that XML
    /// attached) [default: facturx for invoices and self-invoices when fresk.yaml says
    /// `einvoicing: facturx`, else pdf; or the extension of -o]
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

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Every argument of every command says what it is in `--help`.
    #[test]
    fn every_argument_is_described() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" || arg.is_hide_set() {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_about().is_none() && sub.get_name() != "help" {
                    missing.push(format!("{path} {} (the command)", sub.get_name()));
                }
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "fresk", &mut missing);
        assert!(missing.is_empty(), "undescribed:\n{}", missing.join("\n"));
    }
}
