//! The Claim graph prepared before it is opened: its clusters, consistency warnings and
//! picture job found in idle time, and the picture's cluster shapes sent to the layout worker
//! then, so that a click on the Claim graph tab finds them ready.
//!
//! On the 2,000-link benchmark the click's own task spent about half its script finding the
//! clusters (`graph::clusters`, a sort of all 10,000 spans) and the warnings, and the first open
//! in a tab waited about a second more for the layout worker to start and lay out every shape
//! (the picture was drawn at cheap initial places, then moved). Now, once the page has been
//! quiet for a moment (soon after the first paint; [`AFTER_EDIT_MS`] after an edit), three idle
//! callbacks each do one part (clusters; the picture job and the worker request; warnings), and
//! `ui::claim_graph` and `ui::graph_picture` take what is kept here for the current revision
//! (computing it there and then if it is not ready). Pointing at or focusing the Claim graph
//! tab prepares at once. Kept for one revision only: an edit makes it stale.
//!
//! The steps themselves (the clusters, the warnings, the picture's job, the layout worker's
//! client) are a split module of their own, `graph_prepare` (see `ui::lazy_view`), which the first
//! step fetches: nothing of it is needed before the first paint, so the first load does not carry
//! it. The Claim graph's own module shares it, and so does the header's count of consistency
//! warnings ([`warning_count`]), counted after the frame that shows an edit.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use crate::domain::graph::{clusters, consistency_warning_count, consistency_warnings, Cluster, Warning};
use crate::domain::project::Project;
use crate::domain::state::View;
use crate::domain::story::picture::PictureJob;
use crate::ui::state::{fresh, AppContext};
use crate::web::schedule::when_idle;
use crate::web::split_module::{split_call, NotLoaded};
#[cfg(feature = "lazy-views")]
use wasm_split_helpers::wasm_split;

/// Quiet time after the first render before preparing (the first paint and the reader's first
/// blocks go first).
const AFTER_LOAD_MS: u32 = 300;
/// Quiet time after an edit before preparing again (an edit a few seconds after another does
/// not meet an idle task of preparation).
const AFTER_EDIT_MS: u32 = 3000;
/// The longest an idle callback waits for an idle moment.
const IDLE_TIMEOUT_MS: u32 = 2000;

/// What the Claim graph needs, for one revision of the project. Each part is found once.
#[derive(Default)]
struct Prepared {
    revision: u64,
    clusters: Option<Rc<Vec<Cluster>>>,
    warnings: Option<Rc<Vec<Warning>>>,
    job: Option<Rc<PictureJob>>,
    /// Whether the job's shapes were sent to the layout worker.
    sent: bool,
}

thread_local! {
    static PREPARED: RefCell<Prepared> = RefCell::new(Prepared::default());
}

/// The kept parts for `context`'s revision (a stale revision is dropped first).
fn with_current<T>(context: &AppContext, read: impl FnOnce(&mut Prepared) -> T) -> T {
    PREPARED.with(|cell| {
        let mut prepared = cell.borrow_mut();
        if prepared.revision != context.revision {
            *prepared = Prepared { revision: context.revision, ..Prepared::default() };
        }
        read(&mut prepared)
    })
}

/// The project's clusters (`graph::clusters`), kept for this revision.
pub fn graph_clusters(context: &AppContext) -> Rc<Vec<Cluster>> {
    if let Some(kept) = with_current(context, |prepared| prepared.clusters.clone()) {
        return kept;
    }
    let found = Rc::new(clusters(&context.project));
    with_current(context, |prepared| prepared.clusters = Some(found.clone()));
    found
}

/// The project's consistency warnings (`graph::consistency_warnings`), kept for this revision.
pub fn graph_warnings(context: &AppContext) -> Rc<Vec<Warning>> {
    if let Some(kept) = with_current(context, |prepared| prepared.warnings.clone()) {
        return kept;
    }
    let found = Rc::new(consistency_warnings(&context.project));
    with_current(context, |prepared| prepared.warnings = Some(found.clone()));
    found
}

/// The picture's job over `clusters` (the project's, as [`graph_clusters`] gives them), kept
/// for this revision.
pub fn picture_job(context: &AppContext, clusters: &Rc<Vec<Cluster>>) -> Rc<PictureJob> {
    let kept = with_current(context, |prepared| prepared.job.clone());
    if let Some(job) = kept.filter(|job| Rc::ptr_eq(job.clusters(), clusters)) {
        return job;
    }
    let job = Rc::new(PictureJob::of_clusters(&context.project, clusters.clone()));
    with_current(context, |prepared| prepared.job = Some(job.clone()));
    job
}

