//! Server-rendered SVG charts of the reconcile pages: estimates with their intervals, and
//! "the count" (every claim by as-of date beside the documented persons and the
//! estimate). Plain SVG with classes styled by the stylesheet: no script, no inline
//! style. Every text is escaped; the marks link to where each figure came from.

use std::fmt::Write;

/// Escapes text for SVG content and attributes.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// One interval to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Row label.
    pub label: String,
    /// Point.
    pub point: f64,
    /// Lower end.
    pub low: Option<f64>,
    /// Upper end (`None`: unbounded, drawn to the edge with an arrow).
    pub high: Option<f64>,
    /// Observed count (drawn as a tick).
    pub observed: Option<f64>,
}

fn nice_max(v: f64) -> f64 {
    if v <= 0.0 {
        return 10.0;
    }
    let p = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= v {
            return m * p;
        }
    }
    10.0 * p
}

fn grid(out: &mut String, x0: f64, x1: f64, y0: f64, y1: f64, max: f64) {
    for k in 0..=4 {
        let v = max * f64::from(k) / 4.0;
        let x = x0 + (x1 - x0) * f64::from(k) / 4.0;
        let _ = write!(
            out,
            r#"<line class="grid" x1="{x:.1}" y1="{y0:.1}" x2="{x:.1}" y2="{y1:.1}"/><text class="axis" x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            y1 + 14.0,
            v.round()
        );
    }
}

/// A horizontal interval chart, one row per estimate.
pub fn intervals(bars: &[Bar], title: &str) -> String {
    let w = 640.0;
    let row = 28.0;
    let left = 180.0;
    let right = w - 20.0;
    let h = 30.0 + row * bars.len() as f64 + 24.0;
    let max = nice_max(
        bars.iter()
            .map(|b| b.high.unwrap_or(b.point).max(b.point))
            .fold(0.0, f64::max)
            * 1.05,
    );
    let sx = |v: f64| left + (right - left) * (v / max).clamp(0.0, 1.0);
    let mut o = format!(
        r#"<svg class="chart" viewBox="0 0 {w} {h:.0}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        esc(title),
        esc(title)
    );
    grid(&mut o, left, right, 20.0, h - 24.0, max);
    for (i, b) in bars.iter().enumerate() {
        let y = 30.0 + row * i as f64 + row / 2.0;
        let _ = write!(
            o,
            r#"<text class="label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            left - 8.0,
            y + 4.0,
            esc(&b.label)
        );
        let lo = sx(b.low.unwrap_or(b.point));
        let hi = b.high.map_or(right, sx);
        let _ = write!(
            o,
            r#"<line class="interval" x1="{lo:.1}" y1="{y:.1}" x2="{hi:.1}" y2="{y:.1}"/>"#
        );
        if b.high.is_none() {
            let _ = write!(
                o,
                r#"<path class="interval-open" d="M{hi:.1},{y:.1} l-8,-5 v10 z"/>"#
            );
        }
        let _ = write!(
            o,
            r#"<circle class="point" cx="{:.1}" cy="{y:.1}" r="5"/>"#,
            sx(b.point)
        );
        if let Some(obs) = b.observed {
            let x = sx(obs);
            let _ = write!(
                o,
                r#"<line class="observed" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}"/>"#,
                y - 9.0,
                y + 9.0
            );
        }
    }
    o.push_str("</svg>");
    o
}

/// One claim on the count chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimMark {
    /// Days since the chart's first day.
    pub day: i64,
    /// The figure (a range's middle is not used: `low`/`high` are).
    pub value: Option<f64>,
    /// Range ends.
    pub low: Option<f64>,
    /// Range upper end.
    pub high: Option<f64>,
    /// The qualifier's stored name.
    pub qualifier: Option<String>,
    /// Claimant and figure, shown beside the mark.
    pub label: String,
    /// Where it came from.
    pub href: String,
}

/// The estimate on the count chart.
#[derive(Debug, Clone, PartialEq)]
pub struct EstimateMark {
    /// Point estimate.
    pub point: f64,
    /// Lower end.
    pub low: Option<f64>,
    /// Upper end (`None`: unbounded).
    pub high: Option<f64>,
    /// Shown beside it.
    pub label: String,
    /// Where it came from.
    pub href: String,
}

