"""Yield Lab's trace recorder: runs a program under sys.settrace and records every step as a
snapshot of the running stack, the suspended generator frames and the objects they reach, in the
format yield-lab-trace/1 (docs/trace-format.md).

The same file runs in the app's Pyodide worker (imported as ``trace_recorder``) and under the
system python3 for the tests and ``npm run trace`` (run as a script). It gives the same steps on
CPython 3.11 and on Pyodide's 3.14: comprehension frames, which 3.11 runs apart and 3.12+ inlines,
are hidden, and yields are told from returns by the instruction the frame stopped at.
"""

import _thread
import builtins
import contextlib
import dis
import gc
import itertools
import json
import linecache
import signal
import sys
import threading
import time
import traceback
import types
import weakref

if sys.version_info < (3, 11):
    raise ImportError(f"The trace recorder needs Python 3.11 or later; this is Python {sys.version.split()[0]}.")

FORMAT = "yield-lab-trace/1"
DEFAULT_MAX_STEPS = 10_000
DEFAULT_MAX_SECONDS = 10.0

# Bounds of what one step shows: longer containers say how many items they hide.
MAX_ITEMS = 50
MAX_OBJECTS = 300
# Sets up to this size are shown sorted; larger ones in their own order (sorting each step costs).
_SORTED_SET_SIZE = 1_000
MAX_REPR = 120
MAX_STDOUT = 1_000_000
# Frames and objects over all steps: about 40 bytes of JSON each at least. The step cap alone does
# not bound a trace: each step of a deep recursion draws every frame.
MAX_TRACE_ENTRIES = 300_000
# Ints longer than this many bits are shown by their size: their repr costs time (and above
# 4,300 digits raises).
MAX_INT_BITS = 1_000

_RESUME = dis.opmap["RESUME"]
_YIELD_VALUE = dis.opmap["YIELD_VALUE"]
_RETURNS = {dis.opmap[name] for name in ("RETURN_VALUE", "RETURN_CONST") if name in dis.opmap}
# Where a `yield from` (or await) takes its delegate's StopIteration: not an exception the program sees.
_DELEGATION_ENDS = {dis.opmap[name] for name in ("SEND", "END_SEND", "CLEANUP_THROW") if name in dis.opmap}
_GENERATOR_FLAGS = 0x20 | 0x100 | 0x200  # CO_GENERATOR, CO_COROUTINE, CO_ITERABLE_COROUTINE
# 3.11 runs these in frames of their own; 3.12+ inlines them into the enclosing frame.
_COMPREHENSIONS = frozenset({"<listcomp>", "<setcomp>", "<dictcomp>"})
_CO_OPTIMIZED = 0x1
_CLASS_BODY_NAMES = frozenset(
    {"__module__", "__qualname__", "__firstlineno__", "__static_attributes__", "__classcell__", "__classdictcell__"}
)
_HAS_FRAME_GENERATOR = hasattr(types.FrameType, "f_generator")

_PRIMITIVE_CACHE_SIZE = 4096
_PRIMITIVE_KINDS = {int: "int", float: "float", str: "str", bool: "bool", type(None): "none"}
# Types whose repr runs no user code and says what the value is.
_SAFE_REPR_TYPES = (complex, bytes, bytearray, range, slice, type(Ellipsis), type(NotImplemented))


class _Stop(BaseException):
    """Raised into the program to stop it at a limit. A BaseException, so `except Exception`
    in the program does not swallow it."""


class _Capture:
    """The program's stdout: kept (up to MAX_STDOUT characters), never printed."""

    def __init__(self):
        self.parts = []
        self.length = 0
        self.dropped = 0

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        room = MAX_STDOUT - self.length
        if len(text) > room:
            self.dropped += len(text) - max(room, 0)
            text = text[: max(room, 0)]
        self.parts.append(text)
        self.length += len(text)
        return len(text)

    def flush(self):
        pass

    def writable(self):
        return True

    def isatty(self):
        return False

    def value(self):
        return "".join(self.parts)


def _bounded(text, limit=MAX_REPR):
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… {len(text) - limit} more"


