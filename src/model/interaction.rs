//! `interactions/<organisation>/<year>.yaml`: every contact with one organisation in one year
//! (calls, e-mails, visits, events) and the callbacks they set, appended and never edited.

use super::time::{Date, DateTime};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

named_enum! {
    /// How the contact happened.
    pub enum InteractionChannel {
        Phone = "phone",
        Email = "email",
        Visit = "visit",
        Event = "event",
        Other = "other",
    }
}

/// One organisation's interactions in one year.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Interactions {
    /// The organisation (id in organisations/): the file's folder.
    pub organisation: String,
    /// The year of every entry: the file's name.
    pub year: i32,
    /// The entries, appended at the end and never edited: `fresk contact log` adds an
    /// interaction, `fresk callback done` the end of the open callback. Their order in the file
    /// does not matter (they are read by `at`).
    #[serde(default)]
    pub entries: Vec<Entry>,
}

/// An interaction, or the end of a callback.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// When it happened (workspace time zone when written without an offset); in the file's
    /// year.
    pub at: DateTime,
    /// Who on our side (person id).
    #[serde(default)]
    pub owner: Option<String>,
    /// How: `phone`, `email`, `visit`, `event` or `other` (an interaction needs it and a
    /// `summary`).
    #[serde(default)]
    pub channel: Option<InteractionChannel>,
    /// What was said, in one or two sentences (no personal data beyond the contact's name).
    #[serde(default)]
    pub summary: Option<String>,
    /// Who we talked to: the `name` of one of the organisation's `contacts` (their details live
    /// only in organisations/).
    #[serde(default)]
    pub contact: Option<String>,
    /// This contact measured the client's satisfaction (the charter's call after the first
    /// mission).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub satisfaction: bool,
    /// The callback this interaction sets; it replaces the organisation's open one.
    #[serde(default)]
    pub callback: Option<Callback>,
    /// This entry ends the organisation's open callback (`fresk callback done`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub callback_done: bool,
    /// What came of the callback, with `callback_done`.
    #[serde(default)]
    pub note: Option<String>,
}

/// A promise to call an organisation back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Callback {
    /// The day to call back.
    pub due: Date,
    /// Why: what to talk about.
    pub reason: String,
    /// Who calls back (person id); the entry's `owner` when absent.
    #[serde(default)]
    pub owner: Option<String>,
}

/// A callback not done yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct OpenCallback {
    /// The organisation to call back.
    pub organisation: String,
    /// The day to call back.
    pub due: Date,
    /// What to talk about.
    pub reason: String,
    /// Who calls back, when someone was named.
    pub owner: Option<String>,
    /// When the interaction that set it happened.
    pub set_at: DateTime,
}

/// Every entry of `organisation` from `files` (its yearly files, any order), by `at`; entries
/// with the same `at` keep their file order.
pub fn entries_of<'a>(
    organisation: &str,
    files: impl IntoIterator<Item = &'a Interactions>,
) -> Vec<&'a Entry> {
    let mut out: Vec<&Entry> = files
        .into_iter()
        .filter(|f| f.organisation == organisation)
        .flat_map(|f| f.entries.iter())
        .collect();
    out.sort_by_key(|e| e.at.local);
    out
}

/// The open callback of `organisation`: the last callback set, unless an entry after it ended
/// it (`callback_done`). `None` when there is none.
pub fn open_callback<'a>(
    organisation: &str,
    files: impl IntoIterator<Item = &'a Interactions>,
) -> Option<OpenCallback> {
    let mut open = None;
    for e in entries_of(organisation, files) {
        if e.callback_done {
            open = None;
        }
        if let Some(c) = &e.callback {
            open = Some(OpenCallback {
                organisation: organisation.to_string(),
                due: c.due,
                reason: c.reason.clone(),
                owner: c.owner.clone().or_else(|| e.owner.clone()),
                set_at: e.at,
            });
        }
    }
    open
}

/// The open callbacks of every organisation in `files`, by due day then organisation.
pub fn open_callbacks<'a>(files: &'a [&'a Interactions]) -> Vec<OpenCallback> {
    let mut orgs: Vec<&str> = files.iter().map(|f| f.organisation.as_str()).collect();
    orgs.sort_unstable();
    orgs.dedup();
    let mut out: Vec<OpenCallback> = orgs
        .into_iter()
        .filter_map(|o| open_callback(o, files.iter().copied()))
        .collect();
    out.sort_by(|a, b| (a.due, &a.organisation).cmp(&(b.due, &b.organisation)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(org: &str, entries: &str) -> Interactions {
        crate::yaml::de::from_text(&format!(
            "organisation: {org}\nyear: 2026\nentries:\n{entries}"
        ))
        .unwrap()
    }

    #[test]
    fn the_last_callback_is_open_until_done() {
        let f = file(
            "acme",
            "  - { at: 2026-06-01 10:00, channel: phone, summary: a, callback: { due: 2026-06-10, reason: first }, owner: claire }\n\
             \x20 - { at: 2026-06-03 10:00, channel: email, summary: b, callback: { due: 2026-06-20, reason: second, owner: mehdi } }\n",
        );
        let open = open_callback("acme", [&f]).unwrap();
        assert_eq!(open.reason, "second");
        assert_eq!(open.owner.as_deref(), Some("mehdi"));
        let done = file(
            "acme",
            "  - { at: 2026-06-12 09:00, callback_done: true, note: done }\n",
        );
        assert_eq!(open_callback("acme", [&f, &done]), None);
        // Order of files and entries does not matter: `at` does.
        assert_eq!(open_callback("acme", [&done, &f]), None);
    }

    #[test]
    fn a_callback_set_after_a_done_one_is_open() {
        let f = file(
            "acme",
            "  - { at: 2026-06-12 09:00, callback_done: true }\n\
             \x20 - { at: 2026-06-01 10:00, channel: phone, summary: a, callback: { due: 2026-06-10, reason: first } }\n\
             \x20 - { at: 2026-06-13 10:00, channel: phone, summary: c, owner: claire, callback: { due: 2026-06-30, reason: third } }\n",
        );
        let other = file(
            "zeta",
            "  - { at: 2026-06-02 10:00, channel: phone, summary: z, callback: { due: 2026-06-05, reason: z } }\n",
        );
        let all = open_callbacks(&[&f, &other]);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].organisation, "zeta");
        assert_eq!(all[1].reason, "third");
        assert_eq!(all[1].owner.as_deref(), Some("claire"));
    }
}
