//! Contact validation and extraction for leadkit: turn what a visitor typed
//! into contact details a business can trust.
//!
//! The crate is pure and synchronous: no I/O, no clock, no global state
//! beyond lazily built lookup tables. It does two jobs.
//!
//! - **Validation** of a single value, for a form field or an analyzer:
//!   [`validate_email`], [`validate_phone`] and [`validate_name`] return a
//!   normalised value ([`Email`], [`Phone`], [`Name`]) or a typed [`Error`]
//!   that says which field is wrong and why, in a sentence you can show the
//!   visitor.
//! - **Extraction** from a chat message: [`extract`] finds every email
//!   address, phone number and self-stated name, each with its byte span in
//!   the original text, its normalised value and whether it is valid.
//!
//! # Validate an email address
//!
//! ```
//! use leadkit_contact::{validate_email, EmailOptions, Error};
//!
//! let email = validate_email("Ana.Souza@Example.COM", &EmailOptions::default())?;
//! assert_eq!(email.as_str(), "Ana.Souza@example.com"); // domain lowercased, local part kept
//!
//! // Internationalised domains keep a Unicode and an ASCII (Punycode) form.
//! let idn = validate_email("jeff@臺網中心.tw", &EmailOptions::default())?;
//! assert_eq!(idn.ascii_domain(), "xn--fiqq24b10vi0d.tw");
//!
//! // A likely typo is a suggestion, never a silent change.
//! let typo = validate_email("ana@gmial.com", &EmailOptions::default())?;
//! assert_eq!((typo.as_str(), typo.suggestion()), ("ana@gmial.com", Some("ana@gmail.com")));
//!
//! let err = validate_email("ana@localhost", &EmailOptions::default()).unwrap_err();
//! assert_eq!(err, Error::EmailDotlessDomain);
//! assert_eq!(err.field().as_str(), "email");
//! # Ok::<(), Error>(())
//! ```
//!
//! # Validate a phone number with a default region
//!
//! ```
//! use leadkit_contact::{validate_phone, NumberType, PhoneOptions};
//!
//! let options = PhoneOptions::new().with_default_region("FR");
//! let phone = validate_phone("06 12 34 56 78", &options)?;
//! assert_eq!(phone.e164(), "+33612345678");
//! assert_eq!(phone.international(), "+33 6 12 34 56 78");
//! assert_eq!(phone.national(), "06 12 34 56 78");
//! assert_eq!(phone.number_type(), NumberType::Mobile);
//! assert_eq!(phone.region(), Some("FR"));
//! # Ok::<(), leadkit_contact::Error>(())
//! ```
//!
//! # Validate a name
//!
//! ```
//! use leadkit_contact::{validate_name, Error, NameOptions};
//!
//! let name = validate_name("  Jean-Luc   O'Neill ", &NameOptions::default())?;
//! assert_eq!(name.as_str(), "Jean-Luc O'Neill");
//! assert_eq!(validate_name("test", &NameOptions::default()), Err(Error::NamePlaceholder));
//! assert_eq!(validate_name("R2D2", &NameOptions::default()), Err(Error::NameDigits));
//! # Ok::<(), Error>(())
//! ```
//!
//! # Extract from a chat line
//!
//! ```
//! use leadkit_contact::{extract, ContactKind, ExtractOptions};
//!
//! let text = "Hola, me llamo Lucía Pérez, mi móvil es 612 34 56 78 y mi correo <lucia@empresa.es>";
//! let options = ExtractOptions::default().with_default_region("ES");
//! let extraction = extract(text, &options);
//! let found: Vec<_> = extraction
//!     .found
//!     .iter()
//!     .map(|f| (f.kind, &text[f.span.clone()], f.value.as_str(), f.valid))
//!     .collect();
//! assert_eq!(
//!     found,
//!     [
//!         (ContactKind::Name, "Lucía Pérez", "Lucía Pérez", true),
//!         (ContactKind::Phone, "612 34 56 78", "+34612345678", true),
//!         (ContactKind::Email, "lucia@empresa.es", "lucia@empresa.es", true),
//!     ]
//! );
//! assert!(!extraction.truncated);
//! ```
//!
//! # What extraction handles
//!
//! - Emails as typed, in `<angle brackets>`, after `mailto:`, followed by
//!   sentence punctuation; spelled out (`john dot smith at gmail dot com`,
//!   `ann[at]example[dot]org`, `juan arroba gmail punto com`) when
//!   [`ExtractOptions::decode_obfuscation`] is on (the default).
//! - Phone numbers grouped by spaces, dots, dashes, slashes or parentheses,
//!   with `+44 (0)20 …` trunk prefixes and extensions (`ext 22`, `x22`, `#22`);
//!   two numbers side by side stay two. A number without a country code is
//!   read in the caller's region ([`ExtractOptions::with_default_region`]);
//!   when it is not valid there (or no region was given) it is read in the
//!   regions the message hints at: a country named beside it ("my UK
//!   number"), the message's language ([`ExtractOptions::language`], or
//!   guessed), its shape (North American `NXX-NXX-XXXX`, an `8` trunk
//!   prefix). Every phone carries a [`PhoneReading`] in [`Found::phone`]:
//!   its [`PhoneStatus`], the region used and the [`RegionHint`] it came
//!   from. A number valid only in a hinted region is reported with
//!   `valid: false` unless [`ExtractOptions::accept_hinted_regions`] is set.
//!   Never taken for phones: card numbers (4-4-4-4 groups or Luhn-valid 13–19
//!   digits), IBANs, dates and times, prices and amounts, order, ticket,
//!   invoice, licence and reference numbers, postcodes, IP addresses, version
//!   strings and national-id shapes (US SSN, Brazilian CPF, Spanish DNI …).
//! - Names after "my name is", "I'm", "I am", "call me", "name:", and in
//!   Spanish ("me llamo", "mi nombre es", "soy"), German ("ich heiße", "mein
//!   Name ist", "ich bin"), French ("je m'appelle", "mon nom est", "je suis",
//!   "moi c'est") and Portuguese ("meu nome é", "me chamo", "chamo-me", "sou
//!   o/a"). After the weaker cues ("I'm", "soy", "ich bin", "je suis", "sou")
//!   a name must be capitalised and not a known non-name word ("I'm
//!   interested", "soy de Madrid", "ich bin Kunde", "je suis intéressé").
//!   Introductions ("this is … from Acme", "here is", "hier ist", "aquí
//!   habla", "aqui é"), which companies use as often as people, take a name
//!   only when its first word is a known given name (Faker's public first
//!   names in the five languages) or it follows a title ("Dr.", "Herr",
//!   "Mme"), so "This is Acme Support" is not a name.
//!
//! Input longer than [`ExtractOptions::max_len`] (64 KiB by default) is cut at
//! a char boundary and [`Extraction::truncated`] is set. Every finder is a
//! linear scan (the `regex` crate guarantees linear-time matching) behind a
//! cheap pre-filter, and the phone parser is only called for digit runs that
//! survive the shape rules above.
//!
//! # Cost
//!
//! On ordinary chat text extraction runs at well over 100 MB/s on one core
//! (`benches/contact.rs`, figures in `BENCHMARKS.md`); an email validation
//! takes about 1 µs and a phone validation a few µs. Nothing takes a lock:
//! validation and extraction on several threads run in parallel.
//!
//! # Personal data
//!
//! [`Email`], [`Phone`], [`Name`] and [`Found`] redact their `Debug` output
//! (`Email(<redacted>)`), so logging a result does not leak the visitor's
//! details. [`Error`] messages never contain the rejected value.
//!
//! # Email policy and deliberate differences from the corpus
//!
//! The policy oracle is python-email-validator 2.4.0 with default options
//! (`tests/data/email-validator-cases.json`, 121 inputs from its test
//! suite). The grammar is checked with `email_address` (strict options: no
//! display text, no domain literal) and the domain with `idna` (UTS #46,
//! STD3 rules); internationalised local parts are put in Unicode NFC. This
//! crate agrees with the oracle on every case except these, which are
//! deliberate and listed with the same reasons in `tests/email_corpus.rs`:
//!
//! - **Local parts over 64 octets are rejected** (3 corpus cases: 65- and
//!   66-character local parts that the oracle accepts). RFC 5321 §4.5.3.1.1
//!   caps the local part at 64 octets, `email_address` enforces it, and the
//!   oracle itself enforces it in its strict mode; an address that mail
//!   servers may refuse is a poor lead.
//!
//! Beyond the corpus: `.internal` and `.alt` are added to the oracle's
//! special-use list (`arpa`, `invalid`, `local`, `localhost`, `onion`,
//! `test`), since neither can receive mail on the public Internet; input is
//! not trimmed (like the oracle, `" ann@example.com"` is invalid: trim form
//! fields first if that is your policy).
//!
//! # Phone metadata
//!
//! Phone numbers use `rlibphonenumber`, a port of Google's libphonenumber
//! (metadata 9.0.42). `tests/phone_corpus.rs` checks every example number of
//! every region in `tests/data/phone-example-numbers.json` (libphonenumber
//! 9.0.43) in national and international form, and the type and region of
//! every typed example: all 2,814 validity checks agree.
//!
//! A number is only accepted when its canonical form ([`Phone::canonical`])
//! validates again to the same number: numbers with a country code are
//! parsed without the default region, and when the parser changed the digits
//! (a trunk prefix, an international prefix, a carrier code) its E.164 form
//! must parse back to itself (`tests/properties.rs`).
//!
//! # Crate features
//!
//! - `disposable` (off by default): flag addresses at known disposable or
//!   throwaway providers ([`Email::is_disposable`]) and, with
//!   [`EmailOptions::reject_disposable`], reject them with
//!   [`Error::EmailDisposable`]. Uses the list maintained by the `mailchecker`
//!   crate, loaded once into a hash set on first use. Without the feature no
//!   address is ever considered disposable.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod disposable;
mod email;
mod error;
mod extract;
mod name;
mod obfuscation;
mod phone;
mod typo;

pub use email::{Email, EmailOptions, validate_email};
pub use error::{Error, Field};
pub use extract::{
    ContactKind, ExtractOptions, Extraction, Found, PhoneReading, PhoneStatus, RegionHint, extract,
};
pub use name::{Name, NameOptions, validate_name};
pub use phone::{NumberType, Phone, PhoneOptions, validate_phone};

/// Loads the lookup tables that are otherwise built on first use
/// (libphonenumber's metadata and regexes, the extraction patterns), so
/// that the first visitor does not pay for them. Call it once at start-up; calling it again costs a few
/// microseconds.
///
/// ```
/// leadkit_contact::preload();
/// ```
pub fn preload() {
    let _ = validate_phone("+14155552671", &PhoneOptions::default());
    let _ = extract(
        "I'm Ana, ana@example.com or +44 20 7946 0958",
        &ExtractOptions::default(),
    );
}
