#![cfg(not(target_arch = "wasm32"))]
//! The reducer under test: every [`AppAction`] on a small project, natively.
//!
//! [`covered`] matches every variant without a wildcard, so a new action does not compile here
//! until it is named — and the test that names it is expected beside it.

use crosscheck::domain::annotation::{RelationId, SpanId};
use crosscheck::domain::article::{Article, ArticleId};
use crosscheck::domain::history::History;
use crosscheck::domain::import_report::{FileReport, FileStatus, ImportRun};
use crosscheck::domain::project::{new_relation, new_span, Edit, Project};
use crosscheck::domain::state::{AppAction, AppState, EditSteps, Notice, NoticeLevel, Selection, UiPosition, View};

const NOW: i64 = 1_700_000_000_000;

fn project() -> Project {
    Project::with_articles(vec![
        Article::new("The UN said 1.4 million people are in Rafah.", "One", "one.txt"),
        Article::new("About 1 million people are in Rafah, officials said.", "Two", "two.txt"),
    ])
}

fn state() -> AppState {
    AppState::new(project(), UiPosition::default())
}

fn article(state: &AppState, index: usize) -> std::rc::Rc<Article> {
    state.project.articles()[index].clone()
}

fn add_span(state: &AppState, id: &str, article_index: usize, start: usize, end: usize) -> Edit {
    let article = article(state, article_index);
    Edit::AddSpan(new_span(&state.project, SpanId::from(id), &article, start, end, &"claim".into(), NOW).unwrap())
}

/// A state with a claim in each article (`s1`, `s2`) and nothing else.
fn with_two_claims() -> AppState {
    let state = state();
    let edit = Edit::Batch(vec![add_span(&state, "s1", 0, 12, 23), add_span(&state, "s2", 1, 6, 15)]);
    state.reduce(AppAction::Edit { edit, now: NOW })
}

fn contradiction(state: &AppState, id: &str) -> Edit {
    Edit::AddRelation(new_relation(
        &state.project,
        RelationId::from(id),
        &"contradicts".into(),
        SpanId::from("s1"),
        SpanId::from("s2"),
        NOW,
    ))
}

fn notice(text: &str) -> Notice {
    Notice { level: NoticeLevel::Info, text: text.to_string() }
}

/// The test that covers each action (no wildcard: a new variant must be added here).
fn covered(action: &AppAction) -> &'static str {
    match action {
        AppAction::Edit { .. } => "an_edit_is_one_undoable_step_and_a_failed_one_is_a_notice",
        AppAction::EditAndSelect { .. } => "creating_a_link_selects_it_in_the_same_action",
        AppAction::EditGrouped { .. } => "grouped_edits_join_one_undo_step_and_no_change_makes_no_step",
        AppAction::Undo { .. } | AppAction::Redo { .. } => "undo_and_redo_walk_the_history_and_say_when_it_ends",
        AppAction::OpenArticle(_) => "opening_an_article_reads_it_and_an_unknown_one_is_ignored",
        AppAction::SetView(_) => "views_and_compare_sides_change_only_what_they_name",
        AppAction::SetCompare { .. } => "views_and_compare_sides_change_only_what_they_name",
        AppAction::SelectSpan(_) => "selecting_a_span_in_the_reader_opens_its_article",
        AppAction::SelectRelation(_) => "creating_a_link_selects_it_in_the_same_action",
        AppAction::ReplaceProject { .. } => "replacing_the_project_keeps_history_only_for_a_merge",
        AppAction::HistoryRead { .. } => "a_history_read_after_the_load_replaces_only_the_unread_one",
        AppAction::Notify(_) | AppAction::DismissNotice => "notices_show_until_dismissed",
        AppAction::SetImport(_) => "an_import_shows_its_progress_then_its_report_until_dismissed",
    }
}

#[test]
fn every_action_names_its_test() {
    let actions = [
        AppAction::Edit { edit: Edit::Batch(vec![]), now: NOW },
        AppAction::EditAndSelect { edit: Edit::Batch(vec![]), now: NOW, select: Selection::Span(SpanId::from("s")) },
        AppAction::EditGrouped { edit: Edit::Batch(vec![]), now: NOW, group: String::new() },
        AppAction::Undo { now: NOW },
        AppAction::Redo { now: NOW },
        AppAction::OpenArticle(ArticleId::from("a")),
        AppAction::SetView(View::Read),
        AppAction::SetCompare { left: None, right: None },
        AppAction::SelectSpan(None),
        AppAction::SelectRelation(None),
        AppAction::ReplaceProject { project: project(), keep_history: false, notice: None },
        AppAction::HistoryRead { history: History::default(), left_out: None },
        AppAction::Notify(notice("x")),
        AppAction::DismissNotice,
        AppAction::SetImport(None),
    ];
    for action in &actions {
        assert!(!covered(action).is_empty());
    }
}

