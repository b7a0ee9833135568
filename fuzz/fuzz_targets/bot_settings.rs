//! Bot settings arrive as JSON from the admin API and the dashboard form,
//! and are read back from the store: `BotSettings::from_json_strict` (input
//! from people and API clients) and `BotSettings::from_json` (stored rows)
//! on arbitrary text.
//!
//! Invariants, beyond "does not panic":
//! - whatever the strict reader accepts, the lenient one accepts too, with
//!   the same result;
//! - accepted settings validate, save to JSON that both readers load back
//!   equal (a round trip), and map to a policy;
//! - refused input is a `SettingsError`, never a partial change.
#![no_main]

use leadkit_store::BotSettings;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lenient = BotSettings::from_json(text);
    if let Ok(strict) = BotSettings::from_json_strict(text) {
        assert_eq!(lenient.as_ref().ok(), Some(&strict), "strict accepted what lenient refused");
    }
    if let Ok(settings) = lenient {
        assert_eq!(settings.validate(), Ok(()));
        let json = settings.to_json();
        assert_eq!(BotSettings::from_json(&json).expect("saved settings load"), settings);
        assert_eq!(BotSettings::from_json_strict(&json).expect("saved settings load strictly"), settings);
        let _ = settings.policy();
    }
});
