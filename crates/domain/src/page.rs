//! Pagination of lists: pages count from 1, a page holds at most [`PageRequest::MAX_PER_PAGE`].

use crate::error::{Collector, FieldError, ValidationErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    page: u32,
    per_page: u32,
}

impl PageRequest {
    pub const DEFAULT_PER_PAGE: u32 = 20;
    pub const MAX_PER_PAGE: u32 = 100;
    pub const MAX_PAGE: u32 = 1_000_000;

    pub fn parse(page: Option<i64>, per_page: Option<i64>) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let page = c.take(match page {
            None => Ok(1),
            Some(p) => u32::try_from(p)
                .ok()
                .filter(|p| (1..=Self::MAX_PAGE).contains(p))
                .ok_or_else(|| between("page", Self::MAX_PAGE)),
        });
        let per_page = c.take(match per_page {
            None => Ok(Self::DEFAULT_PER_PAGE),
            Some(p) => u32::try_from(p)
                .ok()
                .filter(|p| (1..=Self::MAX_PER_PAGE).contains(p))
                .ok_or_else(|| between("per_page", Self::MAX_PER_PAGE)),
        });
        c.finish()?;
        Ok(Self { page: page.unwrap_or(1), per_page: per_page.unwrap_or(Self::DEFAULT_PER_PAGE) })
    }

    pub fn page(self) -> u32 {
        self.page
    }
    pub fn per_page(self) -> u32 {
        self.per_page
    }
    /// Rows to skip; cannot overflow (at most 10⁶ × 100).
    pub fn offset(self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self { page: 1, per_page: Self::DEFAULT_PER_PAGE }
    }
}

fn between(field: &str, max: u32) -> FieldError {
    FieldError::rule(
        field,
        "out_of_range",
        format!("must be between 1 and {max}"),
        format!("ska vara mellan 1 och {max}"),
    )
    .with("min", 1)
    .with("max", max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(PageRequest::parse(None, None).unwrap(), PageRequest::default());
        assert!(PageRequest::parse(Some(0), None).is_err());
        assert!(PageRequest::parse(None, Some(101)).is_err());
        assert_eq!(PageRequest::parse(Some(3), Some(10)).unwrap().offset(), 20);
        let e = PageRequest::parse(Some(-1), Some(0)).unwrap_err();
        assert_eq!(e.0.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["page", "per_page"]);
    }

    proptest! {
        #[test]
        fn accepted_pages_are_in_bounds(p in proptest::option::of(any::<i64>()), pp in proptest::option::of(any::<i64>())) {
            if let Ok(r) = PageRequest::parse(p, pp) {
                prop_assert!(r.page() >= 1 && r.per_page() >= 1 && r.per_page() <= PageRequest::MAX_PER_PAGE);
                prop_assert!(r.offset() < u64::from(PageRequest::MAX_PAGE) * 100);
            }
        }
    }
}
