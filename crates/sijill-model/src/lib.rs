//! Domain types of sijill: newtypes that parse (PCode, Count, Sha256 …), reference geography, and validation.
pub mod account;
pub mod columns;
pub mod geo;
pub mod table_text;