def _safe_repr(value):
    """A repr that runs no code of the program: builtin values by their repr, others by type."""
    kind = type(value)
    try:
        if isinstance(value, _SAFE_REPR_TYPES) and kind.__module__ == "builtins":
            if isinstance(value, (bytes, bytearray)) and len(value) > MAX_REPR:
                return _bounded(repr(value[:MAX_REPR]))
            return _bounded(repr(value))
        if isinstance(value, types.FunctionType):
            return f"<function {value.__qualname__}>"
        if isinstance(value, types.BuiltinFunctionType):
            return f"<built-in function {value.__name__}>"
        if isinstance(value, type):
            return f"<class '{type.__getattribute__(value, '__qualname__')}'>"
        if isinstance(value, types.ModuleType):
            return f"<module '{value.__name__}'>"
        if isinstance(value, types.GeneratorType):
            return f"<generator object {value.gi_code.co_name}>"
        if isinstance(value, BaseException) and kind.__module__ == "builtins":
            args = value.args
            if all(type(arg) in _PRIMITIVE_KINDS for arg in args):
                return _bounded(f"{kind.__name__}({', '.join(_primitive_repr(arg) for arg in args)})")
            return f"{kind.__name__}(…)"
    except Exception:
        pass
    return f"<{kind.__qualname__} object>"


def _primitive_repr(value):
    if type(value) is int and value.bit_length() > MAX_INT_BITS:
        return f"<int of about {int(value.bit_length() * 0.30103) + 1} digits>"
    if type(value) is str and len(value) > MAX_REPR:
        return f"{repr(value[:MAX_REPR])}… {len(value) - MAX_REPR} more"
    return repr(value)


def _generator_state(generator):
    """inspect.getgeneratorstate's answer, without importing inspect into the program's view."""
    if generator.gi_running:
        return "GEN_RUNNING"
    if generator.gi_suspended:
        return "GEN_SUSPENDED"
    if generator.gi_frame is None:
        return "GEN_CLOSED"
    return "GEN_CREATED"


