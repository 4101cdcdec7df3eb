//! The language of what the API says to people: Swedish or English, from `Accept-Language`
//! (English when the request names neither, so scripts keep today's texts). Problem
//! documents — titles, details and each field's message — follow it; codes never change.
//!
//! The language is set per request by [`language`] (a middleware) and read where the answer
//! is made, so every error, from a handler, an extractor or actix itself, speaks it.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use utblick_domain::FieldError;

use crate::error::ApiError;

/// A language the API speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Sv,
    En,
}

tokio::task_local! {
    static LANG: Lang;
}

/// The language of the request being answered (English outside a request).
pub fn current() -> Lang {
    LANG.try_with(|l| *l).unwrap_or(Lang::En)
}

/// The language an `Accept-Language` header prefers: the first of Swedish and English by
/// quality (`sv`, `sv-SE`, `en-GB`, …; `*` and others do not count); English when neither.
pub fn from_accept_language(raw: Option<&str>) -> Lang {
    let mut best: Option<(f32, Lang)> = None;
    for part in raw.unwrap_or("").split(',') {
        let mut bits = part.split(';');
        let tag = bits.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = bits
            .find_map(|b| b.trim().strip_prefix("q=").and_then(|v| v.trim().parse::<f32>().ok()))
            .unwrap_or(1.0);
        let lang = match tag.split('-').next() {
            Some("sv") => Lang::Sv,
            Some("en") => Lang::En,
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, lang));
        }
    }
    best.map_or(Lang::En, |(_, l)| l)
}

/// Middleware: answers the request in the language it asks for: `?lang=sv|en` (a link to a
/// Swedish export), else `Accept-Language`.
pub async fn language(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let asked = req.query_string().split('&').find_map(|pair| match pair {
        "lang=sv" => Some(Lang::Sv),
        "lang=en" => Some(Lang::En),
        _ => None,
    });
    let lang = asked.unwrap_or_else(|| {
        from_accept_language(req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
    });
    LANG.scope(lang, next.call(req)).await
}

/// The Swedish title of a problem code.
pub fn swedish_title(code: &str) -> &'static str {
    match code {
        "not-found" => "Finns inte",
        "route-not-found" => "Adressen finns inte",
        "method-not-allowed" => "Metoden är inte tillåten här",
        "invalid-parameter" => "En parameter är ogiltig",
        "validation-failed" => "Uppgifterna är inte giltiga",
        "invalid-json" => "Innehållet i begäran är ogiltigt",
        "unsupported-media-type" => "Fel innehållstyp",
        "payload-too-large" => "Innehållet är för stort",
        "unauthenticated" => "Inloggning krävs",
        "forbidden" => "Inte tillåtet",
        "password-change-required" => "Byt lösenord först",
        "invalid-credentials" => "Inloggningen misslyckades",
        "too-many-attempts" => "För många försök",
        "too-many-exports" => "För många exporter samtidigt",
        "csrf-refused" => "Begäran från en annan webbplats avvisades",
        "malformed-request" => "Felaktig begäran",
        "uri-too-long" => "Adressen är för lång",
        "request-header-fields-too-large" => "Huvudet är för stort",
        "not-acceptable" => "Inget svar i det format du bad om",
        "precondition-required" => "If-Match krävs",
        "precondition-failed" => "Ändrad av någon annan",
        "conflict" => "Krock med en befintlig post",
        "state-conflict" => "Postens nuvarande läge tillåter inte detta",
        "service-unavailable" => "Tjänsten är inte tillgänglig",
        _ => "Internt fel",
    }
}

