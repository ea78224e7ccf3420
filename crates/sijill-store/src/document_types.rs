//! The vocabulary of field documentation: date precision, ACLED event and sub-event
//! types, the violation categories of the UN Commission of Inquiry on Syria, custody
//! events, consent scopes, rescue mission kinds and displacement site kinds, plus the
//! calendar-date newtype used by incidents, testimonies and reports.
//!
//! Every kind is stored as its stable kebab-case text (`as_str`) and parsed back with
//! `FromStr`; an unknown text from a form is [`StoreError::Invalid`].

use crate::error::StoreError;
use std::fmt;
use std::str::FromStr;

/// Declares a closed set of kinds with stable texts and English labels.
macro_rules! kinds {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal, $label:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        pub enum $name { $($(#[$vm])* $v,)+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$v,)+];

            /// The stable text stored and used in forms and exports.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$v => $s,)+ }
            }

            /// The English label (the server's catalogue has the Arabic one under
            /// the same text).
            pub const fn label(self) -> &'static str {
                match self { $($name::$v => $label,)+ }
            }
        }

        impl FromStr for $name {
            type Err = StoreError;
            fn from_str(s: &str) -> Result<Self, StoreError> {
                match s.trim() {
                    $($s => Ok($name::$v),)+
                    _ => Err(StoreError::Invalid(format!(
                        concat!("unknown ", stringify!($name), " {:?}"),
                        s.chars().take(40).collect::<String>()
                    ))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

kinds! {
    /// How exactly an incident's date is known.
    DatePrecision {
        /// The day is known.
        Day = "day", "exact day";
        /// Only the month is known (the date is the first of the month).
        Month = "month", "month only";
        /// An estimate, a few days either side.
        Approximate = "approximate", "approximate";
    }
}

kinds! {
    /// ACLED event types.
    EventType {
        /// Battles.
        Battles = "battles", "Battles";
        /// Explosions/Remote violence.
        Explosions = "explosions-remote-violence", "Explosions/Remote violence";
        /// Violence against civilians.
        ViolenceAgainstCivilians = "violence-against-civilians", "Violence against civilians";
        /// Protests.
        Protests = "protests", "Protests";
        /// Riots.
        Riots = "riots", "Riots";
        /// Strategic developments.
        StrategicDevelopments = "strategic-developments", "Strategic developments";
    }
}

kinds! {
    /// ACLED sub-event types; each belongs to one [`EventType`] ([`SubEventType::event_type`]).
    SubEventType {
        /// Battles: armed clash.
        ArmedClash = "armed-clash", "Armed clash";
        /// Battles: government regains territory.
        GovernmentRegainsTerritory = "government-regains-territory", "Government regains territory";
        /// Battles: non-state actor overtakes territory.
        NonStateOvertakesTerritory = "non-state-actor-overtakes-territory", "Non-state actor overtakes territory";
        /// Explosions: air/drone strike.
        AirDroneStrike = "air-drone-strike", "Air/drone strike";
        /// Explosions: shelling/artillery/missile attack.
        Shelling = "shelling-artillery-missile-attack", "Shelling/artillery/missile attack";
        /// Explosions: remote explosive/landmine/IED.
        RemoteExplosive = "remote-explosive-landmine-ied", "Remote explosive/landmine/IED";
        /// Violence against civilians: attack.
        Attack = "attack", "Attack";
        /// Violence against civilians: abduction/forced disappearance.
        Abduction = "abduction-forced-disappearance", "Abduction/forced disappearance";
        /// Violence against civilians: sexual violence.
        SexualViolence = "sexual-violence", "Sexual violence";
        /// Protests: peaceful protest.
        PeacefulProtest = "peaceful-protest", "Peaceful protest";
        /// Riots: mob violence.
        MobViolence = "mob-violence", "Mob violence";
        /// Strategic developments: looting/property destruction.
        Looting = "looting-property-destruction", "Looting/property destruction";
        /// Strategic developments: arrests.
        Arrests = "arrests", "Arrests";
        /// Strategic developments: other.
        Other = "other", "Other";
    }
}

impl SubEventType {
    /// The event type this sub-event type belongs to.
    pub const fn event_type(self) -> EventType {
        use SubEventType as S;
        match self {
            S::ArmedClash | S::GovernmentRegainsTerritory | S::NonStateOvertakesTerritory => {
                EventType::Battles
            }
            S::AirDroneStrike | S::Shelling | S::RemoteExplosive => EventType::Explosions,
            S::Attack | S::Abduction | S::SexualViolence => EventType::ViolenceAgainstCivilians,
            S::PeacefulProtest => EventType::Protests,
            S::MobViolence => EventType::Riots,
            S::Looting | S::Arrests | S::Other => EventType::StrategicDevelopments,
        }
    }
}

kinds! {
    /// Violation categories used by the UN Commission of Inquiry on the Syrian Arab
    /// Republic in its reports.
    Violation {
        /// Unlawful killing, including summary execution.
        UnlawfulKilling = "unlawful-killing", "Unlawful killing";
        /// Torture and ill-treatment.
        Torture = "torture", "Torture and ill-treatment";
        /// Arbitrary detention.
        ArbitraryDetention = "arbitrary-detention", "Arbitrary detention";
        /// Enforced disappearance.
        EnforcedDisappearance = "enforced-disappearance", "Enforced disappearance";
        /// Sexual and gender-based violence.
        SexualViolence = "sexual-gender-based-violence", "Sexual and gender-based violence";
        /// Attacks on civilians and civilian objects.
        AttackOnCivilians = "attack-on-civilians", "Attack on civilians or civilian objects";
        /// Attacks on medical personnel and facilities.
        AttackOnMedical = "attack-on-medical", "Attack on medical personnel or facilities";
        /// Pillage and destruction of property.
        Pillage = "pillage-destruction", "Pillage and destruction of property";
        /// Forced displacement.
        ForcedDisplacement = "forced-displacement", "Forced displacement";
        /// Hostage-taking.
        HostageTaking = "hostage-taking", "Hostage-taking";
        /// Denial of humanitarian access.
        DenialOfAid = "denial-of-humanitarian-access", "Denial of humanitarian access";
        /// Not yet categorized.
        Uncategorized = "uncategorized", "Not yet categorized";
    }
}

kinds! {
    /// What happened to a piece of evidence, in its custody log.
    CustodyEvent {
        /// The file was captured and stored.
        Captured = "captured", "captured";
        /// Someone opened it.
        Viewed = "viewed", "viewed";
        /// It was handed to another person or organization.
        Transferred = "transferred", "transferred";
        /// It was written into an export package.
        Exported = "exported", "exported";
        /// Its stored file was re-hashed and matched.
        Verified = "verified", "verified";
    }
}

kinds! {
    /// What a witness agreed their testimony may be used for.
    ConsentScope {
        /// Only inside the recording organization.
        Internal = "internal", "internal use only";
        /// May be given to investigators (UN, human-rights organizations).
        Investigators = "investigators", "investigators";
        /// May be published once anonymised.
        PublicAnonymised = "public-anonymised", "public, anonymised";
    }
}

kinds! {
    /// The kind of a civil-defence mission.
    MissionKind {
        /// Search and rescue of the living.
        SearchRescue = "search-rescue", "search and rescue";
        /// Recovery of bodies.
        BodyRecovery = "body-recovery", "body recovery";
        /// Evacuation.
        Evacuation = "evacuation", "evacuation";
        /// Fire fighting.
        Fire = "fire", "fire";
        /// Anything else.
        Other = "other", "other";
    }
}

kinds! {
    /// The kind of a displacement site.
    SiteKind {
        /// An air base (e.g. Hmeimim).
        AirBase = "air-base", "air base";
        /// Woods or forest.
        Forest = "forest", "forest";
        /// Families hosted by a community.
        HostCommunity = "host-community", "host community";
        /// A collective shelter (school, hall).
        CollectiveShelter = "collective-shelter", "collective shelter";
        /// Across the border (Lebanon).
        CrossBorder = "cross-border", "cross-border";
    }
}

/// A calendar date `YYYY-MM-DD` (validated: a real day of a real month).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(time::Date);

impl Day {
    /// Parses `YYYY-MM-DD` (Arabic-Indic digits accepted).
    pub fn parse(s: &str) -> Result<Day, StoreError> {
        let ascii: String = s
            .trim()
            .chars()
            .map(|c| match c {
                '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
                '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
                c => c,
            })
            .collect();
        let format = time::macros::format_description!("[year]-[month]-[day]");
        time::Date::parse(&ascii, format)
            .map(Day)
            .map_err(|_| StoreError::Invalid("a date must be YYYY-MM-DD".into()))
    }

    /// The date.
    pub fn date(self) -> time::Date {
        self.0
    }

    /// `YYYY-MM-DD`.
    pub fn to_text(self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.0.year(),
            u8::from(self.0.month()),
            self.0.day()
        )
    }
}

impl From<time::Date> for Day {
    fn from(d: time::Date) -> Self {
        Day(d)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

impl serde::Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_text())
    }
}

/// Who does a write: the signed-in user (none for the system) and the organization
/// they act for. Store methods that read personal data take the organization too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// The user.
    pub user: Option<sijill_model::account::UserId>,
    /// Their organization.
    pub org: sijill_model::account::OrgId,
}

/// Trims a required text field and bounds its length.
pub(crate) fn required(s: &str, what: &str, max: usize) -> Result<String, StoreError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(StoreError::Invalid(format!("the {what} is empty")));
    }
    optional_text(s, what, max)
}

