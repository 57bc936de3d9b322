"""The search query language: tokenizer and recursive-descent parser.

Users type what they know from other search boxes::

    quota "arrest targets" -training quot* NEAR(collateral arrest, 5)
    collateral NEAR/5 arrest   (a OR b) NOT c   office:"El Paso"
    production:ICE-2019 type:email date:2017-08..2017-09 ocr:yes
    bates:"DFE 000100..000200"   exemption:(b)(6)

The parser produces a small syntax tree; `readingroom.search.compile` turns it
into one FTS5 MATCH expression (every user term quoted, so FTS5 never sees
user syntax) plus SQL filters with bound parameters. Every mistake raises
`QueryError` naming the problem and its column, because the web page shows
that message to the user instead of a server error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from readingroom.errors import QueryError
from readingroom.search.limits import MAX_DEPTH, MAX_TERMS, QueryTooLarge, check_text

__all__ = [
    "And",
    "Field",
    "Near",
    "Node",
    "Not",
    "Or",
    "Phrase",
    "Term",
    "parse",
]

#: Default distance for `a NEAR b` without a number, as in FTS5.
NEAR_DEFAULT = 10
_FIELD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


# -- syntax tree -------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    """One word; `prefix` for `quot*`."""

    text: str
    prefix: bool = False
    pos: int = 0


@dataclass(frozen=True)
class Phrase:
    """An exact phrase; `prefix` for `"arrest targ"*`."""

    text: str
    prefix: bool = False
    pos: int = 0


@dataclass(frozen=True)
class Near:
    """Terms or phrases within `distance` tokens of each other."""

    items: tuple[Term | Phrase, ...]
    distance: int
    pos: int = 0


@dataclass(frozen=True)
class Field:
    """`name:value`; a builtin filter or a facet written by an analyser."""

    name: str
    value: str
    pos: int = 0


@dataclass(frozen=True)
class Not:
    child: Node
    pos: int = 0


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]
    pos: int = 0


Node = Term | Phrase | Near | Field | Not | And | Or


# -- tokens ------------------------------------------------------------------------
TokKind = Literal[
    "word",
    "phrase",
    "field",
    "lparen",
    "rparen",
    "comma",
    "and",
    "or",
    "not",
    "minus",
    "near",
    "eof",
]


@dataclass(frozen=True)
class Token:
    kind: TokKind
    pos: int  # 1-based column, as shown to users
    text: str = ""
    value: str = ""  # field value
    number: int | None = None  # NEAR/n distance
    prefix: bool = False  # phrase followed by '*'


def _err(message: str, pos: int) -> QueryError:
    return QueryError(f"{message} (at column {pos})")


def tokenize(query: str) -> list[Token]:
    """Split a query into tokens; unbalanced quotes are caught here."""
    tokens: list[Token] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        col = i + 1
        if c.isspace():
            i += 1
        elif c == "(":
            tokens.append(Token("lparen", col))
            i += 1
        elif c == ")":
            tokens.append(Token("rparen", col))
            i += 1
        elif c == ",":
            tokens.append(Token("comma", col))
            i += 1
        elif c == '"':
            text, i = _read_quoted(query, i)
            prefix = i < n and query[i] == "*"
            if prefix:
                i += 1
            tokens.append(Token("phrase", col, text=text, prefix=prefix))
        elif c == "-" and i + 1 < n and not query[i + 1].isspace() and query[i + 1] != "-":
            tokens.append(Token("minus", col))
            i += 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in '()",':
                if query[j] == ":" and _FIELD_NAME.match(query[i:j]):
                    break
                j += 1
            word = query[i:j]
            if j < n and query[j] == ":" and word:
                if j + 1 >= n or query[j + 1].isspace() or query[j + 1] in "),":
                    # `Subject: RE: quota` pasted from an e-mail: a label, not a filter
                    tokens.append(Token("word", col, text=word))
                    i = j + 1
                    continue
                value, j = _read_field_value(query, j + 1, word)
                tokens.append(Token("field", col, text=word.lower(), value=value))
                i = j
                continue
            i = j
            if word in ("AND", "&&"):
                tokens.append(Token("and", col))
            elif word in ("OR", "||"):
                tokens.append(Token("or", col))
            elif word == "NOT":
                tokens.append(Token("not", col))
            elif word == "NEAR" or word.startswith("NEAR/"):
                number: int | None = None
                if word != "NEAR":
                    digits = word[5:]
                    if not digits.isdigit():
                        raise _err(f"'{word}' needs a number of words, like NEAR/5", col)
                    number = int(digits)
                tokens.append(Token("near", col, text=word, number=number))
            else:
                tokens.append(Token("word", col, text=word))
    tokens.append(Token("eof", n + 1))
    return tokens


def _read_quoted(query: str, i: int) -> tuple[str, int]:
    """Read `"..."` starting at i; return (text, index after closing quote)."""
    end = query.find('"', i + 1)
    if end < 0:
        raise _err('unclosed quote: add the closing "', i + 1)
    return query[i + 1 : end], end + 1


def _read_field_value(query: str, i: int, name: str) -> tuple[str, int]:
    """Read a field value: quoted, or bare with balanced parentheses.

    Exemption codes such as `(b)(7)(C)` contain parentheses, so a bare value
    runs to the next space or to a `)` that closes an enclosing group.
    A range may join two quoted parts: `bates:"DFE 000100".."DFE 000200"`.
    """
    n = len(query)
    if i < n and query[i] == '"':
        value, i = _read_quoted(query, i)
        if query.startswith("..", i):
            rest, i = _read_field_value(query, i + 2, name)
            value = f"{value}..{rest}"
        return value, i
    start, depth = i, 0
    while i < n and not query[i].isspace():
        c = query[i]
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        elif c == '"':
            head = query[start:i]
            if head.endswith(".."):  # bates:DFE000100.."DFE 000200"
                rest, i = _read_quoted(query, i)
                return head + rest, i
            raise _err(f"a quote inside the value of '{name}:'; quote the whole value", i + 1)
        i += 1
    if depth:
        raise _err(f"unbalanced '(' in the value of '{name}:'", start + 1)
    value = query[start:i]
    if not value:
        raise _err(f"'{name}:' needs a value, like {name}:something", start)
    return value, i


# -- parser ------------------------------------------------------------------------
class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def nest(self, tok: Token) -> None:
        """Count one level of parentheses or NOT; refuse more than MAX_DEPTH."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryTooLarge(
                f"the query nests parentheses or NOTs more than {MAX_DEPTH} deep "
                f"(at column {tok.pos}); the limit is {MAX_DEPTH}"
            )

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def skip_commas(self) -> None:
        while self.peek().kind == "comma":
            self.i += 1

    def parse(self) -> Node:
        self.skip_commas()
        if self.peek().kind == "eof":
            raise QueryError('empty query: type a word, a "phrase" or a filter like type:email')
        node = self.or_expr()
        tok = self.peek()
        if tok.kind == "rparen":
            raise _err("')' without a matching '('", tok.pos)
        if tok.kind != "eof":  # pragma: no cover - or_expr consumes everything else
            raise _err(f"unexpected {tok.kind}", tok.pos)
        return node

    def or_expr(self) -> Node:
        first = self.peek()
        if first.kind == "or":
            raise _err("OR needs a term before it", first.pos)
        children = [self.and_expr()]
        while self.peek().kind == "or":
            op = self.take()
            self.skip_commas()
            if self.peek().kind in ("eof", "rparen", "or"):
                raise _err("OR needs a term after it", op.pos)
            children.append(self.and_expr())
        return children[0] if len(children) == 1 else Or(tuple(children), first.pos)

    def and_expr(self) -> Node:
        children = [self.unary()]
        while True:
            self.skip_commas()
            tok = self.peek()
            if tok.kind in ("eof", "rparen", "or"):
                break
            if tok.kind == "and":
                self.take()
                self.skip_commas()
                if self.peek().kind in ("eof", "rparen", "or", "and"):
                    raise _err("AND needs a term after it", tok.pos)
            children.append(self.unary())
        return children[0] if len(children) == 1 else And(tuple(children))

    def unary(self) -> Node:
        tok = self.peek()
        if tok.kind in ("not", "minus"):
            self.take()
            what = "NOT" if tok.kind == "not" else "'-'"
            if self.peek().kind in ("eof", "rparen", "or", "and", "comma"):
                raise _err(f"{what} needs a term after it", tok.pos)
            self.nest(tok)
            child = self.unary()
            self.depth -= 1
            return Not(child, tok.pos)
        return self.near_expr()

    def near_expr(self) -> Node:
        left = self.primary()
        tok = self.peek()
        if tok.kind != "near" or self._near_is_function():
            return left
        items = [self._near_item(left, tok.pos)]
        distance = 0
        while (tok := self.peek()).kind == "near" and not self._near_is_function():
            self.take()
            distance = max(distance, tok.number if tok.number is not None else NEAR_DEFAULT)
            if self.peek().kind in ("eof", "rparen", "or", "and"):
                raise _err(f"{tok.text} needs a term after it", tok.pos)
            items.append(self._near_item(self.primary(), tok.pos))
        return Near(tuple(items), distance, items[0].pos)

    def _near_is_function(self) -> bool:
        tok, nxt = self.peek(), self.tokens[self.i + 1]
        return (
            tok.kind == "near"
            and tok.number is None
            and nxt.kind == "lparen"
            and (nxt.pos == tok.pos + 4)
        )

    @staticmethod
    def _near_item(node: Node, pos: int) -> Term | Phrase:
        if isinstance(node, Term | Phrase):
            return node
        raise _err('NEAR joins words or "phrases", not groups or filters', pos)

    def primary(self) -> Node:
        tok = self.take()
        if tok.kind == "word":
            return _word(tok)
        if tok.kind == "phrase":
            if not tok.text.strip():
                raise _err('empty phrase ""', tok.pos)
            return Phrase(tok.text, tok.prefix, tok.pos)
        if tok.kind == "field":
            return Field(tok.text, tok.value, tok.pos)
        if tok.kind == "lparen":
            self.skip_commas()
            if self.peek().kind == "rparen":
                raise _err("empty parentheses ()", tok.pos)
            if self.peek().kind == "eof":
                raise _err("'(' is never closed: add ')'", tok.pos)
            self.nest(tok)
            node = self.or_expr()
            self.depth -= 1
            if self.peek().kind != "rparen":
                raise _err("'(' is never closed: add ')'", tok.pos)
            self.take()
            return node
        if tok.kind == "near":
            if tok.number is None and self.peek().kind == "lparen":
                return self.near_function(tok)
            raise _err(f"{tok.text} needs a term before it", tok.pos)
        if tok.kind == "rparen":
            raise _err("')' without a matching '('", tok.pos)
        if tok.kind in ("and", "or"):
            raise _err(f"{tok.kind.upper()} needs a term before it", tok.pos)
        raise _err("the query ends too early", tok.pos)

    def near_function(self, near: Token) -> Node:
        """`NEAR(a "b c" d, 5)`, FTS5's own spelling."""
        self.take()  # (
        items: list[Term | Phrase] = []
        distance = NEAR_DEFAULT
        while True:
            tok = self.take()
            if tok.kind == "word":
                items.append(self._near_item(_word(tok), tok.pos))
            elif tok.kind == "phrase":
                items.append(Phrase(tok.text, tok.prefix, tok.pos))
            elif tok.kind == "comma":
                num = self.take()
                if num.kind != "word" or not num.text.isdigit():
                    raise _err("NEAR(…, N) needs a number after the comma", num.pos)
                distance = int(num.text)
                if self.take().kind != "rparen":
                    raise _err("NEAR(…) is not closed after the number", num.pos)
                break
            elif tok.kind == "rparen":
                break
            elif tok.kind == "eof":
                raise _err("NEAR( is never closed: add ')'", near.pos)
            else:
                raise _err('NEAR(…) takes words and "phrases" only', tok.pos)
        if len(items) < 2:
            raise _err("NEAR(…) needs at least two words or phrases", near.pos)
        return Near(tuple(items), distance, near.pos)


def _word(tok: Token) -> Term:
    text, prefix = tok.text, False
    if text.endswith("*"):
        text, prefix = text[:-1], True
    if "*" in text:
        raise _err(f"'*' can only end a word, as in quot* (in '{tok.text}')", tok.pos)
    if not text:
        raise _err("'*' needs letters before it, as in quot*", tok.pos)
    return Term(text, prefix, tok.pos)


def parse(query: str) -> Node:
    """Parse a query string into a syntax tree, or raise QueryError.

    Length, NUL and encoding are checked first and terms are counted before
    any tree is built, so no input can exhaust the stack or the FTS5 parser.
    """
    check_text(query)
    tokens = tokenize(query)
    terms = sum(t.kind in ("word", "phrase", "field") for t in tokens)
    if terms > MAX_TERMS:
        raise QueryTooLarge(
            f"the query has {terms:,} words, phrases and filters; the limit is {MAX_TERMS}"
        )
    return _Parser(tokens).parse()
