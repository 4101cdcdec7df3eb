//! `PATCH` is JSON Merge Patch (RFC 7396): a field left out stays as it is, `null` clears an
//! optional field, an object merges into the object it replaces. The patch is applied to the
//! record's current input shape, and the result is read and checked as a whole body would be.

use serde::Serialize;
use serde::de::DeserializeOwned;
use utblick_domain::{FieldError, ValidationErrors};

use crate::AppError;

/// A merge patch: a JSON object.
#[derive(Debug, Clone, PartialEq)]
pub struct Patch(serde_json::Value);

impl Patch {
    /// A patch must be a JSON object (RFC 7396 allows any value, which would replace the
    /// whole record; no resource here may be replaced by a non-object).
    pub fn new(value: serde_json::Value) -> Result<Self, AppError> {
        if value.is_object() {
            Ok(Self(value))
        } else {
            Err(ValidationErrors::from(FieldError::rule(
                "body",
                "invalid_type",
                "must be a JSON object of the fields to change",
                "ska vara ett JSON-objekt med fälten som ändras",
            ))
            .into())
        }
    }

    /// `current` with this patch applied, read back as the input type: a field the patch
    /// makes invalid is named with the reason.
    pub fn apply<B: Serialize + DeserializeOwned>(&self, current: &B) -> Result<B, AppError> {
        let mut doc = serde_json::to_value(current)
            .map_err(|e| AppError::Db(utblick_db::DbError::Corrupt(e.to_string())))?;
        json_patch::merge(&mut doc, &self.0);
        serde_path_to_error::deserialize(doc).map_err(|e| {
            let msg = e.inner().to_string();
            let field = match (e.path().to_string(), backticked_field(&msg)) {
                (p, Some(name)) if p == "." => name,
                (p, _) if p == "." => "body".to_owned(),
                (p, _) => p,
            };
            serde_field_error(field, &msg).into()
        })
    }

    pub fn as_value(&self) -> &serde_json::Value {
        &self.0
    }
}

/// serde names fields in backticks: "missing field `title`".
pub fn backticked_field(msg: &str) -> Option<String> {
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    Some(msg[start..start + len].to_owned())
}

/// What a serde message about one field means, in words (never the parser's own text):
/// missing, unknown, of the wrong type, or malformed.
pub fn serde_field_error(field: String, msg: &str) -> FieldError {
    if msg.starts_with("missing field") {
        return FieldError::rule(field, "required", "is required", "måste anges");
    }
    if msg.starts_with("unknown field") {
        return FieldError::rule(
            field,
            "unknown_field",
            "is not a field of this request",
            "är inget fält i den här begäran",
        );
    }
    if msg.starts_with("unknown variant") {
        return FieldError::rule(
            field,
            "not_one_of",
            "is not one of the allowed values",
            "är inget av de tillåtna värdena",
        );
    }
    let expected =
        msg.split("expected ").nth(1).map(|s| s.split(" at line").next().unwrap_or(s)).unwrap_or("");
    let (en, sv) = if expected.contains("date")
        || msg.contains("premature end")
        || msg.contains("input contains invalid characters")
        || msg.contains("input is out of range")
    {
        ("must be a date like 2026-11-28", "ska vara ett datum som 2026-11-28")
    } else if expected.contains("i64")
        || expected.contains("i32")
        || expected.contains("u32")
        || expected.contains("integer")
    {
        ("must be a whole number", "ska vara ett heltal")
    } else if expected.contains("a boolean") {
        ("must be true or false", "ska vara true eller false")
    } else if expected.contains("a string") {
        ("must be text", "ska vara text")
    } else if expected.contains("sequence") {
        ("must be a list", "ska vara en lista")
    } else if expected.contains("struct") || expected.contains("map") {
        ("must be an object", "ska vara ett objekt")
    } else {
        ("has the wrong form", "har fel form")
    };
    FieldError::rule(field, "invalid_type", en, sv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Body {
        name: String,
        link: Option<String>,
        count: i32,
    }

    fn current() -> Body {
        Body { name: "Tranås".into(), link: Some("https://tranas.se".into()), count: 3 }
    }

    #[test]
    fn a_field_left_out_stays_and_null_clears() {
        let p = Patch::new(json!({"count": 4})).unwrap();
        assert_eq!(p.apply(&current()).unwrap(), Body { count: 4, ..current() });
        let p = Patch::new(json!({"link": null})).unwrap();
        assert_eq!(p.apply(&current()).unwrap(), Body { link: None, ..current() });
        assert_eq!(Patch::new(json!({})).unwrap().apply(&current()).unwrap(), current());
    }

    #[test]
    fn a_bad_field_is_named() {
        let err = |v| match Patch::new(v).and_then(|p| p.apply(&current())) {
            Err(AppError::Invalid(e)) => e.0[0].field.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(err(json!({"count": "many"})), "count");
        assert_eq!(err(json!({"name": null})), "name");
        assert_eq!(err(json!({"colour": "blue"})), "colour");
        assert_eq!(err(json!([1])), "body");
    }
}
