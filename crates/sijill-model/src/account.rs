//! Accounts: organizations, users and their roles, as pure types that parse.
//!
//! Ids are UUID v7 made by the application (never by the database), so records made on
//! different instances can later be merged without renumbering. Timestamps are UTC.
//!
//! A [`User`] never carries its password hash: the store returns the hash separately, as a
//! [`PasswordHash`], whose `Debug` output is redacted.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use time::OffsetDateTime;
use uuid::Uuid;

/// Why an account value did not parse. The messages say what to fix and never echo the
/// rejected input, which may be a mistyped password or a person's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// The username breaks the rules of [`Username::parse`].
    #[error("invalid username: {0}")]
    Username(&'static str),
    /// The text is not one of [`Role::ALL`].
    #[error("unknown role; expected one of admin, coordinator, documenter, field, analyst, viewer")]
    Role,
    /// The text is not one of [`OrgKind::ALL`].
    #[error(
        "unknown organization kind; expected one of relief, civil-defence, monitor, media, un, government, other"
    )]
    OrgKind,
    /// The text is not a UUID.
    #[error("invalid id: expected a UUID")]
    Id,
}

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new id (UUID v7: time-ordered, made in the application).
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Wraps an existing UUID (e.g. one read back from the database).
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            /// The UUID inside.
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0.hyphenated())
            }
        }

        impl FromStr for $name {
            type Err = AccountError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim()).map(Self).map_err(|_| AccountError::Id)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }
    };
}

uuid_id!(
    /// Identifies an [`Organization`].
    OrgId
);
uuid_id!(
    /// Identifies a [`User`].
    UserId
);
uuid_id!(
    /// Identifies one API token of a user.
    TokenId
);

/// What a user may do. One user has one role in one organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages the instance: organizations, users, settings.
    Admin,
    /// Sees the whole network's response; reports to donors and investigators.
    Coordinator,
    /// Records incidents, victims, evidence, testimonies; imports partner lists.
    Documenter,
    /// Registers households and distributions in the field.
    Field,
    /// Links lists, reviews pairs, runs estimates.
    Analyst,
    /// Reads only.
    Viewer,
}

impl Role {
    /// Every role, from most to least privileged.
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Coordinator,
        Role::Documenter,
        Role::Field,
        Role::Analyst,
        Role::Viewer,
    ];

    /// The stable lowercase name used in the database, the API and the CLI.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Documenter => "documenter",
            Role::Field => "field",
            Role::Analyst => "analyst",
            Role::Viewer => "viewer",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = AccountError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s))
            .ok_or(AccountError::Role)
    }
}

/// What kind of body an organization is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrgKind {
    /// A relief organization (distributions, cash, shelter).
    Relief,
    /// A civil-defence or rescue service.
    CivilDefence,
    /// A human-rights monitoring or documentation group.
    Monitor,
    /// A media outlet.
    Media,
    /// A United Nations body.
    Un,
    /// A government body.
    Government,
    /// Anything else.
    Other,
}

impl OrgKind {
    /// Every kind.
    pub const ALL: [OrgKind; 7] = [
        OrgKind::Relief,
        OrgKind::CivilDefence,
        OrgKind::Monitor,
        OrgKind::Media,
        OrgKind::Un,
        OrgKind::Government,
        OrgKind::Other,
    ];

    /// The stable name used in the database, the API and the CLI.
    pub const fn as_str(self) -> &'static str {
        match self {
            OrgKind::Relief => "relief",
            OrgKind::CivilDefence => "civil-defence",
            OrgKind::Monitor => "monitor",
            OrgKind::Media => "media",
            OrgKind::Un => "un",
            OrgKind::Government => "government",
            OrgKind::Other => "other",
        }
    }
}

impl fmt::Display for OrgKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrgKind {
    type Err = AccountError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        // "civil_defence" and "civil-defense" are accepted spellings of the same kind.
        let folded = s.to_ascii_lowercase().replace('_', "-");
        let folded = if folded == "civil-defense" {
            "civil-defence".to_owned()
        } else {
            folded
        };
        OrgKind::ALL
            .into_iter()
            .find(|k| k.as_str() == folded)
            .ok_or(AccountError::OrgKind)
    }
}

