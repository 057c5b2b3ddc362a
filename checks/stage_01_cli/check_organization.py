"""How the code is organised: read as text, never imported."""

import ast
from collections.abc import Iterator
from pathlib import Path

from checks.harness.catalog import check
from checks.harness.doors.cli.fixtures import NO_CLI
from checks.harness.failure import CheckFailed, NotApplicable
from checks.harness.manifest import Manifest
from checks.harness.workspace import Workspace

MAX_LINES = 300
SHOWN_CALLS = 4

# What does file I/O, by what it is (resolved through the module's imports), not by the
# name of a method: `storage.load()` or `repo.save()` on the learner's own code is not I/O.
OPENERS = {"open", "io.open", "os.open", "codecs.open", "shelve.open"}
# Readers and writers of a file object, and which argument (position, keyword) is the file:
# on sys.stdin, sys.stdout or sys.stderr they read or print, which a command may do.
ON_A_FILE = {
    "json.load": (0, "fp"),
    "json.dump": (1, "fp"),
    "pickle.load": (0, "file"),
    "pickle.dump": (1, "file"),
    "marshal.load": (0, "file"),
    "marshal.dump": (1, "file"),
    "csv.reader": (0, "csvfile"),
    "csv.writer": (0, "csvfile"),
    "csv.DictReader": (0, "f"),
    "csv.DictWriter": (0, "f"),
}
STANDARD_STREAMS = ("sys.stdin", "sys.stdout", "sys.stderr", "sys.__stdout__", "sys.__stderr__")
# Methods only a path has; `open` is also a path's method, but many objects have one.
PATH_ONLY_METHODS = {"read_text", "write_text", "read_bytes", "write_bytes"}
PATH_TYPES = {"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.WindowsPath"}
PATH_FROM_PATH = {"with_suffix", "with_name", "with_stem", "expanduser", "resolve", "absolute"}
PATH_FROM_PATH |= {"joinpath", "home", "cwd"}
NOT_CODE = ("test_*.py", "*_test.py", "conftest.py")


@check("code-organization", advisory=True)
def check_code_organization(workspace: Workspace, manifest: Manifest) -> None:
    """Your code is split into modules with one job each; the command does no file I/O.

    Why: a 600-line cli.py works today and fights you in stage 2, when storage moves to a
    database. Keeping parsing, rules and storage apart is what makes that move small.

    Fix: keep cli.py to parsing arguments and printing; put the record model in models.py,
    reading and writing the file in storage.py, and the summary in its own module. Keep
    every module under 300 lines.
    """
    if manifest.cli is None:
        raise NotApplicable(NO_CLI)
    project, command = workspace.pristine, manifest.cli.command
    module = manifest.package.scripts.get(command, "").split(":")[0].strip()
    found = _entry_module(project, module)
    if found is None:
        raise CheckFailed(
            f"could not find the module behind the `{command}` command",
            expected=f'[project.scripts] {command} = "package.module:function" (or a '
            "console_scripts entry point in setup.cfg or setup.py), with the module under "
            "src/ or the project root",
        )
    entry, root = found
    files = _own_files(entry, root, module)
    with_code = [path for path in files if _holds_code(path)]
    problems = []
    if len(with_code) < 2:
        problems.append(_too_few(with_code, project, root / module.split(".")[0]))
    for path in files:
        lines = len(path.read_text("utf-8", errors="replace").splitlines())
        if lines > MAX_LINES:
            problems.append(f"{path.relative_to(project)} has {lines} lines")
    io_calls = file_io(entry.read_text("utf-8", errors="replace"))
    if io_calls:
        shown = ", ".join(io_calls[:SHOWN_CALLS]) + (", …" if len(io_calls) > SHOWN_CALLS else "")
        problems.append(f"{entry.relative_to(project)} does file I/O itself: {shown}")
    if problems:
        raise CheckFailed(
            "; ".join(problems),
            expected=f"2 or more modules with code (functions or classes), none over "
            f"{MAX_LINES} lines, and the command's module leaving file I/O to a storage module",
        )


def _entry_module(project: Path, module: str) -> tuple[Path, Path] | None:
    """The file of `module` and the folder its import path starts from (src/ or the
    project), or None when neither holds it."""
    if not module:
        return None
    relative = Path(*module.split("."))
    for root in (project / "src", project):
        for candidate in (root / relative.with_suffix(".py"), root / relative / "__init__.py"):
            if candidate.is_file():
                return candidate, root
    return None


def _own_files(entry: Path, root: Path, module: str) -> list[Path]:
    """The learner's code: every module of the entry's top-level package; for a command
    that is one top-level module, that module and the modules beside it that it imports."""
    package = root / module.split(".")[0]
    if package.is_dir():
        return sorted(
            path
            for path in package.rglob("*.py")
            if "__pycache__" not in path.parts and not any(path.match(p) for p in NOT_CODE)
        )
    imported = {name.split(".")[0] for name in _imports(_parse(entry)).values()}
    beside = [root / f"{name}.py" for name in sorted(imported)]
    return [entry, *(path for path in beside if path.is_file() and path != entry)]


def _too_few(with_code: list[Path], project: Path, package: Path) -> str:
    if with_code:
        return f"all your code is in one module, {with_code[0].relative_to(project)}"
    return f"no module of {package.relative_to(project)} defines a function or a class"


