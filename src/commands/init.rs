//! `fresk init [DIR] [--example]`: a new workspace that lints clean as written.

use super::Error;
use super::common::Globals;
use crate::cli::{CiForge, InitArgs};
use crate::workspace::CONFIG_FILE;
use std::path::{Path, PathBuf};

/// The folders of a workspace; each gets a `.gitkeep` so git keeps it while it is empty.
const FOLDERS: [&str; 9] = crate::workspace::DATA_DIRS;

/// What `.gitignore` must hold: participant rosters and bank details never enter git, nor does
/// the journal and the temporary files of a change fresk is writing.
const GITIGNORE: &[(&str, &str)] = &[
    (
        "# Participant rosters and bank details stay out of git (fresk init).",
        "private/",
    ),
    (
        "# A change fresk is writing: finished or undone by the next fresk command (fresk init).",
        ".fresk-journal\n.*.fresk-tmp-*",
    ),
    (
        "# Documents fresk render writes: made from the files, sent, not kept (fresk init).",
        "/out/\n/*.pdf",
    ),
];

/// `existing` (a `.gitignore`'s text) with the parts of [`GITIGNORE`] it lacks, or `None` when
/// it has them all.
fn gitignore_with(existing: &str) -> Option<String> {
    let has = |pattern: &str| {
        let bare = pattern.trim_start_matches('/').trim_end_matches('/');
        existing
            .lines()
            .any(|l| l.trim().trim_start_matches('/').trim_end_matches('/') == bare)
    };
    let missing: Vec<String> = GITIGNORE
        .iter()
        .filter(|(_, patterns)| !patterns.lines().all(has))
        .map(|(comment, patterns)| format!("{comment}\n{patterns}\n"))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let sep = if existing.is_empty() || existing.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    Some(format!("{existing}{sep}{}", missing.concat()))
}

/// fresk.yaml of a new workspace: every section explained; placeholders marked REPLACE pass the
/// rules so the workspace lints clean before the user has filled anything in.
pub const DEFAULT_CONFIG: &str = r#"# yaml-language-server: $schema=schema/fresk.schema.json
# fresk workspace settings: `fresk lint` checks every file of the workspace against them.
# Values marked REPLACE are placeholders that pass the checks: put your own before the first
# quote or invoice goes out. The JSON Schemas in schema/ describe every field.

# Who you are: printed on every quote, invoice and self-invoice.
organisation:
  name: Association Exemple                   # REPLACE: your legal name
  legal_form: association loi 1901            # REPLACE if needed
  address: "1 rue de l'Exemple, 75011 Paris"  # REPLACE: your postal address
  siret: "68433532671874"                     # REPLACE: your SIRET (14 digits; this example passes the check key)
  # email: contact@example.org
  # website: https://example.org
  # VAT: exempt | franchise | standard (with `rate: 20`); the mention is printed word for word.
  vat: { regime: exempt, mention: "TVA non applicable, art. 261-4-4° a du CGI" }
  # Training-body declaration number (NDA), required once the catalogue sells `training`:
  # training_declaration: "11756543210"

# Date-times written without an offset (2026-03-14 09:00) are read in this time zone.
timezone: Europe/Paris
# The currency of every amount.
currency: EUR
# Languages of rendered documents; the first is the default.
languages: [fr, en]
# Who may approve, number, invoice and mark paid: ids of people/<id>.yaml with the role `staff`,
# e.g. [ana-martin, paul-leroy].
staff: []

# What clients can buy. kind: workshop | training | other; hours of one session;
# unit_price excl. VAT. Quotes and invoices take their prices from here.
catalogue:
  - id: workshop-onsite                       # REPLACE: your own offers
    kind: workshop
    hours: 3
    label: { fr: "Atelier (3 h, présentiel)", en: "Workshop (3 h, on site)" }
    unit_price: 1200

# What facilitators are paid per session, by kind of offer and role (lead, co).
rates:
  workshop: { lead: 500, co: 250 }
  # training: { lead: 900, co: 450 }
  # other: { lead: 300 }
  coordination_per_session: 100               # the coordinator's pay per held session, at close

