//! The sections of the interface and their navigation bar. Which role may see each is
//! read from the permission matrix ([`crate::permissions`]), so a link is shown exactly
//! when its page would open.

use crate::i18n::Strings;
use sijill_model::account::Role;

/// A top-level section of the web interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The start page after sign-in.
    Dashboard,
    /// Relief: campaigns, distributions, households.
    Respond,
    /// Documentation: sources, claims, incidents, victims, evidence.
    Document,
    /// Linkage of lists and estimation.
    Reconcile,
    /// Exchange with the network's server and the conflicts to resolve.
    Sync,
    /// Organizations, accounts, tokens.
    Admin,
}

impl Section {
    /// Every section, in navigation order.
    pub const ALL: [Section; 6] = [
        Section::Dashboard,
        Section::Respond,
        Section::Document,
        Section::Reconcile,
        Section::Sync,
        Section::Admin,
    ];

    /// Where the section lives.
    pub fn href(self) -> &'static str {
        match self {
            Section::Dashboard => "/dashboard",
            Section::Respond => "/respond",
            Section::Document => "/document",
            Section::Reconcile => "/reconcile",
            Section::Sync => "/sync",
            Section::Admin => "/admin/users",
        }
    }

    /// Its name in the navigation.
    pub fn label(self, t: &'static Strings) -> &'static str {
        match self {
            Section::Dashboard => t.nav_dashboard,
            Section::Respond => t.nav_respond,
            Section::Document => t.nav_document,
            Section::Reconcile => t.nav_reconcile,
            Section::Sync => t.sync_title,
            Section::Admin => t.nav_admin,
        }
    }

    /// One sentence on what the section holds.
    pub fn intro(self, t: &'static Strings) -> &'static str {
        match self {
            Section::Dashboard => t.tagline,
            Section::Respond => t.respond_intro,
            Section::Document => t.document_intro,
            Section::Reconcile => t.reconcile_intro,
            Section::Sync => t.sync_intro,
            Section::Admin => t.admin_intro,
        }
    }

    /// Whether a role may open the section: exactly when the permission matrix lets it
    /// reach the section's page ([`crate::permissions`]).
    ///
    /// Respond: those who run or watch relief. Document: those who record or read
    /// documentation. Reconcile: those who link lists and estimate. Admin: administrators.
    pub fn allowed(self, role: Role) -> bool {
        crate::permissions::rule("GET", self.href()).is_some_and(|r| r.allows(Some(role)))
    }
}

/// One link of the navigation bar.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Target.
    pub href: &'static str,
    /// Text.
    pub label: &'static str,
    /// Whether it is the page being shown (`aria-current="page"`).
    pub current: bool,
}

/// The navigation a role sees, with `current` marked.
pub fn nav_for(role: Role, current: Option<Section>, t: &'static Strings) -> Vec<NavItem> {
    Section::ALL
        .into_iter()
        .filter(|s| s.allowed(role))
        .map(|s| NavItem {
            href: s.href(),
            label: s.label(t),
            current: Some(s) == current,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::EN;

    #[test]
    fn each_role_sees_its_sections() {
        let seen =
            |role| -> Vec<&str> { nav_for(role, None, &EN).iter().map(|i| i.label).collect() };
        assert_eq!(
            seen(Role::Admin),
            [
                "Dashboard",
                "Respond",
                "Document",
                "Reconcile",
                "Sync",
                "Admin"
            ]
        );
        assert_eq!(
            seen(Role::Coordinator),
            ["Dashboard", "Respond", "Document", "Reconcile", "Sync"]
        );
        assert_eq!(
            seen(Role::Documenter),
            ["Dashboard", "Document", "Reconcile", "Sync"]
        );
        assert_eq!(seen(Role::Field), ["Dashboard", "Respond", "Sync"]);
        assert_eq!(seen(Role::Analyst), ["Dashboard", "Document", "Reconcile"]);
        assert_eq!(seen(Role::Viewer), ["Dashboard", "Respond", "Document"]);
    }
}
