//! Several origins per request and organisation, checked against `origins` in fresk.yaml; the
//! single `origin:` of earlier files stays valid.

use crate::support::Ws;

#[test]
fn request_new_takes_several_origins_and_writes_them_as_the_list_spells_them() {
    let ws = Ws::example();
    ws.run_ok(&[
        "request",
        "new",
        "--organisation",
        "agence-tandem",
        "--track",
        "subcontracting",
        "--channel",
        "email",
        "--origin",
        "word-of-mouth/client",
        "--origin",
        "partner",
        "--origin",
        "press",
        "--summary",
        "Un atelier",
    ]);
    let file = ws.read("requests/2026/R2026-0015.yaml");
    assert!(
        file.contains("origins: [word-of-mouth/client, word-of-mouth/partner, press]\n"),
        "{file}"
    );
    assert!(!file.contains("origin:"), "{file}");
    ws.lint().expect_clean();
}

#[test]
fn request_new_refuses_an_origin_not_in_the_list_and_suggests_the_closest() {
    let ws = Ws::example();
    let out = ws.run(&[
        "request",
        "new",
        "--organisation",
        "agence-tandem",
        "--track",
        "subcontracting",
        "--channel",
        "email",
        "--origin",
        "press",
        "--origin",
        "leaflet",
        "--summary",
        "x",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "--origin `leaflet` is not in `origins` of fresk.yaml; did you mean `leaflets`?"
        ),
        "{err}"
    );
    assert!(!ws.path().join("requests/2026/R2026-0015.yaml").exists());
}

#[test]
fn lint_points_at_each_unknown_origin_with_a_suggestion() {
    let ws = Ws::example();
    ws.edit(
        "requests/2026/R2026-0001.yaml",
        "origin: internet\n",
        "origins: [own-website, word-of-mouth/clent, pres]\n",
    );
    let lint = ws.lint();
    assert_eq!(lint.findings.len(), 2, "{}", lint.listing());
    let f = lint.expect("unknown-origin", "requests/2026/R2026-0001.yaml", 7, 24);
    assert!(
        f.message.contains("did you mean `word-of-mouth/client`?"),
        "{}",
        f.message
    );
    let f = lint.expect("unknown-origin", "requests/2026/R2026-0001.yaml", 7, 45);
    assert!(f.message.contains("did you mean `press`?"), "{}", f.message);
}

#[test]
fn lint_refuses_origin_and_origins_together_and_neither() {
    let ws = Ws::example();
    ws.edit(
        "requests/2026/R2026-0001.yaml",
        "origin: internet\n",
        "origin: internet\norigins: [press]\n",
    );
    ws.edit("requests/2026/R2026-0002.yaml", "origin: event\n", "");
    let lint = ws.lint();
    assert_eq!(lint.findings.len(), 2, "{}", lint.listing());
    lint.expect("origin-fields", "requests/2026/R2026-0001.yaml", 7, 1);
    lint.expect("origin-fields", "requests/2026/R2026-0002.yaml", 2, 1);
}

#[test]
fn the_list_is_configurable_and_checks_organisations_too() {
    let ws = Ws::example();
    let config = ws.read("fresk.yaml");
    ws.write(
        "fresk.yaml",
        &format!(
            "{config}origins:\n  - id: internet\n  - id: flyers\n    kinds: [market]\n    aliases: [event]\n  - id: word-of-mouth\n    kinds: [client]\n  - {{ id: town-hall }}\n  - {{ id: returning }}\n  - {{ id: partner }}\n  - {{ id: other }}\n  - {{ id: leaflets }}\n  - {{ id: press }}\n  - {{ id: town-hall-staff }}\n  - {{ id: municipal-bulletin }}\n  - {{ id: own-website }}\n  - {{ id: town-hall-website }}\n"
        ),
    );
    ws.lint().expect_clean();
    ws.edit(
        "requests/2026/R2026-0001.yaml",
        "origin: internet\n",
        "origins: [flyers/market, posters]\n",
    );
    let org = ws.read("organisations/iraid.yaml");
    ws.write(
        "organisations/iraid.yaml",
        &format!("{org}origins: [flyers/markt]\n"),
    );
    let lint = ws.lint();
    assert_eq!(lint.findings.len(), 2, "{}", lint.listing());
    lint.expect("unknown-origin", "requests/2026/R2026-0001.yaml", 7, 26);
    let f = lint
        .of("unknown-origin")
        .into_iter()
        .find(|f| f.file == "organisations/iraid.yaml")
        .expect("the organisation's origin is checked");
    assert!(
        f.message.contains("did you mean `flyers/market`?"),
        "{}",
        f.message
    );
}

/// A list whose words would send requests elsewhere is a finding at the word, and a request
/// naming the duplicate still resolves (to the first), so nothing else is reported.
#[test]
fn a_list_of_origins_with_a_word_naming_two_things_is_refused() {
    let ws = Ws::example();
    let config = ws.read("fresk.yaml");
    let first = config.lines().count() as u32 + 2;
    ws.write(
        "fresk.yaml",
        &format!(
            "{config}origins:\n  - {{ id: internet, group: web }}\n  - {{ id: radio, group: media, aliases: [internet] }}\n  - {{ id: internet, group: media }}\n  - {{ id: word-of-mouth, kinds: [client, a/b] }}\n  - {{ id: press, group: radio }}\n  - {{ id: returning }}\n  - {{ id: other }}\n  - {{ id: town-hall }}\n  - {{ id: partner }}\n  - {{ id: leaflets }}\n  - {{ id: town-hall-staff }}\n  - {{ id: municipal-bulletin }}\n  - {{ id: own-website }}\n  - {{ id: town-hall-website }}\n  - {{ id: events, aliases: [event] }}\n"
        ),
    );
    let lint = ws.lint();
    let found = lint.of("bad-origins");
    assert_eq!(found.len(), 4, "{}", lint.listing());
    let alias = lint.expect("bad-origins", "fresk.yaml", first + 1, 42);
    assert!(
        alias.message.contains("the id of the origin `internet`"),
        "{}",
        alias.message
    );
    let twice = lint.expect("bad-origins", "fresk.yaml", first + 2, 11);
    assert!(
        twice.message.contains("listed twice (origins[0] and here)"),
        "{}",
        twice.message
    );
    lint.expect("bad-origins", "fresk.yaml", first + 3, 42);
    let group = lint.expect("bad-origins", "fresk.yaml", first + 4, 25);
    assert!(
        group.message.contains("rename the group"),
        "{}",
        group.message
    );
    assert_eq!(lint.findings.len(), 4, "{}", lint.listing());
}
