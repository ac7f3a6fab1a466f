//! Falco condition language: a hand-written lexer and precedence-climbing parser.
//!
//! Precedence (loosest first): `or`, `and`, `not`, then checks and parentheses.

use std::fmt;

/// A parse failure with the byte offset where it was noticed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at byte {offset}: {message}")]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
}

/// A field such as `proc.aname[2]` or `evt.arg.flags`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldRef {
    pub name: String,
    pub arg: Option<String>,
}

impl fmt::Display for FieldRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.arg {
            Some(arg) => write!(f, "{}[{}]", self.name, arg),
            None => write!(f, "{}", self.name),
        }
    }
}

/// Falco field transformers, applied to a field before comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transformer {
    ToLower,
    ToUpper,
    B64,
    Basename,
    Len,
}

impl Transformer {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "tolower" => Self::ToLower,
            "toupper" => Self::ToUpper,
            "b64" => Self::B64,
            "basename" => Self::Basename,
            "len" => Self::Len,
            _ => return None,
        })
    }
}

/// Left-hand side of a check: a field, possibly wrapped in transformers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    Field(FieldRef),
    Transformed(Transformer, Box<Operand>),
}

impl Operand {
    /// The field underneath any transformers.
    pub fn field(&self) -> &FieldRef {
        match self {
            Operand::Field(f) => f,
            Operand::Transformed(_, inner) => inner.field(),
        }
    }
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Intersects,
    Contains,
    IContains,
    BContains,
    StartsWith,
    BStartsWith,
    EndsWith,
    Glob,
    PMatch,
    Regex,
    Exists,
}

impl CmpOp {
    fn from_word(word: &str) -> Option<Self> {
        Some(match word {
            "in" => Self::In,
            "intersects" => Self::Intersects,
            "contains" => Self::Contains,
            "icontains" => Self::IContains,
            "bcontains" => Self::BContains,
            "startswith" => Self::StartsWith,
            "bstartswith" => Self::BStartsWith,
            "endswith" => Self::EndsWith,
            "glob" => Self::Glob,
            "pmatch" => Self::PMatch,
            "regex" => Self::Regex,
            "exists" => Self::Exists,
            _ => return None,
        })
    }

    fn from_symbol(sym: &str) -> Option<Self> {
        Some(match sym {
            "=" | "==" => Self::Eq,
            "!=" => Self::Ne,
            "<" => Self::Lt,
            "<=" => Self::Le,
            ">" => Self::Gt,
            ">=" => Self::Ge,
            _ => return None,
        })
    }

    /// Operators whose right-hand side is a list.
    pub fn takes_list(self) -> bool {
        matches!(self, Self::In | Self::Intersects | Self::PMatch)
    }
}

/// Right-hand side values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A quoted string, escapes resolved.
    Quoted(String),
    /// An unquoted word or number (may name a list inside list literals).
    Bare(String),
    /// `(a, b, "c")`.
    List(Vec<Value>),
    /// `val(field)`: compare against another field of the same event.
    FieldValue(Operand),
}

impl Value {
    /// The literal text of a scalar value.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Quoted(s) | Value::Bare(s) => Some(s),
            _ => None,
        }
    }
}

/// A parsed condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// A bare identifier: a macro reference, replaced during compilation.
    Macro(String),
    Check {
        lhs: Operand,
        op: CmpOp,
        /// `None` only for `exists`.
        rhs: Option<Value>,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    Comma,
    Sym(&'static str),
    Word(String),
    Str(String),
}

fn is_word_end(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | ',' | '=' | '<' | '>' | '!' | '"' | '\'')
}

