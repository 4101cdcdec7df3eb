//! Goal frameworks the programme links to: Europa 2020's five target areas, the
//! municipality's development plan, and later Agenda 2030 and the EU's policy objectives.
//! Frameworks are data, not code.

use crate::error::{Collector, FieldError, ValidationErrors};
use crate::text::{NonEmptyText, OptionalText};

/// One goal (target area, priority area, objective) of a framework, numbered from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkGoal {
    number: u16,
    title: NonEmptyText,
    description: OptionalText,
}

impl FrameworkGoal {
    pub fn parse(number: i64, title: &str, description: Option<&str>) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let number = c.take(u16::try_from(number).ok().filter(|n| (1..=999).contains(n)).ok_or_else(|| {
            FieldError::rule(
                "number",
                "out_of_range",
                "must be between 1 and 999",
                "ska vara mellan 1 och 999",
            )
            .with("min", 1)
            .with("max", 999)
        }));
        let title = c.take(NonEmptyText::title("title", title));
        let description = c.take(OptionalText::parse("description", description, NonEmptyText::PROSE_MAX));
        c.finish()?;
        match (number, title, description) {
            (Some(number), Some(title), Some(description)) => Ok(Self { number, title, description }),
            _ => Err(FieldError::rule("goal", "invalid", "is invalid", "är ogiltigt").into()),
        }
    }

    pub fn number(&self) -> u16 {
        self.number
    }
    pub fn title(&self) -> &str {
        self.title.as_str()
    }
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
}

/// The raw fields of a framework.
#[derive(Debug, Clone, Default)]
pub struct FrameworkInput {
    pub code: String,
    pub name: String,
    pub owner: String,
    pub description: Option<String>,
    pub adopted_year: Option<i64>,
    pub overall_goal: Option<String>,
    pub goals: Vec<(i64, String, Option<String>)>,
}

/// A goal framework, valid by construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalFramework {
    code: String,
    name: NonEmptyText,
    owner: NonEmptyText,
    description: OptionalText,
    adopted_year: Option<u16>,
    overall_goal: OptionalText,
    goals: Vec<FrameworkGoal>,
}

impl GoalFramework {
    pub const MAX_GOALS: usize = 200;

    pub fn parse(input: &FrameworkInput) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let code = c.take(parse_code(&input.code));
        let name = c.take(NonEmptyText::title("name", &input.name));
        let owner = c.take(NonEmptyText::title("owner", &input.owner));
        let description =
            c.take(OptionalText::parse("description", input.description.as_deref(), NonEmptyText::PROSE_MAX));
        let adopted_year = match input.adopted_year {
            None => Some(None),
            Some(y) => c.take(
                u16::try_from(y).ok().filter(|y| (1900..=2199).contains(y)).map(Some).ok_or_else(|| {
                    FieldError::rule(
                        "adopted_year",
                        "out_of_range",
                        "must be a year between 1900 and 2199",
                        "ska vara ett år mellan 1900 och 2199",
                    )
                    .with("min", 1900)
                    .with("max", 2199)
                }),
            ),
        };
        let overall_goal = c.take(OptionalText::parse(
            "overall_goal",
            input.overall_goal.as_deref(),
            NonEmptyText::PROSE_MAX,
        ));
        if input.goals.len() > Self::MAX_GOALS {
            c.push(
                FieldError::rule(
                    "goals",
                    "too_many",
                    format!("a framework has at most {} goals", Self::MAX_GOALS),
                    format!("ett ramverk har högst {} mål", Self::MAX_GOALS),
                )
                .with("max", Self::MAX_GOALS),
            );
        }
        let mut goals = Vec::with_capacity(input.goals.len());
        for (i, (number, title, description)) in input.goals.iter().enumerate() {
            let prefix = format!("goals[{i}]");
            if let Some(g) = c.take_all(&prefix, FrameworkGoal::parse(*number, title, description.as_deref()))
            {
                if usize::from(g.number) != i + 1 {
                    c.push(
                        FieldError::rule(
                            format!("{prefix}.number"),
                            "numbering",
                            format!("goals are numbered 1, 2, 3 … in order; expected {}", i + 1),
                            format!("målen numreras 1, 2, 3 … i ordning; här väntas {}", i + 1),
                        )
                        .with("expected", i + 1),
                    );
                }
                goals.push(g);
            }
        }
        c.finish()?;
        match (code, name, owner, description, adopted_year, overall_goal) {
            (
                Some(code),
                Some(name),
                Some(owner),
                Some(description),
                Some(adopted_year),
                Some(overall_goal),
            ) => Ok(Self { code, name, owner, description, adopted_year, overall_goal, goals }),
            _ => Err(FieldError::rule("framework", "invalid", "is invalid", "är ogiltigt").into()),
        }
    }

    pub fn code(&self) -> &str {
        &self.code
    }
    pub fn name(&self) -> &str {
        self.name.as_str()
    }
    pub fn owner(&self) -> &str {
        self.owner.as_str()
    }
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    pub fn adopted_year(&self) -> Option<u16> {
        self.adopted_year
    }
    pub fn overall_goal(&self) -> Option<&str> {
        self.overall_goal.as_deref()
    }
    pub fn goals(&self) -> &[FrameworkGoal] {
        &self.goals
    }
}

/// A framework's code is a short lowercase slug (`europe-2020`), stable for integrations.
pub fn parse_code(raw: &str) -> Result<String, FieldError> {
    let s = raw.trim();
    let ok = s.len() >= 2
        && raw.chars().count() <= 40
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-');
    if ok {
        Ok(s.to_owned())
    } else {
        Err(FieldError::rule(
            "code",
            "code_format",
            "must be 2–40 lowercase letters, digits and inner hyphens, like europe-2020",
            "ska vara 2–40 små bokstäver, siffror och bindestreck inuti, till exempel europe-2020",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn europe_2020() -> FrameworkInput {
        FrameworkInput {
            code: "europe-2020".into(),
            name: "Europa 2020".into(),
            owner: "Europeiska unionen".into(),
            description: Some("Smart och hållbar tillväxt för alla".into()),
            adopted_year: Some(2010),
            overall_goal: None,
            goals: [
                "Sysselsättning",
                "Forskning och innovation",
                "Klimat och energi",
                "Utbildning",
                "Fattigdomsbekämpning",
            ]
            .iter()
            .enumerate()
            .map(|(i, t)| (i as i64 + 1, (*t).to_owned(), None))
            .collect(),
        }
    }

    #[test]
    fn europe_2020_has_five_target_areas() {
        let f = GoalFramework::parse(&europe_2020()).unwrap();
        assert_eq!(f.goals().len(), 5);
        assert_eq!(f.goals()[4].title(), "Fattigdomsbekämpning");
        assert_eq!(f.adopted_year(), Some(2010));
    }

    #[test]
    fn refuses_bad_codes_years_and_numbering() {
        let mut i = europe_2020();
        i.code = "Europa 2020".into();
        i.adopted_year = Some(20);
        i.goals[0].0 = 2;
        let fields: Vec<_> = GoalFramework::parse(&i).unwrap_err().0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["code", "adopted_year", "goals[0].number"]);
    }

    proptest! {
        #[test]
        fn code_parser_accepts_only_slugs(s in "\\PC{0,45}") {
            if let Ok(code) = parse_code(&s) {
                prop_assert!(code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            }
        }
    }
}
