//! fresk: the business side of a facilitator network, as YAML files in git.
//!
//! Data flows one way: [`workspace`] loads files into the [`model`], [`rules`] turn the model
//! into [`diagnostics`], and [`commands`] print them.

pub mod blob;
pub mod cache;
pub mod cli;
pub mod commands;
pub mod diagnostics;
pub mod document;
pub mod git;
pub mod lifecycle;
pub mod model;
pub mod pdf;
pub mod render;
pub mod report;
pub mod rules;
pub mod schema;
pub mod stats;
pub mod store;
pub mod workspace;
pub mod yaml;
