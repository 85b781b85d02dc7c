//! The Agreement view: how far the annotators agree, at a glance and in detail.
//!
//! One heat-coloured matrix per label (annotator × annotator; the measure shown is chosen, every
//! figure is on the cell's hover text and screen-reader text and in its `data-*` attributes),
//! attribute α and link F1 per pair, Fleiss' κ and α over everyone from three annotators on, a
//! per-article breakdown, and the least-agreeing places, which open side by side in the
//! Adjudicate view. The figures come from `domain::agreement`, computed once per revision.

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::adjudication::places;
use crate::domain::agreement::report::{LabelAgreement, PairAgreement};
use crate::domain::agreement::{agreement_report, AgreementReport, Figure};
use crate::domain::article::shorten;
use crate::domain::project::Project;
use crate::domain::state::{AppAction, NoticeLevel, View};
use crate::formats::agreement::{to_csv, to_json};
use crate::ui::commands::today;
use crate::ui::span_editor::input_value;
use crate::ui::state::AppContext;
use crate::web::download::download_bytes;

/// Which figure colours the matrices.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Measure {
    Exact,
    Overlap,
    Kappa,
}

impl Measure {
    const ALL: [(Measure, &'static str, &'static str); 3] = [
        (Measure::Exact, "exact", "Exact span F1"),
        (Measure::Overlap, "overlap", "Overlap span F1"),
        (Measure::Kappa, "kappa", "Cohen's κ (code points)"),
    ];

    fn of(self, figures: &LabelAgreement) -> Figure {
        match self {
            Measure::Exact => figures.exact_f1,
            Measure::Overlap => figures.overlap_f1,
            Measure::Kappa => figures.kappa,
        }
    }
}

/// The data attribute form of a figure: full precision, or "n/a".
fn data_value(figure: Figure) -> String {
    figure.value().map_or("n/a".to_string(), |value| format!("{value}"))
}

/// The heat class of a figure: `heat-0` (≤ 0) to `heat-10` (1), `heat-na` when undefined.
fn heat(figure: Figure) -> String {
    match figure.value() {
        Some(value) => format!("heat-{}", (value.clamp(0.0, 1.0) * 10.0).round() as u32),
        None => "heat-na".to_string(),
    }
}

fn describe(pair: &PairAgreement, figures: &LabelAgreement, label_name: &str) -> String {
    let table = figures.kappa_table;
    format!(
        "{} and {}, {label_name}: exact F1 {} ({} matches, {} and {} spans); overlap F1 {} ({} matches); Cohen's κ {} over {} code points ({} both inside, {} only {}, {} only {}); {} articles compared",
        pair.a, pair.b, figures.exact_f1.long(), figures.exact.matches, figures.exact.a, figures.exact.b,
        figures.overlap_f1.long(), figures.overlap.matches, figures.kappa.long(), table.items(), table.both,
        table.only_a, pair.a, table.only_b, pair.b, pair.articles.len()
    )
}

fn label_name(project: &Project, id: &str) -> String {
    project.label(id).map_or(id.to_string(), |label| label.name.clone())
}

/// "Claim · Check-worthy": the label's and the attribute's names.
fn attribute_name(project: &Project, label: &str, key: &str) -> String {
    let attribute =
        project.label(label).and_then(|found| found.attributes.iter().find(|attribute| attribute.key == key));
    format!("{} · {}", label_name(project, label), attribute.map_or(key, |attribute| attribute.name.as_str()))
}

fn matrix(project: &Project, report: &AgreementReport, label: &str, measure: Measure) -> Html {
    let name = label_name(project, label);
    let header = report.annotators.iter().map(|author| html! { <th scope="col">{author.clone()}</th> });
    let rows = report.annotators.iter().map(|a| {
        let cells = report.annotators.iter().map(|b| {
            if a == b {
                return html! { <td class="diagonal" aria-label="same annotator">{"—"}</td> };
            }
            let Some(pair) = report.pair(a, b) else { return html! { <td /> } };
            let Some(figures) = pair.label(label) else { return html! { <td /> } };
            let text = describe(pair, figures, &name);
            let shown = measure.of(figures);
            html! {
                <td class={classes!("agreement-cell", heat(shown))} data-testid="agreement-cell"
                    data-a={a.clone()} data-b={b.clone()} data-label={label.to_string()}
                    data-exact-f1={data_value(figures.exact_f1)} data-overlap-f1={data_value(figures.overlap_f1)}
                    data-kappa={data_value(figures.kappa)} title={text.clone()}>
                    <span aria-hidden="true">{shown.short()}</span>
                    <span class="visually-hidden">{text}</span>
                </td>
            }
        });
        html! { <tr><th scope="row">{a.clone()}</th>{ for cells }</tr> }
    });
    html! {
        <table class="agreement-matrix" data-testid="agreement-matrix" data-label={label.to_string()}>
            <caption>{name.clone()}</caption>
            <thead><tr><td />{ for header }</tr></thead>
            <tbody>{ for rows }</tbody>
        </table>
    }
}

