//! `illegal-transition`: a changed file's state moves by steps of its lifecycle, directly or one
//! step per commit of the change.

use super::{Compare, Needs, listing};
use crate::diagnostics::{At, Finding};
use crate::lifecycle;
use crate::model::{
    DeclarationState, InvoiceState, MissionState, PayoutState, RequestState, SessionState,
};

/// A state with its lifecycle words, so that states read from history can be typed.
trait State: Copy + PartialEq + std::fmt::Display + 'static {
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;
}

macro_rules! state {
    ($($t:ty),*) => {$(
        impl State for $t {
            const ALL: &'static [Self] = <$t>::ALL;
            fn as_str(self) -> &'static str {
                <$t>::as_str(self)
            }
        }
    )*};
}
state!(
    RequestState,
    MissionState,
    SessionState,
    PayoutState,
    InvoiceState,
    DeclarationState,
    crate::model::ComplaintState
);

/// Check that the file went from `from` (base) to `to` (working tree) by steps of its
/// lifecycle: directly, or through the states its commits since the base recorded, one step
/// per commit. The first step off the lifecycle is the finding.
fn transition<S: State>(
    cmp: &Compare,
    out: &mut Vec<Finding>,
    needs: &mut Needs,
    file: &str,
    kind: &str,
    (from, to): (S, S),
    next: impl Fn(S) -> &'static [S],
) {
    if from == to || next(from).contains(&to) {
        return;
    }
    let steps = match cmp.history.steps(file) {
        Ok(steps) => steps,
        // No commits can make a state that no steps lead to legal: found without them.
        Err(_) if !reachable(from, to, &next) => &[],
        Err(_) => {
            needs.push(format!(
                "{file} goes from `{from}` to `{to}`, which is legal only if its commits took one step each"
            ));
            return;
        }
    };
    // The path through the commits, then the working tree.
    let mut path: Vec<(Option<&str>, S)> = vec![(None, from)];
    for step in steps {
        let Some(state) = S::ALL.iter().copied().find(|s| s.as_str() == step.state) else {
            continue;
        };
        if path.last().is_some_and(|(_, last)| *last != state) {
            path.push((Some(step.commit.as_str()), state));
        }
    }
    if path.last().is_some_and(|(_, last)| *last != to) {
        path.push((None, to));
    }
    let Some((a, b, commit)) = path
        .windows(2)
        .map(|w| (w[0].1, w[1].1, w[1].0))
        .find(|(a, b, _)| !next(*a).contains(b))
    else {
        return; // every commit took one step
    };
    let allowed = if next(a).is_empty() {
        format!("`{a}` is final, nothing follows it")
    } else {
        format!("from `{a}` it may go to {}", listing(next(a)))
    };
    let (what, fix) = match commit {
        Some(c) => (
            format!("commit {c} moves this {kind} from `{a}` to `{b}`"),
            "take one step per commit (each step is a fresk command)".to_string(),
        ),
        None if path.len() > 2 => (
            format!("after the commits since the base, this {kind} goes from `{a}` to `{b}`"),
            format!(
                "take one step at a time (each step is a fresk command) or restore `state: {a}`"
            ),
        ),
        None => (
            format!("this {kind} goes from `{a}` to `{b}`"),
            format!(
                "take one step at a time (each step is a fresk command) or restore `state: {a}`"
            ),
        ),
    };
    out.push(Finding::new(
        &super::ILLEGAL_TRANSITION,
        file,
        At::value("state"),
        format!("{what}, which is not a step of its lifecycle: {allowed}; {fix}"),
    ));
}

/// Can some steps of the lifecycle lead from `from` to `to`?
fn reachable<S: State>(from: S, to: S, next: &impl Fn(S) -> &'static [S]) -> bool {
    let mut seen = vec![from];
    let mut i = 0;
    while let Some(&at) = seen.get(i) {
        for &s in next(at) {
            if s == to {
                return true;
            }
            if !seen.contains(&s) {
                seen.push(s);
            }
        }
        i += 1;
    }
    false
}

pub(super) fn check(cmp: &Compare, out: &mut Vec<Finding>, needs: &mut Needs) {
    let (w, b) = (cmp.work, cmp.base);
    // Each kind's files on both sides: its state's step, by its lifecycle (`next`, which may
    // depend on the file as changed, `y`).
    macro_rules! steps {
        ($($list:ident, $what:literal, |$y:tt| $next:expr;)*) => {$(
            for p in cmp.pairs(&w.$list, &b.$list) {
                if let (Some(x), Some($y)) = (p.base, p.work) {
                    transition(cmp, out, needs, p.file, $what, (x.state, $y.state), $next);
                }
            }
        )*};
    }
    steps! {
        requests, "request", |y| |s| lifecycle::request_next(s, y.track);
        missions, "mission", |y| lifecycle::mission_next;
        sessions, "session", |y| lifecycle::session_next;
        payouts, "payout", |y| lifecycle::payout_next;
        invoices, "invoice", |y| |s| lifecycle::invoice_next(s, y.kind);
        declarations, "declaration", |y| lifecycle::declaration_next;
        complaints, "complaint", |y| lifecycle::complaint_next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reachable_follows_the_lifecycle() {
        let next = lifecycle::session_next;
        assert!(reachable(SessionState::Planned, SessionState::Held, &next));
        assert!(!reachable(SessionState::Held, SessionState::Planned, &next));
        assert!(!reachable(
            SessionState::Cancelled,
            SessionState::Held,
            &next
        ));
        let intro = |s| lifecycle::request_next(s, crate::model::Track::Introduction);
        assert!(reachable(
            RequestState::Qualified,
            RequestState::Assigned,
            &intro
        ));
        assert!(!reachable(
            RequestState::Assigned,
            RequestState::Published,
            &intro
        ));
        assert!(!reachable(
            RequestState::Qualified,
            RequestState::Won,
            &intro
        ));
    }
}
