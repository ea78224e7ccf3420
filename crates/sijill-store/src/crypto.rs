//! Field-level encryption of personal data with keys kept outside the database.
//!
//! A [`Keyring`] is a small text file (owner-only) holding one or more 256-bit keys, each
//! with a number, and which one is active. Personal fields (names, contacts, testimonies,
//! exact locations) are sealed with XChaCha20-Poly1305 under the active key before they
//! reach SQL, and stored as text: `sj1.<key number>.<base64url(nonce ‖ ciphertext)>`, so
//! the same column works on SQLite and PostgreSQL and old rows stay readable after a
//! rotation.
//!
//! Every value is sealed with *associated data* naming where it lives (e.g.
//! `households.name:<id>`): a ciphertext copied into another row or column fails to open
//! instead of showing one person's name under another record.
//!
//! Safety rules, each tested:
//! - A wrong key is a clear error ([`CryptoError::WrongKey`]) when the keyring is
//!   attached, before anything is read or written: the database keeps a sealed check
//!   value per key number, and a keyring whose key does not open it is refused.
//! - A missing key (the database has used key 2, the file holds only key 1) is refused
//!   the same way ([`CryptoError::MissingKey`]).
//! - Nothing here ever deletes or rewrites data; rotation adds a key and makes it active.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// What went wrong with keys or sealed values. Messages never contain key material or
/// plaintext.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// The key file cannot be read or is not a sijill key file.
    #[error("key file {path}: {reason}")]
    KeyFile {
        /// The file.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The database was sealed with a key this keyring does not hold.
    #[error(
        "the database uses key {0}, which the key file does not hold; use the key file (or its backup) that was used before — no data was changed"
    )]
    MissingKey(u32),
    /// The keyring's key with this number is not the one the database used.
    #[error(
        "key {0} of the key file is not the key this database was sealed with; use the right key file (or its backup) — no data was changed"
    )]
    WrongKey(u32),
    /// A sealed value was changed, moved to another field or is not a sealed value.
    #[error("a sealed value could not be opened: it was altered, moved, or is not sealed")]
    Tampered,
    /// The record was erased: the key its personal fields were sealed with is destroyed.
    #[error("this record was erased; its personal fields can no longer be read or written")]
    Erased,
    /// Personal data was asked for but the store has no keyring.
    #[error(
        "this store was opened without a key file, so personal fields cannot be read or written"
    )]
    NoKeyring,
}

/// One or more numbered keys, one of them active.
#[derive(Clone)]
pub struct Keyring {
    keys: BTreeMap<u32, [u8; 32]>,
    active: u32,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("key_numbers", &self.keys.keys().collect::<Vec<_>>())
            .field("active", &self.active)
            .finish()
    }
}

const HEADER: &str = "# sijill key file: keep it secret, keep a backup apart from the database.";
const PREFIX: &str = "sj1";
/// The prefix of values sealed under a per-record data key.
pub(crate) const SUBJECT_PREFIX: &str = "sj2";

impl Keyring {
    /// A new keyring with one random key, number 1.
    pub fn generate() -> Keyring {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Keyring {
            keys: BTreeMap::from([(1, key)]),
            active: 1,
        }
    }

    /// The number of the active key.
    pub fn active(&self) -> u32 {
        self.active
    }

    /// The numbers of every key held.
    pub fn key_numbers(&self) -> Vec<u32> {
        self.keys.keys().copied().collect()
    }

    /// Adds a new random key and makes it active; older keys stay to open older values.
    pub fn rotate(&mut self) -> u32 {
        let next = self.keys.keys().max().copied().unwrap_or(0) + 1;
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        self.keys.insert(next, key);
        self.active = next;
        next
    }

