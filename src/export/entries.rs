//! The entries of the books, from the workspace: client invoices and credit notes (sales),
//! self-invoices (purchases: facilitators' fees), payments received and made (bank). The
//! journal and the FEC print these same entries.

use crate::model::ledger::{Chart, Entry, Journal, Posting, vat_on};
use crate::model::{Config, Date, InvoiceKind, InvoiceState, Money, PayoutState};
use crate::workspace::Workspace;

/// Every entry dated from `from` to `to` (both included), by date, journal and piece.
pub fn entries(
    ws: &Workspace,
    config: &Config,
    from: Option<Date>,
    to: Option<Date>,
) -> Vec<Entry> {
    let chart = &config.accounts;
    let mut out = Vec::new();
    invoices(ws, config, chart, &mut out);
    payouts(ws, chart, &mut out);
    costs(ws, chart, &mut out);
    out.retain(|e| from.is_none_or(|d| e.date >= d) && to.is_none_or(|d| e.date <= d));
    out.sort_by(|a, b| (a.date, a.journal, &a.piece).cmp(&(b.date, b.journal, &b.piece)));
    out
}

/// A client's auxiliary account: its id and name.
fn client(ws: &Workspace, id: &str) -> Option<(String, String)> {
    let name = ws
        .organisations
        .iter()
        .find(|o| o.id == id)
        .map_or_else(|| id.to_string(), |o| o.name.clone());
    Some((id.to_string(), name))
}

/// A facilitator's auxiliary account: their id and billing name.
fn supplier(ws: &Workspace, id: &str) -> Option<(String, String)> {
    let name = ws.person(id).map_or_else(
        || id.to_string(),
        |p| {
            p.billing
                .as_ref()
                .map_or_else(|| p.name.clone(), |b| b.legal_name.clone())
        },
    );
    Some((id.to_string(), name))
}

/// Issued invoices and credit notes (sales), and their payments (bank).
fn invoices(ws: &Workspace, config: &Config, chart: &Chart, out: &mut Vec<Entry>) {
    for inv in &ws.invoices {
        let Some(issued) = inv.issued.filter(|_| inv.state != InvoiceState::Draft) else {
            continue;
        };
        // The same breakdown as the printed invoice and its e-invoice (VAT per line and rate);
        // an incomplete treatment (lint reports it) counts as no VAT.
        let fee = crate::model::declaration::bills_fees(&ws.declarations, &inv.id);
        let net = inv.total(config);
        let vat = inv
            .breakdown(config, fee, &inv.file)
            .map_or(Money::ZERO, |(b, _)| b.tax);
        let gross = net + vat;
        let aux = client(ws, &inv.organisation);
        let credit_note = inv.kind == InvoiceKind::CreditNote;
        let what = if credit_note { "Avoir" } else { "Facture" };
        let mut postings = vec![
            Posting::debit(&chart.clients, aux.clone(), gross),
            Posting::credit(&chart.sales, None, net),
        ];
        if !vat.is_zero() {
            postings.push(Posting::credit(&chart.vat_collected, None, vat));
        }
        if credit_note {
            postings = postings.into_iter().map(reverse).collect();
        }
        let who = aux.as_ref().map(|a| a.1.clone()).unwrap_or_default();
        out.push(Entry {
            journal: Journal::Sales,
            date: issued,
            piece: inv.id.clone(),
            piece_date: issued,
            label: format!("{what} {} {who}", inv.id),
            postings,
        });
        if let Some(paid) = &inv.paid {
            let mut postings = vec![
                Posting::debit(&chart.bank, None, gross),
                Posting::credit(&chart.clients, aux, gross),
            ];
            if credit_note {
                postings = postings.into_iter().map(reverse).collect();
            }
            out.push(Entry {
                journal: Journal::Bank,
                date: paid.date,
                piece: inv.id.clone(),
                piece_date: issued,
                label: format!("Règlement {} {who}", inv.id),
                postings,
            });
        }
    }
}