fn lex(text: &str) -> Result<Vec<(Tok, usize)>, ParseError> {
    let mut toks = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(pos, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        match c {
            '(' | ')' | ',' => {
                chars.next();
                let tok = match c {
                    '(' => Tok::LParen,
                    ')' => Tok::RParen,
                    _ => Tok::Comma,
                };
                toks.push((tok, pos));
            }
            '=' | '<' | '>' | '!' => {
                chars.next();
                let followed_by_eq = chars.peek().map(|&(_, n)| n) == Some('=');
                let sym = match (c, followed_by_eq) {
                    ('=', true) => "==",
                    ('=', false) => "=",
                    ('<', true) => "<=",
                    ('<', false) => "<",
                    ('>', true) => ">=",
                    ('>', false) => ">",
                    ('!', true) => "!=",
                    _ => {
                        return Err(ParseError {
                            offset: pos,
                            message: "unexpected '!' (did you mean '!=' or 'not'?)".into(),
                        })
                    }
                };
                if followed_by_eq {
                    chars.next();
                }
                toks.push((Tok::Sym(sym), pos));
            }
            '"' | '\'' => {
                chars.next();
                let mut out = String::new();
                let mut closed = false;
                while let Some((_, ch)) = chars.next() {
                    if ch == c {
                        closed = true;
                        break;
                    }
                    if ch == '\\' {
                        match chars.next() {
                            Some((_, 'n')) => out.push('\n'),
                            Some((_, 't')) => out.push('\t'),
                            Some((_, 'r')) => out.push('\r'),
                            Some((_, other)) => out.push(other),
                            None => break,
                        }
                    } else {
                        out.push(ch);
                    }
                }
                if !closed {
                    return Err(ParseError {
                        offset: pos,
                        message: "unterminated string".into(),
                    });
                }
                toks.push((Tok::Str(out), pos));
            }
            _ => {
                let mut word = String::new();
                while let Some(&(p, ch)) = chars.peek() {
                    if is_word_end(ch) {
                        break;
                    }
                    chars.next();
                    word.push(ch);
                    if ch == '[' {
                        // Field arguments may hold characters that end words elsewhere.
                        let mut closed = false;
                        for (_, a) in chars.by_ref() {
                            word.push(a);
                            if a == ']' {
                                closed = true;
                                break;
                            }
                        }
                        if !closed {
                            return Err(ParseError {
                                offset: p,
                                message: "unterminated '[' in field argument".into(),
                            });
                        }
                    }
                }
                toks.push((Tok::Word(word), pos));
            }
        }
    }
    Ok(toks)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }
    fn peek_at(&self, n: usize) -> Option<&Tok> {
        self.toks.get(self.pos + n).map(|(t, _)| t)
    }
    fn offset(&self) -> usize {
        self.toks.get(self.pos).map(|(_, o)| *o).unwrap_or(self.end)
    }
    fn err<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            offset: self.offset(),
            message: message.into(),
        })
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).map(|(t, _)| t.clone());
        if t.is_some() {
            self.pos += 1;
        }
        t
    }
    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(x)) if x == w)
    }
    fn expect(&mut self, tok: Tok, what: &str) -> Result<(), ParseError> {
        if self.peek() == Some(&tok) {
            self.pos += 1;
            Ok(())
        } else {
            self.err(format!("expected {what}"))
        }
    }

    fn or_expr(&mut self) -> Result<Expr, ParseError> {
        let mut terms = vec![self.and_expr()?];
        while self.is_word("or") {
            self.pos += 1;
            terms.push(self.and_expr()?);
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Expr::Or(terms)
        })
    }

    fn and_expr(&mut self) -> Result<Expr, ParseError> {
        let mut terms = vec![self.not_expr()?];
        while self.is_word("and") {
            self.pos += 1;
            terms.push(self.not_expr()?);
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Expr::And(terms)
        })
    }

    fn not_expr(&mut self) -> Result<Expr, ParseError> {
        if self.is_word("not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.not_expr()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        match self.peek() {
            Some(Tok::LParen) => {
                self.pos += 1;
                let e = self.or_expr()?;
                self.expect(Tok::RParen, "')'")?;
                Ok(e)
            }
            Some(Tok::Word(w)) if matches!(w.as_str(), "and" | "or") => {
                self.err(format!("unexpected '{w}'"))
            }
            Some(Tok::Word(_)) => self.check(),
            Some(_) => self.err("expected a field, macro or '('"),
            None => self.err("unexpected end of condition"),
        }
    }

    fn operand(&mut self) -> Result<Operand, ParseError> {
        let word = match self.next() {
            Some(Tok::Word(w)) => w,
            _ => {
                self.pos = self.pos.saturating_sub(1);
                return self.err("expected a field name");
            }
        };
        if let Some(t) = Transformer::from_name(&word) {
            if self.peek() == Some(&Tok::LParen) {
                self.pos += 1;
                let inner = self.operand()?;
                self.expect(Tok::RParen, "')' after transformer argument")?;
                return Ok(Operand::Transformed(t, Box::new(inner)));
            }
        }
        Ok(Operand::Field(split_field(&word)))
    }

    fn check(&mut self) -> Result<Expr, ParseError> {
        let start = self.offset();
        let lhs = self.operand()?;
        let op = match self.peek() {
            Some(Tok::Sym(s)) => CmpOp::from_symbol(s),
            Some(Tok::Word(w)) => CmpOp::from_word(w),
            _ => None,
        };
        let Some(op) = op else {
            if let Operand::Field(f) = &lhs {
                if f.arg.is_none() && !f.name.contains('.') {
                    return Ok(Expr::Macro(f.name.clone()));
                }
            }
            return Err(ParseError {
                offset: self.offset().max(start),
                message: format!("expected an operator after '{}'", lhs.field()),
            });
        };
        self.pos += 1;
        if op == CmpOp::Exists {
            return Ok(Expr::Check { lhs, op, rhs: None });
        }
        let rhs = if op.takes_list() {
            self.list_value()?
        } else {
            self.scalar_value()?
        };
        Ok(Expr::Check {
            lhs,
            op,
            rhs: Some(rhs),
        })
    }

    fn list_value(&mut self) -> Result<Value, ParseError> {
        match self.peek() {
            Some(Tok::LParen) => {}
            // `fd.name in list_name` is not Falco syntax, but a bare word is kept so the
            // list expander can still splice it.
            Some(Tok::Word(w)) => {
                let w = w.clone();
                self.pos += 1;
                return Ok(Value::List(vec![Value::Bare(w)]));
            }
            _ => return self.err("expected '(' to start a list"),
        }
        self.pos += 1;
        let mut items = Vec::new();
        if self.peek() == Some(&Tok::RParen) {
            self.pos += 1;
            return Ok(Value::List(items));
        }
        loop {
            items.push(self.scalar_value()?);
            match self.next() {
                Some(Tok::Comma) => {}
                Some(Tok::RParen) => break,
                _ => {
                    self.pos = self.pos.saturating_sub(1);
                    return self.err("expected ',' or ')' in list");
                }
            }
        }
        Ok(Value::List(items))
    }

    fn scalar_value(&mut self) -> Result<Value, ParseError> {
        if self.is_word("val") && self.peek_at(1) == Some(&Tok::LParen) {
            self.pos += 2;
            let field = self.operand()?;
            self.expect(Tok::RParen, "')' after val(field")?;
            return Ok(Value::FieldValue(field));
        }
        match self.next() {
            Some(Tok::Str(s)) => Ok(Value::Quoted(s)),
            Some(Tok::Word(w)) => Ok(Value::Bare(w)),
            // `evt.dir = <`: direction markers lex as symbols but are plain values here.
            Some(Tok::Sym(s)) => Ok(Value::Bare(s.to_string())),
            _ => {
                self.pos = self.pos.saturating_sub(1);
                self.err("expected a value")
            }
        }
    }
}

