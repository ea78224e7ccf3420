//! Reports of the Respond section: the overview (campaign summary in a coordinator's
//! words, unique households against distributions, areas without relief, the map,
//! campaigns), the 4W matrix with its CSV (HXL) and XLSX exports, and the public view.

use super::words::{self, counted, number};
use super::{
    Lists, SubNav, area_name, campaign_label, can_coordinate, fail, fmt_date, item_forms,
    item_label, require, unit_label,
};
use crate::error::PageError;
use crate::i18n::{Lang, Strings};
use crate::nav::Section;
use crate::session::Viewer;
use crate::state::{AppState, WriteVersion};
use crate::web::{Shell, audit_entry, page, record};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sijill_model::account::OrgId;
use sijill_model::geo::{AdminLevel, Gazetteer, PCode};
use sijill_store::{FourW, FourWFilter, FourWSum, Gap, Item, ItemTotal, PeopleTotals};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use uuid::Uuid;

/// Which campaign a report covers (`?campaign=<id>`; none or empty: everything).
#[derive(Debug, Default, Deserialize)]
pub struct CampaignQuery {
    #[serde(default)]
    campaign: String,
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    err: Option<String>,
}

impl CampaignQuery {
    fn id(&self) -> Option<Uuid> {
        self.campaign.parse().ok()
    }
}

/// The summary sentence: "1,000 food baskets, 15,000 loaves, …, cash for 300
/// families, 30,000 beneficiaries, 350 volunteers".
pub(crate) fn summary(
    lang: Lang,
    items: &[Item],
    totals: &[ItemTotal],
    cash_families: u64,
    people: &PeopleTotals,
) -> String {
    let t = lang.strings();
    let mut parts = Vec::new();
    let mut individuals = 0;
    let mut cash = cash_families;
    for item in items {
        let Some(total) = totals.iter().find(|x| x.item == item.id) else {
            continue;
        };
        individuals += total.individuals;
        if item.is_cash {
            cash = cash.max(total.quantity);
            continue;
        }
        parts.push(match item_forms(t, &item.code) {
            Some(forms) => counted(lang, total.quantity, forms),
            None => format!(
                "{} {} {}",
                number(lang, total.quantity),
                unit_label(lang, item),
                item_label(lang, item)
            ),
        });
    }
    if cash > 0 {
        parts.push(
            t.rs_cash_for
                .replace("{n}", &counted(lang, cash, t.rs_n_family)),
        );
    }
    if individuals > 0 {
        parts.push(counted(lang, individuals, t.rs_n_beneficiary));
    }
    if people.volunteers > 0 {
        parts.push(counted(lang, people.volunteers, t.rs_n_volunteer));
    }
    if people.sessions > 0 {
        parts.push(counted(lang, people.sessions, t.rs_n_session));
    }
    words::join(lang, &parts)
}

/// Approximate centres (longitude, latitude) of governorates and the districts the
/// campaigns name, for the schematic map.
const CENTRES: &[(&str, f64, f64)] = &[
    ("SY01", 36.29, 33.51),
    ("SY02", 37.40, 36.25),
    ("SY03", 36.70, 33.55),
    ("SY04", 37.90, 34.60),
    ("SY05", 36.90, 35.20),
    ("SY06", 35.95, 35.65),
    ("SY07", 36.60, 35.80),
    ("SY08", 40.80, 36.55),
    ("SY09", 40.30, 35.10),
    ("SY10", 36.05, 34.95),
    ("SY11", 38.90, 35.90),
    ("SY12", 36.20, 32.80),
    ("SY13", 36.70, 32.70),
    ("SY14", 35.85, 33.10),
    ("SY0600", 35.80, 35.55),
    ("SY0602", 35.93, 35.36),
    ("SY0603", 36.03, 35.60),
    ("SY0604", 36.06, 35.45),
    ("SY1000", 35.89, 34.89),
    ("SY1002", 35.95, 35.18),
    ("SY1003", 36.12, 34.82),
    ("SY1004", 36.13, 34.90),
    ("SY1005", 36.08, 34.99),
    ("SY1006", 36.16, 35.10),
];

/// A rough outline of Syria (longitude, latitude), enough to place the circles.
const OUTLINE: &[(f64, f64)] = &[
    (35.80, 35.90),
    (36.15, 35.82),
    (36.60, 36.20),
    (36.65, 36.82),
    (37.50, 36.65),
    (38.20, 36.90),
    (39.00, 36.70),
    (40.00, 36.95),
    (41.20, 37.07),
    (42.35, 37.10),
    (41.90, 36.50),
    (41.30, 35.60),
    (41.00, 34.40),
    (38.80, 33.37),
    (36.80, 32.30),
    (35.90, 32.70),
    (35.85, 33.10),
    (36.00, 33.50),
    (36.40, 33.85),
    (36.60, 34.20),
    (36.35, 34.50),
    (35.97, 34.63),
    (35.87, 35.20),
    (35.78, 35.55),
];

