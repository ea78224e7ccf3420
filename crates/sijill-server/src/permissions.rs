//! The permission matrix: for every route of the web interface and the JSON API, who
//! may reach it (which roles, or anyone), whether it is scoped to the caller's own
//! organization, and what it does (read, write or export) to which resource.
//!
//! This table is the one source of truth. The [`Viewer`](crate::session::Viewer) and
//! [`ApiUser`](crate::session::ApiUser) extractors refuse (403) a signed-in role the
//! matrix does not list for the matched route, before the handler runs; the navigation
//! ([`crate::nav`]) shows a section exactly when the matrix lets the role open its
//! page. Handlers keep their own checks as a second line, and the permission walk test
//! (`tests/it/permissions.rs`) sends every route × role × own/other organization and
//! asserts the answer is what this table says, and that no page shown to one
//! organization carries another's personal values. A route without an entry here fails
//! that test, and so does an entry whose route no longer exists.
//!
//! Adding a route: add one [`Rule`] under your area's anchor below.

use sijill_model::account::Role;
use sijill_model::account::Role::{Admin, Analyst, Coordinator, Documenter, Field, Viewer};

/// Who may reach a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Anyone, signed in or not (sign-in, public aggregates, static files).
    Anyone,
    /// Any signed-in account, whatever its role.
    SignedIn,
    /// Signed-in accounts with one of these roles.
    Roles(&'static [Role]),
}

/// Whose data a route reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// No organization's records: sign-in, static files, reference data.
    Nothing,
    /// Only the caller's own organization: another organization's records are not
    /// found (404) and never listed.
    Own,
    /// What the network shares: aggregates without personal values, incidents and their
    /// evidence, published claims. No personal value of another organization.
    Network,
    /// The whole instance (administration of organizations and accounts).
    Instance,
}

/// What a route does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Shows data.
    Read,
    /// Changes data.
    Write,
    /// Hands data out as a file (CSV, XLSX, JSON, an original evidence file).
    Export,
}

/// One entry of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// `GET` or `POST` (upper case, as HTTP spells it).
    pub method: &'static str,
    /// The route's path pattern exactly as routed (`/document/incidents/{id}`),
    /// API routes with their `/api/v1` prefix.
    pub path: &'static str,
    /// Who may reach it.
    pub who: Who,
    /// Whose data it reaches.
    pub scope: Scope,
    /// What it is about (a short noun: `households`, `evidence file` …).
    pub resource: &'static str,
    /// What it does.
    pub action: Action,
}

impl Rule {
    /// Whether `role` (`None`: not signed in) may reach the route.
    pub fn allows(&self, role: Option<Role>) -> bool {
        match (self.who, role) {
            (Who::Anyone, _) => true,
            (_, None) => false,
            (Who::SignedIn, Some(_)) => true,
            (Who::Roles(roles), Some(r)) => roles.contains(&r),
        }
    }
}

/// The entry for a method and a routed path pattern, if there is one.
pub fn rule(method: &str, path: &str) -> Option<&'static Rule> {
    MATRIX
        .iter()
        .find(|r| r.path == path && r.method.eq_ignore_ascii_case(method))
}

/// Whether a signed-in `role` may reach `method path`. A route the matrix does not know
/// is left to its handler (the walk test fails for it, so none ships).
pub fn permits(method: &str, path: &str, role: Role) -> bool {
    rule(method, path).is_none_or(|r| r.allows(Some(role)))
}