def _holds_code(path: Path) -> bool:
    """A module that defines a function or a class: not a bare `__init__.py` or a
    `__main__.py` that only calls `main()`."""
    defines = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return any(isinstance(node, defines) for node in ast.walk(_parse(path)))


def _parse(path: Path) -> ast.Module:
    try:
        return ast.parse(path.read_text("utf-8", errors="replace"))
    except SyntaxError:
        return ast.Module(body=[], type_ignores=[])


def _imports(tree: ast.Module) -> dict[str, str]:
    """Each name an import binds, and what it stands for: `j` → json, `dump` → json.dump,
    `Path` → pathlib.Path, `storage` → .storage (relative: the learner's own)."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                names[bound] = alias.name if alias.asname else bound
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            joint = "" if base.endswith(".") else "."
            for alias in node.names:
                names[alias.asname or alias.name] = f"{base}{joint}{alias.name}"
    return names


def file_io(source: str) -> list[str]:
    """The calls in `source` that read or write a file, as `open() on line 12`."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    reader = _Reader(tree)
    found: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and reader.does_file_io(node):
            shown = " ".join((ast.get_source_segment(source, node.func) or "").split())
            shown = shown if len(shown) <= 40 else "…" + shown[-39:]
            found.setdefault(f"{shown}() on line {node.lineno}", node.lineno)
    return sorted(found, key=found.__getitem__)


class _Reader:
    """What the names of one module stand for, as far as reading its text can tell."""

    def __init__(self, tree: ast.Module) -> None:
        self.imports = _imports(tree)
        self.modules = {  # names bound by `import x`: modules for sure
            alias.asname or alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        defined = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        self.own = {node.name for node in ast.walk(tree) if isinstance(node, defined)}
        self.paths: set[str] = set()
        self._find_paths(tree)
        self.streams = self._stream_names(tree)

    def qualified(self, node: ast.expr) -> str | None:
        """`json.dump` for `json.dump`, `j.dump` (import json as j) or `dump` (from json
        import dump); None for what is not a dotted name."""
        if isinstance(node, ast.Name):
            return self.imports.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualified(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def does_file_io(self, call: ast.Call) -> bool:
        name = self.qualified(call.func)
        if name == "open" and "open" in self.own:
            return False  # the module's own function called open
        if name in OPENERS:
            return True
        if name in ON_A_FILE:
            position, keyword = ON_A_FILE[name]
            file = next((k.value for k in call.keywords if k.arg == keyword), None)
            if file is None and len(call.args) > position:
                file = call.args[position]
            return file is None or not self.is_standard_stream(file)
        if not isinstance(call.func, ast.Attribute):
            return False
        method, receiver = call.func.attr, call.func.value
        if method in PATH_ONLY_METHODS:
            return not (isinstance(receiver, ast.Name) and receiver.id in self.modules)
        return method == "open" and self.is_path(receiver)

    def is_standard_stream(self, node: ast.expr) -> bool:
        """`sys.stdout` (`sys.stdout.buffer` too), or a name only ever given one."""
        if isinstance(node, ast.Name) and node.id in self.streams:
            return True
        return (self.qualified(node) or "").startswith(STANDARD_STREAMS)

    def is_path(self, node: ast.expr) -> bool:
        """Whether an expression is a pathlib path: `Path(...)`, `Path.home()`,
        `folder / "data.json"`, `.parent`, `.with_suffix()`, or a name given one."""
        if isinstance(node, ast.Name):
            return node.id in self.paths
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return self.is_path(node.left) or self.is_path(node.right)
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            return self.is_path(node.value)
        if isinstance(node, ast.Call):
            if self.qualified(node.func) in PATH_TYPES:
                return True
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in PATH_FROM_PATH:
                return self.qualified(func.value) in PATH_TYPES or self.is_path(func.value)
        return False

    def _stream_names(self, tree: ast.Module) -> set[str]:
        """Names given sys.stdout or the like, and never anything else: `out = sys.stdout`,
        or a parameter `stream=sys.stdout` (a helper that prints JSON)."""
        kinds: dict[str, set[bool]] = {}
        for name, value in _names_given(tree):
            kinds.setdefault(name, set()).add(self.is_standard_stream(value))
        return {name for name, given in kinds.items() if given == {True}}

    def _find_paths(self, tree: ast.Module) -> None:
        """Names given a path (assigned one, or a parameter's default), or annotated
        `Path`, parameters too."""
        for node in ast.walk(tree):
            if isinstance(node, ast.arg) and node.annotation is not None:
                name, annotation = node.arg, node.annotation
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                name, annotation = node.target.id, node.annotation
            else:
                continue
            if "Path" in ast.unparse(annotation):
                self.paths.add(name)
        given = list(_names_given(tree))
        for _ in range(3):  # a name made from another path name, a few steps deep
            self.paths |= {name for name, value in given if self.is_path(value)}


def _names_given(tree: ast.Module) -> Iterator[tuple[str, ast.expr]]:
    """Each name a value is given: `name = value`, or a parameter `name=value`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            yield from ((t.id, node.value) for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.arguments):
            positional = [*node.posonlyargs, *node.args]
            defaulted = positional[len(positional) - len(node.defaults) :]
            yield from (
                (arg.arg, value) for arg, value in zip(defaulted, node.defaults, strict=True)
            )
            for arg, default in zip(node.kwonlyargs, node.kw_defaults, strict=True):
                if default is not None:
                    yield arg.arg, default
