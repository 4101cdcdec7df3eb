//! Money as the municipality counts it: whole öre (and euro cents), never floating point.
//! External funding may be granted in euro; it is converted to kronor once, at the rate the
//! project used, and every sum, share and ratio is computed here with checked arithmetic —
//! an amount too large to add is an error the caller names, never a wrapped number.

use crate::error::FieldError;

code_enum! {
    /// The currency of an amount: kronor, or euro for EU funding.
    Currency, "currency" {
        Sek = "SEK", "Svenska kronor", "Swedish kronor";
        Eur = "EUR", "Euro", "Euro";
    }
}

/// The largest amount in minor units (öre or cents) an input may name: a thousand billion
/// kronor, far above any municipal budget, so that sums of many amounts cannot overflow.
pub const MAX_MINOR: i64 = 100_000_000_000_000;

/// An amount in kronor, as whole öre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Sek(i64);

impl Sek {
    pub const ZERO: Sek = Sek(0);

    /// An amount of öre from input: not negative, at most [`MAX_MINOR`].
    pub fn from_ore(field: &str, ore: i64) -> Result<Self, FieldError> {
        check_minor(field, ore).map(Sek)
    }

    pub fn ore(self) -> i64 {
        self.0
    }

    /// The sum, or `None` when it does not fit.
    pub fn checked_add(self, other: Sek) -> Option<Sek> {
        self.0.checked_add(other.0).map(Sek)
    }

    /// Kronor with two decimals and a decimal comma, as Swedish documents write them
    /// (`1 234,50`: a space between thousands).
    pub fn swedish(self) -> String {
        swedish_hundredths(self.0)
    }
}

/// A whole number as Swedish text writes it: a no-break space between thousands (`12 345`).
pub fn swedish_whole(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    let digits = n.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}")
}

/// Hundredths (öre, hundredths of an hour, basis points) with two decimals and a decimal
/// comma, thousands spaced (`1 234,50`).
pub fn swedish_hundredths(h: i64) -> String {
    let sign = if h < 0 { "-" } else { "" };
    let (whole, part) = (h.unsigned_abs() / 100, h.unsigned_abs() % 100);
    format!("{sign}{},{part:02}", swedish_whole(i64::try_from(whole).unwrap_or(i64::MAX)))
}

/// The sum of amounts, or `None` when it does not fit.
pub fn sum(amounts: impl IntoIterator<Item = Sek>) -> Option<Sek> {
    amounts.into_iter().try_fold(Sek::ZERO, Sek::checked_add)
}

fn check_minor(field: &str, minor: i64) -> Result<i64, FieldError> {
    if (0..=MAX_MINOR).contains(&minor) {
        Ok(minor)
    } else {
        Err(FieldError::rule(
            field,
            "out_of_range",
            format!("must be an amount from 0 to {} in whole öre or cents", MAX_MINOR),
            format!("ska vara ett belopp från 0 till {} i hela ören eller cent", MAX_MINOR),
        )
        .with("max", MAX_MINOR))
    }
}

/// The rate a project used for euro: kronor per euro, in millionths (11.4523 SEK/EUR is
/// `11_452_300`), as the Riksbank publishes it with four decimals and more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExchangeRate(i64);

impl ExchangeRate {
    /// A rate from input: more than 0 and at most 1 000 kronor per euro.
    pub fn from_millionths(field: &str, millionths: i64) -> Result<Self, FieldError> {
        if (1..=1_000_000_000).contains(&millionths) {
            Ok(Self(millionths))
        } else {
            Err(FieldError::rule(
                field,
                "out_of_range",
                "must be kronor per euro, more than 0 and at most 1 000, in millionths",
                "ska vara kronor per euro, mer än 0 och högst 1 000, i miljondelar",
            ))
        }
    }

    pub fn millionths(self) -> i64 {
        self.0
    }
}

/// An amount as granted: minor units of its currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Amount {
    pub minor: i64,
    pub currency: Currency,
}

impl Amount {
    /// An amount from input: not negative, at most [`MAX_MINOR`].
    pub fn parse(field: &str, minor: i64, currency: Currency) -> Result<Self, FieldError> {
        check_minor(field, minor).map(|minor| Self { minor, currency })
    }

    /// In kronor: kronor as they are; euro at `rate`, rounded once to the nearest öre (half
    /// an öre away from zero). Euro without a rate is an error naming `rate_field`.
    pub fn in_sek(self, rate: Option<ExchangeRate>, rate_field: &str) -> Result<Sek, FieldError> {
        match (self.currency, rate) {
            (Currency::Sek, _) => Ok(Sek(self.minor)),
            (Currency::Eur, Some(rate)) => {
                // cents × (millionths of a krona per euro) = 10⁻⁸ kronor = 10⁻⁶ öre.
                let micro_ore = i128::from(self.minor) * i128::from(rate.0);
                let ore = (micro_ore + 500_000) / 1_000_000;
                i64::try_from(ore).map(Sek).map_err(|_| too_large(rate_field))
            }
            (Currency::Eur, None) => Err(FieldError::rule(
                rate_field,
                "required",
                "an amount in euro needs the exchange rate used",
                "ett belopp i euro behöver den växelkurs som använts",
            )),
        }
    }
}

