//! Column types shared by both backends: a UUID and a UTC timestamp that are native
//! (`uuid`, `timestamptz`) on PostgreSQL and readable, ordered text on SQLite.
//!
//! sqlx's own SQLite encodings are a 16-byte blob for `Uuid` and variable-precision
//! RFC 3339 for `OffsetDateTime`, whose text order is not time order (`…:05Z` sorts
//! after `…:05.5Z`). These wrappers store hyphenated UUIDs and fixed-width
//! microsecond timestamps instead, so `ORDER BY` and `<` on text are right.

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, PgValueRef, Postgres};
use sqlx::sqlite::{Sqlite, SqliteArgumentValue, SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Encode, Type};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};
use uuid::Uuid;

/// A UUID column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DbUuid(pub(crate) Uuid);

impl<T: Into<Uuid>> From<T> for DbUuid {
    fn from(id: T) -> Self {
        DbUuid(id.into())
    }
}

impl Type<Sqlite> for DbUuid {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <String as Type<Sqlite>>::compatible(ty)
    }
}

impl<'q> Encode<'q, Sqlite> for DbUuid {
    fn encode_by_ref(&self, buf: &mut Vec<SqliteArgumentValue<'q>>) -> Result<IsNull, BoxDynError> {
        <String as Encode<'q, Sqlite>>::encode(self.0.hyphenated().to_string(), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for DbUuid {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        let s = <&str as Decode<'r, Sqlite>>::decode(value)?;
        Ok(DbUuid(Uuid::parse_str(s)?))
    }
}

impl Type<Postgres> for DbUuid {
    fn type_info() -> PgTypeInfo {
        <Uuid as Type<Postgres>>::type_info()
    }
    fn compatible(ty: &PgTypeInfo) -> bool {
        <Uuid as Type<Postgres>>::compatible(ty)
    }
}

impl Encode<'_, Postgres> for DbUuid {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <Uuid as Encode<'_, Postgres>>::encode_by_ref(&self.0, buf)
    }
}

impl<'r> Decode<'r, Postgres> for DbUuid {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        <Uuid as Decode<'r, Postgres>>::decode(value).map(DbUuid)
    }
}

/// A UTC timestamp column, truncated to the microsecond (PostgreSQL's precision) so a
/// value reads back equal on both backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct DbTime(OffsetDateTime);

const SQLITE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

impl DbTime {
    /// Now, in UTC, to the microsecond.
    pub(crate) fn now() -> Self {
        Self::from(OffsetDateTime::now_utc())
    }

    pub(crate) fn get(self) -> OffsetDateTime {
        self.0
    }

    /// The fixed-width text form (also what the audit chain hashes).
    pub(crate) fn to_text(self) -> String {
        // Formatting a UTC date in years 0..=9999 with this description cannot fail; a
        // year outside it falls back to RFC 3339.
        self.0
            .format(SQLITE_FORMAT)
            .or_else(|_| self.0.format(&Rfc3339))
            .unwrap_or_default()
    }

    fn parse_text(s: &str) -> Result<Self, BoxDynError> {
        let t = match time::PrimitiveDateTime::parse(
            s.trim_end_matches('Z'),
            format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]"
            ),
        ) {
            Ok(p) => p.assume_utc(),
            Err(_) => OffsetDateTime::parse(s, &Rfc3339)?,
        };
        Ok(Self::from(t))
    }
}

impl From<OffsetDateTime> for DbTime {
    fn from(t: OffsetDateTime) -> Self {
        let t = t.to_offset(UtcOffset::UTC);
        let micros = t.nanosecond() / 1_000 * 1_000;
        // `micros` is always a valid nanosecond value, so this cannot fail.
        DbTime(t.replace_nanosecond(micros).unwrap_or(t))
    }
}

impl Type<Sqlite> for DbTime {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <String as Type<Sqlite>>::compatible(ty)
    }
}

impl<'q> Encode<'q, Sqlite> for DbTime {
    fn encode_by_ref(&self, buf: &mut Vec<SqliteArgumentValue<'q>>) -> Result<IsNull, BoxDynError> {
        <String as Encode<'q, Sqlite>>::encode(self.to_text(), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for DbTime {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        Self::parse_text(<&str as Decode<'r, Sqlite>>::decode(value)?)
    }
}

impl Type<Postgres> for DbTime {
    fn type_info() -> PgTypeInfo {
        <OffsetDateTime as Type<Postgres>>::type_info()
    }
    fn compatible(ty: &PgTypeInfo) -> bool {
        <OffsetDateTime as Type<Postgres>>::compatible(ty)
    }
}

impl Encode<'_, Postgres> for DbTime {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <OffsetDateTime as Encode<'_, Postgres>>::encode_by_ref(&self.0, buf)
    }
}

impl<'r> Decode<'r, Postgres> for DbTime {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        <OffsetDateTime as Decode<'r, Postgres>>::decode(value).map(DbTime::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn text_is_fixed_width_and_ordered() {
        let a = DbTime::from(datetime!(2025-03-07 12:00:05 UTC));
        let b = DbTime::from(datetime!(2025-03-07 12:00:05.5 UTC));
        let c = DbTime::from(datetime!(2025-03-07 14:00:05.000001 +02:00));
        assert_eq!(a.to_text(), "2025-03-07T12:00:05.000000Z");
        assert_eq!(b.to_text(), "2025-03-07T12:00:05.500000Z");
        assert_eq!(c.to_text(), "2025-03-07T12:00:05.000001Z");
        assert!(a.to_text() < c.to_text() && c.to_text() < b.to_text());
        for t in [a, b, c] {
            assert_eq!(DbTime::parse_text(&t.to_text()).unwrap(), t);
        }
    }

    #[test]
    fn truncates_to_microseconds() {
        let t = DbTime::from(datetime!(2025-03-07 12:00:05.123456789 UTC));
        assert_eq!(t.get().nanosecond(), 123_456_000);
    }
}
