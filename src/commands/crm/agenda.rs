//! `fresk agenda [--person P] [--date D] [--format text|json|ics]`: the morning screen
//! (computed in `report::agenda`).

use crate::cli::{AgendaArgs, AgendaFormat};
use crate::commands::Error;
use crate::commands::common::{Cx, Globals, date_or_today, find_person};
use crate::model::{DateTime, Kind};
use crate::report::agenda::{self, Inputs};
use std::path::Path;

pub fn run(start: &Path, args: &AgendaArgs, globals: Globals) -> Result<u8, Error> {
    let cx = Cx::open_kinds(start, globals, &Kind::ALL)?;
    let config = cx.config()?;
    let person = args.person.as_deref().map(str::trim);
    if let Some(p) = person {
        find_person(&cx, p)?;
    }
    let date = date_or_today(&cx, args.date.as_deref(), "--date")?;
    // Another day than today: deadlines as they stand at the start of that day.
    let now = if date == cx.today() {
        cx.clock.now
    } else {
        DateTime::from_date(date).instant(cx.tz)
    };
    let inputs = Inputs {
        ws: &cx.ws,
        config,
        date,
        now,
        tz: cx.tz,
        person,
    };
    let a = agenda::compute(&inputs);
    match args.format {
        AgendaFormat::Text => print!("{}", agenda::render(&a)),
        AgendaFormat::Json => {
            let value = serde_json::to_value(&a)
                .map_err(|e| Error::io(format!("cannot write the agenda as JSON: {e}")))?;
            print!("{}", crate::report::table::versioned(value));
        }
        AgendaFormat::Ics => print!("{}", agenda::ics(&inputs, &a)),
    }
    Ok(0)
}
