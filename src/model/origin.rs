//! Where clients come from: the list of origins in `fresk.yaml` (`origins:`), with the marketing
//! plan's list built in, and how a request's or an organisation's `origin`/`origins` names one.
//!
//! A reference is an origin id (`press`), an origin and one of its kinds (`word-of-mouth/client`),
//! a group (`town-hall`: one of the group's origins, not known which), or an alias an origin
//! declares (`event` for `events`; an alias that is also one of the origin's kinds names that
//! kind: `partner` is `word-of-mouth/partner`). The words of the single `origin:` of earlier
//! files (word-of-mouth, town-hall, internet, event, returning, partner, other) all resolve with
//! the built-in list, with the same meaning.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One way clients hear of the association.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OriginDef {
    /// The id requests and organisations write in `origins:`.
    pub id: String,
    /// The name reports print (default: the id).
    #[serde(default)]
    pub label: Option<String>,
    /// The family it belongs to (`town-hall`, `print`, `internet`…); a request may name the
    /// family alone when it does not know which origin of it.
    #[serde(default)]
    pub group: Option<String>,
    /// Finer kinds, written `id/kind` (`word-of-mouth/client`).
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Other words that name this origin (older spellings); an alias that is also one of
    /// `kinds` names that kind.
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl OriginDef {
    fn new(id: &str, label: &str, group: &str) -> OriginDef {
        OriginDef {
            id: id.into(),
            label: Some(label.into()),
            group: Some(group.into()),
            kinds: Vec::new(),
            aliases: Vec::new(),
        }
    }

    /// The name reports print.
    pub fn label(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.id)
    }
}

/// The marketing plan's origins (its annex), used when `fresk.yaml` has no `origins:`.
pub fn default_origins() -> Vec<OriginDef> {
    let mut word_of_mouth = OriginDef::new("word-of-mouth", "Word of mouth", "word-of-mouth");
    word_of_mouth.kinds = ["client", "facilitator", "partner", "family-friends"]
        .map(String::from)
        .to_vec();
    word_of_mouth.aliases = vec!["partner".into()];
    let mut events = OriginDef::new("events", "Events, fairs, forums", "prospecting");
    events.aliases = vec!["event".into()];
    vec![
        word_of_mouth,
        OriginDef::new("town-hall-website", "Town hall website", "town-hall"),
        OriginDef::new("town-hall-staff", "Town hall staff", "town-hall"),
        OriginDef::new("municipal-bulletin", "Municipal bulletin", "town-hall"),
        OriginDef::new("posters", "Posters", "print"),
        OriginDef::new("leaflets", "Leaflets", "print"),
        OriginDef::new("press", "Press", "media"),
        OriginDef::new("directories", "Directories", "internet"),
        OriginDef::new("own-website", "Our website", "internet"),
        OriginDef::new("outbound-calls", "Outbound calls", "prospecting"),
        events,
        OriginDef::new("mutual-insurance", "Mutual-insurance platforms", "networks"),
        OriginDef::new("works-councils", "Works councils", "networks"),
        OriginDef::new("national-networks", "National networks", "networks"),
        OriginDef::new("returning", "Returning client", "clients"),
        OriginDef::new("other", "Other", "other"),
    ]
}

/// A reference resolved against the list: its canonical spelling and its group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedOrigin {
    /// `word-of-mouth/client`, `press`, or a group alone (`town-hall`).
    pub key: String,
    /// The group (the origin's id when it has none).
    pub group: String,
}

/// Resolve `reference` against `list`; `None` when it names nothing there.
pub fn resolve(list: &[OriginDef], reference: &str) -> Option<ResolvedOrigin> {
    let reference = reference.trim();
    let group_of = |o: &OriginDef| o.group.clone().unwrap_or_else(|| o.id.clone());
    if let Some((id, kind)) = reference.split_once('/') {
        let o = list.iter().find(|o| o.id == id)?;
        return o.kinds.iter().any(|k| k == kind).then(|| ResolvedOrigin {
            key: format!("{id}/{kind}"),
            group: group_of(o),
        });
    }
    if let Some(o) = list.iter().find(|o| o.id == reference) {
        return Some(ResolvedOrigin {
            key: o.id.clone(),
            group: group_of(o),
        });
    }
    if let Some(o) = list
        .iter()
        .find(|o| o.aliases.iter().any(|a| a == reference))
    {
        let key = if o.kinds.iter().any(|k| k == reference) {
            format!("{}/{reference}", o.id)
        } else {
            o.id.clone()
        };
        return Some(ResolvedOrigin {
            key,
            group: group_of(o),
        });
    }
    list.iter()
        .any(|o| o.group.as_deref() == Some(reference))
        .then(|| ResolvedOrigin {
            key: reference.to_string(),
            group: reference.to_string(),
        })
}

/// Every word a reference may be, in list order (for did-you-mean and help texts).
pub fn spellings(list: &[OriginDef]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for o in list {
        out.push(o.id.clone());
        out.extend(o.kinds.iter().map(|k| format!("{}/{k}", o.id)));
        out.extend(o.aliases.iter().cloned());
        if let Some(g) = &o.group
            && !out.contains(g)
        {
            out.push(g.clone());
        }
    }
    out
}