fn project(lon: f64, lat: f64) -> (f64, f64) {
    ((lon - 35.4) * 95.0, (37.5 - lat) * 110.0)
}

fn centre(geo: &Gazetteer, pcode: &str) -> Option<(f64, f64)> {
    let code = PCode::parse(pcode).ok()?;
    let mut chain: Vec<String> = vec![pcode.to_owned()];
    chain.extend(
        geo.ancestry(&code)
            .iter()
            .map(|a| a.pcode.as_str().to_owned()),
    );
    chain
        .iter()
        .find_map(|c| CENTRES.iter().find(|(k, _, _)| k == c))
        .map(|&(_, lon, lat)| project(lon, lat))
}

/// The map: households served per area as circles, areas without relief as red rings.
pub(crate) fn map_svg(
    geo: &Gazetteer,
    lang: Lang,
    served: &BTreeMap<String, u64>,
    gaps: &[Gap],
) -> String {
    let mut svg = String::from(
        "<svg class=\"map\" viewBox=\"0 0 680 560\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">",
    );
    let points: Vec<String> = OUTLINE
        .iter()
        .map(|&(lon, lat)| {
            let (x, y) = project(lon, lat);
            format!("{x:.0},{y:.0}")
        })
        .collect();
    let _ = write!(
        svg,
        "<polygon class=\"map-land\" points=\"{}\"/>",
        points.join(" ")
    );
    // Merge areas that share a centre (sub-districts drawn at their district).
    let mut dots: BTreeMap<(i64, i64), (u64, Vec<String>)> = BTreeMap::new();
    for (pcode, n) in served {
        if let Some((x, y)) = centre(geo, pcode) {
            let e = dots.entry((x as i64, y as i64)).or_default();
            e.0 += n;
            let name = area_name(geo, lang, pcode);
            if !e.1.contains(&name) {
                e.1.push(name);
            }
        }
    }
    let max = dots.values().map(|d| d.0).max().unwrap_or(1).max(1) as f64;
    for ((x, y), (n, names)) in &dots {
        let r = 4.0 + 24.0 * ((*n as f64) / max).sqrt();
        let label = escape(&names.join(" · "));
        let _ = write!(
            svg,
            "<circle class=\"map-dot\" cx=\"{x}\" cy=\"{y}\" r=\"{r:.1}\"><title>{label}: {}</title></circle>",
            number(lang, *n)
        );
    }
    for g in gaps {
        if let Some((x, y)) = centre(geo, &g.pcode) {
            let name = escape(&area_name(geo, lang, &g.pcode));
            let _ = write!(
                svg,
                "<circle class=\"map-gap\" cx=\"{x:.0}\" cy=\"{y:.0}\" r=\"11\"><title>{name}</title></circle>\
                 <text class=\"map-label\" x=\"{:.0}\" y=\"{:.0}\">{name}</text>",
                x + 14.0,
                y + 4.0
            );
        }
    }
    for ((x, y), (_, names)) in &dots {
        let name = escape(names.first().map(String::as_str).unwrap_or(""));
        let _ = write!(
            svg,
            "<text class=\"map-label\" x=\"{}\" y=\"{}\">{name}</text>",
            x + 8,
            y - 8
        );
    }
    svg.push_str("</svg>");
    svg
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

struct Stat {
    label: &'static str,
    value: String,
}

struct GapRow {
    area: String,
    reasons: String,
}

struct CampaignRow {
    name: String,
    dates: String,
    partners: String,
    areas: String,
    href: String,
    selected: bool,
}

struct PartnerChoice {
    id: String,
    name: String,
}

#[derive(Template)]
#[template(path = "respond_home.html")]
struct OverviewPage {
    shell: Shell,
    t: &'static Strings,
    sub: SubNav,
    csrf: String,
    title: String,
    summary: String,
    stats: Vec<Stat>,
    gaps: Vec<GapRow>,
    map: String,
    campaigns: Vec<CampaignRow>,
    all_selected: bool,
    can_coordinate: bool,
    partners: Vec<PartnerChoice>,
    notice: Option<&'static str>,
    error: bool,
}

fn gap_reason(t: &'static Strings, r: &str) -> &'static str {
    match r {
        "incident" => t.rs_reason_incident,
        "displacement" => t.rs_reason_displacement,
        _ => t.rs_reason_target,
    }
}

/// `GET /respond`.
pub async fn overview(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<CampaignQuery>,
) -> Result<axum::response::Response, PageError> {
    require(&viewer)?;
    let lang = viewer.lang;
    let t = lang.strings();
    let lists = Lists::load(&state, lang).await?;
    let campaign = q.id();
    let store = &state.store;
    let totals = store.item_totals(campaign).await.map_err(fail(lang))?;
    let (cash_families, _) = store.cash_totals().await.map_err(fail(lang))?;
    let people = store.people_totals(campaign).await.map_err(fail(lang))?;
    let matrix = store.four_w(campaign).await.map_err(fail(lang))?;
    let reach = store.household_reach().await.map_err(fail(lang))?;
    let alerts = store
        .count_duplicate_alerts(viewer.user.org_id)
        .await
        .map_err(fail(lang))?;
    let gaps = store.relief_gaps(campaign).await.map_err(fail(lang))?;
    let mut served: BTreeMap<String, u64> = BTreeMap::new();
    for c in &matrix {
        *served.entry(c.pcode.clone()).or_default() += c.households;
    }
    let n = |v: u64| number(lang, v);
    let stats = vec![
        Stat {
            label: t.rs_stat_distributions,
            value: n(matrix.iter().map(|c| c.distributions).sum()),
        },
        Stat {
            label: t.rs_stat_reported_hh,
            value: n(matrix.iter().map(|c| c.households).sum()),
        },
        Stat {
            label: t.rs_stat_registered,
            value: n(reach.registered),
        },
        Stat {
            label: t.rs_stat_unique,
            value: n(reach.unique),
        },
        Stat {
            label: t.rs_stat_shared,
            value: n(reach.shared),
        },
        Stat {
            label: t.rs_stat_my_alerts,
            value: n(alerts),
        },
    ];
    let title = campaign
        .and_then(|id| lists.campaigns.iter().find(|c| c.id == id))
        .map(|c| campaign_label(lang, c))
        .unwrap_or_else(|| t.rs_overview.to_owned());
    let p = OverviewPage {
        shell: Shell::for_viewer(&viewer, Some(Section::Respond)),
        t,
        sub: SubNav::new(t, viewer.user.role, "/respond"),
        csrf: viewer.csrf.clone(),
        title,
        summary: summary(lang, &lists.items, &totals, cash_families, &people),
        stats,
        gaps: gaps
            .iter()
            .map(|g| GapRow {
                area: area_name(&state.geo, lang, &g.pcode),
                reasons: g
                    .reasons
                    .iter()
                    .map(|r| gap_reason(t, r))
                    .collect::<Vec<_>>()
                    .join("، "),
            })
            .collect(),
        map: map_svg(&state.geo, lang, &served, &gaps),
        campaigns: lists
            .campaigns
            .iter()
            .map(|c| CampaignRow {
                name: campaign_label(lang, c),
                dates: format!("{} – {}", fmt_date(c.starts_on), fmt_date(c.ends_on)),
                partners: c
                    .partners
                    .iter()
                    .map(|o| lists.org_name(lang, *o))
                    .collect::<Vec<_>>()
                    .join("، "),
                areas: c
                    .areas
                    .iter()
                    .map(|a| area_name(&state.geo, lang, a))
                    .collect::<Vec<_>>()
                    .join("، "),
                href: format!("/respond?campaign={}", c.id),
                selected: Some(c.id) == campaign,
            })
            .collect(),
        all_selected: campaign.is_none(),
        can_coordinate: can_coordinate(viewer.user.role),
        partners: lists
            .orgs
            .iter()
            .filter(|o| o.network_member)
            .map(|o| PartnerChoice {
                id: o.id.to_string(),
                name: crate::web::org_display_name(lang, &o.name, o.name_ar.as_deref()).to_owned(),
            })
            .collect(),
        notice: (q.done.as_deref() == Some("campaign")).then_some(t.rs_campaign_created),
        error: q.err.is_some(),
    };
    page(lang, &p)
}

struct PivotRow {
    area: String,
    cells: Vec<String>,
}

struct LongRow {
    date: String,
    area: String,
    item: String,
    org: String,
    quantity: String,
    households: String,
    individuals: String,
}

struct CampaignOption {
    value: String,
    label: String,
    selected: bool,
}

/// A row of the summary: a cell of organization × area × item, or a total.
struct SumRow {
    org: String,
    area: String,
    item: String,
    quantity: String,
    households: String,
    individuals: String,
    distributions: String,
    total: bool,
}

/// A link of the pager; `href` empty where there is nowhere to go.
struct PageLink {
    label: &'static str,
    href: String,
    rel: &'static str,
}

#[derive(Template)]
#[template(path = "respond_4w.html")]
struct FourWPage<'a> {
    shell: Shell,
    t: &'static Strings,
    sub: SubNav,
    campaigns: &'a [CampaignOption],
    orgs: &'a [CampaignOption],
    areas: &'a [CampaignOption],
    items: &'a [CampaignOption],
    from: &'a str,
    to: &'a str,
    bad_filter: bool,
    filtered: bool,
    summary: &'a [SumRow],
    item_totals: &'a [SumRow],
    grand_total: &'a SumRow,
    columns: &'a [String],
    pivot: &'a [PivotRow],
    rows: &'a [LongRow],
    rows_caption: &'a str,
    pager: &'a [PageLink],
    query: &'a str,
}

/// Everything of the 4W page but the layout: the same for every viewer who asks the
/// same question in the same language while no write happens, so it is kept in the read
/// cache (see [`four_w`]).
struct FourWBody {
    campaigns: Vec<CampaignOption>,
    orgs: Vec<CampaignOption>,
    areas: Vec<CampaignOption>,
    items: Vec<CampaignOption>,
    from: String,
    to: String,
    bad_filter: bool,
    filtered: bool,
    summary: Vec<SumRow>,
    item_totals: Vec<SumRow>,
    grand_total: SumRow,
    columns: Vec<String>,
    pivot: Vec<PivotRow>,
    rows: Vec<LongRow>,
    rows_caption: String,
    pager: Vec<PageLink>,
    query: String,
}

/// Rows of the 4W by day on one page.
pub const FOUR_W_PAGE_ROWS: u32 = 50;

/// The 4W page's query: what to show (`campaign`, `org`, `area`, `item`, `from`, `to`)
/// and which page of the rows by day (`page`, from 1). Every part may be absent or
/// empty, meaning "all".
#[derive(Debug, Default, Deserialize)]
pub struct FourWQuery {
    #[serde(default)]
    campaign: String,
    #[serde(default)]
    org: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    item: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: String,
}

/// The 4W query checked: the store's filter, the page, the values kept (as they go in
/// links), and whether some part was not understood (and left out).
struct FourWView {
    filter: FourWFilter,
    page: u64,
    kept: Vec<(&'static str, String)>,
    bad: bool,
}

impl FourWView {
    fn parse(q: &FourWQuery, lists: &Lists, geo: &Gazetteer) -> FourWView {
        let mut filter = FourWFilter::default();
        let mut kept: Vec<(&'static str, String)> = Vec::new();
        let mut bad = false;
        let mut check = |raw: &str, ok: bool| {
            if !raw.trim().is_empty() && !ok {
                bad = true;
            }
        };
        filter.campaign = q
            .campaign
            .trim()
            .parse::<Uuid>()
            .ok()
            .filter(|id| lists.campaigns.iter().any(|c| c.id == *id));
        check(&q.campaign, filter.campaign.is_some());
        filter.org = q
            .org
            .trim()
            .parse::<Uuid>()
            .ok()
            .map(OrgId::from_uuid)
            .filter(|id| lists.orgs.iter().any(|o| o.id == *id));
        check(&q.org, filter.org.is_some());
        let area = geo.get_str(q.area.trim());
        if let Some(a) = area {
            filter.pcodes = geo
                .areas()
                .iter()
                .filter(|x| geo.within(&x.pcode, &a.pcode))
                .map(|x| x.pcode.as_str().to_owned())
                .collect();
        }
        check(&q.area, area.is_some());
        filter.item = q
            .item
            .trim()
            .parse::<Uuid>()
            .ok()
            .filter(|id| lists.items.iter().any(|i| i.id == *id));
        check(&q.item, filter.item.is_some());
        filter.from = super::parse_date(&q.from);
        check(&q.from, filter.from.is_some());
        filter.to = super::parse_date(&q.to);
        check(&q.to, filter.to.is_some());
        let page = q.page.trim().parse::<u64>().ok().filter(|&p| p >= 1);
        check(&q.page, page.is_some());
        if let Some(c) = filter.campaign {
            kept.push(("campaign", c.to_string()));
        }
        if let Some(o) = filter.org {
            kept.push(("org", o.to_string()));
        }
        if let Some(a) = area {
            kept.push(("area", a.pcode.as_str().to_owned()));
        }
        if let Some(i) = filter.item {
            kept.push(("item", i.to_string()));
        }
        if let Some(d) = filter.from {
            kept.push(("from", fmt_date(d)));
        }
        if let Some(d) = filter.to {
            kept.push(("to", fmt_date(d)));
        }
        FourWView {
            filter,
            page: page.unwrap_or(1),
            kept,
            bad,
        }
    }

    /// The page's address for page `n`, with the filter kept: the same address always
    /// shows the same rows while the data stays as it is.
    fn href(&self, n: u64) -> String {
        let mut pairs = self.kept.clone();
        if n > 1 {
            pairs.push(("page", n.to_string()));
        }
        match serde_urlencoded::to_string(&pairs) {
            Ok(q) if !q.is_empty() => format!("/respond/4w?{q}"),
            _ => "/respond/4w".to_owned(),
        }
    }
}

/// `GET /respond/4w`: the summary by organization × area × item with its totals, the
/// area × item table, and the rows by day a page at a time, all under one filter.
///
/// The page but its layout ([`FourWBody`]) is made once per write version and kept in
/// the read cache under the viewer's organization, role and language and the query as
/// sent; a hit costs one shared read of the write version.
pub async fn four_w(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<FourWQuery>,
) -> Result<Response, PageError> {
    require(&viewer)?;
    let lang = viewer.lang;
    let t = lang.strings();
    let at = state
        .write_version()
        .await
        .map_err(|e| PageError::internal(lang, e))?;
    let key = serde_json::json!([
        "respond.4w",
        viewer.user.org_id.to_string(),
        viewer.user.role,
        lang.code(),
        [
            &q.campaign,
            &q.org,
            &q.area,
            &q.item,
            &q.from,
            &q.to,
            &q.page
        ]
    ])
    .to_string();
    let body = state
        .cache
        .get_or_make(&at, key, || four_w_body(&state, &at, lang, &q))
        .await?;
    let p = FourWPage {
        shell: Shell::for_viewer(&viewer, Some(Section::Respond)),
        t,
        sub: SubNav::new(t, viewer.user.role, "/respond/4w"),
        campaigns: &body.campaigns,
        orgs: &body.orgs,
        areas: &body.areas,
        items: &body.items,
        from: &body.from,
        to: &body.to,
        bad_filter: body.bad_filter,
        filtered: body.filtered,
        summary: &body.summary,
        item_totals: &body.item_totals,
        grand_total: &body.grand_total,
        columns: &body.columns,
        pivot: &body.pivot,
        rows: &body.rows,
        rows_caption: &body.rows_caption,
        pager: &body.pager,
        query: &body.query,
    };
    page(lang, &p)
}

/// The 4W page's tables and filter form for query `q` at write version `at`.
async fn four_w_body(
    state: &AppState,
    at: &WriteVersion,
    lang: Lang,
    q: &FourWQuery,
) -> Result<FourWBody, PageError> {
    let t = lang.strings();
    let lists = Lists::load_at(state, lang, at).await?;
    let mut view = FourWView::parse(q, &lists, &state.geo);
    let store = &state.store;
    let summary = store
        .four_w_summary(&view.filter)
        .await
        .map_err(fail(lang))?;
    let per = u64::from(FOUR_W_PAGE_ROWS);
    let mut days = store
        .four_w_days(&view.filter, (view.page - 1) * per, FOUR_W_PAGE_ROWS)
        .await
        .map_err(fail(lang))?;
    let pages = days.total_rows.div_ceil(per).max(1);
    if view.page > pages {
        // Past the end (the data shrank, or a typed address): show the last page.
        view.page = pages;
        days = store
            .four_w_days(&view.filter, (pages - 1) * per, FOUR_W_PAGE_ROWS)
            .await
            .map_err(fail(lang))?;
    }
    let item_pos = |id: Uuid| lists.items.iter().position(|i| i.id == id);
    let n = |v: u64| number(lang, v);
    let sum_row =
        |org: String, area: String, item: String, s: &FourWSum, qty: bool, total| SumRow {
            org,
            area,
            item,
            quantity: if qty { n(s.quantity) } else { String::new() },
            households: n(s.households),
            individuals: n(s.individuals),
            distributions: n(s.distributions),
            total,
        };
    // Organizations by name, then areas by code, then items in catalogue order; each
    // organization's rows followed by its total.
    let mut by_org = summary.by_org.clone();
    by_org.sort_by_cached_key(|(o, _)| lists.org_name(lang, *o));
    let mut rows_summary = Vec::new();
    for (org, total) in &by_org {
        let name = lists.org_name(lang, *org);
        let mut cells: Vec<_> = summary.cells.iter().filter(|c| c.org == *org).collect();
        cells.sort_by_key(|c| (c.pcode.clone(), item_pos(c.item)));
        for c in cells {
            rows_summary.push(sum_row(
                name.clone(),
                area_name(&state.geo, lang, &c.pcode),
                lists.item_name(lang, c.item),
                &c.sum,
                true,
                false,
            ));
        }
        if by_org.len() > 1 {
            rows_summary.push(sum_row(
                t.rs_total_for.replace("{name}", &name),
                String::new(),
                String::new(),
                total,
                false,
                true,
            ));
        }
    }
    let mut by_item = summary.by_item.clone();
    by_item.sort_by_key(|(i, _)| item_pos(*i));
    let item_totals = by_item
        .iter()
        .map(|(i, s)| {
            sum_row(
                t.rs_all_orgs.to_owned(),
                t.rs_all_areas.to_owned(),
                lists.item_name(lang, *i),
                s,
                true,
                true,
            )
        })
        .collect();
    let grand_total = sum_row(
        t.rs_grand_total.to_owned(),
        String::new(),
        String::new(),
        &summary.total,
        false,
        true,
    );
    // The area × item table, from the same summary.
    let items: Vec<&Item> = lists
        .items
        .iter()
        .filter(|i| summary.by_item.iter().any(|(x, _)| *x == i.id))
        .collect();
    let mut by_area: BTreeMap<&str, BTreeMap<Uuid, u64>> = BTreeMap::new();
    for c in &summary.cells {
        *by_area
            .entry(c.pcode.as_str())
            .or_default()
            .entry(c.item)
            .or_default() += c.sum.quantity;
    }
    let pivot = by_area
        .iter()
        .map(|(area, cells)| PivotRow {
            area: area_name(&state.geo, lang, area),
            cells: items
                .iter()
                .map(|i| cells.get(&i.id).map(|&q| n(q)).unwrap_or_default())
                .collect(),
        })
        .collect();
    let choice = |value: String, label: String, selected: bool| CampaignOption {
        value,
        label,
        selected,
    };
    let mut campaigns = vec![choice(
        String::new(),
        t.rs_all_campaigns.to_owned(),
        view.filter.campaign.is_none(),
    )];
    campaigns.extend(lists.campaigns.iter().map(|c| {
        choice(
            c.id.to_string(),
            campaign_label(lang, c),
            Some(c.id) == view.filter.campaign,
        )
    }));
    let mut orgs = vec![choice(
        String::new(),
        t.rs_all_orgs.to_owned(),
        view.filter.org.is_none(),
    )];
    orgs.extend(lists.orgs.iter().map(|o| {
        choice(
            o.id.to_string(),
            crate::web::org_display_name(lang, &o.name, o.name_ar.as_deref()).to_owned(),
            Some(o.id) == view.filter.org,
        )
    }));
    let chosen_area = view
        .kept
        .iter()
        .find(|(k, _)| *k == "area")
        .map(|(_, v)| v.clone());
    let mut areas = vec![choice(
        String::new(),
        t.rs_all_areas.to_owned(),
        chosen_area.is_none(),
    )];
    areas.extend(super::area_choices(&state.geo, lang).into_iter().map(|a| {
        let selected = chosen_area.as_deref() == Some(a.value.as_str());
        choice(a.value, a.label, selected)
    }));
    let mut item_choices = vec![choice(
        String::new(),
        t.rs_all_items.to_owned(),
        view.filter.item.is_none(),
    )];
    item_choices.extend(lists.items.iter().map(|i| {
        choice(
            i.id.to_string(),
            item_label(lang, i),
            Some(i.id) == view.filter.item,
        )
    }));
    let first = (view.page - 1) * per + 1;
    let last = first + days.rows.len() as u64 - 1;
    let rows_caption = if days.total_rows == 0 {
        String::new()
    } else {
        t.rs_rows_of
            .replace("{first}", &n(first))
            .replace("{last}", &n(last))
            .replace("{total}", &n(days.total_rows))
            .replace("{page}", &n(view.page))
            .replace("{pages}", &n(pages))
    };
    let link = |label, target: u64, rel, here: bool| PageLink {
        label,
        href: if here {
            String::new()
        } else {
            view.href(target)
        },
        rel,
    };
    let pager = if pages > 1 {
        vec![
            link(t.rs_page_first, 1, "", view.page == 1),
            link(
                t.rs_page_prev,
                view.page.saturating_sub(1).max(1),
                "prev",
                view.page == 1,
            ),
            link(
                t.rs_page_next,
                (view.page + 1).min(pages),
                "next",
                view.page == pages,
            ),
            link(t.rs_page_last, pages, "", view.page == pages),
        ]
    } else {
        Vec::new()
    };
    Ok(FourWBody {
        campaigns,
        orgs,
        areas,
        items: item_choices,
        from: view.filter.from.map(fmt_date).unwrap_or_default(),
        to: view.filter.to.map(fmt_date).unwrap_or_default(),
        bad_filter: view.bad,
        filtered: !view.kept.is_empty(),
        summary: rows_summary,
        item_totals,
        grand_total,
        columns: items
            .iter()
            .map(|i| format!("{} ({})", item_label(lang, i), unit_label(lang, i)))
            .collect(),
        pivot,
        rows: days
            .rows
            .iter()
            .map(|c| LongRow {
                date: fmt_date(c.on),
                area: area_name(&state.geo, lang, &c.pcode),
                item: lists.item_name(lang, c.item),
                org: lists.org_name(lang, c.org),
                quantity: n(c.quantity),
                households: n(c.households),
                individuals: n(c.individuals),
            })
            .collect(),
        rows_caption,
        pager,
        query: view
            .filter
            .campaign
            .map(|c| format!("?campaign={c}"))
            .unwrap_or_default(),
    })
}

/// The export table: header, HXL hashtags, rows.
fn export_rows(
    geo: &Gazetteer,
    lists: &Lists,
    matrix: &[FourW],
) -> (Vec<&'static str>, Vec<&'static str>, Vec<Vec<String>>) {
    let header = vec![
        "date",
        "organization",
        "admin1_pcode",
        "admin1_name",
        "area_pcode",
        "area_name",
        "item",
        "item_name",
        "unit",
        "quantity",
        "households",
        "individuals",
        "distributions",
    ];
    let hxl = vec![
        "#date",
        "#org",
        "#adm1+code",
        "#adm1+name",
        "#loc+code",
        "#loc+name",
        "#item+code",
        "#item+name",
        "#item+unit",
        "#output+num",
        "#reached+hh",
        "#reached+ind",
        "#activity+num",
    ];
    let rows = matrix
        .iter()
        .map(|c| {
            let item = lists.item(c.item);
            let gov = PCode::parse(&c.pcode)
                .ok()
                .and_then(|p| geo.governorate_of(&p).cloned());
            vec![
                fmt_date(c.on),
                lists.org_name(Lang::En, c.org),
                gov.as_ref()
                    .map(|g| g.pcode.as_str().to_owned())
                    .unwrap_or_default(),
                gov.as_ref().map(|g| g.name_en.clone()).unwrap_or_default(),
                c.pcode.clone(),
                area_name(geo, Lang::En, &c.pcode),
                item.map(|i| i.code.clone()).unwrap_or_default(),
                item.map(|i| i.name_en.clone()).unwrap_or_default(),
                item.map(|i| i.unit_en.clone()).unwrap_or_default(),
                c.quantity.to_string(),
                c.households.to_string(),
                c.individuals.to_string(),
                c.distributions.to_string(),
            ]
        })
        .collect();
    (header, hxl, rows)
}

async fn export_data(
    state: &AppState,
    viewer: &Viewer,
    q: &CampaignQuery,
    format: &str,
) -> Result<(Vec<&'static str>, Vec<&'static str>, Vec<Vec<String>>), PageError> {
    require(viewer)?;
    let lang = viewer.lang;
    let lists = Lists::load(state, lang).await?;
    let matrix = state.store.four_w(q.id()).await.map_err(fail(lang))?;
    let data = export_rows(&state.geo, &lists, &matrix);
    record(
        state,
        audit_entry(
            &viewer.user,
            &format!("export.{format}"),
            "four_w",
            q.id().map(|c| c.to_string()).unwrap_or_default(),
            serde_json::json!({"rows": data.2.len()}),
        ),
    )
    .await;
    Ok(data)
}

/// `GET /respond/4w.csv`: the 4W as CSV, the second row HXL hashtags.
pub async fn four_w_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<CampaignQuery>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let (header, hxl, rows) = export_data(&state, &viewer, &q, "csv").await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let write = |w: &mut csv::Writer<Vec<u8>>| -> Result<(), csv::Error> {
        w.write_record(&header)?;
        w.write_record(&hxl)?;
        for r in &rows {
            w.write_record(r)?;
        }
        w.flush()?;
        Ok(())
    };
    write(&mut w).map_err(|e| PageError::internal(lang, e))?;
    let body = w
        .into_inner()
        .map_err(|e| PageError::internal(lang, e.error().to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"sijill-4w.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// `GET /respond/4w.xlsx`: the 4W as an Excel workbook (header, HXL row, data).
pub async fn four_w_xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<CampaignQuery>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let (header, hxl, rows) = export_data(&state, &viewer, &q, "xlsx").await?;
    let build = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("4W")?;
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (c, h) in header.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (c, h) in hxl.iter().enumerate() {
            sheet.write_string(1, c as u16, *h)?;
        }
        for (r, row) in rows.iter().enumerate() {
            let r = r as u32 + 2;
            for (c, v) in row.iter().enumerate() {
                // Counts are numbers in the sheet; the rest stays text.
                if c >= 9 {
                    sheet.write_number(r, c as u16, v.parse::<f64>().unwrap_or(0.0))?;
                } else {
                    sheet.write_string(r, c as u16, v)?;
                }
            }
        }
        book.save_to_buffer()
    };
    let body = build().map_err(|e| PageError::internal(lang, e))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"sijill-4w.xlsx\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// The smallest count of households the public view shows as a number.
pub const PUBLIC_MIN_HOUSEHOLDS: u64 = 5;

struct PublicRow {
    area: String,
    served: String,
    unique: String,
}

#[derive(Template)]
#[template(path = "respond_public.html")]
struct PublicPage {
    shell: Shell,
    t: &'static Strings,
    summary: String,
    rows: Vec<PublicRow>,
}

fn suppressed(lang: Lang, n: u64) -> String {
    if n > 0 && n < PUBLIC_MIN_HOUSEHOLDS {
        lang.strings().rs_fewer_than_5.to_owned()
    } else {
        number(lang, n)
    }
}

/// `GET /respond/public`: aggregate figures for anyone, by governorate, with counts
/// under five households suppressed.
pub async fn public(State(state): State<AppState>, lang: Lang) -> Result<Response, PageError> {
    let t = lang.strings();
    let lists = Lists::load(&state, lang).await?;
    let store = &state.store;
    let totals = store.item_totals(None).await.map_err(fail(lang))?;
    let (cash_families, _) = store.cash_totals().await.map_err(fail(lang))?;
    let people = store.people_totals(None).await.map_err(fail(lang))?;
    let matrix = store.four_w(None).await.map_err(fail(lang))?;
    let registered = store.households_by_area().await.map_err(fail(lang))?;
    let gov_of = |pcode: &str| {
        PCode::parse(pcode)
            .ok()
            .and_then(|p| {
                state
                    .geo
                    .ancestry(&p)
                    .into_iter()
                    .find(|a| a.level == AdminLevel::Governorate)
                    .map(|a| a.pcode.as_str().to_owned())
            })
            .unwrap_or_else(|| pcode.to_owned())
    };
    let mut by_gov: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for c in &matrix {
        by_gov.entry(gov_of(&c.pcode)).or_default().0 += c.households;
    }
    for (pcode, n) in &registered {
        by_gov.entry(gov_of(pcode)).or_default().1 += n;
    }
    let p = PublicPage {
        shell: Shell::anonymous(lang, "/respond/public"),
        t,
        summary: summary(lang, &lists.items, &totals, cash_families, &people),
        rows: by_gov
            .iter()
            .map(|(g, (served, unique))| PublicRow {
                area: area_name(&state.geo, lang, g),
                served: suppressed(lang, *served),
                unique: suppressed(lang, *unique),
            })
            .collect(),
    };
    page(lang, &p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(code: &str, cash: bool) -> Item {
        Item {
            id: Uuid::now_v7(),
            code: code.into(),
            name_en: code.into(),
            name_ar: "مادة".into(),
            unit_en: "unit".into(),
            unit_ar: "وحدة".into(),
            is_cash: cash,
        }
    }

    fn total(i: &Item, quantity: u64, individuals: u64) -> ItemTotal {
        ItemTotal {
            item: i.id,
            quantity,
            households: 0,
            individuals,
        }
    }

    #[test]
    fn the_summary_reads_like_a_coordinator() {
        let items = vec![
            item("food-basket", false),
            item("bread", false),
            item("soap-bar", false),
            item("cash", true),
        ];
        let totals = vec![
            total(&items[0], 1000, 20000),
            total(&items[1], 15000, 10000),
            total(&items[2], 40, 0),
            total(&items[3], 300, 0),
        ];
        let people = PeopleTotals {
            volunteers: 350,
            ..PeopleTotals::default()
        };
        assert_eq!(
            summary(Lang::En, &items, &totals, 120, &people),
            "1,000 food baskets, 15,000 loaves, 40 unit soap-bar, cash for 300 families, 30,000 beneficiaries, 350 volunteers"
        );
        assert_eq!(
            summary(Lang::Ar, &items, &totals, 120, &people),
            "١٬٠٠٠ سلة غذائية، و١٥٬٠٠٠ رغيف خبز، و٤٠ وحدة مادة، ومساعدات نقدية لـ٣٠٠ أسرة، و٣٠٬٠٠٠ مستفيد، و٣٥٠ متطوعًا"
        );
    }

    #[test]
    fn small_counts_are_suppressed() {
        assert_eq!(suppressed(Lang::En, 0), "0");
        assert_eq!(suppressed(Lang::En, 4), "fewer than 5");
        assert_eq!(suppressed(Lang::En, 5), "5");
        assert_eq!(suppressed(Lang::Ar, 3), "أقل من 5");
    }
}
