//! "Om data": every measure's definition, formula and sources, and every
//! register's fields, generated from the shared catalogue (so it cannot
//! drift from what the server computes).

use shared::diagnosis::PREVENTABLE_GROUPS;
use shared::dimension::{
    GP_CLUSTER_RULE, HOSPITAL_BREAKDOWN_RULE, HOSPITAL_RULE, OTHER_DIAGNOSES, PRACTICE_RULE,
    TARGET_GROUP_RULES,
};
use shared::measure::{Theme, MEASURES};
use shared::register::REGISTERS;
use shared::{DimensionId, Lang};
use yew::prelude::*;

use crate::components::scroll_region::ScrollRegion;
use crate::i18n;

/// Properties of [`About`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct AboutProps {
    /// Display language.
    pub lang: Lang,
}

/// The definitions page.
#[function_component(About)]
pub fn about(props: &AboutProps) -> Html {
    let lang = props.lang;
    let register_label = |key: &str| {
        REGISTERS
            .iter()
            .find(|r| r.key == key)
            .map_or(key.to_string(), |r| r.label.get(lang).to_string())
    };
    html! {
        <article class="about">
            <h1>{ i18n::ABOUT.get(lang) }</h1>
            <p>{ i18n::METHOD.get(lang) }</p>
            <h2>{ i18n::MEASURES.get(lang) }</h2>
            { for Theme::ALL.iter().map(|theme| html! {
                <section class="theme" id={format!("theme-{}", theme.key())}>
                    <h3>{ theme.label().get(lang) }</h3>
                    { for MEASURES.iter().filter(|m| m.theme == *theme).map(|m| {
                        let sources: Vec<String> = m.sources().iter().map(|r| register_label(r.key())).collect();
                        let quantities: Vec<_> = [Some(m.numerator), m.denominator].into_iter().flatten().collect();
                        html! {
                            <section class="definition-card" id={m.key}>
                                <h4>{ m.label().get(lang) }</h4>
                                <p>{ m.description().get(lang) }</p>
                                <dl>
                                    { for m.scales.iter().map(|scale| html! {
                                        <>
                                            <dt>{ format!("{} – {}", i18n::FORMULA.get(lang), scale.label().get(lang)) }</dt>
                                            <dd><code>{ identifier(&m.formula(*scale)) }</code>{ " " }<span class="unit">{ m.unit(*scale, lang) }</span></dd>
                                        </>
                                    }) }
                                    <dt>{ i18n::SOURCES_TERM.get(lang) }</dt>
                                    <dd>{ sources.join(", ") }</dd>
                                </dl>
                                <ul class="quantities">
                                    { for quantities.iter().map(|q| {
                                        let q = q.def();
                                        html! {
                                            <li><code>{ identifier(q.column) }</code>{ " – " }{ q.label.get(lang) }{ ": " }{ q.derivation.get(lang) }</li>
                                        }
                                    }) }
                                </ul>
                            </section>
                        }
                    }) }
                </section>
            }) }
            <h2 id="target-groups">{ i18n::TARGET_GROUPS.get(lang) }</h2>
            <p>{ i18n::TARGET_GROUPS_INTRO.get(lang) }</p>
            <ul class="definitions">
                { for TARGET_GROUP_RULES.iter().map(|(codes, rule)| html! {
                    <li><span class="code">{ *codes }</span>{ " " }{ rule.get(lang) }</li>
                }) }
            </ul>
            <h2 id="gp-cluster">{ DimensionId::GpCluster.def().label.get(lang) }</h2>
            <p>{ GP_CLUSTER_RULE.get(lang) }</p>
            <h2 id="by-practice">{ DimensionId::Practice.def().label.get(lang) }</h2>
            <p>{ PRACTICE_RULE.get(lang) }</p>
            <h2 id="by-hospital">{ DimensionId::Hospital.def().label.get(lang) }</h2>
            <p>{ HOSPITAL_RULE.get(lang) }</p>
            <h2 id="by-diagnosis">{ i18n::HOSPITAL_GROUPS.get(lang) }</h2>
            <p>{ HOSPITAL_BREAKDOWN_RULE.get(lang) }</p>
            <ul class="definitions" data-testid="diagnosis-chapters">
                { for shared::diagnosis::DIAGNOSIS_CHAPTERS.iter().map(|c| html! {
                    <li>
                        <span class="code">{ format!("{} ({}–{})", c.chapter, c.from, c.to) }</span>
                        { " " }{ c.label.get(lang) }
                    </li>
                }) }
                <li>{ OTHER_DIAGNOSES.get(lang) }</li>
            </ul>
            <h2 id="disclosure">{ i18n::DISCLOSURE.get(lang) }</h2>
            <section class="disclosure" data-testid="disclosure-method">
                <p>{ shared::disclosure::EXPLANATION.get(lang) }</p>
                <ScrollRegion label={i18n::PERTURBATION_TABLE.get(lang)}>
                    <table class="data-table">
                        <caption>{ i18n::PERTURBATION_TABLE.get(lang) }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ i18n::REMAINDER.get(lang) }</th>
                                { for (1..=5).map(|b| html! { <th scope="col" class="num">{ format!("{b}/5") }</th> }) }
                            </tr>
                        </thead>
                        <tbody>
                            { for shared::disclosure::ADJUSTMENT.iter().enumerate().map(|(r, row)| html! {
                                <tr>
                                    <th scope="row">{ r }</th>
                                    { for row.iter().map(|a| html! { <td class="num">{ format!("{a:+}") }</td> }) }
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </ScrollRegion>
            </section>
            <h2 id="preventable-groups">{ i18n::PREVENTABLE_GROUPS.get(lang) }</h2>
            <ScrollRegion label={i18n::PREVENTABLE_GROUPS.get(lang)}>
                <table class="data-table">
                    <caption>{ i18n::PREVENTABLE_GROUPS.get(lang) }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ i18n::GROUP.get(lang) }</th>
                            <th scope="col">{ i18n::DIAGNOSIS_CODES.get(lang) }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for PREVENTABLE_GROUPS.iter().map(|g| html! {
                            <tr>
                                <th scope="row">{ g.label.get(lang) }</th>
                                <td><code>{ g.codes.join(", ") }</code></td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </ScrollRegion>
            <h2>{ i18n::REGISTERS.get(lang) }</h2>
            { for REGISTERS.iter().map(|r| html! {
                <details class="definition-card" id={format!("register-{}", r.key)}>
                    <summary><h3>{ r.label.get(lang) }</h3></summary>
                    <ScrollRegion label={r.label.get(lang)}>
                        <table class="data-table">
                            <thead>
                                <tr>
                                    <th scope="col">{ i18n::FIELD.get(lang) }</th>
                                    <th scope="col">{ i18n::FORMAT.get(lang) }</th>
                                </tr>
                            </thead>
                            <tbody>
                                { for r.columns.iter().map(|c| html! {
                                    <tr>
                                        <th scope="row"><code>{ identifier(c.name) }</code></th>
                                        <td>{ with_code(&c.kind.describe(lang)) }{ if c.required { "" } else { i18n::OPTIONAL.get(lang) } }<br/><small>{ c.doc.get(lang) }</small></td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </ScrollRegion>
                </details>
            }) }
        </article>
    }
}

/// An identifier or a formula (`institution_id`,
/// `sum(preventable_lower_respiratory)`) that a narrow column may break
/// after an underscore or a parenthesis, never inside a word.
fn identifier(text: &str) -> Html {
    html! {
        <>
            { for text.split_inclusive(['_', '(']).map(|part| html! {
                <>{ part.to_string() }<wbr/></>
            }) }
        </>
    }
}

/// `text` with each span between backticks — a format or a code, as the
/// catalogue's descriptions mark them — set as code.
fn with_code(text: &str) -> Html {
    html! {
        <>
            { for text.split('`').enumerate().map(|(i, part)| if i % 2 == 1 {
                html! { <code>{ part.to_string() }</code> }
            } else {
                html! { { part.to_string() } }
            }) }
        </>
    }
}