# Sectors (business | education | public | non-profit) whose missions may have volunteers.
volunteer_sectors: [education]
# Payout requests allowed per mission and calendar month.
payout_policy: { max_requests_per_month: 1 }
# Hours within which a new request gets its first answer (`fresk lint` warns after that).
response_sla_hours: 48
# Days a quote stays valid; days between an invoice and its due date.
quote_validity_days: 30
payment_terms_days: 30
# Client introduction: the facilitator pays `percent` of the revenue they declare; fee invoices
# are grouped so that none is below `min_invoice`.
usage_rights: { percent: 10, min_invoice: 150 }

# Optional qualification levels (lowest first) and the level each sector requires:
# levels: [yellow, orange, green, blue]
# requirements:
#   business: { coordinate: green, facilitate: orange }

# What rendered documents print beyond the organisation (`fresk render`); all optional:
# documents:
#   late_penalty_rate: { fr: "trois fois le taux d'intérêt légal", en: "three times the legal interest rate" }
#   recovery_indemnity: 40                    # the fixed indemnity for late payment (40 € by law)
#   signatory: "Ana Martin, présidente"       # who signs attendance certificates
#   place: Paris                              # "Fait à …" on certificates (default: the address's town)

# Legal numbering, assigned only on main: {year}, {seq:04}, and {person} for self-invoices
# (one gapless series per facilitator, as the law requires).
series:
  quote: "D{year}-{seq:04}"
  invoice: "F{year}-{seq:04}"
  credit_note: "AV{year}-{seq:04}"
  self_invoice: "AF-{person}-{seq:04}"
"#;

