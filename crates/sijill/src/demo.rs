//! The demo network: partner organizations of a coastal relief campaign, a civil-defence
//! service, two monitoring groups and one user per role. Every name here is invented.

use crate::cmd_admin::hash;
use crate::error::CliError;
use anyhow::Context;
use sijill_model::account::{NewOrganization, NewUser, OrgKind, PasswordHash, Role, Username};
use sijill_store::Store;

/// The setting that marks a database as seeded with the demo network.
pub const SEEDED: &str = "demo.seeded";

/// Organizations of the demo: Latin name, Arabic name, kind, network member.
const ORGS: &[(&str, &str, OrgKind, bool)] = &[
    (
        "Sahel Relief Association",
        "جمعية الساحل للإغاثة",
        OrgKind::Relief,
        true,
    ),
    (
        "Jableh Youth Initiative",
        "مبادرة شباب جبلة",
        OrgKind::Relief,
        true,
    ),
    (
        "Baniyas Family Aid",
        "عون الأسرة في بانياس",
        OrgKind::Relief,
        true,
    ),
    (
        "Tartous Solidarity Team",
        "فريق طرطوس للتضامن",
        OrgKind::Relief,
        true,
    ),
    (
        "Qardaha Community Kitchen",
        "مطبخ القرداحة المجتمعي",
        OrgKind::Relief,
        true,
    ),
    (
        "Green Mountain Volunteers",
        "متطوعو الجبل الأخضر",
        OrgKind::Relief,
        true,
    ),
    (
        "Homs Bridge Foundation",
        "مؤسسة جسر حمص",
        OrgKind::Relief,
        true,
    ),
    (
        "Hama Helping Hands",
        "أيادي حماة الخيرية",
        OrgKind::Relief,
        true,
    ),
    (
        "Coastal Civil Defence Teams",
        "فرق الدفاع المدني الساحلية",
        OrgKind::CivilDefence,
        true,
    ),
    (
        "Coast Rights Observatory",
        "مرصد الساحل للحقوق",
        OrgKind::Monitor,
        false,
    ),
    (
        "Victims Documentation Group",
        "مجموعة توثيق الضحايا",
        OrgKind::Monitor,
        false,
    ),
];

/// Demo users: username, display name, organization, role.
const USERS: &[(&str, &str, &str, Role)] = &[
    (
        "admin",
        "Network administrator",
        "Sahel Relief Association",
        Role::Admin,
    ),
    (
        "coordinator",
        "Lina (coordinator)",
        "Sahel Relief Association",
        Role::Coordinator,
    ),
    (
        "documenter",
        "Yara (documenter)",
        "Coast Rights Observatory",
        Role::Documenter,
    ),
    (
        "field",
        "Sami (field team)",
        "Jableh Youth Initiative",
        Role::Field,
    ),
    (
        "field2",
        "Rami (field team)",
        "Baniyas Family Aid",
        Role::Field,
    ),
    (
        "analyst",
        "Nour (analyst)",
        "Victims Documentation Group",
        Role::Analyst,
    ),
    (
        "viewer",
        "Hadi (viewer)",
        "Homs Bridge Foundation",
        Role::Viewer,
    ),
];

/// One demo login.
#[derive(Debug, Clone)]
pub struct Login {
    /// Login name.
    pub username: String,
    /// Its password.
    pub password: String,
    /// Its role.
    pub role: Role,
    /// Its organization.
    pub org: String,
}

/// Seeds the demo network into an empty database and returns the logins.
pub async fn seed(store: &Store) -> Result<Vec<Login>, CliError> {
    for &(name, name_ar, kind, member) in ORGS {
        store
            .create_org(&NewOrganization {
                name: name.to_string(),
                name_ar: Some(name_ar.to_string()),
                kind,
                network_member: member,
            })
            .await
            .with_context(|| format!("adding the demo organization {name}"))?;
    }
    let orgs = store.list_orgs().await.context("listing organizations")?;
    let mut logins = Vec::new();
    for &(username, display, org, role) in USERS {
        let org_id = orgs
            .iter()
            .find(|o| o.name == org)
            .map(|o| o.id)
            .context("a demo organization is missing")?;
        let password = sijill_server::auth::one_time_password();
        store
            .create_user(&NewUser {
                username: Username::parse(username).context("a demo username")?,
                display_name: display.to_string(),
                org_id,
                role,
                password_hash: PasswordHash::new(hash(&password)?),
                must_change_password: false,
            })
            .await
            .with_context(|| format!("adding the demo user {username}"))?;
        logins.push(Login {
            username: username.to_string(),
            password,
            role,
            org: org.to_string(),
        });
    }
    crate::demo_reconcile::seed(store).await?;
    crate::demo_respond::seed(store).await?;
    crate::demo_document::seed(store).await?;
    store
        .set_setting(SEEDED, "1")
        .await
        .context("marking the demo as seeded")?;
    Ok(logins)
}

