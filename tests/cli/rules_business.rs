//! Business rules: each triggered at its exact position, with a message that names the values
//! found and expected, and silent on the valid case next to it.

use crate::support::*;

const CONFIG: &str = "fresk.yaml";
const S01: &str = "missions/M2026-0001/sessions/M2026-0001-S01.yaml";
const S02: &str = "missions/M2026-0001/sessions/M2026-0001-S02.yaml";
const S03: &str = "missions/M2026-0001/sessions/M2026-0001-S03.yaml";
const S04: &str = "missions/M2026-0001/sessions/M2026-0001-S04.yaml";
const PAYOUT: &str = "payouts/2026/P2026-05-M2026-0001.yaml";
const PAYOUT_JUNE: &str = "payouts/2026/P2026-06-M2026-0001.yaml";
const MISSION: &str = "missions/M2026-0001/mission.yaml";
const REQUEST: &str = "requests/2026/R2026-0001.yaml";
const REQUEST2: &str = "requests/2026/R2026-0002.yaml";
const DECLARATION: &str = "declarations/2026/U2026-0001.yaml";

/// A session of M2026-0001 on `day` (YYYY-MM-DD) from `from` to `to` (HH:MM); the facilitators
/// are flow mappings, one per line from line 8.
fn session(id: &str, state: &str, day: &str, from: &str, to: &str, people: &[&str]) -> String {
    let mut text = format!(
        "id: {id}\nmission: M2026-0001\nstate: {state}\noffer: workshop-onsite\nstart: {day} {from}\nend: {day} {to}\nfacilitators:\n"
    );
    for p in people {
        text.push_str(&format!("  - {{ {p} }}\n"));
    }
    text.push_str("participants:\n  expected: 15\n");
    if state == "held" {
        text.push_str("  attended: 12\n");
    }
    text
}

/// A payout of M2026-0001; its lines are flow mappings, one per line from line 7.
fn payout(id: &str, state: &str, requested: &str, lines: &[&str]) -> String {
    let mut text = format!(
        "id: {id}\nmission: M2026-0001\nstate: {state}\nrequested_by: cleo-coord\nrequested: {requested}\nlines:\n"
    );
    for l in lines {
        text.push_str(&format!("  - {{ {l} }}\n"));
    }
    if state == "rejected" {
        text.push_str("rejection: { reason: attendance sheets missing }\n");
    }
    text
}

const FELIX_S01: &str = "session: M2026-0001-S01, person: felix-facil, role: co, amount: 250";
const CLEO_S01: &str = "session: M2026-0001-S01, person: cleo-coord, role: lead, amount: 500";

/// Close M2026-0001 on 2026-06-01: S02 cancelled, S01 (held) fully requested.
fn closed(ws: &Ws) {
    ws.edit(MISSION, "state: open\n", "state: closed\n");
    ws.edit(
        MISSION,
        "  - { offer: workshop-onsite, quantity: 3, unit_price: 1200 }\n",
        "  - { offer: workshop-onsite, quantity: 3, unit_price: 1200 }\nclosed: 2026-06-01\n",
    );
    ws.edit(S02, "state: planned", "state: cancelled");
}

// --- missing-role -------------------------------------------------------------------------

#[test]
fn facilitator_without_the_facilitator_role() {
    let ws = Ws::base();
    ws.edit(
        "people/felix-facil.yaml",
        "roles: [facilitator]",
        "roles: [staff]",
    );
    let lint = ws.lint();
    let f = lint.expect("missing-role", S01, 10, 15);
    assert!(
        f.message.contains("`felix-facil`")
            && f.message.contains("roles [staff]")
            && f.message.contains("not `facilitator`")
            && f.message.contains("people/felix-facil.yaml"),
        "{}",
        f.message
    );
    assert_eq!(lint.of("missing-role").len(), 1, "{}", lint.listing());
}

#[test]
fn coordinators_without_the_coordinator_role() {
    let ws = Ws::base();
    ws.edit(
        MISSION,
        "coordinator: cleo-coord",
        "coordinator: felix-facil",
    );
    ws.edit(
        REQUEST,
        "coordinator: cleo-coord",
        "coordinator: felix-facil",
    );
    let lint = ws.lint();
    let f = lint.expect("missing-role", MISSION, 6, 14);
    assert!(f.message.contains("not `coordinator`"), "{}", f.message);
    lint.expect("missing-role", REQUEST, 20, 14);
}

#[test]
fn staff_list_and_request_owner_need_the_staff_role() {
    let ws = Ws::base();
    ws.edit(
        CONFIG,
        "staff: [sam-staff]",
        "staff: [sam-staff, cleo-coord]",
    );
    ws.edit(REQUEST, "owner: sam-staff", "owner: felix-facil");
    let lint = ws.lint();
    let f = lint.expect("missing-role", CONFIG, 12, 20);
    assert!(
        f.message.contains("listed as staff")
            && f.message.contains("roles [facilitator, coordinator]"),
        "{}",
        f.message
    );
    lint.expect("missing-role", REQUEST, 8, 8);
    assert_eq!(lint.of("missing-role").len(), 2, "{}", lint.listing());
}

#[test]
fn roles_are_not_checked_on_unknown_people() {
    let ws = Ws::base();
    ws.edit(S01, "person: felix-facil", "person: nobody");
    let lint = ws.lint();
    lint.expect("unknown-person", S01, 10, 15);
    lint.expect_none("missing-role");
}

// --- level-too-low ------------------------------------------------------------------------

fn with_levels(ws: &Ws) {
    ws.edit(
        CONFIG,
        "volunteer_sectors: [education]\n",
        "volunteer_sectors: [education]\nlevels: [yellow, orange, green]\nrequirements:\n  business: { coordinate: green, facilitate: orange }\n",
    );
}

#[test]
fn coordinator_and_facilitator_below_the_sector_level() {
    let ws = Ws::base();
    with_levels(&ws);
    ws.edit("people/cleo-coord.yaml", "roles:", "level: orange\nroles:");
    ws.edit("people/felix-facil.yaml", "roles:", "level: yellow\nroles:");
    let lint = ws.lint();
    let f = lint.expect("level-too-low", MISSION, 6, 14);
    assert!(
        f.message.contains("`cleo-coord` is level `orange`")
            && f.message.contains("`green` or higher")
            && f.message.contains("requirements.business.coordinate"),
        "{}",
        f.message
    );
    let f = lint.expect("level-too-low", S01, 10, 15);
    assert!(
        f.message.contains("`felix-facil` is level `yellow`")
            && f.message.contains("`orange` or higher"),
        "{}",
        f.message
    );
    // cleo (orange) may facilitate business sessions.
    assert_eq!(lint.of("level-too-low").len(), 2, "{}", lint.listing());
}