#[test]
fn an_edit_is_one_undoable_step_and_a_failed_one_is_a_notice() {
    let state = with_two_claims();
    assert_eq!(state.project.spans().len(), 2);
    assert!(state.history.can_undo());
    assert_eq!(state.history.undo_depth(), 1, "the batch is one step");
    let revision = state.revision;

    // The same ids again: refused as a whole, reported, nothing changes.
    let again = Edit::Batch(vec![add_span(&state, "s3", 0, 0, 3), add_span(&state, "s1", 0, 4, 6)]);
    let refused = state.reduce(AppAction::Edit { edit: again, now: NOW });
    assert_eq!(refused.project, state.project);
    assert_eq!(refused.revision, revision);
    assert_eq!(refused.history.undo_depth(), 1);
    let notice = refused.notice.expect("a refused edit says so");
    assert_eq!(notice.level, NoticeLevel::Error);
}

#[test]
fn creating_a_link_selects_it_in_the_same_action() {
    let state = with_two_claims();
    let linked = state.reduce(AppAction::EditAndSelect {
        edit: contradiction(&state, "r1"),
        now: NOW,
        select: Selection::Relation(RelationId::from("r1")),
    });
    assert!(linked.project.relations().contains_key(&RelationId::from("r1")));
    assert_eq!(linked.selected_relation, Some(RelationId::from("r1")));

    // A link that cannot be made selects nothing.
    let broken = Edit::AddRelation(new_relation(
        &state.project,
        RelationId::from("r2"),
        &"contradicts".into(),
        SpanId::from("s1"),
        SpanId::from("missing"),
        NOW,
    ));
    let refused =
        linked.reduce(AppAction::EditAndSelect { edit: broken, now: NOW, select: Selection::Relation("r2".into()) });
    assert_eq!(refused.selected_relation, Some(RelationId::from("r1")), "the selection stays");
    assert!(refused.notice.is_some());

    // Tagging selects the new span.
    let tagged = state.reduce(AppAction::EditAndSelect {
        edit: add_span(&state, "s9", 0, 0, 3),
        now: NOW,
        select: Selection::Span(SpanId::from("s9")),
    });
    assert_eq!(tagged.selected_span, Some(SpanId::from("s9")));

    let cleared = linked.reduce(AppAction::SelectRelation(None));
    assert_eq!(cleared.selected_relation, None);
}

#[test]
fn grouped_edits_join_one_undo_step_and_no_change_makes_no_step() {
    let state = with_two_claims();
    let span = state.project.span(&SpanId::from("s1")).unwrap().as_ref().clone();
    let mut typed = state.clone();
    for note in ["a", "ab", "abc"] {
        let mut changed = span.clone();
        changed.attributes.insert("note".to_string(), note.to_string());
        typed = typed.reduce(AppAction::EditGrouped {
            edit: Edit::UpdateSpan(changed),
            now: NOW,
            group: "note:s1".to_string(),
        });
    }
    assert_eq!(typed.project.span(&SpanId::from("s1")).unwrap().attribute("note"), "abc");
    assert_eq!(typed.history.undo_depth(), state.history.undo_depth() + 1, "three keystrokes, one step");

    let unchanged = typed.project.span(&SpanId::from("s1")).unwrap().as_ref().clone();
    let same = typed.reduce(AppAction::EditGrouped {
        edit: Edit::UpdateSpan(unchanged),
        now: NOW + 1,
        group: "note:s1".to_string(),
    });
    assert_eq!(same.revision, typed.revision, "choosing the value already chosen changes nothing");

    let undone = typed.reduce(AppAction::Undo { now: NOW });
    assert_eq!(undone.project, state.project);
}

#[test]
fn undo_and_redo_walk_the_history_and_say_when_it_ends() {
    let fresh = state();
    let nothing = fresh.reduce(AppAction::Undo { now: NOW });
    assert_eq!(nothing.notice.map(|notice| notice.text), Some("Nothing to undo.".to_string()));

    let state = with_two_claims();
    let undone = state.reduce(AppAction::Undo { now: NOW });
    assert!(undone.project.spans().is_empty());
    assert!(undone.revision > state.revision);
    let redone = undone.reduce(AppAction::Redo { now: NOW });
    assert_eq!(redone.project, state.project);
    let past_end = redone.reduce(AppAction::Redo { now: NOW });
    assert_eq!(past_end.notice.map(|notice| notice.text), Some("Nothing to redo.".to_string()));
}

