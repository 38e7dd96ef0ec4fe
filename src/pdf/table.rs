//! Tables: column widths (from `<col style="width:NN%">` or from the content), rows as
//! unbreakable slices, and the header row repeated on each page a table spans.
//!
//! Two classes shape a table: `lines` (full width, a rule under the header and light
//! separators between rows) and `totals` (a narrow block at the right margin whose
//! `tr.grand` row is the bold total under a rule).

use super::flow::{Flow, Item, Op, Slice};
use super::html::Element;
use super::layout::{Builder, CELL_PADDING_X, CELL_PADDING_Y, Ctx, LIGHT_RULE, collect_all};
use super::text::Inline;

/// Columns past this many are dropped: wider tables cannot be read on A4 anyway.
const MAX_COLUMNS: usize = 64;
/// A `totals` table takes this share of the width.
const TOTALS_SHARE: f32 = 0.45;
/// The grand total is this much larger than the other rows.
const GRAND_SIZE_STEP: f32 = 1.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Lines,
    Totals,
    Plain,
}

/// A cell and the columns it covers.
struct Cell<'a> {
    element: &'a Element,
    column: usize,
    span: usize,
}

struct Row<'a> {
    element: &'a Element,
    cells: Vec<Cell<'a>>,
}

/// The rows and column declarations of a table, in document order.
#[derive(Default)]
struct Grid<'a> {
    head: Vec<Row<'a>>,
    body: Vec<Row<'a>>,
    captions: Vec<&'a Element>,
    /// Declared width of each column, as a percentage of the table, if any.
    percents: Vec<Option<f32>>,
}

impl<'a> Grid<'a> {
    fn read(table: &'a Element) -> Grid<'a> {
        let mut grid = Grid::default();
        for child in table.elements() {
            match child.name.as_str() {
                "caption" => grid.captions.push(child),
                "colgroup" => child
                    .elements()
                    .filter(|col| col.name == "col")
                    .for_each(|col| grid.declare(col)),
                "col" => grid.declare(child),
                "thead" => grid.head.extend(rows(child)),
                "tbody" | "tfoot" => grid.body.extend(rows(child)),
                "tr" => grid.body.push(row(child)),
                _ => {}
            }
        }
        grid
    }

    fn declare(&mut self, col: &Element) {
        let span = span(col.attr("span"));
        let percent = col
            .style("width")
            .or_else(|| col.attr("width"))
            .and_then(percentage);
        for _ in 0..span {
            if self.percents.len() < MAX_COLUMNS {
                self.percents.push(percent);
            }
        }
    }

    fn rows(&self) -> impl Iterator<Item = &Row<'a>> {
        self.head.iter().chain(&self.body)
    }

    fn column_count(&self) -> usize {
        self.rows()
            .flat_map(|row| row.cells.last())
            .map(|cell| cell.column + cell.span)
            .chain([self.percents.len()])
            .max()
            .unwrap_or(0)
            .min(MAX_COLUMNS)
    }
}

fn rows(section: &Element) -> impl Iterator<Item = Row<'_>> {
    section
        .elements()
        .filter(|child| child.name == "tr")
        .map(row)
}

fn row(tr: &Element) -> Row<'_> {
    let mut column = 0;
    let mut cells = Vec::new();
    for cell in tr
        .elements()
        .filter(|cell| matches!(cell.name.as_str(), "td" | "th"))
    {
        if column >= MAX_COLUMNS {
            break;
        }
        let span = span(cell.attr("colspan")).min(MAX_COLUMNS - column);
        cells.push(Cell {
            element: cell,
            column,
            span,
        });
        column += span;
    }
    Row { element: tr, cells }
}

/// A `span` or `colspan` value: at least 1, at most [`MAX_COLUMNS`].
fn span(value: Option<&str>) -> usize {
    value
        .and_then(|value| value.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_COLUMNS)
}

/// `"25%"` as 25.0; other units are not percentages of the table and are ignored.
fn percentage(value: &str) -> Option<f32> {
    let number: f32 = value.trim().strip_suffix('%')?.trim().parse().ok()?;
    (number.is_finite() && number > 0.0).then_some(number.min(100.0))
}