class _Recorder:
    def __init__(self, filename, max_steps, max_seconds, stdout):
        self.filename = filename
        self.max_steps = max_steps
        self.deadline = time.perf_counter() + max_seconds
        self.max_seconds = max_seconds
        self.stdout = stdout
        self.steps = []
        # Frames and objects in all steps so far: what the trace's size grows with.
        self.size = 0
        self.note = None
        self.stopped = False
        self.stdout_at_stop = None
        # id(object) -> (object id, weak reference or None, type). Objects that cannot be held
        # weakly (lists, dicts, tuples, sets) keep their id while each step reaches them.
        self.objects = {}
        self.next_object = 0
        # id(frame) -> (frame id, weak reference to its generator or None), for the program's
        # frames: a generator's frame keeps its id while that generator lives.
        self.frames = {}
        self.next_frame = 0
        # The program's generators seen so far, held weakly: object id -> weak reference.
        self.generators = {}
        # id(frame) -> weak reference to its generator (3.11, which has no frame.f_generator).
        self.frame_generators = {}
        # id(generator) -> its object id, for generators being collected (see _note_finalizing).
        self.finalizing = {}
        # Object id of a generator -> whether its last yield passed on a traced delegate's value.
        self.delegating = {}
        self.hidden_first_line = set()
        self.unwinding = set()
        self.code_bytes = {}
        self.sent_stores = {}
        self.pending_sent = None
        # Per recording: how each type is drawn, the descriptions that never change (by object
        # id), and Value dicts shared between steps (they are only ever serialised).
        self.categories = {}
        self.fixed_entries = {}
        self.primitive_values = {}
        self.ref_values = {}
        # The frame a generator just yielded to, while no other event has come since.
        self.yielded_to = None
        self.root_frame = None

    # -- tracing ------------------------------------------------------------------------------

    def trace(self, frame, event, arg):
        code = frame.f_code
        if code.co_filename != self.filename or self.stopped:
            return None
        if self.pending_sent is not None:
            self._settle_sent(frame, event)
        yielded_below, self.yielded_to = self.yielded_to, None
        name = code.co_name
        if name in _COMPREHENSIONS and not code.co_flags & _GENERATOR_FLAGS:
            self._hidden(frame, event)
            return self.trace
        if event == "line":
            self.unwinding.discard(id(frame))
            self._step("line", frame, None)
        elif event == "call":
            self._call(frame, code)
        elif event == "return":
            self._return(frame, code, arg, yielded_below)
        elif event == "exception":
            self._exception(frame, code, arg)
        return self.trace

    def _hidden(self, frame, event):
        """A comprehension's own frame (3.11): its steps are the enclosing frame's, as in 3.12+."""
        key = id(frame)
        if event == "call":
            self.hidden_first_line.add(key)
        elif event == "line":
            if key in self.hidden_first_line:
                self.hidden_first_line.discard(key)
            else:
                self._step("line", frame, None)
        elif event == "return":
            self.hidden_first_line.discard(key)

    def _instruction(self, code, offset):
        data = self.code_bytes.get(code)
        if data is None:
            data = self.code_bytes[code] = code.co_code
        if offset < 0 or offset + 1 >= len(data):
            return None, 0
        return data[offset], data[offset + 1]

    def _call(self, frame, code):
        if not code.co_flags & _GENERATOR_FLAGS:
            self.frames[id(frame)] = (self._new_frame_id(), None)
            self._step("call", frame, None)
            return
        opcode, oparg = self._instruction(code, frame.f_lasti)
        first_start = opcode == _RESUME and oparg & 3 == 0
        if not first_start:
            self._note_finalizing(frame)
        generator = self._generator_of(frame)
        self.frame_id(frame, generator)
        if first_start:
            self._step("call", frame, None)
            return
        # Resuming a `yield from` whose delegate is traced: the delegate's own resume is the step.
        if opcode == _RESUME and oparg & 3 >= 2 and generator is not None:
            if self.delegating.get(self._object_id(generator)):
                return
        step = self._step("resume", frame, None)
        store = self._sent_store(code, frame.f_lasti) if opcode == _RESUME else None
        if store is not None:
            self.pending_sent = (step, frame, store)

    def _return(self, frame, code, value, yielded_below):
        key = id(frame)
        if code.co_flags & _GENERATOR_FLAGS and key not in self.unwinding:
            opcode, _ = self._instruction(code, frame.f_lasti)
            if opcode == _YIELD_VALUE:
                generator = self._generator_of(frame)
                # A `yield from` passing on the value its traced delegate just yielded: one yield, the delegate's.
                after, oparg = self._instruction(code, frame.f_lasti + 2)
                passes_on = yielded_below is frame and after == _RESUME and oparg & 3 >= 2
                if generator is not None:
                    self.delegating[self._object_id(generator)] = passes_on
                if not passes_on:
                    self._step("yield", frame, value, with_value=True)
                self.yielded_to = frame.f_back
                return
        # A frame ends normally only at a return instruction; anywhere else an exception is leaving
        # it (also when no exception event says so, as after a `finally` re-raises).
        opcode, _ = self._instruction(code, frame.f_lasti)
        ended_by_exception = key in self.unwinding or opcode not in _RETURNS
        self.unwinding.discard(key)
        self._step("return", frame, None if ended_by_exception else value, with_value=not ended_by_exception)
        if not code.co_flags & _GENERATOR_FLAGS:
            self.frames.pop(key, None)
        elif self.finalizing:
            generator = self._lookup_generator(frame)
            if generator is not None:
                self.finalizing.pop(id(generator), None)

    def _exception(self, frame, code, info):
        error = info[1]
        if isinstance(error, StopIteration):
            opcode, _ = self._instruction(code, frame.f_lasti)
            if opcode in _DELEGATION_ENDS:
                return
        if isinstance(error, _Stop):
            return
        self.unwinding.add(id(frame))
        self._step("exception", frame, error, with_value=True)

    def _is_traced(self, generator):
        return generator.gi_code.co_filename == self.filename

    def _generator_of(self, frame):
        generator = self._lookup_generator(frame)
        if generator is None:
            return None
        if not _HAS_FRAME_GENERATOR and id(generator) not in self.finalizing:
            self.frame_generators[id(frame)] = weakref.ref(generator)
        self._register_generator(generator)
        return generator

    def _lookup_generator(self, frame):
        """The generator a frame belongs to, found without taking any reference to it."""
        if _HAS_FRAME_GENERATOR:
            generator = frame.f_generator
        else:
            ref = self.frame_generators.get(id(frame))
            generator = ref() if ref is not None else None
            if generator is None or generator.gi_frame is not frame:
                generator = self._find_generator(frame)
        return generator if isinstance(generator, types.GeneratorType) else None

    def _note_finalizing(self, frame):
        """A generator being collected runs its frame to close it (its `finally` prints, say)
        after Python has cleared its weak references: a weak reference taken now would outlive
        the object. It is recognised by its dead weak reference and keeps its ids until its frame
        ends, held by nothing of ours."""
        generator = self._lookup_generator(frame)
        if generator is None:
            return
        entry = self.objects.get(id(generator))
        if entry is not None and entry[1] is not None and entry[1]() is None and entry[2] is type(generator):
            self.finalizing[id(generator)] = entry[0]

    def _find_generator(self, frame):
        """The generator a frame belongs to, on 3.11: among those already seen, then among the
        youngest objects (a generator is mostly started soon after it is made), then by asking
        the collector what refers to the frame, which scans every object."""
        for ref in self.generators.values():
            generator = ref()
            if generator is not None and generator.gi_frame is frame:
                return generator
        for candidates in (gc.get_objects(generation=0), gc.get_referrers(frame)):
            for candidate in candidates:
                if type(candidate) is types.GeneratorType and candidate.gi_frame is frame:
                    return candidate
        return None

    def _register_generator(self, generator):
        object_id = self._object_id(generator)
        if object_id not in self.generators and id(generator) not in self.finalizing:
            self.generators[object_id] = weakref.ref(generator)
        return object_id

    def _sent_store(self, code, resume_offset):
        """The name a resumed `x = yield` stores the sent value in, or None."""
        stores = self.sent_stores.get(code)
        if stores is None:
            stores = self.sent_stores[code] = {}
            previous = None
            for instruction in dis.get_instructions(code):
                if previous is not None and previous.opname == "RESUME" and instruction.opname.startswith("STORE_"):
                    name = instruction.argval
                    if isinstance(name, tuple):
                        name = name[0]
                    if instruction.opname in ("STORE_FAST", "STORE_NAME", "STORE_GLOBAL", "STORE_DEREF") or (
                        instruction.opname.startswith("STORE_FAST_")
                    ):
                        stores[previous.offset] = name
                previous = instruction
        return stores.get(resume_offset)

    def _settle_sent(self, frame, event):
        """Fills in a resume's sent value once `x = yield` has stored it (not when resumed by throw)."""
        step, resumed, name = self.pending_sent
        if resumed is frame and event == "exception":
            self.pending_sent = None
            return
        self.pending_sent = None
        try:
            scope = resumed.f_globals if resumed.f_code.co_name == "<module>" else resumed.f_locals
            if name not in scope:
                return
            value = scope[name]
        except Exception:
            return
        walk = _Walk(self, step["heap"])
        step["sent"] = walk.value(value)
        walk.finish()

    # -- steps --------------------------------------------------------------------------------

    def frame_id(self, frame, generator=None):
        key = id(frame)
        entry = self.frames.get(key)
        finalizing = generator is not None and id(generator) in self.finalizing
        if entry is not None:
            frame_id, owner = entry
            if finalizing or (owner is None if generator is None else owner() is generator):
                return frame_id
        frame_id = self._new_frame_id()
        owner = weakref.ref(generator) if generator is not None and not finalizing else None
        self.frames[key] = (frame_id, owner)
        return frame_id

    def _new_frame_id(self):
        self.next_frame += 1
        return f"f{self.next_frame}"

    def _object_id(self, value):
        key = id(value)
        finalizing = self.finalizing.get(key)
        if finalizing is not None and type(value) is types.GeneratorType:
            return finalizing
        entry = self.objects.get(key)
        if entry is not None:
            object_id, ref, kind = entry
            if ref is not None:
                if ref() is value:
                    return object_id
            elif kind is type(value):
                return object_id
        self.next_object += 1
        object_id = f"o{self.next_object}"
        try:
            ref = weakref.ref(value)
        except TypeError:
            ref = None
        self.objects[key] = (object_id, ref, type(value))
        return object_id

    def _step(self, event, frame, value, with_value=False):
        if len(self.steps) >= self.max_steps:
            self._stop(
                f"Recording stopped at the step limit ({self.max_steps:,} steps); "
                "the program had not finished. The steps shown are its first ones."
            )
        if time.perf_counter() > self.deadline:
            self._stop_at_time_limit()
        if self.size > MAX_TRACE_ENTRIES:
            self._stop(
                f"Recording stopped after {len(self.steps):,} steps: the trace reached its size limit "
                f"({MAX_TRACE_ENTRIES:,} frames and objects over all steps; deep recursion fills it fast). "
                "The program had not finished."
            )
        walk = _Walk(self, {})
        stack = self._stack(frame, walk)
        walk.running = {entry["generator"] for entry in stack if entry["generator"] is not None}
        current = frame
        while current is not None and current.f_code.co_name in _COMPREHENSIONS:
            current = current.f_back
        step = {
            "event": event,
            "line": frame.f_lineno,
            "function": (current or frame).f_code.co_name,
            "stack": stack,
            "suspended": [],
            "heap": walk.heap,
            "value": walk.value(value) if with_value else None,
            "sent": None,
            "stdout_length": self.stdout.length,
        }
        for object_id, ref in list(self.generators.items()):
            generator = ref()
            if generator is None or generator.gi_frame is None:
                del self.generators[object_id]
                continue
            walk.suspend(generator, object_id)
        walk.finish()
        step["suspended"] = walk.suspended
        self.size += len(stack) + len(walk.suspended) + len(walk.heap)
        self.steps.append(step)
        return step

    def _stack(self, frame, walk):
        frames = []
        current = frame
        line = frame.f_lineno
        while current is not None and current is not self.root_frame:
            code = current.f_code
            if code.co_filename == self.filename and code.co_name not in _COMPREHENSIONS:
                frames.append((current, line))
                line = None
            current = current.f_back
        stack = []
        for current, line in reversed(frames):
            generator = self._generator_of(current) if current.f_code.co_flags & _GENERATOR_FLAGS else None
            stack.append(walk.frame(current, generator, line))
        return stack

    def _stop_at_time_limit(self):
        self._stop(
            f"Recording stopped at the time limit ({self.max_seconds:g} s) after {len(self.steps):,} steps; "
            "the program had not finished."
        )

    def _stop(self, note):
        self.stopped = True
        self.note = note
        self.stdout_at_stop = self.stdout.length
        sys.settrace(None)
        raise _Stop()


