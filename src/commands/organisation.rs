//! `fresk organisation new|edit`: clients and prospects, without writing YAML by hand. Each
//! command says what quotes and invoices will ask of the organisation (an address; a SIREN for
//! a French business).

use super::Error;
use super::common::{
    Cx, Globals, edit_error, find, parse_word, required, required_checked, schema_header,
};
use super::mutate::Plan;
use super::person::{check_new_id, quoted};
use crate::cli::{
    OrganisationCommand, OrganisationDetails, OrganisationEditArgs, OrganisationNewArgs,
};
use crate::model::{Kind, Organisation, Sector};
use crate::rules::legal::{Id, check_identifier};
use crate::yaml::Route;
use crate::yaml::edit::{Document, scalar};
use std::path::Path;

pub fn run(start: &Path, cmd: OrganisationCommand, globals: Globals) -> Result<u8, Error> {
    if let OrganisationCommand::Show { id, format } = cmd {
        return super::crm::show::run(start, &id, format, globals);
    }
    let mut cx = Cx::open(start, globals)?;
    match cmd {
        OrganisationCommand::New(args) => new(&mut cx, args),
        OrganisationCommand::Edit(args) => edit(&mut cx, args),
        OrganisationCommand::Show { .. } => Ok(0),
    }
}

fn parse_sector(text: &str) -> Result<Sector, Error> {
    parse_word(text, "--sector", Sector::ALL, Sector::as_str)
}

/// `Name <e-mail>` or `Name` → a flow mapping for `contacts:`.
fn contact_value(text: &str) -> Result<String, Error> {
    let text = text.trim();
    let (name, email) = match text.split_once('<') {
        Some((name, rest)) => {
            let email = rest.strip_suffix('>').ok_or_else(|| {
                Error::usage(format!(
                    "--contact `{text}`: close the e-mail with `>`, as in \"Ana Martin <ana@example.org>\""
                ))
            })?;
            (name.trim(), Some(email.trim()))
        }
        None => (text, None),
    };
    if name.is_empty() {
        return Err(Error::usage(format!(
            "--contact `{text}` has no name: write \"Ana Martin\" or \"Ana Martin <ana@example.org>\""
        )));
    }
    if let Some(email) = email
        && (!email.contains('@') || email.contains(char::is_whitespace))
    {
        return Err(Error::usage(format!(
            "--contact `{text}`: `{email}` is not an e-mail address"
        )));
    }
    Ok(match email {
        Some(email) => format!("{{ name: {}, email: {} }}", scalar(name), scalar(email)),
        None => format!("{{ name: {} }}", scalar(name)),
    })
}

fn check_details(d: &OrganisationDetails) -> Result<(), Error> {
    if let Some(siren) = &d.siren {
        check_identifier(siren, Id::Siren).map_err(|e| Error::usage(format!("--siren: {e}")))?;
    }
    if let Some(siret) = &d.siret {
        check_identifier(siret, Id::Siret).map_err(|e| Error::usage(format!("--siret: {e}")))?;
    }
    if let (Some(siren), Some(siret)) = (&d.siren, &d.siret) {
        let digits = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        if !digits(siret).starts_with(&digits(siren)) {
            return Err(Error::usage(format!(
                "--siret {siret} does not start with --siren {siren}: a SIRET is the SIREN and a 5-digit establishment number"
            )));
        }
    }
    Ok(())
}

fn new(cx: &mut Cx, args: OrganisationNewArgs) -> Result<u8, Error> {
    let question = "Id of the organisation (e.g. biscuiterie-lafont)";
    let id = required_checked(args.id, "ID", question, |v| {
        let id = v.trim();
        check_new_id(id, "an organisation")?;
        match cx.ws.organisations.iter().find(|o| o.id == id) {
            Some(existing) => Err(Error::refused(format!(
                "`{id}` already exists ({}); change it with `fresk organisation edit {id}`, or choose another id",
                existing.file
            ))),
            None => Ok(id.to_string()),
        }
    })?;
    let name = required(
        args.name,
        "--name",
        "Name, as printed on quotes and invoices",
    )?;
    let sector = required_checked(
        args.sector,
        "--sector",
        "Sector (business, education, public, non-profit)",
        parse_sector,
    )?;
    let d = &args.details;
    check_details(d)?;
    let rel = format!("organisations/{id}.yaml");
    let mut text = schema_header(Kind::Organisation, &rel);
    text.push_str(&format!(
        "id: {id}\nname: {}\nsector: {}\n",
        scalar(name.trim()),
        sector.as_str()
    ));
    if let Some(v) = &d.address {
        text.push_str(&format!("address: {}\n", scalar(v.trim())));
    }
    if let Some(v) = &d.country {
        text.push_str(&format!("country: {}\n", scalar(&v.trim().to_uppercase())));
    }
    if let Some(v) = &d.siren {
        text.push_str(&format!("siren: {}\n", quoted(v)));
    }
    if let Some(v) = &d.siret {
        text.push_str(&format!("siret: {}\n", quoted(v)));
    }
    if let Some(v) = &d.vat_number {
        text.push_str(&format!("vat_number: {}\n", scalar(v.trim())));
    }
    if !d.contacts.is_empty() {
        text.push_str("contacts:\n");
        for c in &d.contacts {
            text.push_str(&format!("  - {}\n", contact_value(c)?));
        }
    }
    let mut plan = Plan::new(format!("organisation {id} added: {rel}"));
    plan.write(rel, text);
    let code = cx.apply(&plan)?;
    if !cx.globals.dry_run {
        for hint in hints(&id, sector, d, None) {
            eprintln!("note: {hint}");
        }
    }
    Ok(code)
}