/// Everyone who may open Respond: those who run or watch relief.
pub const RESPOND: &[Role] = &[Admin, Coordinator, Field, Viewer];
/// Who enters relief records (distributions, households, cash, volunteers, dialogue).
pub const RESPOND_ENTRY: &[Role] = &[Admin, Coordinator, Field];
/// Who sets up campaigns.
pub const RESPOND_COORDINATE: &[Role] = &[Admin, Coordinator];
/// Everyone who may open Document: those who record or read documentation.
pub const DOCUMENT: &[Role] = &[Admin, Coordinator, Documenter, Analyst, Viewer];
/// Who reads personal documentation (testimonies, original evidence files).
pub const DOCUMENT_PERSONAL: &[Role] = &[Admin, Coordinator, Documenter, Analyst];
/// Who records incidents and uploads evidence.
pub const DOCUMENT_WRITE: &[Role] = &[Admin, Coordinator, Documenter];
/// Everyone who may open Reconcile (and write there): those who link lists and estimate.
pub const RECONCILE: &[Role] = &[Admin, Coordinator, Documenter, Analyst];
/// Who syncs records between instances (those who write in the field).
pub const SYNC: &[Role] = &[Admin, Coordinator, Documenter, Field];
/// Administrators only.
pub const ADMIN: &[Role] = &[Admin];

const fn r(
    method: &'static str,
    path: &'static str,
    who: Who,
    scope: Scope,
    resource: &'static str,
    action: Action,
) -> Rule {
    Rule {
        method,
        path,
        who,
        scope,
        resource,
        action,
    }
}

use Action::{Export, Read, Write};
use Scope::{Instance, Network, Nothing, Own};
use Who::{Anyone, Roles, SignedIn};