class _Walk:
    """One step's snapshot of frames and the objects they reach."""

    def __init__(self, recorder, heap):
        self.recorder = recorder
        self.heap = heap
        self.pending = []
        self.suspended = []
        self.suspended_ids = set()
        # Generators whose frames are on this step's stack: running, whatever the runtime says
        # (3.11 calls them suspended already as they yield).
        self.running = set()

    def frame(self, frame, generator, line=None):
        recorder = self.recorder
        return {
            "id": recorder.frame_id(frame, generator),
            "function": frame.f_code.co_name,
            "line": frame.f_lineno if line is None else line,
            "locals": self.locals(frame),
            "generator": self._generator_ref(generator),
        }

    def _generator_ref(self, generator):
        """The generator's id, with the generator drawn in the heap."""
        if generator is None:
            return None
        self.recorder._register_generator(generator)
        return self.value(generator)["id"]

    def locals(self, frame):
        code = frame.f_code
        module_level = code.co_name == "<module>"
        scope = frame.f_globals if module_level else frame.f_locals
        # A class body's namespace holds what Python itself puts there, which differs by version.
        hidden = _CLASS_BODY_NAMES if not code.co_flags & _CO_OPTIMIZED else ()
        result = {}
        for name, value in list(scope.items()):
            if module_level and name.startswith("__") and name.endswith("__") or name in hidden:
                continue
            result[name] = self.value(value)
        return result

    def suspend(self, generator, object_id):
        if object_id in self.suspended_ids or object_id in self.running or generator.gi_running:
            return
        self.suspended_ids.add(object_id)
        entry = self.frame(generator.gi_frame, generator)
        del entry["generator"]
        entry["generator"] = object_id
        self.suspended.append(entry)

    def value(self, value):
        kind = type(value)
        primitive = _PRIMITIVE_KINDS.get(kind)
        recorder = self.recorder
        if primitive is not None:
            if kind is float:  # 0.0 == -0.0 and nan != nan: not cached by value
                return {"kind": primitive, "repr": _primitive_repr(value)}
            key = (kind, value)
            cached = recorder.primitive_values.get(key)
            if cached is None:
                if len(recorder.primitive_values) >= _PRIMITIVE_CACHE_SIZE:
                    recorder.primitive_values.clear()
                cached = recorder.primitive_values[key] = {"kind": primitive, "repr": _primitive_repr(value)}
            return cached
        object_id = recorder._object_id(value)
        if object_id not in self.heap:
            self.heap[object_id] = None
            self.pending.append((object_id, value))
        ref = recorder.ref_values.get(object_id)
        if ref is None:
            ref = recorder.ref_values[object_id] = {"kind": "ref", "id": object_id}
        return ref

    def finish(self):
        described = 0
        pending = self.pending
        while described < len(pending):
            object_id, value = pending[described]
            described += 1
            self.heap[object_id] = self.describe(object_id, value, expand=described <= MAX_OBJECTS)
        pending.clear()

    def describe(self, object_id, value, expand):
        recorder = self.recorder
        fixed = recorder.fixed_entries.get(object_id)
        if fixed is not None:
            return fixed
        kind = type(value)
        category = recorder.categories.get(kind)
        if category is None:
            category = recorder.categories[kind] = _category(kind)
        entry = {"type": category, "type_name": kind.__qualname__, "items": [], "hidden": 0, "repr": ""}
        if category == "list" or category == "tuple" or category == "set":
            if not expand:
                shown = ()
            elif category == "set":
                shown = _first_of_set(value)
            else:
                shown = value[:MAX_ITEMS]
            entry["items"] = [self.value(item) for item in shown]
            entry["hidden"] = len(value) - len(shown)
            entry["repr"] = f"<{kind.__qualname__} of {len(value)}>"
        elif category == "dict":
            shown = list(itertools.islice(value.items(), MAX_ITEMS)) if expand else ()
            entry["entries"] = [[self.value(key), self.value(item)] for key, item in shown]
            entry["hidden"] = len(value) - len(shown)
            entry["repr"] = f"<dict of {len(value)}>"
        elif category == "generator":
            traced = recorder._is_traced(value)
            if traced:
                recorder._register_generator(value)
            frame = value.gi_frame
            entry["state"] = "GEN_RUNNING" if object_id in self.running else _generator_state(value)
            entry["frame"] = None
            if frame is not None and traced:
                self.suspend(value, object_id)
                entry["frame"] = recorder.frame_id(frame, value)
            # Only a suspended generator is asked: CPython 3.11 reads gi_yieldfrom off the frame's
            # value stack, which it may do out of turn while the frame runs or ends (a crash).
            suspended = entry["state"] == "GEN_SUSPENDED"
            delegate = value.gi_yieldfrom if suspended else None
            entry["yieldfrom"] = self.value(delegate)["id"] if delegate is not None else None
            entry["function"] = value.gi_code.co_name
            entry["repr"] = _safe_repr(value)
        elif category == "instance" and hasattr(value, "__dict__"):
            attributes = _attributes(value)
            shown = list(itertools.islice(attributes.items(), MAX_ITEMS)) if expand else ()
            entry["entries"] = [[self.value(name), self.value(item)] for name, item in shown]
            entry["hidden"] = len(attributes) - len(shown)
            entry["repr"] = f"<{kind.__qualname__} object>"
        else:
            entry["type"] = category = "other" if category == "instance" else category
            entry["repr"] = _safe_repr(value)
            # Functions, classes, modules…: nothing of theirs that a step shows changes while they
            # live, and an object held weakly keeps its id only while it lives.
            if recorder.objects[id(value)][1] is not None:
                recorder.fixed_entries[object_id] = entry
        return entry


