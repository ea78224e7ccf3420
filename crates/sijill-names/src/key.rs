//! The script-independent consonant key of a name token: `محمد`, `Mohammad` and `Mhd`
//! all meet at `MHMD`. See the crate docs for the letter classes.
//!
//! The key text drops vowels, so `محمد` and `محمود` (Mohammad and Mahmoud) share `MHMD`.
//! Each key letter therefore carries a vowel slot (what was written after it), and
//! [`Key::compatible`] says whether two spellings can be the same name: Arabic writes the
//! long vowels (`ا و ي`) and never the short ones; Latin writes both, and its digraphs
//! (`ou`, `oo`, `ee`, `ei`, `ai`, `aa` …) mark a long vowel. So `محمود` meets `Mahmoud` and
//! `Mahmud` but not `Mohammad`, and `حسن` meets `Hasan` but not `Hussein`.

const VA: u8 = 1;
const VI: u8 = 2;
const VU: u8 = 4;
const LONG: u8 = 8;
const ARABIC: u8 = 16;

/// The key of one token: consonant classes plus one vowel slot per key letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Key {
    text: String,
    slots: Vec<u8>,
}

impl Key {
    /// The consonant key, ASCII upper case (the blocking key).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True when the key has no letter (the token had none that the key knows).
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Whether two tokens can be spellings of one name: equal consonant keys and vowels
    /// that do not contradict each other (see the module docs).
    pub fn compatible(&self, other: &Key) -> bool {
        self.text == other.text
            && self
                .slots
                .iter()
                .zip(&other.slots)
                .all(|(&x, &y)| slot_compatible(x, y))
    }

    fn concat(mut self, other: Key) -> Key {
        self.text.push_str(&other.text);
        self.slots.extend(other.slots);
        self
    }

    /// Drops a final `H` (taa marbuta, Fatimah/Fatima) when two or more letters remain.
    fn finalize(mut self) -> Key {
        if self.text.len() > 2 && self.text.ends_with('H') {
            self.text.pop();
            self.slots.pop();
        }
        self
    }
}

/// Two vowel slots agree unless a written long vowel meets a different vowel, or meets
/// nothing in Arabic script (which writes every long vowel). Latin short vowels vary
/// freely between transliterations (Yousef / Yusuf) and never disagree with each other.
fn slot_compatible(x: u8, y: u8) -> bool {
    let (cx, cy) = (x & 7, y & 7);
    match (cx, cy) {
        (0, 0) => true,
        (0, _) => !(x & ARABIC != 0 && y & LONG != 0),
        (_, 0) => !(y & ARABIC != 0 && x & LONG != 0),
        _ if (x | y) & LONG == 0 => true,
        _ => cx & cy != 0,
    }
}

/// One sound of a token before the key is assembled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sym {
    /// A consonant class letter (`B`, `T`, `H` …) or a digit.
    C(u8),
    /// A vowel with its slot bits; `ع` is a vowel of any class.
    V(u8),
    /// `w`/`و`: a consonant at the start of a token, a long `u` elsewhere.
    W(u8),
    /// `y`/`ي`: a consonant at the start of a token, a long `i` elsewhere.
    Y(u8),
}

fn arabic_sym(c: char) -> Option<Sym> {
    use Sym::*;
    Some(match c {
        'ا' => V(VA | LONG | ARABIC),
        'ع' => V(VA | VI | VU | ARABIC),
        'ب' => C(b'B'),
        'ت' | 'ث' | 'ط' => C(b'T'),
        'ج' => C(b'J'),
        'ح' | 'خ' | 'ه' => C(b'H'),
        'د' | 'ض' => C(b'D'),
        'ذ' | 'ز' | 'ظ' => C(b'Z'),
        'ر' => C(b'R'),
        'س' | 'ص' => C(b'S'),
        'ش' => C(b'X'),
        'غ' | 'ق' | 'ك' => C(b'K'),
        'ف' => C(b'F'),
        'ل' => C(b'L'),
        'م' => C(b'M'),
        'ن' => C(b'N'),
        'و' => W(VU | LONG | ARABIC),
        'ي' => Y(VI | LONG | ARABIC),
        _ => return None,
    })
}