#[test]
fn a_person_without_a_level_is_too_low_where_a_level_is_required() {
    let ws = Ws::base();
    with_levels(&ws);
    ws.edit("people/cleo-coord.yaml", "roles:", "level: green\nroles:");
    let lint = ws.lint();
    let f = lint.expect("level-too-low", S01, 10, 15);
    assert!(
        f.message.contains("`felix-facil` has no level"),
        "{}",
        f.message
    );
    assert_eq!(lint.of("level-too-low").len(), 1, "{}", lint.listing());
}

#[test]
fn levels_at_or_above_the_requirement_pass() {
    let ws = Ws::base();
    with_levels(&ws);
    ws.edit("people/cleo-coord.yaml", "roles:", "level: green\nroles:");
    ws.edit("people/felix-facil.yaml", "roles:", "level: orange\nroles:");
    ws.lint().expect_none("level-too-low");
    // No requirement for the mission's sector: no level needed at all.
    let ws = Ws::base();
    with_levels(&ws);
    ws.edit(MISSION, "sector: business", "sector: public");
    ws.lint().expect_none("level-too-low");
}

// --- bad-shares ---------------------------------------------------------------------------

#[test]
fn catalogue_shares_over_100_percent() {
    let ws = Ws::base();
    ws.edit(
        CONFIG,
        "    unit_price: 1200\n",
        "    unit_price: 1200\n    shares: { kitchen: 60, garden: 50, commons: rest }\n",
    );
    let lint = ws.lint();
    let f = lint.expect("bad-shares", CONFIG, 19, 5);
    assert!(
        f.message.contains("offer `workshop-onsite`")
            && f.message.contains("total 110%")
            && f.message.contains("may not exceed 100"),
        "{}",
        f.message
    );
}

#[test]
fn mission_shares_with_rest_twice_and_a_negative_share() {
    let ws = Ws::base();
    ws.write(
        MISSION,
        &(ws.read(MISSION) + "shares:\n  kitchen: -10\n  commons: rest\n  garden: rest\n"),
    );
    let lint = ws.lint();
    let f = lint.expect("bad-shares", MISSION, 11, 12);
    assert!(f.message.contains("-10%"), "{}", f.message);
    let f = lint.expect("bad-shares", MISSION, 13, 11);
    assert!(
        f.message.contains("`commons` already takes the rest"),
        "{}",
        f.message
    );
    assert_eq!(lint.of("bad-shares").len(), 2, "{}", lint.listing());
}

#[test]
fn shares_up_to_100_with_one_rest_are_fine() {
    let ws = Ws::base();
    ws.edit(
        CONFIG,
        "    unit_price: 1200\n",
        "    unit_price: 1200\n    shares: { kitchen: 62.5, garden: 37.5, commons: rest }\n",
    );
    ws.write(
        MISSION,
        &(ws.read(MISSION) + "shares: { kitchen: 20, commons: rest }\n"),
    );
    ws.lint().expect_none("bad-shares");
}

// --- session-times ------------------------------------------------------------------------

#[test]
fn session_ending_before_it_starts() {
    let ws = Ws::base();
    ws.edit(S02, "end: 2026-07-02 12:00", "end: 2026-07-02 08:00");
    let lint = ws.lint();
    let f = lint.expect("session-times", S02, 6, 6);
    assert!(
        f.message.contains("2026-07-02 08:00") && f.message.contains("2026-07-02 09:00"),
        "{}",
        f.message
    );
}

#[test]
fn session_held_before_its_end() {
    let ws = Ws::base();
    ws.edit(S02, "state: planned", "state: held");
    ws.edit(S02, "  expected: 15\n", "  expected: 15\n  attended: 14\n");
    let lint = ws.lint();
    let f = lint.expect("session-times", S02, 3, 8);
    assert!(
        f.message.contains("ends at 2026-07-02 12:00") && f.message.contains("2026-06-15 00:00"),
        "{}",
        f.message
    );
}

#[test]
fn session_times_allow_any_duration_and_a_session_ended_today() {
    let ws = Ws::base();
    // Four hours for a three-hour offer is not a rule.
    ws.edit(S01, "end: 2026-04-14 12:00", "end: 2026-04-14 13:00");
    ws.lint().expect_none("session-times");
    let ws = Ws::base();
    ws.edit(S02, "state: planned", "state: held");
    ws.edit(S02, "  expected: 15\n", "  expected: 15\n  attended: 14\n");
    ws.edit(S02, "start: 2026-07-02 09:00", "start: 2026-06-15 09:00");
    ws.edit(S02, "end: 2026-07-02 12:00", "end: 2026-06-15 12:00");
    let lint = ws
        .command()
        .args(["lint", "--format", "json"])
        .env("FRESK_NOW", "2026-06-15 12:30")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&lint.stdout).unwrap();
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.contains(&"session-times"), "{json}");
}

// --- over-planned -------------------------------------------------------------------------

#[test]
fn more_sessions_planned_than_ordered() {
    let ws = Ws::base();
    let lead = "person: felix-facil, role: lead, status: paid";
    ws.write(
        S03,
        &session(
            "M2026-0001-S03",
            "planned",
            "2026-07-09",
            "09:00",
            "12:00",
            &[lead],
        ),
    );
    ws.write(
        S04,
        &session(
            "M2026-0001-S04",
            "planned",
            "2026-07-16",
            "09:00",
            "12:00",
            &[lead],
        ),
    );
    let lint = ws.lint();
    let f = lint.expect("over-planned", S04, 4, 8);
    assert_eq!(f.severity, "warning");
    assert!(
        f.message.contains("ordered 3 × `workshop-onsite`")
            && f.message.contains("4th session")
            && f.message.contains(MISSION),
        "{}",
        f.message
    );
    assert_eq!(lint.of("over-planned").len(), 1, "{}", lint.listing());
    assert_eq!(
        lint.code,
        0,
        "a warning alone does not fail: {}",
        lint.listing()
    );
}