def _category(kind):
    """How a type's objects are drawn (see HeapObject.type in docs/trace-format.md)."""
    if kind.__module__ == "builtins":
        for base, category in ((list, "list"), (tuple, "tuple"), ((set, frozenset), "set"), (dict, "dict")):
            if issubclass(kind, base):
                return category
    if kind is types.GeneratorType:
        return "generator"
    if kind is types.FunctionType:
        return "function"
    if _is_program_class(kind):
        return "instance"
    return "other"


def _first_of_set(values):
    """The items a set shows: sorted when they are a few numbers and strings (the same on every
    run, whatever the hash seed), else the first ones in the set's own order."""
    if len(values) <= _SORTED_SET_SIZE and all(type(value) in (int, float, str, bool) for value in values):
        try:
            return sorted(values, key=lambda value: (type(value).__name__, value))[:MAX_ITEMS]
        except TypeError:
            pass
    return list(itertools.islice(values, MAX_ITEMS))


def _is_program_class(kind):
    """A class the program defined: its instances' attributes are shown."""
    try:
        namespace = type.__getattribute__(kind, "__dict__")
    except Exception:
        return False
    return isinstance(namespace, types.MappingProxyType) and namespace.get("__module__") == "__main__"


def _attributes(value):
    try:
        attributes = object.__getattribute__(value, "__dict__")
    except Exception:
        return {}
    return attributes if type(attributes) is dict else {}