/// What makes a word of `list` name something else than it says, or nothing: each problem
/// with the route of the offending value in fresk.yaml (`origins[3].aliases[0]`). `resolve`
/// takes the first match, so a later duplicate is never reached.
pub fn list_problems(list: &[OriginDef]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let unusable = |w: &str| w.trim().is_empty() || w.contains('/') || w.trim() != w;
    for (i, o) in list.iter().enumerate() {
        let route = |field: &str| format!("origins[{i}].{field}");
        if unusable(&o.id) {
            out.push((
                route("id"),
                format!(
                    "the origin id `{}` cannot be written in `origins:`: an id is one word without `/` or surrounding spaces (kinds are written `id/kind`)",
                    o.id.escape_debug()
                ),
            ));
        } else if let Some(first) = list[..i].iter().position(|p| p.id == o.id) {
            out.push((
                route("id"),
                format!(
                    "the origin `{}` is listed twice (origins[{first}] and here): requests naming it get the first; merge the two",
                    o.id
                ),
            ));
        }
        for (k, kind) in o.kinds.iter().enumerate() {
            if unusable(kind) {
                out.push((
                    route(&format!("kinds[{k}]")),
                    format!(
                        "the kind `{}` cannot be written as `{}/<kind>`: a kind is one word without `/` or surrounding spaces",
                        kind.escape_debug(),
                        o.id
                    ),
                ));
            }
        }
        for (a, alias) in o.aliases.iter().enumerate() {
            let at = route(&format!("aliases[{a}]"));
            if unusable(alias) {
                out.push((
                    at,
                    format!(
                        "the alias `{}` cannot be written in `origins:`: an alias is one word without `/` or surrounding spaces",
                        alias.escape_debug()
                    ),
                ));
            } else if let Some(other) = list.iter().find(|p| p.id == *alias && p.id != o.id) {
                out.push((
                    at,
                    format!(
                        "the alias `{alias}` of `{}` is the id of the origin `{}`, which it names instead; remove the alias",
                        o.id, other.id
                    ),
                ));
            } else if let Some(other) = list[..i].iter().find(|p| p.aliases.contains(alias)) {
                out.push((
                    at,
                    format!(
                        "the alias `{alias}` of `{}` is an alias of `{}` already, which it names; keep it on one origin",
                        o.id, other.id
                    ),
                ));
            } else if let Some(other) = list
                .iter()
                .find(|p| p.id != o.id && p.group.as_deref() == Some(alias))
            {
                out.push((
                    at,
                    format!(
                        "the alias `{alias}` of `{}` is the group of `{}`: a request writing `{alias}` names `{}`, never the group; remove the alias or rename the group",
                        o.id, other.id, o.id
                    ),
                ));
            }
        }
        if let Some(group) = &o.group
            && let Some(other) = list.iter().find(|p| p.id == *group && p.id != o.id)
        {
            out.push((
                route("group"),
                format!(
                    "the group `{group}` of `{}` is the id of the origin `{}`: a request writing `{group}` names that origin, never the group; rename the group",
                    o.id, other.id
                ),
            ));
        }
    }
    out
}

/// The label of a resolved key: `Word of mouth — client`, an origin's label, or the group.
pub fn label_of(list: &[OriginDef], key: &str) -> String {
    let (id, kind) = match key.split_once('/') {
        Some((id, kind)) => (id, Some(kind)),
        None => (key, None),
    };
    match (list.iter().find(|o| o.id == id), kind) {
        (Some(o), Some(kind)) => format!("{} — {kind}", o.label()),
        (Some(o), None) => o.label().to_string(),
        (None, _) => key.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_old_single_origin_words_keep_their_meaning() {
        let list = default_origins();
        let key = |r: &str| resolve(&list, r).map(|o| o.key);
        assert_eq!(key("word-of-mouth").as_deref(), Some("word-of-mouth"));
        assert_eq!(key("partner").as_deref(), Some("word-of-mouth/partner"));
        assert_eq!(key("event").as_deref(), Some("events"));
        assert_eq!(key("town-hall").as_deref(), Some("town-hall"));
        assert_eq!(key("internet").as_deref(), Some("internet"));
        assert_eq!(key("returning").as_deref(), Some("returning"));
        assert_eq!(key("other").as_deref(), Some("other"));
        assert_eq!(
            key("word-of-mouth/client").as_deref(),
            Some("word-of-mouth/client")
        );
        assert_eq!(key("word-of-mouth/cousin"), None);
        assert_eq!(key("pres"), None);
        assert_eq!(
            resolve(&list, "press").map(|o| o.group).as_deref(),
            Some("media")
        );
    }

    #[test]
    fn a_list_whose_words_name_something_else_is_refused() {
        assert_eq!(list_problems(&default_origins()), Vec::new());
        let mut list = default_origins();
        list.push(OriginDef::new("press", "Press again", "media"));
        list.push(OriginDef::new("flyers/a5", "Flyers", "print"));
        list[1].aliases = vec!["press".into(), "event".into()];
        list[2].group = Some("other".into());
        list[0].kinds.push(" x".into());
        // An alias that is the origin's own id is only redundant.
        list[3].aliases = vec!["municipal-bulletin".into()];
        // An alias that is another origin's group hides the group.
        list[6].aliases = vec!["print".into()];
        let routes: Vec<String> = list_problems(&list).into_iter().map(|(r, _)| r).collect();
        assert_eq!(
            routes,
            [
                "origins[0].kinds[4]",
                "origins[1].aliases[0]",
                "origins[2].group",
                "origins[6].aliases[0]",
                "origins[10].aliases[0]",
                "origins[16].id",
                "origins[17].id",
            ]
        );
    }

    #[test]
    fn the_built_in_list_has_the_annex_origins() {
        let list = default_origins();
        assert_eq!(list.len(), 16);
        assert!(spellings(&list).contains(&"word-of-mouth/family-friends".to_string()));
        assert_eq!(
            label_of(&list, "word-of-mouth/client"),
            "Word of mouth — client"
        );
    }
}
