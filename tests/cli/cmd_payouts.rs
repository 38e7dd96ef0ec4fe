//! Placeholder, filled by the commands' tests.