def _is_runtime_frame(tb):
    """The app's console and Pyodide's event loop stand in for what CPython does in C (time.sleep)."""
    name = tb.tb_frame.f_code.co_filename
    return name == "<yield-lab console>" or "/pyodide/" in name or name.endswith("webloop.py")


def _user_traceback(tb, filename):
    """The traceback from the program's first frame on: the recorder's own frames are not shown,
    nor the runtime's frames at its end, which CPython would not have."""
    while tb is not None and tb.tb_frame.f_code.co_filename != filename:
        tb = tb.tb_next
    last_kept = None
    entry = tb
    while entry is not None:
        if not _is_runtime_frame(entry):
            last_kept = entry
        entry = entry.tb_next
    if last_kept is not None:
        last_kept.tb_next = None
    return tb


def _error_of(error, filename):
    if isinstance(error, SyntaxError) and error.filename == filename and error.__traceback__ is not None:
        error.__traceback__ = None
    else:
        error.__traceback__ = _user_traceback(error.__traceback__, filename)
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return {"type": type(error).__qualname__, "message": str(error), "traceback": text}


@contextlib.contextmanager
def _alarm_at_deadline(recorder):
    """Stops the program at the recorder's deadline also when no step comes to check it: a loop
    on one line (CPython 3.11 reports no new line for its jump back), or long-running Python code
    outside the program (the standard library's). A thread waits for the deadline and interrupts
    the main thread (_thread.interrupt_main, on every platform CPython runs on); the SIGINT handler
    set here for the while stops the recording at the time limit there, raising _Stop, which the
    program's `except KeyboardInterrupt` does not catch. A real Ctrl-C stays KeyboardInterrupt.
    Code in C that checks no signals (time.sleep, one huge sum) still runs on. Pyodide has no
    threads: there the steps alone check the deadline (3.12+ reports each jump back as a line)."""
    previous = signal.getsignal(signal.SIGINT)
    if sys.platform == "emscripten" or threading.current_thread() is not threading.main_thread() or previous is None:
        yield
        return
    rang = False
    running = True
    cancelled = threading.Event()

    def wait():
        nonlocal rang
        # Until perf_counter passes the deadline, the clock the steps check: Event.wait's may end a little early.
        while (left := recorder.deadline - time.perf_counter()) > 0:
            if cancelled.wait(left):
                return
        rang = True
        _thread.interrupt_main()

    def on_interrupt(signum, frame):
        if not rang:
            if callable(previous):
                previous(signum, frame)
        elif running and not recorder.stopped:
            recorder._stop_at_time_limit()

    signal.signal(signal.SIGINT, on_interrupt)
    watcher = threading.Thread(target=wait, name="trace recorder deadline", daemon=True)
    try:
        watcher.start()
        yield
    finally:
        running = False
        cancelled.set()
        if watcher.ident is not None:
            watcher.join()
        # An interrupt the alarm raised as the program ended has been handled (and ignored) by now:
        # Python runs handlers before the next call, and join() made several.
        signal.signal(signal.SIGINT, previous)


