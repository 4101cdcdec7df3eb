//! Closed sets of codes (roles, statuses, kinds): a stable machine code for the API and
//! the database, a Swedish name for people.

/// Defines a closed set of codes with their stable machine name and Swedish label.
macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident, $field:literal { $($(#[$vm:meta])* $variant:ident = $code:literal, $sv:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vm])* $variant,)+ }

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

            pub fn parse(raw: &str) -> Result<Self, $crate::error::FieldError> {
                match raw.trim() {
                    $($code => Ok($name::$variant),)+
                    _ => Err($crate::error::FieldError::new(
                        $field,
                        format!("must be one of: {}", [$($code),+].join(", ")),
                    )),
                }
            }
        }
    };
}