fn latin_vowel(c: char) -> u8 {
    match c {
        'a' => VA,
        'e' => VA | VI,
        'i' => VI,
        'o' => VU | VA,
        'u' => VU,
        _ => 0,
    }
}

/// The symbols of one folded word (no article or compound handling).
fn syms(word: &str) -> (Vec<Sym>, bool) {
    use Sym::*;
    let cs: Vec<char> = word.chars().collect();
    let arabic = cs.iter().any(|&c| crate::is_arabic_letter(c));
    let mut out = Vec::with_capacity(cs.len());
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        let next = cs.get(i + 1).copied();
        if let Some(s) = arabic_sym(c) {
            // A final ي may be an alef maqsura (مصطفى, عيسى) the fold turned into ي.
            let s = if c == 'ي' && i + 1 == cs.len() && i > 0 {
                V(VA | VI | LONG | ARABIC)
            } else {
                s
            };
            out.push(s);
            i += 1;
            continue;
        }
        let (sym, used): (Option<Sym>, usize) = match (c, next) {
            ('k', Some('h')) => (Some(C(b'H')), 2),
            ('s' | 'c', Some('h')) => (Some(C(b'X')), 2),
            ('t', Some('h')) => (Some(C(b'T')), 2),
            ('d' | 'z', Some('h')) => (Some(C(b'Z')), 2),
            ('g', Some('h')) => (Some(C(b'K')), 2),
            ('p', Some('h')) => (Some(C(b'F')), 2),
            ('d', Some('j')) => (Some(C(b'J')), 2),
            ('o', Some('u' | 'o')) => (Some(V(VU | LONG)), 2),
            ('e', Some('e' | 'i' | 'y')) | ('a', Some('i' | 'y')) | ('i', Some('i' | 'e')) => {
                (Some(V(VI | LONG)), 2)
            }
            ('a', Some('a')) => (Some(V(VA | LONG)), 2),
            ('a' | 'e' | 'i' | 'o' | 'u', _) => (Some(V(latin_vowel(c))), 1),
            ('y', _) => (Some(Y(VI)), 1),
            ('w', _) => (Some(W(VU)), 1),
            ('c' | 'q' | 'g' | 'k', _) => (Some(C(b'K')), 1),
            ('v' | 'f', _) => (Some(C(b'F')), 1),
            ('p' | 'b', _) => (Some(C(b'B')), 1),
            ('x', _) => {
                out.push(C(b'K'));
                (Some(C(b'S')), 1)
            }
            (c, _) if c.is_ascii_alphanumeric() => (Some(C(c.to_ascii_uppercase() as u8)), 1),
            _ => (None, 1),
        };
        if let Some(s) = sym {
            out.push(s);
        }
        i += used;
    }
    (out, arabic)
}

/// Assembles a key: doubled letters collapse, vowels go to the slot of the letter before
/// them, a leading vowel becomes `A`, a leading `w`/`y` is a consonant.
fn assemble(syms: &[Sym], arabic: bool) -> Key {
    let empty = if arabic { ARABIC } else { 0 };
    let mut key = Key::default();
    let mut prev_c: Option<u8> = None;
    for (i, &s) in syms.iter().enumerate() {
        let (letter, vowel) = match (i, s) {
            (0, Sym::V(_)) => (Some(b'A'), 0),
            (0, Sym::W(_)) => (Some(b'W'), 0),
            (0, Sym::Y(_)) => (Some(b'Y'), 0),
            (_, Sym::C(b)) => (Some(b), 0),
            (_, Sym::V(v) | Sym::W(v) | Sym::Y(v)) => (None, v),
        };
        match letter {
            Some(b) if prev_c == Some(b) && i > 0 => {}
            Some(b) => {
                key.text.push(char::from(b));
                key.slots.push(empty);
                prev_c = Some(b);
            }
            None => {
                if let Some(last) = key.slots.last_mut() {
                    *last |= vowel;
                }
                prev_c = None;
            }
        }
    }
    key
}

