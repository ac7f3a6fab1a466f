//! A parser and evaluator for CloudWatch Logs JSON filter patterns
//! (`{ ($.eventName = "ConsoleLogin") && ($.errorCode NOT EXISTS) }`).
//!
//! The monitoring checks decide whether a metric filter serves a CIS control by
//! running the filter over sample CloudTrail events, not by comparing text, so
//! any spelling, quoting, ordering or parenthesisation that means the same thing
//! is accepted, and a pattern that only looks right (say `&&` where `||` is
//! needed) is not.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PatternError {
    /// Space-delimited and plain-term patterns, regular expressions, `[*]`
    /// selectors and the like: valid in CloudWatch, not evaluated here.
    #[error("uses filter-pattern syntax yagura does not evaluate ({0})")]
    Unsupported(String),
    #[error("is not a valid JSON filter pattern ({0})")]
    Syntax(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
enum Test {
    Cmp(Op, String),
    Exists(bool),
    IsTrue,
    IsFalse,
    IsNull,
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Leaf(Vec<Seg>, Test),
}

/// A parsed JSON filter pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern(Expr);

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LBrace,
    RBrace,
    LParen,
    RParen,
    And,
    Or,
    Op(Op),
    Selector(String),
    /// A quoted string or a bare word; `quoted` keeps keywords apart from values.
    Word {
        text: String,
        quoted: bool,
    },
}

fn tokenize(s: &str) -> Result<Vec<Tok>, PatternError> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            c if c.is_whitespace() => i += 1,
            '{' => {
                out.push(Tok::LBrace);
                i += 1;
            }
            '}' => {
                out.push(Tok::RBrace);
                i += 1;
            }
            '(' => {
                out.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1;
            }
            '&' if next == Some('&') => {
                out.push(Tok::And);
                i += 2;
            }
            '|' if next == Some('|') => {
                out.push(Tok::Or);
                i += 2;
            }
            '!' if next == Some('=') => {
                out.push(Tok::Op(Op::Ne));
                i += 2;
            }
            '<' | '>' => {
                let eq = next == Some('=');
                out.push(Tok::Op(match (c, eq) {
                    ('<', true) => Op::Le,
                    ('<', false) => Op::Lt,
                    (_, true) => Op::Ge,
                    _ => Op::Gt,
                }));
                i += if eq { 2 } else { 1 };
            }
            '=' => {
                out.push(Tok::Op(Op::Eq));
                // `==` is not CloudWatch syntax but means the same; accept it.
                i += if next == Some('=') { 2 } else { 1 };
            }
            '"' | '\'' => {
                let quote = c;
                let mut text = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(PatternError::Syntax("unterminated string".into())),
                        Some('\\') => {
                            if let Some(&e) = chars.get(i + 1) {
                                text.push(e);
                            }
                            i += 2;
                        }
                        Some(&q) if q == quote => {
                            i += 1;
                            break;
                        }
                        Some(&o) => {
                            text.push(o);
                            i += 1;
                        }
                    }
                }
                out.push(Tok::Word { text, quoted: true });
            }
            '%' => return Err(PatternError::Unsupported("regular expression".into())),
            _ => {
                let start = i;
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !"(){}&|=!<>\"'".contains(chars[i])
                {
                    i += 1;
                }
                if i == start {
                    return Err(PatternError::Syntax(format!("unexpected `{c}`")));
                }
                let text: String = chars[start..i].iter().collect();
                if text.starts_with('$') {
                    out.push(Tok::Selector(text));
                } else {
                    out.push(Tok::Word {
                        text,
                        quoted: false,
                    });
                }
            }
        }
    }
    Ok(out)
}

