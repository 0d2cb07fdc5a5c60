"""Which audit codes a function of the code base can write: a static call graph of the source.

From a function (a view, an admin action, a command's ``handle``) the functions of ``aipower``
it names precisely are followed, called or passed on (``_service_call(request, services.x)``):
``name`` defined or imported in the same module, ``module.name`` of an imported module,
``self.name``/``cls.name`` of the same class. Calls on other objects (``obj.save()``) are not
followed, so what is found is what the code says, not a guess. A function writes a code when it
passes a literal code to a recording call (``audit.record``, the helpers that pass theirs on)
or assigns one to a variable named ``action``, as ``tests/core/test_audit_labels.py`` reads
them.
"""

import ast
import functools
import inspect
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "aipower"
RECORDING_CALLS = {"record", "_record", "_audit_view", "_record_change"}


def _module_name(path):
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(module, level, name, is_package):
    """``from .x import y`` in ``module`` → the dotted module ``x`` names."""
    if not level:
        return name or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, name] if name else base)


class _Module:
    def __init__(self, path):
        self.name = _module_name(path)
        self.is_package = path.name == "__init__.py"
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.functions = {}  # qualname → node
        self.imports = {}  # local name → dotted name (a module, or a module's attribute)
        for node in self.tree.body:
            self._index(node, "")
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self.imports[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else alias.name.split(".")[0]
                    )
            elif isinstance(node, ast.ImportFrom):
                source = _absolute(self.name, node.level, node.module, self.is_package)
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = f"{source}.{alias.name}"

    def _index(self, node, prefix):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            self.functions[prefix + node.name] = node
        elif isinstance(node, ast.ClassDef):
            for child in node.body:
                self._index(child, f"{prefix}{node.name}.")


@functools.cache
def _modules():
    modules = {}
    for path in SRC.rglob("*.py"):
        if "migrations" not in path.parts:
            module = _Module(path)
            modules[module.name] = module
    return modules


def _function(dotted):
    """``(module, qualname)`` of the dotted name of a function of ``aipower``, or None."""
    modules = _modules()
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module = modules.get(".".join(parts[:cut]))
        if module is not None:
            qualname = ".".join(parts[cut:])
            if qualname in module.functions:
                return module.name, qualname
            imported = module.imports.get(parts[cut])
            if imported and imported != dotted:  # re-exported: follow the import
                return _function(".".join([imported, *parts[cut + 1 :]]))
            return None
    return None


def _codes_and_calls(module, qualname):
    node = module.functions[qualname]
    cls = qualname.rsplit(".", 1)[0] if "." in qualname else None
    codes, calls = set(), set()
    for child in ast.walk(node):
        if (
            isinstance(child, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "action" for t in child.targets)
            and isinstance(child.value, ast.Constant)
            and isinstance(child.value.value, str)
        ):
            codes.add(child.value.value)
        # A function named is a function called: ``_service_call(request, services.x, …)``.
        if isinstance(child, ast.Name):
            if child.id in module.functions:
                calls.add((module.name, child.id))
            elif child.id in module.imports:
                calls.add(_function(module.imports[child.id]))
        elif isinstance(child, ast.Attribute) and isinstance(child.value, ast.Name):
            owner, name = child.value.id, child.attr
            if owner in ("self", "cls") and cls and f"{cls}.{name}" in module.functions:
                calls.add((module.name, f"{cls}.{name}"))
            elif owner in module.imports:
                calls.add(_function(f"{module.imports[owner]}.{name}"))
        if not isinstance(child, ast.Call):
            continue
        func = child.func
        name = getattr(func, "id", None) or getattr(func, "attr", None)
        if name in RECORDING_CALLS:
            strings = [
                arg.value
                for arg in child.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            ]
            codes.update(strings[:1])
    calls.discard(None)
    return codes, calls


def reachable_codes(func):
    """The audit codes ``func`` (a function or method of ``aipower``, decorated or not) or the
    functions it calls can write."""
    func = inspect.unwrap(func)
    func = getattr(func, "__func__", func)
    start = (func.__module__, func.__qualname__)
    if start[0] not in _modules() or start[1] not in _modules()[start[0]].functions:
        raise LookupError(f"{start[0]}.{start[1]} is not a function of the source tree")
    seen, todo, codes = set(), [start], set()
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        found, calls = _codes_and_calls(_modules()[key[0]], key[1])
        codes |= found
        todo.extend(calls - seen)
    return codes