fn split_field(word: &str) -> FieldRef {
    if let Some(open) = word.find('[') {
        if word.ends_with(']') && open + 1 < word.len() {
            return FieldRef {
                name: word[..open].to_string(),
                arg: Some(word[open + 1..word.len() - 1].to_string()),
            };
        }
    }
    FieldRef {
        name: word.to_string(),
        arg: None,
    }
}

/// Parse one Falco condition into an expression tree.
pub fn parse_condition(text: &str) -> Result<Expr, ParseError> {
    let toks = lex(text)?;
    let mut p = Parser {
        toks,
        pos: 0,
        end: text.len(),
    };
    let e = p.or_expr()?;
    if p.pos < p.toks.len() {
        return p.err("unexpected trailing input");
    }
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> Operand {
        Operand::Field(FieldRef {
            name: name.into(),
            arg: None,
        })
    }
    fn check(name: &str, op: CmpOp, v: &str) -> Expr {
        Expr::Check {
            lhs: field(name),
            op,
            rhs: Some(Value::Bare(v.into())),
        }
    }

    #[test]
    fn all_symbol_operators() {
        for (sym, op) in [
            ("=", CmpOp::Eq),
            ("==", CmpOp::Eq),
            ("!=", CmpOp::Ne),
            ("<", CmpOp::Lt),
            ("<=", CmpOp::Le),
            (">", CmpOp::Gt),
            (">=", CmpOp::Ge),
        ] {
            let e = parse_condition(&format!("proc.pid{sym}5")).unwrap();
            assert_eq!(e, check("proc.pid", op, "5"), "{sym}");
        }
    }

    #[test]
    fn all_word_operators() {
        for (w, op) in [
            ("contains", CmpOp::Contains),
            ("icontains", CmpOp::IContains),
            ("bcontains", CmpOp::BContains),
            ("startswith", CmpOp::StartsWith),
            ("bstartswith", CmpOp::BStartsWith),
            ("endswith", CmpOp::EndsWith),
            ("glob", CmpOp::Glob),
            ("regex", CmpOp::Regex),
        ] {
            let e = parse_condition(&format!("fd.name {w} abc")).unwrap();
            assert_eq!(e, check("fd.name", op, "abc"), "{w}");
        }
        for (w, op) in [
            ("in", CmpOp::In),
            ("intersects", CmpOp::Intersects),
            ("pmatch", CmpOp::PMatch),
        ] {
            let e = parse_condition(&format!("fd.name {w} (a, 'b c', \"d\")")).unwrap();
            assert_eq!(
                e,
                Expr::Check {
                    lhs: field("fd.name"),
                    op,
                    rhs: Some(Value::List(vec![
                        Value::Bare("a".into()),
                        Value::Quoted("b c".into()),
                        Value::Quoted("d".into())
                    ]))
                }
            );
        }
        assert_eq!(
            parse_condition("proc.name exists").unwrap(),
            Expr::Check {
                lhs: field("proc.name"),
                op: CmpOp::Exists,
                rhs: None
            }
        );
    }

    #[test]
    fn precedence_not_and_or() {
        let e = parse_condition("not a and b or c").unwrap();
        assert_eq!(
            e,
            Expr::Or(vec![
                Expr::And(vec![
                    Expr::Not(Box::new(Expr::Macro("a".into()))),
                    Expr::Macro("b".into())
                ]),
                Expr::Macro("c".into())
            ])
        );
        let e = parse_condition("a and (b or c)").unwrap();
        assert_eq!(
            e,
            Expr::And(vec![
                Expr::Macro("a".into()),
                Expr::Or(vec![Expr::Macro("b".into()), Expr::Macro("c".into())])
            ])
        );
        let e = parse_condition("not not a").unwrap();
        assert_eq!(
            e,
            Expr::Not(Box::new(Expr::Not(Box::new(Expr::Macro("a".into())))))
        );
    }

    #[test]
    fn field_arguments_and_transformers() {
        let e = parse_condition("proc.aname[2] = sh and evt.arg[0] = x").unwrap();
        let Expr::And(t) = e else { panic!() };
        let Expr::Check { lhs, .. } = &t[0] else {
            panic!()
        };
        assert_eq!(lhs.field().arg.as_deref(), Some("2"));
        assert_eq!(lhs.field().name, "proc.aname");
        let e = parse_condition("tolower(basename(proc.exe)) = val(proc.name)").unwrap();
        assert_eq!(
            e,
            Expr::Check {
                lhs: Operand::Transformed(
                    Transformer::ToLower,
                    Box::new(Operand::Transformed(
                        Transformer::Basename,
                        Box::new(field("proc.exe"))
                    ))
                ),
                op: CmpOp::Eq,
                rhs: Some(Value::FieldValue(field("proc.name")))
            }
        );
        assert!(parse_condition("len(proc.args) > 3").is_ok());
        assert!(parse_condition("b64(evt.buffer) contains x").is_ok());
        assert!(parse_condition("toupper(proc.name) = SH").is_ok());
        assert!(parse_condition("proc.env[MY VAR] = x").is_ok());
    }

    #[test]
    fn direction_marker_and_escapes() {
        assert_eq!(
            parse_condition("evt.dir=<").unwrap(),
            check("evt.dir", CmpOp::Eq, "<")
        );
        let e = parse_condition(r#"proc.cmdline = "a \"b\" \\c""#).unwrap();
        assert_eq!(
            e,
            Expr::Check {
                lhs: field("proc.cmdline"),
                op: CmpOp::Eq,
                rhs: Some(Value::Quoted("a \"b\" \\c".into()))
            }
        );
        assert!(parse_condition("fd.name in ()").is_ok());
    }

    #[test]
    fn truncated_input_never_panics() {
        let text = r#"not (proc.aname[2] in ("é", b) or tolower(fd.name) glob '/x*') and val"#;
        for (i, _) in text.char_indices() {
            let _ = parse_condition(&text[..i]);
        }
        assert!(parse_condition("proc.aname[2").is_err());
        assert!(parse_condition("tolower(proc.name = x").is_err());
    }

    #[test]
    fn errors_have_offsets() {
        let e = parse_condition("proc.name = sh and").unwrap_err();
        assert_eq!(e.offset, 18);
        let e = parse_condition("proc.name sh").unwrap_err();
        assert_eq!(e.offset, 10);
        let e = parse_condition("a and (b").unwrap_err();
        assert_eq!(e.offset, 8);
        let e = parse_condition("x = 'abc").unwrap_err();
        assert_eq!(e.offset, 4);
        assert!(parse_condition("a ! b").is_err());
        assert!(parse_condition("fd.name in (a b)").is_err());
        assert!(parse_condition("").is_err());
    }
}
