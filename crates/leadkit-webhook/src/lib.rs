#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod address;
mod endpoint;
mod error;
mod event;
#[cfg(feature = "sender")]
mod resolve;
mod schedule;
mod secret;
#[cfg(feature = "sender")]
mod sender;
mod signature;

pub use address::{AddressPolicy, AddressRefused};
pub use endpoint::EndpointUrl;
pub use error::Error;
pub use event::{EventId, EventType, WebhookEvent};
pub use ipnet::IpNet;
pub use schedule::{DisablePolicy, EndpointHealth, RetrySchedule};
pub use secret::{SECRET_PREFIX, SigningKeys, WebhookSecret};
#[cfg(feature = "sender")]
pub use sender::{Attempt, Failure, Outcome, Sender, SenderBuilder};
pub use signature::{
    DEFAULT_TOLERANCE, HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, SignedHeaders, VerifyError,
    sign, verify,
};
