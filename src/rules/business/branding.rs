//! The association's branding in fresk.yaml: a logo file that exists, stays inside the
//! workspace and is a PNG or SVG image, and a hex colour.

use super::config_file;
use crate::diagnostics::{At, Finding, declare_rules};
use crate::model::config::{image_kind, parse_hex_colour};
use crate::rules::Context;
use crate::workspace::Workspace;

declare_rules! {
    /// `branding` in fresk.yaml names a logo that is not a PNG or SVG file of the workspace, or a colour that is not a hex colour
    ///
    /// Every document prints the logo in its header and uses the colour for its headings
    /// and rules. The logo is a path inside the workspace (e.g. `templates/logo.svg`) to a
    /// PNG or SVG file that exists and reads as one; a path outside the workspace (`..`, an
    /// absolute path, a symbolic link out of it) is never read. The colour is `#rrggbb` or
    /// `#rgb`. Fix the path or the file, or write the colour in hex.
    ///
    /// Bad:
    /// ```yaml
    /// # fresk.yaml
    /// branding: { logo: ../logo.jpg, colour: dark blue }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # fresk.yaml
    /// branding: { logo: templates/logo.svg, colour: "#1a5276" }
    /// ```
    BAD_BRANDING = "bad-branding", Shape, Error;
}

/// Checks `branding:` of fresk.yaml.
pub(super) fn branding(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    let Some(branding) = cx.config.and_then(|config| config.branding.as_ref()) else {
        return;
    };
    let file = config_file(ws);
    if let Some(logo) = &branding.logo
        && let Some(problem) = logo_problem(ws, logo)
    {
        out.push(Finding::new(
            &BAD_BRANDING,
            file,
            At::value("branding.logo"),
            format!("the logo `{}` {problem}", logo.escape_debug()),
        ));
    }
    if let Some(colour) = &branding.colour
        && parse_hex_colour(colour).is_none()
    {
        out.push(Finding::new(
            &BAD_BRANDING,
            file,
            At::value("branding.colour"),
            format!(
                "the colour `{}` is not a hex colour; write it as `#rrggbb` (e.g. \"#1a5276\") or `#rgb`",
                colour.escape_debug()
            ),
        ));
    }
}

/// What is wrong with the logo file `logo`, if anything.
fn logo_problem(ws: &Workspace, logo: &str) -> Option<String> {
    let path = match crate::store::resolve(&ws.root, logo) {
        Ok(path) => path,
        Err(e) => {
            return Some(format!(
                "is not a file of the workspace ({e}); give a path inside it, such as templates/logo.svg"
            ));
        }
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Some("does not exist; add the file or fix the path".to_owned());
        }
        Err(e) => return Some(format!("cannot be read ({e})")),
    };
    match image_kind(&bytes) {
        Some("svg") => usvg::Tree::from_data(&bytes, &usvg::Options::default())
            .err()
            .map(|e| format!("is not a valid SVG image ({e}); export it again as SVG or PNG")),
        Some(_) => krilla::image::Image::from_png(bytes.into(), true)
            .err()
            .map(|e| format!("is not a valid PNG image ({e}); export it again as PNG or SVG")),
        None => Some("is neither a PNG nor an SVG image; export it as PNG or SVG".to_owned()),
    }
}
