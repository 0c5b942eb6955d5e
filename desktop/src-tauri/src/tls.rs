//! Trust on first use of the shop's server certificate: the verifier and fingerprint live in
//! `usinage-pin`, shared with the server (which prints the same fingerprint) and its tests.

pub use usinage_pin::{PinVerifier, ring_provider};