fn parse_selector(s: &str) -> Result<Vec<Seg>, PatternError> {
    let rest = s
        .strip_prefix('$')
        .ok_or_else(|| PatternError::Syntax(format!("selector `{s}` does not start with $")))?;
    let mut segs = Vec::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                let mut key = String::new();
                while let Some(&k) = chars.peek() {
                    if k == '.' || k == '[' {
                        break;
                    }
                    key.push(k);
                    chars.next();
                }
                if key.is_empty() {
                    return Err(PatternError::Syntax(format!("empty key in selector `{s}`")));
                }
                segs.push(Seg::Key(key));
            }
            '[' => {
                let mut idx = String::new();
                for k in chars.by_ref() {
                    if k == ']' {
                        break;
                    }
                    idx.push(k);
                }
                let n = idx
                    .parse::<usize>()
                    .map_err(|_| PatternError::Unsupported(format!("selector index `[{idx}]`")))?;
                segs.push(Seg::Index(n));
            }
            other => {
                return Err(PatternError::Syntax(format!(
                    "unexpected `{other}` in selector `{s}`"
                )))
            }
        }
    }
    if segs.is_empty() {
        return Err(PatternError::Unsupported(
            "a selector for the whole event".into(),
        ));
    }
    Ok(segs)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn expect(&mut self, want: &Tok, what: &str) -> Result<(), PatternError> {
        match self.next() {
            Some(t) if &t == want => Ok(()),
            _ => Err(PatternError::Syntax(format!("expected {what}"))),
        }
    }

    /// `&&` binds tighter than `||`, as in most expression languages.
    fn or(&mut self) -> Result<Expr, PatternError> {
        let mut parts = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Expr, PatternError> {
        let mut parts = vec![self.unary()?];
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn unary(&mut self) -> Result<Expr, PatternError> {
        match self.next() {
            Some(Tok::LParen) => {
                let e = self.or()?;
                self.expect(&Tok::RParen, "`)`")?;
                Ok(e)
            }
            Some(Tok::Selector(s)) => {
                let path = parse_selector(&s)?;
                let test = self.test()?;
                Ok(Expr::Leaf(path, test))
            }
            Some(t) => Err(PatternError::Syntax(format!(
                "expected a selector, found {t:?}"
            ))),
            None => Err(PatternError::Syntax("pattern ends early".into())),
        }
    }

    fn keyword(&mut self) -> Option<String> {
        match self.peek() {
            Some(Tok::Word {
                text,
                quoted: false,
            }) => {
                let k = text.to_ascii_uppercase();
                self.pos += 1;
                Some(k)
            }
            _ => None,
        }
    }

    fn test(&mut self) -> Result<Test, PatternError> {
        match self.next() {
            Some(Tok::Op(op)) => match self.next() {
                Some(Tok::Word { text, .. }) => Ok(Test::Cmp(op, text)),
                _ => Err(PatternError::Syntax(
                    "expected a value after the operator".into(),
                )),
            },
            Some(Tok::Word {
                text,
                quoted: false,
            }) => match text.to_ascii_uppercase().as_str() {
                "NOT" => match self.keyword().as_deref() {
                    Some("EXISTS") => Ok(Test::Exists(false)),
                    _ => Err(PatternError::Syntax("expected EXISTS after NOT".into())),
                },
                "EXISTS" => Ok(Test::Exists(true)),
                "IS" => match self.keyword().as_deref() {
                    Some("TRUE") => Ok(Test::IsTrue),
                    Some("FALSE") => Ok(Test::IsFalse),
                    Some("NULL") => Ok(Test::IsNull),
                    _ => Err(PatternError::Syntax(
                        "expected TRUE, FALSE or NULL after IS".into(),
                    )),
                },
                other => Err(PatternError::Unsupported(format!("keyword `{other}`"))),
            },
            _ => Err(PatternError::Syntax("expected an operator".into())),
        }
    }
}

impl Pattern {
    pub fn parse(text: &str) -> Result<Pattern, PatternError> {
        let trimmed = text.trim();
        if !trimmed.starts_with('{') {
            return Err(PatternError::Unsupported(if trimmed.is_empty() {
                "empty pattern (matches everything)".into()
            } else {
                "a text or space-delimited pattern".into()
            }));
        }
        let toks = tokenize(trimmed)?;
        let mut p = Parser { toks, pos: 0 };
        p.expect(&Tok::LBrace, "`{`")?;
        let e = p.or()?;
        p.expect(&Tok::RBrace, "`}`")?;
        if p.pos != p.toks.len() {
            return Err(PatternError::Syntax("text after the closing `}`".into()));
        }
        Ok(Pattern(e))
    }

    pub fn matches(&self, event: &Value) -> bool {
        eval(&self.0, event)
    }
}

fn lookup<'a>(event: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    let mut cur = event;
    for seg in path {
        cur = match (seg, cur) {
            (Seg::Key(k), Value::Object(m)) => m.get(k)?,
            (Seg::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// `*` matches any run of characters; everything else is literal.
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn compare(v: &Value, op: Op, lit: &str) -> bool {
    if let (Some(n), Ok(want)) = (v.as_f64(), lit.parse::<f64>()) {
        return match op {
            Op::Eq => n == want,
            Op::Ne => n != want,
            Op::Lt => n < want,
            Op::Le => n <= want,
            Op::Gt => n > want,
            Op::Ge => n >= want,
        };
    }
    let Some(text) = scalar_text(v) else {
        return false;
    };
    match op {
        Op::Eq => glob(lit, &text),
        Op::Ne => !glob(lit, &text),
        // Ordering applies to numbers only.
        _ => false,
    }
}

fn eval(e: &Expr, event: &Value) -> bool {
    match e {
        Expr::Or(parts) => parts.iter().any(|p| eval(p, event)),
        Expr::And(parts) => parts.iter().all(|p| eval(p, event)),
        Expr::Leaf(path, test) => {
            let v = lookup(event, path);
            match test {
                Test::Exists(want) => v.is_some() == *want,
                Test::IsNull => v == Some(&Value::Null),
                Test::IsTrue => v == Some(&Value::Bool(true)),
                Test::IsFalse => v == Some(&Value::Bool(false)),
                // A comparison on a property the event lacks matches nothing,
                // neither `=` nor `!=`; `NOT EXISTS` is the way to test absence.
                Test::Cmp(op, lit) => v.is_some_and(|v| compare(v, *op, lit)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(p: &str, e: &Value) -> bool {
        Pattern::parse(p).unwrap().matches(e)
    }

    #[test]
    fn quoting_spacing_and_wildcards() {
        let e = json!({"errorCode": "Client.UnauthorizedOperation", "eventName": "ConsoleLogin"});
        assert!(m(r#"{($.errorCode="*UnauthorizedOperation")}"#, &e));
        assert!(m("{ $.errorCode = *UnauthorizedOperation }", &e));
        assert!(m("{ $.errorCode = '*Unauthorized*' }", &e));
        assert!(!m(r#"{ $.errorCode = "AccessDenied*" }"#, &e));
        assert!(m(
            "{ $.eventName = ConsoleLogin && $.errorCode != AccessDenied }",
            &e
        ));
        assert!(
            !m("{ $.eventName = consolelogin }", &e),
            "values are case-sensitive"
        );
    }

    #[test]
    fn precedence_and_parentheses() {
        let e = json!({"a": "1", "b": "2", "c": "3"});
        assert!(m("{ $.a = 9 || $.b = 2 && $.c = 3 }", &e));
        assert!(!m("{ ($.a = 9 || $.b = 2) && $.c = 4 }", &e));
        assert!(m("{ (($.a = 1)) }", &e));
    }

    #[test]
    fn existence_and_missing_properties() {
        let e = json!({"userIdentity": {"type": "Root"}, "x": null, "flag": true, "n": 5});
        assert!(m("{ $.userIdentity.invokedBy NOT EXISTS }", &e));
        assert!(!m("{ $.userIdentity.type NOT EXISTS }", &e));
        assert!(m(
            "{ $.x IS NULL && $.flag IS TRUE && $.n > 4 && $.n <= 5 }",
            &e
        ));
        assert!(
            !m(r#"{ $.missing != "Yes" }"#, &e),
            "comparisons on absent properties do not match"
        );
        let arr = json!({"items": [{"port": 22}]});
        assert!(m("{ $.items[0].port = 22 }", &arr));
    }

    #[test]
    fn unsupported_and_broken_patterns_are_errors() {
        assert!(matches!(
            Pattern::parse(r#""ERROR""#),
            Err(PatternError::Unsupported(_))
        ));
        assert!(matches!(
            Pattern::parse(""),
            Err(PatternError::Unsupported(_))
        ));
        assert!(matches!(
            Pattern::parse("{ $.a = %ab+% }"),
            Err(PatternError::Unsupported(_))
        ));
        assert!(matches!(
            Pattern::parse("{ $.a[*].b = 1 }"),
            Err(PatternError::Unsupported(_))
        ));
        assert!(matches!(
            Pattern::parse("{ $.a = 1 "),
            Err(PatternError::Syntax(_))
        ));
        assert!(matches!(
            Pattern::parse("{ $.a = \"x }"),
            Err(PatternError::Syntax(_))
        ));
        assert!(matches!(
            Pattern::parse("{ ($.a = 1 }"),
            Err(PatternError::Syntax(_))
        ));
        assert!(matches!(
            Pattern::parse("{ $.a = 1 } extra"),
            Err(PatternError::Syntax(_))
        ));
        assert!(matches!(
            Pattern::parse("{ $.a }"),
            Err(PatternError::Syntax(_))
        ));
    }

    #[test]
    fn glob_edge_cases() {
        assert!(glob("*", ""));
        assert!(glob("a*b*c", "axxbyyc"));
        assert!(!glob("a*b", "axxc"));
        assert!(glob("*Denied*", "AccessDeniedException"));
    }
}
