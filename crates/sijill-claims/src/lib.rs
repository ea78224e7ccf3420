//! Figure claims: parse quantities and extract who-said-how-many-of-what from English and Arabic report text. Pure: no IO.