/// A login name: trimmed, lowercased, 3–32 ASCII letters, digits, `.`, `_` or `-`,
/// starting with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    /// Parses and normalizes a username (`" Alice "` becomes `alice`).
    pub fn parse(s: &str) -> Result<Self, AccountError> {
        let s = s.trim().to_ascii_lowercase();
        let len = s.chars().count();
        if len < 3 {
            return Err(AccountError::Username("at least 3 characters"));
        }
        if len > 32 {
            return Err(AccountError::Username("at most 32 characters"));
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        {
            return Err(AccountError::Username(
                "only letters a-z, digits, '.', '_' and '-'",
            ));
        }
        if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(AccountError::Username("must start with a letter or digit"));
        }
        Ok(Self(s))
    }

    /// The normalized name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Username {
    type Err = AccountError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Username {
    type Error = AccountError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Username> for String {
    fn from(u: Username) -> Self {
        u.0
    }
}

/// An encoded password hash (a PHC string such as `$argon2id$…`), as stored. Hashing
/// and verifying belong to the server's auth module; this type only carries the string
/// and keeps it out of `Debug` output and logs.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Wraps an encoded hash.
    pub fn new(encoded: impl Into<String>) -> Self {
        Self(encoded.into())
    }

    /// The encoded hash, for verification.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}

/// An organization of the network (or outside it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// Its id.
    pub id: OrgId,
    /// Its name in Latin script (unique within an instance).
    pub name: String,
    /// Its name in Arabic, when known.
    pub name_ar: Option<String>,
    /// What kind of body it is.
    pub kind: OrgKind,
    /// Whether it is a member of the network (partners share within the network).
    pub network_member: bool,
    /// When it was recorded (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// What is needed to record an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOrganization {
    /// Its name in Latin script; must be non-empty and unique.
    pub name: String,
    /// Its name in Arabic, when known.
    pub name_ar: Option<String>,
    /// What kind of body it is.
    pub kind: OrgKind,
    /// Whether it is a member of the network.
    pub network_member: bool,
}

/// A user account. The password hash is deliberately absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// The login name.
    pub username: Username,
    /// The name shown in pages.
    pub display_name: String,
    /// The one organization the user belongs to.
    pub org_id: OrgId,
    /// The one role the user has.
    pub role: Role,
    /// A disabled user cannot log in or use API tokens.
    pub disabled: bool,
    /// The user must choose a new password at the next login.
    pub must_change_password: bool,
    /// When the account was made (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// What is needed to make a user account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// The login name (unique).
    pub username: Username,
    /// The name shown in pages; must be non-empty.
    pub display_name: String,
    /// The organization the user belongs to (must exist).
    pub org_id: OrgId,
    /// The role.
    pub role: Role,
    /// The encoded password hash.
    pub password_hash: PasswordHash,
    /// Whether the user must choose a new password at the next login.
    pub must_change_password: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn username_normalizes_and_rejects() {
        assert_eq!(Username::parse("  Alice.B ").unwrap().as_str(), "alice.b");
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse(&"a".repeat(33)).is_err());
        assert!(Username::parse(&"a".repeat(32)).is_ok());
        assert!(Username::parse("-rf").is_err());
        assert!(Username::parse("عمر").is_err());
        assert!(Username::parse("a b c").is_err());
        let err = Username::parse("bad name!").unwrap_err().to_string();
        assert!(!err.contains("bad name"), "{err}");
    }

    #[test]
    fn roles_and_kinds_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
            assert_eq!(r.to_string(), r.as_str());
        }
        for k in OrgKind::ALL {
            assert_eq!(k.as_str().parse::<OrgKind>().unwrap(), k);
            assert_eq!(k.to_string(), k.as_str());
        }
        assert_eq!(
            "Civil_Defense".parse::<OrgKind>().unwrap(),
            OrgKind::CivilDefence
        );
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn ids_parse_and_order_by_time() {
        let a = UserId::new();
        let b = UserId::new();
        assert!(a < b);
        assert_eq!(a.to_string().parse::<UserId>().unwrap(), a);
        assert!("nope".parse::<OrgId>().is_err());
    }

    #[test]
    fn password_hash_is_redacted() {
        let h = PasswordHash::new("$argon2id$secret");
        assert!(!format!("{h:?}").contains("secret"));
        assert_eq!(h.as_str(), "$argon2id$secret");
    }
}