#[test]
fn cancelled_sessions_do_not_count_as_planned() {
    let ws = Ws::base();
    let lead = "person: felix-facil, role: lead, status: paid";
    ws.write(
        S03,
        &session(
            "M2026-0001-S03",
            "cancelled",
            "2026-07-09",
            "09:00",
            "12:00",
            &[lead],
        ),
    );
    ws.write(
        S04,
        &session(
            "M2026-0001-S04",
            "planned",
            "2026-07-16",
            "09:00",
            "12:00",
            &[lead],
        ),
    );
    ws.lint().expect_none("over-planned");
}

#[test]
fn a_session_of_an_offer_not_ordered_is_over_planned() {
    let ws = Ws::base();
    ws.edit(S02, "offer: workshop-onsite", "offer: training-day");
    let f = ws.lint().expect("over-planned", S02, 4, 8).clone();
    assert!(
        f.message.contains("did not order `training-day`"),
        "{}",
        f.message
    );
}

// --- volunteer-not-allowed ----------------------------------------------------------------

#[test]
fn volunteer_on_a_business_mission() {
    let ws = Ws::base();
    ws.edit(
        S01,
        "person: felix-facil, role: co, status: paid",
        "person: felix-facil, role: co, status: volunteer",
    );
    let lint = ws.lint();
    let f = lint.expect("volunteer-not-allowed", S01, 10, 46);
    assert!(
        f.message.contains("sector business") && f.message.contains("only on education"),
        "{}",
        f.message
    );
}

#[test]
fn volunteer_on_an_education_mission_is_fine() {
    let ws = Ws::base();
    ws.edit(MISSION, "sector: business", "sector: education");
    ws.edit(
        S02,
        "person: cleo-coord, role: lead, status: paid",
        "person: cleo-coord, role: lead, status: volunteer",
    );
    ws.lint().expect_none("volunteer-not-allowed");
}

// --- double-booked ------------------------------------------------------------------------

#[test]
fn a_person_on_two_overlapping_sessions() {
    let ws = Ws::base();
    ws.write(
        S03,
        &session(
            "M2026-0001-S03",
            "planned",
            "2026-07-02",
            "11:00",
            "14:00",
            &[
                "person: cleo-coord, role: co, status: paid",
                "person: felix-facil, role: lead, status: paid",
            ],
        ),
    );
    let lint = ws.lint();
    // S03 starts later than S02: the finding is on S03's booking of cleo-coord.
    let f = lint.expect("double-booked", S03, 8, 15);
    assert_eq!(f.severity, "warning");
    assert!(
        f.message.contains("`cleo-coord`")
            && f.message.contains("M2026-0001-S02")
            && f.message.contains("2026-07-02 09:00"),
        "{}",
        f.message
    );
    // The other booking: cleo-coord's on S02.
    let other = f.related_at(S02, 9, 15);
    assert_eq!(other.message, "the other booking of `cleo-coord`");
    assert_eq!(lint.of("double-booked").len(), 1, "{}", lint.listing());
}

#[test]
fn back_to_back_and_cancelled_sessions_are_not_double_bookings() {
    let ws = Ws::base();
    let cleo = "person: cleo-coord, role: lead, status: paid";
    ws.write(
        S03,
        &session(
            "M2026-0001-S03",
            "planned",
            "2026-07-02",
            "12:00",
            "15:00",
            &[cleo],
        ),
    );
    ws.write(
        S04,
        &session(
            "M2026-0001-S04",
            "cancelled",
            "2026-07-02",
            "10:00",
            "13:00",
            &[cleo],
        ),
    );
    ws.lint().expect_none("double-booked");
}

#[test]
fn a_person_booked_twice_on_one_session() {
    let ws = Ws::base();
    ws.edit(
        S02,
        "  - { person: cleo-coord, role: lead, status: paid }\n",
        "  - { person: cleo-coord, role: lead, status: paid }\n  - { person: cleo-coord, role: co, status: paid }\n",
    );
    let lint = ws.lint();
    let f = lint.expect("double-booked", S02, 10, 15);
    assert!(
        f.message
            .contains("booked twice on this session (also facilitators[0])"),
        "{}",
        f.message
    );
    f.related_at(S02, 9, 15);
    assert_eq!(lint.of("double-booked").len(), 1, "{}", lint.listing());
}

// --- order-mismatch -----------------------------------------------------------------------

#[test]
fn order_differs_from_the_accepted_quote() {
    let ws = Ws::base();
    ws.edit(
        MISSION,
        "  - { offer: workshop-onsite, quantity: 3, unit_price: 1200 }\n",
        "  - { offer: workshop-onsite, quantity: 4, unit_price: 1100 }\n  - { offer: training-day, quantity: 1, unit_price: 2400 }\n",
    );
    let lint = ws.lint();
    let f = lint.expect("order-mismatch", MISSION, 9, 41);
    assert!(
        f.message.contains("4 × offer `workshop-onsite`")
            && f.message.contains("quote D2026-0001 has 3"),
        "{}",
        f.message
    );
    let f = lint.expect("order-mismatch", MISSION, 9, 56);
    assert!(
        f.message.contains("unit price 1100.00") && f.message.contains("1200.00"),
        "{}",
        f.message
    );
    let f = lint.expect("order-mismatch", MISSION, 10, 14);
    assert!(
        f.message
            .contains("offer `training-day` is in the order but not in the accepted quote"),
        "{}",
        f.message
    );
}

#[test]
fn a_quote_line_missing_from_the_order() {
    let ws = Ws::base();
    ws.edit(
        REQUEST,
        "    - { offer: workshop-onsite, quantity: 3 }\n",
        "    - { offer: workshop-onsite, quantity: 3 }\n    - { label: Travel, quantity: 1, unit_price: 180 }\n",
    );
    let lint = ws.lint();
    let f = lint.expect("order-mismatch", MISSION, 8, 1);
    assert!(
        f.message.contains("1 × free line `Travel`") && f.message.contains("quote.lines[1]"),
        "{}",
        f.message
    );
    // Copying the free line into the order settles it.
    ws.write(
        MISSION,
        &(ws.read(MISSION) + "  - { label: Travel, quantity: 1, unit_price: 180 }\n"),
    );
    ws.lint().expect_none("order-mismatch");
}

