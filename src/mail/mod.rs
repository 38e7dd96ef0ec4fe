//! E-mail to participants: MIME messages (UTF-8 subject and names, a PDF attached) built with
//! `lettre`, sent through the SMTP server of `mail:` in fresk.yaml, and the private log of what
//! went to whom ([`log`]).

pub mod log;

use crate::model::config::{Mail, MailTls};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::SmtpTransport;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Address, Message, Transport};
use std::time::Duration;

pub use log::{Entry, SentLog};

/// The environment variables holding the SMTP user name and password.
pub const USER_VAR: &str = "FRESK_SMTP_USER";
pub const PASSWORD_VAR: &str = "FRESK_SMTP_PASSWORD";

/// What is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Each attendee's certificate, attached.
    Certificates,
    /// The link to the satisfaction survey.
    Survey,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Certificates => "certificates",
            Kind::Survey => "survey",
        }
    }
}

/// One message for one participant.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The participant's name and address.
    pub name: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The attachment's file name and the PDF.
    pub attachment: Option<(String, Vec<u8>)>,
}

/// Is `address` an e-mail address lettre can send to?
pub fn valid_address(address: &str) -> bool {
    address.trim().parse::<Address>().is_ok()
}

/// The MIME message of `out`, from the sender of `mail`.
pub fn message(mail: &Mail, out: &Outgoing) -> Result<Message, String> {
    let from: Mailbox = mail.from.parse().map_err(|e| {
        format!(
            "mail.from in fresk.yaml, `{}`, is not an address ({e}); write `Name <address@example.org>` or an address",
            mail.from
        )
    })?;
    let to_address: Address = out
        .to
        .trim()
        .parse()
        .map_err(|e| format!("`{}` is not an e-mail address ({e})", out.to))?;
    let mut builder = Message::builder()
        .from(from)
        .to(Mailbox::new(Some(out.name.trim().to_string()), to_address))
        .subject(out.subject.clone());
    if let Some(reply_to) = &mail.reply_to {
        let reply_to: Mailbox = reply_to.parse().map_err(|e| {
            format!("mail.reply_to in fresk.yaml, `{reply_to}`, is not an address ({e})")
        })?;
        builder = builder.reply_to(reply_to);
    }
    let text = SinglePart::plain(out.body.clone());
    let built = match &out.attachment {
        None => builder.singlepart(text),
        Some((name, bytes)) => {
            let pdf = ContentType::parse("application/pdf").map_err(|e| e.to_string())?;
            builder.multipart(
                MultiPart::mixed()
                    .singlepart(text)
                    .singlepart(Attachment::new(name.clone()).body(bytes.clone(), pdf)),
            )
        }
    };
    built.map_err(|e| format!("cannot build the message to {}: {e}", out.to))
}

/// Why a message was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// The server answered, and refused this message (a bad address, a full mailbox…): the
    /// others may still go.
    Refused(String),
    /// The server could not be reached or the connection failed: nothing more can go now.
    Down(String),
}

/// The SMTP server of `mail:`, ready to send.
pub struct Server {
    transport: SmtpTransport,
    pub address: String,
}

impl Server {
    /// The transport for `mail`, with the credentials from the environment when set.
    pub fn new(mail: &Mail) -> Result<Server, String> {
        let host = mail.host.trim();
        let port = mail.port();
        let tls = || {
            TlsParameters::new(host.to_string())
                .map_err(|e| format!("cannot set up TLS for {host}: {e}"))
        };
        let builder = SmtpTransport::builder_dangerous(host).port(port);
        let builder = match mail.tls {
            MailTls::None => builder.tls(Tls::None),
            MailTls::Starttls => builder.tls(Tls::Required(tls()?)),
            MailTls::Tls => builder.tls(Tls::Wrapper(tls()?)),
        };
        let builder = builder.timeout(Some(Duration::from_secs(30)));
        let user = std::env::var(USER_VAR).ok().filter(|v| !v.is_empty());
        let password = std::env::var(PASSWORD_VAR).ok().filter(|v| !v.is_empty());
        let builder = match (user, password) {
            (Some(user), Some(password)) => builder.credentials(Credentials::new(user, password)),
            (None, None) => builder,
            (Some(_), None) | (None, Some(_)) => {
                return Err(format!(
                    "set both {USER_VAR} and {PASSWORD_VAR} (the SMTP login), or neither for a server that needs none"
                ));
            }
        };
        Ok(Server {
            transport: builder.build(),
            address: format!("{host}:{port} ({})", mail.tls),
        })
    }

    /// Send one message.
    pub fn send(&self, message: &Message) -> Result<(), SendError> {
        match self.transport.send(message) {
            Ok(_) => Ok(()),
            Err(e) if e.status().is_some() => Err(SendError::Refused(describe(&e))),
            Err(e) => Err(SendError::Down(describe(&e))),
        }
    }
}

/// An error of lettre with its causes, on one line.
fn describe(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail() -> Mail {
        Mail {
            host: "127.0.0.1".into(),
            port: Some(2525),
            tls: MailTls::None,
            from: "Fresques en Rhône <contact@example.org>".into(),
            reply_to: Some("bilan@example.org".into()),
        }
    }

    #[test]
    fn a_message_is_mime_with_utf8_headers_and_the_pdf() {
        let out = Outgoing {
            name: "Léa Rousseau".into(),
            to: "lea@example.org".into(),
            subject: "Votre certificat — Formation animateur·ice".into(),
            body: "Bonjour Léa,\n".into(),
            attachment: Some(("ATT-S1-03.pdf".into(), b"%PDF-1.7 test".to_vec())),
        };
        let text = String::from_utf8(message(&mail(), &out).unwrap().formatted()).unwrap();
        assert!(text.contains("MIME-Version: 1.0"), "{text}");
        assert!(text.contains("multipart/mixed"), "{text}");
        assert!(text.contains("application/pdf"), "{text}");
        assert!(text.contains("ATT-S1-03.pdf"), "{text}");
        assert!(text.contains("Reply-To: bilan@example.org"), "{text}");
        // Non-ASCII headers are encoded words, never raw bytes.
        let headers = text.split("\r\n\r\n").next().unwrap();
        assert!(headers.is_ascii(), "{headers}");
        assert!(headers.contains("=?utf-8?"), "{headers}");
    }

    #[test]
    fn bad_addresses_are_said() {
        let mut m = mail();
        let out = Outgoing {
            name: "X".into(),
            to: "not an address".into(),
            subject: "s".into(),
            body: "b".into(),
            attachment: None,
        };
        assert!(
            message(&m, &out)
                .unwrap_err()
                .contains("not an e-mail address")
        );
        m.from = "nobody".into();
        assert!(message(&m, &out).unwrap_err().contains("mail.from"));
        assert!(valid_address("a@example.org"));
        assert!(!valid_address("a@"));
    }
}
