//! Reading the CSV exports of form tools and spreadsheets (registrations, survey answers) into a
//! table whose columns are found by their headers.
//!
//! Exports come in every flavour: a UTF-8 byte-order mark (Excel), `;` separators (French
//! spreadsheets, where `,` is the decimal mark), tabs, quoted fields with separators or line
//! breaks inside, and Windows-1252/Latin-1 text from older tools. [`read`] takes the raw bytes and
//! the columns the caller wants, each with the header spellings it accepts ([`Column::aliases`]);
//! it decodes the text, sniffs the separator, finds the header row and keeps every data row with
//! its 1-based line number in the file, so that a caller can say "line 7: invalid e-mail".
//!
//! Headers are compared without case, accents, punctuation or extra spaces: the alias
//! `"e-mail"` matches `E-Mail`, `e mail` and `E_MAIL`, and `"prenom"` matches `Prénom`.

use std::fmt;

/// A column the caller looks for.
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    /// The caller's name for the column, used with [`Table::get`] and in error messages.
    pub key: &'a str,
    /// The headers accepted for it (compared after [`normalise`]); the first header of the
    /// file that matches any of them is the column.
    pub aliases: &'a [&'a str],
    /// A required column missing from the header is an error ([`CsvError::MissingColumns`]).
    pub required: bool,
}

/// One data row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The line of the file where the row starts (1-based; a quoted field with line breaks
    /// makes a row span several lines).
    pub line: usize,
    /// The cells, as written (not trimmed); rows shorter than the header are padded with empty
    /// cells.
    pub cells: Vec<String>,
}

impl Row {
    /// The cell at `index`, trimmed; `None` when the row has no such cell or it is blank.
    pub fn cell(&self, index: usize) -> Option<&str> {
        self.cells
            .get(index)
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
    }
}

/// The text encodings [`read`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    /// Anything that is not valid UTF-8 is read as Windows-1252, the superset of Latin-1 that
    /// spreadsheets on Windows write.
    Windows1252,
}

/// A file read by [`read`].
#[derive(Debug, Clone)]
pub struct Table {
    pub encoding: Encoding,
    pub separator: char,
    /// The line of the header row (rows above it, such as a title, are skipped).
    pub header_line: usize,
    /// The headers as written in the file (trimmed).
    pub headers: Vec<String>,
    /// For each column asked for, in the caller's order: its key and the index of the header
    /// that matched, if any.
    pub columns: Vec<(String, Option<usize>)>,
    /// The data rows, in file order; blank rows are left out.
    pub rows: Vec<Row>,
}

impl Table {
    /// The index of the header found for the column `key`.
    pub fn index(&self, key: &str) -> Option<usize> {
        self.columns
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, i)| *i)
    }

    /// The trimmed, non-blank value of column `key` in `row`.
    pub fn get<'r>(&self, row: &'r Row, key: &str) -> Option<&'r str> {
        self.index(key).and_then(|i| row.cell(i))
    }

    /// The headers no asked-for column matched, with their index (e.g. a survey's questions).
    pub fn other_columns(&self) -> Vec<(usize, &str)> {
        let used: Vec<usize> = self.columns.iter().filter_map(|(_, i)| *i).collect();
        self.headers
            .iter()
            .enumerate()
            .filter(|(i, h)| !used.contains(i) && !h.is_empty())
            .map(|(i, h)| (i, h.as_str()))
            .collect()
    }
}

/// Why a file could not be read; every variant carries the line it is about, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvError {
    /// The file has no row at all.
    Empty,
    /// Required columns have no header; `headers` are those found on `line`.
    MissingColumns {
        line: usize,
        missing: Vec<(String, Vec<String>)>,
        headers: Vec<String>,
    },
    /// A quoted field opened on `line` is never closed.
    UnclosedQuote { line: usize },
    /// The CSV reader refused the text.
    Malformed { line: usize, message: String },
}