#[test]
fn quoted_price_away_from_the_catalogue_needs_a_reason() {
    let ws = Ws::base();
    ws.edit(
        REQUEST,
        "{ offer: workshop-onsite, quantity: 3 }",
        "{ offer: workshop-onsite, quantity: 3, unit_price: 1000 }",
    );
    ws.edit(MISSION, "unit_price: 1200", "unit_price: 1000");
    let lint = ws.lint();
    let f = lint.expect("order-mismatch", REQUEST, 18, 58);
    assert!(
        f.message.contains("1000.00")
            && f.message.contains("catalogue price 1200.00")
            && f.message.contains("override_reason"),
        "{}",
        f.message
    );
    // The order follows the quote, so only the quote line is reported.
    assert_eq!(lint.of("order-mismatch").len(), 1, "{}", lint.listing());

    let ws = Ws::base();
    ws.edit(
        REQUEST,
        "{ offer: workshop-onsite, quantity: 3 }",
        "{ offer: workshop-onsite, quantity: 3, unit_price: 1000, override_reason: partner discount }",
    );
    ws.edit(MISSION, "unit_price: 1200", "unit_price: 1000");
    ws.lint().expect_none("order-mismatch");
}

#[test]
fn without_a_quote_the_order_follows_the_catalogue() {
    let ws = Ws::base();
    ws.edit(
        REQUEST,
        "quote:\n  number: D2026-0001\n  sent: 2026-03-04\n  valid_until: 2026-04-03\n  lines:\n    - { offer: workshop-onsite, quantity: 3 }\n",
        "",
    );
    ws.edit(MISSION, "unit_price: 1200", "unit_price: 1100");
    let lint = ws.lint();
    let f = lint.expect("order-mismatch", MISSION, 9, 56);
    assert!(
        f.message.contains("catalogue price 1200.00")
            && f.message.contains("request R2026-0001 has no quote"),
        "{}",
        f.message
    );
    // A mission whose request does not exist is left to unknown-request.
    let ws = Ws::base();
    ws.edit(MISSION, "request: R2026-0001", "request: R2026-0099");
    ws.edit(MISSION, "unit_price: 1200", "unit_price: 1100");
    let lint = ws.lint();
    lint.expect("unknown-request", MISSION, 3, 10);
    lint.expect_none("order-mismatch");
}

// --- payout-too-early ---------------------------------------------------------------------

#[test]
fn payout_line_for_a_session_not_held() {
    let ws = Ws::base();
    ws.write(
        PAYOUT_JUNE,
        &payout(
            "P2026-06-M2026-0001",
            "requested",
            "2026-06-03",
            &["session: M2026-0001-S02, person: cleo-coord, role: lead, amount: 500"],
        ),
    );
    let lint = ws.lint();
    let f = lint.expect("payout-too-early", PAYOUT_JUNE, 7, 16);
    assert!(
        f.message.contains("M2026-0001-S02 is `planned`, not held"),
        "{}",
        f.message
    );
}

#[test]
fn payout_requested_before_the_session_ended() {
    let ws = Ws::base();
    ws.edit(PAYOUT, "requested: 2026-05-02", "requested: 2026-04-13");
    let lint = ws.lint();
    let f = lint.expect("payout-too-early", PAYOUT, 7, 16);
    assert!(
        f.message.contains("ends on 2026-04-14 12:00")
            && f.message.contains("request date 2026-04-13"),
        "{}",
        f.message
    );
    lint.expect("payout-too-early", PAYOUT, 8, 16);
    // Requested on the day the session ended: fine.
    let ws = Ws::base();
    ws.edit(PAYOUT, "requested: 2026-05-02", "requested: 2026-04-14");
    ws.lint().expect_none("payout-too-early");
}

// --- payout-duplicate ---------------------------------------------------------------------

#[test]
fn the_same_session_and_person_paid_twice() {
    let ws = Ws::base();
    ws.write(
        PAYOUT_JUNE,
        &payout(
            "P2026-06-M2026-0001",
            "requested",
            "2026-06-03",
            &[FELIX_S01],
        ),
    );
    let lint = ws.lint();
    let f = lint.expect("payout-duplicate", PAYOUT_JUNE, 7, 40);
    assert!(
        f.message
            .contains("`felix-facil` is already paid for session M2026-0001-S01")
            && f.message.contains("P2026-05-M2026-0001 (lines[1]"),
        "{}",
        f.message
    );
    let first = f.related_at(PAYOUT, 8, 40);
    assert_eq!(
        first.message,
        "the first line paying `felix-facil` for session M2026-0001-S01"
    );
    // The earlier payout is not reported.
    assert_eq!(lint.of("payout-duplicate").len(), 1, "{}", lint.listing());
}

#[test]
fn the_same_line_twice_in_one_payout() {
    let ws = Ws::base();
    ws.write(
        PAYOUT,
        &(ws.read(PAYOUT) + &format!("  - {{ {FELIX_S01} }}\n")),
    );
    let lint = ws.lint();
    let f = lint.expect("payout-duplicate", PAYOUT, 9, 40);
    assert!(
        f.message.contains("by lines[1] of this payout"),
        "{}",
        f.message
    );
    f.related_at(PAYOUT, 8, 40);
    assert_eq!(lint.of("payout-duplicate").len(), 1, "{}", lint.listing());
}

#[test]
fn a_line_of_a_rejected_payout_may_be_requested_again() {
    let ws = Ws::base();
    ws.edit(PAYOUT, "state: requested", "state: rejected");
    ws.write(
        PAYOUT,
        &(ws.read(PAYOUT) + "rejection: { reason: attendance sheets missing }\n"),
    );
    ws.write(
        PAYOUT_JUNE,
        &payout(
            "P2026-06-M2026-0001",
            "requested",
            "2026-06-03",
            &[CLEO_S01, FELIX_S01],
        ),
    );
    ws.lint().expect_none("payout-duplicate");
}

// --- payout-monthly-limit -----------------------------------------------------------------

