//! Text handling shared by the extractor: the keyword fold, sentence splitting and the
//! tokenizer (words, digit runs with their separators, punctuation), for English and Arabic.
//!
//! The fold maps Arabic letters the way `sijill-names` does (alef forms to `ا`, `ى` to `ي`,
//! `ة` to `ه`, harakat and tatweel dropped) so that a keyword list is written once, without
//! vowel marks; Latin is lower-cased. Unlike the name fold it keeps apostrophes and
//! punctuation, which the extractor needs.

/// The numeric value of a Western, Arabic-Indic or Persian digit.
pub(crate) fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x660),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x6F0),
        _ => None,
    }
}

/// Arabic vowel marks, tatweel and Quranic annotation signs: dropped by the fold.
fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '\u{06D6}'..='\u{06ED}')
}

/// Whether `c` is an Arabic-script letter (not a digit, mark or punctuation sign).
pub(crate) fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0671}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

fn is_word_char(c: char) -> bool {
    (c.is_alphabetic() || is_arabic_mark(c) || is_arabic_letter(c)) && digit_value(c).is_none()
}

/// Folds one word for keyword matching (see the module docs).
pub(crate) fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if is_arabic_mark(c) || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}') {
            continue;
        }
        match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => out.push('ا'),
            'ى' | 'ی' => out.push('ي'),
            'ة' => out.push('ه'),
            'ک' => out.push('ك'),
            '’' | '‘' | 'ʼ' | '`' => out.push('\''),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A run of letters (Latin or Arabic), with inner apostrophes.
    Word,
    /// A run of digits with the separators between them (`9,372`, `١٬٤٧٦`, `1.5`, `15 000`).
    Num,
    /// Any other single character that is not white space.
    Punct,
}

/// One token of a sentence.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    pub kind: Kind,
    /// Byte offsets in the document.
    pub start: usize,
    pub end: usize,
    /// The folded form; for numbers the digits in ASCII with their separators; dashes are `-`.
    pub norm: String,
    /// No white space between this token and the one before.
    pub glued: bool,
    /// The word starts with an upper-case (Latin) letter.
    pub upper: bool,
    /// The word is in Arabic script.
    pub arabic: bool,
}

impl Tok {
    pub fn is(&self, s: &str) -> bool {
        self.norm == s
    }
    pub fn is_punct(&self, s: &str) -> bool {
        self.kind == Kind::Punct && self.norm == s
    }
}

fn is_space_sep(c: char) -> bool {
    matches!(c, ' ' | '\u{00A0}' | '\u{202F}' | '\u{2009}')
}