/// Gives every demo user a fresh password (when the logins file was lost).
pub async fn reset_passwords(store: &Store) -> Result<Vec<Login>, CliError> {
    let mut logins = Vec::new();
    for &(username, _, org, role) in USERS {
        let name = Username::parse(username).context("a demo username")?;
        let Some((user, _)) = store
            .user_credentials(&name)
            .await
            .context("reading a demo user")?
        else {
            continue;
        };
        let password = sijill_server::auth::one_time_password();
        store
            .set_password_hash(user.id, &PasswordHash::new(hash(&password)?), false)
            .await
            .context("resetting a demo password")?;
        store
            .delete_user_sessions(user.id)
            .await
            .context("ending sessions")?;
        logins.push(Login {
            username: username.to_string(),
            password,
            role,
            org: org.to_string(),
        });
    }
    Ok(logins)
}

/// The logins as the text printed and written to the logins file.
pub fn render_logins(url: &str, logins: &[Login]) -> String {
    let mut out = format!(
        "sijill demo network — {url}\nThese are demo accounts on a local database; never use them for real data.\n\n{:<12} {:<20} {:<12} organization\n",
        "username", "password", "role"
    );
    for l in logins {
        out.push_str(&format!(
            "{:<12} {:<20} {:<12} {}\n",
            l.username,
            l.password,
            l.role.as_str(),
            l.org
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_a_demo_user_in_a_known_organization() {
        for role in Role::ALL {
            assert!(USERS.iter().any(|u| u.3 == role), "no demo user for {role}");
        }
        for u in USERS {
            assert!(
                ORGS.iter().any(|o| o.0 == u.2),
                "{} has no organization",
                u.0
            );
            assert!(Username::parse(u.0).is_ok());
        }
        let members = ORGS
            .iter()
            .filter(|o| o.2 == OrgKind::Relief && o.3)
            .count();
        assert_eq!(members, 8, "eight partner organizations of the campaign");
    }

    /// The whole demo seeds on a fresh database: besides every area's records, the
    /// first incident names victim records of the documenter's lists, and bodies of the
    /// reported grave are victim records of the civil-defence service.
    #[tokio::test]
    async fn the_demo_links_incidents_to_victims_and_bodies_to_records() {
        let db = sijill_testkit::sqlite_url();
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(db.url())
            .await
            .unwrap()
            .with_keyring(sijill_store::Keyring::generate())
            .await
            .unwrap();
        store
            .set_evidence_files(&sijill_store::document_evidence::EvidenceFiles::new(
                dir.path(),
            ))
            .await
            .unwrap();
        let logins = seed(&store).await.unwrap();
        assert_eq!(logins.len(), USERS.len());
        let monitor = store
            .org_by_name(crate::demo_reconcile::HOLDER)
            .await
            .unwrap()
            .unwrap();
        let incidents = store.list_incidents(&Default::default()).await.unwrap();
        let linked = {
            let mut n = 0;
            for i in &incidents {
                n += store
                    .incident_victims(i.id, monitor.id)
                    .await
                    .unwrap()
                    .own
                    .len();
            }
            n
        };
        assert!(linked > 0, "no demo incident names a victim record");
        let defence = store
            .org_by_name("Coastal Civil Defence Teams")
            .await
            .unwrap()
            .unwrap();
        let bodies = store.victim_records(defence.id, &[]).await.unwrap();
        assert_eq!(bodies.len(), 2, "two recovered bodies are victim records");
    }
}
