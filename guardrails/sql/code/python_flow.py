"""Where a query string goes in Python: through the variable that holds it, to the calls that
run it, the appends that finish it (``sql += ...``, ``sql = sql + ...``, ``sql = f"{sql} ..."``)
and the callers in the same file of a function that returns it (guardrails.sql.code.flow).

A module-level name assigned once (``QUERY = "SELECT ..."``) is a constant: it is followed into
every function of the file that reads it without a local of that name, since any of them may
run it (a name some function declares ``global``, or the module assigns again, is not)."""

from __future__ import annotations

import ast
import bisect
from collections.abc import Callable

from guardrails.sql.code.assemble import Literal
from guardrails.sql.code.flow import LOOKS_ONLY, Append, Path, runs_query, tail
from guardrails.sql.code.python_nodes import callee, is_string_expr

_DEPTH = 3  # callers followed, one above the other
_BRANCHES = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.ExceptHandler, ast.match_case, ast.IfExp)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.Module)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_NAME_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)  # where a module's name may be read


class Flow:
    def __init__(
        self, tree: ast.Module, assemble: Callable[[ast.expr], Literal | None], log_calls: frozenset[str]
    ) -> None:
        self.tree = tree
        self.assemble = assemble
        self.log_calls = log_calls
        self._parents: dict[int, ast.AST] = {}
        self._calls: dict[str, list[ast.Call]] = {}
        self._scopes: dict[int, dict[str, list[tuple[tuple[int, int], ast.Name]]]] = {}
        self._functions: list[ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda] = []
        self._globals: set[str] = set()  # names some function declares global

    def paths(self, literal: ast.expr) -> list[Path]:
        """Every way the string expression ``literal`` takes to where it runs."""
        if not self._parents:  # built on the first SQL literal of the file only
            for node in ast.walk(self.tree):
                for child in ast.iter_child_nodes(node):
                    self._parents[id(child)] = node
                if isinstance(node, ast.Call):
                    self._calls.setdefault(callee(node), []).append(node)
                elif isinstance(node, _NAME_SCOPES):
                    self._functions.append(node)
                elif isinstance(node, ast.Global):
                    self._globals.update(node.names)
        return self._uses(literal, [], _DEPTH, self._statement(literal), None)

    def _uses(
        self, node: ast.expr, appends: list[Append], depth: int, origin: ast.AST, index: int | None
    ) -> list[Path]:
        """Where the value of ``node`` goes; ``appends`` were made on the way here, ``origin``
        is the statement they are conditional to, ``index`` the value's place in a tuple."""
        appends = list(appends)
        while True:
            parent = self._parents.get(id(node))
            line = getattr(parent, "lineno", 0)
            if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Add) and parent.left is node:
                right = parent.right
                piece = self.assemble(right) if is_string_expr(right) else None
                appends.append(Append(piece, line, self._branched(origin, parent)))
            elif isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Mod) and parent.left is node:
                pass  # "..." % args: the same text, filled in
            elif isinstance(parent, ast.FormattedValue) and parent.conversion == -1 and parent.format_spec is None:
                joined = self._parents.get(id(parent))
                if not (isinstance(joined, ast.JoinedStr) and joined.values[0] is parent):
                    return [Path(appends)]
                whole = self.assemble(joined)  # f"{sql} AND ...": its first piece is the name
                appends.append(Append(tail(whole) if whole else None, line, self._branched(origin, joined)))
                parent = joined
            elif isinstance(parent, ast.Attribute) and parent.attr == "format":
                call = self._parents.get(id(parent))
                if not (isinstance(call, ast.Call) and call.func is parent):
                    return [Path(appends)]
                parent = call
            elif isinstance(parent, (ast.Tuple, ast.List)) and index is None:
                index = next(i for i, e in enumerate(parent.elts) if e is node)
            elif isinstance(parent, (ast.keyword, ast.Starred, ast.Await)):
                pass
            else:
                break
            node = parent  # type: ignore[assignment]
        return self._destination(node, parent, appends, depth, index)

    def _destination(
        self, node: ast.expr, parent: ast.AST | None, appends: list[Append], depth: int, index: int | None
    ) -> list[Path]:
        line = getattr(parent, "lineno", 0)
        if isinstance(parent, ast.Call) and node is not parent.func:
            name = callee(parent)
            if name in self.log_calls or name in LOOKS_ONLY:
                return []  # a message about the query, or its length: neither runs nor changes it
            if runs_query(name):
                return [Path(appends)]
            return [Path(appends, f"passed to {name}() at line {line}")]
        if isinstance(parent, (ast.Assign, ast.AnnAssign)) and node is parent.value:
            out: list[Path] = []
            for target in parent.targets if isinstance(parent, ast.Assign) else [parent.target]:
                if isinstance(target, (ast.Tuple, ast.List)) and index is not None and index < len(target.elts):
                    target = target.elts[index]
                if isinstance(target, ast.Name):
                    out.extend(self._variable(target.id, parent, appends, depth))
                elif isinstance(target, (ast.Attribute, ast.Subscript)):
                    out.append(Path(appends, f"stored in {ast.unparse(target)} at line {line}"))
                else:
                    out.append(Path(appends))
            return out
        if isinstance(parent, ast.Return):
            return self._returned(parent, appends, depth, index)
        return [Path(appends)]  # anything else: judged as written

    def _variable(self, name: str, definition: ast.AST, appends: list[Append], depth: int) -> list[Path]:
        """The uses of ``name`` after ``definition`` in its function, up to its next assignment."""
        after = (definition.end_lineno or 0, definition.end_col_offset or 0)  # type: ignore[attr-defined]
        scope = self._scope(definition)
        names = self._names(scope).get(name, [])
        out: list[Path] = []
        used = False
        if isinstance(scope, ast.Module) and self._constant(name, names):
            for node in self._read_in_functions(name):
                used = True
                out.extend(self._uses(node, appends, depth, definition, None))
        for at in range(bisect.bisect_right(names, after, key=lambda o: o[0]), len(names)):
            node = names[at][1]
            parent = self._parents.get(id(node))
            if isinstance(node.ctx, ast.Load):
                used = True
                out.extend(self._uses(node, appends, depth, definition, None))
            elif isinstance(parent, ast.AugAssign) and isinstance(parent.op, ast.Add):
                piece = self.assemble(parent.value) if is_string_expr(parent.value) else None
                appends = [*appends, Append(piece, parent.lineno, self._branched(definition, parent))]
            else:
                break  # assigned anew: what follows is another value (or, `sql = sql + ...`, followed from there)
        if not used:
            out.append(Path(appends))
        return out

    def _constant(self, name: str, names: list[tuple[tuple[int, int], ast.Name]]) -> bool:
        """Whether the module's ``name`` keeps the one value it is assigned."""
        return name not in self._globals and sum(1 for _, n in names if not isinstance(n.ctx, ast.Load)) == 1

    def _read_in_functions(self, name: str) -> list[ast.Name]:
        """Where functions read the module's ``name``: not where it is a local of theirs or of
        a function they are nested in (a parameter, an assignment)."""
        out: list[ast.Name] = []
        for function in self._functions:
            reads = [n for _, n in self._names(function).get(name, []) if isinstance(n.ctx, ast.Load)]
            if not reads or self._local(function, name):
                continue
            if any(self._local(outer, name) for outer in self._ancestors(function) if isinstance(outer, _NAME_SCOPES)):
                continue
            out.extend(reads)
        return out

    def _local(self, function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, name: str) -> bool:
        args = function.args
        parameters = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        if any(a is not None and a.arg == name for a in parameters):
            return True
        return any(not isinstance(n.ctx, ast.Load) for _, n in self._names(function).get(name, []))

    def _names(self, scope: ast.AST) -> dict[str, list[tuple[tuple[int, int], ast.Name]]]:
        """Each name's occurrences in ``scope`` (not in nested functions), in the order they
        take effect: an assignment after its value is read (`sql = sql + "..."`). Built once
        per scope, so that following every literal of a long function stays linear."""
        found = self._scopes.get(id(scope))
        if found is not None:
            return found
        found = {}
        stack = list(ast.iter_child_nodes(scope))
        while stack:
            node = stack.pop()
            if isinstance(node, _SCOPES):
                continue  # a nested function's names are its own
            if isinstance(node, ast.Name):
                if isinstance(node.ctx, ast.Store):
                    statement = self._statement(node)
                    key = (statement.end_lineno or 0, statement.end_col_offset or 0)  # type: ignore[attr-defined]
                else:
                    key = (node.lineno, node.col_offset)
                found.setdefault(node.id, []).append((key, node))
            stack.extend(ast.iter_child_nodes(node))
        for occurrences in found.values():
            occurrences.sort(key=lambda o: o[0])
        self._scopes[id(scope)] = found
        return found

    def _returned(self, statement: ast.Return, appends: list[Append], depth: int, index: int | None) -> list[Path]:
        function = self._scope(statement)
        if not isinstance(function, _FUNCTIONS):
            return [Path(appends)]
        callers = [c for c in self._calls.get(function.name, []) if c is not function]
        if not callers or depth == 0:
            return [Path(appends, f"returned from {function.name}() at line {statement.lineno}")]
        out: list[Path] = []
        for call in callers:
            out.extend(self._uses(call, appends, depth - 1, self._statement(call), index))
        return out

    def _statement(self, node: ast.AST) -> ast.AST:
        while not isinstance(node, ast.stmt) and id(node) in self._parents:
            node = self._parents[id(node)]
        return node

    def _scope(self, node: ast.AST) -> ast.AST:
        parent = self._parents.get(id(node))
        while parent is not None and not isinstance(parent, (*_FUNCTIONS, ast.Lambda, ast.Module)):
            parent = self._parents.get(id(parent))
        return parent if parent is not None else self.tree

    def _ancestors(self, node: ast.AST) -> list[ast.AST]:
        out = []
        while id(node) in self._parents:
            node = self._parents[id(node)]
            out.append(node)
        return out

    def _branched(self, origin: ast.AST, node: ast.AST) -> bool:
        """Whether ``node`` runs only on some of the ways through from ``origin``."""
        shared = {id(a) for a in self._ancestors(origin)} | {id(origin)}
        for ancestor in self._ancestors(node):
            if id(ancestor) in shared:
                return False
            if isinstance(ancestor, _BRANCHES):
                return True
        return False
