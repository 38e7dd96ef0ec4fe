//! ISO 20022 `pain.001.001.09` customer credit transfer initiation: one batch, one payment
//! information block (the association's account), one transaction per self-invoice.

use crate::model::{Date, Money};
use std::fmt::Write;

/// One credit transfer.
#[derive(Debug, Clone)]
pub struct Transfer {
    /// End-to-end id: the self-invoice number (at most 35 characters are kept).
    pub end_to_end: String,
    pub amount: Money,
    /// The creditor's name (the account holder).
    pub creditor: String,
    /// Normalised IBAN.
    pub iban: String,
    pub bic: Option<String>,
    /// Unstructured remittance information: the self-invoice number.
    pub remittance: String,
}

/// A batch of transfers from the association's account.
#[derive(Debug, Clone)]
pub struct Batch {
    /// `MsgId` (and `PmtInfId`), at most 35 characters.
    pub message_id: String,
    /// `CreDtTm`, `YYYY-MM-DDTHH:MM:SS`.
    pub created: String,
    pub execution: Date,
    pub debtor: String,
    /// Normalised IBAN.
    pub debtor_iban: String,
    pub debtor_bic: Option<String>,
    pub currency: String,
    pub transfers: Vec<Transfer>,
}

impl Batch {
    pub fn total(&self) -> Money {
        self.transfers.iter().map(|t| t.amount).sum()
    }
}

/// The `pain.001.001.09` document of `batch`.
pub fn pain_001_001_09(batch: &Batch) -> String {
    let mut x = String::new();
    let n = batch.transfers.len();
    let total = batch.total();
    let _ = write!(
        x,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\">\n\
         \x20 <CstmrCdtTrfInitn>\n\
         \x20   <GrpHdr>\n\
         \x20     <MsgId>{id}</MsgId>\n\
         \x20     <CreDtTm>{created}</CreDtTm>\n\
         \x20     <NbOfTxs>{n}</NbOfTxs>\n\
         \x20     <CtrlSum>{total}</CtrlSum>\n\
         \x20     <InitgPty><Nm>{debtor}</Nm></InitgPty>\n\
         \x20   </GrpHdr>\n\
         \x20   <PmtInf>\n\
         \x20     <PmtInfId>{id}</PmtInfId>\n\
         \x20     <PmtMtd>TRF</PmtMtd>\n\
         \x20     <BtchBookg>true</BtchBookg>\n\
         \x20     <NbOfTxs>{n}</NbOfTxs>\n\
         \x20     <CtrlSum>{total}</CtrlSum>\n\
         \x20     <PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>\n\
         \x20     <ReqdExctnDt><Dt>{execution}</Dt></ReqdExctnDt>\n\
         \x20     <Dbtr><Nm>{debtor}</Nm></Dbtr>\n\
         \x20     <DbtrAcct><Id><IBAN>{iban}</IBAN></Id></DbtrAcct>\n\
         \x20     <DbtrAgt>{agent}</DbtrAgt>\n\
         \x20     <ChrgBr>SLEV</ChrgBr>\n",
        id = text(&batch.message_id, 35),
        created = batch.created,
        debtor = text(&batch.debtor, 140),
        execution = batch.execution,
        iban = batch.debtor_iban,
        agent = agent(batch.debtor_bic.as_deref()),
    );
    for t in &batch.transfers {
        let _ = writeln!(
            x,
            "      <CdtTrfTxInf>\n\
             \x20       <PmtId><EndToEndId>{e2e}</EndToEndId></PmtId>\n\
             \x20       <Amt><InstdAmt Ccy=\"{ccy}\">{amount}</InstdAmt></Amt>\n\
             {cagent}\
             \x20       <Cdtr><Nm>{creditor}</Nm></Cdtr>\n\
             \x20       <CdtrAcct><Id><IBAN>{iban}</IBAN></Id></CdtrAcct>\n\
             \x20       <RmtInf><Ustrd>{remittance}</Ustrd></RmtInf>\n\
             \x20     </CdtTrfTxInf>",
            e2e = text(&t.end_to_end, 35),
            ccy = text(&batch.currency, 3),
            amount = t.amount,
            cagent = t
                .bic
                .as_deref()
                .map(|b| format!("        <CdtrAgt>{}</CdtrAgt>\n", agent(Some(b))))
                .unwrap_or_default(),
            creditor = text(&t.creditor, 140),
            iban = t.iban,
            remittance = text(&t.remittance, 140),
        );
    }
    x.push_str("    </PmtInf>\n  </CstmrCdtTrfInitn>\n</Document>\n");
    x
}