    /// A short fingerprint of every key held and the active one (SHA-256 over them, first
    /// 16 bytes in groups of four hex digits), to tell key files apart without showing a key.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"sijill key fingerprint\n");
        for (n, k) in &self.keys {
            h.update(n.to_be_bytes());
            h.update(k);
        }
        h.update(self.active.to_be_bytes());
        let hex = hex::encode(&h.finalize()[..16]);
        hex.as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(":")
    }

    /// The key file's text.
    pub fn to_text(&self) -> String {
        let mut out = format!("{HEADER}\n");
        for (n, k) in &self.keys {
            out.push_str(&format!("key {n} {}\n", URL_SAFE_NO_PAD.encode(k)));
        }
        out.push_str(&format!("active {}\n", self.active));
        out
    }

    /// Parses a key file's text; `path` only names the file in errors.
    pub fn from_text(text: &str, path: &str) -> Result<Keyring, CryptoError> {
        let bad = |reason: &str| CryptoError::KeyFile {
            path: path.to_string(),
            reason: reason.to_string(),
        };
        let mut keys = BTreeMap::new();
        let mut active = None;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let parts: Vec<&str> = line.split_whitespace().collect();
            match parts.as_slice() {
                ["key", n, k] => {
                    let n: u32 = n
                        .parse()
                        .map_err(|_| bad(&format!("line {}: bad key number", i + 1)))?;
                    let raw = URL_SAFE_NO_PAD
                        .decode(k)
                        .map_err(|_| bad(&format!("line {}: key is not base64url", i + 1)))?;
                    let key: [u8; 32] = raw
                        .try_into()
                        .map_err(|_| bad(&format!("line {}: key is not 32 bytes", i + 1)))?;
                    if keys.insert(n, key).is_some() {
                        return Err(bad(&format!("line {}: key {n} given twice", i + 1)));
                    }
                }
                ["active", n] => {
                    active = Some(
                        n.parse::<u32>()
                            .map_err(|_| bad(&format!("line {}: bad active number", i + 1)))?,
                    );
                }
                _ => return Err(bad(&format!("line {}: not a key line", i + 1))),
            }
        }
        let active = active.ok_or_else(|| bad("no `active` line"))?;
        if !keys.contains_key(&active) {
            return Err(bad("the active key is not in the file"));
        }
        Ok(Keyring { keys, active })
    }

    /// Reads a key file.
    pub fn load(path: &Path) -> Result<Keyring, CryptoError> {
        let text = std::fs::read_to_string(path).map_err(|e| CryptoError::KeyFile {
            path: path.display().to_string(),
            reason: format!("cannot read it ({})", e.kind()),
        })?;
        Keyring::from_text(&text, &path.display().to_string())
    }

    /// Writes the key file (owner-only) through a temporary file and a rename, so a crash
    /// never leaves half a key file.
    pub fn save(&self, path: &Path) -> Result<(), CryptoError> {
        let fail = |e: std::io::Error| CryptoError::KeyFile {
            path: path.display().to_string(),
            reason: format!("cannot write it ({})", e.kind()),
        };
        let tmp = path.with_extension("key-tmp");
        {
            use std::io::Write;
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            let mut f = opts.open(&tmp).map_err(fail)?;
            f.write_all(self.to_text().as_bytes()).map_err(fail)?;
            f.sync_all().map_err(fail)?;
        }
        std::fs::rename(&tmp, path).map_err(fail)
    }

    /// Reads the key file, or creates it with a new key when it does not exist. The flag
    /// says whether it was created (the caller tells the user to back it up).
    pub fn load_or_create(path: &Path) -> Result<(Keyring, bool), CryptoError> {
        if path.exists() {
            return Ok((Keyring::load(path)?, false));
        }
        let k = Keyring::generate();
        k.save(path)?;
        Ok((k, true))
    }

    /// Seals `plaintext` under the active key, bound to `context` (where it is stored).
    pub fn seal(&self, context: &str, plaintext: &str) -> String {
        self.seal_with(self.active, context, plaintext)
    }

    fn seal_with(&self, n: u32, context: &str, plaintext: &str) -> String {
        let key = &self.keys[&n];
        let cipher = XChaCha20Poly1305::new(key.into());
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        // Encryption with a valid key and nonce cannot fail for inputs of this size.
        let ct = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .unwrap_or_default();
        let mut blob = Vec::with_capacity(24 + ct.len());
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&ct);
        format!("{PREFIX}.{n}.{}", URL_SAFE_NO_PAD.encode(blob))
    }

    /// Seals `plaintext` under a data key that is not in the keyring (per-record keys of
    /// [`crate::crypto_shred`]), bound to `context`: `sj2.<base64url(nonce ‖ ciphertext)>`.
    pub(crate) fn seal_under(key: &[u8; 32], context: &str, plaintext: &str) -> String {
        let cipher = XChaCha20Poly1305::new(key.into());
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        let ct = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .unwrap_or_default();
        let mut blob = Vec::with_capacity(24 + ct.len());
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&ct);
        format!("{SUBJECT_PREFIX}.{}", URL_SAFE_NO_PAD.encode(blob))
    }

    /// Opens a value sealed by [`Keyring::seal_under`] with the same key and `context`.
    pub(crate) fn open_under(
        key: &[u8; 32],
        context: &str,
        sealed: &str,
    ) -> Result<String, CryptoError> {
        let body = sealed
            .strip_prefix(SUBJECT_PREFIX)
            .and_then(|b| b.strip_prefix('.'))
            .ok_or(CryptoError::Tampered)?;
        let blob = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| CryptoError::Tampered)?;
        if blob.len() < 24 + 16 {
            return Err(CryptoError::Tampered);
        }
        let (nonce, ct) = blob.split_at(24);
        let pt = XChaCha20Poly1305::new(key.into())
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Tampered)?;
        String::from_utf8(pt).map_err(|_| CryptoError::Tampered)
    }

    /// Opens a value sealed by [`Keyring::seal`] with the same `context`.
    pub fn open(&self, context: &str, sealed: &str) -> Result<String, CryptoError> {
        let mut parts = sealed.splitn(3, '.');
        let (Some(PREFIX), Some(n), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(CryptoError::Tampered);
        };
        let n: u32 = n.parse().map_err(|_| CryptoError::Tampered)?;
        let key = self.keys.get(&n).ok_or(CryptoError::MissingKey(n))?;
        let blob = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| CryptoError::Tampered)?;
        if blob.len() < 24 + 16 {
            return Err(CryptoError::Tampered);
        }
        let (nonce, ct) = blob.split_at(24);
        let cipher = XChaCha20Poly1305::new(key.into());
        let pt = cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Tampered)?;
        String::from_utf8(pt).map_err(|_| CryptoError::Tampered)
    }

    /// The key number a sealed value was sealed with.
    pub fn key_of(sealed: &str) -> Option<u32> {
        let mut parts = sealed.splitn(3, '.');
        (parts.next() == Some(PREFIX))
            .then(|| parts.next()?.parse().ok())
            .flatten()
    }

    /// A check value for key `n`, stored in the database so a wrong key file is refused.
    pub(crate) fn check_value(&self, n: u32) -> String {
        self.seal_with(n, &check_context(n), CHECK_PLAINTEXT)
    }

    /// Whether `value` is the check value of key `n` of this keyring.
    pub(crate) fn verify_check(&self, n: u32, value: &str) -> Result<(), CryptoError> {
        if !self.keys.contains_key(&n) {
            return Err(CryptoError::MissingKey(n));
        }
        match self.open(&check_context(n), value) {
            Ok(p) if p == CHECK_PLAINTEXT => Ok(()),
            _ => Err(CryptoError::WrongKey(n)),
        }
    }
}