fn figure_cell(figure: Figure, detail: String) -> Html {
    html! { <td class={classes!("figure", heat(figure))} title={detail.clone()}>{figure.short()}<span class="visually-hidden">{format!(" ({detail})")}</span></td> }
}

fn pair_tables(project: &Project, report: &AgreementReport) -> Html {
    let pairs = report.pairs.iter().map(|pair| {
        let articles = pair
            .articles
            .iter()
            .filter_map(|id| project.article(id))
            .map(|article| shorten(&article.title, 40))
            .collect::<Vec<_>>()
            .join(" · ");
        let attributes = pair.attributes.iter().map(|figure| {
            let detail = format!("{} units, {} pairable values; {}", figure.counts.units, figure.counts.pairable_values, figure.alpha.long());
            html! { <tr><th scope="row">{attribute_name(project, &figure.label, &figure.attribute)}</th>{figure_cell(figure.alpha, detail)}</tr> }
        });
        let links = pair.links.iter().map(|figure| {
            let detail = format!("{} matches, {} and {} links; {}", figure.counts.matches, figure.counts.a, figure.counts.b, figure.f1.long());
            html! { <tr><th scope="row">{figure.relation_type.to_string()}</th>{figure_cell(figure.f1, detail)}</tr> }
        });
        html! {
            <section class="agreement-pair" data-testid="agreement-pair">
                <h3>{format!("{} and {}", pair.a, pair.b)}</h3>
                <p class="compared">{format!("Compared over {} article{} both annotated: ", pair.articles.len(), if pair.articles.len() == 1 { "" } else { "s" })}{articles}</p>
                <div class="agreement-tables">
                    <table class="figures"><caption>{"Krippendorff's α per attribute (identical spans)"}</caption><tbody>{ for attributes }</tbody></table>
                    <table class="figures"><caption>{"Link F1 per type"}</caption><tbody>{ for links }</tbody></table>
                </div>
            </section>
        }
    });
    html! { <>{ for pairs }</> }
}

fn group_table(project: &Project, report: &AgreementReport) -> Html {
    let Some(group) = &report.group else { return html! {} };
    let kappas = group.labels.iter().map(|figure| {
        let detail =
            format!("{} code points, {} raters; {}", figure.votes.items(), figure.votes.raters, figure.kappa.long());
        html! { <tr><th scope="row">{label_name(project, &figure.label)}</th>{figure_cell(figure.kappa, detail)}</tr> }
    });
    let alphas = group.attributes.iter().map(|figure| {
        let detail = format!("{} units, {} pairable values; {}", figure.counts.units, figure.counts.pairable_values, figure.alpha.long());
        html! { <tr><th scope="row">{attribute_name(project, &figure.label, &figure.attribute)}</th>{figure_cell(figure.alpha, detail)}</tr> }
    });
    html! {
        <section class="agreement-group" data-testid="agreement-group">
            <h3>{format!("All {} annotators", group.annotators.len())}</h3>
            <p class="compared">{format!("Over the {} article(s) all of them annotated.", group.articles.len())}</p>
            <div class="agreement-tables">
                <table class="figures"><caption>{"Fleiss' κ per label (code points)"}</caption><tbody>{ for kappas }</tbody></table>
                <table class="figures"><caption>{"Krippendorff's α per attribute"}</caption><tbody>{ for alphas }</tbody></table>
            </div>
        </section>
    }
}

fn per_article(project: &Project, report: &AgreementReport, label: &str, measure: Measure) -> Html {
    let head = report.pairs.iter().map(|pair| html! { <th scope="col">{format!("{} · {}", pair.a, pair.b)}</th> });
    let rows = project.articles().iter().map(|article| {
        let cells = report.pairs.iter().map(|pair| {
            let figures = pair
                .per_article
                .iter()
                .find(|row| row.article == article.id)
                .and_then(|row| row.labels.iter().find(|figures| figures.label == label));
            match figures {
                Some(figures) => figure_cell(measure.of(figures), describe(pair, figures, &label_name(project, label))),
                None => html! { <td class="figure heat-na" title="not annotated by both">{"—"}</td> },
            }
        });
        html! { <tr><th scope="row">{shorten(&article.title, 60)}</th>{ for cells }</tr> }
    });
    html! {
        <table class="figures per-article" data-testid="agreement-per-article">
            <caption>{format!("Per article: {}", label_name(project, label))}</caption>
            <thead><tr><td />{ for head }</tr></thead>
            <tbody>{ for rows }</tbody>
        </table>
    }
}

fn download(context: &AppContext, name: &str, mime: &str, text: &str) {
    if let Err(why) = download_bytes(name, mime, text.as_bytes()) {
        context.dispatch(AppAction::Notify(crate::domain::state::Notice { level: NoticeLevel::Error, text: why }));
    }
}