/// Every file of `examples/demo` but its generated schema/, compiled into the binary for
/// `fresk init --example`. A unit test fails when a file of examples/demo is missing here.
pub const DEMO: &[(&str, &str)] = &[
    (".gitignore", include_str!("../../examples/demo/.gitignore")),
    ("README.md", include_str!("../../examples/demo/README.md")),
    (
        "complaints/2026/C2026-0001.yaml",
        include_str!("../../examples/demo/complaints/2026/C2026-0001.yaml"),
    ),
    (
        "declarations/2026/U2026-0001.yaml",
        include_str!("../../examples/demo/declarations/2026/U2026-0001.yaml"),
    ),
    (
        "declarations/2026/U2026-0002.yaml",
        include_str!("../../examples/demo/declarations/2026/U2026-0002.yaml"),
    ),
    ("fresk.yaml", include_str!("../../examples/demo/fresk.yaml")),
    (
        "interactions/lycee-des-canuts/2026.yaml",
        include_str!("../../examples/demo/interactions/lycee-des-canuts/2026.yaml"),
    ),
    (
        "interactions/mairie-de-caluire/2026.yaml",
        include_str!("../../examples/demo/interactions/mairie-de-caluire/2026.yaml"),
    ),
    (
        "interactions/mecanique-du-rhone/2026.yaml",
        include_str!("../../examples/demo/interactions/mecanique-du-rhone/2026.yaml"),
    ),
    (
        "interactions/transports-berthier/2026.yaml",
        include_str!("../../examples/demo/interactions/transports-berthier/2026.yaml"),
    ),
    (
        "invoices/2026/AV2026-0001.yaml",
        include_str!("../../examples/demo/invoices/2026/AV2026-0001.yaml"),
    ),
    (
        "invoices/2026/F2026-0001.yaml",
        include_str!("../../examples/demo/invoices/2026/F2026-0001.yaml"),
    ),
    (
        "invoices/2026/F2026-0002.yaml",
        include_str!("../../examples/demo/invoices/2026/F2026-0002.yaml"),
    ),
    (
        "invoices/2026/I-M2026-0006.yaml",
        include_str!("../../examples/demo/invoices/2026/I-M2026-0006.yaml"),
    ),
    (
        "missions/M2026-0003/mission.yaml",
        include_str!("../../examples/demo/missions/M2026-0003/mission.yaml"),
    ),
    (
        "missions/M2026-0003/sessions/M2026-0003-S01.yaml",
        include_str!("../../examples/demo/missions/M2026-0003/sessions/M2026-0003-S01.yaml"),
    ),
    (
        "missions/M2026-0003/sessions/M2026-0003-S02.yaml",
        include_str!("../../examples/demo/missions/M2026-0003/sessions/M2026-0003-S02.yaml"),
    ),
    (
        "missions/M2026-0003/sessions/M2026-0003-S03.yaml",
        include_str!("../../examples/demo/missions/M2026-0003/sessions/M2026-0003-S03.yaml"),
    ),
    (
        "missions/M2026-0003/sessions/M2026-0003-S04.yaml",
        include_str!("../../examples/demo/missions/M2026-0003/sessions/M2026-0003-S04.yaml"),
    ),
    (
        "missions/M2026-0005/mission.yaml",
        include_str!("../../examples/demo/missions/M2026-0005/mission.yaml"),
    ),
    (
        "missions/M2026-0005/sessions/M2026-0005-S01.yaml",
        include_str!("../../examples/demo/missions/M2026-0005/sessions/M2026-0005-S01.yaml"),
    ),
    (
        "missions/M2026-0005/sessions/M2026-0005-S02.yaml",
        include_str!("../../examples/demo/missions/M2026-0005/sessions/M2026-0005-S02.yaml"),
    ),
    (
        "missions/M2026-0005/sessions/M2026-0005-S03.yaml",
        include_str!("../../examples/demo/missions/M2026-0005/sessions/M2026-0005-S03.yaml"),
    ),
    (
        "missions/M2026-0005/sessions/M2026-0005-S04.yaml",
        include_str!("../../examples/demo/missions/M2026-0005/sessions/M2026-0005-S04.yaml"),
    ),
    (
        "missions/M2026-0005/sessions/M2026-0005-S05.yaml",
        include_str!("../../examples/demo/missions/M2026-0005/sessions/M2026-0005-S05.yaml"),
    ),
    (
        "missions/M2026-0005/sessions/M2026-0005-S06.yaml",
        include_str!("../../examples/demo/missions/M2026-0005/sessions/M2026-0005-S06.yaml"),
    ),
    (
        "missions/M2026-0005/sessions/M2026-0005-S07.yaml",
        include_str!("../../examples/demo/missions/M2026-0005/sessions/M2026-0005-S07.yaml"),
    ),
    (
        "missions/M2026-0005/sessions/M2026-0005-S08.yaml",
        include_str!("../../examples/demo/missions/M2026-0005/sessions/M2026-0005-S08.yaml"),
    ),
    (
        "missions/M2026-0006/mission.yaml",
        include_str!("../../examples/demo/missions/M2026-0006/mission.yaml"),
    ),
    (
        "missions/M2026-0006/sessions/M2026-0006-S01.yaml",
        include_str!("../../examples/demo/missions/M2026-0006/sessions/M2026-0006-S01.yaml"),
    ),
    (
        "missions/M2026-0006/sessions/M2026-0006-S02.yaml",
        include_str!("../../examples/demo/missions/M2026-0006/sessions/M2026-0006-S02.yaml"),
    ),
    (
        "missions/M2026-0006/sessions/M2026-0006-S03.yaml",
        include_str!("../../examples/demo/missions/M2026-0006/sessions/M2026-0006-S03.yaml"),
    ),
    (
        "missions/M2026-0006/sessions/M2026-0006-S04.yaml",
        include_str!("../../examples/demo/missions/M2026-0006/sessions/M2026-0006-S04.yaml"),
    ),
    (
        "missions/M2026-0006/sessions/M2026-0006-S05.yaml",
        include_str!("../../examples/demo/missions/M2026-0006/sessions/M2026-0006-S05.yaml"),
    ),
    (
        "organisations/agence-tandem.yaml",
        include_str!("../../examples/demo/organisations/agence-tandem.yaml"),
    ),
    (
        "organisations/arvel-conseil.yaml",
        include_str!("../../examples/demo/organisations/arvel-conseil.yaml"),
    ),
    (
        "organisations/biscuiterie-lafont.yaml",
        include_str!("../../examples/demo/organisations/biscuiterie-lafont.yaml"),
    ),
    (
        "organisations/cc-coteaux-azergues.yaml",
        include_str!("../../examples/demo/organisations/cc-coteaux-azergues.yaml"),
    ),
    (
        "organisations/fondation-leman-durable.yaml",
        include_str!("../../examples/demo/organisations/fondation-leman-durable.yaml"),
    ),
    (
        "organisations/habitat-solidaire-rhone.yaml",
        include_str!("../../examples/demo/organisations/habitat-solidaire-rhone.yaml"),
    ),
    (
        "organisations/iraid.yaml",
        include_str!("../../examples/demo/organisations/iraid.yaml"),
    ),
    (
        "organisations/lucas-bernard-ei.yaml",
        include_str!("../../examples/demo/organisations/lucas-bernard-ei.yaml"),
    ),
    (
        "organisations/lycee-des-canuts.yaml",
        include_str!("../../examples/demo/organisations/lycee-des-canuts.yaml"),
    ),
    (
        "organisations/mairie-de-caluire.yaml",
        include_str!("../../examples/demo/organisations/mairie-de-caluire.yaml"),
    ),
    (
        "organisations/mecanique-du-rhone.yaml",
        include_str!("../../examples/demo/organisations/mecanique-du-rhone.yaml"),
    ),
    (
        "organisations/mjc-des-pentes.yaml",
        include_str!("../../examples/demo/organisations/mjc-des-pentes.yaml"),
    ),
    (
        "organisations/terres-d-isere.yaml",
        include_str!("../../examples/demo/organisations/terres-d-isere.yaml"),
    ),
    (
        "organisations/transports-berthier.yaml",
        include_str!("../../examples/demo/organisations/transports-berthier.yaml"),
    ),
    (
        "organisations/ville-de-bellecombe.yaml",
        include_str!("../../examples/demo/organisations/ville-de-bellecombe.yaml"),
    ),
    (
        "payouts/2026/P2026-03-M2026-0003.yaml",
        include_str!("../../examples/demo/payouts/2026/P2026-03-M2026-0003.yaml"),
    ),
    (
        "payouts/2026/P2026-04-M2026-0003.yaml",
        include_str!("../../examples/demo/payouts/2026/P2026-04-M2026-0003.yaml"),
    ),
    (
        "payouts/2026/P2026-04-M2026-0005.yaml",
        include_str!("../../examples/demo/payouts/2026/P2026-04-M2026-0005.yaml"),
    ),
    (
        "payouts/2026/P2026-04-M2026-0006.yaml",
        include_str!("../../examples/demo/payouts/2026/P2026-04-M2026-0006.yaml"),
    ),
    (
        "payouts/2026/P2026-05-M2026-0005.yaml",
        include_str!("../../examples/demo/payouts/2026/P2026-05-M2026-0005.yaml"),
    ),
    (
        "payouts/2026/P2026-05-M2026-0006.yaml",
        include_str!("../../examples/demo/payouts/2026/P2026-05-M2026-0006.yaml"),
    ),
    (
        "payouts/2026/P2026-06-M2026-0005.yaml",
        include_str!("../../examples/demo/payouts/2026/P2026-06-M2026-0005.yaml"),
    ),
    (
        "payouts/2026/P2026-06-M2026-0006.yaml",
        include_str!("../../examples/demo/payouts/2026/P2026-06-M2026-0006.yaml"),
    ),
    (
        "people/antoine-roux.yaml",
        include_str!("../../examples/demo/people/antoine-roux.yaml"),
    ),
    (
        "people/camille-dupont.yaml",
        include_str!("../../examples/demo/people/camille-dupont.yaml"),
    ),
    (
        "people/claire-fontaine.yaml",
        include_str!("../../examples/demo/people/claire-fontaine.yaml"),
    ),
    (
        "people/ines-moreau.yaml",
        include_str!("../../examples/demo/people/ines-moreau.yaml"),
    ),
    (
        "people/julia-weber.yaml",
        include_str!("../../examples/demo/people/julia-weber.yaml"),
    ),
    (
        "people/lucas-bernard.yaml",
        include_str!("../../examples/demo/people/lucas-bernard.yaml"),
    ),
    (
        "people/mehdi-benali.yaml",
        include_str!("../../examples/demo/people/mehdi-benali.yaml"),
    ),
    (
        "people/sophie-lambert.yaml",
        include_str!("../../examples/demo/people/sophie-lambert.yaml"),
    ),
    (
        "people/thomas-girard.yaml",
        include_str!("../../examples/demo/people/thomas-girard.yaml"),
    ),
    (
        "requests/2024/R2024-0001.yaml",
        include_str!("../../examples/demo/requests/2024/R2024-0001.yaml"),
    ),
    (
        "requests/2024/R2024-0002.yaml",
        include_str!("../../examples/demo/requests/2024/R2024-0002.yaml"),
    ),
    (
        "requests/2026/R2026-0001.yaml",
        include_str!("../../examples/demo/requests/2026/R2026-0001.yaml"),
    ),
    (
        "requests/2026/R2026-0002.yaml",
        include_str!("../../examples/demo/requests/2026/R2026-0002.yaml"),
    ),
    (
        "requests/2026/R2026-0003.yaml",
        include_str!("../../examples/demo/requests/2026/R2026-0003.yaml"),
    ),
    (
        "requests/2026/R2026-0004.yaml",
        include_str!("../../examples/demo/requests/2026/R2026-0004.yaml"),
    ),
    (
        "requests/2026/R2026-0005.yaml",
        include_str!("../../examples/demo/requests/2026/R2026-0005.yaml"),
    ),
    (
        "requests/2026/R2026-0006.yaml",
        include_str!("../../examples/demo/requests/2026/R2026-0006.yaml"),
    ),
    (
        "requests/2026/R2026-0007.yaml",
        include_str!("../../examples/demo/requests/2026/R2026-0007.yaml"),
    ),
    (
        "requests/2026/R2026-0008.yaml",
        include_str!("../../examples/demo/requests/2026/R2026-0008.yaml"),
    ),
    (
        "requests/2026/R2026-0009.yaml",
        include_str!("../../examples/demo/requests/2026/R2026-0009.yaml"),
    ),
    (
        "requests/2026/R2026-0010.yaml",
        include_str!("../../examples/demo/requests/2026/R2026-0010.yaml"),
    ),
    (
        "requests/2026/R2026-0011.yaml",
        include_str!("../../examples/demo/requests/2026/R2026-0011.yaml"),
    ),
    (
        "requests/2026/R2026-0012.yaml",
        include_str!("../../examples/demo/requests/2026/R2026-0012.yaml"),
    ),
    (
        "requests/2026/R2026-0013.yaml",
        include_str!("../../examples/demo/requests/2026/R2026-0013.yaml"),
    ),
    (
        "requests/2026/R2026-0014.yaml",
        include_str!("../../examples/demo/requests/2026/R2026-0014.yaml"),
    ),
    (
        "templates/logo.svg",
        include_str!("../../examples/demo/templates/logo.svg"),
    ),
];