fn edit(cx: &mut Cx, args: OrganisationEditArgs) -> Result<u8, Error> {
    let id = required(args.id, "ID", "Id of the organisation to change")?;
    let org = find(&cx.ws.organisations, id.trim(), "organisation", |o| &o.id)?;
    let (file, current) = (org.file.clone(), org.value.clone());
    let d = &args.details;
    check_details(d)?;
    let mut doc = Document::new(cx.read(&file)?);
    let err = edit_error(&file);
    let mut changed = Vec::new();
    if let Some(v) = &args.name {
        doc.set(&Route::parse("name"), &scalar(v.trim()))
            .map_err(&err)?;
        changed.push("name");
    }
    let sector = match &args.sector {
        Some(v) => {
            let s = parse_sector(v)?;
            doc.set(&Route::parse("sector"), s.as_str()).map_err(&err)?;
            changed.push("sector");
            s
        }
        None => current.sector,
    };
    let plain = [("address", &d.address), ("vat_number", &d.vat_number)];
    for (key, value) in plain {
        if let Some(v) = value {
            doc.set(&Route::parse(key), &scalar(v.trim()))
                .map_err(&err)?;
            changed.push(key);
        }
    }
    if let Some(v) = &d.country {
        doc.set(&Route::parse("country"), &scalar(&v.trim().to_uppercase()))
            .map_err(&err)?;
        changed.push("country");
    }
    for (key, value) in [("siren", &d.siren), ("siret", &d.siret)] {
        if let Some(v) = value {
            doc.set(&Route::parse(key), &quoted(v)).map_err(&err)?;
            changed.push(key);
        }
    }
    for c in &d.contacts {
        let value = contact_value(c)?;
        if current.contacts.is_empty() && !doc.text().contains("\ncontacts:") {
            doc.set(&Route::parse("contacts"), &format!("[{value}]"))
                .map_err(&err)?;
        } else {
            doc.push(&Route::parse("contacts"), &value).map_err(&err)?;
        }
        if !changed.contains(&"contacts") {
            changed.push("contacts");
        }
    }
    if changed.is_empty() {
        return Err(Error::usage(format!(
            "nothing to change for {id}: give at least one field (see `fresk organisation edit --help`), or edit {file} and run `fresk lint`"
        )));
    }
    let mut plan = Plan::new(format!("organisation {id}: {} changed", changed.join(", ")));
    plan.write(file, doc.into_text());
    let code = cx.apply(&plan)?;
    if !cx.globals.dry_run {
        for hint in hints(&current.id, sector, d, Some(&current)) {
            eprintln!("note: {hint}");
        }
    }
    Ok(code)
}

/// What quotes and invoices will ask of this organisation, given what its file now holds.
fn hints(
    id: &str,
    sector: Sector,
    d: &OrganisationDetails,
    current: Option<&Organisation>,
) -> Vec<String> {
    let mut out = Vec::new();
    let has = |given: &Option<String>, field: fn(&Organisation) -> bool| {
        given.is_some() || current.is_some_and(field)
    };
    if !has(&d.address, |o| o.address.is_some()) {
        out.push(format!(
            "no address yet: quotes and invoices need one (fresk organisation edit {id} --address \"…\")"
        ));
    }
    let country = d
        .country
        .clone()
        .or_else(|| current.map(|o| o.country.clone()))
        .unwrap_or_else(|| "FR".into());
    if sector == Sector::Business
        && country.eq_ignore_ascii_case("FR")
        && !has(&d.siren, |o| o.siren.is_some())
        && !has(&d.siret, |o| o.siret.is_some())
    {
        out.push(format!(
            "a French business: its SIREN or SIRET is printed on invoices (fresk organisation edit {id} --siret …)"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_are_read_with_or_without_email() {
        assert_eq!(contact_value("Ana Martin").unwrap(), "{ name: Ana Martin }");
        assert_eq!(
            contact_value("Ana Martin <ana@example.org>").unwrap(),
            "{ name: Ana Martin, email: ana@example.org }"
        );
        assert!(contact_value("<ana@example.org>").is_err());
        assert!(contact_value("Ana <ana@example.org").is_err());
        assert!(contact_value("Ana <not an email>").is_err());
    }
}
