//! Edits and deletions of field records from the web interface, through the store's
//! sync write path ([`sijill_store::Store::sync_edit`], [`sijill_store::Store::sync_delete`]).
//!
//! A form sends every field it holds; the store keeps only those whose value differs
//! from the stored one and writes them as one revision of the record (nothing at all
//! when nothing changed). So on a laptop that syncs later, an edit of one field merges
//! with another instance's edit of another field, and two edits of the same field open
//! a conflict that a person resolves on the sync page. A deletion is a tombstone that
//! travels like an edit. Both are audited by the store (who, which record, which
//! fields; never the values).

use crate::error::PageError;
use crate::session::Viewer;
use crate::state::AppState;
use sijill_store::StoreError;
use sijill_store::sync_types::Fields;
use uuid::Uuid;

/// The stored synced values of `kind` record `id` (personal fields opened) when the
/// viewer's organization holds it; not found for another organization's or a deleted
/// record.
pub(crate) async fn stored(
    state: &AppState,
    viewer: &Viewer,
    kind: &str,
    id: Uuid,
) -> Result<Fields, PageError> {
    let lang = viewer.lang;
    match state.store.sync_record(viewer.user.org_id, kind, id).await {
        Ok(Some(f)) => Ok(f),
        Ok(None) => Err(PageError::not_found(lang)),
        Err(e) => Err(PageError::internal(lang, e)),
    }
}

/// Saves a form's values of `kind` record `id` of the viewer's organization: the store
/// writes those that changed as one revision. Another organization's or a deleted
/// record is not found; a value the store refuses is a 422.
pub(crate) async fn save(
    state: &AppState,
    viewer: &Viewer,
    kind: &str,
    id: Uuid,
    values: &[(&'static str, Option<String>)],
) -> Result<(), PageError> {
    let fields: Fields = values
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
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