fn too_large(field: &str) -> FieldError {
    FieldError::rule(field, "out_of_range", "the amount is too large", "beloppet är för stort")
}

/// The share of the whole that comes from outside, in hundredths of a per cent (basis
/// points, 0–10 000), rounded to the nearest; `None` when there is no money at all.
pub fn co_funding_rate(own: Sek, external: Sek) -> Option<u32> {
    let total = i128::from(own.0) + i128::from(external.0);
    if total <= 0 {
        return None;
    }
    let bp = (i128::from(external.0) * 10_000 * 2 + total) / (total * 2);
    u32::try_from(bp).ok()
}

/// External kronor per own krona, in hundredths (a leverage of 2.50 is `250`), rounded to
/// the nearest; `None` when the project has no own money.
pub fn leverage(own: Sek, external: Sek) -> Option<i64> {
    if own.0 <= 0 {
        return None;
    }
    let (own, external) = (i128::from(own.0), i128::from(external.0));
    i64::try_from((external * 100 * 2 + own) / (own * 2)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sek(ore: i64) -> Sek {
        Sek::from_ore("amount", ore).unwrap()
    }

    #[test]
    fn euro_are_converted_once_at_the_rate_used() {
        let rate = ExchangeRate::from_millionths("rate", 11_452_300).unwrap();
        let grant = Amount::parse("amount", 10_000_000, Currency::Eur).unwrap(); // 100 000 €
        assert_eq!(grant.in_sek(Some(rate), "rate").unwrap(), sek(114_523_000)); // 1 145 230 kr
        // Half an öre rounds away from zero, once.
        let cent = Amount::parse("amount", 1, Currency::Eur).unwrap();
        let half = ExchangeRate::from_millionths("rate", 10_500_000).unwrap();
        assert_eq!(cent.in_sek(Some(half), "rate").unwrap(), sek(11));
        assert_eq!(cent.in_sek(None, "rate").unwrap_err().field, "rate");
        let kronor = Amount::parse("amount", 500, Currency::Sek).unwrap();
        assert_eq!(kronor.in_sek(None, "rate").unwrap(), sek(500));
    }

    #[test]
    fn amounts_out_of_range_are_named() {
        assert_eq!(Sek::from_ore("own_money", -1).unwrap_err().field, "own_money");
        assert!(Sek::from_ore("own_money", MAX_MINOR + 1).is_err());
        assert!(ExchangeRate::from_millionths("rate", 0).is_err());
    }

    #[test]
    fn shares_and_leverage() {
        assert_eq!(co_funding_rate(sek(100_000), sek(300_000)), Some(7_500));
        assert_eq!(co_funding_rate(Sek::ZERO, Sek::ZERO), None);
        assert_eq!(co_funding_rate(Sek::ZERO, sek(1)), Some(10_000));
        assert_eq!(leverage(sek(100_000), sek(250_000)), Some(250));
        assert_eq!(leverage(Sek::ZERO, sek(250_000)), None);
        assert_eq!(sek(123_456_789).swedish(), "1\u{a0}234\u{a0}567,89");
        assert_eq!(sek(5).swedish(), "0,05");
        assert_eq!(swedish_hundredths(-150), "-1,50");
        assert_eq!(swedish_whole(1000), "1\u{a0}000");
        assert_eq!(swedish_whole(999), "999");
    }

    proptest! {
        #[test]
        fn a_sum_is_its_parts_and_never_wraps(parts in proptest::collection::vec(0..=MAX_MINOR, 0..50)) {
            let total = sum(parts.iter().map(|p| sek(*p)));
            let exact: i128 = parts.iter().map(|p| i128::from(*p)).sum();
            match total {
                Some(t) => prop_assert_eq!(i128::from(t.ore()), exact),
                None => prop_assert!(exact > i128::from(i64::MAX)),
            }
        }

        #[test]
        fn conversion_rounds_once_to_the_nearest_ore(cents in 0..=MAX_MINOR, rate in 1..=1_000_000_000i64) {
            let r = ExchangeRate::from_millionths("rate", rate).unwrap();
            let got = Amount::parse("amount", cents, Currency::Eur).unwrap().in_sek(Some(r), "rate");
            let exact = i128::from(cents) * i128::from(rate); // in millionths of an öre
            match got {
                Ok(s) => {
                    let diff = i128::from(s.ore()) * 1_000_000 - exact;
                    prop_assert!(-500_000 < diff && diff <= 500_000, "{} öre for {} millionths", s.ore(), exact);
                }
                Err(_) => prop_assert!(exact / 1_000_000 > i128::from(i64::MAX)),
            }
        }

        #[test]
        fn the_rate_is_a_share_and_leverage_follows_it(own in 0..=MAX_MINOR, external in 0..=MAX_MINOR) {
            let (o, e) = (sek(own), sek(external));
            if let Some(bp) = co_funding_rate(o, e) {
                prop_assert!(bp <= 10_000);
            }
            if let Some(l) = leverage(o, e) {
                prop_assert!(l >= 0);
                if external >= own {
                    prop_assert!(l >= 100);
                }
            }
        }
    }
}