impl Builder {
    /// Lays out a table: captions, then the header rows (repeated on each page the table
    /// spans), then the body rows, each row an unbreakable slice.
    pub(super) fn table(&self, table: &Element, ctx: &Ctx, flow: &mut Flow) {
        let kind = if table.has_class("lines") {
            Kind::Lines
        } else if table.has_class("totals") {
            Kind::Totals
        } else {
            Kind::Plain
        };
        let grid = Grid::read(table);
        for caption in &grid.captions {
            self.block(caption, ctx, flow);
        }
        let columns = grid.column_count();
        if columns == 0 {
            return;
        }
        let (x, width) = match kind {
            Kind::Totals => {
                let width = (ctx.width * TOTALS_SHARE).max(ctx.width.min(180.0));
                (ctx.x + ctx.width - width, width)
            }
            Kind::Lines | Kind::Plain => (ctx.x, ctx.width),
        };
        let table_ctx = Ctx { x, width, ..*ctx };
        let widths = self.column_widths(&grid, columns, kind, &table_ctx);

        let head: Vec<Slice> = grid
            .head
            .iter()
            .map(|row| self.row(row, &widths, kind, true, &table_ctx))
            .collect();
        if !head.is_empty() {
            let header = stack(head);
            flow.slice(header.clone());
            flow.items.push(Item::RepeatStart(header));
        }
        for row in &grid.body {
            flow.slice(self.row(row, &widths, kind, false, &table_ctx));
        }
        if !grid.head.is_empty() {
            flow.items.push(Item::RepeatEnd);
        }
    }

    /// The context a cell's content is laid out in (before its position is known).
    fn cell_ctx(&self, row: &Row, cell: &Cell, kind: Kind, ctx: &Ctx) -> Ctx {
        let mut row_ctx = ctx.enter(row.element);
        if row.element.has_class("grand") {
            row_ctx.text.bold = true;
            row_ctx.text.size += GRAND_SIZE_STEP;
        }
        let mut cell_ctx = row_ctx.enter(cell.element);
        if cell.element.name == "th" && kind != Kind::Totals {
            cell_ctx.text.bold = true;
        }
        cell_ctx
    }

    /// Lays out one row as a slice: cells side by side, top-aligned, with the rules the
    /// table kind calls for.
    fn row(&self, row: &Row, widths: &[f32], kind: Kind, head: bool, ctx: &Ctx) -> Slice {
        let grand = row.element.has_class("grand");
        let top_padding = if grand {
            CELL_PADDING_Y + 2.0
        } else {
            CELL_PADDING_Y
        };
        let mut ops = Vec::new();
        let mut content_height: f32 = 0.0;
        for cell in &row.cells {
            let Some(span_widths) = widths.get(cell.column..cell.column + cell.span) else {
                continue;
            };
            let x = ctx.x + widths[..cell.column].iter().sum::<f32>();
            let width: f32 = span_widths.iter().sum();
            let cell_ctx = Ctx {
                x,
                width,
                ..self.cell_ctx(row, cell, kind, ctx)
            }
            .inset(CELL_PADDING_X, CELL_PADDING_X);
            let slice = self.cell(cell.element, &cell_ctx);
            content_height = content_height.max(slice.height);
            ops.extend(slice.ops.into_iter().map(|op| op.shifted(top_padding)));
        }
        let height = content_height + top_padding + CELL_PADDING_Y;
        let (left, right) = (ctx.x, ctx.x + ctx.width);
        let mut rule = |y: f32, width: f32, color| {
            ops.push(Op::Line {
                x1: left,
                y1: y,
                x2: right,
                y2: y,
                width,
                color,
            });
        };
        if grand {
            rule(0.0, 0.8, ctx.strong_rule());
        }
        match (kind, head) {
            (Kind::Lines, true) => rule(height, 0.8, ctx.strong_rule()),
            (Kind::Lines, false) => rule(height, 0.4, LIGHT_RULE),
            (Kind::Totals | Kind::Plain, _) => {}
        }
        Slice {
            height,
            ops,
            keep_with_next: head,
        }
    }