#[test]
fn two_payout_requests_in_one_month() {
    let ws = Ws::base();
    let second = "payouts/2026/P2026-05-M2026-0001-2.yaml";
    ws.edit(
        PAYOUT,
        "  - { session: M2026-0001-S01, person: felix-facil, role: co, amount: 250 }\n",
        "",
    );
    ws.write(
        second,
        &payout(
            "P2026-05-M2026-0001-2",
            "requested",
            "2026-05-20",
            &[FELIX_S01],
        ),
    );
    let lint = ws.lint();
    let f = lint.expect("payout-monthly-limit", second, 5, 12);
    assert!(
        f.message.contains("at most 1 payout request(s) per month")
            && f.message.contains("2nd in 2026-05")
            && f.message.contains("P2026-05-M2026-0001 came first"),
        "{}",
        f.message
    );
    assert_eq!(
        lint.of("payout-monthly-limit").len(),
        1,
        "{}",
        lint.listing()
    );
}

#[test]
fn monthly_limit_counts_neither_rejected_payouts_nor_what_the_policy_allows() {
    let second = "payouts/2026/P2026-05-M2026-0001-2.yaml";
    let ws = Ws::base();
    ws.edit(
        PAYOUT,
        "  - { session: M2026-0001-S01, person: felix-facil, role: co, amount: 250 }\n",
        "",
    );
    ws.write(
        second,
        &payout(
            "P2026-05-M2026-0001-2",
            "rejected",
            "2026-05-20",
            &[FELIX_S01],
        ),
    );
    ws.lint().expect_none("payout-monthly-limit");

    let ws = Ws::base();
    ws.edit(
        CONFIG,
        "max_requests_per_month: 1",
        "max_requests_per_month: 2",
    );
    ws.edit(
        PAYOUT,
        "  - { session: M2026-0001-S01, person: felix-facil, role: co, amount: 250 }\n",
        "",
    );
    ws.write(
        second,
        &payout(
            "P2026-05-M2026-0001-2",
            "requested",
            "2026-05-20",
            &[FELIX_S01],
        ),
    );
    ws.lint().expect_none("payout-monthly-limit");
}

// --- payout-amount ------------------------------------------------------------------------

#[test]
fn session_line_amount_off_the_rate_card() {
    let ws = Ws::base();
    ws.edit(PAYOUT, "role: co, amount: 250", "role: co, amount: 400");
    let lint = ws.lint();
    let f = lint.expect("payout-amount", PAYOUT, 8, 71);
    assert!(
        f.message.contains("amount 400.00")
            && f.message.contains("a workshop co is paid 250.00")
            && f.message.contains("rates.workshop.co")
            && f.message.contains("override_reason"),
        "{}",
        f.message
    );
}

#[test]
fn an_override_reason_silences_payout_amount() {
    let ws = Ws::base();
    ws.edit(
        PAYOUT,
        "role: co, amount: 250 }",
        "role: co, amount: 400, override_reason: ran the session alone for an hour }",
    );
    ws.lint().expect_none("payout-amount");
}

#[test]
fn line_role_differs_from_the_booking() {
    let ws = Ws::base();
    ws.edit(PAYOUT, "role: co, amount: 250", "role: lead, amount: 500");
    let lint = ws.lint();
    let f = lint.expect("payout-amount", PAYOUT, 8, 59);
    assert!(
        f.message.contains("booked as `co`") && f.message.contains("write `role: co`"),
        "{}",
        f.message
    );
}

#[test]
fn self_invoice_total_is_the_sum_of_the_lines() {
    let ws = Ws::base();
    ws.edit(PAYOUT, "state: requested", "state: invoiced");
    ws.write(
        PAYOUT,
        &(ws.read(PAYOUT)
            + "self_invoices:\n  - { person: cleo-coord, number: AF-cleo-coord-0001, issued: 2026-05-05, total: 500 }\n  - { person: felix-facil, number: AF-felix-facil-0001, issued: 2026-05-05, total: 300 }\n"),
    );
    let lint = ws.lint();
    let f = lint.expect("payout-amount", PAYOUT, 11, 84);
    assert!(
        f.message.contains("total 300.00")
            && f.message.contains("`felix-facil`")
            && f.message.contains("250.00"),
        "{}",
        f.message
    );
    assert_eq!(lint.of("payout-amount").len(), 1, "{}", lint.listing());
}

#[test]
fn coordination_line_sessions_and_amount() {
    let ws = Ws::base();
    closed(&ws);
    ws.write(
        PAYOUT_JUNE,
        &payout(
            "P2026-06-M2026-0001",
            "requested",
            "2026-06-03",
            &["coordination: true, person: cleo-coord, sessions: 2, amount: 150"],
        ),
    );
    let lint = ws.lint();
    let f = lint.expect("payout-amount", PAYOUT_JUNE, 7, 57);
    assert!(
        f.message.contains("sessions: 2") && f.message.contains("1 held session"),
        "{}",
        f.message
    );
    let f = lint.expect("payout-amount", PAYOUT_JUNE, 7, 68);
    assert!(
        f.message.contains("amount 150.00")
            && f.message.contains("100.00 per held session")
            && f.message.contains("× 2 = 200.00"),
        "{}",
        f.message
    );
    lint.expect_none("coordination-before-close");
    lint.expect_none("close-incomplete");
}

#[test]
fn a_correct_coordination_line_on_a_closed_mission_is_clean() {
    let ws = Ws::base();
    closed(&ws);
    ws.write(
        PAYOUT_JUNE,
        &payout(
            "P2026-06-M2026-0001",
            "requested",
            "2026-06-03",
            &["coordination: true, person: cleo-coord, sessions: 1, amount: 100"],
        ),
    );
    let lint = ws.lint();
    for rule in [
        "payout-amount",
        "coordination-before-close",
        "close-incomplete",
        "payout-monthly-limit",
        "payout-too-early",
        "payout-not-payable",
        "payout-duplicate",
    ] {
        lint.expect_none(rule);
    }
}

// --- payout-not-payable -------------------------------------------------------------------

#[test]
fn payout_line_for_an_internal_facilitator() {
    let ws = Ws::base();
    ws.edit(
        S01,
        "person: felix-facil, role: co, status: paid",
        "person: felix-facil, role: co, status: internal",
    );
    let lint = ws.lint();
    let f = lint.expect("payout-not-payable", PAYOUT, 8, 40);
    assert!(
        f.message.contains("with status `internal`"),
        "{}",
        f.message
    );
    assert_eq!(lint.of("payout-not-payable").len(), 1, "{}", lint.listing());
}