impl CsvError {
    /// The line the error is about.
    pub fn line(&self) -> Option<usize> {
        match self {
            CsvError::Empty => None,
            CsvError::MissingColumns { line, .. }
            | CsvError::UnclosedQuote { line }
            | CsvError::Malformed { line, .. } => Some(*line),
        }
    }
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvError::Empty => write!(f, "the file has no header row (it is empty)"),
            CsvError::MissingColumns {
                line,
                missing,
                headers,
            } => {
                let wanted: Vec<String> = missing
                    .iter()
                    .map(|(key, aliases)| format!("`{key}` (a header such as {})", quoted(aliases)))
                    .collect();
                write!(
                    f,
                    "line {line}: no column for {}; the headers found are {}",
                    wanted.join(", "),
                    if headers.is_empty() {
                        "none".to_string()
                    } else {
                        quoted(headers)
                    }
                )
            }
            CsvError::UnclosedQuote { line } => write!(
                f,
                "line {line}: a quoted field opens here and is never closed (a `\"` is missing)"
            ),
            CsvError::Malformed { line, message } => write!(f, "line {line}: {message}"),
        }
    }
}

impl std::error::Error for CsvError {}

fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How headers and aliases are compared: lower case, accents removed, every run of characters
/// other than letters and digits turned into one space, trimmed.
pub fn normalise(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut space = false;
    for c in header.chars().flat_map(char::to_lowercase) {
        let c = unaccent(c);
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

fn unaccent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        other => other,
    }
}

/// Decodes `bytes`: a UTF-8 or UTF-16 byte-order mark is honoured and removed; text that is not
/// valid UTF-8 is read as Windows-1252.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), Encoding::Utf8);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let encoding = if bytes[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        let (text, _) = encoding.decode_without_bom_handling(&bytes[2..]);
        return (text.into_owned(), Encoding::Utf16);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), Encoding::Utf8),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), Encoding::Windows1252)
        }
    }
}

/// Scans `text` as RFC 4180 CSV with `separator`: the number of separators outside quotes on
/// each of the first lines, and the line of a quote left open at the end.
fn scan(text: &str, separator: char, max_lines: usize) -> (Vec<usize>, Option<usize>) {
    let mut counts = vec![0usize];
    let mut line = 1;
    let mut opened_at = 0;
    let mut in_quotes = false;
    let mut field_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                } else {
                    in_quotes = false;
                }
            } else if c == '\n' {
                line += 1;
            }
            continue;
        }
        match c {
            '"' if field_start => {
                in_quotes = true;
                opened_at = line;
                field_start = false;
            }
            '\n' => {
                line += 1;
                field_start = true;
                if counts.len() < max_lines {
                    counts.push(0);
                }
            }
            '\r' => {}
            c if c == separator => {
                field_start = true;
                if counts.len() <= max_lines
                    && let Some(last) = counts.last_mut()
                {
                    *last += 1;
                }
            }
            _ => field_start = false,
        }
    }
    (counts, in_quotes.then_some(opened_at))
}

/// The separator of `text`: among tab, `;` and `,`, the one most frequent outside quotes on the
/// first line that has any (so a title line above the header does not decide); `,` when no
/// line has any.
pub fn sniff_separator(text: &str) -> char {
    const CANDIDATES: [char; 3] = ['\t', ';', ','];
    let counts: Vec<Vec<usize>> = CANDIDATES.iter().map(|&s| scan(text, s, 20).0).collect();
    let lines = counts.iter().map(Vec::len).max().unwrap_or(0);
    for line in 0..lines {
        let mut best: Option<(char, usize)> = None;
        for (i, &candidate) in CANDIDATES.iter().enumerate() {
            let n = counts[i].get(line).copied().unwrap_or(0);
            if n > 0 && best.is_none_or(|(_, b)| n > b) {
                best = Some((candidate, n));
            }
        }
        if let Some((separator, _)) = best {
            return separator;
        }
    }
    ','
}

/// How far down the header row is looked for (title lines of some exports come first).
const HEADER_SEARCH_ROWS: usize = 10;

