//! The one CLI integration test binary: runs the real `fresk` binary on temporary workspaces.

mod support;

mod attendance;
mod attendance_sheet;
mod authority_self_service;

mod cache;
mod certificates;
mod ci_examples;
mod cmd_applications;
mod cmd_missions;
mod cmd_payouts;
mod cmd_requests;
mod cmd_seats;
mod end_to_end;
mod fuzz;
mod git;
mod lint;
mod mail;
mod onboarding;
mod participants;
mod pipes;
mod privacy;
mod pull_requests;
mod render;
mod report_bpf;
mod report_quality;
mod reports;
mod rules_applications;
mod rules_authority;
mod rules_business;
mod rules_docs;
mod rules_evidence;
mod rules_legal;
mod rules_paths;
mod rules_shape;
mod schema_agreement;
mod survey;
mod writes;
