//! A measurements CSV never panics the importer, and every figure it accepts is a finite number.
#![no_main]

use libfuzzer_sys::fuzz_target;
use verhalenbank::import::read_measurements;
use verhalenbank::testing;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let catalog = testing::shared_catalog();
    let (figures, _) = read_measurements(text, catalog);
    assert!(figures.iter().all(|figure| figure.value.is_finite()));
});