#[test]
fn payout_line_for_someone_not_booked_on_the_session() {
    let ws = Ws::base();
    ws.edit(
        PAYOUT,
        "person: felix-facil, role: co",
        "person: sam-staff, role: co",
    );
    let lint = ws.lint();
    let f = lint.expect("payout-not-payable", PAYOUT, 8, 40);
    assert!(
        f.message
            .contains("`sam-staff` is not booked on session M2026-0001-S01"),
        "{}",
        f.message
    );
}

// --- coordination-before-close ------------------------------------------------------------

#[test]
fn coordination_line_while_the_mission_is_open() {
    let ws = Ws::base();
    ws.write(
        PAYOUT_JUNE,
        &payout(
            "P2026-06-M2026-0001",
            "requested",
            "2026-06-03",
            &["coordination: true, person: cleo-coord, sessions: 1, amount: 100"],
        ),
    );
    let lint = ws.lint();
    let f = lint.expect("coordination-before-close", PAYOUT_JUNE, 7, 21);
    assert!(
        f.message.contains("mission M2026-0001 is `open`"),
        "{}",
        f.message
    );
}

#[test]
fn coordination_requested_before_closing_twice_and_for_someone_else() {
    let ws = Ws::base();
    closed(&ws);
    let coordination = "coordination: true, person: cleo-coord, sessions: 1, amount: 100";
    // Requested on 31 May, the day before the mission closed.
    ws.edit(PAYOUT, "requested: 2026-05-02", "requested: 2026-05-31");
    ws.write(
        PAYOUT,
        &(ws.read(PAYOUT) + &format!("  - {{ {coordination} }}\n")),
    );
    ws.write(
        PAYOUT_JUNE,
        &payout(
            "P2026-06-M2026-0001",
            "requested",
            "2026-06-03",
            &["coordination: true, person: felix-facil, sessions: 1, amount: 100"],
        ),
    );
    let lint = ws.lint();
    let f = lint.expect("coordination-before-close", PAYOUT, 9, 21);
    assert!(
        f.message.contains("requested on 2026-05-31") && f.message.contains("closed on 2026-06-01"),
        "{}",
        f.message
    );
    let f = lint.expect("coordination-before-close", PAYOUT_JUNE, 7, 21);
    assert!(
        f.message
            .contains("already has a coordination line in payout P2026-05-M2026-0001"),
        "{}",
        f.message
    );
    let f = lint.expect("coordination-before-close", PAYOUT_JUNE, 7, 35);
    assert!(
        f.message.contains("pays `felix-facil`") && f.message.contains("is `cleo-coord`"),
        "{}",
        f.message
    );
    assert_eq!(
        lint.of("coordination-before-close").len(),
        3,
        "{}",
        lint.listing()
    );
}

// --- close-incomplete ---------------------------------------------------------------------

#[test]
fn closed_mission_with_a_planned_session() {
    let ws = Ws::base();
    closed(&ws);
    ws.edit(S02, "state: cancelled", "state: planned");
    let lint = ws.lint();
    let f = lint.expect("close-incomplete", MISSION, 2, 8);
    assert!(
        f.message.contains("M2026-0001-S02 are still planned"),
        "{}",
        f.message
    );
}

#[test]
fn closed_mission_with_a_paid_facilitator_not_requested() {
    let ws = Ws::base();
    closed(&ws);
    ws.edit(
        PAYOUT,
        "  - { session: M2026-0001-S01, person: felix-facil, role: co, amount: 250 }\n",
        "",
    );
    let lint = ws.lint();
    let f = lint.expect("close-incomplete", MISSION, 2, 8);
    assert!(
        f.message.contains("felix-facil on M2026-0001-S01")
            && f.message
                .contains("fresk payout request --mission M2026-0001"),
        "{}",
        f.message
    );
    assert_eq!(lint.of("close-incomplete").len(), 1, "{}", lint.listing());
}

#[test]
fn a_rejected_payout_does_not_cover_a_closed_mission() {
    let ws = Ws::base();
    closed(&ws);
    ws.edit(PAYOUT, "state: requested", "state: rejected");
    ws.write(
        PAYOUT,
        &(ws.read(PAYOUT) + "rejection: { reason: attendance sheets missing }\n"),
    );
    let lint = ws.lint();
    let f = lint.expect("close-incomplete", MISSION, 2, 8);
    assert!(
        f.message
            .contains("cleo-coord on M2026-0001-S01, felix-facil on M2026-0001-S01"),
        "{}",
        f.message
    );
}

#[test]
fn closed_mission_with_everything_held_and_requested_is_clean() {
    let ws = Ws::base();
    closed(&ws);
    // An internal facilitator is not paid, so needs no payout line.
    ws.edit(
        S01,
        "  - { person: felix-facil, role: co, status: paid }\n",
        "  - { person: felix-facil, role: co, status: paid }\n  - { person: sam-staff, role: co, status: internal }\n",
    );
    ws.edit(
        "people/sam-staff.yaml",
        "roles: [staff]",
        "roles: [staff, facilitator]",
    );
    ws.lint().expect_none("close-incomplete");
}

// --- fee-amount ---------------------------------------------------------------------------

fn introduction(ws: &Ws, revenue: &str, fee: &str) {
    ws.write(
        REQUEST2,
        "id: R2026-0002\nstate: assigned\ntrack: introduction\nreceived: 2026-04-01 10:00\nchannel: email\norigin: partner\norganisation: acme\nowner: sam-staff\nfirst_response: 2026-04-01 15:00\nfacilitator: felix-facil\n",
    );
    ws.write(
        DECLARATION,
        &format!("id: U2026-0001\nstate: declared\nrequest: R2026-0002\nperson: felix-facil\nperiod: 2026-05\nsessions: 2\nparticipants: 30\nrevenue: {revenue}\nfee: {fee}\n"),
    );
}

#[test]
fn fee_is_not_the_usage_rights_percent() {
    let ws = Ws::base();
    introduction(&ws, "1234.55", "123.45");
    let lint = ws.lint();
    let f = lint.expect("fee-amount", DECLARATION, 9, 6);
    assert!(
        f.message.contains("fee 123.45")
            && f.message.contains("10% of the revenue 1234.55")
            && f.message.contains("expected 123.46"),
        "{}",
        f.message
    );
}

