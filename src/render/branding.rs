//! The association's logo and colour (`branding:` in fresk.yaml), as the templates and the
//! PDF writer want them.

use std::path::Path;

use crate::model::Config;
use crate::model::config::image_kind;

/// The logo file of `config`, read from inside the workspace, with its kind (`png`, `svg`).
/// A logo that cannot be read or is not an image is left out: `fresk lint` reports it
/// (`bad-branding`).
fn logo(root: &Path, config: &Config) -> Option<(&'static str, Vec<u8>)> {
    let rel = config.branding.as_ref()?.logo.as_deref()?;
    let path = crate::store::resolve(root, rel).ok()?;
    let bytes = std::fs::read(path).ok()?;
    Some((image_kind(&bytes)?, bytes))
}

/// `branding` for the templates: `logo`, a `data:` URI (empty without a logo), and
/// `colour`, `#rrggbb` (empty without a valid colour).
pub(super) fn template_value(root: &Path, config: &Config) -> minijinja::Value {
    let logo = logo(root, config).map_or_else(String::new, |(kind, bytes)| {
        let mime = if kind == "png" {
            "image/png"
        } else {
            "image/svg+xml"
        };
        format!("data:{mime};base64,{}", base64(&bytes))
    });
    let colour = config
        .branding
        .as_ref()
        .and_then(|b| b.rgb())
        .map_or_else(String::new, |(r, g, b)| format!("#{r:02x}{g:02x}{b:02x}"));
    minijinja::context! { logo => logo, colour => colour }
}

/// The branding the PDF writer draws.
pub(super) fn pdf(root: &Path, config: &Config) -> crate::pdf::Branding {
    crate::pdf::Branding {
        logo: logo(root, config).map(|(kind, bytes)| {
            if kind == "png" {
                crate::pdf::Logo::Png(bytes)
            } else {
                crate::pdf::Logo::Svg(bytes)
            }
        }),
        colour: config.branding.as_ref().and_then(|b| b.rgb()),
    }
}

/// Standard base64 with padding (RFC 4648 §4).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_matches_rfc_4648() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected);
        }
    }
}