const CHECK_PLAINTEXT: &str = "sijill key check";

fn check_context(n: u32) -> String {
    format!("settings.crypto_check:{n}")
}

/// The setting key under which the check value of key `n` is stored.
pub(crate) fn check_setting(n: u32) -> String {
    format!("crypto.check.{n}")
}

/// The prefix of every check setting.
pub(crate) const CHECK_SETTING_PREFIX: &str = "crypto.check.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_and_open_round_trip_in_both_scripts() {
        let k = Keyring::generate();
        for text in ["", "Mohammad Ali Hasan", "محمد علي حسن", "0944 123 456"] {
            let s = k.seal("households.name:1", text);
            assert!(s.starts_with("sj1.1."));
            assert!(!s.contains(text) || text.is_empty());
            assert_eq!(k.open("households.name:1", &s).unwrap(), text);
        }
    }

    #[test]
    fn same_plaintext_seals_differently_each_time() {
        let k = Keyring::generate();
        assert_ne!(k.seal("c", "x"), k.seal("c", "x"));
    }

    #[test]
    fn a_value_moved_to_another_field_or_altered_does_not_open() {
        let k = Keyring::generate();
        let s = k.seal("households.name:1", "Rana");
        assert_eq!(k.open("households.name:2", &s), Err(CryptoError::Tampered));
        let mut bytes = s.into_bytes();
        let last = bytes.len() - 2;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(bytes).unwrap();
        assert_eq!(
            k.open("households.name:1", &altered),
            Err(CryptoError::Tampered)
        );
        assert_eq!(k.open("x", "plain text"), Err(CryptoError::Tampered));
    }

    #[test]
    fn another_keyring_cannot_open_and_says_so() {
        let a = Keyring::generate();
        let b = Keyring::generate();
        let s = a.seal("c", "secret");
        assert_eq!(b.open("c", &s), Err(CryptoError::Tampered));
        let check = a.check_value(1);
        assert_eq!(b.verify_check(1, &check), Err(CryptoError::WrongKey(1)));
        assert_eq!(a.verify_check(1, &check), Ok(()));
        assert_eq!(a.verify_check(2, &check), Err(CryptoError::MissingKey(2)));
    }

    #[test]
    fn rotation_keeps_old_values_readable() {
        let mut k = Keyring::generate();
        let old = k.seal("c", "before");
        assert_eq!(k.rotate(), 2);
        let new = k.seal("c", "after");
        assert_eq!(Keyring::key_of(&old), Some(1));
        assert_eq!(Keyring::key_of(&new), Some(2));
        assert_eq!(k.open("c", &old).unwrap(), "before");
        assert_eq!(k.open("c", &new).unwrap(), "after");
    }

    #[test]
    fn key_file_round_trip_and_errors() {
        let mut k = Keyring::generate();
        k.rotate();
        let text = k.to_text();
        let back = Keyring::from_text(&text, "k").unwrap();
        assert_eq!(back.key_numbers(), vec![1, 2]);
        assert_eq!(back.active(), 2);
        let s = k.seal("c", "v");
        assert_eq!(back.open("c", &s).unwrap(), "v");
        for bad in [
            "",
            "key 1 abc\nactive 1\n",
            "active 3\n",
            "nonsense\n",
            "key x AAAA\nactive 1",
        ] {
            assert!(Keyring::from_text(bad, "k").is_err(), "{bad:?}");
        }
        let err = Keyring::from_text("key 1 abc\nactive 1\n", "/etc/k").unwrap_err();
        assert!(err.to_string().contains("/etc/k"));
        assert!(!format!("{k:?}").contains(&text[60..80]));
    }

    #[test]
    fn save_and_load_or_create() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.key");
        let (k, created) = Keyring::load_or_create(&p).unwrap();
        assert!(created);
        let (k2, created) = Keyring::load_or_create(&p).unwrap();
        assert!(!created);
        assert_eq!(k2.open("c", &k.seal("c", "v")).unwrap(), "v");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "the key file is readable by others");
        }
    }
}