def record(
    source,
    max_steps=DEFAULT_MAX_STEPS,
    max_seconds=DEFAULT_MAX_SECONDS,
    filename="<program>",
    around_program=contextlib.nullcontext,
):
    """Runs `source` as a program (its own __main__ namespace) and returns its trace as a dict.
    `around_program()` is entered around the program's run alone (the app's console passes what
    lets Interrupt raise KeyboardInterrupt only in the program)."""
    trace = {
        "format": FORMAT,
        "python": sys.version.split()[0],
        "source": source,
        "steps": [],
        "stdout": "",
        "truncated": False,
        "note": None,
        "error": None,
    }
    try:
        code = compile(source, filename, "exec")
    except (SyntaxError, ValueError) as error:
        trace["error"] = _error_of(error, filename)
        return trace
    # Tracebacks show the program's lines, as running it from a file would.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    capture = _Capture()
    recorder = _Recorder(filename, max_steps, max_seconds, capture)
    recorder.root_frame = sys._getframe()
    namespace = {"__name__": "__main__", "__builtins__": builtins, "__doc__": None}
    saved_stdout = sys.stdout
    saved_trace = sys.gettrace()
    sys.stdout = capture
    try:
        with around_program(), _alarm_at_deadline(recorder):
            sys.settrace(recorder.trace)
            try:
                exec(code, namespace)
            finally:
                sys.settrace(None)
    except _Stop:
        pass
    except SystemExit as error:
        if error.code not in (None, 0):
            trace["error"] = _error_of(error, filename)
    except BaseException as error:
        if recorder.stopped:
            pass
        else:
            trace["error"] = _error_of(error, filename)
            if isinstance(error, KeyboardInterrupt):
                trace["truncated"] = True
                trace["note"] = f"Recording was interrupted after {len(recorder.steps):,} steps."
    finally:
        try:
            # What the program's objects print as they go (a generator's finally), as at its exit.
            namespace.clear()
            if any(ref() is not None for ref in recorder.generators.values()):
                gc.collect()  # generators kept alive by reference cycles
        finally:
            sys.stdout = saved_stdout
            sys.settrace(saved_trace)
    stdout = capture.value()
    if recorder.stopped:
        stdout = stdout[: recorder.stdout_at_stop]
        trace["truncated"] = True
        trace["note"] = recorder.note
    elif capture.dropped:
        trace["note"] = f"The program printed {capture.dropped:,} more characters than the trace keeps."
    trace["steps"] = recorder.steps
    trace["stdout"] = stdout
    return trace


