//! The HTML report's stylesheet: every colour pair in one table, so a unit test can hold
//! each pair to WCAG AA contrast, and the layout rules for a 1400 px screen, a phone and
//! print.

/// One foreground/background pair and the selector it styles.
#[derive(Debug, Clone, Copy)]
pub struct Swatch {
    pub selector: &'static str,
    pub foreground: &'static str,
    pub background: &'static str,
}

/// Every coloured thing the report draws. Colour is never the only signal: each cell also
/// carries a glyph and a word (see the legend).
pub const SWATCHES: &[Swatch] = &[
    Swatch {
        selector: "body",
        foreground: "#1f2328",
        background: "#ffffff",
    },
    Swatch {
        selector: "th",
        foreground: "#1f2328",
        background: "#e8ecf0",
    },
    Swatch {
        selector: ".muted,.not-run,.not-probed",
        foreground: "#57606a",
        background: "#ffffff",
    },
    Swatch {
        selector: ".held,.cell.allow",
        foreground: "#0f5323",
        background: "#d3f5da",
    },
    Swatch {
        selector: ".cell.deny",
        foreground: "#0b3a6e",
        background: "#dcecfb",
    },
    Swatch {
        selector: ".breach",
        foreground: "#ffffff",
        background: "#a1001c",
    },
    Swatch {
        selector: ".reached",
        foreground: "#ffffff",
        background: "#c4122f",
    },
    Swatch {
        selector: ".unexpected-deny,.wrong-role",
        foreground: "#5c3a00",
        background: "#ffe3a3",
    },
    Swatch {
        selector: ".inconclusive",
        foreground: "#2b2b2b",
        background: "#d9d9d9",
    },
    Swatch {
        selector: ".waived",
        foreground: "#4b2277",
        background: "#ece0fa",
    },
    Swatch {
        selector: ".other-denial",
        foreground: "#8a4b00",
        background: "#ffffff",
    },
];

/// Layout: sticky headers inside scrolling boxes, a summary that fits its width, a phone
/// layout and a print layout that keeps every column (landscape, small type, no scroll
/// boxes, colours printed).
const LAYOUT: &str = "\
*{box-sizing:border-box}\
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:1.5em;line-height:1.4;font-size:14px}\
h1{font-size:1.5em;margin:.2em 0}\
p,li,h1,h2,summary{overflow-wrap:anywhere}h2{font-size:1.2em;margin:1.4em 0 .4em}\
table{border-collapse:separate;border-spacing:0;margin:.5em 0}\
th,td{border:1px solid #8c959f;padding:3px 6px;font-size:13px;text-align:left;vertical-align:top}\
th{font-weight:600}\
.scroll{overflow:auto;max-width:100%;max-height:85vh}\
.scroll thead th{position:sticky;top:0;z-index:2}\
.scroll tbody th{position:sticky;left:0;z-index:1}\
.scroll thead th:first-child{left:0;z-index:3}\
th.col{writing-mode:vertical-rl;white-space:nowrap;vertical-align:bottom}\
td.cell{text-align:center;font-weight:600;white-space:nowrap;font-size:12px}\
table.reach{width:100%;max-width:100%;table-layout:fixed}\
table.reach td,table.reach th{overflow-wrap:anywhere}\
td.reach-cell{text-align:center}\
td.reach-cell .word{font-weight:700}\
td.reach-cell .counts{display:block;font-size:11px}\
table.reach.dense td.reach-cell{padding:2px 1px;font-size:11px;font-weight:700}\
table.reach.dense td.reach-cell .counts{font-size:9px;font-weight:400}\
table.reach.dense th{font-size:10px;padding:2px}\
.glyph{font-weight:700}\
.legend{display:flex;flex-wrap:wrap;gap:.4em 1.2em;padding:0;list-style:none}\
.legend li{display:flex;align-items:center;gap:.4em}\
.legend .swatch{display:inline-block;min-width:6.5em;text-align:center;padding:1px 6px;border:1px solid #8c959f;font-weight:600;font-size:12px}\
.user-evidence{display:block;font-weight:400;font-size:11px}\
details{margin:.3em 0}summary{cursor:pointer}\
pre.passing{font-size:12px;overflow:auto;max-height:40vh}\
code{font-size:12px;overflow-wrap:anywhere}\
td.probe{max-width:32em}\
@media (max-width:700px){\
body{margin:.5em;font-size:13px}\
th,td{padding:2px 4px;font-size:12px}\
table.reach td.reach-cell .word{display:none}\
.scroll{max-height:70vh}\
}\
@media print{\
@page{size:A4 landscape;margin:8mm}\
body{margin:0;font-size:9px}\
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\
.scroll{overflow:visible;max-height:none}\
.scroll thead th,.scroll tbody th{position:static}\
thead{display:table-header-group}\
tr{break-inside:avoid}\
th,td{font-size:8px;padding:1px 2px}\
td.cell{font-size:7px;white-space:normal}\
table{width:100%}\
pre.passing{max-height:none;overflow:visible;white-space:pre-wrap}\
}";