/// Splits `text[start..end]` into tokens whose offsets are in `text`.
pub(crate) fn tokenize(text: &str, start: usize, end: usize) -> Vec<Tok> {
    let s = &text[start..end];
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    let mut glued = false;
    while i < chars.len() {
        let (bi, c) = chars[i];
        if c.is_whitespace() {
            glued = false;
            i += 1;
            continue;
        }
        let tok_start = start + bi;
        if digit_value(c).is_some() {
            let mut norm = String::new();
            let mut j = i;
            let mut group_len = 0usize;
            while j < chars.len() {
                let ch = chars[j].1;
                if let Some(d) = digit_value(ch) {
                    norm.push(char::from_digit(d, 10).unwrap_or('0'));
                    group_len += 1;
                    j += 1;
                    continue;
                }
                let next_digit = chars
                    .get(j + 1)
                    .is_some_and(|&(_, n)| digit_value(n).is_some());
                if matches!(ch, ',' | '.' | '٬' | '٫' | '\'') && next_digit {
                    norm.push(ch);
                    group_len = 0;
                    j += 1;
                    continue;
                }
                // "1،476": the Arabic comma glued between digit groups groups thousands.
                if ch == '،' && next_digit && group_len <= 3 {
                    let run = chars[j + 1..]
                        .iter()
                        .take_while(|&&(_, n)| digit_value(n).is_some())
                        .count();
                    if run == 3
                        && chars.get(j + 4).is_none_or(|&(_, n)| {
                            digit_value(n).is_none() && !matches!(n, ',' | '.' | '،')
                        })
                    {
                        norm.push('٬');
                        group_len = 0;
                        j += 1;
                        continue;
                    }
                }
                if is_space_sep(ch) && next_digit && group_len <= 3 {
                    // A space groups thousands only before exactly three digits.
                    let run = chars[j + 1..]
                        .iter()
                        .take_while(|&&(_, n)| digit_value(n).is_some())
                        .count();
                    let after = chars.get(j + 1 + run).map(|&(_, n)| n);
                    let after_ok =
                        after.is_none_or(|n| !is_word_char(n) && n != '-' && n != '/' && n != ':');
                    if run == 3 && after_ok {
                        norm.push(' ');
                        group_len = 0;
                        j += 1;
                        continue;
                    }
                }
                break;
            }
            let tok_end = start + chars.get(j).map_or(s.len(), |&(b, _)| b);
            toks.push(Tok {
                kind: Kind::Num,
                start: tok_start,
                end: tok_end,
                norm,
                glued,
                upper: false,
                arabic: false,
            });
            glued = true;
            i = j;
            continue;
        }
        if is_word_char(c) {
            let mut j = i;
            while j < chars.len() {
                let ch = chars[j].1;
                let inner_apostrophe = matches!(ch, '\'' | '’')
                    && j > i
                    && chars
                        .get(j + 1)
                        .is_some_and(|&(_, n)| n.is_alphabetic() && !is_arabic_letter(n));
                if is_word_char(ch) || inner_apostrophe {
                    j += 1;
                } else {
                    break;
                }
            }
            let tok_end = start + chars.get(j).map_or(s.len(), |&(b, _)| b);
            let raw = &text[tok_start..tok_end];
            let arabic = raw.chars().any(is_arabic_letter);
            toks.push(Tok {
                kind: Kind::Word,
                start: tok_start,
                end: tok_end,
                norm: fold(raw),
                glued,
                upper: raw.chars().next().is_some_and(char::is_uppercase),
                arabic,
            });
            glued = true;
            i = j;
            continue;
        }
        let norm = match c {
            '–' | '—' | '‐' | '‑' | '−' | '‒' => "-".to_string(),
            '،' => ",".to_string(),
            '؛' => ";".to_string(),
            '؟' => "?".to_string(),
            '٪' => "%".to_string(),
            '“' | '”' | '«' | '»' | '„' => "\"".to_string(),
            '’' | '‘' => "'".to_string(),
            _ => c.to_string(),
        };
        toks.push(Tok {
            kind: Kind::Punct,
            start: tok_start,
            end: tok_start + c.len_utf8(),
            norm,
            glued,
            upper: false,
            arabic: false,
        });
        glued = true;
        i += 1;
    }
    toks
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "no", "nos", "vs", "etc", "eg", "ie", "gen", "col", "lt", "sgt",
    "capt", "prof", "approx", "est", "inc", "ltd", "co", "jr", "sr", "jan", "feb", "aug", "sept",
    "sep", "oct", "nov", "dec", "fig", "p", "pp", "vol", "al", "govt", "dept", "maj", "brig",
    "sheikh", "rev",
];