/// The missions' costs: a purchase from the supplier (purchases), paid on the same day (bank).
/// A cost without a supplier is bought from `divers`.
fn costs(ws: &Workspace, chart: &Chart, out: &mut Vec<Entry>) {
    for m in &ws.missions {
        for (i, c) in m.costs.iter().enumerate() {
            let date = c.date.or(m.closed).unwrap_or(m.opened);
            let supplier = c
                .supplier
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .unwrap_or("Divers");
            let slug: String = supplier
                .to_lowercase()
                .chars()
                .map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '-' })
                .collect();
            let aux = Some((slug, supplier.to_string()));
            let vat = c.vat.unwrap_or(Money::ZERO);
            let gross = c.amount + vat;
            let piece = format!("{}-F{:02}", m.id, i + 1);
            let mut postings = vec![Posting::debit(&chart.costs, None, c.amount)];
            if !vat.is_zero() {
                postings.push(Posting::debit(&chart.vat_deductible, None, vat));
            }
            postings.push(Posting::credit(&chart.suppliers, aux.clone(), gross));
            out.push(Entry {
                journal: Journal::Purchases,
                date,
                piece: piece.clone(),
                piece_date: date,
                label: format!("Frais {} ({}) {}", m.id, c.category, c.label),
                postings,
            });
            out.push(Entry {
                journal: Journal::Bank,
                date,
                piece,
                piece_date: date,
                label: format!("Paiement frais {} {supplier}", m.id),
                postings: vec![
                    Posting::debit(&chart.suppliers, aux, gross),
                    Posting::credit(&chart.bank, None, gross),
                ],
            });
        }
    }
}

/// A posting the other way round (a credit note reverses an invoice).
fn reverse(p: Posting) -> Posting {
    Posting {
        debit: p.credit,
        credit: p.debit,
        ..p
    }
}

/// Self-invoices of numbered payouts (purchases), and the payments of paid payouts (bank).
fn payouts(ws: &Workspace, chart: &Chart, out: &mut Vec<Entry>) {
    for p in &ws.payouts {
        if matches!(p.state, PayoutState::Requested | PayoutState::Rejected) {
            continue;
        }
        let mut paid_postings = Vec::new();
        let mut paid_total = Money::ZERO;
        for si in &p.self_invoices {
            let aux = supplier(ws, &si.person);
            let vat = ws
                .person(&si.person)
                .and_then(|x| x.billing.as_ref())
                .map_or(Money::ZERO, |b| vat_on(&b.vat, si.total));
            let gross = si.total + vat;
            let mut postings = vec![Posting::debit(&chart.fees, None, si.total)];
            if !vat.is_zero() {
                postings.push(Posting::debit(&chart.vat_deductible, None, vat));
            }
            postings.push(Posting::credit(&chart.suppliers, aux.clone(), gross));
            let who = aux.as_ref().map(|a| a.1.clone()).unwrap_or_default();
            out.push(Entry {
                journal: Journal::Purchases,
                date: si.issued,
                piece: si.number.clone(),
                piece_date: si.issued,
                label: format!("Auto-facture {} {who} ({})", si.number, p.mission),
                postings,
            });
            paid_postings.push(Posting::debit(&chart.suppliers, aux, gross));
            paid_total += gross;
        }
        if let (PayoutState::Paid, Some(paid)) = (p.state, &p.paid)
            && !paid_postings.is_empty()
        {
            paid_postings.push(Posting::credit(&chart.bank, None, paid_total));
            out.push(Entry {
                journal: Journal::Bank,
                date: paid.date,
                piece: p.id.clone(),
                piece_date: p
                    .self_invoices
                    .iter()
                    .map(|s| s.issued)
                    .max()
                    .unwrap_or(paid.date),
                label: format!("Paiement {} ({})", p.id, p.mission),
                postings: paid_postings,
            });
        }
    }
}