#[test]
fn opening_an_article_reads_it_and_an_unknown_one_is_ignored() {
    let state = with_two_claims()
        .reduce(AppAction::SetView(View::Graph))
        .reduce(AppAction::SelectSpan(Some(SpanId::from("s1"))));
    let second = article(&state, 1).id.clone();
    let opened = state.reduce(AppAction::OpenArticle(second.clone()));
    assert_eq!(opened.position.article, Some(second.clone()));
    assert_eq!(opened.position.view, View::Read);
    assert_eq!(opened.selected_span, None);
    assert_eq!(opened.current_article().map(|article| article.id.clone()), Some(second));

    let unknown = opened.reduce(AppAction::OpenArticle(ArticleId::from("no-such-article")));
    assert_eq!(unknown.position, opened.position);
}

#[test]
fn views_and_compare_sides_change_only_what_they_name() {
    let state = state();
    let (first, second) = (article(&state, 0).id.clone(), article(&state, 1).id.clone());
    let compared = state
        .reduce(AppAction::SetView(View::Compare))
        .reduce(AppAction::SetCompare { left: Some(first.clone()), right: Some(second.clone()) });
    assert_eq!(compared.position.view, View::Compare);
    assert_eq!(
        (compared.position.compare_left.clone(), compared.position.compare_right.clone()),
        (Some(first.clone()), Some(second.clone()))
    );
    let right_only = compared.reduce(AppAction::SetCompare { left: None, right: Some(first.clone()) });
    assert_eq!(right_only.position.compare_left, Some(first.clone()), "None leaves a side as it is");
    assert_eq!(right_only.position.compare_right, Some(first));
    assert_eq!(right_only.reduce(AppAction::SetView(View::Matrix)).position.view, View::Matrix);
}

#[test]
fn selecting_a_span_in_the_reader_opens_its_article() {
    let state = with_two_claims();
    let second = article(&state, 1).id.clone();
    let selected = state.reduce(AppAction::SelectSpan(Some(SpanId::from("s2"))));
    assert_eq!(selected.selected_span, Some(SpanId::from("s2")));
    assert_eq!(selected.position.article, Some(second));

    // In Compare both articles are already on screen: the open article stays.
    let compare = state.reduce(AppAction::SetView(View::Compare));
    let in_compare = compare.reduce(AppAction::SelectSpan(Some(SpanId::from("s2"))));
    assert_eq!(in_compare.position.article, compare.position.article);
    assert_eq!(in_compare.reduce(AppAction::SelectSpan(None)).selected_span, None);
}

/// The app loads a project with its undo history unread and reads it once the editing code is
/// here (`ui::editing`): the read history takes the unread one's place, but not a history an
/// import started meanwhile.
#[test]
fn a_history_read_after_the_load_replaces_only_the_unread_one() {
    let read = with_two_claims().history;
    let mut state = with_two_claims();
    state.history = History::unread(true, false);
    assert!(state.history.can_undo() && !state.history.can_redo(), "the buttons show what reading will give");
    assert_eq!(state.history.undo_depth(), 0, "nothing to undo until read");
    let loaded = state.reduce(AppAction::HistoryRead { history: read.clone(), left_out: None });
    assert!(loaded.history == read && !loaded.history.is_unread());
    assert_eq!(loaded.notice, None);
    let undone = loaded.reduce(AppAction::Undo { now: NOW });
    assert_eq!(undone.project.spans().len(), 0, "the read history undoes");

    let imported = state.reduce(AppAction::ReplaceProject { project: project(), keep_history: false, notice: None });
    let after = imported.reduce(AppAction::HistoryRead { history: read, left_out: None });
    assert!(!after.history.can_undo(), "an import's fresh history stays");

    // Documents of the history left out: said after the load's own notice, not over it.
    let shown = state.reduce(AppAction::Notify(notice("1 stored item(s) could not be opened.")));
    let told =
        shown.reduce(AppAction::HistoryRead { history: History::default(), left_out: Some("And one more.".into()) });
    let notice = told.notice.unwrap();
    assert_eq!(
        (notice.level, notice.text.as_str()),
        (NoticeLevel::Error, "1 stored item(s) could not be opened. And one more.")
    );
}

