//! The only crate that speaks SQL: SQLite (embedded default) and PostgreSQL, embedded migrations, encryption of personal fields, audit chain.