#[component]
pub fn AgreementView() -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let report: Rc<AgreementReport> = {
        let project = context.project.clone();
        use_memo(context.revision, move |_| agreement_report(&project))
    };
    let all_places = {
        let project = context.project.clone();
        use_memo(context.revision, move |_| places(&project))
    };
    let measure = use_state(|| Measure::Kappa);
    let breakdown_label =
        use_state(|| context.project.labels().first().map(|label| label.id.to_string()).unwrap_or_default());
    let project = &context.project;
    let on_json = {
        let context = context.clone();
        let report = report.clone();
        Callback::from(move |_| {
            download(
                &context,
                &format!("crosscheck-agreement-{}.json", today()),
                "application/json",
                &to_json(&context.project, &report),
            )
        })
    };
    let on_csv = {
        let context = context.clone();
        let report = report.clone();
        Callback::from(move |_| {
            download(
                &context,
                &format!("crosscheck-agreement-{}.csv", today()),
                "text/csv;charset=utf-8",
                &to_csv(&report),
            )
        })
    };
    let on_measure = {
        let measure = measure.clone();
        Callback::from(move |event: Event| {
            let chosen = input_value(&event);
            if let Some((value, ..)) = Measure::ALL.iter().find(|(_, id, _)| *id == chosen) {
                measure.set(*value);
            }
        })
    };
    let on_label = {
        let breakdown_label = breakdown_label.clone();
        Callback::from(move |event: Event| breakdown_label.set(input_value(&event)))
    };
    let head = html! {
        <div class="agreement-head">
            <h1>{"Agreement"}</h1>
            <p class="annotators">{format!("Annotators: {}", if report.annotators.is_empty() { "none yet".to_string() } else { report.annotators.join(", ") })}</p>
            <label>{"Colour by "}
                <select data-testid="agreement-measure" onchange={on_measure}>
                    { for Measure::ALL.iter().map(|(value, id, name)| html! { <option value={*id} selected={*value == *measure}>{*name}</option> }) }
                </select>
            </label>
            <button type="button" data-testid="export-agreement" onclick={on_json} title="Every figure with its counts, as JSON">{"Export agreement report (JSON)"}</button>
            <button type="button" data-testid="export-agreement-csv" onclick={on_csv} title="One row per figure, as CSV">{"CSV"}</button>
        </div>
    };
    if report.annotators.len() < 2 {
        return html! {
            <section class="agreement" data-testid="agreement-view" aria-label="Agreement">
                { head }
                <p class="agreement-empty" data-testid="agreement-empty">{"Agreement needs the work of two annotators or more. Import a colleague's project export and choose \"Add as another annotator's layer\"."}</p>
            </section>
        };
    }
    let matrices = project.labels().iter().map(|label| matrix(project, &report, &label.id, *measure));
    let mut open: Vec<_> = all_places.iter().filter(|place| !place.unanimous()).cloned().collect();
    crate::domain::sorting::sort_by(&mut open, |a, b| {
        a.agreement().total_cmp(&b.agreement()).then((b.end - b.start).cmp(&(a.end - a.start)))
    });
    let worst = open.iter().take(10).map(|place| {
        let article = project.article(&place.article);
        let text = article.and_then(|article| article.slice(place.start, place.end)).map(|text| shorten(text, 90)).unwrap_or_default();
        let onclick = {
            let context = context.clone();
            let article = place.article.clone();
            let key = place.key();
            Callback::from(move |_| {
                crate::ui::adjudicate::request_focus(key.clone());
                context.dispatch(AppAction::OpenArticle(article.clone()));
                context.dispatch(AppAction::SetView(View::Adjudicate));
            })
        };
        let versions = place.versions.iter().map(|version| version.authors.join(" + ")).collect::<Vec<_>>().join(" | ");
        html! {
            <li><button type="button" class="worst-place" data-testid="agreement-worst" {onclick}>
                <span class="share">{format!("{:.0}% agree", place.agreement() * 100.0)}</span>
                <span class="quote">{format!("“{text}”")}</span>
                <span class="where">{format!("{} · {versions}", article.map(|article| shorten(&article.title, 40)).unwrap_or_default())}</span>
            </button></li>
        }
    });
    let label_options = project.labels().iter().map(|label| html! { <option value={label.id.to_string()} selected={label.id == *breakdown_label}>{label.name.clone()}</option> });
    html! {
        <section class="agreement" data-testid="agreement-view" aria-label="Agreement">
            { head }
            <div class="agreement-matrices">{ for matrices }</div>
            <p class="legend" aria-hidden="true"><span class="heat-0">{"0"}</span><span class="heat-5">{"0.5"}</span><span class="heat-10">{"1"}</span><span class="heat-na">{"n/a"}</span>{" Hover a cell for every figure and its counts."}</p>
            <div class="agreement-columns">
                <div>
                    { pair_tables(project, &report) }
                    { group_table(project, &report) }
                    <label>{"Per-article breakdown for "}<select data-testid="agreement-breakdown-label" onchange={on_label}>{ for label_options }</select></label>
                    { per_article(project, &report, &breakdown_label, *measure) }
                </div>
                <section class="agreement-worst">
                    <h3>{"Least-agreeing places"}</h3>
                    if open.is_empty() { <p>{"Every place is unanimous."}</p> } else { <ol>{ for worst }</ol> }
                </section>
            </div>
        </section>
    }
}
