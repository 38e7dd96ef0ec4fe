//! A deterministic generator of a large synthetic fresk workspace, for `benches/lint.rs`.
//!
//! `generate(root, sessions)` writes ten years of activity (2017–2026) sized by the number of
//! session files: people, organisations, requests, missions with their sessions, payouts,
//! client invoices, credit notes and usage-rights declarations. The workspace is meant to lint
//! clean with "today" pinned to [`TODAY`] (`FRESK_TODAY=2026-11-22`):
//!
//! - every SIRET/SIREN passes the Luhn key, every sole trader's legal name carries "EI", every
//!   paid facilitator is based in France with a self-billing mandate;
//! - quote (`D{year}-{seq:04}`), invoice (`F…`), credit-note (`AV…`) and self-invoice
//!   (`AF-{person}-{seq:04}`) numbers are gapless and follow the order of their dates;
//! - a mission takes its request's number, copies the quote into its order, never plans more
//!   sessions of an offer than ordered; no person is booked on two overlapping sessions
//!   (a per-person calendar of half-day slots);
//! - payouts: at most one per mission per calendar month, only held sessions ended before the
//!   request, only `paid` facilitators, each (session, person) once, amounts from the rate card,
//!   the coordination line once, after the mission is closed; closed missions have every paid
//!   facilitator of every held session covered;
//! - past missions are closed or invoiced, current ones open with planned future sessions;
//!   requests without a first response are all younger than the response SLA; quotes still
//!   `quoted` are within their validity.
//!
//! No `rand` crate: a SplitMix64 generator seeded with a constant, so the same size always gives
//! byte-identical files. Bump [`GENERATOR_VERSION`] whenever the output changes.

use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// Changes whenever the generated files change (the bench regenerates a cached workspace then).
pub const GENERATOR_VERSION: u32 = 2;

/// The date the workspace is consistent with; lint it with `FRESK_TODAY` set to this.
pub const TODAY: &str = "2026-11-22";

const SEED: u64 = 0x5EED_F2E5_2026_1122;

/// What was written.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    pub files: usize,
    pub bytes: u64,
    pub people: usize,
    pub organisations: usize,
    pub requests: usize,
    pub missions: usize,
    pub sessions: usize,
    pub payouts: usize,
    pub invoices: usize,
    pub declarations: usize,
}

/// Write a complete workspace for `sessions` session files under `root` (created if needed;
/// files already there are overwritten, other files are left alone).
pub fn generate(root: &Path, sessions: usize) -> io::Result<Stats> {
    let (files, mut stats) = build(sessions);
    let dirs: BTreeSet<&Path> = files
        .iter()
        .filter_map(|(p, _)| Path::new(p).parent())
        .collect();
    fs::create_dir_all(root)?;
    for d in dirs {
        fs::create_dir_all(root.join(d))?;
    }
    files
        .par_iter()
        .try_for_each(|(p, text)| fs::write(root.join(p), text))?;
    stats.files = files.len();
    stats.bytes = files.iter().map(|(_, t)| t.len() as u64).sum();
    Ok(stats)
}

// ---------------------------------------------------------------------------------------------
// Randomness and dates

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }
    /// True `per_mille` times in a thousand.
    fn chance(&mut self, per_mille: usize) -> bool {
        self.below(1000) < per_mille
    }
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// Days since 1970-01-01.
type Day = i32;
/// Minutes since 1970-01-01 00:00, local time.
type Minute = i64;

