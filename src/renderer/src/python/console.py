"""Yield Lab's Python console: runs input the way CPython's interactive interpreter does, and
describes the generators, functions and frames of the console's namespace for the UI.

Every entry point called from JavaScript returns JSON text, so no Python object outlives a call.
"""

import ast
import builtins
import codeop
import contextlib
import dis
import inspect
import io
import itertools
import json
import linecache
import os
import reprlib
import signal
import sys
import time
import tokenize
import traceback
import types
import weakref

import __main__

# What tracebacks and code objects call the console's input, as in the lecture's transcripts.
INPUT_FILENAME = "<stdin>"
# The filename this module is compiled under: frames with it are the console's own, never shown.
HELPER_FILENAME = "<yield-lab console>"

namespace = __main__.__dict__
_pristine_namespace = dict(namespace)

# Plain tracebacks: the console shows text, not terminal colour codes.
os.environ["PYTHON_COLORS"] = "0"
os.environ["NO_COLOR"] = "1"


class InputUnavailableError(EOFError):
    """input() has no keyboard to read from in this console."""


def _input(prompt=""):
    raise InputUnavailableError(
        "input() cannot read from the Yield Lab console: code runs here without a keyboard stream. "
        "Assign the value instead, e.g. name = 'Ada'."
    )


builtins.input = _input

_blocking_sleep = time.sleep
_SLEEP_SLICE_SECONDS = 0.05


def _sleep(seconds):
    """time.sleep in short slices: between them Python checks for Interrupt (KeyboardInterrupt),
    which a single long sleep in the runtime would not do."""
    if not isinstance(seconds, (int, float)) or seconds <= 0:
        return _blocking_sleep(seconds)  # errors (negative, not a number) and 0 as before
    deadline = time.monotonic() + seconds
    while (remaining := deadline - time.monotonic()) > 0:
        _blocking_sleep(min(remaining, _SLEEP_SLICE_SECONDS))


_sleep.__name__ = _sleep.__qualname__ = "sleep"
time.sleep = _sleep


_short = reprlib.Repr()
_short.maxstring = 120
_short.maxother = 120
_short.maxlist = 12
_short.maxtuple = 12
_short.maxdict = 12
_short.maxset = 12
_short.maxlevel = 3


def short_repr(value, limit=160):
    """A repr that is safe to show: bounded, and never raising out of the console's own code."""
    try:
        text = _short.repr(value)
    except Exception as error:  # a user-defined __repr__ may fail; say so instead of failing
        text = f"<repr failed: {type(error).__name__}: {error}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------
# Running input like the interactive interpreter
# ---------------------------------------------------------------------------------------------


def _without_trailing_blank_lines(source):
    """Auto-indented blank lines ("    ") end a block just like empty ones do."""
    lines = source.split("\n")
    while lines and lines[-1].strip() == "":
        lines.pop()
    return "\n".join(lines)


def is_complete(source):
    """Whether Enter should run the input or continue it, by the REPL's rules: an open bracket,
    string or block needs more lines, and a compound statement ends with an empty line."""
    stripped = _without_trailing_blank_lines(source)
    if stripped.strip() == "":
        return True
    lines = source.split("\n")
    ends_with_blank_line = len(lines) > 1 and lines[-1].strip() == ""
    try:
        if codeop.compile_command(stripped, INPUT_FILENAME, "exec") is None:
            return False
        tree = ast.parse(stripped)
    except (SyntaxError, ValueError, OverflowError):
        return True  # running it shows the error, as the REPL does
    if not tree.body:
        return True
    last = tree.body[-1]
    first_line = min([last.lineno] + [d.lineno for d in getattr(last, "decorator_list", [])])
    last_statement = "\n".join(stripped.split("\n")[first_line - 1 :])
    if ends_with_blank_line:
        last_statement += "\n"
    try:
        return codeop.compile_command(last_statement, INPUT_FILENAME, "single") is not None
    except (SyntaxError, ValueError, OverflowError):
        return True


def _is_machinery(frame):
    """Frames of this console and of Pyodide's runtime (e.g. its time.sleep): details CPython's
    own traceback would not show."""
    filename = frame.f_code.co_filename
    return filename == HELPER_FILENAME or "/pyodide/" in filename or "/_pyodide/" in filename


