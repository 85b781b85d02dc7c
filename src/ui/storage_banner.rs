//! The persistent banner for storage trouble: full quota, failed writes, paused saving.
//!
//! It stays until the trouble is over and always offers the way out that loses nothing:
//! exporting the project (and, for unreadable stored data, its raw backup) as a file.

use yew::prelude::*;

use crate::ui::autosave::SaveStatus;
use crate::ui::commands::export_project;
use crate::ui::state::AppContext;
use crate::web::download::download_bytes;
use crate::web::storage;

#[derive(Properties, PartialEq, Clone)]
pub struct StorageBannerProps {
    pub status: SaveStatus,
    pub on_resume: Callback<()>,
}

#[component]
pub fn StorageBanner(props: &StorageBannerProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let export_now = {
        let context = context.clone();
        Callback::from(move |_| export_project(&context))
    };
    match &props.status {
        SaveStatus::Saved | SaveStatus::Pending => html! {},
        SaveStatus::Full | SaveStatus::Failed(_) => {
            let what = match &props.status {
                SaveStatus::Full => "Browser storage is full: your latest changes are only in this tab.".to_string(),
                SaveStatus::Failed(why) => format!("Saving failed ({why}): your latest changes are only in this tab."),
                _ => String::new(),
            };
            html! {
                <div class="notice error storage-banner" role="alert" data-testid="storage-banner">
                    <span>{what}{" Export the project now; saving resumes by itself as soon as there is room."}</span>
                    <button type="button" class="banner-button" data-testid="export-now" onclick={export_now}>{"Export project now"}</button>
                </div>
            }
        }
        SaveStatus::Paused(why) => {
            let backups = storage::backup_keys();
            let download_backup = {
                let latest = backups.last().cloned();
                Callback::from(move |_| {
                    let raw =
                        latest.as_ref().and_then(|key| storage::local_storage().ok()?.get_item(key).ok().flatten());
                    if let Some(raw) = raw {
                        let _ = download_bytes("crosscheck-unreadable-backup.json", "application/json", raw.as_bytes());
                    }
                })
            };
            let resume = props.on_resume.reform(|_| ());
            html! {
                <div class="notice warning storage-banner" role="alert" data-testid="storage-banner">
                    <span>{format!("Saving is paused: {why}. Nothing stored has been changed.")}</span>
                    if !backups.is_empty() {
                        <button type="button" class="banner-button" data-testid="download-backup" onclick={download_backup}>{"Download the stored data"}</button>
                    }
                    <button type="button" class="banner-button" onclick={export_now}>{"Export this project"}</button>
                    <button type="button" class="banner-button secondary" data-testid="resume-saving" onclick={resume}
                        title="The unreadable data stays in its backup key">{"Start saving this project"}</button>
                </div>
            }
        }
    }
}
