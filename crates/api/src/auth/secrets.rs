//! Random secrets and their hashes: session ids, refresh tokens, API tokens.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

/// `n` random bytes from the operating system, as lowercase hex.
pub fn random_hex(n: usize) -> String {
    let mut buf = vec![0u8; n];
    OsRng.fill_bytes(&mut buf);
    hex(&buf)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a high-entropy secret, as hex: how refresh and API tokens are stored.
/// (A slow hash adds nothing for 160+ random bits.)
pub fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

/// The recognisable start of every API token, so leaked ones are easy to find in logs and
/// repositories.
pub const API_TOKEN_PREFIX: &str = "utb_";

/// A new API token: `utb_<8 hex: lookup prefix>_<40 hex: secret>`; returns (token, prefix).
pub fn new_api_token() -> (String, String) {
    let prefix = random_hex(4);
    let token = format!("{API_TOKEN_PREFIX}{prefix}_{}", random_hex(20));
    (token, prefix)
}

/// The lookup prefix of a presented API token, if it has the right shape.
pub fn api_token_prefix(token: &str) -> Option<&str> {
    let rest = token.strip_prefix(API_TOKEN_PREFIX)?;
    let (prefix, secret) = rest.split_once('_')?;
    let hexish = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    (prefix.len() == 8 && secret.len() == 40 && hexish(prefix) && hexish(secret)).then_some(prefix)
}

/// A password for the first administrator: 24 characters from an unambiguous alphabet.
pub fn generated_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut buf = [0u8; 24];
    OsRng.fill_bytes(&mut buf);
    buf.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_tokens_are_recognisable_and_parse_back() {
        let (token, prefix) = new_api_token();
        assert!(token.starts_with("utb_"));
        assert_eq!(token.len(), 4 + 8 + 1 + 40);
        assert_eq!(api_token_prefix(&token), Some(prefix.as_str()));
        assert_eq!(api_token_prefix("utb_zz_short"), None);
        assert_eq!(api_token_prefix("eyJhbGciOi.x.y"), None);
    }

    #[test]
    fn secrets_differ_and_hashes_are_stable() {
        assert_ne!(random_hex(16), random_hex(16));
        assert_eq!(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(generated_password().len(), 24);
    }
}
