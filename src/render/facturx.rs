//! The e-invoice: the EN 16931 Cross Industry Invoice (UN/CEFACT CII D16B, Factur-X profile
//! EN 16931, `urn:cen.eu:en16931:2017`) of a client invoice (type code 380), a credit note
//! (381) or a self-invoice (389: the facilitator sells, the association buys).
//!
//! Every amount comes from [`crate::model::vat`], the computation the printed documents use.
//! The document's own builder ([`super::invoice::build`], [`super::self_invoice::build`]) runs
//! first and refuses what a document would lack; this module only writes what it found.

use super::document::{Cx, Missing, address_lines};
use crate::model::payout::SelfInvoice;
use crate::model::vat::{Breakdown, Tax, VatSource, resolve};
use crate::model::{Date, Invoice, InvoiceKind, Money, Payout, Quantity, Vat};
use crate::workspace::Loaded;
use std::fmt::Write;

/// The Factur-X EN 16931 profile (BT-24).
pub const PROFILE: &str = "urn:cen.eu:en16931:2017";

/// The association as a party: the seller of its invoices, the buyer of its self-invoices.
fn association(org: &crate::model::config::Organisation, seller: bool) -> Party<'_> {
    Party {
        name: &org.name,
        siret: org.siret.as_deref().map(digits),
        vat_number: org.vat.number.as_deref(),
        address: Some(&org.address),
        country: "FR".into(),
        email: org.email.as_deref(),
        seller,
    }
}

/// One side of the e-invoice (BG-4 seller, BG-7 buyer).
struct Party<'a> {
    name: &'a str,
    /// SIRET (14 digits) or SIREN (9), digits only.
    siret: Option<String>,
    /// The intra-community VAT number (BT-31, BT-48).
    vat_number: Option<&'a str>,
    address: Option<&'a str>,
    /// ISO 3166-1 alpha-2.
    country: String,
    email: Option<&'a str>,
    /// Fills BT-32 (the seller's tax registration) when it has no VAT number and sells
    /// exempt lines, which EN 16931 asks for (BR-E-02).
    seller: bool,
}

impl Party<'_> {
    /// SIREN (9 digits) of a SIRET or SIREN.
    fn siren(&self) -> Option<&str> {
        self.siret
            .as_deref()
            .filter(|s| s.len() == 14 || s.len() == 9)
            .map(|s| &s[..9])
    }

    /// The electronic address (BT-34, BT-49) and its scheme: a French company's is its SIREN
    /// in the e-invoicing directory (scheme 0225); else its e-mail.
    fn electronic_address(&self) -> Option<(&'static str, &str)> {
        let email = self.email.map(str::trim).filter(|e| !e.is_empty());
        match (self.siren().filter(|_| self.country == "FR"), email) {
            (Some(s), _) => Some(("0225", s)),
            (None, Some(e)) => Some(("EM", e)),
            (None, None) => None,
        }
    }
}

/// One line (BG-25).
struct Item {
    name: String,
    quantity: Quantity,
    unit_price: Money,
    net: Money,
    tax: Tax,
}

