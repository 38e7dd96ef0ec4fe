//! `fresk person new|edit`: the people of the network, without writing YAML by hand. Each
//! command says what later steps will ask of the person (billing details and a self-billing
//! mandate before a payout, a level where sectors require one).

use super::Error;
use super::common::{
    Cx, Globals, edit_error, find_person, parse_word, required, required_checked, schema_header,
};
use super::mutate::Plan;
use crate::cli::{PersonCommand, PersonDetails, PersonEditArgs, PersonNewArgs};
use crate::model::{Date, Kind, Person, Role};
use crate::rules::legal::{Id, check_identifier};
use crate::yaml::Route;
use crate::yaml::edit::{Document, scalar};
use std::path::Path;

pub fn run(start: &Path, cmd: PersonCommand, globals: Globals) -> Result<u8, Error> {
    let mut cx = Cx::open(start, globals)?;
    match cmd {
        PersonCommand::New(args) => new(&mut cx, args),
        PersonCommand::Edit(args) => edit(&mut cx, args),
    }
}

/// An id fresk can use as a file name and in other files: lowercase letters, digits and `-`.
pub(super) fn check_new_id(id: &str, what: &str) -> Result<(), Error> {
    let ok = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "`{id}` cannot be the id of {what}: use lowercase letters, digits and `-` (e.g. {})",
            suggest_id(id)
        )))
    }
}

/// `Camille Dupont` → `camille-dupont`: the id a user most likely meant.
pub(super) fn suggest_id(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            c => c,
        };
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "jane-doe".into()
    } else {
        out
    }
}

fn parse_roles(words: &[String]) -> Result<Vec<Role>, Error> {
    let mut roles = Vec::new();
    for w in words.iter().filter(|w| !w.trim().is_empty()) {
        let role = parse_word(w, "--role", Role::ALL, Role::as_str)?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    Ok(roles)
}

fn new(cx: &mut Cx, args: PersonNewArgs) -> Result<u8, Error> {
    let id = required_checked(
        args.id,
        "ID",
        "Id of the person (e.g. camille-dupont)",
        |v| {
            let id = v.trim();
            check_new_id(id, "a person")?;
            match cx.ws.people.iter().find(|p| p.id == id) {
                Some(existing) => Err(Error::refused(format!(
                    "`{id}` already exists ({}); change it with `fresk person edit {id}`, or choose another id",
                    existing.file
                ))),
                None => Ok(id.to_string()),
            }
        },
    )?;
    let name = required(args.name, "--name", "Full name")?;
    let mut roles = parse_roles(&args.roles)?;
    if roles.is_empty() {
        roles = required_checked(
            None,
            "--role",
            "Roles (facilitator, coordinator, staff; comma-separated)",
            |answer| {
                let words: Vec<String> = answer.split(',').map(str::to_string).collect();
                parse_roles(&words)
            },
        )?;
    }
    let rel = format!("people/{id}.yaml");
    let mut text = schema_header(Kind::Person, &rel);
    text.push_str(&format!("id: {id}\nname: {}\n", scalar(name.trim())));
    let d = &args.details;
    if let Some(email) = &d.email {
        text.push_str(&format!("email: {}\n", scalar(email.trim())));
    }
    if let Some(phone) = &d.phone {
        text.push_str(&format!("phone: {}\n", scalar(phone.trim())));
    }
    let role_list: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    text.push_str(&format!("roles: [{}]\n", role_list.join(", ")));
    if !d.git.is_empty() {
        text.push_str(&format!("git: {}\n", flow_list(&d.git)));
    }
    if let Some(level) = &d.level {
        text.push_str(&format!("level: {}\n", scalar(level.trim())));
    }
    if let Some(billing) = billing_block(d)? {
        text.push_str(&billing);
    }
    let mut plan = Plan::new(format!("person {id} added: {rel}"));
    plan.write(rel, text);
    let code = cx.apply(&plan)?;
    if !cx.globals.dry_run {
        for hint in person_hints(&id, &roles, d, None) {
            eprintln!("note: {hint}");
        }
    }
    Ok(code)
}

fn edit(cx: &mut Cx, args: PersonEditArgs) -> Result<u8, Error> {
    let id = required(args.id, "ID", "Id of the person to change")?;
    let person = find_person(cx, id.trim())?;
    let (file, current) = (person.file.clone(), person.value.clone());
    let mut doc = Document::new(cx.read(&file)?);
    let err = edit_error(&file);
    let mut changed = Vec::new();
    if let Some(name) = &args.name {
        doc.set(&Route::parse("name"), &scalar(name.trim()))
            .map_err(&err)?;
        changed.push("name");
    }
    let add = parse_roles(&args.add_roles)?;
    let remove = parse_roles(&args.remove_roles)?;
    if !add.is_empty() || !remove.is_empty() {
        let mut roles: Vec<Role> = current.roles.clone();
        roles.extend(add.iter().filter(|r| !current.roles.contains(r)));
        roles.retain(|r| !remove.contains(r));
        if roles.is_empty() {
            return Err(Error::refused(format!(
                "{id} would have no role left; a person needs at least one (facilitator, coordinator or staff)"
            )));
        }
        let list: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        doc.set(&Route::parse("roles"), &format!("[{}]", list.join(", ")))
            .map_err(&err)?;
        changed.push("roles");
    }
    let d = &args.details;
    for (key, value) in [
        ("email", &d.email),
        ("phone", &d.phone),
        ("level", &d.level),
    ] {
        if let Some(v) = value {
            doc.set(&Route::parse(key), &scalar(v.trim()))
                .map_err(&err)?;
            changed.push(key);
        }
    }
    if !d.git.is_empty() {
        let mut logins = current.git.clone();
        logins.extend(d.git.iter().map(|g| g.trim().to_string()));
        logins.dedup();
        doc.set(&Route::parse("git"), &flow_list(&logins))
            .map_err(&err)?;
        changed.push("git");
    }
    if has_billing_flags(d) {
        if current.billing.is_some() {
            set_billing_fields(&mut doc, d, &file)?;
        } else if let Some(block) = billing_block(d)? {
            append_block(&mut doc, &block);
        }
        changed.push("billing");
    }
    if changed.is_empty() {
        return Err(Error::usage(format!(
            "nothing to change for {id}: give at least one field (see `fresk person edit --help`), or edit {file} and run `fresk lint`"
        )));
    }
    let mut plan = Plan::new(format!("person {id}: {} changed", changed.join(", ")));
    plan.write(file, doc.into_text());
    let code = cx.apply(&plan)?;
    if !cx.globals.dry_run {
        for hint in person_hints(&current.id, &current.roles, d, Some(&current)) {
            eprintln!("note: {hint}");
        }
    }
    Ok(code)
}

/// Add a block at the end of the file (for a mapping the editor cannot add as a flow value).
fn append_block(doc: &mut Document, block: &str) {
    let mut text = doc.text().to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(block);
    *doc = Document::new(text);
}

fn flow_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|i| scalar(i.trim())).collect();
    format!("[{}]", items.join(", "))
}