#[test]
fn fee_declared_long_ago_and_never_invoiced() {
    // Today is 2026-06-15: November 2025 ended 197 days ago, December 2025 166.
    let ws = Ws::base();
    introduction(&ws, "1000", "100");
    ws.edit(DECLARATION, "period: 2026-05", "period: 2025-11");
    let lint = ws.lint();
    let f = lint.expect("fee-not-invoiced", DECLARATION, 2, 8);
    assert!(
        f.message
            .contains("the fee of 100.00 declared for 2025-11 by `felix-facil`")
            && f.message.contains("197 days"),
        "{}",
        f.message
    );
    assert_eq!(f.severity, "warning");
    ws.edit(DECLARATION, "period: 2025-11", "period: 2025-12");
    ws.lint().expect_none("fee-not-invoiced");
}

#[test]
fn fee_rounded_to_the_cent_or_overridden_is_fine() {
    let ws = Ws::base();
    introduction(&ws, "1234.55", "123.46");
    ws.lint().expect_none("fee-amount");
    let ws = Ws::base();
    introduction(&ws, "1234.55", "100");
    ws.write(
        DECLARATION,
        &(ws.read(DECLARATION) + "override_reason: one session was free for the client\n"),
    );
    ws.lint().expect_none("fee-amount");
}

// --- quote-expired ------------------------------------------------------------------------

fn quoted(ws: &Ws, valid_until: &str) {
    ws.write(
        REQUEST2,
        &format!("id: R2026-0002\nstate: quoted\ntrack: subcontracting\nreceived: 2026-05-01 10:00\nchannel: email\norigin: partner\norganisation: acme\nowner: sam-staff\nfirst_response: 2026-05-01 15:00\nquote:\n  number: D2026-0002\n  sent: 2026-05-15\n  valid_until: {valid_until}\n  lines:\n    - {{ offer: workshop-onsite, quantity: 1 }}\n"),
    );
}

#[test]
fn quote_past_its_validity_still_quoted() {
    let ws = Ws::base();
    quoted(&ws, "2026-06-14");
    let lint = ws.lint();
    let f = lint.expect("quote-expired", REQUEST2, 13, 16);
    assert_eq!(f.severity, "warning");
    assert!(
        f.message
            .contains("quote D2026-0002 was valid until 2026-06-14")
            && f.message.contains("still `quoted`"),
        "{}",
        f.message
    );
}

#[test]
fn quote_valid_through_today_is_not_expired() {
    let ws = Ws::base();
    quoted(&ws, "2026-06-15");
    ws.lint().expect_none("quote-expired");
}

// --- response-overdue ---------------------------------------------------------------------

fn received(ws: &Ws, at: &str, extra: &str) {
    ws.write(
        REQUEST2,
        &format!("id: R2026-0002\nstate: received\ntrack: subcontracting\nreceived: {at}\nchannel: form\norigin: internet\norganisation: acme\nowner: sam-staff\n{extra}"),
    );
}

#[test]
fn request_unanswered_past_the_sla() {
    let ws = Ws::base();
    received(&ws, "2026-06-12 23:00", "");
    let lint = ws.lint();
    let f = lint.expect("response-overdue", REQUEST2, 4, 11);
    assert_eq!(f.severity, "warning");
    assert!(
        f.message.contains("within 48 h, by 2026-06-14 23:00")
            && f.message.contains("first_response"),
        "{}",
        f.message
    );
}

#[test]
fn request_within_the_sla_or_answered_is_not_overdue() {
    let ws = Ws::base();
    received(&ws, "2026-06-13 09:00", "");
    ws.lint().expect_none("response-overdue");
    let ws = Ws::base();
    received(
        &ws,
        "2026-06-01 09:00",
        "first_response: 2026-06-01 11:00\n",
    );
    ws.lint().expect_none("response-overdue");
}

// --- robustness ---------------------------------------------------------------------------

#[test]
fn business_rules_skip_quietly_without_a_readable_config() {
    let ws = Ws::base();
    ws.edit(CONFIG, "staff: [sam-staff]", "staff: 3");
    // With a readable fresk.yaml this would be a payout-amount error.
    ws.edit(PAYOUT, "role: co, amount: 250", "role: co, amount: 400");
    let lint = ws.lint();
    lint.expect("wrong-type", CONFIG, 12, 8);
    assert_eq!(lint.findings.len(), 1, "{}", lint.listing());
}

#[test]
fn huge_amounts_do_not_crash_the_checks() {
    let ws = Ws::base();
    ws.edit(
        PAYOUT,
        "role: co, amount: 250",
        "role: co, amount: 79228162514264337593543950335",
    );
    ws.edit(
        PAYOUT,
        "role: lead, amount: 500",
        "role: lead, amount: 79228162514264337593543950335",
    );
    ws.edit(PAYOUT, "state: requested", "state: invoiced");
    ws.write(
        PAYOUT,
        &(ws.read(PAYOUT)
            + "self_invoices:\n  - { person: cleo-coord, number: AF-cleo-coord-0001, issued: 2026-05-05, total: 1 }\n"),
    );
    introduction(&ws, "79228162514264337593543950335", "1");
    let lint = ws.lint();
    assert!(lint.code == 1, "{}", lint.listing());
    lint.expect("payout-amount", PAYOUT, 8, 71);
}

// --- mission-invoiced-twice, draft-of-invoiced-mission, fee-invoiced-twice -----------------
//
// What a multi-file write interrupted half-way (or retried) leaves behind: the rules catch it
// whatever the write path does.

const DRAFT: &str = "invoices/2026/I-M2026-0006.yaml";
const F3: &str = "invoices/2026/F2026-0003.yaml";
const F4: &str = "invoices/2026/F2026-0004.yaml";
const M6: &str = "missions/M2026-0006/mission.yaml";

/// The example's draft for M2026-0006, issued as `number` on `date` (what `fresk invoice issue`
/// writes first).
fn issued_copy(ws: &Ws, number: &str, date: &str) {
    let text = ws
        .read(DRAFT)
        .replace("id: I-M2026-0006", &format!("id: {number}"))
        .replace(
            "state: draft",
            &format!("state: issued\nissued: {date}\ndue: 2026-07-15"),
        );
    ws.write(&format!("invoices/2026/{number}.yaml"), &text);
}

