//! The rules of applications and sign-ups: late applications, an assignee who did not apply
//! without a recorded reason, an applicant without the role, more bookings than seats.

use crate::support::*;

const REQUEST: &str = "requests/2026/R2026-0001.yaml";
const S02: &str = "missions/M2026-0001/sessions/M2026-0001-S02.yaml";

/// A second coordinator, to apply beside cleo-coord.
fn with_ada(ws: &Ws) {
    ws.write(
        "people/ada-coord.yaml",
        "id: ada-coord\nname: Ada Coord\nemail: ada@example.org\nroles: [facilitator, coordinator]\n",
    );
}

fn append(ws: &Ws, rel: &str, text: &str) {
    let mut all = ws.read(rel);
    all.push_str(text);
    ws.write(rel, &all);
}

#[test]
fn an_application_after_the_deadline_is_late() {
    let ws = Ws::base();
    append(
        &ws,
        REQUEST,
        "apply_until: 2026-03-08\napplications:\n  - { person: cleo-coord, date: 2026-03-08 }\n  - { person: cleo-coord, date: 2026-03-09 }\n",
    );
    let lint = ws.lint();
    let f = lint.expect("late-application", REQUEST, 24, 33);
    assert!(
        f.message
            .contains("`cleo-coord` applied on 2026-03-09, after the deadline 2026-03-08"),
        "{}",
        f.message
    );
    assert_eq!(lint.of("late-application").len(), 1, "{}", lint.listing());
}

#[test]
fn an_assignee_who_did_not_apply_needs_a_reason() {
    let ws = Ws::base();
    with_ada(&ws);
    append(
        &ws,
        REQUEST,
        "applications:\n  - { person: ada-coord, date: 2026-03-11, message: free in April }\n",
    );
    let lint = ws.lint();
    let f = lint.expect("assigned-without-application", REQUEST, 20, 14);
    assert!(
        f.message.contains(
            "`cleo-coord` is the request's coordinator but did not apply (the applicants are ada-coord)"
        ),
        "{}",
        f.message
    );
    append(
        &ws,
        REQUEST,
        "without_application: the client asked for the coordinator of its last seminar\n",
    );
    ws.lint().expect_clean();
}

#[test]
fn an_assignee_among_the_applicants_passes_and_old_requests_are_left_alone() {
    let ws = Ws::base();
    // No application process recorded (published, nobody applied, no deadline): nothing to say.
    append(&ws, REQUEST, "published: 2026-03-10\n");
    ws.lint().expect_clean();
    append(
        &ws,
        REQUEST,
        "applications:\n  - { person: cleo-coord, date: 2026-03-11 }\n",
    );
    ws.lint().expect_clean();
}

#[test]
fn an_applicant_needs_the_role_they_apply_for_and_must_exist() {
    let ws = Ws::base();
    append(
        &ws,
        REQUEST,
        "applications:\n  - { person: cleo-coord, date: 2026-03-11 }\n  - { person: felix-facil, date: 2026-03-11 }\n  - { person: nobody-here, date: 2026-03-11 }\n",
    );
    let lint = ws.lint();
    let f = lint.expect("missing-role", REQUEST, 23, 15);
    assert!(
        f.message.contains(
            "`felix-facil` is applying to coordinate but has roles [facilitator], not `coordinator`"
        ),
        "{}",
        f.message
    );
    lint.expect("unknown-person", REQUEST, 24, 15);
}

#[test]
fn more_bookings_than_seats_is_over_booked() {
    let ws = Ws::base();
    ws.edit(
        S02,
        "  - { person: cleo-coord, role: lead, status: paid }\n",
        "  - { person: cleo-coord, role: lead, status: paid }\n  - { person: felix-facil, role: co, status: paid }\nseats: 1\n",
    );
    let lint = ws.lint();
    let f = lint.expect("over-booked", S02, 10, 15);
    assert!(
        f.message
            .contains("2 facilitators are booked but the session has 1 seats"),
        "{}",
        f.message
    );
    ws.edit(S02, "seats: 1\n", "seats: 3\nopen_role: co\n");
    ws.lint().expect_clean();
}

