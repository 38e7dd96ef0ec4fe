//! Files made for the bank and the accountant: SEPA credit transfers (`pain.001.001.09`), the
//! double-entry journal (hledger, beancount) and the FEC. Pure functions from the model to
//! text; the commands find the records and write the files.

pub mod contacts;
pub mod entries;
pub mod fec;
pub mod journal;
pub mod sepa;

#[cfg(test)]
mod tests;
