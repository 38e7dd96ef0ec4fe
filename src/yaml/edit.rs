//! Comment-preserving edits: change, add or remove one field of a YAML file by splicing its
//! text at the spans the parser reports, so everything not edited stays byte-for-byte.

use super::{Node, Pos, Route, Seg, Value, parse};

/// Why an edit could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError(pub String);

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EditError {}

/// A YAML file's text, edited in place.
#[derive(Debug, Clone)]
pub struct Document {
    text: String,
}

impl Document {
    pub fn new(text: impl Into<String>) -> Document {
        Document { text: text.into() }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn into_text(self) -> String {
        self.text
    }

    fn root(&self) -> Result<Node, EditError> {
        let parsed = parse(&self.text);
        if let Some(p) = parsed.problems.first() {
            return Err(EditError(format!(
                "line {}: {}",
                p.span.start.line, p.message
            )));
        }
        parsed
            .root
            .filter(|r| matches!(r.value, Value::Map(_)))
            .ok_or_else(|| EditError("the file is not a mapping".into()))
    }

    /// Set the field at `route` to `yaml` (a scalar or flow value, already YAML text): replaces
    /// the value when the field exists, or adds `key: value` at the end of its mapping.
    pub fn set(&mut self, route: &Route, yaml: &str) -> Result<(), EditError> {
        let root = self.root()?;
        let (parent_route, last) = split(route)?;
        let parent = find(&root, &parent_route)
            .ok_or_else(|| EditError(format!("no `{parent_route}` to set `{route}` in")))?;
        match last {
            Seg::Key(key) => match parent.get(key) {
                Some(entry) if is_empty_plain(&entry.value) => {
                    // `key:` with nothing after it: the parser places the empty value wherever
                    // it stopped, so write right after the key's colon instead.
                    let after_key = self.offset(entry.key.span.end);
                    let colon = self.text[after_key..]
                        .find(':')
                        .map_or(after_key, |i| after_key + i + 1);
                    self.text.insert_str(colon, &format!(" {yaml}"));
                    Ok(())
                }
                Some(entry)
                    if matches!(
                        entry.value.value,
                        Value::Scalar {
                            style: super::Style::Block,
                            ..
                        }
                    ) =>
                {
                    // `key: |` and its indented lines become `key: value` on one line.
                    let after_key = self.offset(entry.key.span.end);
                    let colon = self.text[after_key..]
                        .find(':')
                        .map_or(after_key, |i| after_key + i + 1);
                    let end = self.offset(entry.value.span.end);
                    let end = if end > 0 && self.text.as_bytes().get(end - 1) == Some(&b'\n') {
                        end
                    } else {
                        self.end_of_line(end)
                    };
                    self.text.replace_range(colon..end, &format!(" {yaml}\n"));
                    Ok(())
                }
                Some(entry) => self.replace_value(&entry.value, yaml),
                None => self.insert_key(parent, key, yaml),
            },
            Seg::Index(i) => match &parent.value {
                Value::Seq(items) if *i < items.len() => self.replace_value(&items[*i], yaml),
                _ => Err(EditError(format!("no item {i} in `{parent_route}`"))),
            },
        }
    }

    /// Remove the field at `route` (its whole line, or its part of a flow mapping).
    pub fn remove(&mut self, route: &Route) -> Result<(), EditError> {
        let root = self.root()?;
        let (parent_route, last) = split(route)?;
        let Some(parent) = find(&root, &parent_route) else {
            return Ok(());
        };
        let Seg::Key(key) = last else {
            return Err(EditError("only fields can be removed".into()));
        };
        let entries = parent.entries();
        let Some(index) = entries
            .iter()
            .position(|e| e.key_str() == Some(key.as_str()))
        else {
            return Ok(());
        };
        let entry = &entries[index];
        let start = self.offset(entry.key.span.start);
        let end = self.offset(entry.value.span.end);
        if self.is_flow(parent) {
            // `{ a: 1, b: 2 }`: take the separating comma with the entry.
            let (from, to) = match entries.get(index + 1) {
                Some(next) => (start, self.offset(next.key.span.start)),
                None => {
                    let before = self.text[..start].trim_end();
                    (before.strip_suffix(',').map_or(start, str::len), end)
                }
            };
            self.text.replace_range(from..to, "");
        } else {
            let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = self.text[end..]
                .find('\n')
                .map_or(self.text.len(), |i| end + i + 1);
            self.text.replace_range(line_start..line_end, "");
        }
        Ok(())
    }

    /// Append `yaml` (a flow value, e.g. `{ person: x, role: lead }`) to the list at `route`,
    /// creating the field as a block list when it does not exist.
    pub fn push(&mut self, route: &Route, yaml: &str) -> Result<(), EditError> {
        let root = self.root()?;
        let list = find(&root, route);
        match list.map(|n| &n.value) {
            Some(Value::Seq(items)) if !items.is_empty() => {
                let node = list.unwrap_or(&root);
                if self.is_flow(node) {
                    let at = self.offset(items[items.len() - 1].span.end);
                    self.text.insert_str(at, &format!(", {yaml}"));
                } else {
                    let last = &items[items.len() - 1];
                    let dash = self.dash_column(last);
                    let at = self.end_of_line(self.offset(last.span.end));
                    let prefix = if at == self.text.len() && !self.text.ends_with('\n') {
                        "\n"
                    } else {
                        ""
                    };
                    self.text
                        .insert_str(at, &format!("{prefix}{}- {yaml}\n", " ".repeat(dash)));
                }
                Ok(())
            }
            _ => {
                let block = format!("\n  - {yaml}");
                self.set_block(route, &block)
            }
        }
    }

    /// Remove item `index` of the list at `route` (its lines in a block list, its part of a
    /// flow list); the last item removed takes the field with it.
    pub fn remove_item(&mut self, route: &Route, index: usize) -> Result<(), EditError> {
        let root = self.root()?;
        let node = find(&root, route).ok_or_else(|| EditError(format!("no `{route}`")))?;
        let Value::Seq(items) = &node.value else {
            return Err(EditError(format!("`{route}` is not a list")));
        };
        if index >= items.len() {
            return Err(EditError(format!("no item {index} in `{route}`")));
        }
        if items.len() == 1 {
            return self.remove(route);
        }
        let start = self.offset(items[index].span.start);
        if self.is_flow(node) {
            let (from, to) = match items.get(index + 1) {
                Some(next) => (start, self.offset(next.span.start)),
                None => {
                    let before = self.text[..start].trim_end();
                    let from = before.strip_suffix(',').map_or(start, str::len);
                    (from, self.offset(items[index].span.end))
                }
            };
            self.text.replace_range(from..to, "");
        } else {
            let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
            let end = self.offset(items[index].span.end);
            let to = if end > 0 && self.text.as_bytes().get(end - 1) == Some(&b'\n') {
                end
            } else {
                self.end_of_line(end)
            };
            self.text.replace_range(line_start..to, "");
        }
        Ok(())
    }

    /// Set a field to a block value (`yaml` starts with a newline and is indented by two spaces
    /// relative to the key); used to create lists and mappings.
    fn set_block(&mut self, route: &Route, block: &str) -> Result<(), EditError> {
        let root = self.root()?;
        let (parent_route, last) = split(route)?;
        let Seg::Key(key) = last else {
            return Err(EditError("only fields can hold a block".into()));
        };
        let parent = find(&root, &parent_route)
            .ok_or_else(|| EditError(format!("no `{parent_route}` to add `{key}` to")))?;
        if let Some(entry) = parent.get(key) {
            if !entry.value.is_null() {
                return Err(EditError(format!("`{route}` already has a value")));
            }
            let indent = self.column_of(entry.key.span.start);
            let start = self.offset(entry.key.span.start);
            let end = if entry.value.as_str() == Some("") {
                self.end_of_line(start)
            } else {
                self.offset(entry.value.span.end)
            };
            let end = end.min(self.end_of_line(start));
            let text = format!("{key}:{}", indent_block(block, indent));
            self.text.replace_range(start..end, &text);
            return Ok(());
        }
        let indent = self.mapping_indent(parent);
        let at = self.after_mapping(parent);
        let prefix = if at == self.text.len() && !self.text.is_empty() && !self.text.ends_with('\n')
        {
            "\n"
        } else {
            ""
        };
        let text = format!(
            "{prefix}{}{key}:{}\n",
            " ".repeat(indent),
            indent_block(block, indent)
        );
        self.text.insert_str(at, &text);
        Ok(())
    }

    fn replace_value(&mut self, node: &Node, yaml: &str) -> Result<(), EditError> {
        if let Value::Map(_) | Value::Seq(_) = node.value
            && !self.is_flow(node)
        {
            return Err(EditError(
                "cannot replace a block list or mapping with a single value".into(),
            ));
        }
        let start = self.offset(node.span.start);
        let mut end = self.offset(node.span.end);
        if matches!(
            node.value,
            Value::Scalar {
                style: super::Style::Block,
                ..
            }
        ) {
            end = end.max(start);
        }
        self.text.replace_range(start..end, yaml);
        Ok(())
    }

    fn insert_key(&mut self, parent: &Node, key: &str, yaml: &str) -> Result<(), EditError> {
        if self.is_flow(parent) {
            let entries = parent.entries();
            match entries.last() {
                Some(last) => {
                    let at = self.offset(last.value.span.end);
                    self.text.insert_str(at, &format!(", {key}: {yaml}"));
                }
                None => {
                    let open = self.offset(parent.span.start);
                    self.text.insert_str(open + 1, &format!(" {key}: {yaml} "));
                }
            }
            return Ok(());
        }
        let indent = self.mapping_indent(parent);
        let at = self.after_mapping(parent);
        let prefix = if at == self.text.len() && !self.text.is_empty() && !self.text.ends_with('\n')
        {
            "\n"
        } else {
            ""
        };
        self.text.insert_str(
            at,
            &format!("{prefix}{}{key}: {yaml}\n", " ".repeat(indent)),
        );
        Ok(())
    }

    /// Byte offset of the end of the line holding the mapping's last value (after its `\n`).
    fn after_mapping(&self, map: &Node) -> usize {
        match map.entries().last() {
            Some(last) => {
                let end = self.offset(last.value.span.end);
                // A block scalar's span ends at the start of the next line already.
                if end > 0 && self.text.as_bytes().get(end - 1) == Some(&b'\n') {
                    end
                } else {
                    self.end_of_line(end)
                }
            }
            None => self.end_of_line(self.offset(map.span.start)),
        }
    }

    fn mapping_indent(&self, map: &Node) -> usize {
        map.entries()
            .first()
            .map_or(0, |e| self.column_of(e.key.span.start))
    }

    /// The column (0-based, in characters) of the `- ` that introduces `item`.
    fn dash_column(&self, item: &Node) -> usize {
        let start = self.offset(item.span.start);
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line = &self.text[line_start..start];
        line.rfind('-').map_or(0, |i| line[..i].chars().count())
    }

    fn is_flow(&self, node: &Node) -> bool {
        let start = self.offset(node.span.start);
        matches!(self.text.as_bytes().get(start), Some(b'{' | b'['))
    }

    fn column_of(&self, pos: Pos) -> usize {
        pos.column.saturating_sub(1) as usize
    }

    fn end_of_line(&self, from: usize) -> usize {
        self.text[from..]
            .find('\n')
            .map_or(self.text.len(), |i| from + i + 1)
    }

    /// Byte offset of a position (line and column count characters).
    fn offset(&self, pos: Pos) -> usize {
        let mut at = 0usize;
        for _ in 1..pos.line {
            match self.text[at..].find('\n') {
                Some(i) => at += i + 1,
                None => return self.text.len(),
            }
        }
        let line = &self.text[at..];
        let col = pos.column.saturating_sub(1) as usize;
        line.char_indices()
            .nth(col)
            .map_or(self.text.len(), |(i, _)| at + i)
    }
}

fn is_empty_plain(node: &Node) -> bool {
    matches!(&node.value, Value::Scalar { text, style: super::Style::Plain } if text.is_empty())
}

fn indent_block(block: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    block.replace('\n', &format!("\n{pad}"))
}

fn split(route: &Route) -> Result<(Route, &Seg), EditError> {
    let (last, parent) = route
        .0
        .split_last()
        .ok_or_else(|| EditError("empty route".into()))?;
    Ok((Route(parent.to_vec()), last))
}

fn find<'a>(root: &'a Node, route: &Route) -> Option<&'a Node> {
    let mut node = root;
    for seg in &route.0 {
        node = match (seg, &node.value) {
            (Seg::Key(k), Value::Map(_)) => &node.get(k)?.value,
            (Seg::Index(i), Value::Seq(items)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

/// A string as a YAML scalar: plain when that reads back as the same string, quoted otherwise.
pub fn scalar(text: &str) -> String {
    let plain_ok = !text.is_empty()
        && text.trim() == text
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`',
        ])
        && !text.contains(['\n', '\t', ',', '[', ']', '{', '}'])
        && !super::node::is_null_text(text)
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off"
        )
        && text.parse::<f64>().is_err();
    if plain_ok {
        return text.to_string();
    }
    // Double quotes with escapes, exactly as YAML reads them back.
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# A session, hand-written.\nid: S1   # never changes\nstate: planned\n\nfacilitators:\n  # the lead first\n  - { person: cleo, role: lead, status: paid }\nparticipants:\n  expected: 15 # guess\n  roster: ~\nnotes: |\n  line one\n  line two\n";

    fn edit(f: impl FnOnce(&mut Document) -> Result<(), EditError>) -> String {
        let mut doc = Document::new(FILE);
        f(&mut doc).unwrap();
        doc.into_text()
    }

    #[test]
    fn replacing_a_value_keeps_comments_and_layout() {
        let out = edit(|d| d.set(&Route::parse("state"), "held"));
        assert_eq!(out, FILE.replace("state: planned", "state: held"));
        let out = edit(|d| d.set(&Route::parse("participants.expected"), "18"));
        assert_eq!(
            out,
            FILE.replace("expected: 15 # guess", "expected: 18 # guess")
        );
        let out = edit(|d| d.set(&Route::parse("participants.roster"), "private/r.yaml"));
        assert_eq!(out, FILE.replace("roster: ~", "roster: private/r.yaml"));
    }

    #[test]
    fn adding_a_field_goes_at_the_end_of_its_mapping() {
        let out = edit(|d| d.set(&Route::parse("participants.attended"), "14"));
        assert_eq!(
            out,
            FILE.replace("  roster: ~\n", "  roster: ~\n  attended: 14\n")
        );
        let out = edit(|d| d.set(&Route::parse("satisfaction"), "4.5"));
        assert_eq!(out, format!("{FILE}satisfaction: 4.5\n"));
    }

    #[test]
    fn flow_mappings_are_edited_in_place() {
        let out = edit(|d| d.set(&Route::parse("facilitators[0].status"), "volunteer"));
        assert_eq!(out, FILE.replace("status: paid }", "status: volunteer }"));
        let out = edit(|d| d.set(&Route::parse("facilitators[0].note"), "x"));
        assert_eq!(
            out,
            FILE.replace("status: paid }", "status: paid, note: x }")
        );
    }

    #[test]
    fn pushing_to_a_block_list_keeps_its_indentation() {
        let out = edit(|d| {
            d.push(
                &Route::parse("facilitators"),
                "{ person: lou, role: co, status: paid }",
            )
        });
        assert_eq!(
            out,
            FILE.replace(
                "status: paid }\n",
                "status: paid }\n  - { person: lou, role: co, status: paid }\n"
            )
        );
        let out = edit(|d| {
            d.push(
                &Route::parse("history"),
                "{ step: reminded-1, date: 2026-06-01 }",
            )
        });
        assert_eq!(
            out,
            format!("{FILE}history:\n  - {{ step: reminded-1, date: 2026-06-01 }}\n")
        );
    }

    #[test]
    fn removing_list_items_keeps_the_others() {
        let text = "id: a\nlist:\n  - { p: x }\n  - { p: y } # two\n  - { p: z }\nnext: 1\n";
        let mut doc = Document::new(text);
        doc.remove_item(&Route::parse("list"), 1).unwrap();
        assert_eq!(
            doc.text(),
            "id: a\nlist:\n  - { p: x }\n  - { p: z }\nnext: 1\n"
        );
        doc.remove_item(&Route::parse("list"), 1).unwrap();
        doc.remove_item(&Route::parse("list"), 0).unwrap();
        assert_eq!(doc.text(), "id: a\nnext: 1\n");
        let mut doc = Document::new("list: [a, b, c]\n");
        doc.remove_item(&Route::parse("list"), 2).unwrap();
        doc.remove_item(&Route::parse("list"), 0).unwrap();
        assert_eq!(doc.text(), "list: [b]\n");
        assert!(doc.remove_item(&Route::parse("list"), 3).is_err());
    }

    #[test]
    fn removing_a_field_takes_its_line_only() {
        let out = edit(|d| d.remove(&Route::parse("participants.roster")));
        assert_eq!(out, FILE.replace("  roster: ~\n", ""));
        let out = edit(|d| d.remove(&Route::parse("facilitators[0].role")));
        assert_eq!(out, FILE.replace("role: lead, ", ""));
    }

    #[test]
    fn block_scalars_and_flow_collections_are_replaced_whole() {
        let out = edit(|d| d.set(&Route::parse("notes"), "\"short\""));
        assert_eq!(
            out,
            FILE.replace("notes: |\n  line one\n  line two\n", "notes: \"short\"\n")
        );
        let mut doc = Document::new("a: |\n  x\n  y\nb: { x: 1 } # keep\nc: [1, 2]\n");
        doc.set(&Route::parse("a"), "z").unwrap();
        doc.set(&Route::parse("b"), "{ z: 3 }").unwrap();
        doc.set(&Route::parse("c"), "[3]").unwrap();
        assert_eq!(doc.text(), "a: z\nb: { z: 3 } # keep\nc: [3]\n");
    }

    #[test]
    fn an_empty_value_is_filled_after_its_colon() {
        let mut doc = Document::new("a:\nb: 1\nc:\n");
        doc.set(&Route::parse("a"), "x").unwrap();
        doc.set(&Route::parse("c"), "y").unwrap();
        assert_eq!(doc.text(), "a: x\nb: 1\nc: y\n");
    }

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        assert_eq!(scalar("camille-dupont"), "camille-dupont");
        assert_eq!(scalar("2026-05-12"), "2026-05-12");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("1200"), "\"1200\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
        for s in [
            "a: b", "yes", "- x", "#x", "x #y", "", "null", "1e3", "a,b", "é",
        ] {
            let doc = parse(&format!("k: {}\n", scalar(s))).root.unwrap();
            assert_eq!(doc.get("k").unwrap().value.as_str(), Some(s), "{s}");
        }
    }
}
