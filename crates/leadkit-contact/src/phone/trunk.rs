//! A second reading for numbers whose national part begins with their
//! country's trunk prefix: Russia's and Kazakhstan's `8 800` toll-free
//! numbers (`+7 800 555 35 35`), Belarus's `8 801`, Lithuania's `800`.
//!
//! phonenumber 0.3.10 strips the trunk prefix whenever the national number
//! starts with it (it re-tests the unstripped number where libphonenumber
//! tests the stripped one) and strips it a second time in its caller, so
//! `+7 800 …` loses its `8` and comes back invalid. Written with the prefix
//! twice in front, the number loses exactly those two copies. A reading is
//! kept only when it is valid and its digits are exactly the ones given,
//! so this can turn an invalid verdict into a valid one only for a real
//! number with the typed digits.

use phonenumber::country::Id;
use phonenumber::metadata::DATABASE;
use phonenumber::{Mode, PhoneNumber};

use super::shape::Shape;

/// The number read again with its trunk prefix written out, when that
/// gives a valid number with the typed digits.
pub(crate) fn reread(
    region: Option<Id>,
    shape: &Shape,
    first: &PhoneNumber,
) -> Option<PhoneNumber> {
    let code = first.code().value();
    let code_digits = code.to_string();
    if shape.international {
        let national = shape.number.strip_prefix('+')?.strip_prefix(&code_digits)?;
        let regions = DATABASE.by_code(&code)?;
        regions
            .into_iter()
            .find_map(|meta| with_prefix(meta, national, &code_digits))
    } else {
        let meta = DATABASE.by_id(region?.as_ref())?;
        let prefix = meta.national_prefix()?;
        // Usually the typed number starts with the trunk prefix, which is not
        // part of the number; `800 555 35 35` is also dialled without it.
        let typed = shape.number.as_str();
        typed
            .strip_prefix(prefix)
            .into_iter()
            .chain([typed])
            .find_map(|national| with_prefix(meta, national, &code_digits))
    }
}

/// `national` parsed in `meta`'s region behind its trunk prefix (twice,
/// then once), kept when valid and exactly `+code national`.
fn with_prefix(meta: &phonenumber::Metadata, national: &str, code: &str) -> Option<PhoneNumber> {
    let prefix = meta.national_prefix()?;
    let region: Id = meta.id().parse().ok()?;
    let wanted = format!("+{code}{national}");
    [
        format!("{prefix}{prefix}{national}"),
        format!("{prefix}{national}"),
    ]
    .into_iter()
    .filter_map(|input| phonenumber::parse(Some(region), input).ok())
    .find(|number| {
        phonenumber::is_valid(number) && number.format().mode(Mode::E164).to_string() == wanted
    })
}