pub fn run(start: &Path, args: InitArgs, globals: Globals) -> Result<u8, Error> {
    if globals.commit || globals.branch.is_some() {
        return Err(Error::usage(
            "fresk init makes its own first commit (drop --commit/--branch; --no-git for none)"
                .into(),
        ));
    }
    let dir = match &args.dir {
        Some(d) => start.join(d),
        None => start.to_path_buf(),
    };
    if dir.join(CONFIG_FILE).exists() {
        return Err(Error::refused(format!(
            "{} already holds a fresk workspace ({CONFIG_FILE}); nothing was changed. Run `fresk lint` there, or choose another folder: fresk init DIR",
            dir.display()
        )));
    }
    if dir.exists() && !dir.is_dir() {
        return Err(Error::refused(format!(
            "{} exists and is not a folder; choose another name",
            dir.display()
        )));
    }
    let identity = if args.example {
        None
    } else {
        Some(Identity::from_args(&args)?)
    };
    let files = planned_files(&dir, args.example, identity.as_ref(), args.ci)?;
    // A new repository, unless asked for none or the folder is already in one.
    let enclosing = crate::git::enclosing_repository(&dir);
    let signature = if args.no_git || enclosing.is_some() {
        None
    } else {
        Some(crate::git::signature(None).map_err(|e| {
            Error::io(format!(
                "{e}, or run `fresk init --no-git` to make no repository; nothing was changed"
            ))
        })?)
    };
    if globals.dry_run {
        println!("would create a fresk workspace in {}:", dir.display());
        for (rel, _) in &files {
            println!("  {rel}");
        }
        println!("  schema/*.schema.json");
        if signature.is_some() {
            println!("and a git repository (branch main) with a first commit of these files");
        }
        return Ok(0);
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("cannot create {}: {e}", dir.display())))?;
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io(format!("cannot create {}: {e}", parent.display())))?;
        }
        crate::store::write_atomic(&path, text.as_bytes())
            .map_err(|e| Error::io(format!("cannot write {}: {e}", path.display())))?;
    }
    super::schema::write_all(&dir.join("schema"))?;
    let git = match (&signature, enclosing) {
        (Some(signature), _) => {
            let id = crate::git::init_repository(&dir, signature, "fresk init: a new workspace")
                .map_err(|e| Error::io(format!("the files are written, but {e}")))?;
            Git::Committed(id)
        }
        (None, Some(workdir)) => Git::Inside(workdir),
        (None, None) => Git::None,
    };
    print!(
        "{}",
        next_steps(args.dir.as_deref(), &dir, args.example, &git)
    );
    if let Some(identity) = &identity
        && identity.name.is_none()
    {
        eprintln!(
            "note: fresk.yaml holds a placeholder identity (Association Exemple): numbering and `fresk render` refuse until you put your legal name and SIRET there"
        );
    }
    Ok(0)
}