/// A financial institution: its BIC, or `NOTPROVIDED` as the SEPA rulebook allows.
fn agent(bic: Option<&str>) -> String {
    match bic {
        Some(b) => format!("<FinInstnId><BICFI>{}</BICFI></FinInstnId>", text(b, 11)),
        None => "<FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId>".into(),
    }
}

/// `s` in the SEPA character set (Latin letters, digits, `/ - ? : ( ) . , ' +` and space):
/// accents dropped, anything else a space; cut to `max` characters; XML-escaped (`'` is the
/// only character of the set XML cares about, inside attributes only, so escaped anyway).
pub fn text(s: &str, max: usize) -> String {
    let latin: String = s
        .trim()
        .chars()
        .flat_map(fold)
        .map(|c| {
            if c.is_ascii_alphanumeric() || " /-?:().,'+".contains(c) {
                c
            } else {
                ' '
            }
        })
        .collect();
    let latin: String = latin.trim().chars().take(max).collect();
    let latin = latin.trim_end();
    let latin = if latin.is_empty() { "-" } else { latin };
    latin.replace('\'', "&apos;")
}

/// A letter without its accent (`é` → `e`, `æ` → `ae`, `ß` → `ss`); other characters as they
/// are.
fn fold(c: char) -> Vec<char> {
    let plain = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'A',
        'ç' => 'c',
        'Ç' => 'C',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'È' | 'É' | 'Ê' | 'Ë' => 'E',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
        'ñ' => 'n',
        'Ñ' => 'N',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'O',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
        'ý' | 'ÿ' => 'y',
        'Ý' | 'Ÿ' => 'Y',
        '’' | '‘' => '\'',
        '·' => '.',
        'æ' => return vec!['a', 'e'],
        'Æ' => return vec!['A', 'E'],
        'œ' => return vec!['o', 'e'],
        'Œ' => return vec!['O', 'E'],
        'ß' => return vec!['s', 's'],
        other => other,
    };
    vec![plain]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_in_the_sepa_set() {
        assert_eq!(text("Inès Moreau", 140), "Ines Moreau");
        assert_eq!(
            text("Fresques en Rhône & co", 140),
            "Fresques en Rhone   co"
        );
        assert_eq!(text("L'Œuvre", 140), "L&apos;OEuvre");
        assert_eq!(text("<x>", 140), "x");
        assert_eq!(text("   ", 140), "-");
        assert_eq!(text("abcdef", 3), "abc");
    }

    #[test]
    fn a_batch_counts_and_sums_its_transfers() {
        let t = |n: &str, a: i64| Transfer {
            end_to_end: n.into(),
            amount: Money::from_int(a),
            creditor: "Inès".into(),
            iban: "FR7630006000011234567890189".into(),
            bic: None,
            remittance: n.into(),
        };
        let batch = Batch {
            message_id: "M1".into(),
            created: "2026-06-15T10:00:00".into(),
            execution: Date::parse("2026-06-16").unwrap(),
            debtor: "Fresques".into(),
            debtor_iban: "FR1420041010050500013M02606".into(),
            debtor_bic: Some("PSSTFRPPLYO".into()),
            currency: "EUR".into(),
            transfers: vec![t("AF-a-0001", 500), t("AF-b-0001", 250)],
        };
        let xml = pain_001_001_09(&batch);
        assert_eq!(xml.matches("<NbOfTxs>2</NbOfTxs>").count(), 2);
        assert_eq!(xml.matches("<CtrlSum>750.00</CtrlSum>").count(), 2);
        assert!(xml.contains("<InstdAmt Ccy=\"EUR\">500.00</InstdAmt>"));
        assert!(xml.contains("<RmtInf><Ustrd>AF-b-0001</Ustrd></RmtInf>"));
        assert!(xml.contains("<BICFI>PSSTFRPPLYO</BICFI>"));
        // A creditor without a BIC: no creditor agent (the IBAN is enough within SEPA).
        assert!(!xml.contains("<CdtrAgt>"));
        assert!(agent(None).contains("<Othr><Id>NOTPROVIDED</Id></Othr>"));
    }
}