fn has_billing_flags(d: &PersonDetails) -> bool {
    d.legal_name.is_some()
        || d.siret.is_some()
        || d.billing_address.is_some()
        || d.vat.is_some()
        || d.vat_rate.is_some()
        || d.vat_mention.is_some()
        || d.country.is_some()
        || d.mandate_signed.is_some()
}

/// The VAT value (flow mapping) the flags describe.
fn vat_value(d: &PersonDetails) -> Result<Option<String>, Error> {
    let Some(regime) = d.vat.as_deref().map(str::trim) else {
        return Ok(None);
    };
    let value = match regime {
        "franchise" => {
            let mention = d
                .vat_mention
                .as_deref()
                .unwrap_or("TVA non applicable, art. 293 B du CGI");
            format!("{{ regime: franchise, mention: {} }}", scalar(mention))
        }
        "exempt" => {
            let mention = d.vat_mention.as_deref().ok_or_else(|| {
                Error::usage(
                    "--vat exempt needs --vat-mention: the exemption's legal wording, printed on self-invoices"
                        .into(),
                )
            })?;
            format!("{{ regime: exempt, mention: {} }}", scalar(mention))
        }
        "standard" => {
            let rate = d.vat_rate.as_deref().ok_or_else(|| {
                Error::usage(
                    "--vat standard needs --vat-rate, the rate in percent (e.g. 20)".into(),
                )
            })?;
            crate::model::Quantity::parse(rate)
                .map_err(|e| Error::usage(format!("--vat-rate: {e}")))?;
            format!("{{ regime: standard, rate: {} }}", rate.trim())
        }
        other => {
            return Err(Error::usage(format!(
                "--vat `{other}` is not a VAT regime: write franchise, exempt or standard"
            )));
        }
    };
    Ok(Some(value))
}

fn check_billing_values(d: &PersonDetails) -> Result<(), Error> {
    if let Some(siret) = &d.siret {
        check_identifier(siret, Id::Siret).map_err(|e| Error::usage(format!("--siret: {e}")))?;
    }
    if let Some(date) = &d.mandate_signed {
        Date::parse(date).map_err(|e| Error::usage(format!("--mandate-signed: {e}")))?;
    }
    Ok(())
}