    /// Column widths summing to the table width: declared percentages first, the other
    /// columns sharing the rest according to their content, as browsers do.
    fn column_widths(&self, grid: &Grid, columns: usize, kind: Kind, ctx: &Ctx) -> Vec<f32> {
        let declared: Vec<Option<f32>> = (0..columns)
            .map(|column| grid.percents.get(column).copied().flatten())
            .collect();
        let percent_total: f32 = declared.iter().flatten().sum();
        // Percentages adding up to more than the table are scaled down to fit it.
        let scale = if percent_total > 100.0 {
            100.0 / percent_total
        } else {
            1.0
        };
        let mut widths: Vec<f32> = declared
            .iter()
            .map(|percent| percent.map_or(0.0, |percent| ctx.width * percent * scale / 100.0))
            .collect();
        let auto: Vec<usize> = (0..columns).filter(|&c| declared[c].is_none()).collect();
        let room = ctx.width - widths.iter().sum::<f32>();

        if auto.is_empty() {
            // Declared widths short of the table are stretched to fill it.
            let total: f32 = widths.iter().sum();
            if total > 0.0 && room > 0.0 {
                widths
                    .iter_mut()
                    .for_each(|width| *width *= ctx.width / total);
            }
            return widths;
        }
        let (min, max) = self.content_widths(grid, columns, kind, ctx);
        let sum = |values: &[f32]| auto.iter().map(|&c| values[c]).sum::<f32>();
        let (min_total, max_total) = (sum(&min), sum(&max));
        let room = room.max(0.0);
        for &column in &auto {
            widths[column] = if max_total <= room {
                // Everything fits on one line: share the slack in proportion to content.
                if max_total > 0.0 {
                    max[column] * room / max_total
                } else {
                    room / auto.len() as f32
                }
            } else if min_total <= room {
                let flexible = max_total - min_total;
                let share = if flexible > 0.0 {
                    (max[column] - min[column]) / flexible
                } else {
                    1.0 / auto.len() as f32
                };
                min[column] + (room - min_total) * share
            } else if min_total > 0.0 {
                min[column] * room / min_total
            } else {
                room / auto.len() as f32
            };
        }
        widths
    }

    /// The narrowest and widest each column's content can be, padding included, from the
    /// cells that span one column.
    fn content_widths(
        &self,
        grid: &Grid,
        columns: usize,
        kind: Kind,
        ctx: &Ctx,
    ) -> (Vec<f32>, Vec<f32>) {
        let mut min = vec![0.0_f32; columns];
        let mut max = vec![0.0_f32; columns];
        for row in grid.rows() {
            for cell in row.cells.iter().filter(|cell| cell.span == 1) {
                if cell.column >= columns {
                    continue;
                }
                let mut inline = Inline::default();
                collect_all(
                    cell.element,
                    &self.cell_ctx(row, cell, kind, ctx),
                    &mut inline,
                );
                let (low, high) = inline.min_max_width();
                min[cell.column] = min[cell.column].max(low + 2.0 * CELL_PADDING_X);
                max[cell.column] = max[cell.column].max(high + 2.0 * CELL_PADDING_X);
            }
        }
        (min, max)
    }
}

/// Slices one under the other, as one slice.
fn stack(slices: Vec<Slice>) -> Slice {
    let mut stacked = Slice {
        keep_with_next: true,
        ..Slice::default()
    };
    for slice in slices {
        let dy = stacked.height;
        stacked
            .ops
            .extend(slice.ops.into_iter().map(|op| op.shifted(dy)));
        stacked.height += slice.height;
    }
    stacked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_read() {
        assert_eq!(percentage("50%"), Some(50.0));
        assert_eq!(percentage(" 12.5 % "), Some(12.5));
        assert_eq!(percentage("120px"), None);
        assert_eq!(percentage("-3%"), None);
        assert_eq!(percentage("NaN%"), None);
    }

    #[test]
    fn spans_are_bounded() {
        assert_eq!(span(None), 1);
        assert_eq!(span(Some("0")), 1);
        assert_eq!(span(Some("3")), 3);
        assert_eq!(span(Some("1000000")), MAX_COLUMNS);
    }
}
