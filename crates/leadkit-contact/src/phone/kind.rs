//! The number type and region from libphonenumber's metadata, in one pass.
//!
//! This mirrors `phonenumber`'s own `is_valid`, `number_type` and
//! `country().id()`, with one fix: those last two look the number up by its
//! integer value, dropping the leading zeros of the national number, so for
//! Italian, San Marino or Vatican landlines (and some toll-free numbers)
//! phonenumber 0.3.10 reports type `Unknown` and no region although
//! `is_valid` is true. Here every step uses the national number with its
//! zeros, as `is_valid` does; the corpus test checks that validity still
//! agrees with libphonenumber on every region's examples.

use phonenumber::country::Id;
use phonenumber::metadata::{DATABASE, Metadata};
use phonenumber::{PhoneNumber, Type};

/// What the metadata says about a number.
pub(super) struct Classified {
    pub(super) kind: Type,
    pub(super) region: Option<String>,
}

/// The type and region of `number`, or `None` when it is not valid.
pub(super) fn classify(number: &PhoneNumber) -> Option<Classified> {
    let code = number.code().value();
    let national = number.national().to_string();
    let regions = DATABASE.region(&code)?;
    let meta: &Metadata = match regions.as_slice() {
        [] => return None,
        // Non-geographic entities ("001"): one metadata per calling code.
        ["001"] => DATABASE.by_code(&code)?.into_iter().next()?,
        [single] => {
            single.parse::<Id>().ok()?;
            DATABASE.by_id(*single)?
        }
        several => several
            .iter()
            .filter_map(|region| DATABASE.by_id(*region))
            .find(|meta| match meta.leading_digits() {
                Some(pattern) => pattern.find(&national).is_some_and(|m| m.start() == 0),
                None => kind_of(meta, &national) != Type::Unknown,
            })?,
    };
    let kind = kind_of(meta, &national);
    if kind == Type::Unknown {
        return None;
    }
    let region = meta
        .id()
        .parse::<Id>()
        .ok()
        .map(|id| id.as_ref().to_owned());
    Some(Classified { kind, region })
}

/// libphonenumber's type test order on the national significant number.
fn kind_of(meta: &Metadata, national: &str) -> Type {
    let d = meta.descriptors();
    if !d.general().is_match(national) {
        return Type::Unknown;
    }
    let matches = |desc: Option<&phonenumber::metadata::Descriptor>| {
        desc.is_some_and(|desc| desc.is_match(national))
    };
    for (desc, kind) in [
        (d.premium_rate(), Type::PremiumRate),
        (d.toll_free(), Type::TollFree),
        (d.shared_cost(), Type::SharedCost),
        (d.voip(), Type::Voip),
        (d.personal_number(), Type::PersonalNumber),
        (d.pager(), Type::Pager),
        (d.uan(), Type::Uan),
        (d.voicemail(), Type::Voicemail),
    ] {
        if matches(desc) {
            return kind;
        }
    }
    if matches(d.fixed_line()) {
        let same_patterns = d.fixed_line().map(|f| f.national_number().as_str())
            == d.mobile().map(|m| m.national_number().as_str());
        if same_patterns || matches(d.mobile()) {
            return Type::FixedLineOrMobile;
        }
        return Type::FixedLine;
    }
    if matches(d.mobile()) {
        return Type::Mobile;
    }
    Type::Unknown
}