/// Reads a CSV export: decodes it ([`decode`]), sniffs its separator ([`sniff_separator`]),
/// takes as header the first row (among the first ten) where any asked-for column is found,
/// and returns the rows below it. Required columns without a header, and a quote never
/// closed, are errors with their line.
pub fn read(bytes: &[u8], columns: &[Column<'_>]) -> Result<Table, CsvError> {
    let (text, encoding) = decode(bytes);
    let separator = sniff_separator(&text);
    if let (_, Some(line)) = scan(&text, separator, 0) {
        return Err(CsvError::UnclosedQuote { line });
    }
    let records = records(&text, separator)?;
    if records.is_empty() {
        return Err(CsvError::Empty);
    }
    let aliases: Vec<Vec<String>> = columns
        .iter()
        .map(|c| c.aliases.iter().map(|a| normalise(a)).collect())
        .collect();
    let find = |headers: &[String]| -> Vec<Option<usize>> {
        aliases
            .iter()
            .map(|wanted| headers.iter().position(|h| wanted.contains(&normalise(h))))
            .collect()
    };
    let header_at = records
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .position(|r| find(&r.cells).iter().any(Option::is_some))
        .unwrap_or(0);
    let header_line = records[header_at].line;
    let headers: Vec<String> = records[header_at]
        .cells
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let found = find(&headers);
    let missing: Vec<(String, Vec<String>)> = columns
        .iter()
        .zip(&found)
        .filter(|(c, i)| c.required && i.is_none())
        .map(|(c, _)| {
            (
                c.key.to_string(),
                c.aliases.iter().map(|a| a.to_string()).collect(),
            )
        })
        .collect();
    if !missing.is_empty() {
        return Err(CsvError::MissingColumns {
            line: header_line,
            missing,
            headers,
        });
    }
    let width = headers.len();
    let rows = records
        .into_iter()
        .skip(header_at + 1)
        .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()))
        .map(|mut r| {
            if r.cells.len() < width {
                r.cells.resize(width, String::new());
            }
            r
        })
        .collect();
    Ok(Table {
        encoding,
        separator,
        header_line,
        columns: columns
            .iter()
            .zip(found)
            .map(|(c, i)| (c.key.to_string(), i))
            .collect(),
        headers,
        rows,
    })
}