/// Every route of the web interface and the API.
pub const MATRIX: &[Rule] = &[
    // == matrix: core ==
    r("GET", "/", Anyone, Nothing, "start", Read),
    r("GET", "/healthz", Anyone, Nothing, "health", Read),
    r(
        "GET",
        "/static/sijill.css",
        Anyone,
        Nothing,
        "stylesheet",
        Read,
    ),
    r("GET", "/lang/{code}", Anyone, Nothing, "language", Write),
    r("GET", "/login", Anyone, Nothing, "session", Read),
    r("POST", "/login", Anyone, Nothing, "session", Write),
    r("POST", "/logout", SignedIn, Own, "session", Write),
    r("GET", "/password", SignedIn, Own, "own account", Read),
    r("POST", "/password", SignedIn, Own, "own account", Write),
    r("GET", "/dashboard", SignedIn, Own, "dashboard", Read),
    r(
        "GET",
        "/admin",
        Roles(ADMIN),
        Instance,
        "administration",
        Read,
    ),
    r(
        "GET",
        "/admin/orgs",
        Roles(ADMIN),
        Instance,
        "organizations",
        Read,
    ),
    r(
        "POST",
        "/admin/orgs",
        Roles(ADMIN),
        Instance,
        "organizations",
        Write,
    ),
    r(
        "GET",
        "/admin/users",
        Roles(ADMIN),
        Instance,
        "accounts",
        Read,
    ),
    r(
        "POST",
        "/admin/users",
        Roles(ADMIN),
        Instance,
        "accounts",
        Write,
    ),
    r(
        "GET",
        "/admin/users/{id}",
        Roles(ADMIN),
        Instance,
        "accounts",
        Read,
    ),
    r(
        "POST",
        "/admin/users/{id}/disable",
        Roles(ADMIN),
        Instance,
        "accounts",
        Write,
    ),
    r(
        "POST",
        "/admin/users/{id}/enable",
        Roles(ADMIN),
        Instance,
        "accounts",
        Write,
    ),
    r(
        "POST",
        "/admin/users/{id}/tokens",
        Roles(ADMIN),
        Instance,
        "API tokens",
        Write,
    ),
    r(
        "POST",
        "/admin/users/{id}/tokens/{token}/revoke",
        Roles(ADMIN),
        Instance,
        "API tokens",
        Write,
    ),
    r(
        "GET",
        "/api/v1/openapi.json",
        Anyone,
        Nothing,
        "API description",
        Read,
    ),
    r("GET", "/api/v1/me", SignedIn, Own, "own account", Read),
    r(
        "GET",
        "/api/v1/orgs",
        SignedIn,
        Network,
        "organizations",
        Read,
    ),
    r(
        "GET",
        "/api/v1/users",
        Roles(ADMIN),
        Instance,
        "accounts",
        Read,
    ),
    r("GET", "/api/v1/areas", SignedIn, Nothing, "areas", Read),
    r(
        "GET",
        "/api/v1/areas/{pcode}",
        SignedIn,
        Nothing,
        "areas",
        Read,
    ),
    // == matrix: reconcile ==
    r(
        "POST",
        "/reconcile/upload",
        Roles(RECONCILE),
        Own,
        "victim lists",
        Write,
    ),
    r(
        "POST",
        "/reconcile/upload/confirm",
        Roles(RECONCILE),
        Own,
        "victim lists",
        Write,
    ),
    r(
        "GET",
        "/api/v1/reconcile/lists",
        Roles(RECONCILE),
        Own,
        "victim lists",
        Read,
    ),
    r(
        "GET",
        "/api/v1/reconcile/runs",
        Roles(RECONCILE),
        Own,
        "linkage runs",
        Read,
    ),
    r(
        "GET",
        "/api/v1/reconcile/persons",
        Roles(RECONCILE),
        Own,
        "persons",
        Read,
    ),
    r(
        "GET",
        "/api/v1/reconcile/estimates",
        Roles(RECONCILE),
        Own,
        "estimates",
        Read,
    ),
    r(
        "GET",
        "/api/v1/reconcile/claims",
        Roles(RECONCILE),
        Network,
        "claims",
        Read,
    ),
    r(
        "GET",
        "/api/v1/reconcile/count",
        Roles(RECONCILE),
        Network,
        "the count",
        Read,
    ),
    r(
        "GET",
        "/reconcile",
        Roles(RECONCILE),
        Own,
        "victim lists",
        Read,
    ),
    r(
        "POST",
        "/reconcile/import",
        Roles(RECONCILE),
        Own,
        "victim lists",
        Write,
    ),
    r(
        "POST",
        "/reconcile/runs",
        Roles(RECONCILE),
        Own,
        "linkage runs",
        Write,
    ),
    r(
        "GET",
        "/reconcile/runs/{id}",
        Roles(RECONCILE),
        Own,
        "linkage runs",
        Read,
    ),
    r(
        "GET",
        "/reconcile/review",
        Roles(RECONCILE),
        Own,
        "record pairs",
        Read,
    ),
    r(
        "POST",
        "/reconcile/review",
        Roles(RECONCILE),
        Own,
        "record pairs",
        Write,
    ),
    r(
        "GET",
        "/reconcile/persons",
        Roles(RECONCILE),
        Own,
        "persons",
        Read,
    ),
    r(
        "GET",
        "/reconcile/estimates",
        Roles(RECONCILE),
        Own,
        "estimates",
        Read,
    ),
    r(
        "POST",
        "/reconcile/estimates",
        Roles(RECONCILE),
        Own,
        "estimates",
        Write,
    ),
    r(
        "GET",
        "/reconcile/claims",
        Roles(RECONCILE),
        Network,
        "claims",
        Read,
    ),
    r(
        "POST",
        "/reconcile/claims/documents",
        Roles(RECONCILE),
        Network,
        "claims",
        Write,
    ),
    r(
        "POST",
        "/reconcile/claims/{id}",
        Roles(RECONCILE),
        Network,
        "claims",
        Write,
    ),
    r(
        "GET",
        "/reconcile/count",
        Roles(RECONCILE),
        Own,
        "the count",
        Read,
    ),
    r(
        "GET",
        "/reconcile/count.csv",
        Roles(RECONCILE),
        Own,
        "the count",
        Export,
    ),
    r(
        "GET",
        "/reconcile/count.json",
        Roles(RECONCILE),
        Own,
        "the count",
        Export,
    ),
    r("GET", "/count", Anyone, Network, "the public count", Read),
    // == matrix: document ==
    r(
        "GET",
        "/document",
        Roles(DOCUMENT),
        Network,
        "documentation",
        Read,
    ),
    r(
        "GET",
        "/document/incidents",
        Roles(DOCUMENT),
        Network,
        "incidents",
        Read,
    ),
    r(
        "POST",
        "/document/incidents",
        Roles(DOCUMENT_WRITE),
        Network,
        "incidents",
        Write,
    ),
    // Only the organization that recorded an incident edits it.
    r(
        "GET",
        "/document/incidents/{id}/edit",
        Roles(DOCUMENT_WRITE),
        Own,
        "incidents",
        Read,
    ),
    r(
        "POST",
        "/document/incidents/{id}/edit",
        Roles(DOCUMENT_WRITE),
        Own,
        "incidents",
        Write,
    ),
    r(
        "GET",
        "/document/incidents/new",
        Roles(DOCUMENT_WRITE),
        Network,
        "incidents",
        Read,
    ),
    r(
        "GET",
        "/document/incidents/{id}",
        Roles(DOCUMENT),
        Network,
        "incidents",
        Read,
    ),
    r(
        "POST",
        "/document/incidents/{id}/evidence",
        Roles(DOCUMENT_WRITE),
        Network,
        "evidence",
        Write,
    ),
    r(
        "GET",
        "/document/evidence/{id}",
        Roles(DOCUMENT),
        Network,
        "evidence",
        Read,
    ),
    // Only the organization that holds a piece of evidence corrects its metadata.
    r(
        "GET",
        "/document/evidence/{id}/edit",
        Roles(DOCUMENT_WRITE),
        Own,
        "evidence",
        Read,
    ),
    r(
        "POST",
        "/document/evidence/{id}/edit",
        Roles(DOCUMENT_WRITE),
        Own,
        "evidence",
        Write,
    ),
    r(
        "GET",
        "/document/evidence/{id}/file",
        Roles(DOCUMENT_PERSONAL),
        Network,
        "evidence file",
        Export,
    ),
    r(
        "GET",
        "/document/testimonies",
        Roles(DOCUMENT_PERSONAL),
        Own,
        "testimonies",
        Read,
    ),
    r(
        "GET",
        "/document/rescue",
        Roles(DOCUMENT),
        Network,
        "rescue missions",
        Read,
    ),
    r(
        "GET",
        "/document/displacement",
        Roles(DOCUMENT),
        Network,
        "displacement",
        Read,
    ),
    r(
        "GET",
        "/document/rescue/{id}",
        Roles(DOCUMENT),
        Network,
        "rescue missions",
        Read,
    ),
    r(
        "POST",
        "/document/rescue",
        Roles(DOCUMENT_WRITE),
        Network,
        "rescue missions",
        Write,
    ),
    // Only the organization that recorded a mission or a report corrects or deletes it.
    r(
        "GET",
        "/document/rescue/{id}/edit",
        Roles(DOCUMENT_WRITE),
        Own,
        "rescue missions",
        Read,
    ),
    r(
        "POST",
        "/document/rescue/{id}/edit",
        Roles(DOCUMENT_WRITE),
        Own,
        "rescue missions",
        Write,
    ),
    r(
        "POST",
        "/document/rescue/{id}/delete",
        Roles(DOCUMENT_WRITE),
        Own,
        "rescue missions",
        Write,
    ),
    r(
        "GET",
        "/document/displacement/reports/{id}/edit",
        Roles(DOCUMENT_WRITE),
        Own,
        "displacement reports",
        Read,
    ),
    r(
        "POST",
        "/document/displacement/reports/{id}/edit",
        Roles(DOCUMENT_WRITE),
        Own,
        "displacement reports",
        Write,
    ),
    r(
        "POST",
        "/document/displacement/reports/{id}/delete",
        Roles(DOCUMENT_WRITE),
        Own,
        "displacement reports",
        Write,
    ),
    r(
        "POST",
        "/document/rescue/{id}/bodies",
        Roles(DOCUMENT_WRITE),
        Own,
        "victim records",
        Write,
    ),
    r(
        "GET",
        "/document/testimonies/{id}/edit",
        Roles(DOCUMENT_WRITE),
        Own,
        "testimonies",
        Read,
    ),
    r(
        "POST",
        "/document/testimonies/{id}/edit",
        Roles(DOCUMENT_WRITE),
        Own,
        "testimonies",
        Write,
    ),
    r(
        "POST",
        "/document/testimonies",
        Roles(DOCUMENT_WRITE),
        Own,
        "testimonies",
        Write,
    ),
    r(
        "POST",
        "/document/testimonies/{id}/share",
        Roles(DOCUMENT_WRITE),
        Own,
        "testimonies",
        Write,
    ),
    r(
        "POST",
        "/document/displacement/sites",
        Roles(DOCUMENT_WRITE),
        Network,
        "displacement",
        Write,
    ),
    r(
        "POST",
        "/document/displacement/reports",
        Roles(DOCUMENT_WRITE),
        Network,
        "displacement",
        Write,
    ),
    r(
        "POST",
        "/document/evidence/{id}/custody",
        Roles(DOCUMENT_WRITE),
        Network,
        "evidence",
        Write,
    ),
    r(
        "POST",
        "/document/incidents/{id}/victims",
        Roles(DOCUMENT_WRITE),
        Own,
        "victim records",
        Write,
    ),
    r(
        "POST",
        "/document/export",
        Roles(DOCUMENT_WRITE),
        Network,
        "investigator package",
        Export,
    ),
    r(
        "GET",
        "/api/v1/document/incidents",
        Roles(DOCUMENT),
        Network,
        "incidents",
        Read,
    ),
    r(
        "GET",
        "/api/v1/document/evidence",
        Roles(DOCUMENT),
        Network,
        "evidence",
        Read,
    ),
    r(
        "GET",
        "/api/v1/document/custody",
        Roles(DOCUMENT),
        Network,
        "evidence",
        Read,
    ),
    r(
        "GET",
        "/api/v1/document/rescue/missions",
        Roles(DOCUMENT),
        Network,
        "rescue missions",
        Read,
    ),
    r(
        "GET",
        "/api/v1/document/rescue/daily",
        Roles(DOCUMENT),
        Network,
        "rescue missions",
        Read,
    ),
    r(
        "GET",
        "/api/v1/document/displacement/sites",
        Roles(DOCUMENT),
        Network,
        "displacement",
        Read,
    ),
    r(
        "GET",
        "/api/v1/document/displacement/reports",
        Roles(DOCUMENT),
        Network,
        "displacement",
        Read,
    ),
    r(
        "GET",
        "/api/v1/document/testimonies",
        Roles(DOCUMENT_PERSONAL),
        Own,
        "testimonies",
        Read,
    ),
    // == matrix: respond ==
    r(
        "GET",
        "/respond",
        Roles(RESPOND),
        Network,
        "relief overview",
        Read,
    ),
    r(
        "POST",
        "/respond/campaigns",
        Roles(RESPOND_COORDINATE),
        Network,
        "campaigns",
        Write,
    ),
    r(
        "GET",
        "/respond/distributions",
        Roles(RESPOND),
        Own,
        "distributions",
        Read,
    ),
    r(
        "POST",
        "/respond/distributions",
        Roles(RESPOND_ENTRY),
        Own,
        "distributions",
        Write,
    ),
    r(
        "GET",
        "/respond/households",
        Roles(RESPOND),
        Own,
        "households",
        Read,
    ),
    r(
        "POST",
        "/respond/households",
        Roles(RESPOND_ENTRY),
        Own,
        "households",
        Write,
    ),
    r(
        "GET",
        "/respond/distributions/{id}/edit",
        Roles(RESPOND_ENTRY),
        Own,
        "distributions",
        Read,
    ),
    r(
        "POST",
        "/respond/distributions/{id}/edit",
        Roles(RESPOND_ENTRY),
        Own,
        "distributions",
        Write,
    ),
    r(
        "POST",
        "/respond/distributions/{id}/delete",
        Roles(RESPOND_ENTRY),
        Own,
        "distributions",
        Write,
    ),
    r(
        "GET",
        "/respond/households/{id}/edit",
        Roles(RESPOND_ENTRY),
        Own,
        "households",
        Read,
    ),
    r(
        "POST",
        "/respond/households/{id}/edit",
        Roles(RESPOND_ENTRY),
        Own,
        "households",
        Write,
    ),
    r(
        "POST",
        "/respond/households/{id}/review",
        Roles(RESPOND_ENTRY),
        Own,
        "households",
        Write,
    ),
    r(
        "POST",
        "/respond/households/merge",
        Roles(RESPOND_ENTRY),
        Own,
        "households",
        Write,
    ),
    r(
        "GET",
        "/respond/cash",
        Roles(RESPOND),
        Own,
        "cash transfers",
        Read,
    ),
    r(
        "POST",
        "/respond/cash",
        Roles(RESPOND_ENTRY),
        Own,
        "cash transfers",
        Write,
    ),
    r(
        "GET",
        "/respond/volunteers",
        Roles(RESPOND),
        Own,
        "volunteers",
        Read,
    ),
    r(
        "POST",
        "/respond/volunteers",
        Roles(RESPOND_ENTRY),
        Own,
        "volunteers",
        Write,
    ),
    r(
        "GET",
        "/respond/dialogue",
        Roles(RESPOND),
        Own,
        "dialogue sessions",
        Read,
    ),
    r(
        "POST",
        "/respond/dialogue",
        Roles(RESPOND_ENTRY),
        Own,
        "dialogue sessions",
        Write,
    ),
    r(
        "GET",
        "/respond/cash/{id}/edit",
        Roles(RESPOND_ENTRY),
        Own,
        "cash transfers",
        Read,
    ),
    r(
        "POST",
        "/respond/cash/{id}/edit",
        Roles(RESPOND_ENTRY),
        Own,
        "cash transfers",
        Write,
    ),
    r(
        "POST",
        "/respond/cash/{id}/delete",
        Roles(RESPOND_ENTRY),
        Own,
        "cash transfers",
        Write,
    ),
    r(
        "GET",
        "/respond/volunteers/{id}/edit",
        Roles(RESPOND_ENTRY),
        Own,
        "volunteers",
        Read,
    ),
    r(
        "POST",
        "/respond/volunteers/{id}/edit",
        Roles(RESPOND_ENTRY),
        Own,
        "volunteers",
        Write,
    ),
    r(
        "POST",
        "/respond/volunteers/{id}/delete",
        Roles(RESPOND_ENTRY),
        Own,
        "volunteers",
        Write,
    ),
    r(
        "GET",
        "/respond/dialogue/{id}/edit",
        Roles(RESPOND_ENTRY),
        Own,
        "dialogue sessions",
        Read,
    ),
    r(
        "POST",
        "/respond/dialogue/{id}/edit",
        Roles(RESPOND_ENTRY),
        Own,
        "dialogue sessions",
        Write,
    ),
    r(
        "POST",
        "/respond/dialogue/{id}/delete",
        Roles(RESPOND_ENTRY),
        Own,
        "dialogue sessions",
        Write,
    ),
    r(
        "GET",
        "/respond/4w",
        Roles(RESPOND),
        Network,
        "4W matrix",
        Read,
    ),
    r(
        "GET",
        "/respond/4w.csv",
        Roles(RESPOND),
        Network,
        "4W matrix",
        Export,
    ),
    r(
        "GET",
        "/respond/4w.xlsx",
        Roles(RESPOND),
        Network,
        "4W matrix",
        Export,
    ),
    r(
        "GET",
        "/respond/public",
        Anyone,
        Network,
        "public relief figures",
        Read,
    ),
    r(
        "GET",
        "/respond/import",
        Roles(RESPOND_ENTRY),
        Own,
        "relief import",
        Read,
    ),
    r(
        "POST",
        "/respond/import",
        Roles(RESPOND_ENTRY),
        Own,
        "relief import",
        Write,
    ),
    r(
        "GET",
        "/api/v1/respond/4w",
        Roles(RESPOND),
        Network,
        "4W matrix",
        Export,
    ),
    r(
        "GET",
        "/api/v1/respond/totals",
        Roles(RESPOND),
        Network,
        "relief totals",
        Export,
    ),
    r(
        "POST",
        "/api/v1/respond/distributions",
        Roles(RESPOND_ENTRY),
        Own,
        "distributions",
        Write,
    ),
    // == matrix: sync ==
    r("GET", "/sync", Roles(SYNC), Own, "sync conflicts", Read),
    // A run belongs to the instance; an unknown run leads back to /sync.
    r(
        "GET",
        "/sync/jobs/{id}",
        Roles(SYNC),
        Instance,
        "sync progress",
        Read,
    ),
    r(
        "POST",
        "/sync/now",
        Roles(SYNC),
        Own,
        "sync with the server",
        Write,
    ),
    r(
        "POST",
        "/sync/conflicts/{id}",
        Roles(SYNC),
        Own,
        "sync conflicts",
        Write,
    ),
    r(
        "POST",
        "/api/v1/sync/push",
        Roles(SYNC),
        Own,
        "synced records",
        Write,
    ),
    r(
        "GET",
        "/api/v1/sync/pull",
        Roles(SYNC),
        Own,
        "synced records",
        Export,
    ),
    r(
        "GET",
        "/api/v1/sync/conflicts",
        Roles(SYNC),
        Own,
        "sync conflicts",
        Read,
    ),
    r(
        "GET",
        "/api/v1/sync/evidence",
        Roles(DOCUMENT_WRITE),
        Own,
        "evidence file hashes",
        Read,
    ),
    r(
        "POST",
        "/api/v1/sync/evidence",
        Roles(DOCUMENT_WRITE),
        Own,
        "evidence file hashes",
        Read,
    ),
    r(
        "GET",
        "/api/v1/sync/evidence/{sha256}",
        Roles(DOCUMENT_WRITE),
        Own,
        "evidence file",
        Export,
    ),
    // Bytes named by their SHA-256, kept only when they hash to the name: no
    // organization's record until a push links them to one.
    r(
        "POST",
        "/api/v1/sync/evidence/{sha256}",
        Roles(DOCUMENT_WRITE),
        Nothing,
        "evidence file bytes",
        Write,
    ),
    // == matrix: protect ==
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_entry_per_route_and_method() {
        for (i, a) in MATRIX.iter().enumerate() {
            assert!(matches!(a.method, "GET" | "POST"), "{a:?}");
            assert!(a.path.starts_with('/'), "{a:?}");
            for b in &MATRIX[i + 1..] {
                assert!(
                    !(a.method == b.method && a.path == b.path),
                    "{} {} listed twice",
                    a.method,
                    a.path
                );
            }
        }
    }

    #[test]
    fn writes_and_exports_need_an_account_and_personal_data_a_role() {
        for rule in MATRIX {
            if rule.scope == Scope::Own || rule.scope == Scope::Instance {
                assert_ne!(rule.who, Who::Anyone, "{rule:?}");
            }
            if rule.action == Action::Export {
                assert!(matches!(rule.who, Who::Roles(_)), "{rule:?}");
            }
        }
    }

    #[test]
    fn anonymous_reaches_only_public_routes() {
        assert!(rule("GET", "/count").unwrap().allows(None));
        assert!(!rule("GET", "/respond/households").unwrap().allows(None));
        assert!(!rule("GET", "/dashboard").unwrap().allows(None));
        assert!(!permits("GET", "/respond/households", Role::Analyst));
        assert!(permits("GET", "/respond/households", Role::Field));
        assert!(permits("get", "/document/testimonies", Role::Documenter));
        assert!(!permits("GET", "/document/testimonies", Role::Viewer));
    }
}