const INVOICING_RULES: [&str; 3] = [
    "mission-invoiced-twice",
    "draft-of-invoiced-mission",
    "fee-invoiced-twice",
];

#[test]
fn the_example_is_invoiced_once() {
    let lint = Ws::example().lint();
    for rule in INVOICING_RULES {
        lint.expect_none(rule);
    }
}

#[test]
fn mission_invoiced_twice_by_an_invoice_and_the_draft_left_behind() {
    // `invoice issue` wrote F2026-0003 and stopped before deleting the draft.
    let ws = Ws::example();
    issued_copy(&ws, "F2026-0003", "2026-06-12");
    let lint = ws.lint();
    let f = lint.expect("mission-invoiced-twice", DRAFT, 7, 10);
    assert!(
        f.message
            .contains("draft I-M2026-0006 bills mission M2026-0006 a second time")
            && f.message.contains(F3)
            && f.message.contains(&format!("delete {DRAFT}")),
        "{}",
        f.message
    );
    assert_eq!(
        lint.of("mission-invoiced-twice").len(),
        1,
        "{}",
        lint.listing()
    );
}

#[test]
fn mission_invoiced_twice_by_two_issued_invoices() {
    // The retry of a half-done issue numbered the mission's invoice again.
    let ws = Ws::example();
    issued_copy(&ws, "F2026-0003", "2026-06-12");
    issued_copy(&ws, "F2026-0004", "2026-06-13");
    ws.remove(DRAFT);
    let lint = ws.lint();
    let f = lint.expect("mission-invoiced-twice", F4, 9, 10);
    assert!(
        f.message
            .contains("invoice F2026-0004 bills mission M2026-0006 a second time")
            && f.message.contains(F3)
            && f.message.contains("fresk invoice credit F2026-0004"),
        "{}",
        f.message
    );
    assert_eq!(
        lint.of("mission-invoiced-twice").len(),
        1,
        "{}",
        lint.listing()
    );
}

#[test]
fn an_invoice_cancelled_by_a_credit_note_may_be_replaced() {
    let ws = Ws::example();
    issued_copy(&ws, "F2026-0003", "2026-06-12");
    issued_copy(&ws, "F2026-0004", "2026-06-13");
    ws.remove(DRAFT);
    ws.edit(F3, "state: issued", "state: cancelled");
    ws.lint().expect_none("mission-invoiced-twice");
}

#[test]
fn draft_of_a_mission_already_invoiced() {
    // The mission was marked invoiced, and its invoice never written (or since deleted).
    let ws = Ws::example();
    ws.edit(M6, "state: closed", "state: invoiced");
    let lint = ws.lint();
    let f = lint.expect("draft-of-invoiced-mission", DRAFT, 7, 10);
    assert!(
        f.message.contains(M6) && f.message.contains("bill it a second time"),
        "{}",
        f.message
    );
    // The draft of a closed mission is what `invoice draft` makes: fine.
    Ws::example()
        .lint()
        .expect_none("draft-of-invoiced-mission");
}

#[test]
fn fee_declared_twice_is_invoiced_twice() {
    let ws = Ws::example();
    let first = "declarations/2026/U2026-0001.yaml";
    let again = "declarations/2026/U2026-0003.yaml";
    ws.write(
        again,
        &ws.read(first)
            .replace("id: U2026-0001", "id: U2026-0003")
            .replace("state: paid", "state: invoiced")
            .replace("invoice: F2026-0002", "invoice: F2026-0003"),
    );
    let lint = ws.lint();
    let f = lint.expect("fee-invoiced-twice", again, 6, 9);
    assert!(
        f.message.contains(first)
            && f.message.contains("invoiced by F2026-0002")
            && f.message.contains("invoiced by F2026-0003")
            && f.message
                .contains("lucas-bernard's revenue of 2026-03 on R2026-0004"),
        "{}",
        f.message
    );
    assert_eq!(lint.of("fee-invoiced-twice").len(), 1, "{}", lint.listing());
    // Another month of the same request is another declaration.
    ws.edit(again, "period: 2026-03", "period: 2026-04");
    ws.lint().expect_none("fee-invoiced-twice");
}

#[test]
fn fee_declaration_on_a_second_fee_invoice() {
    // U2026-0001 is billed by F2026-0002 (its `invoice:`); a second fee invoice names it again.
    let ws = Ws::example();
    let f2 = "invoices/2026/F2026-0002.yaml";
    ws.write(
        "invoices/2026/F2026-0003.yaml",
        &ws.read(f2)
            .replace("id: F2026-0002", "id: F2026-0003")
            .replace("state: paid", "state: issued")
            .replace("issued: 2026-04-10", "issued: 2026-06-10"),
    );
    let lint = ws.lint();
    let f = lint.expect("fee-invoiced-twice", F3, 10, 14);
    assert!(
        f.message.contains("declaration U2026-0001")
            && f.message
                .contains("billed by F2026-0002 (`invoice:` in declarations/2026/U2026-0001.yaml)"),
        "{}",
        f.message
    );
    assert_eq!(lint.of("fee-invoiced-twice").len(), 1, "{}", lint.listing());
}

#[test]
fn fee_declaration_not_yet_invoiced_on_two_fee_invoices() {
    let ws = Ws::example();
    // U2026-0002 has no `invoice:` yet; two fee invoices name it.
    let line = "  - { label: \"Droits d'utilisation, mai 2026 (déclaration U2026-0002)\", quantity: 1, unit_price: 220 }\n";
    for (number, day) in [("F2026-0003", "2026-06-10"), ("F2026-0004", "2026-06-11")] {
        ws.write(
            &format!("invoices/2026/{number}.yaml"),
            &format!("id: {number}\nkind: invoice\nstate: issued\norganisation: lucas-bernard-ei\nissued: {day}\ndue: 2026-07-10\nlines:\n{line}"),
        );
    }
    let lint = ws.lint();
    let f = lint.expect("fee-invoiced-twice", F4, 8, 14);
    assert!(
        f.message
            .contains("invoice F2026-0003 (invoices/2026/F2026-0003.yaml) already bills it"),
        "{}",
        f.message
    );
    assert_eq!(lint.of("fee-invoiced-twice").len(), 1, "{}", lint.listing());
}
