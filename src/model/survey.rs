//! Satisfaction surveys: the answers of one session (raw, in `private/surveys/<session>.yaml`)
//! and their anonymous summary (in the session file): how many answered, the average of each
//! rating question, and the net promoter score when the survey asks the 0–10 question.

use super::money::Quantity;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The anonymous summary of a session's survey, written by `fresk survey import`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveySummary {
    /// How many participants answered.
    pub responses: u32,
    /// The average answer of each rating question (by its id in `survey.questions`), on the
    /// survey's scale, to two decimals.
    #[serde(default)]
    pub averages: BTreeMap<String, Quantity>,
    /// The net promoter score, −100 to 100: the percentage of 9–10 answers minus that of 0–6
    /// answers to the "would you recommend" question.
    #[serde(default)]
    pub nps: Option<i32>,
    /// The survey's scale (the highest answer) when the averages were computed.
    #[serde(default)]
    pub scale: Option<u32>,
}

/// One participant's answers, as kept in the private file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// The line of the form export the answers were on.
    pub line: usize,
    /// The rating answers, by question id.
    #[serde(default)]
    pub answers: BTreeMap<String, u32>,
    /// The 0–10 answer, when asked.
    #[serde(default)]
    pub nps: Option<u32>,
    /// The free-text answer.
    #[serde(default)]
    pub comment: Option<String>,
}

/// `private/surveys/<session>.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    pub session: String,
    /// The form export it was read from (its file name).
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub responses: Vec<Response>,
}

impl Answers {
    /// The anonymous summary of the answers, for the questions `ids` on `scale`.
    pub fn summary(&self, ids: &[&str], scale: u32, nps: bool) -> SurveySummary {
        let mut averages = BTreeMap::new();
        for id in ids {
            let given: Vec<u32> = self
                .responses
                .iter()
                .filter_map(|r| r.answers.get(*id).copied())
                .collect();
            if let Some(avg) = average(&given) {
                averages.insert((*id).to_string(), avg);
            }
        }
        let scores: Vec<u32> = self.responses.iter().filter_map(|r| r.nps).collect();
        SurveySummary {
            responses: u32::try_from(self.responses.len()).unwrap_or(u32::MAX),
            averages,
            nps: if nps { net_promoter(&scores) } else { None },
            scale: Some(scale),
        }
    }

    /// The comments, in the order of the export.
    pub fn comments(&self) -> Vec<&str> {
        self.responses
            .iter()
            .filter_map(|r| r.comment.as_deref())
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect()
    }
}

/// The average of `values` to two decimals (half away from zero), `None` when there are none.
pub fn average(values: &[u32]) -> Option<Quantity> {
    if values.is_empty() {
        return None;
    }
    let sum: Decimal = values.iter().map(|v| Decimal::from(*v)).sum();
    Some(Quantity(
        (sum / Decimal::from(values.len()))
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            .normalize(),
    ))
}

/// The net promoter score of 0–10 `scores`: % of 9–10 minus % of 0–6, rounded to a whole
/// number; `None` without scores.
pub fn net_promoter(scores: &[u32]) -> Option<i32> {
    if scores.is_empty() {
        return None;
    }
    let promoters = scores.iter().filter(|s| **s >= 9).count();
    let detractors = scores.iter().filter(|s| **s <= 6).count();
    let diff = Decimal::from(promoters as i64 - detractors as i64) * Decimal::from(100)
        / Decimal::from(scores.len());
    use rust_decimal::prelude::ToPrimitive;
    diff.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .to_i32()
}

/// A rating answer as forms export it: `4`, `4/5`, `4 - Good`, `4,0`; `None` when it is not a
/// whole number at the start.
pub fn parse_rating(text: &str) -> Option<u32> {
    let t = text.trim();
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let rest = t[digits.len()..].trim_start();
    // `4,0` or `4.0`: a whole number written with decimals.
    let rest = match rest.strip_prefix([',', '.']) {
        Some(decimals)
            if decimals
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .all(|c| c == '0') =>
        {
            decimals.trim_start_matches('0')
        }
        Some(_) => return None,
        None => rest,
    };
    if !(rest.is_empty() || rest.starts_with(['/', '-', ' ', '(', '–'])) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_and_net_promoter_score_by_hand() {
        assert_eq!(average(&[4, 5, 5]).unwrap().to_string(), "4.67");
        assert_eq!(average(&[4, 5]).unwrap().to_string(), "4.5");
        assert_eq!(average(&[]), None);
        // 3 promoters, 1 passive, 1 detractor: (3 − 1) / 5 = 40.
        assert_eq!(net_promoter(&[10, 9, 9, 8, 3]), Some(40));
        // 1 promoter, 2 detractors of 3: −33.3 → −33.
        assert_eq!(net_promoter(&[10, 6, 0]), Some(-33));
        assert_eq!(net_promoter(&[]), None);
    }

    #[test]
    fn ratings_as_forms_write_them() {
        for (text, want) in [
            ("4", Some(4)),
            (" 5 ", Some(5)),
            ("4/5", Some(4)),
            ("4 - Bien", Some(4)),
            ("4,0", Some(4)),
            ("4.5", None),
            ("Bien", None),
            ("", None),
            ("45x", None),
        ] {
            assert_eq!(parse_rating(text), want, "{text:?}");
        }
    }

    #[test]
    fn a_summary_counts_only_the_answers_given() {
        let answers = Answers {
            session: "S1".into(),
            source: None,
            responses: vec![
                Response {
                    line: 2,
                    answers: [("content".to_string(), 5), ("pace".to_string(), 3)].into(),
                    nps: Some(10),
                    comment: Some("Très bien".into()),
                },
                Response {
                    line: 3,
                    answers: [("content".to_string(), 4)].into(),
                    nps: Some(6),
                    comment: Some("  ".into()),
                },
            ],
        };
        let s = answers.summary(&["content", "pace", "other"], 5, true);
        assert_eq!(s.responses, 2);
        assert_eq!(s.averages["content"].to_string(), "4.5");
        assert_eq!(s.averages["pace"].to_string(), "3");
        assert!(!s.averages.contains_key("other"));
        assert_eq!(s.nps, Some(0));
        assert_eq!(answers.comments(), vec!["Très bien"]);
    }
}
