//! E-mail: the annual report's reminders, sent through the SMTP server of the configuration
//! (`mail.smtp_url`; nothing is sent while it is unset). A background task looks for due
//! reminders at start and every `mail.interval_seconds`, on the blocking pool, and sends
//! them with lettre ([`utblick_app::reminders::run_round`] decides, claims and records).

use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::{SmtpTransport, Transport};
use secrecy::ExposeSecret;
use utblick_app::reminders::{Mail, Sender};
use utblick_db::DbPool;

use crate::settings::{MailSettings, SettingsError};

/// The configured mail server and sender.
#[derive(Clone)]
pub struct Mailer {
    transport: SmtpTransport,
    from: Mailbox,
    sender: Sender,
    interval: Duration,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from.to_string()).finish_non_exhaustive()
    }
}

impl Mailer {
    /// The mailer of the settings, `None` while `mail.smtp_url` is unset; a setting that
    /// cannot be used is an error naming it.
    pub fn from_settings(mail: &MailSettings, municipality: &str) -> Result<Option<Self>, SettingsError> {
        let Some(url) = mail.smtp_url.as_ref().filter(|u| !u.expose_secret().trim().is_empty()) else {
            return Ok(None);
        };
        let transport = SmtpTransport::from_url(url.expose_secret().trim())
            .map_err(|e| SettingsError::Invalid {
                key: "mail.smtp_url",
                message: format!(
                    "not an SMTP server's address ({e}); write smtp://host:25, \
                     smtp://user:password@host:587?tls=required or smtps://user:password@host:465"
                ),
            })?
            .timeout(Some(Duration::from_secs(mail.timeout_seconds.max(1))))
            .build();
        let from = mail.from.parse::<Mailbox>().map_err(|e| SettingsError::Invalid {
            key: "mail.from",
            message: format!("not an e-mail address ({e}); write e.g. Utblick <utblick@kommun.se>"),
        })?;
        let public = mail.public_url.trim();
        if !(public.starts_with("http://") || public.starts_with("https://")) {
            return Err(SettingsError::Invalid {
                key: "mail.public_url",
                message: "must start with http:// or https:// (the address people open Utblick at)".into(),
            });
        }
        Ok(Some(Self {
            transport,
            from,
            sender: Sender {
                base_url: public.trim_end_matches('/').to_owned(),
                municipality: municipality.to_owned(),
            },
            interval: Duration::from_secs(mail.interval_seconds.max(1)),
        }))
    }

    /// Sends one e-mail: plain UTF-8 text, one message to every recipient. A recipient whose
    /// address does not parse is left out; none left is an error.
    pub fn send(&self, mail: &Mail) -> Result<(), String> {
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(mail.subject.as_str())
            .header(ContentType::TEXT_PLAIN);
        let mut any = false;
        for (name, address) in &mail.to {
            match address.trim().parse() {
                Ok(address) => {
                    builder = builder.to(Mailbox::new(Some(name.clone()), address));
                    any = true;
                }
                Err(e) => {
                    tracing::warn!(%address, error = %e, "reminder: an address that does not parse, left out")
                }
            }
        }
        if !any {
            return Err("no recipient address could be read".into());
        }
        let message = builder.body(mail.body.clone()).map_err(|e| e.to_string())?;
        self.transport.send(&message).map(|_| ()).map_err(|e| e.to_string())
    }

    /// Starts the background task of reminders on the current runtime: a round at once, then
    /// one every interval, until the returned task is aborted (the server does when it stops).
    pub fn start(self, pool: DbPool) -> tokio::task::JoinHandle<()> {
        let mailer = Arc::new(self);
        tokio::spawn(async move {
            loop {
                let (m, p) = (Arc::clone(&mailer), pool.clone());
                let round = tokio::task::spawn_blocking(move || {
                    let mut conn = p.get().map_err(|e| e.to_string())?;
                    let now = chrono::Utc::now().naive_utc();
                    utblick_app::reminders::run_round(&mut conn, now.date(), now, &m.sender, &mut |mail| {
                        m.send(mail)
                    })
                    .map_err(|e| e.to_string())
                })
                .await;
                match round {
                    Ok(Ok(settled)) if !settled.is_empty() => {
                        for r in &settled {
                            tracing::info!(report_id = r.report_id, kind = %r.kind, status = %r.status, "reminder");
                        }
                    }
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, "reminders: the round stopped; tried again next time")
                    }
                    Err(e) => tracing::error!(error = %e, "reminders: the round panicked"),
                }
                tokio::time::sleep(mailer.interval).await;
            }
        })
    }
}