/// Splits a document into sentences: byte ranges, trimmed, never empty.
///
/// A sentence ends at `.`, `!`, `?`, `؟` or `…` followed by white space (not inside a number
/// such as `1.5`, not after a known abbreviation or an initial), at a blank line, and at a
/// single line break unless the line is unterminated and the next goes on in lower case
/// (hard-wrapped text); a headline is followed by a capital, a digit or Arabic.
pub(crate) fn sentences(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut sent_start = 0usize;
    let mut line_start = 0usize;
    let mut i = 0;
    let push = |out: &mut Vec<(usize, usize)>, a: usize, b: usize| {
        let piece = &text[a..b];
        let lead = piece.len() - piece.trim_start().len();
        let trail = piece.len() - piece.trim_end().len();
        if a + lead < b - trail {
            out.push((a + lead, b - trail));
        }
    };
    while i < chars.len() {
        let (bi, c) = chars[i];
        if c == '\n' {
            let line = &text[line_start..bi];
            let line_trim = line.trim_end();
            let blank_next = chars[i + 1..]
                .iter()
                .take_while(|&&(_, n)| n != '\n' && n.is_whitespace())
                .count();
            let next_is_nl = chars
                .get(i + 1 + blank_next)
                .is_some_and(|&(_, n)| n == '\n');
            // A hard-wrapped line goes on in lower case; a headline is followed by a
            // capital, a digit or Arabic.
            let next_char = chars[i + 1..]
                .iter()
                .map(|&(_, n)| n)
                .find(|n| !n.is_whitespace());
            let hard_wrapped = !line_trim.is_empty()
                && !line_trim.ends_with(['.', '!', '?', '؟', ':', '…', '"', '”'])
                && next_char.is_some_and(char::is_lowercase);
            if next_is_nl || !hard_wrapped {
                push(&mut out, sent_start, bi);
                sent_start = bi + 1;
            }
            line_start = bi + 1;
            i += 1;
            continue;
        }
        if matches!(c, '.' | '!' | '?' | '؟' | '…') {
            // Swallow closing quotes and brackets after the mark.
            let mut j = i + 1;
            while j < chars.len()
                && matches!(chars[j].1, '"' | '”' | '’' | '\'' | ')' | '»' | ']' | '.')
            {
                j += 1;
            }
            let at_end = j >= chars.len();
            let next_space = at_end || chars[j].1.is_whitespace();
            if next_space && (c != '.' || !abbreviation_before(text, bi)) {
                let end = chars.get(j).map_or(text.len(), |&(b, _)| b);
                // A lower-case continuation after '.' is not a new sentence.
                let next_word = chars[j..]
                    .iter()
                    .find(|&&(_, n)| !n.is_whitespace())
                    .map(|&(_, n)| n);
                if c == '.' && next_word.is_some_and(|n| n.is_lowercase()) {
                    i = j;
                    continue;
                }
                push(&mut out, sent_start, end);
                sent_start = end;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    push(&mut out, sent_start, text.len());
    out.into_iter()
        .flat_map(|(a, b)| split_long(text, a, b))
        .collect()
}

/// The longest sentence read as one, in bytes; longer runs (lists without full stops,
/// tables pasted as text) are cut at a comma or semicolon, else at a space.
const MAX_SENTENCE: usize = 2000;

fn split_long(text: &str, a: usize, b: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = a;
    while b - start > MAX_SENTENCE {
        let mut limit = start + MAX_SENTENCE;
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let window = &text[start..limit];
        let cut = window
            .rfind([',', ';', '،', '؛'])
            .map(|i| i + window[i..].chars().next().map_or(1, char::len_utf8))
            .or_else(|| window.rfind(char::is_whitespace))
            .filter(|&i| i > 0)
            .unwrap_or(window.len());
        let end = start + cut;
        let piece = text[start..end].trim();
        if !piece.is_empty() {
            let lead = text[start..end].len() - text[start..end].trim_start().len();
            out.push((start + lead, start + lead + piece.len()));
        }
        start = end;
        while start < b && text[start..].starts_with(char::is_whitespace) {
            start += text[start..].chars().next().map_or(1, char::len_utf8);
        }
    }
    if start < b {
        out.push((start, b));
    }
    out
}

fn abbreviation_before(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .filter(|c| *c != '.')
        .collect();
    if word.is_empty() {
        return false;
    }
    let single_initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    single_initial || ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

/// The prefixes an Arabic word may carry before its stem: conjunctions, prepositions, the article.
const AR_PREFIXES: &[&str] = &[
    "وبال", "وكال", "ولل", "فال", "وال", "بال", "كال", "لل", "ال", "وب", "ول", "وك", "فب", "فل",
    "و", "ف", "ب", "ل", "ك",
];

/// The word and the forms left by stripping one Arabic prefix (each at least two letters long).
pub(crate) fn ar_forms(w: &str) -> impl Iterator<Item = &str> {
    std::iter::once(w).chain(
        AR_PREFIXES
            .iter()
            .filter_map(move |p| w.strip_prefix(p).filter(|rest| rest.chars().count() >= 2)),
    )
}

/// Whether the (folded) word is one of `words` once an Arabic prefix is stripped.
pub(crate) fn ar_is(w: &str, words: &[&str]) -> bool {
    ar_forms(w).any(|f| words.contains(&f))
}

/// Whether the (folded) word starts with one of `stems` once an Arabic prefix is stripped.
pub(crate) fn ar_stem(w: &str, stems: &[&str]) -> bool {
    ar_forms(w).any(|f| stems.iter().any(|s| f.starts_with(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(s: &str) -> Vec<String> {
        tokenize(s, 0, s.len())
            .into_iter()
            .map(|t| t.norm)
            .collect()
    }

    #[test]
    fn digit_runs_keep_their_separators() {
        assert_eq!(norms("9,372 civilians"), ["9,372", "civilians"]);
        assert_eq!(norms("١٬٤٧٦ عائلة"), ["1٬476", "عائله"]);
        assert_eq!(norms("15 000 loaves"), ["15 000", "loaves"]);
        assert_eq!(norms("in 2025 100 people"), ["in", "2025", "100", "people"]);
        assert_eq!(norms("killed 973."), ["killed", "973", "."]);
        assert_eq!(norms("و800"), ["و", "800"]);
        assert_eq!(
            norms("1،476 عائلة، 12، 13"),
            ["1٬476", "عائله", ",", "12", ",", "13"]
        );
    }

    #[test]
    fn headlines_end_at_the_line_and_wrapped_lines_go_on() {
        let text = "Death toll in Syria's coastal violence climbs to 1,500, monitor says\nMore than 100 people remain\nmissing in the villages of the coast, according to the monitoring group\nin a statement.";
        let got: Vec<&str> = sentences(text)
            .into_iter()
            .map(|(a, b)| &text[a..b])
            .collect();
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[1].starts_with("More than 100 people remain\nmissing"));
        assert!(got[1].ends_with("according to the monitoring group\nin a statement."));
    }

    #[test]
    fn long_runs_are_cut_at_commas_then_spaces() {
        let list = "12 people killed in Latakia, ".repeat(300);
        let pieces = sentences(&list);
        assert!(pieces.len() > 1);
        assert!(
            pieces
                .iter()
                .all(|&(a, b)| b - a <= MAX_SENTENCE && list[a..b].ends_with(','))
        );
        let kept: usize = pieces
            .iter()
            .map(|&(a, b)| list[a..b].matches("12 people").count())
            .sum();
        assert_eq!(kept, 300);
        let words = "كلمة ".repeat(1000);
        assert!(
            sentences(&words)
                .iter()
                .all(|&(a, b)| b - a <= MAX_SENTENCE && words.is_char_boundary(a))
        );
    }

    #[test]
    fn sentences_split_at_marks_not_decimals_or_abbreviations() {
        let text = "The toll was 1.5 million. Dr. Ali said so! Next\nHeadline\n\nBody text.";
        let got: Vec<&str> = sentences(text)
            .into_iter()
            .map(|(a, b)| &text[a..b])
            .collect();
        assert_eq!(
            got,
            [
                "The toll was 1.5 million.",
                "Dr. Ali said so!",
                "Next",
                "Headline",
                "Body text."
            ]
        );
    }
}