/// Drops the article at the start of what follows `Abd`: `ul`, `el`, `al`, `ال`, or the
/// vowel of an assimilated article before a doubled consonant (`urrahman`).
fn strip_inner_article(rest: &str) -> &str {
    if let Some(r) = rest.strip_prefix("ال") {
        return r;
    }
    let b = rest.as_bytes();
    let vowel = |x: u8| matches!(x, b'a' | b'e' | b'i' | b'o' | b'u');
    if b.len() > 2 && vowel(b[0]) && b[1] == b'l' {
        return &rest[2..];
    }
    if b.len() > 2 && vowel(b[0]) && b[1] == b[2] && b[1].is_ascii_alphabetic() {
        return &rest[1..];
    }
    rest
}

/// Suffixes that spell `al-Din` attached to the name before it (Nureddin, نورالدين).
const DIN_SUFFIXES: [&str; 12] = [
    "الدين",
    "eddine",
    "eddin",
    "uddin",
    "iddin",
    "addin",
    "aldin",
    "eldin",
    "uldin",
    "edine",
    "eddeen",
    "uddeen",
];

/// The key of `al-Din` as a compound's last part.
pub(crate) fn din_key() -> Key {
    Key {
        text: "DN".into(),
        slots: vec![0, 0],
    }
}

/// The key of `Abd` as a compound's first part.
pub(crate) fn abd_key() -> Key {
    Key {
        text: "ABD".into(),
        slots: vec![0, 0, 0],
    }
}

/// The key of one folded word with its `Abd`-prefix and `-din` suffix rules, before the
/// final `H` is dropped.
pub(crate) fn word_key(word: &str) -> Key {
    for suf in DIN_SUFFIXES {
        if let Some(pre) = word.strip_suffix(suf)
            && pre.chars().count() >= 2
        {
            return word_key(pre).concat(din_key());
        }
    }
    for abd in ["abd", "عبد"] {
        if let Some(rest) = word.strip_prefix(abd)
            && rest.chars().count() >= 2
        {
            return abd_key().concat(word_key(strip_inner_article(rest)));
        }
    }
    let (s, arabic) = syms(word);
    assemble(&s, arabic)
}

/// The key of a compound made of parts (already without articles), e.g. `["abd", "rahman"]`.
pub(crate) fn compound_key(parts: &[Key]) -> Key {
    parts
        .iter()
        .cloned()
        .fold(Key::default(), Key::concat)
        .finalize()
}

/// The consonant key of one name token (any script; folded or not).
///
/// Spaces inside `token` are ignored, so `key("abd rahman") == key("abdrahman")`; to
/// handle articles and compounds of a full name use [`crate::name_tokens`].
pub fn key(token: &str) -> Key {
    let folded = crate::fold(token);
    let joined: String = folded.split(' ').collect();
    word_key(&joined).finalize()
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn keys_meet_across_scripts() {
        for (a, b) in [
            ("محمد", "Mohammad"),
            ("محمد", "Muhammad"),
            ("محمد", "Mohamed"),
            ("محمود", "Mahmoud"),
            ("محمود", "Mahmud"),
            ("أحمد", "Ahmad"),
            ("حسن", "Hassan"),
            ("حسين", "Hussein"),
            ("يوسف", "Yousef"),
            ("يوسف", "Yusuf"),
            ("فاطمة", "Fatima"),
            ("فاطمة", "Fatmeh"),
            ("عبدالله", "Abdallah"),
            ("عبدالله", "Abdullah"),
            ("عبدالرحمن", "Abdulrahman"),
            ("عبدالرحمن", "Abdurrahman"),
            ("خالد", "Khaled"),
            ("خالد", "Khalid"),
            ("علي", "Ali"),
            ("علي", "Aly"),
            ("سعيد", "Saeed"),
            ("نورالدين", "Nureddin"),
        ] {
            let (ka, kb) = (key(a), key(b));
            assert!(ka.compatible(&kb), "{a} {ka:?} / {b} {kb:?}");
            assert!(kb.compatible(&ka), "{b} / {a}");
        }
    }

    #[test]
    fn keys_keep_different_names_apart() {
        for (a, b) in [
            ("أحمد", "حمد"),
            ("محمد", "محمود"),
            ("Mohammad", "محمود"),
            ("Mahmoud", "محمد"),
            ("Hussein", "حسن"),
            ("Hasan", "Hussein"),
            ("علي", "عمر"),
            ("سامي", "سالم"),
        ] {
            assert!(
                !key(a).compatible(&key(b)),
                "{a} {:?} / {b} {:?}",
                key(a),
                key(b)
            );
        }
    }
}
