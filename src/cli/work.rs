//! The command line of the work itself: requests, missions, sessions and their participants,
//! the mail and surveys that follow.

use super::*;

#[derive(Debug, Subcommand)]
pub enum RequestCommand {
    /// Log a new request (state `received`).
    New(RequestNewArgs),
    /// The need is understood and the track chosen (`received` → `qualified`).
    Qualify {
        /// The request (e.g. R2026-0012).
        request: String,
        /// When the first answer was sent (default: now).
        #[arg(long, value_name = "DATETIME")]
        first_response: Option<String>,
    },
    /// Send the quote: lines, validity and the next quote number (`qualified` → `quoted`).
    Quote {
        /// The request to quote.
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
        /// The quoted request the client accepted.
        request: String,
        /// The day the client accepted (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// Why it was won, for the reports.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Closed without work (→ `lost`).
    Lose {
        /// The request that ends without work.
        request: String,
        /// Why it was lost (for the reports).
        #[arg(long)]
        reason: Option<String>,
        /// The day it was lost (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Open to applications from coordinators, or facilitators on the introduction track
    /// (`won` or `qualified` introduction → `published`).
    Publish {
        /// The request to open to coordinators (or facilitators, on the introduction track).
        request: String,
        /// The last day to apply (YYYY-MM-DD); later applications are refused.
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
    },
    /// Choose the coordinator (subcontracting) or the facilitator (introduction) among the
    /// applicants (→ `assigned`).
    Assign {
        /// The published request.
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
        /// The published request to apply for.
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
        /// The request whose application is withdrawn.
        request: String,
        /// Whose application (person id).
        #[arg(long, value_name = "PERSON")]
        person: Option<String>,
    },
    /// List requests (`--open`: the opportunities open to applications).
    List {
        /// Only requests in this state (received, qualified, quoted, won, published, assigned,
        /// lost…).
        #[arg(long)]
        state: Option<String>,
        /// Only this track: subcontracting or introduction.
        #[arg(long)]
        track: Option<String>,
        /// Only the requests of this organisation (id).
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
    Show {
        /// The request to show.
        request: String,
        /// Output format: labelled lines, or JSON (the request's fields and its next steps).
        #[arg(long, value_enum, default_value_t = ShowFormat::Table)]
        format: ShowFormat,
    },
}

/// How `request show` prints: labelled lines, or one JSON object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ShowFormat {
    #[default]
    Table,
    Json,
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
    /// How they heard of us, one of `origins` in fresk.yaml (e.g. word-of-mouth/client, press,
    /// town-hall-website); repeat it for several origins.
    #[arg(long, value_name = "ORIGIN")]
    pub origin: Vec<String>,
    /// One line describing the need.
    #[arg(long)]
    pub summary: Option<String>,
    /// How many participants the client expects.
    #[arg(long)]
    pub participants: Option<u32>,
    /// The language the workshop is wanted in, a code such as fr or en.
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
        /// The request to show.
        /// The won (and published) request the mission delivers.
        #[arg(long, value_name = "REQUEST")]
        request: Option<String>,
        /// Who coordinates it (a person with the coordinator role).
        #[arg(long, value_name = "PERSON")]
        coordinator: Option<String>,
        /// Opening date (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// The coordinator's dashboard: ordered, planned, held and cancelled, payouts, what is next.
    Show {
        /// The mission (e.g. M2026-0005).
        mission: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// List missions.
    List {
        /// Only missions in this state (open, closed, invoiced).
        #[arg(long)]
        state: Option<String>,
        /// Only the missions this person coordinates.
        #[arg(long, value_name = "PERSON")]
        coordinator: Option<String>,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Close a mission whose sessions are all held or cancelled and requested for payout.
    Close {
        /// The mission to close.
        mission: String,
        /// The closing date (default: today).
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
        /// The session that took place (after its end).
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
        /// The planned session to cancel.
        session: String,
        /// Why it was cancelled, kept in its notes.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Take an open seat on a planned session of an open mission.
    Join {
        /// The planned session with an open seat.
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
        /// The planned session to leave.
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
        /// Only the sessions of this mission.
        #[arg(long, value_name = "MISSION")]
        mission: Option<String>,
        /// Only the sessions this person facilitates.
        #[arg(long, value_name = "PERSON")]
        person: Option<String>,
        /// Only sessions in this state (planned, held, cancelled).
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
    /// The open mission the session belongs to.
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
    /// Where it takes place (an address, a room).
    #[arg(long)]
    pub location: Option<String>,
    /// It takes place online (with --location for the link, if any).
    #[arg(long, conflicts_with = "location")]
    pub online: bool,
    /// How many participants are expected.
    #[arg(long)]
    pub expected: Option<u32>,
    /// The language it is given in, a code such as fr or en.
    #[arg(long)]
    pub language: Option<String>,
    /// Seats open to further facilitators, who take them with `fresk session join`.
    #[arg(long, value_name = "N")]
    pub open_seats: Option<u32>,
    /// The role of the open seats: lead or co (default: co).
    #[arg(long, value_name = "ROLE", requires = "open_seats")]
    pub open_role: Option<String>,
}
