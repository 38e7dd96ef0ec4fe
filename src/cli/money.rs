//! The command line of the money: payouts, invoices, usage-rights declarations and the exports
//! for the bank and the accountant.

use super::*;

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
    /// Organisations' contacts for a mail merge or an address book: never participants, never
    /// a contact or organisation with `marketing: false`.
    Contacts(ExportContactsArgs),
}

/// `fresk export contacts`.
#[derive(Debug, Args)]
pub struct ExportContactsArgs {
    /// Only organisations with this status today (repeat for several; default: all).
    #[arg(long, value_enum, value_name = "STATUS")]
    pub status: Vec<ContactStatus>,
    /// Only organisations of this sector: business, education, public or non-profit (repeat
    /// for several; default: all).
    #[arg(long, value_name = "SECTOR")]
    pub sector: Vec<String>,
    /// csv (UTF-8 with a byte-order mark, for a spreadsheet or a mail merge) or vcard (vCard
    /// 4.0, for an address book).
    #[arg(long, value_enum)]
    pub format: ContactsFormat,
    /// The file to write (default: standard output).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// An organisation's place in the client relationship, as `--status` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ContactStatus {
    /// Never a client.
    Prospect,
    /// A client now.
    Client,
    /// A client once, not lately.
    Former,
}

/// The format of `fresk export contacts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ContactsFormat {
    Csv,
    Vcard,
}

#[derive(Debug, Subcommand)]
pub enum PayoutCommand {
    /// Request what is due for a mission: computes the lines from held sessions and the rate card.
    Request {
        /// The mission whose held sessions (and coordination, once closed) are requested.
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
        /// The self-invoices' date (default: today).
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
        /// Only payouts in this state (requested, invoiced, ordered, paid…).
        #[arg(long)]
        state: Option<String>,
        /// Only the payouts of this mission.
        #[arg(long, value_name = "MISSION")]
        mission: Option<String>,
        /// Only the payouts with a line for this person.
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
        /// The mission to invoice.
        #[arg(long, value_name = "MISSION")]
        mission: Option<String>,
        /// The client's purchase order or engagement number, printed on the invoice.
        #[arg(long)]
        purchase_order: Option<String>,
    },
    /// On main: give a draft the next number and its dates (→ `issued`).
    Issue {
        /// The draft invoice (e.g. I-M2026-0005).
        invoice: String,
        /// The issue date (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Record that the invoice was sent (→ `sent`).
    Send {
        /// The issued invoice (its number).
        invoice: String,
        /// The day it was sent (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Take the next dunning step on an unpaid invoice past its due date.
    Remind {
        /// The overdue invoice.
        invoice: String,
        /// The day of the reminder (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Record the payment (→ `paid`).
    Pay {
        /// The invoice paid.
        invoice: String,
        /// The day the payment was received (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// The bank reference of the payment.
        #[arg(long)]
        reference: Option<String>,
    },
    /// Draft a credit note cancelling an issued invoice.
    Credit {
        /// The issued invoice the credit note corrects.
        invoice: String,
        /// Why it is corrected, printed on the credit note.
        #[arg(long)]
        reason: Option<String>,
    },
    /// List invoices and credit notes.
    List {
        /// Only invoices in this state (draft, issued, sent, paid…).
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
        /// The request on the introduction track the fee is for.
        #[arg(long, value_name = "REQUEST")]
        request: Option<String>,
        /// The facilitator who declares (default: the request's facilitator).
        #[arg(long, value_name = "PERSON")]
        person: Option<String>,
        /// YYYY-MM.
        #[arg(long)]
        period: Option<String>,
        /// How many sessions were given in the period.
        #[arg(long)]
        sessions: Option<u32>,
        /// How many participants they had.
        #[arg(long)]
        participants: Option<u32>,
        /// Revenue excl. VAT.
        #[arg(long)]
        revenue: Option<String>,
    },
    /// List declarations.
    List {
        /// Only declarations in this state.
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