/// What `fresk init` did about git.
enum Git {
    Committed(String),
    Inside(PathBuf),
    None,
}

/// The association's identity, for fresk.yaml: from the flags, else asked on a terminal; what
/// is not given keeps the placeholder (which numbering and rendering refuse).
struct Identity {
    name: Option<String>,
    siret: Option<String>,
    address: Option<String>,
}

impl Identity {
    fn from_args(args: &InitArgs) -> Result<Identity, Error> {
        let given = args.name.is_some() || args.siret.is_some() || args.address.is_some();
        let ask = |flag: &str, question: &str| -> Result<Option<String>, Error> {
            if given {
                return Ok(None);
            }
            super::common::ask(&format!("{question} ({flag}; Enter to leave it for later)"))
        };
        let name = match &args.name {
            Some(n) => Some(n.trim().to_string()),
            None => ask("--name", "The association's legal name")?,
        };
        let mut siret = args.siret.clone();
        if siret.is_none() && name.is_some() {
            siret = ask("--siret", "Its SIRET")?;
        }
        let mut address = args.address.clone();
        if address.is_none() && name.is_some() {
            address = ask("--address", "Its postal address")?;
        }
        if let Some(siret) = &siret {
            crate::rules::legal::check_identifier(siret, crate::rules::legal::Id::Siret)
                .map_err(|e| Error::usage(format!("--siret: {e}; nothing was changed")))?;
        }
        if siret.is_some() && name.is_none() {
            return Err(Error::usage(
                "--siret needs --name: the legal name goes with the SIRET on every document".into(),
            ));
        }
        Ok(Identity {
            name: name.filter(|n| !n.is_empty()),
            siret: siret.map(|s| s.split_whitespace().collect()),
            address: address
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty()),
        })
    }

    /// DEFAULT_CONFIG with this identity in place of the placeholders.
    fn config(&self) -> String {
        use crate::yaml::edit::scalar;
        let mut text = DEFAULT_CONFIG.to_string();
        let mut swap = |marker: &str, line: String| {
            if let Some(start) = text.find(marker) {
                let end = text[start..].find('\n').map_or(text.len(), |e| start + e);
                text.replace_range(start..end, &line);
            }
        };
        if let Some(name) = &self.name {
            swap(
                "  name: Association Exemple",
                format!("  name: {}", scalar(name)),
            );
        }
        if let Some(siret) = &self.siret {
            swap(
                "  siret: \"68433532671874\"",
                format!("  siret: \"{siret}\""),
            );
        }
        if let Some(address) = &self.address {
            swap(
                "  address: \"1 rue de l'Exemple",
                format!("  address: {}", scalar(address)),
            );
        }
        text
    }
}

