//! What a rule is: a stable id, a family, a severity and what it checks. Each rule is declared
//! once, with [`declare_rules!`], by the code that reports it; `crate::rules::all` lists them.

use super::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    Syntax,
    Shape,
    References,
    Lifecycle,
    Business,
    Legal,
    Privacy,
    History,
    Authority,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Syntax => "syntax",
            Family::Shape => "shape",
            Family::References => "references",
            Family::Lifecycle => "lifecycle",
            Family::Business => "business",
            Family::Legal => "legal",
            Family::Privacy => "privacy",
            Family::History => "history",
            Family::Authority => "authority",
        }
    }
}

/// A rule: a stable id and what it checks.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub family: Family,
    pub severity: Severity,
    pub summary: &'static str,
}

/// Declare rules: `NAME = "id", Family, Severity, "summary";` makes `pub static NAME: Rule`
/// for each, and `pub static RULES: &[&Rule]` listing them in order.
macro_rules! declare_rules {
    ($($name:ident = $id:literal, $family:ident, $severity:ident, $summary:literal;)+) => {
        $(pub static $name: $crate::diagnostics::Rule = $crate::diagnostics::Rule {
            id: $id,
            family: $crate::diagnostics::Family::$family,
            severity: $crate::diagnostics::Severity::$severity,
            summary: $summary,
        };)+
        /// The rules declared here, in the order `fresk lint --rules` lists them.
        pub static RULES: &[&$crate::diagnostics::Rule] = &[$(&$name),+];
    };
}
pub(crate) use declare_rules;
