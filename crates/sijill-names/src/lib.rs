//! Arabic and Latin name normalization, transliteration keys and string comparators. Pure: no IO.
//!
//! # The canonical fold
//!
//! Every name, in whatever script, goes through one fold ([`fold`]) before anything else
//! looks at it. It is the only place where spelling variants are decided, so that the
//! blocking keys, the comparators and the explanations all agree:
//!
//! 1. Unicode NFKD (presentation forms become base letters, `أ` becomes `ا` + hamza above,
//!    `é` becomes `e` + acute).
//! 2. Removed: every combining mark (Arabic harakat, shadda, sukun, maddah, hamza above and
//!    below, dagger alef U+0670, Quranic marks; Latin accents), tatweel U+0640, zero-width and
//!    bidi control characters, and the apostrophe-like signs used for ʿayn and hamza
//!    (`'`, `’`, `ʿ`, `ʾ`, `` ` ``).
//! 3. Arabic letters: alef forms `أ إ آ ٱ` → `ا`; `ؤ` → `و`; `ئ` and `ى` → `ي`; taa marbuta
//!    `ة` → `ه`; Persian and Urdu variants `ک ڪ گ` → `ك`, `ی ې` → `ي`, `ۀ ە` → `ه`, `پ` → `ب`,
//!    `چ` → `ج`, `ژ` → `ز`, `ڤ` → `ف`, `ڨ` → `ق`. Standalone hamza `ء` is kept (it is a letter),
//!    but the key ignores it.
//! 4. Digits: Arabic-Indic `٠–٩` and Persian `۰–۹` → ASCII `0–9`.
//! 5. Latin: lower case; every other character that is not a letter or digit becomes a space;
//!    runs of spaces become one space; no leading or trailing space.
//!
//! Dagger alef is dropped rather than mapped to `ا` (pyarabic maps it) because most writers
//! omit it; `ى` is mapped to `ي` rather than `ا` because Syrian lists write names such as
//! `عيسى`/`عيسي` both ways and the Latin side (Issa) has no letter for it.
//!
//! # Tokens and keys
//!
//! [`name_tokens`] turns a folded name into name tokens: `bin`/`ibn`/`بن` are dropped, the
//! article (`al-`, `el-`, `Al `, `ال`, assimilated `ar-`, `as-` …) is dropped, `Abd`-names
//! (`Abd al-Rahman`, `Abdulrahman`, `Abdel Rahman`, `عبد الرحمن`) and kunyas (`Abu X`,
//! `Umm X`) become one token, `… al-Din` joins the token before it, and the abbreviations
//! `Mhd`/`Mohd` read as Mohammad.
//!
//! Every token carries a script-independent consonant key ([`key`]): letters map to one
//! class each (`kh`/`ح`/`خ`/`h`/`ه` → `H`, `q`/`k`/`g`/`gh`/`ق`/`ك`/`غ` → `K`, `sh`/`ch`/`ش` →
//! `X`, `th`/`ث`/`ت`/`ط`/`t` → `T`, `dh`/`z`/`ذ`/`ز`/`ظ` → `Z`, …), doubled letters collapse,
//! vowels vanish except one `A` for a token that starts with a vowel or `ع`, `w`/`y` count
//! only at the start of a token, and a final `h` (taa marbuta, Fatimah/Fatima) is dropped.
//! So `محمد`, `Mohammad`, `Muhammad`, `Mohamed` and `Mhd` all have the key `MHMD`.
//!
//! # Comparators
//!
//! [`jaro_winkler`] and [`damerau_levenshtein`] work on characters (never on UTF-8 bytes),
//! and [`similarity`] compares two tokens by form and key together.

mod compare;
mod fold;
mod key;
mod parts;

pub use compare::{Similarity, damerau_levenshtein, jaro_winkler, similarity};
pub use fold::{fold, is_arabic_letter};
pub use key::key;
pub use parts::{NameParts, NameToken, name_tokens, split_full_name};
