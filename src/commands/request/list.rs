//! `fresk request list --open` and `fresk opportunities`: the published requests open to
//! applications, as a table, CSV, JSON or a self-contained HTML page.

use crate::cli::{ListFormat, OpenListFormat};
use crate::commands::Error;
use crate::commands::common::{Cx, find_person, print_rows};
use crate::report::opportunities::{self, HEADERS};

pub(super) fn open(cx: &Cx, for_person: Option<&str>, format: OpenListFormat) -> Result<u8, Error> {
    let viewer = for_person.map(|p| find_person(cx, p.trim())).transpose()?;
    let list = opportunities::compute(&cx.ws, cx.today(), viewer.map(|p| &p.value));
    match format {
        OpenListFormat::Json => {
            let text = serde_json::to_string_pretty(&list).map_err(|e| Error::io(e.to_string()))?;
            println!("{text}");
        }
        OpenListFormat::Html => {
            let network = cx
                .ws
                .config
                .as_ref()
                .map_or("fresk", |c| c.organisation.name.as_str());
            print!("{}", opportunities::html(&list, network));
        }
        OpenListFormat::Table | OpenListFormat::Csv => {
            let rows = opportunities::rows(&list);
            let format = if format == OpenListFormat::Csv {
                ListFormat::Csv
            } else {
                ListFormat::Table
            };
            if rows.is_empty() && format == ListFormat::Table {
                match viewer {
                    Some(p) => println!(
                        "no published request open to `{}` today (role, level, language or deadline)",
                        p.id
                    ),
                    None => println!("no published request waiting for applications"),
                }
                return Ok(0);
            }
            print_rows(HEADERS, &rows, format);
        }
    }
    Ok(0)
}