/// A new `billing:` block from the flags, or `None` when no billing flag is given. Refuses an
/// incomplete one, naming the flags it lacks.
fn billing_block(d: &PersonDetails) -> Result<Option<String>, Error> {
    if !has_billing_flags(d) {
        return Ok(None);
    }
    check_billing_values(d)?;
    let mut missing = Vec::new();
    if d.legal_name.is_none() {
        missing.push("--legal-name");
    }
    if d.billing_address.is_none() {
        missing.push("--billing-address");
    }
    if d.vat.is_none() {
        missing.push("--vat");
    }
    if !missing.is_empty() {
        return Err(Error::usage(format!(
            "billing details need {} as well (legal name, address and VAT regime are printed on every self-invoice)",
            missing.join(", ")
        )));
    }
    let mut out = String::from("billing:\n");
    if let Some(v) = &d.legal_name {
        out.push_str(&format!("  legal_name: {}\n", scalar(v.trim())));
    }
    if let Some(v) = &d.siret {
        out.push_str(&format!("  siret: {}\n", quoted(v)));
    }
    if let Some(v) = &d.billing_address {
        out.push_str(&format!("  address: {}\n", scalar(v.trim())));
    }
    if let Some(v) = vat_value(d)? {
        out.push_str(&format!("  vat: {v}\n"));
    }
    let country = d.country.as_deref().unwrap_or("FR").trim().to_uppercase();
    out.push_str(&format!("  country: {}\n", scalar(&country)));
    if let Some(date) = &d.mandate_signed {
        out.push_str(&format!("  mandate: {{ signed: {} }}\n", date.trim()));
    }
    Ok(Some(out))
}

/// Change the billing fields given, in an existing `billing:` mapping.
fn set_billing_fields(doc: &mut Document, d: &PersonDetails, file: &str) -> Result<(), Error> {
    check_billing_values(d)?;
    let err = edit_error(file);
    if let Some(v) = &d.legal_name {
        doc.set(&Route::parse("billing.legal_name"), &scalar(v.trim()))
            .map_err(&err)?;
    }
    if let Some(v) = &d.siret {
        doc.set(&Route::parse("billing.siret"), &quoted(v))
            .map_err(&err)?;
    }
    if let Some(v) = &d.billing_address {
        doc.set(&Route::parse("billing.address"), &scalar(v.trim()))
            .map_err(&err)?;
    }
    if let Some(v) = vat_value(d)? {
        doc.set(&Route::parse("billing.vat"), &v).map_err(&err)?;
    }
    if let Some(v) = &d.country {
        doc.set(
            &Route::parse("billing.country"),
            &scalar(&v.trim().to_uppercase()),
        )
        .map_err(&err)?;
    }
    if let Some(date) = &d.mandate_signed {
        doc.set(
            &Route::parse("billing.mandate"),
            &format!("{{ signed: {} }}", date.trim()),
        )
        .map_err(&err)?;
    }
    Ok(())
}

/// Digits written as a quoted string, so YAML never reads them as a number.
pub(super) fn quoted(digits: &str) -> String {
    format!("\"{}\"", digits.trim().replace(['"', '\\'], ""))
}

/// What later steps will ask of this person, given what the file now holds.
fn person_hints(
    id: &str,
    roles: &[Role],
    d: &PersonDetails,
    current: Option<&Person>,
) -> Vec<String> {
    let mut hints = Vec::new();
    let paid = roles.contains(&Role::Facilitator) || roles.contains(&Role::Coordinator);
    let billing = has_billing_flags(d) || current.is_some_and(|p| p.billing.is_some());
    let mandate = d.mandate_signed.is_some()
        || current
            .and_then(|p| p.billing.as_ref())
            .is_some_and(|b| b.mandate.is_some());
    if paid && !billing {
        hints.push(format!(
            "before a payout, self-billed facilitators need billing details and a mandate: \
             fresk person edit {id} --legal-name … --siret … --billing-address … --vat franchise --mandate-signed DATE"
        ));
    } else if paid && !mandate {
        hints.push(
            "no self-billing mandate yet: add the date it was signed with --mandate-signed DATE before their first payout"
                .to_string(),
        );
    }
    let git = !d.git.is_empty() || current.is_some_and(|p| !p.git.is_empty());
    if !git {
        hints.push(format!(
            "no `git:` login: add their forge login (or commit e-mail) with `fresk person edit {id} --git LOGIN` so `fresk lint --actor` knows them"
        ));
    }
    if roles.contains(&Role::Staff) && current.is_none() {
        hints.push(format!(
            "to let {id} approve, number and invoice, list them under `staff:` in fresk.yaml"
        ));
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_suggested_from_names() {
        assert_eq!(suggest_id("Camille Dupont"), "camille-dupont");
        assert_eq!(suggest_id("Hélène  d'Aubigné"), "helene-d-aubigne");
        assert_eq!(suggest_id("!!"), "jane-doe");
        assert!(check_new_id("camille-dupont", "a person").is_ok());
        assert!(check_new_id("Camille", "a person").is_err());
        assert!(check_new_id("-x", "a person").is_err());
        assert!(check_new_id("", "a person").is_err());
    }
}
