//! Legal rules.

use crate::diagnostics::Finding;
use crate::rules::Context;
use crate::workspace::Workspace;

pub fn check(_ws: &Workspace, _cx: &Context, _out: &mut Vec<Finding>) {}
