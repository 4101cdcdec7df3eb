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
            Err(ValidationErrors::single("body", "must be a JSON object of the fields to change").into())
        }
    }

    /// `current` with this patch applied, read back as the input type: a field the patch
    /// makes invalid is named with the reason.
    pub fn apply<B: Serialize + DeserializeOwned>(&self, current: &B) -> Result<B, AppError> {
        let mut doc = serde_json::to_value(current)
            .map_err(|e| AppError::Db(utblick_db::DbError::Corrupt(e.to_string())))?;
        json_patch::merge(&mut doc, &self.0);
        serde_path_to_error::deserialize(doc).map_err(|e| {
            let field = match e.path().to_string() {
                p if p == "." => field_in(&e.inner().to_string()).unwrap_or_else(|| "body".to_owned()),
                p => p,
            };
            FieldError::new(field, e.inner().to_string()).into()
        })
    }

    pub fn as_value(&self) -> &serde_json::Value {
        &self.0
    }
}

/// serde names unknown and missing fields in backticks: "unknown field `colour`".
fn field_in(msg: &str) -> Option<String> {
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    Some(msg[start..start + len].to_owned())
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