/// Sends the picture's shapes not laid out yet to the layout worker, once per revision (its
/// answer is kept by `web::layout_worker`; the picture, if it is open by then, asks again and
/// is answered by the same reply).
fn send_to_worker(context: &AppContext) {
    let job = picture_job(context, &graph_clusters(context));
    if with_current(context, |prepared| std::mem::replace(&mut prepared.sent, true)) {
        return;
    }
    crate::web::layout_worker::warm_up();
    crate::web::layout_worker::lay_out_shapes(job.shapes.clone(), |_| {});
}

/// The header's count of consistency warnings (`graph::consistency_warning_count`), counted in
/// the preparation's module (the first call fetches it, after the first paint); `None` when it
/// did not arrive.
pub async fn warning_count(project: &Project) -> Option<usize> {
    let count = split_call!(warning_count_in_module(project)).ok();
    if count.is_some() {
        MODULE_ARRIVED.set(true);
    }
    count
}

thread_local! {
    /// Whether a call into the preparation's module has succeeded (it is loaded).
    static MODULE_ARRIVED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `job`, a count of the warnings, when it may run: after the next paint once the module is
/// here; until then as the preparation waits ([`AFTER_LOAD_MS`], then an idle moment), so that
/// fetching the module stays out of the frames that draw a load's first highlights.
pub fn when_count_may_run(job: impl FnOnce() + 'static) {
    match MODULE_ARRIVED.get() {
        true => crate::web::schedule::after_next_paint(job),
        false => crate::web::schedule::after_ms(AFTER_LOAD_MS as i32, move || when_idle(IDLE_TIMEOUT_MS, job)),
    }
}

#[cfg_attr(feature = "lazy-views", wasm_split(graph_prepare, fallible))]
fn warning_count_in_module(project: &Project) -> Result<usize, NotLoaded> {
    Ok(consistency_warning_count(project))
}

/// [`step`], in the preparation's module.
#[cfg_attr(feature = "lazy-views", wasm_split(graph_prepare, fallible, preload(preload_graph_prepare)))]
fn step_in_module(context: &AppContext) -> Result<bool, NotLoaded> {
    Ok(step(context))
}

/// One step of the preparation; `false` when there is nothing left to do.
fn step(context: &AppContext) -> bool {
    let (clusters, warnings, sent) =
        with_current(context, |prepared| (prepared.clusters.is_some(), prepared.warnings.is_some(), prepared.sent));
    // The worker's part first: it then runs beside the main thread's last step.
    match (clusters, sent, warnings) {
        (false, _, _) => drop(graph_clusters(context)),
        (_, false, _) => send_to_worker(context),
        (_, _, false) => drop(graph_warnings(context)),
        _ => return false,
    }
    true
}

/// Prepares the Claim graph of `context`'s revision a step per idle callback (or per task when
/// `at_once`), until the project changes (the next preparation is scheduled by the edit) or the
/// graph is open (it then finds what it needs itself).
///
/// `context` outlives the render it came from, so it is read only through [`fresh`]: reading
/// the kept handle itself kept a copy of the project per edit made while a preparation ran (the
/// memory e2e test saw +6.6 MB over 50 tag/undo cycles when the after-load preparation ran
/// during them).
fn prepare(context: AppContext, at_once: bool) {
    let revision = fresh(&context).revision;
    let next = move || {
        wasm_bindgen_futures::spawn_local(async move {
            // The first step waits for the module (an idle moment after the first paint); the
            // others find it loaded. Offline, nothing is prepared: the graph finds what it
            // needs itself when it opens.
            #[cfg(feature = "lazy-views")]
            if preload_graph_prepare().await.is_err() {
                return;
            }
            MODULE_ARRIVED.set(true);
            let now = fresh(&context);
            let prepared = PREPARED.with(|cell| cell.borrow().revision);
            let stale = now.revision != revision || prepared > revision;
            if stale || now.position.view == View::Graph || !matches!(split_call!(step_in_module(&now)), Ok(true)) {
                return;
            }
            drop(now);
            prepare(context, at_once);
        });
    };
    match at_once {
        true => crate::web::schedule::after_ms(0, next),
        false => when_idle(IDLE_TIMEOUT_MS, next),
    }
}

/// Prepares the Claim graph now (a task per step): the pointer is on its tab, or the focus.
pub fn prepare_now(context: &AppContext) {
    prepare(context.clone(), true);
}

/// Prepares the Claim graph in idle time once the project has not changed for a moment:
/// soon after the app's first render, [`AFTER_EDIT_MS`] after an edit.
#[hook]
pub fn use_prepare_when_idle(context: &AppContext) {
    let first = use_mut_ref(|| true);
    let context = context.clone();
    use_effect_with(context.revision, move |_| {
        let delay = if std::mem::replace(&mut *first.borrow_mut(), false) { AFTER_LOAD_MS } else { AFTER_EDIT_MS };
        let timer = gloo::timers::callback::Timeout::new(delay, move || prepare(context, false));
        move || drop(timer)
    });
}