/// The files to write (relative path, text), or an error naming the files that already exist
/// with other contents. `.gitignore` is merged rather than replaced; an existing README.md is
/// kept.
fn planned_files(
    dir: &Path,
    example: bool,
    identity: Option<&Identity>,
    ci: Option<CiForge>,
) -> Result<Vec<(String, String)>, Error> {
    let mut files: Vec<(String, String)> = Vec::new();
    if example {
        for (rel, text) in DEMO {
            files.push(((*rel).to_string(), (*text).to_string()));
        }
    } else {
        let config = identity.map_or_else(|| DEFAULT_CONFIG.to_string(), Identity::config);
        files.push((CONFIG_FILE.to_string(), config));
    }
    match ci {
        Some(CiForge::Github) => files.push((
            ".github/workflows/fresk.yml".into(),
            include_str!("../../examples/ci/github-actions.yml").into(),
        )),
        Some(CiForge::Gitlab) => files.push((
            ".gitlab-ci.yml".into(),
            include_str!("../../examples/ci/gitlab-ci.yml").into(),
        )),
        None => {}
    }
    for folder in FOLDERS {
        let prefix = format!("{folder}/");
        if !files.iter().any(|(rel, _)| rel.starts_with(&prefix)) {
            files.push((format!("{folder}/.gitkeep"), String::new()));
        }
    }
    // .gitignore: keep what is there, add what fresk needs ignored when missing.
    files.retain(|(rel, _)| rel != ".gitignore");
    let existing = std::fs::read_to_string(dir.join(".gitignore")).unwrap_or_default();
    if let Some(text) = gitignore_with(&existing) {
        files.push((".gitignore".into(), text));
    }
    let mut conflicts = Vec::new();
    files.retain(|(rel, text)| {
        let path = dir.join(rel);
        if !path.exists() || rel == ".gitignore" {
            return true;
        }
        match std::fs::read_to_string(&path) {
            Ok(existing) if existing == *text => false,
            _ if rel == "README.md" || rel.ends_with("/.gitkeep") => false,
            _ => {
                conflicts.push(rel.clone());
                false
            }
        }
    });
    if !conflicts.is_empty() {
        return Err(Error::refused(format!(
            "{} already holds files fresk would overwrite, so nothing was changed: {}; move them away or choose another folder",
            dir.display(),
            conflicts.join(", ")
        )));
    }
    Ok(files)
}