/// Trims an optional text field (may be empty) and bounds its length.
pub(crate) fn optional_text(s: &str, what: &str, max: usize) -> Result<String, StoreError> {
    let s = s.trim();
    if s.chars().count() > max {
        return Err(StoreError::Invalid(format!(
            "the {what} is longer than {max} characters"
        )));
    }
    Ok(s.to_owned())
}

/// The compiled-in gazetteer, built once.
pub(crate) fn builtin_gazetteer() -> &'static sijill_model::geo::Gazetteer {
    static GAZ: std::sync::LazyLock<sijill_model::geo::Gazetteer> =
        std::sync::LazyLock::new(sijill_model::geo::Gazetteer::builtin);
    &GAZ
}

/// Checks that an area code is one the built-in gazetteer or the imported areas know.
pub(crate) async fn known_area(store: &crate::Store, code: &str) -> Result<String, StoreError> {
    let code = code.trim();
    if builtin_gazetteer().get_str(code).is_some()
        || store
            .imported_areas()
            .await?
            .iter()
            .any(|a| a.pcode.as_str() == code)
    {
        return Ok(code.to_owned());
    }
    Err(StoreError::Invalid(format!(
        "unknown area code {:?}",
        code.chars().take(20).collect::<String>()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for k in SubEventType::ALL {
            assert_eq!(k.as_str().parse::<SubEventType>().unwrap(), *k);
        }
        for k in Violation::ALL {
            assert_eq!(k.as_str().parse::<Violation>().unwrap(), *k);
        }
        assert!("sect".parse::<Violation>().is_err());
        assert_eq!(
            SubEventType::Abduction.event_type(),
            EventType::ViolenceAgainstCivilians
        );
    }

    #[test]
    fn days_parse_in_both_digit_sets() {
        assert_eq!(Day::parse("2025-03-07").unwrap().to_text(), "2025-03-07");
        assert_eq!(Day::parse("٢٠٢٥-٠٣-٠٧").unwrap().to_text(), "2025-03-07");
        assert!(Day::parse("2025-02-30").is_err());
        assert!(Day::parse("07/03/2025").is_err());
    }
}
