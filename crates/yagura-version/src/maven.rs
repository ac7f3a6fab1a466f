//! Maven `ComparableVersion` ordering.
//!
//! A version is parsed into nested lists: `.` separates items of the same
//! list, `-` (and a switch between digits and letters) opens a sub-list.
//! Items are integers, qualifier strings, or lists; trailing "null" items
//! (`0`, release qualifiers, empty lists) are dropped so `1.0` == `1`.

use std::cmp::Ordering;

use crate::num::cmp_digits;

#[derive(Debug, Clone)]
enum Item {
    Int(String),
    Str(String),
    List(Vec<Item>),
}

pub(crate) struct Version {
    items: Vec<Item>,
}

/// Known qualifiers in ascending order; "" is the release itself.
const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE_INDEX: usize = 5;

/// Sort key of a qualifier: known ones by position, unknown ones after all
/// known ones and alphabetically among themselves.
fn qualifier_key(q: &str) -> (usize, &str) {
    match QUALIFIERS.iter().position(|k| *k == q) {
        Some(i) => (i, ""),
        None => (QUALIFIERS.len(), q),
    }
}

fn make_string(value: &str, followed_by_digit: bool) -> Item {
    let v = if followed_by_digit && value.len() == 1 {
        // `a1`, `b2`, `m3` abbreviate alpha/beta/milestone.
        match value {
            "a" => "alpha",
            "b" => "beta",
            "m" => "milestone",
            other => other,
        }
    } else {
        value
    };
    let v = match v {
        "ga" | "final" | "release" => "",
        "cr" => "rc",
        other => other,
    };
    Item::Str(v.to_string())
}

fn make_item(is_digit: bool, s: &str) -> Item {
    if is_digit {
        Item::Int(s.to_string())
    } else {
        make_string(s, false)
    }
}

fn is_null(item: &Item) -> bool {
    match item {
        Item::Int(v) => v.bytes().all(|b| b == b'0'),
        Item::Str(v) => qualifier_key(v).0 == RELEASE_INDEX,
        Item::List(l) => l.is_empty(),
    }
}

/// Drops trailing null items, looking through trailing sub-lists the way
/// ComparableVersion does (stop at the first non-null non-list item).
fn normalize(list: &mut Vec<Item>) {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        if is_null(&list[i]) {
            list.remove(i);
        } else if !matches!(list[i], Item::List(_)) {
            break;
        }
    }
}

/// Builds the nested structure. Once a sub-list is opened, every later item
/// goes into it, so a stack of open lists is enough: each one becomes the
/// last item of its parent when closed.
struct Builder {
    stack: Vec<Vec<Item>>,
}

impl Builder {
    fn push(&mut self, item: Item) {
        if let Some(cur) = self.stack.last_mut() {
            cur.push(item);
        }
    }

    fn current_is_empty(&self) -> bool {
        self.stack.last().is_none_or(Vec::is_empty)
    }

    /// Current Maven treats a qualifier after `.` like one after `-`
    /// (`1.0.0.x1` < `1.0.0-x2`), so a string item that does not start a
    /// list gets its own sub-list.
    fn push_qualifier(&mut self, item: Item) {
        if !self.current_is_empty() {
            self.open_list();
        }
        self.push(item);
    }

    fn open_list(&mut self) {
        self.stack.push(Vec::new());
    }

    fn finish(mut self) -> Vec<Item> {
        // Normalise innermost lists first, as the stack unwinds.
        while let Some(mut list) = self.stack.pop() {
            normalize(&mut list);
            match self.stack.last_mut() {
                Some(parent) => parent.push(Item::List(list)),
                None => return list,
            }
        }
        Vec::new()
    }
}

pub(crate) fn parse(s: &str) -> Result<Version, &'static str> {
    let v = s.trim().to_ascii_lowercase();
    if v.is_empty() {
        return Err("empty version");
    }
    if v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("whitespace or control character in version");
    }
    if !v.chars().any(|c| c.is_ascii_alphanumeric()) {
        return Err("version has no alphanumeric characters");
    }
    let mut b = Builder {
        stack: vec![Vec::new()],
    };
    let bytes = v.as_bytes();
    let mut is_digit = false;
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        match c {
            b'.' | b'-' => {
                if i == start {
                    b.push(Item::Int("0".to_string()));
                } else {
                    b.push(make_item(is_digit, &v[start..i]));
                }
                start = i + 1;
                if c == b'-' {
                    b.open_list();
                }
            }
            c if c.is_ascii_digit() => {
                if !is_digit && i > start {
                    b.push_qualifier(make_string(&v[start..i], true));
                    start = i;
                    b.open_list();
                }
                is_digit = true;
            }
            _ => {
                if is_digit && i > start {
                    b.push(make_item(true, &v[start..i]));
                    start = i;
                    b.open_list();
                }
                is_digit = false;
            }
        }
    }
    if v.len() > start {
        let tail = &v[start..];
        if is_digit {
            b.push(make_item(true, tail));
        } else {
            b.push_qualifier(make_item(false, tail));
        }
    }
    Ok(Version { items: b.finish() })
}

/// Compares an item with an absent one (the shorter list ran out).
fn cmp_with_null(item: &Item) -> Ordering {
    match item {
        Item::Int(v) => {
            if v.bytes().all(|b| b == b'0') {
                Ordering::Equal
            } else {
                Ordering::Greater
            }
        }
        Item::Str(v) => qualifier_key(v).cmp(&(RELEASE_INDEX, "")),
        // The whole list counts, not just its head (MNG-6964): `1-0.1` is
        // newer than `1`.
        Item::List(l) => l
            .iter()
            .map(cmp_with_null)
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal),
    }
}

fn cmp_item(a: &Item, b: &Item) -> Ordering {
    match (a, b) {
        (Item::Int(x), Item::Int(y)) => cmp_digits(x, y),
        (Item::Int(_), _) => Ordering::Greater,
        (Item::Str(_), Item::Int(_)) => Ordering::Less,
        (Item::Str(x), Item::Str(y)) => qualifier_key(x).cmp(&qualifier_key(y)),
        (Item::Str(_), Item::List(_)) => Ordering::Less,
        (Item::List(_), Item::Int(_)) => Ordering::Less,
        (Item::List(_), Item::Str(_)) => Ordering::Greater,
        (Item::List(x), Item::List(y)) => cmp_lists(x, y),
    }
}

fn cmp_lists(a: &[Item], b: &[Item]) -> Ordering {
    let n = a.len().max(b.len());
    for i in 0..n {
        let ord = match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => cmp_item(x, y),
            (Some(x), None) => cmp_with_null(x),
            (None, Some(y)) => cmp_with_null(y).reverse(),
            (None, None) => Ordering::Equal,
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

pub(crate) fn cmp(a: &Version, b: &Version) -> Ordering {
    cmp_lists(&a.items, &b.items)
}
