//! Secrets of accounts: argon2id password hashes, one-time passwords, session and API
//! tokens, and the SHA-256 digests under which tokens are stored.
//!
//! The CLI uses [`hash_password`] and [`one_time_password`] for `sijill user add|passwd`
//! and for the first administrator. Hashing is CPU work: async callers run it through
//! [`hash_password_blocking`] / [`verify_password_blocking`], which use `spawn_blocking`.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

/// Prefix of every API token, so a leaked token is recognisable in logs and scanners.
pub const API_TOKEN_PREFIX: &str = "sjl_";

/// Shortest password a user may choose.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// A password could not be hashed (the OS random source failed).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct PasswordError(String);

/// Hashes a password with argon2id (v19, m=19 MiB, t=2, p=1, random salt) into a PHC
/// string (`$argon2id$v=19$…`).
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| PasswordError(e.to_string()))
}

/// Whether `password` matches the PHC string `phc`. A malformed hash never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), phc)
        .is_ok()
}

/// At most this many argon2 computations run at once (each takes 19 MiB and a core):
/// a burst of sign-ins queues instead of exhausting memory.
const MAX_CONCURRENT_HASHES: usize = 4;
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(MAX_CONCURRENT_HASHES);

/// [`hash_password`] off the async runtime.
pub async fn hash_password_blocking(password: String) -> Result<String, PasswordError> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|e| PasswordError(e.to_string()))?;
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || span.in_scope(|| hash_password(&password)))
        .await
        .map_err(|e| PasswordError(e.to_string()))?
}

/// [`verify_password`] off the async runtime. With no stored hash (unknown user) it
/// still spends the time of one verification, so timing does not reveal usernames.
pub async fn verify_password_blocking(password: String, phc: Option<String>) -> bool {
    let Ok(_permit) = HASHING.acquire().await else {
        return false;
    };
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        span.in_scope(|| match phc {
            Some(phc) => verify_password(&password, &phc),
            None => {
                verify_password(&password, dummy_hash());
                false
            }
        })
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not a password of anyone").unwrap_or_default())
}

/// A one-time password for a new account or a reset: 16 characters from an alphabet
/// without look-alikes, in groups of four (`kq7m-…`), about 80 bits.
pub fn one_time_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let mut out = String::with_capacity(19);
    for i in 0..16 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(ALPHABET[rng.random_range(0..ALPHABET.len())] as char);
    }
    out
}

/// 32 random bytes as 64 hex digits: session cookies and CSRF tokens.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A new API token (`sjl_` + 64 hex digits). Shown once; only [`token_hash`] is stored.
pub fn new_api_token() -> String {
    format!("{API_TOKEN_PREFIX}{}", random_token())
}

/// The SHA-256 of a token, in hex: what the store keeps for sessions and API tokens.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Constant-time comparison of two secrets.
pub fn secrets_equal(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$"), "{h}");
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterx", &h));
        assert!(!verify_password("x", "not a phc string"));
        assert_ne!(h, hash_password("correct horse battery").unwrap(), "salted");
    }

    #[test]
    fn tokens_and_passwords_have_their_shape() {
        let t = new_api_token();
        assert!(t.starts_with(API_TOKEN_PREFIX) && t.len() == 68);
        assert_ne!(t, new_api_token());
        assert_eq!(token_hash("abc").len(), 64);
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let p = one_time_password();
        assert_eq!(p.len(), 19);
        assert!(p.chars().count() >= MIN_PASSWORD_CHARS);
        assert_eq!(p.matches('-').count(), 3);
        assert!(secrets_equal("abc", "abc"));
        assert!(!secrets_equal("abc", "abd"));
        assert!(!secrets_equal("abc", "abcd"));
    }
}
