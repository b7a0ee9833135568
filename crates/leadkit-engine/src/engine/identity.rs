//! Verified visitor identity: an HMAC of the visitor id, as chat widgets do.
//!
//! The integrator's backend, which knows who is signed in, signs the
//! visitor id with a secret shared with the engine and hands the signature
//! to the widget. The engine trusts a visitor id only with a valid
//! signature, so a visitor cannot claim someone else's id (and with it
//! their contact details) by typing it into the widget.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use leadkit_core::VisitorId;
use sha2::Sha256;

use crate::Error;

type HmacSha256 = Hmac<Sha256>;

/// Signs and verifies visitor ids with HMAC-SHA256.
///
/// ```
/// use leadkit_engine::engine::VisitorVerifier;
/// use leadkit_core::VisitorId;
///
/// let verifier = VisitorVerifier::new(b"a long random secret shared with the backend".to_vec())?;
/// let visitor = VisitorId::new("user-42")?;
/// let signature = verifier.sign(&visitor); // done by the integrator's backend
/// assert!(verifier.verify(visitor.clone(), &signature).is_ok());
/// assert!(verifier.verify(VisitorId::new("user-43")?, &signature).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct VisitorVerifier {
    secret: Vec<u8>,
}

/// A visitor id whose signature checked out. Only
/// [`VisitorVerifier::verify`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedVisitor(VisitorId);

impl VerifiedVisitor {
    /// The visitor id.
    pub fn id(&self) -> &VisitorId {
        &self.0
    }
}

impl VisitorVerifier {
    /// The shortest secret accepted, in bytes.
    pub const MIN_SECRET_LEN: usize = 16;

    /// A verifier with a secret of at least [`Self::MIN_SECRET_LEN`] bytes.
    pub fn new(secret: Vec<u8>) -> Result<Self, Error> {
        if secret.len() < Self::MIN_SECRET_LEN {
            return Err(Error::InvalidConfig {
                reason: "the visitor signing secret must be at least 16 bytes",
            });
        }
        Ok(Self { secret })
    }

    fn mac(&self, visitor: &VisitorId) -> HmacSha256 {
        let mut mac =
            HmacSha256::new_from_slice(&self.secret).expect("HMAC accepts keys of any length");
        mac.update(visitor.as_str().as_bytes());
        mac
    }

    /// The signature of a visitor id, as lowercase hex.
    pub fn sign(&self, visitor: &VisitorId) -> String {
        hex::encode(self.mac(visitor).finalize().into_bytes())
    }

    /// Checks a hex signature in constant time.
    pub fn verify(&self, visitor: VisitorId, signature: &str) -> Result<VerifiedVisitor, Error> {
        let signature = signature.trim();
        // A SHA-256 MAC is 64 hex digits; refuse anything far longer before
        // decoding it.
        if signature.len() > 256 {
            return Err(Error::InvalidSignature);
        }
        let bytes = hex::decode(signature).map_err(|_| Error::InvalidSignature)?;
        self.mac(&visitor)
            .verify_slice(&bytes)
            .map_err(|_| Error::InvalidSignature)?;
        Ok(VerifiedVisitor(visitor))
    }
}

impl fmt::Debug for VisitorVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("VisitorVerifier(<secret>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_signatures_are_refused() {
        let verifier = VisitorVerifier::new(vec![7; 32]).unwrap();
        let visitor = VisitorId::new("v-1").unwrap();
        let good = verifier.sign(&visitor);
        assert_eq!(good.len(), 64);
        let last = if good.ends_with('0') { "1" } else { "0" };
        let tampered = format!("{}{last}", &good[..63]);
        for bad in ["", "zz", "abc", &good[..62], &tampered] {
            assert!(verifier.verify(visitor.clone(), bad).is_err(), "{bad}");
        }
        assert!(
            verifier
                .verify(visitor.clone(), &good.to_uppercase())
                .is_ok()
        );
        let other = VisitorVerifier::new(vec![8; 32]).unwrap();
        assert!(other.verify(visitor, &good).is_err());
        assert!(VisitorVerifier::new(vec![1; 8]).is_err());
        assert_eq!(format!("{verifier:?}"), "VisitorVerifier(<secret>)");
    }
}