/// The whole stylesheet: the colour pairs, then the layout.
pub fn stylesheet() -> String {
    let mut css = String::new();
    for swatch in SWATCHES {
        css.push_str(&format!(
            "{}{{color:{};background:{}}}",
            swatch.selector, swatch.foreground, swatch.background
        ));
    }
    css.push_str(LAYOUT);
    css
}

/// The WCAG 2.x contrast ratio of two `#rrggbb` colours
/// (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio).
pub fn contrast_ratio(first: &str, second: &str) -> Option<f64> {
    let (first, second) = (relative_luminance(first)?, relative_luminance(second)?);
    let (light, dark) = if first > second {
        (first, second)
    } else {
        (second, first)
    };
    Some((light + 0.05) / (dark + 0.05))
}

/// https://www.w3.org/TR/WCAG21/#dfn-relative-luminance
fn relative_luminance(hex: &str) -> Option<f64> {
    let hex = hex.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let channel = |at: usize| -> Option<f64> {
        let value = f64::from(u8::from_str_radix(hex.get(at..at + 2)?, 16).ok()?) / 255.0;
        Some(if value <= 0.04045 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2.1 success criterion 1.4.3, level AA: 4.5:1 for normal text.
    const AA_NORMAL_TEXT: f64 = 4.5;

    #[test]
    fn every_colour_pair_meets_wcag_aa_for_normal_text() {
        for swatch in SWATCHES {
            let ratio = contrast_ratio(swatch.foreground, swatch.background)
                .unwrap_or_else(|| panic!("{} has a colour that is not #rrggbb", swatch.selector));
            assert!(
                ratio >= AA_NORMAL_TEXT,
                "{}: {} on {} is {ratio:.2}:1, below {AA_NORMAL_TEXT}:1",
                swatch.selector,
                swatch.foreground,
                swatch.background
            );
        }
    }

    #[test]
    fn the_contrast_formula_gives_the_known_extremes() {
        assert_eq!(contrast_ratio("#000000", "#ffffff"), Some(21.0));
        assert_eq!(contrast_ratio("#777777", "#777777"), Some(1.0));
        // #767676 on white is the classic lightest AA grey: 4.54:1.
        let grey = contrast_ratio("#767676", "#ffffff").unwrap();
        assert!((grey - 4.54).abs() < 0.01, "{grey}");
        assert_eq!(contrast_ratio("red", "#ffffff"), None);
    }

    #[test]
    fn every_state_the_reports_draw_has_a_colour_pair() {
        use crate::report::tenant_reach::ReachState;
        let css = stylesheet();
        let states = [
            ReachState::Breach,
            ReachState::Reached,
            ReachState::UnexpectedDeny,
            ReachState::Inconclusive,
            ReachState::Waived,
            ReachState::Held,
            ReachState::NotProbed,
        ];
        for state in states {
            let class = format!(".{}", state.label());
            assert!(
                SWATCHES
                    .iter()
                    .any(|swatch| swatch.selector.split(',').any(|s| s == class)),
                "{class} has no colour pair"
            );
        }
        for class in [".cell.allow", ".cell.deny", ".not-run", ".wrong-role"] {
            assert!(css.contains(class), "{class} missing from the stylesheet");
        }
        assert!(css.contains("@media print") && css.contains("@media (max-width:700px)"));
        assert!(css.contains("position:sticky"));
    }
}