#[test]
fn the_owner_takes_the_request_without_applying() {
    let ws = Ws::base();
    ws.edit(
        "people/sam-staff.yaml",
        "roles: [staff]",
        "roles: [staff, coordinator]",
    );
    ws.edit(REQUEST, "coordinator: cleo-coord", "coordinator: sam-staff");
    append(
        &ws,
        REQUEST,
        "applications:\n  - { person: cleo-coord, date: 2026-03-11 }\n",
    );
    ws.lint().expect_none("assigned-without-application");
}

#[test]
fn a_request_names_a_group_of_fresk_yaml() {
    let ws = Ws::base();
    let mut config = ws.read("fresk.yaml");
    config.push_str("groups:\n  - { id: pole-entreprises, name: Pôle entreprises }\n");
    ws.write("fresk.yaml", &config);
    append(&ws, REQUEST, "group: pole-entreprise\n");
    let lint = ws.lint();
    let f = lint.expect("unknown-group", REQUEST, 21, 8);
    assert!(
        f.message
            .contains("no group `pole-entreprise` in fresk.yaml; did you mean `pole-entreprises`?"),
        "{}",
        f.message
    );
    ws.edit(
        REQUEST,
        "group: pole-entreprise\n",
        "group: pole-entreprises\n",
    );
    ws.lint().expect_clean();
}

const S01: &str = "missions/M2026-0001/sessions/M2026-0001-S01.yaml";
const PAYOUT: &str = "payouts/2026/P2026-05-M2026-0001.yaml";

#[test]
fn a_role_the_network_defines_is_paid_from_its_roles() {
    let ws = Ws::base();
    ws.edit(
        S01,
        "person: felix-facil, role: co",
        "person: felix-facil, role: referent",
    );
    ws.edit(
        PAYOUT,
        "person: felix-facil, role: co, amount: 250",
        "person: felix-facil, role: referent, amount: 300",
    );
    let lint = ws.lint();
    let f = lint.expect("undefined-role", S01, 10, 34);
    assert!(
        f.message
            .contains("`felix-facil` is booked as `referent`, a role fresk.yaml does not define"),
        "{}",
        f.message
    );
    // Defined with its pay per kind of offer: the payout line is checked against it.
    ws.edit(
        "fresk.yaml",
        "rates:\n",
        "roles:\n  referent: { workshop: 320, training: 450 }\nrates:\n",
    );
    let lint = ws.lint();
    lint.expect_none("undefined-role");
    let f = lint.expect("payout-amount", PAYOUT, 8, 77);
    assert!(
        f.message
            .contains("a workshop referent is paid 320.00 (roles.referent.workshop in fresk.yaml)"),
        "{}",
        f.message
    );
    ws.edit(
        PAYOUT,
        "role: referent, amount: 300",
        "role: referent, amount: 320",
    );
    ws.lint().expect_clean();
}

#[test]
fn lead_and_co_are_paid_from_rates_unless_roles_say_otherwise() {
    let ws = Ws::base();
    ws.edit(
        "fresk.yaml",
        "rates:\n",
        "roles:\n  co: { training: 400 }\nrates:\n",
    );
    // co on a workshop still pays rates.workshop.co (250): nothing changes.
    ws.lint().expect_clean();
    ws.edit(
        "fresk.yaml",
        "  co: { training: 400 }\n",
        "  co: { workshop: 260 }\n",
    );
    let f = ws.lint();
    let f = f.expect("payout-amount", PAYOUT, 8, 71);
    assert!(
        f.message
            .contains("a workshop co is paid 260.00 (roles.co.workshop"),
        "{}",
        f.message
    );
}
