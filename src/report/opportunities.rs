//! The opportunities (`fresk opportunities`, `fresk request list --open`): published requests
//! waiting for a coordinator — or a facilitator, on the introduction track — with what, where,
//! when, the level and language they need, the deadline and who applied; as rows, JSON, or a
//! self-contained HTML page a network can publish.

use crate::model::opportunity::{applicant_role, open_on, required_level, speaks, unfit};
use crate::model::{Date, Person, RequestState};
use crate::workspace::Workspace;
use serde::Serialize;
use std::fmt::Write as _;

/// One published request, as the network sees it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Opportunity {
    pub request: String,
    /// `coordinator` (subcontracting) or `facilitator` (introduction): who is sought.
    pub sought: String,
    pub track: String,
    pub organisation: String,
    /// The internal group that carries it.
    pub group: Option<String>,
    pub sector: Option<String>,
    pub summary: Option<String>,
    pub location: Option<String>,
    pub wished_dates: Vec<Date>,
    pub participants: Option<u32>,
    pub language: Option<String>,
    /// The lowest level the client's sector requires (requirements in fresk.yaml).
    pub level: Option<String>,
    pub published: Option<Date>,
    pub apply_until: Option<Date>,
    /// Applications still taken today (not past `apply_until`).
    pub open: bool,
    pub applicants: Vec<String>,
}

/// The list: a version for tools, the day it was made, and the opportunities in id order.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Opportunities {
    pub version: u32,
    pub today: Date,
    /// The person the list was filtered for (`--for`).
    pub r#for: Option<String>,
    pub opportunities: Vec<Opportunity>,
}

/// The published requests, all of them, or those `viewer` may apply to today (role, level,
/// language, deadline).
pub fn compute(ws: &Workspace, today: Date, viewer: Option<&Person>) -> Opportunities {
    let config = ws.config.as_ref().map(|c| &c.value);
    let mut list: Vec<Opportunity> = Vec::new();
    let mut requests: Vec<_> = ws
        .requests
        .iter()
        .filter(|r| r.state == RequestState::Published)
        .collect();
    requests.sort_by(|a, b| (a.id.len(), &a.id).cmp(&(b.id.len(), &b.id)));
    for r in requests {
        let org = ws.organisations.iter().find(|o| o.id == r.organisation);
        let sector = org.map(|o| o.sector);
        if let Some(p) = viewer {
            let fits = config.is_none_or(|c| unfit(c, p, r, sector).is_none())
                && p.has_role(applicant_role(r.track))
                && speaks(p, r)
                && open_on(r, today);
            if !fits {
                continue;
            }
        }
        let need = r.need.as_ref();
        list.push(Opportunity {
            request: r.id.clone(),
            sought: applicant_role(r.track).to_string(),
            track: r.track.to_string(),
            organisation: org.map_or_else(|| r.organisation.clone(), |o| o.name.clone()),
            group: r.group.clone(),
            sector: sector.map(|s| s.as_str().to_string()),
            summary: need.map(|n| n.summary.clone()),
            location: need.and_then(|n| n.location.clone()),
            wished_dates: need.map(|n| n.wished_dates.clone()).unwrap_or_default(),
            participants: need.and_then(|n| n.participants),
            language: need.and_then(|n| n.language.clone()),
            level: config
                .zip(sector)
                .and_then(|(c, s)| required_level(c, s, r.track))
                .map(str::to_string),
            published: r.published,
            apply_until: r.apply_until,
            open: open_on(r, today),
            applicants: r.applications.iter().map(|a| a.person.clone()).collect(),
        });
    }
    Opportunities {
        version: 1,
        today,
        r#for: viewer.map(|p| p.id.clone()),
        opportunities: list,
    }
}

pub const HEADERS: &[&str] = &[
    "request",
    "sought",
    "organisation",
    "sector",
    "what",
    "where",
    "when",
    "language",
    "level",
    "apply until",
    "applicants",
];

fn dates(d: &[Date]) -> String {
    d.iter().map(Date::to_string).collect::<Vec<_>>().join(" ")
}

/// One row per opportunity, in the order of [`HEADERS`].
pub fn rows(o: &Opportunities) -> Vec<Vec<String>> {
    o.opportunities
        .iter()
        .map(|x| {
            vec![
                x.request.clone(),
                x.sought.clone(),
                x.organisation.clone(),
                x.sector.clone().unwrap_or_default(),
                x.summary.clone().unwrap_or_default(),
                x.location.clone().unwrap_or_default(),
                dates(&x.wished_dates),
                x.language.clone().unwrap_or_default(),
                x.level.clone().unwrap_or_default(),
                match (x.apply_until, x.open) {
                    (Some(u), true) => u.to_string(),
                    (Some(u), false) => format!("{u} (closed)"),
                    (None, _) => String::new(),
                },
                x.applicants.join(" "),
            ]
        })
        .collect()
}

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A self-contained page (styles inline, no script, no outside resource).
pub fn html(o: &Opportunities, network: &str) -> String {
    let mut h = String::new();
    let title = format!("{network} — opportunities");
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\nbody{{font-family:system-ui,sans-serif;margin:2rem;color:#222}}\narticle{{border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}}\nh2{{margin:0 0 .5rem;font-size:1.1rem}}\ndl{{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}}\ndt{{font-weight:600}}\n.closed{{color:#a00}}\ncode{{background:#f4f4f4;padding:0 .3rem}}\n</style>\n</head>\n<body>\n<h1>{}</h1>\n<p>Published requests waiting for a coordinator or a facilitator, on {}. Apply with <code>fresk request apply REQUEST --person YOU --commit --branch</code> and open a pull request.</p>\n",
        esc(&title),
        esc(&title),
        o.today
    );
    if o.opportunities.is_empty() {
        h.push_str("<p>No opportunity is open right now.</p>\n");
    }
    for x in &o.opportunities {
        let _ = write!(
            h,
            "<article id=\"{id}\">\n<h2>{id} — {what}</h2>\n<dl>\n",
            id = esc(&x.request),
            what = esc(x.summary.as_deref().unwrap_or(""))
        );
        let mut item = |k: &str, v: String| {
            if !v.is_empty() {
                let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&v));
            }
        };
        item("Sought", x.sought.clone());
        item("Client", x.organisation.clone());
        item("Group", x.group.clone().unwrap_or_default());
        item("Sector", x.sector.clone().unwrap_or_default());
        item("Where", x.location.clone().unwrap_or_default());
        item("When", dates(&x.wished_dates));
        item(
            "Participants",
            x.participants.map(|p| p.to_string()).unwrap_or_default(),
        );
        item("Language", x.language.clone().unwrap_or_default());
        item("Level", x.level.clone().unwrap_or_default());
        item("Applicants", x.applicants.join(", "));
        if let Some(u) = x.apply_until {
            let class = if x.open { "" } else { " class=\"closed\"" };
            let _ = writeln!(
                h,
                "<dt>Apply until</dt><dd{class}>{}{}</dd>",
                u,
                if x.open { "" } else { " (closed)" }
            );
        }
        h.push_str("</dl>\n</article>\n");
    }
    h.push_str("</body>\n</html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">R&D's</a>"),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D&#39;s&lt;/a&gt;"
        );
    }
}
