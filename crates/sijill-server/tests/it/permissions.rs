//! The permission walk: every route of the web interface and the API, found by reading
//! the `.route(` calls of the server's source, must have an entry in the permission
//! matrix (`sijill_server::permissions`), and is then sent by every role of two
//! organizations and by an anonymous caller. Each answer must be what the matrix says:
//! allowed → the handler answers (2xx/3xx, or for a POST a refusal of the content);
//! forbidden → 403 (404 for another organization's record), or the sign-in page for
//! anonymous callers. No answer to one organization may carry a personal value of the
//! other (names, contacts, testimony text), and no answer to an anonymous caller any.

use crate::support::{Browser, Page, field_value};
use reqwest::StatusCode;
use sijill_model::account::{
    NewOrganization, NewUser, OrgId, OrgKind, PasswordHash, Role, User, Username,
};
use sijill_model::geo::PCode;
use sijill_server::permissions::{self, Rule, Scope};
use sijill_server::{ServerConfig, auth};
use sijill_store::Actor as ListActor;
use sijill_store::document_evidence::{EvidenceFiles, NewEvidence};
use sijill_store::document_field::{NewRescueMission, NewSite, NewSiteReport};
use sijill_store::document_incident::{IncidentSource, NewIncident};
use sijill_store::document_testimony::NewTestimony;
use sijill_store::document_types::{Actor, ConsentScope, Day, MissionKind, SiteKind};
use sijill_store::reconcile_claims::{ClaimFields, ClaimStatus, NewDocument};
use sijill_store::reconcile_lists::{NewVictimList, Personal, VictimRow};
use sijill_store::{
    Dialogue, Identity, Modality, NewCashTransfer, NewDistribution, NewHousehold, NewVolunteer,
    Participants, Store,
};
use std::path::Path;

pub const PASSWORD: &str = "walk password 2026";

/// A routed method and path pattern, as written in the source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Routed {
    pub method: String,
    pub path: String,
}

/// Paths routed through a constant instead of a literal.
const NAMED_PATHS: &[(&str, &str)] = &[("security::STYLESHEET_PATH", "/static/sijill.css")];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("source directory").flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The text of a call's arguments: from just after `(` to its matching `)`.
fn call_args(s: &str) -> &str {
    let mut depth = 1usize;
    let mut in_str = false;
    let mut prev = ' ';
    for (i, c) in s.char_indices() {
        match c {
            '"' if prev != '\\' => in_str = !in_str,
            '(' if !in_str => depth += 1,
            ')' if !in_str => {
                depth -= 1;
                if depth == 0 {
                    return &s[..i];
                }
            }
            _ => {}
        }
        prev = c;
    }
    s
}

