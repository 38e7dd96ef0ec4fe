//! fresk: the business side of a facilitator network, as YAML files in git.
//!
//! Data flows one way: [`workspace`] loads files into the [`model`], [`rules`] turn the model
//! into [`diagnostics`], and [`commands`] print them.

pub mod blob;
pub mod cache;
pub mod cli;
pub mod commands;
pub mod csv_table;
pub mod diagnostics;
pub mod document;
pub mod export;
pub mod git;
pub mod lifecycle;
pub mod mail;
pub mod model;
pub mod output_schema;
pub mod pdf;
pub mod render;
pub mod report;
pub mod rules;
pub mod schema;
pub mod stats;
pub mod store;
pub mod workspace;
pub mod yaml;

/// The hash map of fresk: keyed by ids, looked up hundreds of thousands of times on a large
/// workspace, so with a fast hasher rather than SipHash (keys come from the workspace's own
/// files, which fresk already reads in full: flooding them gains an attacker nothing).
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// The hash set of fresk, likewise.
pub type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

#[cfg(test)]
mod layout_tests;
