//! The gazetteer: known place names (each with its aliases in both scripts) that the
//! extractor looks for in a claim's sentence. A default list covers the coastal
//! governorates and the places their displaced reached; callers pass their own list
//! (one place a line: `Canonical name|alias|alias`, `#` starts a comment).

use crate::text::{Kind, Tok, ar_forms, tokenize};

/// One known place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    name: String,
    country: bool,
    aliases: Vec<Vec<String>>,
}

impl Place {
    /// The canonical name, reported in a claim's `place`.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A list of known places.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gazetteer {
    places: Vec<Place>,
}

/// Why a gazetteer list cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GazetteerError {
    /// A line names no place.
    #[error("line {line}: empty place name")]
    EmptyName {
        /// The 1-based line number.
        line: usize,
    },
}

/// The default list: the coastal governorates and their towns, Homs and Hama, and the
/// places in Lebanon where the displaced sheltered. Country names rank below towns.
const DEFAULT: &str = "\
Latakia|Lattakia|Latakiya|Ladhiqiyah|Al-Ladhiqiyah|اللاذقية
Tartous|Tartus|Tartoos|طرطوس
Jableh|Jabla|Jablah|Jebleh|جبلة
Baniyas|Banias|Banyas|بانياس
Qardaha|Al-Qardaha|Qardaha|القرداحة
Haffah|Al-Haffah|الحفة
Safita|صافيتا
Sheikh Badr|الشيخ بدر
Qadmus|Al-Qadmus|القدموس
Masyaf|Masyaf|Misyaf|مصياف
Mukhtariya|Al-Mukhtariya|Mukhtariyah|المختارية
Hmeimim|Hmeimim|Khmeimim|Humaymim|حميميم
Homs|حمص
Hama|حماة|حماه
Talkalakh|Tal Kalakh|Tell Kalakh|تلكلخ
Wadi al-Nasara|وادي النصارى
Akkar|عكار
Tripoli|طرابلس
Jabal Mohsen|Jabal Mohsen|Jabal Muhsin|جبل محسن
Hermel|الهرمل
Aleppo|حلب
Daraa|Deraa|Dara'a|درعا
Damascus|دمشق
Idlib|إدلب
!Syria|سوريا
!Lebanon|لبنان
";

fn alias_tokens(alias: &str) -> Vec<String> {
    tokenize(alias, 0, alias.len())
        .into_iter()
        .map(|t| t.norm)
        .collect()
}

impl Gazetteer {
    /// An empty list (no place is ever found).
    pub fn new() -> Gazetteer {
        Gazetteer::default()
    }

    /// The default list of the coastal places (see the module docs).
    pub fn coastal() -> Gazetteer {
        Gazetteer::parse(DEFAULT).unwrap_or_default()
    }

    /// Adds a place under its canonical name, found by that name and by each alias.
    pub fn add(&mut self, name: &str, aliases: &[&str]) {
        self.push(name, aliases, false);
    }

    fn push(&mut self, name: &str, aliases: &[&str], country: bool) {
        let mut all: Vec<Vec<String>> = std::iter::once(name)
            .chain(aliases.iter().copied())
            .map(alias_tokens)
            .filter(|a| !a.is_empty())
            .collect();
        all.dedup();
        self.places.push(Place {
            name: name.to_string(),
            country,
            aliases: all,
        });
    }

    /// Reads a list, one place a line: `Canonical name|alias|alias`. Blank lines and lines
    /// starting with `#` are skipped; a leading `!` marks a country, which ranks below towns.
    pub fn parse(list: &str) -> Result<Gazetteer, GazetteerError> {
        let mut g = Gazetteer::new();
        for (n, line) in list.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (country, line) = match line.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, line),
            };
            let mut parts = line.split('|').map(str::trim);
            let name = parts.next().unwrap_or("");
            if name.is_empty() {
                return Err(GazetteerError::EmptyName { line: n + 1 });
            }
            let aliases: Vec<&str> = parts.filter(|a| !a.is_empty()).collect();
            g.push(name, &aliases, country);
        }
        Ok(g)
    }

    /// The places in the list.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// Occurrences in a sentence: (first token, place index, is a country).
    pub(crate) fn find(&self, toks: &[Tok]) -> Vec<(usize, usize, bool)> {
        let mut out = Vec::new();
        for i in 0..toks.len() {
            if toks[i].kind != Kind::Word {
                continue;
            }
            for (p, place) in self.places.iter().enumerate() {
                if place.aliases.iter().any(|a| alias_at(toks, i, a)) {
                    out.push((i, p, place.country));
                    break;
                }
            }
        }
        out
    }
}

fn word_matches(tok: &Tok, alias: &str) -> bool {
    if tok.norm == alias {
        return true;
    }
    if !tok.arabic {
        return false;
    }
    // باللاذقية, واللاذقية, في جبلة: prefixes, and the article written or not.
    let bare = alias.strip_prefix("ال").unwrap_or(alias);
    ar_forms(&tok.norm).any(|f| f == alias || f == bare)
}

fn alias_at(toks: &[Tok], i: usize, alias: &[String]) -> bool {
    alias.iter().enumerate().all(|(k, a)| {
        toks.get(i + k).is_some_and(|t| {
            if k == 0 {
                word_matches(t, a)
            } else {
                t.norm == *a
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(g: &Gazetteer, s: &str) -> Vec<String> {
        let toks = tokenize(s, 0, s.len());
        g.find(&toks)
            .into_iter()
            .map(|(_, p, _)| g.places()[p].name().to_string())
            .collect()
    }

    #[test]
    fn finds_places_in_both_scripts_with_prefixes() {
        let g = Gazetteer::coastal();
        assert_eq!(
            names(&g, "in rural Latakia and Jabal Mohsen"),
            ["Latakia", "Jabal Mohsen"]
        );
        assert_eq!(
            names(&g, "في ريف اللاذقية وبانياس وفي جبلة"),
            ["Latakia", "Baniyas", "Jableh"]
        );
        assert_eq!(names(&g, "باللاذقية ولبنان"), ["Latakia", "Lebanon"]);
    }

    #[test]
    fn parse_reports_empty_names() {
        assert_eq!(
            Gazetteer::parse("# places\nA|a\n|b\n"),
            Err(GazetteerError::EmptyName { line: 3 })
        );
        let mut g = Gazetteer::new();
        g.add("Kessab", &["كسب"]);
        assert_eq!(names(&g, "قرب كسب"), ["Kessab"]);
    }
}