/// Every route of the server, read from the `.route(` calls of its source files (API
/// modules `api.rs` and `api_*.rs` are nested under `/api/v1`).
pub fn routed() -> Vec<Routed> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut out = Vec::new();
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let in_api =
            file.parent() == Some(src.as_path()) && (name == "api.rs" || name.starts_with("api_"));
        let text = std::fs::read_to_string(&file).expect("a source file");
        let code: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for piece in code.split(".route(").skip(1) {
            let args = call_args(piece);
            let first = args.trim_start();
            let path = if let Some(lit) = first.strip_prefix('"') {
                lit.split('"').next().unwrap().to_owned()
            } else {
                let ident = first.split(',').next().unwrap().trim();
                NAMED_PATHS
                    .iter()
                    .find(|(n, _)| *n == ident)
                    .unwrap_or_else(|| {
                        panic!(
                            "{}: route path `{ident}` is neither a literal nor in NAMED_PATHS",
                            file.display()
                        )
                    })
                    .1
                    .to_owned()
            };
            let path = if in_api {
                format!("/api/v1{path}")
            } else {
                path
            };
            let mut found = false;
            for method in ["get", "post", "put", "patch", "delete"] {
                let call = format!("{method}(");
                let hit = args.match_indices(&call).any(|(i, _)| {
                    i == 0 || !args[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                });
                if hit {
                    found = true;
                    out.push(Routed {
                        method: method.to_uppercase(),
                        path: path.clone(),
                    });
                }
            }
            assert!(found, "{}: no method in .route({args})", file.display());
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn every_route_has_a_matrix_entry_and_every_entry_a_route() {
    let routes = routed();
    assert!(routes.len() >= 60, "too few routes found: {routes:?}");
    let missing: Vec<String> = routes
        .iter()
        .filter(|r| permissions::rule(&r.method, &r.path).is_none())
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without an entry in the permission matrix \
         (crates/sijill-server/src/permissions.rs): {missing:#?}"
    );
    let stale: Vec<String> = permissions::MATRIX
        .iter()
        .filter(|rule| {
            !routes
                .iter()
                .any(|r| r.method == rule.method && r.path == rule.path)
        })
        .map(|rule| format!("{} {}", rule.method, rule.path))
        .collect();
    assert!(
        stale.is_empty(),
        "in the permission matrix but not routed: {stale:#?}"
    );
}

/// What one organization holds, and the personal values that must stay inside it.
pub struct Seed {
    pub org: OrgId,
    pub users: Vec<(Role, User)>,
    /// An API token per user, in the order of `users`.
    pub tokens: Vec<String>,
    /// Values of records (names, contacts, testimony text): never shown to another
    /// organization.
    pub personal: Vec<String>,
    /// Account display names: shown only on instance-wide administration pages.
    pub accounts: Vec<String>,
    pub household: uuid::Uuid,
    pub distribution: uuid::Uuid,
    pub incident: uuid::Uuid,
    pub evidence: uuid::Uuid,
    pub evidence_sha: String,
    pub testimony: uuid::Uuid,
    pub rescue: uuid::Uuid,
    pub volunteer: uuid::Uuid,
    pub cash: uuid::Uuid,
    pub dialogue: uuid::Uuid,
    pub report: uuid::Uuid,
    pub run: uuid::Uuid,
    pub claim: uuid::Uuid,
    pub target_user: User,
    pub token: String,
}

pub async fn seed(store: &Store, files: &EvidenceFiles, tag: &str) -> Seed {
    let org = store
        .create_org(&NewOrganization {
            name: format!("Walk org {tag}"),
            name_ar: None,
            kind: OrgKind::Relief,
            network_member: true,
        })
        .await
        .unwrap();
    let hash = PasswordHash::new(auth::hash_password(PASSWORD).unwrap());
    let mut users = Vec::new();
    let mut tokens = Vec::new();
    let mut accounts = Vec::new();
    for role in Role::ALL {
        let display = format!("Account {tag} {role} Qadri");
        let u = store
            .create_user(&NewUser {
                username: Username::parse(&format!("walk-{tag}-{role}")).unwrap(),
                display_name: display.clone(),
                org_id: org.id,
                role,
                password_hash: hash.clone(),
                must_change_password: false,
            })
            .await
            .unwrap();
        accounts.push(display);
        let token = format!("sjl_walk_{tag}_{role}");
        store
            .create_api_token(u.id, "walk", &auth::token_hash(&token))
            .await
            .unwrap();
        tokens.push(token);
        users.push((role, u));
    }
    let target_user = store
        .create_user(&NewUser {
            username: Username::parse(&format!("walk-{tag}-target")).unwrap(),
            display_name: format!("Target {tag} Barakat"),
            org_id: org.id,
            role: Role::Viewer,
            password_hash: hash.clone(),
            must_change_password: false,
        })
        .await
        .unwrap();
    accounts.push(target_user.display_name.clone());
    let token = store
        .create_api_token(
            target_user.id,
            "walk",
            &auth::token_hash(&format!("sjl_walk_token_{tag}")),
        )
        .await
        .unwrap()
        .to_string();
    let by = Actor {
        user: Some(users[0].1.id),
        org: org.id,
    };
    let lby = ListActor {
        user: Some(users[0].1.id),
        org: org.id,
    };
    let pcode = PCode::parse("SY0602").unwrap();
    let head = format!("Nawal {tag}hmad Khairbek");
    let contact = format!(
        "+963 944 {} 2{}1",
        if tag == "a" { "117" } else { "229" },
        tag.len()
    );
    let household = store
        .register_household(
            by.user,
            org.id,
            &NewHousehold {
                identity: Identity {
                    name: head.clone(),
                    father_name: format!("Yasin {tag}"),
                    birth_year: Some(1979),
                    locality: "SY0602".into(),
                },
                contact: Some(contact.clone()),
                pcode: pcode.clone(),
                size: 5,
                females: 3,
                males: 2,
                children: 2,
                elderly: 0,
                vulnerability: Vec::new(),
                import_key: None,
            },
        )
        .await
        .unwrap();
    // The same family registered by both partners: a duplicate alert, found through a
    // keyed hash, which shows neither partner the other's names.
    let shared = Identity {
        name: "Shared Family Head".into(),
        father_name: "Shared Father".into(),
        birth_year: Some(1960),
        locality: "SY0602".into(),
    };
    store
        .register_household(
            by.user,
            org.id,
            &NewHousehold {
                identity: shared,
                contact: None,
                pcode: pcode.clone(),
                size: 3,
                females: 1,
                males: 2,
                children: 1,
                elderly: 1,
                vulnerability: Vec::new(),
                import_key: None,
            },
        )
        .await
        .unwrap();
    let cash = store
        .create_cash_transfer(
            by.user,
            org.id,
            &NewCashTransfer {
                household,
                campaign: None,
                amount: 50_000,
                currency: "SYP".into(),
                paid_on: time::macros::date!(2025 - 03 - 12),
                modality: Modality::CashInHand,
                allow_repeat: true,
            },
        )
        .await
        .unwrap()
        .id;
    let volunteer = format!("Volunteer {tag} Hanna Sleiman");
    let volunteer_id = store
        .create_volunteer(
            org.id,
            &NewVolunteer {
                campaign: None,
                name: volunteer.clone(),
                pcode: pcode.clone(),
                skills: vec!["first aid".into()],
                days_active: 3,
            },
        )
        .await
        .unwrap();
    let dialogue = store
        .create_dialogue(
            org.id,
            &Dialogue {
                id: uuid::Uuid::nil(),
                org: org.id,
                campaign: None,
                held_on: time::macros::date!(2025 - 03 - 11),
                pcode: "SY0602".into(),
                facilitators: String::new(),
                participants: Participants {
                    dignitaries: 2,
                    residents: 10,
                    activists: 0,
                    youth: 0,
                    women: 3,
                },
                topics: format!("Topics {tag}"),
                outcomes: String::new(),
                follow_ups: String::new(),
            },
        )
        .await
        .unwrap();
    let site = store
        .create_site(
            &NewSite {
                name: format!("Site {tag}"),
                name_ar: None,
                kind: SiteKind::AirBase,
                area: "SY0602".into(),
            },
            by,
        )
        .await
        .unwrap();
    let report = store
        .add_site_report(
            &NewSiteReport {
                site_id: site.id,
                as_of: Day::parse("2025-03-10").unwrap(),
                families: Some(10),
                individuals: None,
                origins: Vec::new(),
                needs: String::new(),
                source: format!("Source {tag}"),
            },
            by,
        )
        .await
        .unwrap()
        .id;
    let item = store.list_items().await.unwrap()[0].id;
    let distribution = store
        .create_distribution(
            by.user,
            org.id,
            &NewDistribution {
                campaign: None,
                on: time::macros::date!(2025 - 03 - 12),
                pcode: pcode.clone(),
                site: None,
                item,
                quantity: 40,
                households: 40,
                individuals: 180,
                import_key: None,
            },
        )
        .await
        .unwrap()
        .id;
    let testimony = format!("Testimony {tag}: at dawn the men at the checkpoint took my brother");
    let interviewer = format!("Interviewer {tag} Lina Mahfouz");
    let testimony_id = store
        .create_testimony(
            &NewTestimony {
                incident_id: None,
                consent: ConsentScope::Investigators,
                interviewer: interviewer.clone(),
                interviewed_on: Day::parse("2025-03-10").unwrap(),
                content: testimony.clone(),
            },
            by,
        )
        .await
        .unwrap()
        .id;
    let rescue = store
        .create_rescue_mission(
            &NewRescueMission {
                team: format!("Team {tag}"),
                started_at: time::OffsetDateTime::now_utc(),
                area: "SY0602".into(),
                place: String::new(),
                kind: MissionKind::BodyRecovery,
                rescued_alive: 0,
                bodies_recovered: 1,
                remarks: String::new(),
                handed_over_to: String::new(),
            },
            by,
        )
        .await
        .unwrap()
        .id;
    let victim = format!("Victim {tag} Jaber Ismandar");
    store
        .import_victim_list(
            lby,
            &NewVictimList {
                source: format!("List {tag}"),
                file_name: format!("list-{tag}.csv"),
                raw: format!("record_id,full_name\n1,{victim}\n").into_bytes(),
                mapping: serde_json::json!({"record_id": "record_key", "full_name": "full_name"}),
                dropped: Vec::new(),
                rows: vec![VictimRow {
                    record_key: "1".into(),
                    personal: Personal {
                        full_name: Some(victim.clone()),
                        ..Personal::default()
                    },
                    sex: Some("m".into()),
                    age: Some(34),
                    birth_year: None,
                    date_of_death: Some("2025-03-07".into()),
                    governorate: Some("SY06".into()),
                    status: "civilian".into(),
                }],
            },
        )
        .await
        .unwrap();
    let run = store
        .start_linkage_run(lby, &serde_json::json!({}))
        .await
        .unwrap()
        .id;
    let incident = store
        .create_incident(
            &NewIncident {
                occurred_on: Day::parse("2025-03-07").unwrap(),
                precision: "day".parse().unwrap(),
                area: "SY0602".into(),
                place: format!("Village {tag}"),
                sub_event_type: "attack".parse().unwrap(),
                summary: format!("Incident summary {tag}"),
                sources: vec![IncidentSource {
                    source: format!("Monitor {tag}"),
                    url: None,
                    perpetrator: String::new(),
                    target: String::new(),
                    claim: String::new(),
                }],
            },
            by,
        )
        .await
        .unwrap()
        .id;
    let evidence = store
        .add_evidence(
            files,
            &NewEvidence {
                incident_id: Some(incident),
                original_name: format!("clip-{tag}.txt"),
                media_type: "text/plain".into(),
                origin_url: None,
                captured_at: time::OffsetDateTime::now_utc(),
                capture_tool: "walk".into(),
                captured_by: format!("Capturer {tag}"),
                violation: "unlawful-killing".parse().unwrap(),
                description: format!("Evidence {tag}"),
            },
            format!("evidence bytes {tag}").into_bytes(),
            by,
        )
        .await
        .unwrap();
    let source = store
        .ensure_claim_source(lby, &format!("Claimant {tag}"), "monitor")
        .await
        .unwrap();
    let (doc, _) = store
        .add_claim_document(
            lby,
            &NewDocument {
                source_id: source.id,
                title: format!("Report {tag}"),
                url: None,
                published_on: None,
                lang: "en".into(),
                body: format!("Over 700 civilians were killed, report {tag} says."),
            },
        )
        .await
        .unwrap();
    let claim = store
        .add_claims(
            lby,
            doc.id,
            &[ClaimFields {
                value: Some(700.0),
                low: None,
                high: None,
                qualifier: Some("over".into()),
                measure: "killed".into(),
                scope_pcode: None,
                period_from: None,
                period_to: None,
                as_of: None,
                claimant: None,
                quote: "Over 700 civilians were killed".into(),
                status: ClaimStatus::Unverified,
            }],
        )
        .await
        .unwrap()[0];
    Seed {
        org: org.id,
        users,
        tokens,
        personal: vec![head, contact, volunteer, testimony, interviewer, victim],
        accounts,
        household,
        distribution,
        incident,
        evidence: evidence.id,
        evidence_sha: evidence.sha256,
        testimony: testimony_id,
        rescue,
        volunteer: volunteer_id,
        cash,
        dialogue,
        report,
        run,
        claim,
        target_user,
        token,
    }
}

/// The concrete path for a pattern, with the ids of organization A's records.
fn concrete(pattern: &str, a: &Seed) -> String {
    // API routes name the same records as the pages under the same paths.
    let path = pattern.strip_prefix("/api/v1").unwrap_or(pattern);
    let id = if path.starts_with("/admin/users/") {
        a.target_user.id.to_string()
    } else if path.starts_with("/document/incidents/") {
        a.incident.to_string()
    } else if path.starts_with("/document/evidence/") {
        a.evidence.to_string()
    } else if path.starts_with("/respond/households/") {
        a.household.to_string()
    } else if path.starts_with("/respond/distributions/") {
        a.distribution.to_string()
    } else if path.starts_with("/reconcile/runs/") {
        a.run.to_string()
    } else if path.starts_with("/reconcile/claims/") {
        a.claim.to_string()
    } else if path.starts_with("/respond/cash/") {
        a.cash.to_string()
    } else if path.starts_with("/respond/volunteers/") {
        a.volunteer.to_string()
    } else if path.starts_with("/respond/dialogue/") {
        a.dialogue.to_string()
    } else if path.starts_with("/document/displacement/reports/") {
        a.report.to_string()
    } else if path.starts_with("/document/rescue/") {
        a.rescue.to_string()
    } else if path.starts_with("/document/testimonies/") {
        a.testimony.to_string()
    } else if path.starts_with("/sync/conflicts/") || path.starts_with("/sync/jobs/") {
        // No conflict exists: the answer must still be a refusal, never a write.
        uuid::Uuid::nil().to_string()
    } else {
        String::new()
    };
    let p = pattern
        .replace("{id}", &id)
        .replace("{token}", &a.token)
        .replace("{sha256}", &a.evidence_sha)
        .replace("{code}", "ar")
        .replace("{pcode}", "SY02");
    assert!(
        !p.contains('{') && !p.contains("//"),
        "the permission walk has no sample for {pattern}: add one in tests/it/permissions.rs"
    );
    p
}

/// Whether a path names one record (its answer depends on whose record it is).
fn names_a_record(path: &str) -> bool {
    (path.contains("{id}") || path.contains("{sha256}")) && !path.starts_with("/admin/")
}

/// Routes whose POST body is multipart (a file upload).
const MULTIPART: &[&str] = &["/document/incidents/{id}/evidence", "/respond/import"];

/// One signed-in (or anonymous) caller of the walk.
pub struct Caller {
    pub label: String,
    pub role: Option<Role>,
    /// Whether the caller belongs to organization A (whose ids the paths carry).
    pub own: bool,
    pub web: Browser,
    pub csrf: String,
    /// `Bearer …` for the API, empty for anonymous callers.
    pub bearer: String,
}

pub async fn sign_in(
    base: &str,
    user: Option<(&User, &str)>,
    role: Option<Role>,
    own: bool,
) -> Caller {
    let mut web = Browser::new(base.to_owned());
    let mut csrf = String::new();
    let mut bearer = String::new();
    if let Some((u, token)) = user {
        bearer = format!("Bearer {token}");
        let login = web.login(u.username.as_str(), PASSWORD).await;
        assert_eq!(
            login.status,
            StatusCode::SEE_OTHER,
            "{}",
            u.username.as_str()
        );
        let dash = web.get("/dashboard").await;
        csrf = field_value(&dash.body, "csrf").expect("a CSRF token on the dashboard");
    }
    Caller {
        label: user.map_or("anonymous".into(), |(u, _)| u.username.as_str().to_owned()),
        role,
        own,
        web,
        csrf,
        bearer,
    }
}

async fn send(c: &mut Caller, method: &str, pattern: &str, path: &str, a: &Seed, b: &Seed) -> Page {
    // Scripts reach the API with a bearer token (some routes accept nothing else).
    let api = path.starts_with("/api/");
    if api && !c.bearer.is_empty() {
        let auth = [("authorization", c.bearer.as_str())];
        return if method == "GET" {
            c.web.get_with(path, &auth).await
        } else {
            c.web
                .post_typed_with(path, "application/json", b"{}".to_vec(), &auth)
                .await
        };
    }
    if method == "GET" {
        return c.web.get(path).await;
    }
    if api {
        return c
            .web
            .post_typed(path, "application/json", b"{}".to_vec())
            .await;
    }
    if MULTIPART.contains(&pattern) {
        let (ty, body) = crate::support::multipart(
            &[("csrf", &c.csrf), ("kind", "households")],
            "walk.csv",
            "text/csv",
            b"household_size\n3\n",
        );
        return c.web.post_typed(path, &ty, body).await;
    }
    let other_org = if c.own { b.org } else { a.org }.to_string();
    let mut form: Vec<(&str, &str)> = vec![("csrf", &c.csrf)];
    match pattern {
        "/respond/households/{id}/review" => {
            form.extend([("other", other_org.as_str()), ("decision", "different")]);
        }
        "/reconcile/claims/{id}" => {
            form.extend([
                ("measure", "killed"),
                ("value", "700"),
                ("status", "unverified"),
            ]);
        }
        "/password" => form.extend([
            ("current", "not the password"),
            ("new", "x"),
            ("confirm", "y"),
        ]),
        _ => {}
    }
    c.web.post(path, &form).await
}

fn check(rule: &Rule, c: &Caller, path: &str, page: &Page) {
    let what = format!("{} {} {path} as {}", rule.method, rule.path, c.label);
    let status = page.status;
    assert!(!status.is_server_error(), "{what}: {status} {}", page.body);
    let allowed = rule.allows(c.role);
    let foreign = !c.own && rule.scope == Scope::Own && names_a_record(rule.path);
    let success = status.is_success() || status.is_redirection();
    // Signing out ends on the sign-in page; anywhere else that page means "not allowed".
    let to_login = status == StatusCode::SEE_OTHER
        && page.location() == "/login"
        && !(rule.path == "/logout" && c.role.is_some());
    if !allowed {
        if c.role.is_none() {
            assert!(
                to_login || status == StatusCode::UNAUTHORIZED,
                "{what}: anonymous got {status} {}, expected the sign-in page",
                page.location()
            );
        } else {
            assert_eq!(status, StatusCode::FORBIDDEN, "{what}: {}", page.location());
        }
    } else if foreign && rule.method == "GET" {
        assert!(
            matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
            "{what}: another organization's record answered {status}"
        );
    } else if foreign {
        // Whatever the refusal (not found, or content refused), never a success.
        assert!(
            status.is_client_error(),
            "{what}: a write on another organization's record answered {status}"
        );
    } else if rule.method == "GET" {
        assert!(
            success && !to_login,
            "{what}: allowed but got {status} {}",
            page.location()
        );
    } else {
        // A POST reached its handler: it succeeded or refused the content.
        assert!(
            (success && !to_login)
                || matches!(
                    status,
                    StatusCode::BAD_REQUEST
                        | StatusCode::NOT_FOUND
                        | StatusCode::CONFLICT
                        | StatusCode::UNPROCESSABLE_ENTITY
                ),
            "{what}: allowed but got {status} {}",
            page.location()
        );
    }
}

/// No personal value of the other organization (and none at all for anonymous).
fn no_leak(rule: &Rule, c: &Caller, path: &str, page: &Page, a: &Seed, b: &Seed) {
    let mut forbidden: Vec<&String> = Vec::new();
    let others: Vec<&Seed> = match c.role {
        None => vec![a, b],
        Some(_) if c.own => vec![b],
        Some(_) => vec![a],
    };
    for s in others {
        forbidden.extend(&s.personal);
        if rule.scope != Scope::Instance {
            forbidden.extend(&s.accounts);
        }
    }
    for v in forbidden {
        assert!(
            !page.body.contains(v.as_str()),
            "{} {path} as {}: the answer carries another organization's value {v:?}",
            rule.method,
            c.label
        );
    }
}

async fn walk(url: &str) {
    let (store, files, _dir) = crate::support::keyed_store_with_evidence(url).await;
    let a = seed(&store, &files, "a").await;
    let b = seed(&store, &files, "b").await;
    let app = crate::support::App::serve(store.clone(), ServerConfig::default()).await;
    let base = app.url("");

    let mut callers = vec![sign_in(&base, None, None, false).await];
    for (seed, own) in [(&a, true), (&b, false)] {
        for ((role, user), token) in seed.users.iter().zip(&seed.tokens) {
            callers.push(sign_in(&base, Some((user, token)), Some(*role), own).await);
        }
    }
    // A positive control: the leak check looks for values that pages do show.
    let field_a = callers
        .iter_mut()
        .find(|c| c.own && c.role == Some(Role::Field))
        .unwrap();
    let own_list = field_a.web.get("/respond/volunteers").await;
    assert!(
        own_list.body.contains(a.personal[2].as_str()),
        "own volunteers listed"
    );
    let doc_a = callers
        .iter_mut()
        .find(|c| c.own && c.role == Some(Role::Documenter))
        .unwrap();
    let own_testimonies = doc_a.web.get("/document/testimonies").await;
    assert!(
        own_testimonies.body.contains(a.personal[3].as_str()),
        "own testimony shown"
    );

    let routes = routed();
    // Reads first, then writes; signing out last, so every session lasts the walk.
    let mut order: Vec<&Routed> = routes.iter().filter(|r| r.method == "GET").collect();
    order.extend(
        routes
            .iter()
            .filter(|r| r.method != "GET" && r.path != "/logout"),
    );
    order.extend(routes.iter().filter(|r| r.path == "/logout"));
    let mut sent = 0;
    for r in order {
        let rule = permissions::rule(&r.method, &r.path)
            .unwrap_or_else(|| panic!("{} {} has no matrix entry", r.method, r.path));
        // The sign-in form is what every caller above went through.
        if r.path == "/login" && r.method == "POST" {
            continue;
        }
        let path = concrete(&r.path, &a);
        for c in &mut callers {
            let page = send(c, &r.method, &r.path, &path, &a, &b).await;
            check(rule, c, &path, &page);
            no_leak(rule, c, &path, &page, &a, &b);
            sent += 1;
        }
    }
    assert!(sent > 600, "{sent} requests");
    app.stop().await;
    store.close().await;
}

#[tokio::test]
async fn permission_walk_sqlite() {
    let db = sijill_testkit::sqlite_url();
    walk(db.url()).await;
}

#[tokio::test]
async fn permission_walk_postgres() {
    let Some(pg) = sijill_testkit::postgres() else {
        return;
    };
    walk(pg.url()).await;
}
