//! VAT per line and the VAT breakdown of a document: the one computation behind the totals a
//! PDF prints and the amounts an e-invoice carries.
//!
//! EN 16931's order: each line's net amount is rounded to the cent (BT-131); lines are grouped
//! by VAT category and rate (BG-23); each group's base (BT-116) is the sum of its lines, its
//! tax (BT-117) the base × rate rounded to the cent; the document's VAT (BT-110) is the sum of
//! the groups' taxes.

use super::common::{Vat, VatRegime};
use super::money::Money;
use rust_decimal::Decimal;

/// The VATEX code of the franchise (art. 293 B du CGI) in e-invoices.
pub const FRANCHISE_CODE: &str = "VATEX-FR-FRANCHISE";

/// A VAT treatment resolved for computing: its category, rate and exemption.
#[derive(Debug, Clone, PartialEq)]
pub struct Tax {
    pub regime: VatRegime,
    /// Percent (20, 5.5); zero when exempt.
    pub rate: Decimal,
    /// The exemption's mention, printed and sent as BT-120.
    pub mention: Option<String>,
    /// The exemption's VATEX code (BT-121).
    pub exemption: Option<String>,
}

/// What a VAT treatment lacks to be computed or printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxGap {
    /// `standard` without `rate`.
    Rate,
    /// `exempt` or `franchise` without `mention`.
    Mention,
}

impl Tax {
    /// The treatment `vat` describes, or what it lacks.
    pub fn of(vat: &Vat) -> Result<Tax, TaxGap> {
        let mention = vat
            .mention
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(str::to_string);
        let code = vat
            .exemption
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_ascii_uppercase);
        match vat.regime {
            VatRegime::Standard => match vat.rate {
                Some(rate) => Ok(Tax {
                    regime: VatRegime::Standard,
                    rate: rate.0,
                    mention: None,
                    exemption: None,
                }),
                None => Err(TaxGap::Rate),
            },
            regime @ (VatRegime::Exempt | VatRegime::Franchise) => match mention {
                Some(m) => Ok(Tax {
                    regime,
                    rate: Decimal::ZERO,
                    mention: Some(m),
                    exemption: code.or_else(|| {
                        (regime == VatRegime::Franchise).then(|| FRANCHISE_CODE.to_string())
                    }),
                }),
                None => Err(TaxGap::Mention),
            },
        }
    }

    /// The EN 16931 VAT category code (UNTDID 5305): `S` standard (any rate, reduced
    /// included), `E` exempt (the franchise included).
    pub fn category(&self) -> &'static str {
        match self.regime {
            VatRegime::Standard => "S",
            VatRegime::Exempt | VatRegime::Franchise => "E",
        }
    }
}

/// One group of the VAT breakdown (BG-23): the lines of one category and rate.
#[derive(Debug, Clone, PartialEq)]
pub struct VatGroup {
    /// `S` or `E`.
    pub category: &'static str,
    pub regime: VatRegime,
    pub rate: Decimal,
    /// The sum of its lines' net amounts.
    pub base: Money,
    /// base × rate, rounded to the cent.
    pub tax: Money,
    /// The exemption mentions of its lines, each once, in order.
    pub mentions: Vec<String>,
    /// The VATEX code of its first exempt line that has one.
    pub exemption: Option<String>,
}

/// The VAT breakdown of a document and its totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    /// In the order their categories first appear in the lines.
    pub groups: Vec<VatGroup>,
    /// The sum of the lines' net amounts (BT-106, BT-109).
    pub net: Money,
    /// The sum of the groups' taxes (BT-110).
    pub tax: Money,
    /// net + tax (BT-112).
    pub gross: Money,
}

impl Breakdown {
    /// Group `lines` (each line's net amount, already rounded to the cent, and its treatment).
    pub fn of<'a>(lines: impl IntoIterator<Item = (Money, &'a Tax)>) -> Breakdown {
        let mut groups: Vec<VatGroup> = Vec::new();
        let mut net = Money::ZERO;
        for (amount, tax) in lines {
            net += amount;
            let at = groups
                .iter()
                .position(|g| g.category == tax.category() && g.rate == tax.rate);
            let group = match at {
                Some(i) => &mut groups[i],
                None => {
                    groups.push(VatGroup {
                        category: tax.category(),
                        regime: tax.regime,
                        rate: tax.rate,
                        base: Money::ZERO,
                        tax: Money::ZERO,
                        mentions: Vec::new(),
                        exemption: None,
                    });
                    let last = groups.len() - 1;
                    &mut groups[last]
                }
            };
            group.base += amount;
            if let Some(m) = &tax.mention
                && !group.mentions.contains(m)
            {
                group.mentions.push(m.clone());
            }
            if group.exemption.is_none() {
                group.exemption.clone_from(&tax.exemption);
            }
        }
        let mut total = Money::ZERO;
        for g in &mut groups {
            g.tax = g.base.times(g.rate / Decimal::ONE_HUNDRED).round();
            total += g.tax;
        }
        Breakdown {
            groups,
            net,
            tax: total,
            gross: net + total,
        }
    }

    /// Whether the lines fall in more than one category or rate (each line then says its VAT).
    pub fn is_mixed(&self) -> bool {
        self.groups.len() > 1
    }
}