fn next_steps(given: Option<&Path>, dir: &Path, example: bool, git: &Git) -> String {
    let shown: PathBuf = given.map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
    let mut out = String::new();
    let cd = given.map(|d| format!("cd {}", d.display()));
    if example {
        out.push_str(&format!(
            "Created a fresk workspace with the demo data in {} (its story is in README.md).\n\nNext steps:\n",
            shown.display()
        ));
        let mut steps = Vec::new();
        if let Some(cd) = cd {
            steps.push(cd);
        }
        steps.push(
            "export FRESK_TODAY=2026-06-15 FRESK_NOW=\"2026-06-15 12:00\"   # the demo is dated: see it on the day its story stops".into(),
        );
        steps.push("fresk lint                        # expected: no findings".into());
        steps
            .push("fresk request list                # then: fresk request show R2026-0012".into());
        steps.push("fresk mission show M2026-0005     # a coordinator's dashboard".into());
        for (i, s) in steps.iter().enumerate() {
            out.push_str(&format!("  {}. {s}\n", i + 1));
        }
    } else {
        out.push_str(&format!(
            "Created a fresk workspace in {}.\n\nNext steps:\n",
            shown.display()
        ));
        let mut steps = Vec::new();
        if let Some(cd) = cd {
            steps.push(cd);
        }
        steps.push("edit fresk.yaml: the values marked REPLACE, your catalogue and rates".into());
        steps.push(
            "fresk person new ana-martin --name \"Ana Martin\" --role staff   # then list her under `staff:` in fresk.yaml".into(),
        );
        steps.push(
            "fresk organisation new acme --name \"ACME SARL\" --sector business --address \"…\""
                .into(),
        );
        steps.push("fresk lint                        # checks every file; run it in CI on every pull request".into());
        if matches!(git, Git::None) {
            steps
                .push("git init -b main && git add -A && git commit -m \"fresk workspace\"".into());
        }
        for (i, s) in steps.iter().enumerate() {
            out.push_str(&format!("  {}. {s}\n", i + 1));
        }
    }
    match git {
        Git::Committed(id) => out.push_str(&format!(
            "\nA git repository (branch main) holds the files in its first commit, {id}.\n"
        )),
        Git::Inside(workdir) => out.push_str(&format!(
            "\nThe folder is inside the git repository at {}: review the new files and commit them.\n",
            workdir.display()
        )),
        Git::None => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;
    use std::collections::BTreeSet;

    #[test]
    fn every_demo_file_is_embedded() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
        let on_disk: BTreeSet<String> = walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                e.path()
                    .strip_prefix(&root)
                    .ok()
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
            })
            // schema/ is written from the model, as in every new workspace.
            .filter(|rel| !rel.starts_with("schema/"))
            .collect();
        let embedded: BTreeSet<String> = DEMO.iter().map(|(p, _)| (*p).to_string()).collect();
        let missing: Vec<_> = on_disk.difference(&embedded).collect();
        let extra: Vec<_> = embedded.difference(&on_disk).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "DEMO in src/commands/init.rs is out of date: add {missing:?}, remove {extra:?}"
        );
    }

    #[test]
    fn the_default_config_reads_without_findings() {
        let found =
            crate::document::check_document(CONFIG_FILE, Kind::Config, DEFAULT_CONFIG.into());
        assert!(found.is_empty(), "{found:?}");
    }
}
