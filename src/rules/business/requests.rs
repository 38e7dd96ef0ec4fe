//! The deadlines of requests and quotes: the first response within the SLA, and quotes decided
//! before they expire.

use super::fmt_instant;
use crate::diagnostics::{At, Finding};
use crate::model::RequestState;
use crate::rules::Context;
use crate::workspace::Workspace;

// --- quote-expired, response-overdue ------------------------------------------------------

/// When the first response to `r` is due, if it is still awaited: received, unanswered, and a
/// response SLA set (`response-overdue` once it has passed; `valid_until` ends there).
pub(super) fn response_due(
    r: &crate::model::Request,
    cx: &Context,
) -> Option<chrono::DateTime<chrono::Utc>> {
    r.response_due(cx.config?.response_sla_hours, cx.tz)
}

pub(super) fn requests(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    for r in &ws.requests {
        if r.state == RequestState::Quoted
            && let Some(valid_until) = r.quote.as_ref().and_then(|q| q.valid_until)
            && valid_until < cx.today()
        {
            let number = r
                .quote
                .as_ref()
                .and_then(|q| q.number.as_deref())
                .map_or_else(String::new, |n| format!(" {n}"));
            out.push(Finding::new(
                &super::QUOTE_EXPIRED,
                &r.file,
                At::value("quote.valid_until"),
                format!(
                    "quote{number} was valid until {valid_until} and the request is still `quoted`; record the client's decision (fresk request win / lose) or set `state: expired`"
                ),
            ));
        }
        if let Some(due) = response_due(r, cx)
            && cx.is_past(due)
        {
            let hours = cx.config.map_or(0, |c| c.response_sla_hours);
            out.push(Finding::new(
                &super::RESPONSE_OVERDUE,
                &r.file,
                At::value("received"),
                format!(
                    "received {} and not answered yet: the first response was due within {hours} h, by {} (response_sla_hours); answer the client and record `first_response`",
                    r.received,
                    fmt_instant(cx, due)
                ),
            ));
        }
    }
}