/// Where a line's VAT treatment is written, for messages: the route and the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatSource {
    pub route: String,
    pub file: String,
}

impl VatSource {
    pub fn new(route: impl Into<String>, file: impl Into<String>) -> VatSource {
        VatSource {
            route: route.into(),
            file: file.into(),
        }
    }

    /// What is missing at this place, as a sentence.
    pub fn gap(&self, vat: &Vat, gap: TaxGap) -> String {
        let (route, file) = (&self.route, &self.file);
        match gap {
            TaxGap::Rate => {
                format!("the VAT rate (`{route}.rate` in {file}), since the regime is `standard`")
            }
            TaxGap::Mention => format!(
                "the VAT exemption mention (`{route}.mention` in {file}), printed because the regime is `{}`",
                match vat.regime {
                    VatRegime::Exempt => "exempt",
                    _ => "franchise",
                }
            ),
        }
    }
}

/// The breakdown of `lines` (each line's net amount, its VAT and where that VAT is written),
/// with each line's treatment; or everything the treatments lack, each once.
pub fn resolve<'a>(
    lines: impl IntoIterator<Item = (Money, &'a Vat, VatSource)>,
) -> Result<(Breakdown, Vec<Tax>), Vec<String>> {
    let mut taxes = Vec::new();
    let mut amounts = Vec::new();
    let mut gaps: Vec<String> = Vec::new();
    for (amount, vat, source) in lines {
        match Tax::of(vat) {
            Ok(t) => {
                taxes.push(t);
                amounts.push(amount);
            }
            Err(g) => {
                let gap = source.gap(vat, g);
                if !gaps.contains(&gap) {
                    gaps.push(gap);
                }
            }
        }
    }
    if !gaps.is_empty() {
        return Err(gaps);
    }
    let breakdown = Breakdown::of(amounts.into_iter().zip(taxes.iter()));
    Ok((breakdown, taxes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Quantity;

    fn vat(regime: VatRegime, rate: Option<&str>, mention: Option<&str>) -> Vat {
        Vat {
            regime,
            mention: mention.map(str::to_string),
            rate: rate.map(|r| Quantity::parse(r).unwrap()),
            number: None,
            exemption: None,
        }
    }

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    #[test]
    fn mixed_rates_group_by_category_and_rate_and_round_each_group() {
        let training = Tax::of(&vat(VatRegime::Exempt, None, Some("art. 261-4-4°"))).unwrap();
        let catering = Tax::of(&vat(VatRegime::Standard, Some("10"), None)).unwrap();
        let rental = Tax::of(&vat(VatRegime::Standard, Some("20"), None)).unwrap();
        let b = Breakdown::of([
            (m("2400"), &training),
            (m("10.05"), &catering),
            (m("10.05"), &catering),
            (m("333.33"), &rental),
        ]);
        assert_eq!(b.groups.len(), 3);
        assert_eq!(b.groups[0].category, "E");
        assert_eq!(b.groups[0].mentions, ["art. 261-4-4°"]);
        // 20.10 × 10 % = 2.01 (the group, not each line: 1.005 + 1.005 would round to 2.02).
        assert_eq!(b.groups[1].base, m("20.10"));
        assert_eq!(b.groups[1].tax, m("2.01"));
        assert_eq!(b.groups[2].tax, m("66.67"));
        assert_eq!(b.net, m("2753.43"));
        assert_eq!(b.tax, m("68.68"));
        assert_eq!(b.gross, m("2822.11"));
        assert!(b.is_mixed());
    }

    #[test]
    fn the_franchise_is_exempt_with_its_vatex_code() {
        let t = Tax::of(&vat(VatRegime::Franchise, None, Some("art. 293 B"))).unwrap();
        assert_eq!(t.category(), "E");
        assert_eq!(t.exemption.as_deref(), Some(FRANCHISE_CODE));
        assert_eq!(
            Tax::of(&vat(VatRegime::Standard, None, None)),
            Err(TaxGap::Rate)
        );
        assert_eq!(
            Tax::of(&vat(VatRegime::Exempt, None, Some("  "))),
            Err(TaxGap::Mention)
        );
    }

    #[test]
    fn a_credit_of_negative_lines_has_negative_vat() {
        let s = Tax::of(&vat(VatRegime::Standard, Some("5.5"), None)).unwrap();
        let b = Breakdown::of([(m("-100.10"), &s)]);
        assert_eq!(b.tax, m("-5.51"));
        assert_eq!(b.gross, m("-105.61"));
    }
}