fn day_of(y: i32, m: u32, d: u32) -> Day {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i32 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil(z: Day) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// 0 = Monday … 6 = Sunday.
fn weekday(d: Day) -> i32 {
    (d + 3).rem_euclid(7)
}

fn next_weekday(mut d: Day) -> Day {
    while weekday(d) >= 5 {
        d += 1;
    }
    d
}

fn year(d: Day) -> i32 {
    civil(d).0
}

/// Months since year 0: `year * 12 + month - 1`.
fn month_index(d: Day) -> i32 {
    let (y, m, _) = civil(d);
    y * 12 + m as i32 - 1
}

fn first_of_month(mi: i32) -> Day {
    day_of(mi.div_euclid(12), (mi.rem_euclid(12) + 1) as u32, 1)
}

fn fmt_day(d: Day) -> String {
    let (y, m, dd) = civil(d);
    format!("{y:04}-{m:02}-{dd:02}")
}

fn fmt_month(mi: i32) -> String {
    format!("{:04}-{:02}", mi.div_euclid(12), mi.rem_euclid(12) + 1)
}

fn fmt_dt(t: Minute) -> String {
    let d = t.div_euclid(1440) as Day;
    let m = t.rem_euclid(1440);
    format!("{} {:02}:{:02}", fmt_day(d), m / 60, m % 60)
}

fn today() -> Day {
    day_of(2026, 11, 22)
}

// ---------------------------------------------------------------------------------------------
// Identities

/// Append the Luhn check digit to `payload`.
fn luhn_complete(payload: &[u8]) -> Vec<u8> {
    let mut sum = 0u32;
    for (i, &d) in payload.iter().rev().enumerate() {
        let mut v = d as u32;
        if i % 2 == 0 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    let mut out = payload.to_vec();
    out.push(((10 - sum % 10) % 10) as u8);
    out
}

fn digits(v: &[u8]) -> String {
    v.iter().map(|d| (b'0' + d) as char).collect()
}

/// A SIREN (9 digits) and a SIRET of one of its establishments (14 digits), both Luhn-valid.
fn siren_siret(rng: &mut Rng) -> (String, String) {
    let mut p: Vec<u8> = (0..8).map(|_| rng.below(10) as u8).collect();
    p[0] = 1 + rng.below(9) as u8;
    let siren = luhn_complete(&p);
    let mut q = siren.clone();
    q.extend([0, 0, 0]);
    q.push(1 + rng.below(9) as u8);
    let siret = luhn_complete(&q);
    (digits(&siren), digits(&siret))
}

fn vat_number(siren: &str) -> String {
    let n: u64 = siren.parse().unwrap();
    format!("FR{:02}{siren}", (12 + 3 * (n % 97)) % 97)
}

/// A double-quoted YAML string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' => 'e',
            'î' | 'ï' | 'Î' => 'i',
            'ô' | 'ö' | 'Ô' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' | 'Ç' => 'c',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => '-',
        };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

const FIRST: &[&str] = &[
    "Camille", "Lucas", "Inès", "Thomas", "Sophie", "Antoine", "Claire", "Mehdi", "Julia",
    "Hélène", "Nicolas", "Léa", "Hugo", "Chloé", "Louis", "Manon", "Gabriel", "Emma", "Arthur",
    "Zoé", "Jules", "Sarah", "Paul", "Alice", "Raphaël", "Lina", "Maël", "Anaïs", "Yanis",
    "Margaux", "Karim", "Élodie", "Bastien", "Fatou", "Olivier", "Nadia", "Romain", "Aurélie",
    "Samuel", "Justine",
];
const LAST: &[&str] = &[
    "Dupont",
    "Bernard",
    "Moreau",
    "Girard",
    "Lambert",
    "Roux",
    "Fontaine",
    "Benali",
    "Martin",
    "Leroy",
    "Petit",
    "Durand",
    "Lefèvre",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Diallo",
    "Nguyen",
    "Haddad",
    "Da Silva",
    "Faure",
    "André",
    "Bonnet",
    "Dumas",
    "Barbier",
    "Vidal",
];
const CITIES: &[(&str, &str)] = &[
    ("Lyon", "69001"),
    ("Lyon", "69003"),
    ("Lyon", "69007"),
    ("Villeurbanne", "69100"),
    ("Grenoble", "38000"),
    ("Saint-Étienne", "42000"),
    ("Annecy", "74000"),
    ("Chambéry", "73000"),
    ("Valence", "26000"),
    ("Vienne", "38200"),
    ("Bourg-en-Bresse", "01000"),
    ("Mâcon", "71000"),
    ("Clermont-Ferrand", "63000"),
    ("Roanne", "42300"),
    ("Givors", "69700"),
    ("Villefranche-sur-Saône", "69400"),
    ("Paris", "75011"),
    ("Dijon", "21000"),
    ("Marseille", "13001"),
    ("Montpellier", "34000"),
];
const STREETS: &[&str] = &[
    "rue de la République",
    "avenue Jean Jaurès",
    "place Bellecour",
    "rue Victor Hugo",
    "quai Perrache",
    "cours Lafayette",
    "rue Garibaldi",
    "boulevard des Belges",
    "rue du Marché",
    "chemin des Vignes",
    "avenue de la Gare",
    "rue Pasteur",
    "rue des Tanneurs",
    "allée des Tilleuls",
    "rue Paul Bert",
];
const BUSINESS: &[&str] = &[
    "Mécanique",
    "Biscuiterie",
    "Transports",
    "Imprimerie",
    "Menuiserie",
    "Laboratoires",
    "Brasserie",
    "Textiles",
    "Cartonnerie",
    "Fonderie",
    "Verrerie",
    "Logistique",
    "Conseil",
    "Assurances",
    "Informatique",
    "Chaudronnerie",
    "Fromagerie",
    "Ateliers",
];
const LEGAL: &[&str] = &["SAS", "SARL", "SA", "SCOP"];
const SCHOOLS: &[&str] = &[
    "Lycée",
    "Collège",
    "École élémentaire",
    "IUT",
    "Lycée professionnel",
    "Campus",
];
const PATRONS: &[&str] = &[
    "Jean Moulin",
    "Victor Hugo",
    "Marie Curie",
    "des Canuts",
    "Jules Ferry",
    "Simone Veil",
    "Louise Michel",
    "Albert Camus",
    "George Sand",
    "Jean Jaurès",
    "Lumière",
    "Condorcet",
];
const PUBLIC: &[&str] = &[
    "Ville de",
    "Communauté de communes de",
    "Mairie de",
    "Syndicat des eaux de",
    "CCAS de",
];
const NONPROFIT: &[&str] = &[
    "Association",
    "MJC",
    "Fondation",
    "Centre social",
    "Ressourcerie",
    "Maison de quartier",
];
const ROLES: &[&str] = &[
    "Responsable RSE",
    "Directrice des ressources humaines",
    "Chargé de mission",
    "Proviseure adjointe",
    "Coordinatrice",
    "Directeur",
    "Animatrice",
    "Responsable formation",
];
const WON: &[&str] = &[
    "bon de commande reçu",
    "devis signé",
    "accord du comité de direction",
    "validé en réunion d'équipe",
    "accord de la direction",
];
const LOST: &[&str] = &[
    "budget non validé",
    "projet reporté à l'an prochain",
    "a choisi un autre prestataire",
    "pas de réponse après relance",
    "dates incompatibles",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sector {
    Business,
    Education,
    Public,
    NonProfit,
}

impl Sector {
    fn as_str(self) -> &'static str {
        match self {
            Sector::Business => "business",
            Sector::Education => "education",
            Sector::Public => "public",
            Sector::NonProfit => "non-profit",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
enum Offer {
    Onsite,
    Online,
    Training,
}

impl Offer {
    const ALL: [Offer; 3] = [Offer::Onsite, Offer::Online, Offer::Training];
    fn id(self) -> &'static str {
        match self {
            Offer::Onsite => "workshop-onsite",
            Offer::Online => "workshop-online",
            Offer::Training => "training-day",
        }
    }
    fn price(self) -> u32 {
        match self {
            Offer::Onsite => 1200,
            Offer::Online => 900,
            Offer::Training => 2400,
        }
    }
    fn rate(self, lead: bool) -> u32 {
        match (self, lead) {
            (Offer::Training, true) => 900,
            (Offer::Training, false) => 450,
            (_, true) => 500,
            (_, false) => 250,
        }
    }
}

// Half-day slots of the per-person calendar.
const AM: u8 = 1;
const PM: u8 = 2;
const EVE: u8 = 4;

/// Start and end (minutes after midnight) of a session of `offer` in `slot`.
fn times(offer: Offer, slot: u8) -> (i64, i64) {
    match (offer, slot) {
        (Offer::Training, _) => (9 * 60, 17 * 60),
        (Offer::Onsite, AM) => (9 * 60, 12 * 60),
        (Offer::Online, AM) => (9 * 60 + 30, 12 * 60 + 30),
        (_, PM) => (14 * 60, 17 * 60),
        (_, _) => (18 * 60 + 30, 21 * 60 + 30),
    }
}

// ---------------------------------------------------------------------------------------------
// The model being generated (indices, ids assigned at the end)

struct Person {
    id: String,
    staff: bool,
    coordinator: bool,
}

struct Org {
    id: String,
    name: String,
    sector: Sector,
    city: usize,
    address: String,
    contact: (String, String, String), // name, role, email
}

#[derive(Clone)]
struct Line {
    offer: Option<Offer>,
    label: Option<&'static str>,
    quantity: u32,
    unit_price: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RState {
    Received,
    Qualified,
    Quoted,
    Won,
    Published,
    Assigned,
    Lost,
    Expired,
}

impl RState {
    fn as_str(self) -> &'static str {
        match self {
            RState::Received => "received",
            RState::Qualified => "qualified",
            RState::Quoted => "quoted",
            RState::Won => "won",
            RState::Published => "published",
            RState::Assigned => "assigned",
            RState::Lost => "lost",
            RState::Expired => "expired",
        }
    }
}

struct Quote {
    number: String,
    sent: Day,
    valid_until: Day,
    lines: Vec<Line>,
}

struct Req {
    id: String,
    state: RState,
    introduction: bool,
    received: Minute,
    channel: &'static str,
    origin: &'static str,
    org: usize,
    owner: usize,
    first_response: Option<Minute>,
    summary: String,
    participants: u32,
    language: &'static str,
    wished: Vec<Day>,
    quote: Option<Quote>,
    decision: Option<(Day, &'static str)>,
    coordinator: Option<usize>,
    facilitator: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SState {
    Planned,
    Held,
    Cancelled,
}

struct Sess {
    offer: Offer,
    day: Day,
    start: i64,
    end: i64,
    state: SState,
    /// (person, lead?, volunteer?)
    facs: Vec<(usize, bool, bool)>,
    expected: u32,
    attended: u32,
    satisfaction: Option<u32>,
    open_seats: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum MState {
    Open,
    Closed,
    Invoiced,
    Cancelled,
}

struct Mission {
    req: usize,
    org: usize,
    coordinator: usize,
    opened: Day,
    order: Vec<Line>,
    state: MState,
    closed: Option<Day>,
    language: &'static str,
    sessions: Vec<Sess>,
    invoice: Option<usize>,
    draft_invoice: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PState {
    Requested,
    Invoiced,
    Paid,
}

struct PLine {
    /// Session index within the mission; None on the coordination line.
    session: Option<usize>,
    person: usize,
    lead: bool,
    amount: u32,
    sessions: u32,
}

struct Payout {
    mission: usize,
    requested: Day,
    lines: Vec<PLine>,
    state: PState,
    issued: Day,
    paid: Day,
    /// (person, number, total), filled when numbering.
    self_invoices: Vec<(usize, String, u32)>,
}

struct Inv {
    mission: usize,
    number: String,
    issued: Day,
    sent: Day,
    paid: Option<Day>,
    reminded: Option<Day>,
    purchase_order: Option<String>,
    credit: Option<(Day, String)>,
}

struct Decl {
    req: usize,
    person: usize,
    period: i32,
    sessions: u32,
    participants: u32,
}

// ---------------------------------------------------------------------------------------------
// Building

/// Where activity of a date in [lo, hi] falls, growing linearly to twice the starting rate.
fn growth_day(rng: &mut Rng, lo: Day, hi: Day) -> Day {
    let u = rng.unit();
    let x = (1.0 + 3.0 * u).sqrt() - 1.0; // density ∝ 1 + x on [0, 1]
    lo + ((hi - lo) as f64 * x) as Day
}

struct Calendar {
    lo: Day,
    len: usize,
    busy: Vec<u8>,
}

impl Calendar {
    fn new(people: usize, lo: Day, hi: Day) -> Calendar {
        let len = (hi - lo) as usize;
        Calendar {
            lo,
            len,
            busy: vec![0; people * len],
        }
    }
    fn at(&self, p: usize, day: Day) -> usize {
        p * self.len + (day - self.lo) as usize
    }
    fn free(&self, p: usize, day: Day, mask: u8) -> bool {
        self.busy[self.at(p, day)] & mask == 0
    }
    fn book(&mut self, p: usize, day: Day, mask: u8) {
        let i = self.at(p, day);
        self.busy[i] |= mask;
    }
}

/// A free facilitator for (day, mask), other than `except`: `prefer` first, then random probes,
/// then a scan.
fn free_person(
    rng: &mut Rng,
    cal: &Calendar,
    facilitators: &[usize],
    day: Day,
    mask: u8,
    prefer: &[usize],
    except: &[usize],
) -> Option<usize> {
    for &p in prefer {
        if !except.contains(&p) && cal.free(p, day, mask) {
            return Some(p);
        }
    }
    for _ in 0..48 {
        let p = *rng.pick(facilitators);
        if !except.contains(&p) && cal.free(p, day, mask) {
            return Some(p);
        }
    }
    let off = rng.below(facilitators.len());
    (0..facilitators.len())
        .map(|i| facilitators[(off + i) % facilitators.len()])
        .find(|&p| !except.contains(&p) && cal.free(p, day, mask))
}

struct World {
    n_sessions: usize,
    config: String,
    people: Vec<Person>,
    orgs: Vec<Org>,
    reqs: Vec<Req>,
    missions: Vec<Mission>,
    payouts: Vec<Payout>,
    invoices: Vec<Inv>,
    decls: Vec<Decl>,
    files: Vec<(String, String)>,
}

/// Every file of the workspace (relative path, content), and counts.
fn build(n_sessions: usize) -> (Vec<(String, String)>, Stats) {
    let mut rng = Rng(SEED);
    let mut w = World {
        n_sessions,
        config: String::new(),
        people: Vec::new(),
        orgs: Vec::new(),
        reqs: Vec::new(),
        missions: Vec::new(),
        payouts: Vec::new(),
        invoices: Vec::new(),
        decls: Vec::new(),
        files: Vec::new(),
    };
    w.config_file(&mut rng);
    w.make_people(&mut rng);
    w.make_orgs(&mut rng);
    w.make_missions(&mut rng);
    w.make_other_requests(&mut rng);
    w.number();
    w.render();
    let stats = Stats {
        files: w.files.len(),
        bytes: 0,
        people: w.people.len(),
        organisations: w.orgs.len(),
        requests: w.reqs.len(),
        missions: w.missions.len(),
        sessions: w.missions.iter().map(|m| m.sessions.len()).sum(),
        payouts: w.payouts.len(),
        invoices: w.invoices.len()
            + w.invoices.iter().filter(|i| i.credit.is_some()).count()
            + w.missions.iter().filter(|m| m.draft_invoice).count(),
        declarations: w.decls.len(),
    };
    (w.files, stats)
}

const STAFF: usize = 2;

impl World {
    fn config_file(&mut self, rng: &mut Rng) {
        let (_, siret) = siren_siret(rng);
        let mut s = String::new();
        let _ = write!(
            s,
            r#"# yaml-language-server: $schema=schema/fresk.schema.json
# Synthetic workspace written by fresk's benchmark generator (benches/synth.rs, version {GENERATOR_VERSION}):
# {n} sessions over ten years. Every name and number is made up. Lint it with FRESK_TODAY={TODAY}.
organisation:
  name: Fresques Synthétiques
  legal_form: association loi 1901
  address: "27 rue Sébastien Gryphe, 69007 Lyon"
  siret: "{siret}"
  email: contact@fresques-synthetiques.example
  website: https://fresques-synthetiques.example
  vat: {{ regime: exempt, mention: "TVA non applicable, art. 261-4-4° a du CGI" }}
  training_declaration: "84691234569"
timezone: Europe/Paris
currency: EUR
languages: [fr, en]
staff: [{{STAFF}}]

catalogue:
  - id: workshop-onsite
    kind: workshop
    hours: 3
    label: {{ fr: "Atelier (3 h, présentiel)", en: "Workshop (3 h, on site)" }}
    unit_price: 1200
  - id: workshop-online
    kind: workshop
    hours: 3
    label: {{ fr: "Atelier (3 h, en ligne)", en: "Workshop (3 h, online)" }}
    unit_price: 900
  - id: training-day
    kind: training
    hours: 7
    label: {{ fr: "Formation animateur·ice (1 jour)", en: "Facilitator training (1 day)" }}
    unit_price: 2400

rates:
  workshop: {{ lead: 500, co: 250 }}
  training: {{ lead: 900, co: 450 }}
  coordination_per_session: 100
volunteer_sectors: [education]
payout_policy: {{ max_requests_per_month: 1 }}
response_sla_hours: 48
quote_validity_days: 30
payment_terms_days: 30
usage_rights: {{ percent: 10, min_invoice: 150 }}

levels: [yellow, orange, green, blue]
requirements:
  education: {{ coordinate: orange, facilitate: yellow }}
  business: {{ coordinate: green, facilitate: orange }}

series:
  quote: "D{{year}}-{{seq:04}}"
  invoice: "F{{year}}-{{seq:04}}"
  credit_note: "AV{{year}}-{{seq:04}}"
  self_invoice: "AF-{{person}}-{{seq:04}}"

# Where clients pay by transfer (a fictional RIB whose check digits are right).
bank: {{ iban: "FR76 1027 8073 0000 0204 1234 516", bic: CMCIFR2A }}
"#,
            n = self.n_sessions,
        );
        self.config = s;
    }

    fn make_people(&mut self, rng: &mut Rng) {
        let n = (self.n_sessions * 3 / 1000).max(40);
        let combos = FIRST.len() * LAST.len();
        // A fixed permutation of (first, last) pairs.
        let mut order: Vec<usize> = (0..combos).collect();
        for i in (1..combos).rev() {
            order.swap(i, rng.below(i + 1));
        }
        let mut staff_ids = Vec::new();
        for i in 0..n {
            let c = order[i % combos];
            let (first, last) = (FIRST[c / LAST.len()], LAST[c % LAST.len()]);
            let round = i / combos;
            let mut id = format!("{}-{}", slug(first), slug(last));
            if round > 0 {
                id = format!("{id}-{}", round + 1);
            }
            let staff = i < STAFF;
            let coordinator = !staff && (i % 3 == 0 || i == STAFF);
            let mut t = String::new();
            let _ = writeln!(
                t,
                "# yaml-language-server: $schema=../schema/person.schema.json"
            );
            let _ = writeln!(t, "id: {id}");
            let _ = writeln!(t, "name: {}", q(&format!("{first} {last}")));
            let email = format!("{id}@reseau-fresques.example");
            let _ = writeln!(t, "email: {email}");
            if rng.chance(600) {
                let _ = writeln!(
                    t,
                    "phone: \"06 {:02} {:02} {:02} {:02}\"",
                    rng.below(100),
                    rng.below(100),
                    rng.below(100),
                    rng.below(100)
                );
            }
            if staff {
                let _ = writeln!(t, "roles: [staff]");
                staff_ids.push(id.clone());
            } else if coordinator {
                let _ = writeln!(t, "roles: [facilitator, coordinator]");
            } else {
                let _ = writeln!(t, "roles: [facilitator]");
            }
            let _ = writeln!(t, "git: [{email}, {}{}]", slug(first), &slug(last)[..1]);
            if !staff {
                let _ = writeln!(
                    t,
                    "level: {}",
                    if rng.chance(400) { "blue" } else { "green" }
                );
                let (_, siret) = siren_siret(rng);
                let (city, cp) = *rng.pick(CITIES);
                let mandate = day_of(2016, 9, 1) + rng.range(0, 100) as Day;
                let _ = writeln!(t, "billing:");
                let _ = writeln!(t, "  legal_name: {}", q(&format!("{first} {last} EI")));
                let _ = writeln!(t, "  siret: \"{siret}\"");
                let _ = writeln!(
                    t,
                    "  address: {}",
                    q(&format!(
                        "{} {}, {cp} {city}",
                        rng.range(1, 120),
                        rng.pick(STREETS)
                    ))
                );
                let _ = writeln!(
                    t,
                    "  vat: {{ regime: franchise, mention: \"TVA non applicable, art. 293 B du CGI\" }}"
                );
                let _ = writeln!(t, "  country: FR");
                let _ = writeln!(
                    t,
                    "  mandate: {{ signed: {}, contest_days: 15 }}",
                    fmt_day(mandate)
                );
                if rng.chance(150) {
                    let _ = writeln!(
                        t,
                        "notes: Anime aussi en anglais ; disponible surtout en semaine."
                    );
                }
            }
            self.files.push((format!("people/{id}.yaml"), t));
            self.people.push(Person {
                id,
                staff,
                coordinator,
            });
        }
        self.config = self.config.replace("{STAFF}", &staff_ids.join(", "));
    }

    fn make_orgs(&mut self, rng: &mut Rng) {
        let n = (self.n_sessions / 50).max(50);
        let mut seen = HashSet::new();
        for _ in 0..n {
            let r = rng.below(100);
            let sector = match r {
                0..45 => Sector::Business,
                45..65 => Sector::Education,
                65..85 => Sector::Public,
                _ => Sector::NonProfit,
            };
            let ci = rng.below(CITIES.len());
            let (city, cp) = CITIES[ci];
            let name = match sector {
                Sector::Business => format!(
                    "{} {} {}",
                    rng.pick(BUSINESS),
                    rng.pick(LAST),
                    rng.pick(LEGAL)
                ),
                Sector::Education => {
                    format!("{} {} ({city})", rng.pick(SCHOOLS), rng.pick(PATRONS))
                }
                Sector::Public => format!("{} {city}", rng.pick(PUBLIC)),
                Sector::NonProfit => {
                    format!("{} {} {city}", rng.pick(NONPROFIT), rng.pick(PATRONS))
                }
            };
            let base = slug(&name);
            let mut id = base.clone();
            let mut k = 2;
            while !seen.insert(id.clone()) {
                id = format!("{base}-{k}");
                k += 1;
            }
            let address = format!("{} {}, {cp} {city}", rng.range(1, 180), rng.pick(STREETS));
            let (cf, cl) = (*rng.pick(FIRST), *rng.pick(LAST));
            let contact = (
                format!("{cf} {cl}"),
                rng.pick(ROLES).to_string(),
                format!("{}.{}@{}.example", slug(cf), slug(cl), id),
            );
            let mut t = String::new();
            let _ = writeln!(
                t,
                "# yaml-language-server: $schema=../schema/organisation.schema.json"
            );
            let _ = writeln!(t, "id: {id}");
            let _ = writeln!(t, "name: {}", q(&name));
            let _ = writeln!(t, "sector: {}", sector.as_str());
            let _ = writeln!(t, "address: {}", q(&address));
            let (siren, siret) = siren_siret(rng);
            let _ = writeln!(t, "siren: \"{siren}\"");
            let _ = writeln!(t, "siret: \"{siret}\"");
            if sector == Sector::Business {
                let _ = writeln!(t, "vat_number: {}", vat_number(&siren));
            }
            let _ = writeln!(t, "contacts:");
            let _ = write!(
                t,
                "  - {{ name: {}, role: {}, email: {}",
                q(&contact.0),
                q(&contact.1),
                contact.2
            );
            if rng.chance(500) {
                let _ = write!(
                    t,
                    ", phone: \"04 {:02} {:02} {:02} {:02}\"",
                    rng.below(100),
                    rng.below(100),
                    rng.below(100),
                    rng.below(100)
                );
            }
            t.push_str(" }\n");
            if rng.chance(300) {
                let (f2, l2) = (*rng.pick(FIRST), *rng.pick(LAST));
                let _ = writeln!(
                    t,
                    "  - {{ name: {}, role: Assistante, email: {}.{}@{}.example }}",
                    q(&format!("{f2} {l2}")),
                    slug(f2),
                    slug(l2),
                    id
                );
            }
            if rng.chance(200) {
                let _ = writeln!(
                    t,
                    "notes: Bons de commande obligatoires sur chaque facture."
                );
            }
            self.files.push((format!("organisations/{id}.yaml"), t));
            self.orgs.push(Org {
                id,
                name,
                sector,
                city: ci,
                address,
                contact,
            });
        }
    }

    fn new_request(
        &self,
        rng: &mut Rng,
        org: usize,
        received: Minute,
        introduction: bool,
        state: RState,
    ) -> Req {
        const CHANNELS: &[&str] = &[
            "email", "email", "email", "phone", "form", "form", "social", "visit", "other",
        ];
        const ORIGINS: &[&str] = &[
            "word-of-mouth",
            "word-of-mouth",
            "town-hall",
            "internet",
            "internet",
            "event",
            "returning",
            "partner",
            "other",
        ];
        Req {
            id: String::new(),
            state,
            introduction,
            received,
            channel: CHANNELS[rng.below(CHANNELS.len())],
            origin: ORIGINS[rng.below(ORIGINS.len())],
            org,
            owner: rng.below(STAFF),
            first_response: None,
            summary: String::new(),
            participants: rng.range(8, 60) as u32,
            language: if rng.chance(80) { "en" } else { "fr" },
            wished: Vec::new(),
            quote: None,
            decision: None,
            coordinator: None,
            facilitator: None,
        }
    }

    fn make_missions(&mut self, rng: &mut Rng) {
        let today = today();
        let facilitators: Vec<usize> = (0..self.people.len())
            .filter(|&p| !self.people[p].staff)
            .collect();
        let coordinators: Vec<usize> = facilitators
            .iter()
            .copied()
            .filter(|&p| self.people[p].coordinator)
            .collect();
        let mut cal = Calendar::new(self.people.len(), day_of(2016, 12, 1), day_of(2029, 1, 1));

        // Sessions per mission, 3..=13 (8 on average), summing to exactly n_sessions.
        let mut counts = Vec::new();
        let mut total = 0;
        while total < self.n_sessions {
            let k = (rng.range(3, 13) as usize).min(self.n_sessions - total);
            counts.push(k);
            total += k;
        }
        let mut opened: Vec<Day> = counts
            .iter()
            .map(|_| growth_day(rng, day_of(2017, 2, 1), today - 7))
            .collect();
        opened.sort_unstable();

        for (mi, (&k, &opened)) in counts.iter().zip(&opened).enumerate() {
            let org = rng.below(self.orgs.len());
            let sector = self.orgs[org].sector;
            let coordinator = *rng.pick(&coordinators);
            let language = if rng.chance(80) { "en" } else { "fr" };
            // What is sold: sessions per offer.
            let mut plan: Vec<Offer> = match rng.below(100) {
                0..55 => vec![Offer::Onsite; k],
                55..80 => vec![Offer::Online; k],
                80..90 => {
                    let a = rng.range(1, k as i64) as usize;
                    let mut v = vec![Offer::Onsite; a];
                    v.extend(vec![Offer::Online; k - a]);
                    v
                }
                _ => {
                    let t = rng.range(1, (k as i64).min(4)) as usize;
                    let mut v = vec![Offer::Training; t];
                    v.extend(vec![Offer::Onsite; k - t]);
                    v
                }
            };
            // Interleave offers a little: trainings first, then workshops.
            plan.sort_by_key(|o| match o {
                Offer::Training => 0,
                _ => 1,
            });
            let mut order = Vec::new();
            for offer in Offer::ALL {
                let c = plan.iter().filter(|&&o| o == offer).count() as u32;
                if c > 0 {
                    let extra = u32::from(rng.chance(80));
                    order.push(Line {
                        offer: Some(offer),
                        label: None,
                        quantity: c + extra,
                        unit_price: offer.price(),
                    });
                }
            }
            if plan.contains(&Offer::Onsite) && rng.chance(150) {
                order.push(Line {
                    offer: None,
                    label: Some("Frais de déplacement (forfait)"),
                    quantity: 1,
                    unit_price: 180,
                });
            }

            // A small share of missions is cancelled before anything happens.
            let cancelled = rng.chance(10);

            // Sessions: anchors spread over the span, sometimes two workshops the same day.
            let first = opened + rng.range(7, 25) as Day;
            let span = (k as i64 * 3 + rng.range(7, 70)) as Day;
            let mut sessions: Vec<Sess> = Vec::with_capacity(k);
            let mut prev: Option<(Day, u8, Vec<usize>)> = None;
            for (j, &offer) in plan.iter().enumerate() {
                let mut day;
                let mut slot;
                let same_day = offer != Offer::Training
                    && matches!(&prev, Some((_, s, _)) if *s == AM)
                    && rng.chance(250);
                if same_day {
                    day = prev.as_ref().unwrap().0;
                    slot = PM;
                } else {
                    let anchor = first
                        + span * j as Day / k as Day
                        + rng.range(0, (span / k as Day / 2).max(0) as i64) as Day;
                    day = next_weekday(anchor.max(prev.as_ref().map_or(0, |p| p.0 + 1)));
                    slot = match offer {
                        Offer::Training => AM | PM,
                        Offer::Onsite => {
                            if rng.chance(600) {
                                AM
                            } else {
                                PM
                            }
                        }
                        Offer::Online => *rng.pick(&[AM, PM, EVE]),
                    };
                }
                if day == today {
                    day = next_weekday(day + 1);
                }
                // Team: the lead (often the coordinator), sometimes a co-facilitator.
                let team_pref: Vec<usize> = match &prev {
                    Some((d, _, team)) if *d == day => team.clone(),
                    _ => Vec::new(),
                };
                let (lead, co) = loop {
                    let mut prefer = team_pref.clone();
                    if rng.chance(500) {
                        prefer.push(coordinator);
                    }
                    if let Some(lead) =
                        free_person(rng, &cal, &facilitators, day, slot, &prefer, &[])
                    {
                        let wants_co = rng.chance(if offer == Offer::Training { 300 } else { 600 });
                        let co = if wants_co {
                            free_person(rng, &cal, &facilitators, day, slot, &team_pref, &[lead])
                        } else {
                            None
                        };
                        break (lead, co);
                    }
                    // Nobody free: the next working day, a fresh slot.
                    day = next_weekday(day + 1);
                    if day == today {
                        day = next_weekday(day + 1);
                    }
                    if offer != Offer::Training {
                        slot = AM;
                    }
                };
                cal.book(lead, day, slot);
                let mut facs = vec![(lead, true, false)];
                if let Some(co) = co {
                    cal.book(co, day, slot);
                    let volunteer = sector == Sector::Education && rng.chance(250);
                    facs.push((co, false, volunteer));
                }
                let (s, e) = times(offer, slot);
                let state = if day > today {
                    SState::Planned
                } else if cancelled || rng.chance(25) {
                    SState::Cancelled
                } else {
                    SState::Held
                };
                let expected = if offer == Offer::Training {
                    rng.range(6, 14)
                } else {
                    rng.range(8, 24)
                } as u32;
                let attended = expected.saturating_sub(rng.range(0, 3) as u32).max(1);
                let satisfaction =
                    (state == SState::Held && rng.chance(600)).then(|| rng.range(30, 50) as u32);
                let open_seats = state == SState::Planned && rng.chance(200);
                prev = Some((day, slot, facs.iter().map(|f| f.0).collect()));
                sessions.push(Sess {
                    offer,
                    day,
                    start: s,
                    end: e,
                    state,
                    facs,
                    expected,
                    attended,
                    satisfaction,
                    open_seats,
                });
            }
            // A cancelled mission has nothing left in the future.
            let cancelled = cancelled && sessions.iter().all(|s| s.state == SState::Cancelled);

            // The request behind it.
            let decision = opened - rng.range(0, 3) as Day;
            let sent = decision - rng.range(2, 20) as Day;
            let fr_day = sent - rng.range(0, 3) as Day;
            let first_response = fr_day as Minute * 1440 + rng.range(510, 1080);
            let received = first_response - rng.range(30, 2700);
            let mut req = self.new_request(rng, org, received, false, RState::Assigned);
            req.first_response = Some(first_response);
            let city = CITIES[self.orgs[org].city].0;
            req.summary = match plan[0] {
                Offer::Training => format!("Former des animateur·ices en interne ({city})"),
                Offer::Online => format!("{k} ateliers en ligne pour des équipes réparties"),
                Offer::Onsite => format!("{k} ateliers pour les équipes de {city}"),
            };
            req.participants = sessions.iter().map(|s| s.expected).sum();
            req.language = language;
            req.wished = sessions
                .iter()
                .take(rng.range(1, 3) as usize)
                .map(|s| s.day)
                .collect();
            req.wished.dedup();
            req.quote = Some(Quote {
                number: String::new(),
                sent,
                valid_until: sent + 30,
                lines: order.clone(),
            });
            req.decision = Some((decision, *rng.pick(WON)));
            req.coordinator = Some(coordinator);
            let req_index = self.reqs.len();
            self.reqs.push(req);

            let mut m = Mission {
                req: req_index,
                org,
                coordinator,
                opened,
                order,
                state: MState::Open,
                closed: None,
                language,
                sessions,
                invoice: None,
                draft_invoice: false,
            };
            if cancelled {
                m.state = MState::Cancelled;
            } else {
                self.payouts_of(rng, mi, &mut m);
            }
            self.missions.push(m);
        }
    }

    /// Payouts of mission `mi` (index it will have), its closing and its client invoice.
    fn payouts_of(&mut self, rng: &mut Rng, mi: usize, m: &mut Mission) {
        let today = today();
        let held: Vec<usize> = (0..m.sessions.len())
            .filter(|&i| m.sessions[i].state == SState::Held)
            .collect();
        let mut months: Vec<i32> = held
            .iter()
            .map(|&i| month_index(m.sessions[i].day))
            .collect();
        months.dedup();
        let mut covered = 0;
        let mut last_request = None;
        for mo in months {
            let r = first_of_month(mo + 1) + rng.range(1, 6) as Day;
            if r >= today {
                break;
            }
            let mut lines = Vec::new();
            while covered < held.len() && m.sessions[held[covered]].day < r {
                let si = held[covered];
                let s = &m.sessions[si];
                for &(p, lead, volunteer) in &s.facs {
                    if !volunteer {
                        lines.push(PLine {
                            session: Some(si),
                            person: p,
                            lead,
                            amount: s.offer.rate(lead),
                            sessions: 0,
                        });
                    }
                }
                covered += 1;
            }
            if !lines.is_empty() {
                self.push_payout(rng, mi, r, lines);
                last_request = Some(r);
            }
        }
        let all_past = m.sessions.iter().all(|s| s.state != SState::Planned);
        if !(all_past && covered == held.len()) {
            return; // still open
        }
        // Closed once the last session is over and every paid facilitator is requested for.
        let last_day = m.sessions.iter().map(|s| s.day).max().unwrap();
        let closed = last_request.unwrap_or(last_day + 2).max(last_day + 1);
        if closed >= today {
            return;
        }
        m.closed = Some(closed);
        m.state = MState::Closed;
        if !held.is_empty() {
            let rc = first_of_month(month_index(closed) + 1) + rng.range(1, 6) as Day;
            if rc < today {
                let n = held.len() as u32;
                self.push_payout(
                    rng,
                    mi,
                    rc,
                    vec![PLine {
                        session: None,
                        person: m.coordinator,
                        lead: false,
                        amount: 100 * n,
                        sessions: n,
                    }],
                );
            }
        }
        // Client invoice.
        if held.is_empty() {
            return;
        }
        let issued = closed + rng.range(3, 25) as Day;
        if issued >= today {
            m.draft_invoice = rng.chance(500);
            return;
        }
        m.state = MState::Invoiced;
        let sent = issued + rng.range(0, 1) as Day;
        let paid_on = issued + rng.range(5, 45) as Day;
        let due = issued + 30;
        let (paid, reminded) = if paid_on < today {
            (Some(paid_on), None)
        } else if due + 7 < today {
            (None, Some(due + 7))
        } else {
            (None, None)
        };
        let purchase_order = (self.orgs[m.org].sector == Sector::Business && rng.chance(400))
            .then(|| format!("BC-{}", rng.range(1000, 99999)));
        let credit = (self.invoices.len() % 97 == 41).then(|| {
            let d = issued + rng.range(5, 20) as Day;
            (d.min(today - 1), String::new())
        });
        m.invoice = Some(self.invoices.len());
        self.invoices.push(Inv {
            mission: mi,
            number: String::new(),
            issued,
            sent: sent.min(today - 1),
            paid,
            reminded,
            purchase_order,
            credit,
        });
    }

    fn push_payout(&mut self, rng: &mut Rng, mission: usize, requested: Day, lines: Vec<PLine>) {
        let today = today();
        let issued = requested + rng.range(2, 6) as Day;
        let paid = issued + rng.range(7, 20) as Day;
        let age = today - requested;
        let state = if issued >= today || age <= 10 || (age <= 21 && rng.chance(400)) {
            PState::Requested
        } else if paid < today {
            PState::Paid
        } else {
            PState::Invoiced
        };
        self.payouts.push(Payout {
            mission,
            requested,
            lines,
            state,
            issued,
            paid,
            self_invoices: Vec::new(),
        });
    }

    fn make_other_requests(&mut self, rng: &mut Rng) {
        let today = today();
        let facilitators: Vec<usize> = (0..self.people.len())
            .filter(|&p| !self.people[p].staff)
            .collect();
        let m = self.missions.len();
        let lo = day_of(2017, 1, 3);
        let hi = day_of(2026, 9, 30);
        let quote_lines = |rng: &mut Rng| {
            let offer = *rng.pick(&Offer::ALL);
            vec![Line {
                offer: Some(offer),
                label: None,
                quantity: rng.range(1, 6) as u32,
                unit_price: offer.price(),
            }]
        };
        let answered = |rng: &mut Rng, received: Minute| received + rng.range(30, 2800);
        let at = |rng: &mut Rng, d: Day| d as Minute * 1440 + rng.range(480, 1140);
        // (kind, how many)
        let kinds = [
            (0, m * 15 / 100),
            (1, m * 10 / 100),
            (2, m * 8 / 100),
            (3, m * 8 / 100),
            (4, m * 3 / 100),
        ];
        for (kind, count) in kinds {
            for _ in 0..count {
                let org = rng.below(self.orgs.len());
                let day = growth_day(rng, lo, hi);
                let received = at(rng, day);
                let introduction = kind >= 3;
                let state = match kind {
                    0 | 1 | 4 => RState::Lost,
                    2 => RState::Expired,
                    _ => RState::Assigned,
                };
                let mut r = self.new_request(rng, org, received, introduction, state);
                let fr = answered(rng, received);
                r.first_response = Some(fr);
                let fr_day = (fr / 1440) as Day;
                let city = CITIES[self.orgs[org].city].0;
                r.summary = match kind {
                    3 | 4 => format!(
                        "Un atelier pour une équipe à {city}, en direct avec un·e animateur·ice"
                    ),
                    _ => format!("Des ateliers de sensibilisation à {city}"),
                };
                match kind {
                    0 | 2 => {
                        let sent = fr_day + rng.range(1, 6) as Day;
                        r.quote = Some(Quote {
                            number: String::new(),
                            sent,
                            valid_until: sent + 30,
                            lines: quote_lines(rng),
                        });
                        if kind == 0 {
                            r.decision = Some((sent + rng.range(3, 28) as Day, *rng.pick(LOST)));
                        }
                    }
                    1 | 4 => r.decision = Some((fr_day + rng.range(1, 10) as Day, *rng.pick(LOST))),
                    _ => {
                        let f = *rng.pick(&facilitators);
                        r.facilitator = Some(f);
                        let period = month_index((received / 1440) as Day + 30);
                        // Only recent ones are still `declared`: fee-not-invoiced warns about a
                        // fee left uninvoiced 180 days after its month ended (the generator
                        // writes no fee invoices).
                        if (received / 1440) as Day >= today - 180 && period < month_index(today) {
                            let sessions = rng.range(1, 3) as u32;
                            self.decls.push(Decl {
                                req: self.reqs.len(),
                                person: f,
                                period,
                                sessions,
                                participants: sessions * rng.range(8, 20) as u32,
                            });
                        }
                    }
                }
                self.reqs.push(r);
            }
        }
        // The pipeline: requests of the last weeks, in every open state.
        let pipeline = (m / 100).max(8);
        for i in 0..pipeline {
            let org = rng.below(self.orgs.len());
            let kind = i % 6;
            let received = match kind {
                0 => (today - 1) as Minute * 1440 + rng.range(540, 1080),
                _ => {
                    let d = today - rng.range(8, 24) as Day;
                    at(rng, d)
                }
            };
            let state = [
                RState::Received,
                RState::Qualified,
                RState::Quoted,
                RState::Won,
                RState::Published,
                RState::Published,
            ][kind];
            let mut r = self.new_request(rng, org, received, kind == 5, state);
            r.summary = format!("Demande à qualifier ({})", CITIES[self.orgs[org].city].0);
            if kind > 0 {
                let fr = answered(rng, received);
                r.first_response = Some(fr);
                let fr_day = (fr / 1440) as Day;
                if (2..=4).contains(&kind) {
                    let sent = fr_day + 1;
                    r.quote = Some(Quote {
                        number: String::new(),
                        sent,
                        valid_until: sent + 30,
                        lines: quote_lines(rng),
                    });
                    if kind >= 3 {
                        r.decision = Some((sent + rng.range(1, 3) as Day, *rng.pick(WON)));
                    }
                }
            }
            self.reqs.push(r);
        }
    }

    /// Ids and legal numbers, in date order.
    fn number(&mut self) {
        // Requests (and missions) by reception.
        let mut order: Vec<usize> = (0..self.reqs.len()).collect();
        order.sort_by_key(|&i| (self.reqs[i].received, i));
        let mut seq: HashMap<i32, u32> = HashMap::new();
        for &i in &order {
            let y = year((self.reqs[i].received / 1440) as Day);
            let n = seq.entry(y).or_default();
            *n += 1;
            self.reqs[i].id = format!("R{y}-{n:04}");
        }
        // Quotes by sending date.
        let mut quoted: Vec<usize> = (0..self.reqs.len())
            .filter(|&i| self.reqs[i].quote.is_some())
            .collect();
        quoted.sort_by(|&a, &b| {
            let (qa, qb) = (
                self.reqs[a].quote.as_ref().unwrap(),
                self.reqs[b].quote.as_ref().unwrap(),
            );
            (qa.sent, &self.reqs[a].id).cmp(&(qb.sent, &self.reqs[b].id))
        });
        let mut seq: HashMap<i32, u32> = HashMap::new();
        for &i in &quoted {
            let q = self.reqs[i].quote.as_mut().unwrap();
            let y = year(q.sent);
            let n = seq.entry(y).or_default();
            *n += 1;
            q.number = format!("D{y}-{n:04}");
        }
        // Client invoices and credit notes by issue date.
        let mut inv: Vec<usize> = (0..self.invoices.len()).collect();
        inv.sort_by(|&a, &b| {
            (
                self.invoices[a].issued,
                self.mission_id(self.invoices[a].mission),
            )
                .cmp(&(
                    self.invoices[b].issued,
                    self.mission_id(self.invoices[b].mission),
                ))
        });
        let mut seq: HashMap<i32, u32> = HashMap::new();
        for &i in &inv {
            let y = year(self.invoices[i].issued);
            let n = seq.entry(y).or_default();
            *n += 1;
            self.invoices[i].number = format!("F{y}-{n:04}");
        }
        let mut cn: Vec<usize> = (0..self.invoices.len())
            .filter(|&i| self.invoices[i].credit.is_some())
            .collect();
        cn.sort_by_key(|&i| {
            (
                self.invoices[i].credit.as_ref().unwrap().0,
                self.invoices[i].number.clone(),
            )
        });
        let mut seq: HashMap<i32, u32> = HashMap::new();
        for &i in &cn {
            let c = self.invoices[i].credit.as_mut().unwrap();
            let y = year(c.0);
            let n = seq.entry(y).or_default();
            *n += 1;
            c.1 = format!("AV{y}-{n:04}");
        }
        // Self-invoices: one per person per invoiced payout, in issue order per person.
        let mut issued: Vec<(Day, String, usize)> = Vec::new();
        for (pi, p) in self.payouts.iter().enumerate() {
            if p.state != PState::Requested {
                issued.push((p.issued, self.payout_id(p), pi));
            }
        }
        issued.sort();
        let mut seq: HashMap<usize, u32> = HashMap::new();
        for (_, _, pi) in issued {
            let mut people: Vec<usize> = Vec::new();
            let mut totals: HashMap<usize, u32> = HashMap::new();
            for l in &self.payouts[pi].lines {
                if !people.contains(&l.person) {
                    people.push(l.person);
                }
                *totals.entry(l.person).or_default() += l.amount;
            }
            people.sort_by(|&a, &b| self.people[a].id.cmp(&self.people[b].id));
            for person in people {
                let n = seq.entry(person).or_default();
                *n += 1;
                let number = format!("AF-{}-{n:04}", self.people[person].id);
                self.payouts[pi]
                    .self_invoices
                    .push((person, number, totals[&person]));
            }
        }
        // Declarations by period.
        let reqs = &self.reqs;
        self.decls
            .sort_by_cached_key(|d| (d.period, reqs[d.req].id.clone()));
    }

    fn mission_id(&self, mi: usize) -> String {
        format!("M{}", &self.reqs[self.missions[mi].req].id[1..])
    }

    fn payout_id(&self, p: &Payout) -> String {
        format!(
            "P{}-{}",
            fmt_month(month_index(p.requested)),
            self.mission_id(p.mission)
        )
    }

    fn render(&mut self) {
        let mut files = std::mem::take(&mut self.files);
        files.push(("fresk.yaml".into(), self.config.clone()));
        files.push((".gitignore".into(), "private/\n".into()));
        for r in &self.reqs {
            files.push((
                format!("requests/{}/{}.yaml", &r.id[1..5], r.id),
                self.render_request(r),
            ));
        }
        for mi in 0..self.missions.len() {
            let id = self.mission_id(mi);
            files.push((
                format!("missions/{id}/mission.yaml"),
                self.render_mission(mi, &id),
            ));
            for si in 0..self.missions[mi].sessions.len() {
                files.push((
                    format!("missions/{id}/sessions/{id}-S{:02}.yaml", si + 1),
                    self.render_session(mi, &id, si),
                ));
            }
            if self.missions[mi].draft_invoice {
                files.push((
                    format!("invoices/2026/I-{id}.yaml"),
                    self.render_invoice(mi, None),
                ));
            }
        }
        for p in &self.payouts {
            let id = self.payout_id(p);
            files.push((
                format!("payouts/{}/{id}.yaml", &id[1..5]),
                self.render_payout(p, &id),
            ));
        }
        for (ii, inv) in self.invoices.iter().enumerate() {
            files.push((
                format!("invoices/{}/{}.yaml", &inv.number[1..5], inv.number),
                self.render_invoice(inv.mission, Some(ii)),
            ));
            if let Some((_, number)) = &inv.credit {
                files.push((
                    format!("invoices/{}/{number}.yaml", &number[2..6]),
                    self.render_credit(inv),
                ));
            }
        }
        let mut seq: HashMap<i32, u32> = HashMap::new();
        for d in &self.decls {
            let y = d.period.div_euclid(12);
            let n = seq.entry(y).or_default();
            *n += 1;
            let id = format!("U{y}-{n:04}");
            let revenue = d.sessions * 1100;
            let t = format!(
                "# yaml-language-server: $schema=../../schema/declaration.schema.json\n\
                 id: {id}\nstate: declared\nrequest: {}\nperson: {}\nperiod: {}\nsessions: {}\nparticipants: {}\n\
                 revenue: {revenue}\nfee: {}\n",
                self.reqs[d.req].id,
                self.people[d.person].id,
                fmt_month(d.period),
                d.sessions,
                d.participants,
                revenue / 10,
            );
            files.push((format!("declarations/{y}/{id}.yaml"), t));
        }
        self.files = files;
    }

    fn render_lines(t: &mut String, lines: &[Line], with_price: bool) {
        for l in lines {
            match (l.offer, l.label) {
                (Some(o), _) if with_price => {
                    let _ = writeln!(
                        t,
                        "  - {{ offer: {}, quantity: {}, unit_price: {} }}",
                        o.id(),
                        l.quantity,
                        l.unit_price
                    );
                }
                (Some(o), _) => {
                    let _ = writeln!(t, "    - {{ offer: {}, quantity: {} }}", o.id(), l.quantity);
                }
                (None, label) => {
                    let indent = if with_price { "  " } else { "    " };
                    let _ = writeln!(
                        t,
                        "{indent}- {{ label: {}, quantity: {}, unit_price: {} }}",
                        q(label.unwrap_or("")),
                        l.quantity,
                        l.unit_price
                    );
                }
            }
        }
    }

    fn render_request(&self, r: &Req) -> String {
        let org = &self.orgs[r.org];
        let mut t = String::with_capacity(900);
        t.push_str("# yaml-language-server: $schema=../../schema/request.schema.json\n");
        let _ = writeln!(t, "id: {}", r.id);
        let _ = writeln!(t, "state: {}", r.state.as_str());
        let _ = writeln!(
            t,
            "track: {}",
            if r.introduction {
                "introduction"
            } else {
                "subcontracting"
            }
        );
        let _ = writeln!(t, "received: {}", fmt_dt(r.received));
        let _ = writeln!(t, "channel: {}", r.channel);
        let _ = writeln!(t, "origin: {}", r.origin);
        let _ = writeln!(t, "organisation: {}", org.id);
        let _ = writeln!(
            t,
            "contact: {{ name: {}, role: {}, email: {} }}",
            q(&org.contact.0),
            q(&org.contact.1),
            org.contact.2
        );
        let _ = writeln!(t, "owner: {}", self.people[r.owner].id);
        if let Some(fr) = r.first_response {
            let _ = writeln!(t, "first_response: {}", fmt_dt(fr));
        }
        t.push_str("need:\n");
        let _ = writeln!(t, "  summary: {}", q(&r.summary));
        let _ = writeln!(t, "  participants: {}", r.participants);
        let _ = writeln!(t, "  language: {}", r.language);
        let _ = writeln!(t, "  location: {}", q(CITIES[org.city].0));
        if !r.wished.is_empty() {
            let w: Vec<String> = r.wished.iter().map(|&d| fmt_day(d)).collect();
            let _ = writeln!(t, "  wished_dates: [{}]", w.join(", "));
        }
        if let Some(qt) = &r.quote {
            t.push_str("quote:\n");
            let _ = writeln!(t, "  number: {}", qt.number);
            let _ = writeln!(t, "  sent: {}", fmt_day(qt.sent));
            let _ = writeln!(t, "  valid_until: {}", fmt_day(qt.valid_until));
            t.push_str("  lines:\n");
            Self::render_lines(&mut t, &qt.lines, false);
        }
        if let Some((d, reason)) = r.decision {
            let _ = writeln!(
                t,
                "decision: {{ date: {}, reason: {} }}",
                fmt_day(d),
                q(reason)
            );
        }
        if let Some(c) = r.coordinator {
            let _ = writeln!(t, "coordinator: {}", self.people[c].id);
        }
        if let Some(f) = r.facilitator {
            let _ = writeln!(t, "facilitator: {}", self.people[f].id);
        }
        t
    }

    fn render_mission(&self, mi: usize, id: &str) -> String {
        let m = &self.missions[mi];
        let org = &self.orgs[m.org];
        let mut t = String::with_capacity(500);
        t.push_str("# yaml-language-server: $schema=../../schema/mission.schema.json\n");
        let _ = writeln!(t, "id: {id}");
        let state = match m.state {
            MState::Open => "open",
            MState::Closed => "closed",
            MState::Invoiced => "invoiced",
            MState::Cancelled => "cancelled",
        };
        let _ = writeln!(t, "state: {state}");
        let _ = writeln!(t, "request: {}", self.reqs[m.req].id);
        let _ = writeln!(t, "organisation: {}", org.id);
        let _ = writeln!(t, "sector: {}", org.sector.as_str());
        let _ = writeln!(t, "coordinator: {}", self.people[m.coordinator].id);
        let _ = writeln!(t, "opened: {}", fmt_day(m.opened));
        t.push_str("order:\n");
        Self::render_lines(&mut t, &m.order, true);
        if let Some(c) = m.closed {
            let _ = writeln!(t, "closed: {}", fmt_day(c));
        }
        if m.state == MState::Cancelled {
            t.push_str("notes: Annulée par le client avant la première session.\n");
        }
        t
    }

    fn render_session(&self, mi: usize, mid: &str, si: usize) -> String {
        let m = &self.missions[mi];
        let s = &m.sessions[si];
        let org = &self.orgs[m.org];
        let id = format!("{mid}-S{:02}", si + 1);
        let mut t = String::with_capacity(600);
        t.push_str("# yaml-language-server: $schema=../../../schema/session.schema.json\n");
        let _ = writeln!(t, "id: {id}");
        let _ = writeln!(t, "mission: {mid}");
        let state = match s.state {
            SState::Planned => "planned",
            SState::Held => "held",
            SState::Cancelled => "cancelled",
        };
        let _ = writeln!(t, "state: {state}");
        let _ = writeln!(t, "offer: {}", s.offer.id());
        let base = s.day as Minute * 1440;
        let _ = writeln!(t, "start: {}", fmt_dt(base + s.start));
        let _ = writeln!(t, "end: {}", fmt_dt(base + s.end));
        if s.offer == Offer::Online {
            t.push_str("online: true\n");
        } else {
            let _ = writeln!(
                t,
                "location: {}",
                q(&format!("{}, {}", org.name, org.address))
            );
        }
        let _ = writeln!(t, "language: {}", m.language);
        t.push_str("facilitators:\n");
        for &(p, lead, volunteer) in &s.facs {
            let _ = writeln!(
                t,
                "  - {{ person: {}, role: {}, status: {} }}",
                self.people[p].id,
                if lead { "lead" } else { "co" },
                if volunteer { "volunteer" } else { "paid" }
            );
        }
        if s.open_seats {
            t.push_str("open_seats: 1\n");
        }
        t.push_str("participants:\n");
        let _ = writeln!(t, "  expected: {}", s.expected);
        if s.state == SState::Held {
            let _ = writeln!(t, "  attended: {}", s.attended);
        }
        if s.state != SState::Cancelled {
            let _ = writeln!(t, "  roster: private/rosters/{id}.yaml");
        }
        if let Some(x) = s.satisfaction {
            let _ = writeln!(t, "satisfaction: {}.{}", x / 10, x % 10);
        }
        if s.state == SState::Cancelled {
            t.push_str("notes: Annulée à la demande du client, reportée ou non remplacée.\n");
        }
        t
    }

    fn render_payout(&self, p: &Payout, id: &str) -> String {
        let m = &self.missions[p.mission];
        let mid = self.mission_id(p.mission);
        let mut t = String::with_capacity(1000);
        t.push_str("# yaml-language-server: $schema=../../schema/payout.schema.json\n");
        let _ = writeln!(t, "id: {id}");
        let _ = writeln!(t, "mission: {mid}");
        let state = match p.state {
            PState::Requested => "requested",
            PState::Invoiced => "invoiced",
            PState::Paid => "paid",
        };
        let _ = writeln!(t, "state: {state}");
        let _ = writeln!(t, "requested_by: {}", self.people[m.coordinator].id);
        let _ = writeln!(t, "requested: {}", fmt_day(p.requested));
        t.push_str("lines:\n");
        for l in &p.lines {
            match l.session {
                Some(si) => {
                    let _ = writeln!(
                        t,
                        "  - {{ session: {mid}-S{:02}, person: {}, role: {}, amount: {} }}",
                        si + 1,
                        self.people[l.person].id,
                        if l.lead { "lead" } else { "co" },
                        l.amount
                    );
                }
                None => {
                    let _ = writeln!(
                        t,
                        "  - {{ coordination: true, person: {}, sessions: {}, amount: {} }}",
                        self.people[l.person].id, l.sessions, l.amount
                    );
                }
            }
        }
        if !p.self_invoices.is_empty() {
            t.push_str("self_invoices:\n");
            for (person, number, total) in &p.self_invoices {
                let _ = writeln!(
                    t,
                    "  - {{ person: {}, number: {number}, issued: {}, total: {total} }}",
                    self.people[*person].id,
                    fmt_day(p.issued)
                );
            }
        }
        if p.state == PState::Paid {
            let (y, mo, d) = civil(p.paid);
            let _ = writeln!(
                t,
                "paid: {{ date: {}, reference: VIR-{y:04}{mo:02}{d:02} }}",
                fmt_day(p.paid)
            );
        }
        t
    }

    /// The client invoice of mission `mi` (a draft when `inv` is None).
    fn render_invoice(&self, mi: usize, inv: Option<usize>) -> String {
        let m = &self.missions[mi];
        let mid = self.mission_id(mi);
        let mut t = String::with_capacity(600);
        t.push_str("# yaml-language-server: $schema=../../schema/invoice.schema.json\n");
        let inv = inv.map(|i| &self.invoices[i]);
        match inv {
            Some(i) => {
                let _ = writeln!(t, "id: {}", i.number);
            }
            None => {
                let _ = writeln!(t, "id: I-{mid}");
            }
        }
        t.push_str("kind: invoice\n");
        let state = match inv {
            None => "draft",
            Some(i) if i.paid.is_some() => "paid",
            Some(i) if i.reminded.is_some() => "reminded-1",
            Some(_) => "sent",
        };
        let _ = writeln!(t, "state: {state}");
        let _ = writeln!(t, "mission: {mid}");
        let _ = writeln!(t, "organisation: {}", self.orgs[m.org].id);
        if let Some(po) = inv.and_then(|i| i.purchase_order.as_ref()) {
            let _ = writeln!(t, "purchase_order: {po}");
        }
        if let Some(i) = inv {
            let _ = writeln!(t, "issued: {}", fmt_day(i.issued));
            let _ = writeln!(t, "due: {}", fmt_day(i.issued + 30));
        }
        t.push_str("lines:\n");
        // Quantities actually held.
        let mut lines = Vec::new();
        for l in &m.order {
            let quantity = match l.offer {
                Some(o) => m
                    .sessions
                    .iter()
                    .filter(|s| s.offer == o && s.state == SState::Held)
                    .count() as u32,
                None => l.quantity,
            };
            if quantity > 0 {
                lines.push(Line {
                    quantity,
                    ..l.clone()
                });
            }
        }
        Self::render_lines(&mut t, &lines, true);
        if let Some(i) = inv {
            let _ = writeln!(t, "sent: {}", fmt_day(i.sent));
            if let Some(r) = i.reminded {
                t.push_str("history:\n");
                let _ = writeln!(t, "  - {{ step: reminded-1, date: {} }}", fmt_day(r));
            }
            if let Some(p) = i.paid {
                let (y, mo, d) = civil(p);
                let _ = writeln!(
                    t,
                    "paid: {{ date: {}, reference: VIR-{y:04}{mo:02}{d:02} }}",
                    fmt_day(p)
                );
            }
        }
        t
    }

    fn render_credit(&self, inv: &Inv) -> String {
        let m = &self.missions[inv.mission];
        let (date, number) = inv.credit.as_ref().unwrap();
        format!(
            "# yaml-language-server: $schema=../../schema/invoice.schema.json\n\
             id: {number}\nkind: credit-note\nstate: sent\nmission: {}\norganisation: {}\n\
             issued: {}\ndue: {}\nlines:\n  - {{ label: \"Geste commercial (session écourtée)\", quantity: 1, unit_price: 100 }}\n\
             sent: {}\ncorrects: {}\nreason: Session écourtée d'une heure, remise accordée au client.\n",
            self.mission_id(inv.mission),
            self.orgs[m.org].id,
            fmt_day(*date),
            fmt_day(*date + 30),
            fmt_day(*date),
            inv.number,
        )
    }
}