/// The header data that is not a party or a line.
struct Head<'a> {
    number: &'a str,
    type_code: &'static str,
    issued: Date,
    due: Option<Date>,
    notes: Vec<(&'static str, String)>,
    buyer_reference: Option<&'a str>,
    order: Option<&'a str>,
    /// BT-25 and BT-26: the invoice a credit note corrects.
    corrects: Option<(&'a str, Option<Date>)>,
    /// The association's IBAN and BIC (BT-84, BT-86), when the buyer pays it by transfer.
    iban: Option<(String, Option<String>)>,
    /// BT-72: the day the service was delivered (the last session), when known; else the
    /// issue date (French law prints the date of the supply only when it differs from it).
    delivered: Option<Date>,
}

/// The CII of the client invoice or credit note `inv`.
pub fn invoice(cx: &Cx, inv: &Loaded<Invoice>) -> Result<String, Missing> {
    let mut missing = Missing::default();
    let file = &inv.file;
    let credit = inv.kind == InvoiceKind::CreditNote;
    let fee = super::invoice::is_fee_invoice(cx, &inv.id);
    let (b, taxes) = match inv.breakdown(cx.config, fee, file) {
        Ok(r) => r,
        Err(gaps) => {
            gaps.into_iter().for_each(|g| missing.add(g));
            return Err(missing);
        }
    };
    let Some(client) = cx
        .ws
        .organisations
        .iter()
        .find(|o| o.id == inv.organisation)
    else {
        missing.add(format!(
            "the client: organisation `{}` has no file in organisations/",
            inv.organisation
        ));
        return Err(missing);
    };
    let Some(issued) = inv.issued else {
        missing.add(format!("the date of issue (`issued` in {file})"));
        return Err(missing);
    };
    let items = inv
        .lines
        .iter()
        .zip(taxes)
        .map(|(l, tax)| Item {
            name: l
                .label
                .clone()
                .filter(|s| !s.trim().is_empty())
                .or_else(|| l.offer.as_deref().and_then(|o| cx.offer_label(o)))
                .unwrap_or_default(),
            quantity: l.quantity,
            unit_price: l.unit_price_in(cx.config).unwrap_or(Money::ZERO),
            net: l.net_in(cx.config),
            tax,
        })
        .collect::<Vec<_>>();
    let corrects = inv.corrects.as_deref().map(|c| {
        let date = cx
            .ws
            .invoices
            .iter()
            .find(|i| i.id == c)
            .and_then(|i| i.issued);
        (c, date)
    });
    let mut notes = Vec::new();
    if let Some(reason) = inv
        .reason
        .as_deref()
        .filter(|r| credit && !r.trim().is_empty())
    {
        notes.push(("ACD", reason.trim().to_string()));
    }
    notes.extend(french_notes(cx));
    let head = Head {
        number: &inv.id,
        type_code: if credit { "381" } else { "380" },
        issued,
        due: inv.due.filter(|_| !credit),
        notes,
        buyer_reference: client.service_code.as_deref(),
        order: inv.purchase_order.as_deref(),
        corrects: corrects.filter(|_| credit),
        iban: association_iban(cx).filter(|_| !credit),
        delivered: match inv.mission.as_deref() {
            Some(m) => last_session(cx, |s| s.mission == m),
            // A fee invoice: the last month it bills is over.
            None => cx
                .ws
                .declarations
                .iter()
                .filter(|d| d.invoice.as_deref() == Some(inv.id.as_str()))
                .map(|d| d.period)
                .max()
                .and_then(month_end),
        },
    };
    let org = &cx.config.organisation;
    let seller = association(org, true);
    let buyer = Party {
        name: &client.name,
        siret: client
            .siret
            .as_deref()
            .or(client.siren.as_deref())
            .map(digits)
            .filter(|s| !s.is_empty()),
        vat_number: client.vat_number.as_deref(),
        address: client.address.as_deref(),
        country: client.country.trim().to_ascii_uppercase(),
        email: client.contacts.iter().find_map(|c| c.email.as_deref()),
        seller: false,
    };
    if buyer.electronic_address().is_none() {
        missing.add(format!(
            "the client's electronic address (BT-49), which French e-invoices require: its SIREN (`siren` or `siret` in {}) for a French client, else a contact's e-mail (`contacts[].email`)",
            client.file
        ));
        return Err(missing);
    }
    Ok(write(cx, &head, &seller, &buyer, &items, &b))
}

/// The CII of the self-invoice `index` of `payout`: the facilitator is the seller.
pub fn self_invoice(cx: &Cx, payout: &Loaded<Payout>, index: usize) -> Result<String, Missing> {
    let mut missing = Missing::default();
    let si: &SelfInvoice = &payout.self_invoices[index];
    let Some((person, billing)) = cx
        .ws
        .person(&si.person)
        .and_then(|p| p.billing.as_ref().map(|b| (p, b)))
    else {
        missing.add(format!(
            "the facilitator's billing identity (`billing:` in people/{}.yaml)",
            si.person
        ));
        return Err(missing);
    };
    let source = VatSource::new("billing.vat", person.file.as_str());
    let paid: Vec<_> = payout
        .lines
        .iter()
        .filter(|l| l.person == si.person)
        .collect();
    let vat: &Vat = &billing.vat;
    let (b, taxes) = match resolve(paid.iter().map(|l| (l.amount, vat, source.clone()))) {
        Ok(r) => r,
        Err(gaps) => {
            gaps.into_iter().for_each(|g| missing.add(g));
            return Err(missing);
        }
    };
    let items = paid
        .iter()
        .zip(taxes)
        .map(|(l, tax)| Item {
            name: self_invoice_line(cx, payout, l),
            quantity: Quantity(rust_decimal::Decimal::ONE),
            unit_price: l.amount,
            net: l.amount,
            tax,
        })
        .collect::<Vec<_>>();
    let mut notes = vec![("REG", cx.l("self_billing").to_string())];
    notes.extend(french_notes(cx));
    let head = Head {
        number: &si.number,
        type_code: "389",
        issued: si.issued,
        due: Some(si.issued.add_days(i64::from(cx.config.payment_terms_days))),
        notes,
        buyer_reference: None,
        order: None,
        corrects: None,
        // The facilitator's account is personal data (private/): not in the e-invoice.
        iban: None,
        // The last session paid, else (coordination) the mission's last.
        delivered: last_session(cx, |s| {
            paid.iter()
                .any(|l| l.session.as_deref() == Some(s.id.as_str()))
        })
        .or_else(|| last_session(cx, |s| s.mission == payout.mission)),
    };
    let org = &cx.config.organisation;
    let seller = Party {
        name: &billing.legal_name,
        siret: billing.siret.as_deref().map(digits),
        vat_number: billing.vat.number.as_deref(),
        address: Some(&billing.address),
        country: billing.country.trim().to_ascii_uppercase(),
        email: None,
        seller: true,
    };
    let buyer = association(org, false);
    Ok(write(cx, &head, &seller, &buyer, &items, &b))
}

/// The label of a self-invoice line: the session's offer, or the coordination.
fn self_invoice_line(cx: &Cx, payout: &Payout, l: &crate::model::payout::PayoutLine) -> String {
    if l.coordination {
        return cx.fill("coordination", &[("mission", &payout.mission)]);
    }
    let session = l.session.as_deref().unwrap_or_default();
    let offer = cx
        .ws
        .sessions
        .iter()
        .find(|s| s.id == session)
        .and_then(|s| cx.offer_label(&s.offer))
        .unwrap_or_else(|| session.to_string());
    format!(
        "{} ({session})",
        cx.fill("facilitation", &[("offer", &offer)])
    )
}

/// The last day of `period`.
fn month_end(period: crate::model::YearMonth) -> Option<Date> {
    let (y, m) = (period.year, period.month);
    let next = if m == 12 {
        chrono::NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        chrono::NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.map(|n| Date(n).add_days(-1))
}

/// The day of the last held session that `pick` picks.
fn last_session(cx: &Cx, pick: impl Fn(&crate::model::Session) -> bool) -> Option<Date> {
    cx.ws
        .sessions
        .iter()
        .filter(|s| s.state == crate::model::SessionState::Held && pick(s))
        .map(|s| s.start.date())
        .max()
}

/// The mentions French law asks of invoices between businesses, as EN 16931 notes: late
/// penalties (PMD), the recovery indemnity (PMT), no discount (AAB).
fn french_notes(cx: &Cx) -> Vec<(&'static str, String)> {
    let docs = &cx.config.documents;
    let rate = docs
        .late_penalty_rate
        .as_ref()
        .and_then(|l| l.get(cx.lang))
        .cloned()
        .unwrap_or_else(|| cx.l("late_penalty_rate").to_string());
    let indemnity = cx.money(docs.recovery_indemnity.unwrap_or(Money::from_int(40)));
    let penalty = cx.fill(
        "late_penalty",
        &[("rate", &rate), ("indemnity", &indemnity)],
    );
    vec![
        ("PMD", penalty),
        (
            "PMT",
            cx.fill("recovery_indemnity", &[("indemnity", &indemnity)]),
        ),
        ("AAB", cx.l("no_discount").to_string()),
    ]
}

/// The association's account, when fresk.yaml has a valid one: what a client pays to.
fn association_iban(cx: &Cx) -> Option<(String, Option<String>)> {
    let bank = cx.config.bank.as_ref()?;
    let iban = crate::model::bank::check_iban(&bank.iban).ok()?;
    let bic = bank
        .bic
        .as_deref()
        .and_then(|b| crate::model::bank::check_bic(b).ok());
    Some((iban, bic))
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// `20260408`: a date in format 102.
fn ymd(d: Date) -> String {
    d.0.format("%Y%m%d").to_string()
}

/// An amount with two decimals, `.` as separator.
fn amount(m: Money) -> String {
    let mut d = m.0;
    d.rescale(2);
    d.to_string()
}

/// A decimal as short as it is exact (`3`, `5.5`).
fn decimal(d: rust_decimal::Decimal) -> String {
    d.normalize().to_string()
}

/// Text escaped for XML content and attributes; control characters XML 1.0 cannot carry are
/// dropped.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// An XML document written element by element, indented.
struct Xml {
    out: String,
    depth: usize,
}

impl Xml {
    fn open(&mut self, tag: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{tag}>");
        self.depth += 1;
    }

    fn close(&mut self, tag: &str) {
        self.depth -= 1;
        self.indent();
        let _ = writeln!(self.out, "</{tag}>");
    }

    /// `<tag attrs>text</tag>`; `attrs` is written as given (already escaped).
    fn leaf(&mut self, tag: &str, attrs: &str, text: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{tag}{attrs}>{}</{tag}>", esc(text));
    }

    fn date(&mut self, tag: &str, d: Date) {
        self.open(tag);
        self.leaf("udt:DateTimeString", " format=\"102\"", &ymd(d));
        self.close(tag);
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }
}

/// The whole CII document.
fn write(
    cx: &Cx,
    head: &Head,
    seller: &Party,
    buyer: &Party,
    items: &[Item],
    b: &Breakdown,
) -> String {
    let mut x = Xml {
        out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        depth: 0,
    };
    x.out.push_str("<rsm:CrossIndustryInvoice xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\" xmlns:qdt=\"urn:un:unece:uncefact:data:standard:QualifiedDataType:100\" xmlns:ram=\"urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100\" xmlns:udt=\"urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100\">\n");
    x.depth = 1;
    x.open("rsm:ExchangedDocumentContext");
    // BT-23, the French billing framework: S1, an invoice for services.
    x.open("ram:BusinessProcessSpecifiedDocumentContextParameter");
    x.leaf("ram:ID", "", "S1");
    x.close("ram:BusinessProcessSpecifiedDocumentContextParameter");
    x.open("ram:GuidelineSpecifiedDocumentContextParameter");
    x.leaf("ram:ID", "", PROFILE);
    x.close("ram:GuidelineSpecifiedDocumentContextParameter");
    x.close("rsm:ExchangedDocumentContext");

    x.open("rsm:ExchangedDocument");
    x.leaf("ram:ID", "", head.number);
    x.leaf("ram:TypeCode", "", head.type_code);
    x.date("ram:IssueDateTime", head.issued);
    for (subject, text) in &head.notes {
        x.open("ram:IncludedNote");
        x.leaf("ram:Content", "", text);
        x.leaf("ram:SubjectCode", "", subject);
        x.close("ram:IncludedNote");
    }
    x.close("rsm:ExchangedDocument");

    x.open("rsm:SupplyChainTradeTransaction");
    for (i, item) in items.iter().enumerate() {
        line(&mut x, i + 1, item);
    }
    x.open("ram:ApplicableHeaderTradeAgreement");
    if let Some(r) = head
        .buyer_reference
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        x.leaf("ram:BuyerReference", "", r);
    }
    party(&mut x, "ram:SellerTradeParty", seller, b);
    party(&mut x, "ram:BuyerTradeParty", buyer, b);
    if let Some(o) = head.order.map(str::trim).filter(|o| !o.is_empty()) {
        x.open("ram:BuyerOrderReferencedDocument");
        x.leaf("ram:IssuerAssignedID", "", o);
        x.close("ram:BuyerOrderReferencedDocument");
    }
    x.close("ram:ApplicableHeaderTradeAgreement");
    x.open("ram:ApplicableHeaderTradeDelivery");
    x.open("ram:ActualDeliverySupplyChainEvent");
    x.date(
        "ram:OccurrenceDateTime",
        head.delivered.unwrap_or(head.issued),
    );
    x.close("ram:ActualDeliverySupplyChainEvent");
    x.close("ram:ApplicableHeaderTradeDelivery");

    settlement(cx, &mut x, head, b);
    x.close("rsm:SupplyChainTradeTransaction");
    x.out.push_str("</rsm:CrossIndustryInvoice>\n");
    x.out
}

fn line(x: &mut Xml, n: usize, item: &Item) {
    x.open("ram:IncludedSupplyChainTradeLineItem");
    x.open("ram:AssociatedDocumentLineDocument");
    x.leaf("ram:LineID", "", &n.to_string());
    x.close("ram:AssociatedDocumentLineDocument");
    x.open("ram:SpecifiedTradeProduct");
    x.leaf("ram:Name", "", &item.name);
    x.close("ram:SpecifiedTradeProduct");
    x.open("ram:SpecifiedLineTradeAgreement");
    x.open("ram:NetPriceProductTradePrice");
    x.leaf("ram:ChargeAmount", "", &amount(item.unit_price));
    x.close("ram:NetPriceProductTradePrice");
    x.close("ram:SpecifiedLineTradeAgreement");
    x.open("ram:SpecifiedLineTradeDelivery");
    // C62: "one", a unit of service.
    x.leaf(
        "ram:BilledQuantity",
        " unitCode=\"C62\"",
        &decimal(item.quantity.0),
    );
    x.close("ram:SpecifiedLineTradeDelivery");
    x.open("ram:SpecifiedLineTradeSettlement");
    x.open("ram:ApplicableTradeTax");
    x.leaf("ram:TypeCode", "", "VAT");
    x.leaf("ram:CategoryCode", "", item.tax.category());
    x.leaf("ram:RateApplicablePercent", "", &decimal(item.tax.rate));
    x.close("ram:ApplicableTradeTax");
    x.open("ram:SpecifiedTradeSettlementLineMonetarySummation");
    x.leaf("ram:LineTotalAmount", "", &amount(item.net));
    x.close("ram:SpecifiedTradeSettlementLineMonetarySummation");
    x.close("ram:SpecifiedLineTradeSettlement");
    x.close("ram:IncludedSupplyChainTradeLineItem");
}

/// A party: name, SIREN (BT-30, scheme 0002) and SIRET (BT-29/BT-46, scheme 0009), address,
/// e-mail, VAT number.
fn party(x: &mut Xml, tag: &str, p: &Party, b: &Breakdown) {
    x.open(tag);
    let siret = p.siret.as_deref().filter(|s| s.len() == 14);
    let siren = p.siren();
    if let Some(s) = siret {
        x.leaf("ram:GlobalID", " schemeID=\"0009\"", s);
    }
    x.leaf("ram:Name", "", p.name.trim());
    if let Some(s) = siren {
        x.open("ram:SpecifiedLegalOrganization");
        x.leaf("ram:ID", " schemeID=\"0002\"", s);
        x.close("ram:SpecifiedLegalOrganization");
    }
    x.open("ram:PostalTradeAddress");
    let lines = p.address.map(address_lines).unwrap_or_default();
    let (street, postcode, city) = split_address(&lines);
    if let Some(pc) = &postcode {
        x.leaf("ram:PostcodeCode", "", pc);
    }
    for (i, l) in street.iter().take(3).enumerate() {
        let tag = ["ram:LineOne", "ram:LineTwo", "ram:LineThree"][i];
        x.leaf(tag, "", l);
    }
    if let Some(c) = &city {
        x.leaf("ram:CityName", "", c);
    }
    x.leaf("ram:CountryID", "", &p.country);
    x.close("ram:PostalTradeAddress");
    if let Some((scheme, address)) = p.electronic_address() {
        x.open("ram:URIUniversalCommunication");
        x.leaf("ram:URIID", &format!(" schemeID=\"{scheme}\""), address);
        x.close("ram:URIUniversalCommunication");
    }
    match p.vat_number.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => {
            x.open("ram:SpecifiedTaxRegistration");
            x.leaf("ram:ID", " schemeID=\"VA\"", &n.replace(' ', ""));
            x.close("ram:SpecifiedTaxRegistration");
        }
        // A seller of exempt lines without a VAT number is identified for tax by its SIREN
        // (BT-32, BR-E-02).
        None if p.seller && b.groups.iter().any(|g| g.category == "E") => {
            if let Some(s) = siren {
                x.open("ram:SpecifiedTaxRegistration");
                x.leaf("ram:ID", " schemeID=\"FC\"", s);
                x.close("ram:SpecifiedTaxRegistration");
            }
        }
        None => {}
    }
    x.close(tag);
}

/// The street lines, postcode and city of an address written as lines: a last line `69007
/// Lyon` (a code with digits, then the town) gives the postcode and the city; a last line
/// of another shape is the city.
fn split_address(lines: &[String]) -> (Vec<String>, Option<String>, Option<String>) {
    let mut street: Vec<String> = lines.to_vec();
    let Some(last) = street.pop() else {
        return (street, None, None);
    };
    let last = last.trim().to_string();
    let (code, town) = match last.split_once(' ') {
        Some((c, t)) if c.chars().any(|ch| ch.is_ascii_digit()) && c.len() <= 10 => {
            (Some(c.to_string()), t.trim().to_string())
        }
        _ => (None, last.clone()),
    };
    if street.is_empty() {
        street.push(last);
        return (street, code, None);
    }
    (street, code, Some(town))
}

fn settlement(cx: &Cx, x: &mut Xml, head: &Head, b: &Breakdown) {
    x.open("ram:ApplicableHeaderTradeSettlement");
    x.leaf("ram:PaymentReference", "", head.number);
    x.leaf("ram:InvoiceCurrencyCode", "", &cx.config.currency);
    if let Some((iban, bic)) = &head.iban {
        x.open("ram:SpecifiedTradeSettlementPaymentMeans");
        // 58: SEPA credit transfer.
        x.leaf("ram:TypeCode", "", "58");
        x.open("ram:PayeePartyCreditorFinancialAccount");
        x.leaf("ram:IBANID", "", iban);
        x.close("ram:PayeePartyCreditorFinancialAccount");
        if let Some(bic) = bic {
            x.open("ram:PayeeSpecifiedCreditorFinancialInstitution");
            x.leaf("ram:BICID", "", bic);
            x.close("ram:PayeeSpecifiedCreditorFinancialInstitution");
        }
        x.close("ram:SpecifiedTradeSettlementPaymentMeans");
    }
    for g in &b.groups {
        x.open("ram:ApplicableTradeTax");
        x.leaf("ram:CalculatedAmount", "", &amount(g.tax));
        x.leaf("ram:TypeCode", "", "VAT");
        if g.category == "E" && !g.mentions.is_empty() {
            x.leaf("ram:ExemptionReason", "", &g.mentions.join(" ; "));
        }
        x.leaf("ram:BasisAmount", "", &amount(g.base));
        x.leaf("ram:CategoryCode", "", g.category);
        if let Some(code) = g.exemption.as_deref().filter(|_| g.category == "E") {
            x.leaf("ram:ExemptionReasonCode", "", code);
        }
        x.leaf("ram:RateApplicablePercent", "", &decimal(g.rate));
        x.close("ram:ApplicableTradeTax");
    }
    if let Some(due) = head.due {
        x.open("ram:SpecifiedTradePaymentTerms");
        let days = (due.0 - head.issued.0).num_days().max(0).to_string();
        x.leaf(
            "ram:Description",
            "",
            &cx.fill("payment_terms", &[("days", &days), ("date", &cx.date(due))]),
        );
        x.date("ram:DueDateDateTime", due);
        x.close("ram:SpecifiedTradePaymentTerms");
    }
    let cur = format!(" currencyID=\"{}\"", esc(&cx.config.currency));
    x.open("ram:SpecifiedTradeSettlementHeaderMonetarySummation");
    x.leaf("ram:LineTotalAmount", "", &amount(b.net));
    x.leaf("ram:TaxBasisTotalAmount", "", &amount(b.net));
    x.leaf("ram:TaxTotalAmount", &cur, &amount(b.tax));
    x.leaf("ram:GrandTotalAmount", "", &amount(b.gross));
    // The invoice as issued: a payment received later is not a prepayment (BT-113).
    x.leaf("ram:DuePayableAmount", "", &amount(b.gross));
    x.close("ram:SpecifiedTradeSettlementHeaderMonetarySummation");
    if let Some((number, date)) = head.corrects {
        x.open("ram:InvoiceReferencedDocument");
        x.leaf("ram:IssuerAssignedID", "", number);
        if let Some(d) = date {
            x.open("ram:FormattedIssueDateTime");
            x.leaf("qdt:DateTimeString", " format=\"102\"", &ymd(d));
            x.close("ram:FormattedIssueDateTime");
        }
        x.close("ram:InvoiceReferencedDocument");
    }
    x.close("ram:ApplicableHeaderTradeSettlement");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(
            esc("a<b>&\"'\u{1}Дмитрий"),
            "a&lt;b&gt;&amp;&quot;&apos;Дмитрий"
        );
    }

    #[test]
    fn a_french_address_splits_into_street_postcode_and_city() {
        let lines = address_lines("27 rue Sébastien Gryphe, 69007 Lyon");
        let (street, code, city) = split_address(&lines);
        assert_eq!(street, ["27 rue Sébastien Gryphe"]);
        assert_eq!(code.as_deref(), Some("69007"));
        assert_eq!(city.as_deref(), Some("Lyon"));
    }

    #[test]
    fn amounts_have_two_decimals() {
        assert_eq!(amount(Money::from_int(12)), "12.00");
        assert_eq!(decimal(rust_decimal::Decimal::new(550, 2)), "5.5");
    }
}
