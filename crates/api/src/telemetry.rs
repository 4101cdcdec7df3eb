//! Structured logs on stderr (stdout stays clean for dumps), text or JSON, each request's
//! lines carrying its request id (tracing-actix-web's root span).
//!
//! actix-http logs every connection a client breaks (a malformed request it refused, a
//! download the client cut short) at ERROR. Those are the client's doing, not the
//! server's, and anyone can cause any number of them: they are written at WARN instead, at
//! most one line per [`DEMOTED_EVERY`], with the count of the others.

use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

use crate::settings::{LogFormat, LogSettings};

/// How often a demoted actix-http error is written (the others are counted).
pub const DEMOTED_EVERY: Duration = Duration::from_secs(10);

/// Installs the global subscriber once; later calls (tests) are no-ops.
pub fn init(settings: &LogSettings) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&settings.level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        // One line per request when its span closes: method, route, status, request id, time.
        .with_span_events(FmtSpan::CLOSE)
        .with_target(true)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let fmt = match settings.format {
        LogFormat::Json => fmt.json().flatten_event(true).with_current_span(true).boxed(),
        LogFormat::Text => fmt.boxed(),
    };
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(fmt.with_filter(filter_fn(|m| !is_client_caused(m))))
        .with(Demoted::new(settings.format))
        .try_init();
}

/// An actix-http ERROR: a connection the client broke.
fn is_client_caused(meta: &Metadata<'_>) -> bool {
    *meta.level() == Level::ERROR && meta.target().starts_with("actix_http")
}

/// A log line that anyone can cause: written at most once per period, with the count of
/// those left unwritten since the last one.
#[derive(Debug)]
pub struct Sparse {
    every: Duration,
    state: Mutex<(Option<Instant>, u64)>,
}

impl Sparse {
    pub const fn new(every: Duration) -> Self {
        Self { every, state: Mutex::new((None, 0)) }
    }

    /// Whether to write now, and how many were left unwritten before.
    pub fn admit(&self, now: Instant) -> Option<u64> {
        let Ok(mut s) = self.state.lock() else { return None };
        if s.0.is_some_and(|t| now.duration_since(t) < self.every) {
            s.1 += 1;
            return None;
        }
        s.0 = Some(now);
        Some(std::mem::take(&mut s.1))
    }
}

/// Writes actix-http's errors as rate-limited warnings.
struct Demoted {
    format: LogFormat,
    sparse: Sparse,
}

impl Demoted {
    fn new(format: LogFormat) -> Self {
        Self { format, sparse: Sparse::new(DEMOTED_EVERY) }
    }

    fn admit(&self, now: Instant) -> Option<u64> {
        self.sparse.admit(now)
    }

    fn line(&self, target: &str, message: &str, others: u64) -> String {
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        match self.format {
            LogFormat::Json => serde_json::json!({
                "timestamp": now, "level": "WARN", "target": target, "message": message,
                "others_since_last_line": others,
            })
            .to_string(),
            LogFormat::Text => {
                format!("{now}  WARN {target}: {message} others_since_last_line={others}")
            }
        }
    }
}

#[derive(Default)]
struct Message(String);

impl Visit for Message {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0 = value.to_owned();
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

impl<S: Subscriber> Layer<S> for Demoted {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        if !is_client_caused(event.metadata()) {
            return;
        }
        let Some(others) = self.admit(Instant::now()) else { return };
        let mut message = Message::default();
        event.record(&mut message);
        let line = self.line(event.metadata().target(), &message.0, others);
        let _ = writeln!(std::io::stderr(), "{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demoted_errors_are_written_once_per_period_with_the_count_of_the_rest() {
        let d = Demoted::new(LogFormat::Text);
        let t0 = Instant::now();
        assert_eq!(d.admit(t0), Some(0));
        assert_eq!(d.admit(t0 + Duration::from_secs(1)), None);
        assert_eq!(d.admit(t0 + Duration::from_secs(2)), None);
        assert_eq!(d.admit(t0 + DEMOTED_EVERY + Duration::from_secs(1)), Some(2));
        let line = d.line("actix_http::h1::dispatcher", "stream error: x", 2);
        assert!(line.contains(" WARN actix_http::h1::dispatcher: stream error: x others_since_last_line=2"));
        let json: serde_json::Value =
            serde_json::from_str(&Demoted::new(LogFormat::Json).line("actix_http", "m", 0)).unwrap();
        assert_eq!(json["level"], "WARN");
    }
}
