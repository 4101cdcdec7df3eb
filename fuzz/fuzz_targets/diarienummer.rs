//! A diarienummer, however it is written: reading never panics, and what it reads keeps its
//! meaning — the normal form reads back as the same number, and the registered form is shown
//! as written (trimmed).
#![no_main]

use libfuzzer_sys::fuzz_target;
use utblick_domain::diarienummer::Diarienummer;

fuzz_target!(|raw: &str| {
    if let Ok(d) = Diarienummer::parse(raw) {
        let normal = d.to_string();
        let again = Diarienummer::parse(&normal).expect("the normal form reads back");
        assert_eq!(again, d, "{raw:?} → {normal:?}");
        assert_eq!(again.to_string(), normal);
        assert_eq!(d.as_registered(), raw.trim());
    }
});