fn records(text: &str, separator: char) -> Result<Vec<Row>, CsvError> {
    // Lines are counted from byte offsets: the reader's own line count skips blank lines.
    let breaks: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect();
    // The reader may place a record at the line break before it: skip over breaks.
    let line_at = |byte: u64| -> usize {
        let mut byte = usize::try_from(byte).unwrap_or(usize::MAX);
        while matches!(text.as_bytes().get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        breaks.partition_point(|&b| b < byte) + 1
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator as u8)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let before = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let byte = record.position().map_or(before, csv::Position::byte);
                rows.push(Row {
                    line: line_at(byte),
                    cells: record.iter().map(str::to_string).collect(),
                });
            }
            Err(e) => {
                let byte = e.position().map_or(before, csv::Position::byte);
                return Err(CsvError::Malformed {
                    line: line_at(byte),
                    message: e.to_string(),
                });
            }
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[Column<'static>] = &[
        Column {
            key: "name",
            aliases: &["name", "nom complet", "full name"],
            required: false,
        },
        Column {
            key: "first",
            aliases: &["first name", "prenom"],
            required: false,
        },
        Column {
            key: "last",
            aliases: &["last name", "nom"],
            required: false,
        },
        Column {
            key: "email",
            aliases: &["email", "e-mail", "courriel", "adresse e-mail"],
            required: true,
        },
    ];

    fn emails(t: &Table) -> Vec<(usize, &str)> {
        t.rows
            .iter()
            .map(|r| (r.line, t.get(r, "email").unwrap_or("")))
            .collect()
    }

    #[test]
    fn comma_separated_utf8() {
        let t = read(b"Name,Email\nAda Lovelace,ada@example.org\n", COLUMNS).unwrap();
        assert_eq!(t.separator, ',');
        assert_eq!(t.encoding, Encoding::Utf8);
        assert_eq!(t.header_line, 1);
        assert_eq!(t.get(&t.rows[0], "name"), Some("Ada Lovelace"));
        assert_eq!(emails(&t), vec![(2, "ada@example.org")]);
        assert_eq!(t.index("first"), None);
    }

    #[test]
    fn bom_and_semicolons_and_accented_headers() {
        let bytes =
            "\u{feff}Prénom;Nom;Adresse E-mail;Note\r\nÉlise;Durand;elise@example.org;4,5\r\n";
        let t = read(bytes.as_bytes(), COLUMNS).unwrap();
        assert_eq!(t.separator, ';');
        assert_eq!(
            t.headers[0], "Prénom",
            "the BOM is not part of the first header"
        );
        assert_eq!(t.get(&t.rows[0], "first"), Some("Élise"));
        assert_eq!(t.get(&t.rows[0], "last"), Some("Durand"));
        assert_eq!(emails(&t), vec![(2, "elise@example.org")]);
        assert_eq!(t.other_columns(), vec![(3, "Note")]);
        assert_eq!(
            t.rows[0].cells[3], "4,5",
            "the decimal comma stays in its cell"
        );
    }

    #[test]
    fn tabs() {
        let t = read(b"email\tname\nx@example.org\tX\n", COLUMNS).unwrap();
        assert_eq!(t.separator, '\t');
        assert_eq!(t.get(&t.rows[0], "name"), Some("X"));
    }

    #[test]
    fn quoted_fields_with_separators_quotes_and_line_breaks() {
        let text = "name,email,comment\n\"Durand, Élise\",elise@example.org,\"said \"\"hi\"\"\nthen left\"\nBob,bob@example.org,\n";
        let t = read(text.as_bytes(), COLUMNS).unwrap();
        assert_eq!(t.get(&t.rows[0], "name"), Some("Durand, Élise"));
        assert_eq!(t.rows[0].cells[2], "said \"hi\"\nthen left");
        assert_eq!(
            emails(&t),
            vec![(2, "elise@example.org"), (4, "bob@example.org")]
        );
    }

    #[test]
    fn latin1_and_windows1252() {
        // "Prénom;Courriel\nAndré;andre@example.org\n" in Latin-1, plus a Windows-1252 euro sign.
        let mut bytes =
            b"Pr\xe9nom;Courriel;Montant\nAndr\xe9;andre@example.org;12 \x80\n".to_vec();
        bytes.extend_from_slice(b"Zo\xeb;zoe@example.org;\n");
        let t = read(&bytes, COLUMNS).unwrap();
        assert_eq!(t.encoding, Encoding::Windows1252);
        assert_eq!(t.get(&t.rows[0], "first"), Some("André"));
        assert_eq!(t.rows[0].cells[2], "12 €");
        assert_eq!(t.get(&t.rows[1], "first"), Some("Zoë"));
    }

    #[test]
    fn utf16_with_bom() {
        let text = "Email\tName\r\nu@example.org\tÜ\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let t = read(&bytes, COLUMNS).unwrap();
        assert_eq!(t.encoding, Encoding::Utf16);
        assert_eq!(t.get(&t.rows[0], "name"), Some("Ü"));
    }

    #[test]
    fn missing_required_column_says_which_and_what_was_found() {
        let err = read(b"Name;Phone\nAda;0102\n", COLUMNS).unwrap_err();
        assert_eq!(err.line(), Some(1));
        let message = err.to_string();
        assert!(message.contains("no column for `email`"), "{message}");
        assert!(message.contains("\"courriel\""), "{message}");
        assert!(message.contains("\"Name\", \"Phone\""), "{message}");
    }

    #[test]
    fn title_lines_above_the_header_are_skipped_and_lines_still_count() {
        let text = "Export of registrations\n\nname;email\nA;a@example.org\n;\nB;b@example.org\n";
        let t = read(text.as_bytes(), COLUMNS).unwrap();
        assert_eq!(t.header_line, 3);
        assert_eq!(emails(&t), vec![(4, "a@example.org"), (6, "b@example.org")]);
    }

    #[test]
    fn short_rows_are_padded() {
        let t = read(b"name,email,phone\nA\n", COLUMNS).unwrap();
        assert_eq!(t.rows[0].cells.len(), 3);
        assert_eq!(t.get(&t.rows[0], "email"), None);
    }

    #[test]
    fn empty_and_unclosed_quote() {
        assert_eq!(read(b"", COLUMNS).unwrap_err(), CsvError::Empty);
        let err = read(b"name,email\nA,a@example.org\n\"B,b@example.org\n", COLUMNS).unwrap_err();
        assert_eq!(err, CsvError::UnclosedQuote { line: 3 });
        assert!(err.to_string().starts_with("line 3:"));
    }

    #[test]
    fn normalise_ignores_case_accents_and_punctuation() {
        assert_eq!(normalise("  Adresse E-Mail "), "adresse e mail");
        assert_eq!(normalise("PRÉNOM"), "prenom");
        assert_eq!(normalise("e_mail"), normalise("E-mail"));
    }

    #[test]
    fn no_panic_on_arbitrary_bytes() {
        for bytes in [
            &b"\xff\xfe"[..],
            b"\xfe\xff\x00",
            b"\"",
            b"\n\n\n",
            b";;;\n;;",
            b"\xef\xbb\xbf",
        ] {
            let _ = read(bytes, COLUMNS);
        }
    }
}