#[test]
fn replacing_the_project_keeps_history_only_for_a_merge() {
    let state = with_two_claims();
    let second = article(&state, 1).id.clone();
    let state = state
        .reduce(AppAction::OpenArticle(second.clone()))
        .reduce(AppAction::SetCompare { left: Some(second.clone()), right: Some(second) });
    let other = Project::with_articles(vec![Article::new("Something else entirely.", "Three", "three.txt")]);
    let imported = state.reduce(AppAction::ReplaceProject {
        project: other.clone(),
        keep_history: false,
        notice: Some(notice("Imported.")),
    });
    assert_eq!(imported.project, other);
    assert!(!imported.history.can_undo(), "an import starts a fresh history");
    assert_eq!(imported.notice.map(|notice| notice.text), Some("Imported.".to_string()));
    let exists = |id: &Option<ArticleId>| id.as_ref().is_none_or(|id| imported.project.article(id).is_some());
    assert!(exists(&imported.position.article), "no reference to an article that is gone");
    assert!(exists(&imported.position.compare_left) && exists(&imported.position.compare_right));

    let merged =
        state.reduce(AppAction::ReplaceProject { project: state.project.clone(), keep_history: true, notice: None });
    assert!(merged.history.can_undo(), "a merge from another tab keeps the history");
    assert!(merged.revision > state.revision, "and is saved");
}

#[test]
fn notices_show_until_dismissed() {
    let state = state().reduce(AppAction::Notify(notice("Saved elsewhere.")));
    assert_eq!(state.notice, Some(notice("Saved elsewhere.")));
    let replaced = state.reduce(AppAction::Notify(notice("Second.")));
    assert_eq!(replaced.notice, Some(notice("Second.")));
    assert_eq!(replaced.reduce(AppAction::DismissNotice).notice, None);
}

#[test]
fn an_import_shows_its_progress_then_its_report_until_dismissed() {
    let state = with_two_claims();
    let running = ImportRun { total: 12, done: 3, report: Default::default() };
    let importing = state.reduce(AppAction::SetImport(Some(running.clone())));
    assert_eq!(importing.import, Some(running));
    assert_eq!(importing.project, state.project, "progress changes no data");
    let finished = ImportRun {
        total: 12,
        done: 12,
        report: std::rc::Rc::new(vec![FileReport::new("a.html", FileStatus::Imported, String::new())]),
    };
    let reported = importing.reduce(AppAction::SetImport(Some(finished)));
    assert!(reported.import.as_ref().is_some_and(ImportRun::is_finished));
    assert_eq!(reported.reduce(AppAction::SetImport(None)).import, None);
}

/// The digit hotkeys refuse a second span of the same label over the same text
/// (`ui::commands::apply_label` asks `Project::has_span_at`).
#[test]
fn a_span_of_the_same_label_over_the_same_text_is_found() {
    let state = with_two_claims();
    let one = article(&state, 0).id.clone();
    let two = article(&state, 1).id.clone();
    let project = &state.project;
    assert!(project.has_span_at(&one, 12, 23, &"claim".into()));
    assert!(project.has_span_at(&two, 6, 15, &"claim".into()));
    // Another label, other offsets, or the other article's offsets: not a duplicate.
    assert!(!project.has_span_at(&one, 12, 23, &"quote".into()));
    assert!(!project.has_span_at(&one, 12, 22, &"claim".into()));
    assert!(!project.has_span_at(&one, 13, 23, &"claim".into()));
    assert!(!project.has_span_at(&two, 12, 23, &"claim".into()));
}

/// The app's build hands the reducer its edit steps once the editing module has arrived
/// (`ui::editing`): without them, an edit, an undo or a redo comes back unreduced (the shell holds
/// it), and every other action reduces as it does with them.
#[test]
fn without_edit_steps_an_edit_comes_back_and_other_actions_reduce() {
    let state = with_two_claims();
    let edit = AppAction::Edit { edit: add_span(&state, "s3", 0, 0, 3), now: NOW };
    assert_eq!(state.reduce_with(edit.clone(), None).map(|_| ()), Err(Box::new(edit.clone())));
    for undoing in [AppAction::Undo { now: NOW }, AppAction::Redo { now: NOW }] {
        assert!(undoing.edits());
        assert_eq!(state.reduce_with(undoing.clone(), None).map(|_| ()), Err(Box::new(undoing)));
    }
    let open = AppAction::OpenArticle(article(&state, 1).id.clone());
    assert!(!open.edits());
    let opened = state.reduce_with(open.clone(), None).ok();
    assert_eq!(opened.as_ref().and_then(|next| next.position.article.clone()), Some(article(&state, 1).id.clone()));
    assert_eq!(opened, Some(state.reduce(open)));
    // Held and reduced later with the steps, the edit is made.
    let made = state.reduce_with(edit, Some(&EditSteps::here())).ok();
    assert_eq!(made.map(|next| next.project.spans().len()), Some(3));
}
