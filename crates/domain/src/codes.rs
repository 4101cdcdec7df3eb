//! Closed sets of codes (roles, statuses, kinds): a stable machine code for the API and
//! the database, a Swedish and an English name for people.
//!
//! Each list is defined once, here in the domain, with [`code_enum!`]; everything else —
//! the API's JSON and its OpenAPI document, the database's `CHECK` lists, the web's labels —
//! follows it (and tests fail when one of them does not).

use crate::error::FieldError;

/// A closed list of codes.
pub trait Code: Copy + Eq + std::fmt::Debug + Send + Sync + 'static {
    /// The list's name (`Role`, `TwinTownStatus`), as the API's documentation calls it.
    const NAME: &'static str;
    /// What the list is, in a sentence.
    const ABOUT: &'static str;
    /// Every code of the list, in its order.
    fn all() -> &'static [Self];
    /// The stable code used in the API and the database.
    fn code(self) -> &'static str;
    /// The Swedish name, as the municipality writes it.
    fn swedish(self) -> &'static str;
    /// The English name.
    fn english(self) -> &'static str;
    /// The code for `raw`, or an error naming the list's field.
    fn parse(raw: &str) -> Result<Self, FieldError>;
    /// Every code, in order.
    fn codes() -> Vec<&'static str> {
        Self::all().iter().map(|c| c.code()).collect()
    }
}

/// Defines a closed set of codes with their stable machine name, Swedish and English label.
/// The enum serialises as its code.
macro_rules! code_enum {
    ($(#[doc = $doc:literal])* $name:ident, $field:literal {
        $($(#[doc = $vdoc:literal])* $variant:ident = $code:literal, $sv:literal, $en:literal;)+
    }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[doc = $vdoc])* $variant,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable code used in the API and the database.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// The Swedish name, as the municipality writes it.
            pub fn swedish(self) -> &'static str {
                match self { $($name::$variant => $sv,)+ }
            }

            /// The English name.
            pub fn english(self) -> &'static str {
                match self { $($name::$variant => $en,)+ }
            }

            pub fn parse(raw: &str) -> Result<Self, $crate::error::FieldError> {
                match raw.trim() {
                    $($code => Ok($name::$variant),)+
                    _ => Err($crate::error::FieldError::rule(
                        $field,
                        "not_one_of",
                        format!("must be one of: {}", [$($code),+].join(", ")),
                        format!("måste vara något av: {}", [$(concat!($sv, " (", $code, ")")),+].join(", ")),
                    )
                    .with("allowed", [$($code),+].join(","))),
                }
            }
        }

        impl $crate::codes::Code for $name {
            const NAME: &'static str = stringify!($name);
            const ABOUT: &'static str = concat!($($doc, "\n",)*);
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn code(self) -> &'static str {
                $name::code(self)
            }
            fn swedish(self) -> &'static str {
                $name::swedish(self)
            }
            fn english(self) -> &'static str {
                $name::english(self)
            }
            fn parse(raw: &str) -> Result<Self, $crate::error::FieldError> {
                $name::parse(raw)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(f, "one of: {}", [$($code),+].join(", "))
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::parse(v).map_err(|e| E::custom(e.message))
                    }
                }
                d.deserialize_str(Visitor)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::Code;
    use crate::access::Role;

    #[test]
    fn a_code_is_its_json_and_its_parse() {
        assert_eq!(serde_json::to_string(&Role::Coordinator).unwrap(), "\"coordinator\"");
        assert_eq!(serde_json::from_str::<Role>("\"reader\"").unwrap(), Role::Reader);
        let bad = serde_json::from_str::<Role>("\"boss\"").unwrap_err().to_string();
        assert!(bad.contains("must be one of: admin, coordinator, reporter, reader"), "{bad}");
        assert_eq!(<Role as Code>::NAME, "Role");
        assert!(<Role as Code>::ABOUT.contains("role"));
        assert_eq!(Role::codes(), vec!["admin", "coordinator", "reporter", "reader"]);
        assert_eq!((Role::Reader.swedish(), Role::Reader.english()), ("Läsare", "Reader"));
    }
}
