//! Arabic and Latin name normalization, transliteration keys and string comparators. Pure: no IO.
