//! The one CLI integration test binary: runs the real `fresk` binary on temporary workspaces.

mod support;

mod cache;
mod ci_examples;
mod cmd_fee_invoices;
mod cmd_missions;
mod cmd_payouts;
mod cmd_requests;
mod cmd_transfers;
mod end_to_end;
mod exports;
mod fuzz;
mod git;
mod iban_reference;
mod lint;
mod margins;
mod pipes;
mod pull_requests;
mod render;
mod reports;
mod rules_authority;
mod rules_business;
mod rules_docs;
mod rules_legal;
mod rules_paths;
mod rules_shape;
mod writes;