/// What "the count" chart shows besides the claims.
#[derive(Debug, Clone, PartialEq)]
pub struct CountChart {
    /// The claims.
    pub claims: Vec<ClaimMark>,
    /// Days on the x axis (at least 1).
    pub days: i64,
    /// Labels of the first and last day.
    pub first_label: String,
    /// Last day's label.
    pub last_label: String,
    /// Documented unique persons, with its label and link.
    pub documented: Option<(f64, String, String)>,
    /// The estimate with its interval.
    pub estimate: Option<EstimateMark>,
    /// Accessible title.
    pub title: String,
}

/// Claims as marks by as-of date (x) and figure (y), with the documented persons as a
/// line and the estimate as a band at the right edge.
pub fn count(c: &CountChart) -> String {
    let w = 760.0;
    let h = 420.0;
    let (left, right, top, bottom) = (60.0, w - 150.0, 20.0, h - 40.0);
    let mut max: f64 = 0.0;
    for m in &c.claims {
        for v in [m.value, m.low, m.high].into_iter().flatten() {
            max = max.max(v);
        }
    }
    if let Some((d, _, _)) = &c.documented {
        max = max.max(*d);
    }
    if let Some(e) = &c.estimate {
        max = max.max(e.high.unwrap_or(e.point)).max(e.point);
    }
    // Published figures span orders of magnitude (hundreds to tens of thousands): the
    // y axis is logarithmic, from the power of ten at or below the smallest figure.
    let mut min = f64::INFINITY;
    for m in &c.claims {
        for v in [m.value, m.low, m.high].into_iter().flatten() {
            if v > 0.0 {
                min = min.min(v);
            }
        }
    }
    if let Some((d, _, _)) = &c.documented
        && *d > 0.0
    {
        min = min.min(*d);
    }
    if let Some(e) = &c.estimate {
        min = min.min(e.low.unwrap_or(e.point).max(1.0));
    }
    let lo = if min.is_finite() {
        10f64.powf(min.max(1.0).log10().floor())
    } else {
        1.0
    };
    let max = nice_max(max * 1.08).max(lo * 10.0);
    let days = c.days.max(1) as f64;
    let sx = |d: i64| left + (right - left) * (d as f64 / days).clamp(0.0, 1.0);
    let span = (max / lo).log10();
    let sy = |v: f64| bottom - (bottom - top) * ((v.max(lo) / lo).log10() / span).clamp(0.0, 1.0);
    let mut o = format!(
        r#"<svg class="chart count" viewBox="0 0 {w} {h}" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>"#,
        t = esc(&c.title)
    );
    let mut tick = lo;
    while tick <= max * 1.0001 {
        for m in [1.0, 2.0, 5.0] {
            let v = tick * m;
            if v > max * 1.0001 {
                break;
            }
            let y = sy(v);
            let _ = write!(
                o,
                r#"<line class="grid" x1="{left}" y1="{y:.1}" x2="{right}" y2="{y:.1}"/><text class="axis" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
                left - 6.0,
                y + 4.0,
                v.round()
            );
        }
        tick *= 10.0;
    }
    let _ = write!(
        o,
        r#"<text class="axis" x="{left}" y="{:.1}" text-anchor="start">{}</text><text class="axis" x="{right}" y="{:.1}" text-anchor="end">{}</text>"#,
        bottom + 18.0,
        esc(&c.first_label),
        bottom + 18.0,
        esc(&c.last_label)
    );
    if let Some((d, label, href)) = &c.documented {
        let y = sy(*d);
        let _ = write!(
            o,
            r#"<a href="{}"><line class="documented" x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text class="label documented-label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text></a>"#,
            esc(href),
            right + 20.0,
            right - 4.0,
            y + 16.0,
            esc(label)
        );
    }
    if let Some(EstimateMark {
        point: p,
        low: lo,
        high: hi,
        label,
        href,
    }) = &c.estimate
    {
        let x = right + 10.0;
        let y0 = sy(lo.unwrap_or(*p));
        let y1 = hi.map_or(top, sy);
        let _ = write!(
            o,
            r#"<a href="{}"><rect class="estimate-band" x="{:.1}" y="{y1:.1}" width="14" height="{:.1}"/><line class="estimate" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/><text class="label" x="{:.1}" y="{:.1}">{}</text></a>"#,
            esc(href),
            x - 7.0,
            (y0 - y1).max(1.0),
            x - 10.0,
            sy(*p),
            x + 10.0,
            sy(*p),
            x + 14.0,
            sy(*p) - 6.0,
            esc(label)
        );
    }
    let mut placed: Vec<(f64, f64, bool)> = Vec::new();
    for m in &c.claims {
        let x = sx(m.day);
        let _ = write!(o, r#"<a href="{}">"#, esc(&m.href));
        let _ = write!(o, "<title>{}</title>", esc(&m.label));
        match (m.value, m.low, m.high) {
            (_, Some(lo), Some(hi)) => {
                let _ = write!(
                    o,
                    r#"<line class="claim-range" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}"/><line class="claim-range" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/><line class="claim-range" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
                    sy(lo),
                    sy(hi),
                    x - 4.0,
                    sy(lo),
                    x + 4.0,
                    sy(lo),
                    x - 4.0,
                    sy(hi),
                    x + 4.0,
                    sy(hi)
                );
            }
            (Some(v), _, _) => {
                let y = sy(v);
                let q = m.qualifier.as_deref();
                let class = if matches!(q, Some("about" | "nearly")) {
                    "claim hollow"
                } else {
                    "claim"
                };
                let _ = write!(
                    o,
                    r#"<circle class="{class}" cx="{x:.1}" cy="{y:.1}" r="5"/>"#
                );
                if matches!(q, Some("over" | "at_least")) {
                    let _ = write!(
                        o,
                        r#"<line class="claim-over" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}"/><path class="claim-over-head" d="M{x:.1},{:.1} l-4,7 h8 z"/>"#,
                        y - 6.0,
                        y - 24.0,
                        y - 28.0
                    );
                }
                if matches!(q, Some("up_to" | "under")) {
                    let _ = write!(
                        o,
                        r#"<line class="claim-over" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}"/>"#,
                        y + 6.0,
                        y + 24.0
                    );
                }
            }
            _ => {}
        }
        let mut ly = m.value.or(m.high).map_or(bottom, sy) + 4.0;
        let to_left = x > (left + right) / 2.0;
        // Move the label down until it clears the labels already placed near it.
        while placed.iter().any(|&(px, py, pl): &(f64, f64, bool)| {
            pl == to_left && (px - x).abs() < 170.0 && (py - ly).abs() < 13.0
        }) {
            ly += 13.0;
        }
        placed.push((x, ly, to_left));
        let (lx, anchor) = if to_left {
            (x - 8.0, "end")
        } else {
            (x + 8.0, "start")
        };
        let _ = write!(
            o,
            r#"<text class="claim-label" x="{lx:.1}" y="{ly:.1}" text-anchor="{anchor}">{}</text></a>"#,
            esc(&m.label)
        );
    }
    o.push_str("</svg>");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_unbounded_intervals_open() {
        let s = intervals(
            &[Bar {
                label: "<A&B>".into(),
                point: 100.0,
                low: Some(90.0),
                high: None,
                observed: Some(80.0),
            }],
            "t",
        );
        assert!(s.contains("&lt;A&amp;B&gt;"));
        assert!(s.contains("interval-open"));
        assert!(!s.contains("style="));
    }

    #[test]
    fn claims_are_drawn_by_kind() {
        let mk = |value, low, high, q: Option<&str>| ClaimMark {
            day: 1,
            value,
            low,
            high,
            qualifier: q.map(str::to_owned),
            label: "x".into(),
            href: "/c?a=1&b=2".into(),
        };
        let s = count(&CountChart {
            claims: vec![
                mk(Some(973.0), None, None, Some("over")),
                mk(None, Some(700.0), Some(800.0), None),
                mk(Some(1400.0), None, None, Some("about")),
            ],
            days: 10,
            first_label: "a".into(),
            last_label: "b".into(),
            documented: Some((500.0, "d".into(), "/p".into())),
            estimate: Some(EstimateMark {
                point: 900.0,
                low: Some(800.0),
                high: None,
                label: "e".into(),
                href: "/e".into(),
            }),
            title: "t".into(),
        });
        assert!(s.contains("claim-over-head"));
        assert!(s.contains("claim-range"));
        assert!(s.contains("claim hollow"));
        assert!(s.contains("estimate-band"));
        assert!(s.contains("/c?a=1&amp;b=2"));
    }
}
