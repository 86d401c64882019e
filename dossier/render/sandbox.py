"""Templates are data, not code: what a template can see, and where it runs.

A user's template (``--templates DIR``) is as untrusted as any file a client sends.
Three walls, used for the bundled templates too:

1. **Plain data.** :func:`plain` turns the context into dicts, lists, strings, numbers and
   dates. Model objects (pydantic's ``parse_raw``/``parse_file``, ``model_validate``…) never
   reach a template; the few helpers the forms call (``score.category(name)``,
   ``x.honour(...)``, ``fig.offsets_total()``) become plain functions whose results are
   plain data again. Names are looked up lazily, as the objects computed them.
2. **A sandboxed, immutable jinja environment** (:class:`DataSandbox`): no ``_`` attributes,
   no mutation of the data, item lookup before attribute lookup (so a field named
   ``items`` is the field), and a loader confined to the template's own folder.
3. **A separate process** (:func:`run_isolated`) with a memory limit, a CPU/time limit and
   an output-size limit: ``{{ 'A' * 4000000000 }}`` or nested loops end with a clear
   message, not a machine out of memory.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Mapping
from decimal import Decimal
from pathlib import PurePath
from typing import Any, Callable

from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..errors import TemplateError
from ..isolate import Failure, run_limited

TIMEOUT_S = 120.0          # one form; the largest bundled form renders in about a second
MEMORY_BYTES = 1 << 30     # on top of what the process holds when it starts rendering
OUTPUT_BYTES = 64 << 20    # a rendered form larger than this is a runaway template
_SCALARS = (str, int, float, bool, dt.date, dt.datetime, dt.time, type(None))


# --- 1. plain data -----------------------------------------------------------------------

class PlainMap(dict):
    """A dict whose values are plain data, some computed on first lookup.

    ``fields`` are filled at once; ``lazy`` (name → zero-argument function) are computed
    when a template first reads them, and their results converted by :func:`plain`.
    ``text`` is what ``{{ obj }}`` prints (the object's own ``str``)."""

    __slots__ = ("_lazy", "_text", "_result")

    def __init__(self, fields: Mapping[Any, Any] | None = None, lazy: Callable[[Any], Any] | None = None,
                 text: str | None = None, result: bool = False) -> None:
        super().__init__(fields or {})
        self._lazy, self._text, self._result = lazy, text, result

    def __missing__(self, key: Any) -> Any:
        if self._lazy is None or (isinstance(key, str) and key.startswith("_")):
            raise KeyError(key)
        value = plain(self._lazy(key))
        self[key] = value
        return value

    def __str__(self) -> str:
        return self._text if self._text is not None else dict.__repr__(self)

    def is_result(self) -> bool:
        """A computed figure (value, unit, formula): the number filters print its value."""
        return self._result


def _own_names(cls: type) -> dict[str, Any]:
    """Public attributes defined by dossier's own classes (not pydantic's or object's)."""
    names: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        if klass.__module__.split(".")[0] != "dossier":
            continue
        for name, attr in vars(klass).items():
            if not name.startswith("_"):
                names[name] = attr
    return names


def _plain_function(method: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return plain(method(*args, **kwargs))
    call.__name__ = getattr(method, "__name__", "function")
    return call


@dataclasses.dataclass(frozen=True)
class _Shape:
    """What :func:`_object` needs to know about a class, worked out once per class (a
    summary over 150 dossiers converts ~6 000 objects each: issue 20)."""

    own: dict[str, Any]
    fields: tuple[str, ...] | None  # None: the instance's own attributes
    names: dict[str, None]  # the public fields, in order (a dict: ordered, quick to look up)
    computes_names: bool  # a dossier class with __getattr__ (figures)
    has_text: bool  # prints as its own str()
    result: bool  # a computed figure (calc.result.Result)
    dossier_getitem: bool


def _shape(cls: type) -> _Shape:
    from ..calc.result import Result

    if dataclasses.is_dataclass(cls):
        fields: tuple[str, ...] | None = tuple(f.name for f in dataclasses.fields(cls))
    elif hasattr(cls, "model_fields"):  # pydantic
        fields = tuple(cls.model_fields)
    else:
        fields = None
    ours = [k for k in cls.__mro__ if k.__module__.split(".")[0] == "dossier"]
    return _Shape(
        own=_own_names(cls),
        fields=fields,
        names=dict.fromkeys(n for n in fields or () if not n.startswith("_")),
        computes_names=any("__getattr__" in vars(k) for k in ours),
        has_text=cls.__str__ is not object.__str__ and not hasattr(cls, "model_fields"),
        result=issubclass(cls, Result),
        dossier_getitem=getattr(cls, "__getitem__", None) is not None and cls.__module__.split(".")[0] == "dossier",
    )


class _ObjectMap(PlainMap):
    """The :class:`PlainMap` of an object whose fields are converted when a template first
    reads them (a summary row reads a handful of a dossier's ~6 000 values: issue 20).
    Iterating, counting, comparing or printing it converts them all first, in field
    order, so that it behaves as if they had been there from the start."""

    __slots__ = ("_obj", "_names", "_filled")

    def __init__(self, obj: Any, names: dict[str, None], lazy: Callable[[Any], Any], text: str | None,
                 result: bool) -> None:
        super().__init__(None, lazy, text=text, result=result)
        self._obj, self._names, self._filled = obj, names, False

    def __missing__(self, key: Any) -> Any:
        if isinstance(key, str) and key in self._names:
            value = plain(getattr(self._obj, key))
            dict.__setitem__(self, key, value)
            return value
        return PlainMap.__missing__(self, key)

    def _fill(self) -> None:
        if self._filled:
            return
        values = [(name, self[name]) for name in self._names]
        later = [(k, v) for k, v in dict.items(self) if not (isinstance(k, str) and k in self._names)]
        dict.clear(self)
        dict.update(self, values)
        dict.update(self, later)  # names computed on request (helpers) after the fields, as before
        self._filled = True

    def __contains__(self, key: Any) -> bool:
        return dict.__contains__(self, key) or (isinstance(key, str) and key in self._names)

    def get(self, key: Any, default: Any = None) -> Any:
        if isinstance(key, str) and key in self._names:
            return self[key]
        return dict.get(self, key, default)

    def __iter__(self):
        self._fill()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._fill()
        return dict.__len__(self)

    def keys(self):  # type: ignore[override]
        self._fill()
        return dict.keys(self)

    def values(self):  # type: ignore[override]
        self._fill()
        return dict.values(self)

    def items(self):  # type: ignore[override]
        self._fill()
        return dict.items(self)

    def copy(self) -> dict:  # type: ignore[override]
        self._fill()
        return dict(dict.items(self))

    def __eq__(self, other: object) -> bool:
        self._fill()
        if isinstance(other, _ObjectMap):
            other._fill()
        return dict.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        self._fill()
        return dict.__repr__(self)

    def __str__(self) -> str:
        return self._text if self._text is not None else repr(self)


_SHAPES: dict[type, _Shape] = {}


def _object(obj: Any) -> PlainMap:
    cls = type(obj)
    shape = _SHAPES.get(cls)
    if shape is None:
        shape = _SHAPES[cls] = _shape(cls)
    own = shape.own
    if shape.fields is not None:
        names: dict[str, None] = shape.names
    else:
        names = dict.fromkeys(n for n in vars(obj) if not n.startswith("_")) if hasattr(obj, "__dict__") else {}
    extra = getattr(obj, "__pydantic_extra__", None)
    if isinstance(extra, dict) and extra:
        names = {**names, **{n: None for n in extra if isinstance(n, str) and not n.startswith("_") and n not in names}}

    def lazy(key: Any) -> Any:
        if not isinstance(key, str):
            if not shape.dossier_getitem:
                raise KeyError(key)
            return obj[key]
        if key in own:
            if isinstance(own[key], (classmethod, staticmethod)):
                raise KeyError(key)  # constructors and loaders are not data
            value = getattr(obj, key)
            return _plain_function(value) if callable(value) and not isinstance(own[key], property) else value
        if shape.computes_names:
            try:
                return getattr(obj, key)  # objects that compute names on request (figures)
            except AttributeError:
                pass
        raise KeyError(key)

    return _ObjectMap(obj, names, lazy, str(obj) if shape.has_text else None, shape.result)


_OBJECTS: set[type] = set()  # classes whose instances plain() converts with _object


def plain(obj: Any) -> Any:
    """``obj`` as plain data: scalars and dates as they are, containers copied, objects as
    :class:`PlainMap`; functions of dossier's own objects as plain functions."""
    cls = type(obj)
    if cls in _SCALARS or isinstance(obj, PlainMap):
        return obj
    if cls is list or cls is tuple:  # the common cases first, decided as below
        return [plain(v) for v in obj]
    if cls is dict:
        return {plain(k): plain(v) for k, v in obj.items()}
    if cls in _OBJECTS:
        return _object(obj)
    if isinstance(obj, bool):
        return bool(obj)
    if isinstance(obj, str):  # ruamel's ScalarString and the like: the text only
        return str(obj)
    if isinstance(obj, int) and not isinstance(obj, enum.Enum):
        return int(obj)
    if isinstance(obj, float):
        return float(obj)
    if isinstance(obj, (dt.date, dt.time)):
        return obj
    if isinstance(obj, enum.Enum):
        return plain(obj.value)
    if isinstance(obj, Decimal):
        return float(obj)
    if isinstance(obj, PurePath):
        return str(obj)
    if cls.__name__ == "Listing" and cls.__module__.startswith("docxtpl"):
        return obj  # a rich-text line break holder from the ml() filter: only text inside
    if isinstance(obj, Mapping):
        if cls.__module__.split(".")[0] == "dossier":  # a lazy mapping (LazyContext)
            return PlainMap(None, lambda key: obj[key])
        return {plain(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset, range, type({}.keys()), type({}.values()))):
        return [plain(v) for v in obj]
    if callable(obj) and not isinstance(obj, type) and getattr(obj, "__module__", "") and str(getattr(obj, "__module__", "")).startswith("dossier"):
        return _plain_function(obj)
    if cls.__module__.split(".")[0] == "dossier" or hasattr(cls, "model_fields") \
            or dataclasses.is_dataclass(obj):
        if hasattr(cls, "model_fields") and cls.__module__.split(".")[0] != "dossier":
            raise TemplateError(f"内部错误：模板数据中有不允许的对象 {cls.__name__}")
        if not callable(obj) and "__module__" not in getattr(obj, "__dict__", {}):
            _OBJECTS.add(cls)  # the same decision for every instance of the class
        return _object(obj)
    raise TemplateError(f"内部错误：模板数据中有不允许的对象 {cls.__name__}")


# --- 2. the environment ------------------------------------------------------------------

# Compiled code of template sources compiled by this process for a *bundled* template
# (dossier.render.docx_form.precompile: trusted, never a user's), by the source's sha256 and
# the settings that shape the generated code. A sandbox child forked afterwards finds them
# here instead of compiling the same source again (~0.2 s a form, issue 20); what a child
# compiles itself dies with it.
_TRUSTED_CODE: dict[tuple, Any] = {}


class DataSandbox(ImmutableSandboxedEnvironment):
    """Immutable sandbox over plain data: ``a.b`` reads the key ``b`` of a dict first."""

    record_code = False  # set on the environment precompile() uses for a bundled template

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, dict) and not attribute.startswith("_"):
            try:
                return obj[attribute]
            except (KeyError, TypeError):
                pass
        return super().getattr(obj, attribute)

    def compile(self, source: Any, name: str | None = None, filename: str | None = None,
                raw: bool = False, defer_init: bool = False) -> Any:
        if (not isinstance(source, str) or raw or name is not None or filename is not None or defer_init
                or not (_TRUSTED_CODE or self.record_code)):  # nothing recorded: no key to compute
            return super().compile(source, name, filename, raw, defer_init)
        import hashlib

        key = (hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest(), self.autoescape,
               self.finalize, self.undefined, self.trim_blocks, self.lstrip_blocks, self.keep_trailing_newline,
               self.block_start_string, self.variable_start_string, self.comment_start_string)
        code = _TRUSTED_CODE.get(key)
        if code is None:
            code = super().compile(source)
            if self.record_code:
                _TRUSTED_CODE[key] = code
        return code


def confined_loader(folder: Any) -> Any:
    """``include``/``import`` only from the template's own folder (no ``..``, no absolute)."""
    from jinja2 import FileSystemLoader

    return FileSystemLoader(str(folder), followlinks=False)


# --- 3. the process ----------------------------------------------------------------------

def run_isolated(fn: Callable[..., Any], args: tuple, *, name: str, timeout: float | None = None,
                 memory: int | None = None, output: int | None = None) -> Any:
    """``fn(*args)`` (the rendered file's bytes, or the names a template uses) in a forked
    child process with limits; :class:`TemplateError` naming the template ``name`` when it
    breaks one."""
    timeout = timeout or TIMEOUT_S
    memory = memory or MEMORY_BYTES
    output = output or OUTPUT_BYTES
    try:
        return run_limited(fn, args, timeout=timeout, memory=memory, output=output, passthrough=(TemplateError,))
    except Failure as failure:
        why = {
            "timeout": f"渲染超时（超过 {timeout:.0f} 秒，可能有过大的循环）",
            "memory": f"渲染时占用内存超过 {memory >> 20} MB（可能生成了过长的文字）",
            "output": f"生成的文件超过 {output / (1 << 20):.1f} MB",
            "recursion": "嵌套过深",
            "crash": "渲染进程意外结束",
        }.get(failure.kind)
        if why is None:
            first = failure.message.splitlines()[0] if failure.message else ""
            why = f"渲染失败（{first[:200]}）"
        raise TemplateError(f"模板 {name} {why}，已停止") from None