/// What happened, in Swedish, for problems that carry no field errors.
pub fn swedish_detail(e: &ApiError, code: &str, fields: &[FieldError]) -> String {
    if !fields.is_empty() {
        return fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message_in(true)))
            .collect::<Vec<_>>()
            .join("; ");
    }
    match e {
        ApiError::NotFound(_) => "Posten finns inte (eller har aldrig funnits).".into(),
        ApiError::RouteNotFound(_) => "Det finns ingen sådan adress i Utblicks API.".into(),
        ApiError::MethodNotAllowed { allow, .. } => {
            format!("Metoden är inte tillåten här; tillåtna: {allow}.")
        }
        ApiError::UnsupportedMediaType { expected } => format!("Innehållet ska vara {expected}."),
        ApiError::PayloadTooLarge { limit } => format!("Innehållet är större än gränsen på {limit} byte."),
        ApiError::Unauthenticated(_) => "Logga in, eller skicka en API-nyckel.".into(),
        ApiError::Forbidden => "Du får inte göra detta.".into(),
        ApiError::PasswordChangeRequired => {
            "Ditt lösenord har återställts; byt det innan du fortsätter.".into()
        }
        ApiError::InvalidCredentials => {
            "E-postadressen eller lösenordet är fel, eller så är kontot inte aktivt.".into()
        }
        ApiError::TooManyAttempts { retry_after } => {
            format!("För många misslyckade inloggningar; försök igen om {retry_after} sekunder.")
        }
        ApiError::TooManyExports { retry_after, .. } => {
            format!("För många exporter pågår; försök igen om {retry_after} sekunder.")
        }
        ApiError::CsrfRefused => "Begäran måste komma från Utblicks egna sidor.".into(),
        ApiError::NotAcceptable { available } => format!("Här finns svar bara som {available}."),
        ApiError::PreconditionRequired => "Skicka If-Match med ETag för den version du ändrar.".into(),
        ApiError::PreconditionFailed => {
            "Någon annan har ändrat posten sedan du läste den. Läs in den igen och gör om ändringen.".into()
        }
        ApiError::Conflict(_) => "Det finns redan en post med samma uppgifter.".into(),
        ApiError::Unavailable(_) => "Databasen svarar inte just nu. Försök igen om en stund.".into(),
        ApiError::InvalidJson { .. } => "Innehållet i begäran är inte giltig JSON.".into(),
        _ if code == "internal-error" => {
            "Något gick fel hos oss. Felet är loggat; ange X-Request-Id om du hör av dig.".into()
        }
        other => other.to_string(),
    }
}

pub use utblick_app::patch::{backticked_field, serde_field_error};

/// A parameter that must be a whole number.
pub fn whole_number(field: &str) -> FieldError {
    FieldError::rule(field, "not_a_number", "must be a whole number", "ska vara ett heltal")
}

/// A body that is JSON but not of the operation's shape: the field it names (from the path
/// serde reached, or the name in its message), or the body as a whole.
pub fn json_problem(path: Option<String>, msg: &str) -> ApiError {
    let field = path.filter(|p| p != ".").or_else(|| backticked_field(msg));
    match field {
        Some(field) => {
            let field = match backticked_field(msg) {
                Some(name) if msg.starts_with("missing field") || msg.starts_with("unknown field") => {
                    if field == name || field.ends_with(&format!(".{name}")) {
                        field
                    } else if field == "." {
                        name
                    } else {
                        format!("{field}.{name}")
                    }
                }
                _ => field,
            };
            let e = serde_field_error(field, msg);
            ApiError::InvalidJson { detail: format!("{}: {}", e.field, e.message), errors: vec![e] }
        }
        None => ApiError::InvalidJson {
            detail: "the body is not valid JSON".into(),
            errors: vec![FieldError::rule(
                "body",
                "invalid_json",
                "is not valid JSON",
                "är inte giltig JSON",
            )],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_swedish_or_english_by_quality() {
        assert_eq!(from_accept_language(None), Lang::En);
        assert_eq!(from_accept_language(Some("sv-SE,sv;q=0.9,en;q=0.8")), Lang::Sv);
        assert_eq!(from_accept_language(Some("en-GB,sv;q=0.5")), Lang::En);
        assert_eq!(from_accept_language(Some("de, sv;q=0.3")), Lang::Sv);
        assert_eq!(from_accept_language(Some("fi, *;q=0.1")), Lang::En);
        assert_eq!(from_accept_language(Some("sv;q=0, en")), Lang::En);
    }

    #[test]
    fn parser_texts_become_words() {
        let e = serde_field_error(
            "decided_on".into(),
            "invalid type: null, expected a formatted date string at line 1 column 55",
        );
        assert_eq!((e.code, e.message_in(true)), ("invalid_type", "ska vara ett datum som 2026-11-28"));
        let e = serde_field_error("x".into(), "missing field `x`");
        assert_eq!(e.code, "required");
        assert!(!e.message.contains("line"));
    }
}