def record_json(
    source,
    max_steps=DEFAULT_MAX_STEPS,
    max_seconds=DEFAULT_MAX_SECONDS,
    filename="<program>",
    around_program=contextlib.nullcontext,
):
    """record() as JSON text."""
    trace = record(source, max_steps, max_seconds, filename, around_program)
    return json.dumps(trace, separators=(",", ":"))


def main(argv):
    """`python3 trace_recorder.py PROGRAM.py [--max-steps N] [--max-seconds S]`: prints the trace
    JSON. Exits 2 when the program cannot be read or is not valid Python (its own bad input), with
    one line on stderr; a program that raises still gives a trace and exit status 0."""
    import argparse
    import io
    import os
    import tokenize

    parser = argparse.ArgumentParser(prog="trace_recorder.py")
    parser.add_argument("program", nargs="?")
    # A name that is not UTF-8, as the hex of its bytes: the caller (Node) cannot pass those bytes as text.
    parser.add_argument("--program-bytes", type=bytes.fromhex)
    parser.add_argument("--max-steps", type=int, default=DEFAULT_MAX_STEPS)
    parser.add_argument("--max-seconds", type=float, default=DEFAULT_MAX_SECONDS)
    # Where the trace goes (default: stdout), away from what processes the program starts write there.
    parser.add_argument("--trace-out")
    # Where its own refusal of the program goes too (default: stderr only), apart from what the program writes there.
    parser.add_argument("--error-out")
    options = parser.parse_args(argv)
    if (options.program is None) == (options.program_bytes is None):
        parser.error("name the program, either as PROGRAM or as --program-bytes HEX")
    path = options.program if options.program_bytes is None else os.fsdecode(options.program_bytes)
    # Opened after the program ran, which may have changed directory.
    trace_out = None if options.trace_out is None else os.path.abspath(options.trace_out)
    # In messages, bytes that are not UTF-8 show as U+FFFD (printing their escapes would fail, or show \udcff).
    shown = os.fsencode(path).decode("utf-8", "replace")

    def refuse(message):
        """The program cannot be read or compiled: one line in --error-out (else on stderr), exit status 2.
        The CLI says it itself, in its own words, on the stderr it shares with the recorder."""
        if options.error_out is None:
            print(message, file=sys.stderr)
        else:
            with open(options.error_out, "w", encoding="utf-8") as out:
                out.write(message)
        return 2
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as error:
        return refuse(f"{shown}: {error.strerror or error}")
    try:
        # As python3 reads a program: UTF-8, or the encoding its coding line declares.
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        source = data.decode(encoding)
        compile(source, path, "exec")
    except UnicodeDecodeError as error:
        return refuse(f"{shown}: not {encoding} text ({error.reason} at byte {error.start})")
    except SyntaxError as error:
        return refuse(f"{shown}:{error.lineno}: SyntaxError: {error.msg}")
    except ValueError as error:  # 3.11: null bytes
        return refuse(f"{shown}: SyntaxError: {error}")
    # The program imports its neighbours, as `python3 PROGRAM.py` would let it.
    sys.path[0] = os.path.dirname(os.path.abspath(path))
    sys.argv = [path]
    text = record_json(source, options.max_steps, options.max_seconds, path)
    if trace_out is None:
        sys.stdout.write(text + "\n")
    else:
        with open(trace_out, "w", encoding="utf-8") as out:
            out.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