def _user_traceback(tb):
    """The traceback without the machinery's frames, so it reads like CPython's."""
    kept = []
    while tb is not None:
        if not _is_machinery(tb.tb_frame):
            kept.append(tb)
        tb = tb.tb_next
    result = None
    for entry in reversed(kept):
        result = types.TracebackType(result, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return result


def _clean_tracebacks(error, seen=None):
    seen = set() if seen is None else seen
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        error.__traceback__ = _user_traceback(error.__traceback__)
        if error.__cause__ is not None:
            _clean_tracebacks(error.__cause__, seen)
        error = error.__context__


def _offline_note(error):
    top = (error.name or "").split(".")[0]
    if not top:
        return None
    if top in sys.stdlib_module_names:
        return (
            f"Yield Lab runs offline with the standard library its bundled Python runtime ships; "
            f"'{top}' is not part of it."
        )
    return (
        f"Yield Lab runs offline and bundles only Python's standard library, "
        f"so packages such as '{top}' cannot be installed here."
    )


def print_exception(error):
    """Prints a traceback exactly as the interactive interpreter would, on stderr."""
    if isinstance(error, ModuleNotFoundError):
        note = _offline_note(error)
        if note is not None and note not in getattr(error, "__notes__", []):
            error.add_note(note)
    _clean_tracebacks(error)
    sys.last_exc = error
    sys.stdout.flush()  # what was printed before the error comes before its traceback
    traceback.print_exception(error, file=sys.stderr)


class _ResumeWatch:
    """Records the frame stack as a resumed generator yields (or ends), for the Internals panel:
    its frame on top of whoever resumed it. Tracing is on only for the one call that resumes the
    generator (a button press), and line by line only inside that generator's frame."""

    def __init__(self, name, on_resumed=None):
        self.name = name
        self.generator = namespace.get(name)
        self.stack = None
        # Called once, as the generator's frame starts running: the page shows GEN_RUNNING from then.
        self._on_resumed = on_resumed
        self._installed = False
        self._previous = None

    def __enter__(self):
        if self.stack is None and _frame_of(self.generator) is not None:
            self._previous = sys.gettrace()
            self._installed = True
            sys.settrace(self._trace)
        return self

    def __exit__(self, *exc_info):
        if self._installed:
            sys.settrace(self._previous)
            self._installed = False
        return False

    def _trace(self, frame, event, arg):
        if self.stack is None and event == "call" and _is_frame_of(frame, self.generator):
            if self._on_resumed:  # None, or JavaScript's null (a falsy jsnull in Pyodide)
                on_resumed, self._on_resumed = self._on_resumed, None
                on_resumed()
            return self._trace_generator
        return None

    def _trace_generator(self, frame, event, arg):
        if event == "return" and self.stack is None:  # at a yield, or at its end
            self.stack = _describe_stack(frame)
        return self._trace_generator

    def snapshot(self):
        if self.stack is None:
            return None
        return {
            "name": self.name,
            "resumedStack": self.stack,
            "frameAlive": _frame_of(self.generator) is not None,
        }


# ---------------------------------------------------------------------------------------------
# Interrupt
# ---------------------------------------------------------------------------------------------

# Whether the user's code runs: a statement of console input, or a program the Step tab records.
_user_code_running = False
# An interrupt that came before the user's code started: raised as it starts.
_interrupt_held = False


def _on_interrupt(signum, frame):
    """SIGINT, the page's Interrupt. Python polls for it anywhere, also in the console's and the
    recorder's own lines around the user's code (an input's entry, the bookkeeping before each of
    its statements, its error report and outcome, a trace turned into JSON), where a
    KeyboardInterrupt would escape as a failure of the console itself or show its frames. There it
    is held: the user's code raises it as it starts."""
    global _interrupt_held
    if not _user_code_running:
        _interrupt_held = True
        return
    raise KeyboardInterrupt


def forget_interrupt():
    """The host calls this as each request starts: an interrupt held by an earlier one is stale."""
    global _interrupt_held
    _interrupt_held = False


signal.signal(signal.SIGINT, _on_interrupt)


class UserCode:
    """Around the user's code: only in it does an interrupt raise KeyboardInterrupt."""

    def __enter__(self):
        global _user_code_running, _interrupt_held
        if _interrupt_held:
            _interrupt_held = False
            raise KeyboardInterrupt
        _user_code_running = True
        return self

    def __exit__(self, *exception):
        global _user_code_running
        _user_code_running = False  # before any report that follows: an interrupt now is held
        return False


def record_trace_json(source, max_steps, max_seconds):
    """The Step tab's recording: trace_recorder.record_json, with Interrupt raising
    KeyboardInterrupt in the program alone, as in a console input."""
    import trace_recorder  # loaded beside this module by the worker's host

    return trace_recorder.record_json(source, max_steps, max_seconds, around_program=UserCode)


def run(source, watch=None, on_resumed=None):
    """Runs console input: each top-level statement is compiled in 'single' mode, as if typed at
    the >>> prompt, so expression statements echo their repr (``next(g)`` shows ``1``). With
    `watch`, the name of a generator, on_resumed() is called as that generator's frame resumes."""
    status = "ok"
    code_source = _without_trailing_blank_lines(source)
    watcher = _ResumeWatch(watch, on_resumed) if watch else None
    watching = watcher if watcher is not None else contextlib.nullcontext()
    try:
        compile(code_source, INPUT_FILENAME, "exec")  # reports syntax errors with their source line
        tree = ast.parse(code_source, INPUT_FILENAME)
    except (SyntaxError, ValueError, OverflowError) as error:
        print_exception(error)
        return _outcome("syntax-error", watcher)
    try:
        for statement in tree.body:
            # The console's own work for a statement stays outside UserCode: an interrupt polled in
            # it (in linecache or inspect, say) is held and raised as the statement starts, so
            # the traceback has no frame the user's code did not run.
            code = compile(ast.Interactive([statement]), INPUT_FILENAME, "single")
            linecache._register_code(code, code_source, INPUT_FILENAME)  # for tracebacks
            _remember_source(code, code_source)
            _watch_generators()  # those bound by the statements before this one
            unstarted = _unstarted_generators()
            try:
                with watching, UserCode():
                    exec(code, namespace)
            finally:
                _note_closed_unstarted(unstarted)
    except SystemExit as error:
        status = "error"
        print(
            f"SystemExit({short_repr(error.code)}): exit() does not close this console. "
            "Use Restart to start a fresh Python.",
            file=sys.stderr,
        )
    except KeyboardInterrupt as error:
        status = "interrupted"
        print_exception(error)
    except BaseException as error:
        status = "error"
        print_exception(error)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    return _outcome(status, watcher, _lines_inside_strings(code_source) if status == "error" else [])


# Bound now: the user's code shares these modules, and may rebind what is in them (io.StringIO = None).
_StringIO = io.StringIO
_generate_tokens = tokenize.generate_tokens


def _lines_inside_strings(source):
    """The numbers of the lines that go on with a string begun on an earlier line (triple-quoted,
    or continued with a backslash): their leading spaces belong to the string, so the Step tab,
    which replays an input that raised indented inside try, must leave them as they are."""
    lines = set()
    try:
        for token in _generate_tokens(_StringIO(source).readline):
            lines.update(range(token.start[0] + 1, token.end[0] + 1))
    except Exception:
        pass  # the input's outcome must still be reported: a replay indented in full is the fallback
    return sorted(lines)


def _outcome(status, watcher, lines_inside_strings=()):
    _watch_generators()
    return json.dumps(
        {
            "status": status,
            "linesInsideStrings": list(lines_inside_strings),
            "objects": _live_objects(),
            "inspectables": _inspectables(),
            "names": _user_names(),
            "resume": watcher.snapshot() if watcher is not None else None,
        },
        ensure_ascii=False,
    )


def reset():
    """Forgets every name the user defined, like starting a new interpreter session."""
    namespace.clear()
    namespace.update(_pristine_namespace)
    linecache._interactive_cache.clear()
    _typed_sources.clear()
    _last_events.clear()
    sys.last_exc = sys.last_type = sys.last_value = sys.last_traceback = None
    return _outcome("ok", None)


# ---------------------------------------------------------------------------------------------
# Live generators and coroutines
# ---------------------------------------------------------------------------------------------


def _frame_of(obj):
    if inspect.isgenerator(obj):
        return obj.gi_frame
    if inspect.iscoroutine(obj):
        return obj.cr_frame
    return None


def _code_of(obj):
    if inspect.isgenerator(obj):
        return obj.gi_code
    if inspect.iscoroutine(obj):
        return obj.cr_code
    return None


def _is_frame_of(frame, obj):
    owner = getattr(frame, "f_generator", None)  # Python 3.14+
    if owner is not None:
        return owner is obj
    return frame.f_code is _code_of(obj)


def _state_of(obj):
    """inspect.getgeneratorstate / getcoroutinestate, as 'created' | 'running' | 'suspended' | 'closed'."""
    state = inspect.getgeneratorstate(obj) if inspect.isgenerator(obj) else inspect.getcoroutinestate(obj)
    return state.split("_", 1)[1].lower()


# The lines of the input each code object typed in the console came from, by the code object's
# identity. linecache keys its cache by (file, name, first line), so every "<genexpr>" on line 1 of
# any input, or a function since redefined, would show the latest such input's text instead.
_typed_sources = {}


def _remember_source(code, source):
    lines = source.split("\n")
    stack = [code]
    while stack:
        current = stack.pop()
        stack.extend(const for const in current.co_consts if isinstance(const, types.CodeType))
        key = id(current)

        def forget(dead, key=key):
            entry = _typed_sources.get(key)
            if entry is not None and entry[0] is dead:
                del _typed_sources[key]

        _typed_sources[key] = (weakref.ref(current, forget), lines)


def source_line(code, lineno, frame=None):
    """The text of a line of code typed in the console or of a standard-library module."""
    typed = _typed_sources.get(id(code))
    if typed is not None and typed[0]() is code:
        lines = typed[1]
        return lines[lineno - 1] if 0 < lineno <= len(lines) else ""
    line = linecache.getline(code.co_filename, lineno, frame.f_globals if frame is not None else None)
    return line.rstrip("\n")


# ---------------------------------------------------------------------------------------------
# What each generator last did: yielded a value, returned, raised, or was closed
# ---------------------------------------------------------------------------------------------

_monitoring = sys.monitoring
_TOOL_NAME = "Yield Lab live objects"
# A tool id of its own, so profilers, debuggers and coverage the user runs keep theirs. One this
# module took in an earlier load into the same interpreter (tests reuse one runtime) is taken back.
_TOOL = next((tool for tool in range(6) if _monitoring.get_tool(tool) == _TOOL_NAME), None)
if _TOOL is not None:
    _monitoring.clear_tool_id(_TOOL)
    _monitoring.free_tool_id(_TOOL)
else:
    _TOOL = next(tool for tool in (4, 3) if _monitoring.get_tool(tool) is None)
_monitoring.use_tool_id(_TOOL, _TOOL_NAME)
_GENERATOR_FLAGS = inspect.CO_GENERATOR | inspect.CO_COROUTINE
_RESUME_EVENTS = _monitoring.events.PY_YIELD | _monitoring.events.PY_RETURN

# generator -> (event, value). The value is kept (not its repr) so a yield costs no repr call.
_last_events = weakref.WeakKeyDictionary()


def _record(event):
    def callback(code, offset, value):
        generator = sys._getframe(1).f_generator
        if generator is None:
            return
        if event == "raised" and isinstance(value, GeneratorExit):
            _last_events[generator] = ("closed", None)
        else:
            _last_events[generator] = (event, value)

    return callback


_monitoring.register_callback(_TOOL, _monitoring.events.PY_YIELD, _record("yielded"))
_monitoring.register_callback(_TOOL, _monitoring.events.PY_RETURN, _record("returned"))
_monitoring.register_callback(_TOOL, _monitoring.events.PY_UNWIND, _record("raised"))
# Unwinding can only be watched everywhere; it costs a call per frame an exception leaves.
_monitoring.set_events(_TOOL, _monitoring.events.PY_UNWIND)


def _watch_generators():
    """Records yields and returns of the code behind every generator bound in the namespace.
    Only those: a generator expression consumed inside sum() runs at full speed."""
    for value in list(namespace.values()):
        code = _code_of(value)
        if code is not None and code.co_flags & _GENERATOR_FLAGS:
            if _monitoring.get_local_events(_TOOL, code) != _RESUME_EVENTS:
                _monitoring.set_local_events(_TOOL, code, _RESUME_EVENTS)


def _unstarted_generators():
    """Weak references to the namespace's generators and coroutines that have not started."""
    return [
        weakref.ref(value)
        for value in list(namespace.values())
        if (inspect.isgenerator(value) or inspect.iscoroutine(value)) and _state_of(value) == "created"
    ]


def _note_closed_unstarted(unstarted):
    """close() on a generator that never started runs none of its code, so no event records it:
    one unstarted before a statement, closed after it with nothing recorded, was closed so."""
    for reference in unstarted:
        generator = reference()
        if generator is not None and generator not in _last_events and _state_of(generator) == "closed":
            _last_events[generator] = ("closed", None)


def _last_event(generator):
    recorded = _last_events.get(generator)
    if recorded is None:
        return None
    event, value = recorded
    return {"event": event, "repr": None if event == "closed" else short_repr(value)}


def _frame_locals(frame):
    return [{"name": name, "repr": short_repr(value)} for name, value in frame.f_locals.items()]


def _live_objects():
    """Every generator and coroutine bound to a name in the console's namespace."""
    seen = {}
    for name, value in list(namespace.items()):
        if name.startswith("__") or name == "_":
            continue
        if not (inspect.isgenerator(value) or inspect.iscoroutine(value)):
            continue
        if id(value) in seen:
            seen[id(value)]["aliases"].append(name)
            continue
        frame = _frame_of(value)
        code = _code_of(value)
        entry = {
            "name": name,
            "aliases": [],
            "kind": "generator" if inspect.isgenerator(value) else "coroutine",
            "qualname": value.__qualname__,
            "repr": short_repr(value),
            "state": _state_of(value),
            "locals": [],
            "line": None,
            "source": None,
            "location": f"{code.co_filename}:{code.co_firstlineno}",
            "delegatingTo": None,
            "last": _last_event(value),
        }
        if frame is not None:
            entry["locals"] = _frame_locals(frame)
            entry["line"] = frame.f_lineno
            entry["source"] = source_line(code, frame.f_lineno, frame)
        delegate = getattr(value, "gi_yieldfrom", None) or getattr(value, "cr_await", None)
        if delegate is not None:
            entry["delegatingTo"] = short_repr(delegate)
        seen[id(value)] = entry
    return list(seen.values())


# The order in which the console first saw each object: the highest serial is the newest.
_serials = weakref.WeakKeyDictionary()
_next_serial = itertools.count(1)


def _serial_of(value):
    serial = _serials.get(value)
    if serial is None:
        serial = _serials[value] = next(_next_serial)
    return serial


def _inspectables():
    """Names the Internals panel can open: functions, generator functions, generators, coroutines."""
    found = []
    for name, value in list(namespace.items()):
        if name.startswith("__") or name == "_":
            continue
        kind = _kind_of(value)
        if kind is not None:
            found.append({"name": name, "kind": kind, "serial": _serial_of(value)})
    return found


def _user_names():
    """The names the user bound, which Restart would forget."""
    return [
        name
        for name, value in namespace.items()
        if name != "_" and not (name.startswith("__") and name.endswith("__"))
        and not (name in _pristine_namespace and _pristine_namespace[name] is value)
    ]


def _kind_of(value):
    if inspect.isgeneratorfunction(value):
        return "generator function"
    if inspect.iscoroutinefunction(value):
        return "coroutine function"
    if inspect.isfunction(value):
        return "lambda" if value.__name__ == "<lambda>" else "function"
    if inspect.isgenerator(value):
        return "generator"
    if inspect.iscoroutine(value):
        return "coroutine"
    return None


# ---------------------------------------------------------------------------------------------
# Internals: function attributes, code object, bytecode, frames
# ---------------------------------------------------------------------------------------------

_FUNCTION_ATTRIBUTES = [
    ("__doc__", "Documentation string"),
    ("__name__", "Function name"),
    ("__dict__", "Dictionary containing function attributes"),
    ("__code__", "Byte-compiled code"),
    ("__defaults__", "Tuple containing the default arguments"),
    ("__globals__", "Dictionary defining the global namespace"),
    ("__closure__", "Tuple containing data related to nested scopes"),
]

_GENERATOR_ATTRIBUTES = [
    ("__name__", "Name of the generator function"),
    ("__qualname__", "Qualified name"),
    ("gi_code", "The code object the generator runs"),
    ("gi_frame", "Its frame: locals and position; None once closed"),
    ("gi_running", "True only while the interpreter executes it"),
    ("gi_suspended", "True while paused at a yield"),
    ("gi_yieldfrom", "The iterator it delegates to with yield from, if any"),
]


def _describe_globals(value):
    names = [name for name in value if not name.startswith("_")]
    where = "the console's global namespace (__main__.__dict__)" if value is namespace else "a module's namespace"
    return f"{where}: {len(value)} names, e.g. {', '.join(names[:8]) or '—'}"


def _describe_closure(function):
    if function.__closure__ is None:
        return "None"
    cells = []
    for name, cell in zip(function.__code__.co_freevars, function.__closure__):
        try:
            contents = short_repr(cell.cell_contents, 60)
        except ValueError:
            contents = "<empty>"
        cells.append(f"{name} = {contents}")
    return f"({len(cells)} cells) " + "; ".join(cells)


def _function_attributes(function):
    rows = []
    for attribute, description in _FUNCTION_ATTRIBUTES:
        if attribute == "__globals__":
            value = _describe_globals(function.__globals__)
        elif attribute == "__closure__":
            value = _describe_closure(function)
        else:
            value = short_repr(getattr(function, attribute), 200)
        rows.append({"attribute": attribute, "description": description, "value": value})
    return rows


def _generator_attributes(generator):
    rows = []
    for attribute, description in _GENERATOR_ATTRIBUTES:
        if not hasattr(generator, attribute):
            continue
        rows.append({"attribute": attribute, "description": description, "value": short_repr(getattr(generator, attribute), 200)})
    return rows


def _code_attributes(code):
    rows = [
        ("co_name", code.co_name),
        ("co_qualname", code.co_qualname),
        ("co_filename", code.co_filename),
        ("co_firstlineno", code.co_firstlineno),
        ("co_argcount", code.co_argcount),
        ("co_posonlyargcount", code.co_posonlyargcount),
        ("co_kwonlyargcount", code.co_kwonlyargcount),
        ("co_nlocals", code.co_nlocals),
        ("co_varnames", code.co_varnames),
        ("co_cellvars", code.co_cellvars),
        ("co_freevars", code.co_freevars),
        ("co_names", code.co_names),
        ("co_consts", code.co_consts),
        ("co_stacksize", code.co_stacksize),
    ]
    described = [{"attribute": name, "value": short_repr(value, 200)} for name, value in rows]
    described.append({"attribute": "co_flags", "value": f"{code.co_flags} ({dis.pretty_flags(code.co_flags)})"})
    described.append({"attribute": "co_code", "value": f"{len(code.co_code)} bytes of bytecode"})
    return described


def _describe_frame(frame):
    code = frame.f_code
    generator = getattr(frame, "f_generator", None)
    return {
        "function": code.co_qualname,
        "file": code.co_filename,
        "line": frame.f_lineno,
        "source": source_line(code, frame.f_lineno, frame).strip(),
        "isGenerator": bool(code.co_flags & inspect.CO_GENERATOR) or generator is not None,
    }


def _describe_stack(frame):
    """The user's frames from the global frame (first) to the running one (last), without the
    console's own frames. ``frame`` None means the stack of whoever calls this."""
    frames = []
    current = frame if frame is not None else sys._getframe(1)
    while current is not None:
        if current.f_code.co_filename != HELPER_FILENAME:
            frames.append(_describe_frame(current))
        current = current.f_back
    frames.reverse()
    return frames


def _suspended_frames():
    """Frames kept alive by generators and coroutines in the namespace, off any stack."""
    frames = []
    for entry in _live_objects():
        value = namespace.get(entry["name"])
        frame = _frame_of(value)
        if frame is None:
            continue
        described = _describe_frame(frame)
        described["owner"] = entry["name"]
        described["state"] = entry["state"]
        described["back"] = short_repr(frame.f_back)
        frames.append(described)
    return frames


def _bytecode(code, current_offset=None):
    try:
        return dis.Bytecode(code, current_offset=current_offset).dis()
    except Exception as error:  # dis of an unusual code object: show why instead of nothing
        return f"dis failed: {type(error).__name__}: {error}"


def internals(name):
    """Everything the Internals panel shows about one name of the namespace."""
    if name not in namespace:
        return json.dumps({"name": name, "error": f"NameError: name {name!r} is not defined"})
    value = namespace[name]
    kind = _kind_of(value)
    if kind is None:
        return json.dumps({"name": name, "error": f"{name} is a {type(value).__name__}, not a function or generator"})
    described = {"name": name, "kind": kind, "repr": short_repr(value, 200), "signature": None}
    if inspect.isfunction(value):
        code = value.__code__
        try:
            described["signature"] = f"{value.__name__}{inspect.signature(value)}"
        except (TypeError, ValueError):
            pass
        described["attributes"] = _function_attributes(value)
        described["bytecode"] = _bytecode(code)
        described["frame"] = None
    else:
        code = _code_of(value)
        frame = _frame_of(value)
        described["attributes"] = _generator_attributes(value)
        described["bytecode"] = _bytecode(code, frame.f_lasti if frame is not None else None)
        described["state"] = _state_of(value)
        described["frame"] = None
        if frame is not None:
            described["frame"] = _describe_frame(frame) | {
                "locals": _frame_locals(frame),
                "lasti": frame.f_lasti,
                "back": short_repr(frame.f_back),
            }
    described["code"] = _code_attributes(code)
    described["suspendedFrames"] = _suspended_frames()
    return json.dumps(described, ensure_ascii=False)
