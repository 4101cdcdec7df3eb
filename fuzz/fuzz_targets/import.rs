//! An import file, whatever its bytes: CSV, XLSX or JSON (picked by the first byte, as a
//! client's Content-Type would say), read into activities and projects with the same code
//! the API runs. It never panics, and either every row becomes a draft or the answer names
//! what is wrong.
#![no_main]

use libfuzzer_sys::fuzz_target;
use utblick_api::import::{Names, XLSX};
use utblick_api::routes::{activities, projects};

fuzz_target!(|data: &[u8]| {
    let Some((&kind, file)) = data.split_first() else { return };
    let content_type = match kind % 3 {
        0 => "text/csv",
        1 => XLSX,
        _ => "application/json",
    };
    let names = Names::default();
    if let Err(e) = activities::IMPORT.read(content_type, file, &names) {
        assert!(!e.to_string().is_empty());
    }
    if let Err(e) = projects::IMPORT.read(content_type, file, &names) {
        assert!(!e.to_string().is_empty());
    }
});
