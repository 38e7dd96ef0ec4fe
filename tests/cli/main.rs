//! The one CLI integration test binary: runs the real `fresk` binary on temporary workspaces.

mod support;

mod attendance;
mod attendance_sheet;

mod cache;
mod certificates;
mod ci_examples;
mod cmd_missions;
mod cmd_payouts;
mod cmd_requests;
mod end_to_end;
mod fuzz;
mod git;
mod lint;
mod mail;
mod participants;
mod pipes;
mod privacy;
mod pull_requests;
mod render;
mod report_bpf;
mod report_quality;
mod reports;
mod rules_authority;
mod rules_business;
mod rules_docs;
mod rules_evidence;
mod rules_legal;
mod rules_paths;
mod rules_shape;
mod survey;
mod writes;
