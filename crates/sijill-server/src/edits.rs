//! Edits and deletions of field records from the web interface, through the store's
//! sync write path ([`sijill_store::Store::sync_edit`], [`sijill_store::Store::sync_delete`]).
//!
//! Only the fields a person changed are written, as one revision of the record: on a
//! laptop that syncs later, an edit of one field merges with another instance's edit of
//! another field, and two edits of the same field open a conflict that a person resolves
//! on the sync page. A deletion is a tombstone that travels like an edit. Both are
//! audited by the store (who, which record, which fields; never the values).

use crate::error::PageError;
use crate::session::Viewer;
use crate::state::AppState;
use sijill_store::StoreError;
use sijill_store::sync_types::Fields;
use uuid::Uuid;

/// One field of an edit form: its synced column, the stored value and the new one.
pub(crate) struct Change {
    field: &'static str,
    was: String,
    now: String,
}

impl Change {
    pub(crate) fn new(field: &'static str, was: &str, now: &str) -> Self {
        Change {
            field,
            was: was.to_owned(),
            now: now.to_owned(),
        }
    }
}

/// The changed fields only; an empty map when nothing changed.
pub(crate) fn changed(changes: &[Change]) -> Fields {
    changes
        .iter()
        .filter(|c| c.was != c.now)
        .map(|c| (c.field.to_owned(), Some(c.now.clone())))
        .collect()
}

/// Saves the changed fields of `kind` record `id` of the viewer's organization as one
/// revision (nothing when nothing changed). Another organization's or a deleted record
/// is not found; a value the store refuses is a 422.
pub(crate) async fn save(
    state: &AppState,
    viewer: &Viewer,
    kind: &str,
    id: Uuid,
    changes: &[Change],
) -> Result<(), PageError> {
    let fields = changed(changes);
    if fields.is_empty() {
        return Ok(());
    }
    let r = state
        .store
        .sync_edit(Some(viewer.user.id), viewer.user.org_id, kind, id, &fields)
        .await;
    refusal(viewer, r)
}

/// Deletes `kind` record `id` of the viewer's organization as a tombstone.
pub(crate) async fn delete(
    state: &AppState,
    viewer: &Viewer,
    kind: &str,
    id: Uuid,
) -> Result<(), PageError> {
    let r = state
        .store
        .sync_delete(Some(viewer.user.id), viewer.user.org_id, kind, id)
        .await;
    refusal(viewer, r)
}

fn refusal(viewer: &Viewer, r: Result<(), StoreError>) -> Result<(), PageError> {
    let lang = viewer.lang;
    match r {
        Ok(()) => Ok(()),
        Err(StoreError::NotFound) => Err(PageError::not_found(lang)),
        Err(StoreError::Invalid(_)) => Err(PageError::unprocessable(
            lang,
            lang.strings().error_bad_request,
        )),
        Err(e) => Err(PageError::internal(lang, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_are_written() {
        let f = changed(&[
            Change::new("place", "Jableh", "Jableh"),
            Change::new("summary", "", "Shelling at dawn"),
            Change::new("quantity", "40", "38"),
        ]);
        assert_eq!(
            f.into_iter().collect::<Vec<_>>(),
            vec![
                ("quantity".to_owned(), Some("38".to_owned())),
                ("summary".to_owned(), Some("Shelling at dawn".to_owned())),
            ]
        );
        assert!(changed(&[Change::new("place", "a", "a")]).is_empty());
    }
}
