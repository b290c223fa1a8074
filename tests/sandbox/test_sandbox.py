"""course.sandbox: a student's function run in a fresh subprocess with time, memory and output limits."""

from __future__ import annotations

import json
import linecache
import resource
import subprocess
import sys
import textwrap

import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course.sandbox import runner as sandbox
from course.sandbox.runner import NotPlainData, decode, definitions_from, encode, evaluate
from tests.notebooks import execute

DOUBLE = "def double(x):\n    return 2 * x\n"


def test_evaluate_returns_each_value_with_its_exact_type():
    result = evaluate(DOUBLE, "double", [(2,), (-3,), (1.5,), ("ab",)])
    assert result.ok
    assert result.values == [4, -6, 3.0, "abab"]
    assert [type(v) for v in result.values] == [int, int, float, str]


def test_evaluate_reports_a_wrong_answer_as_a_value_not_a_verdict():
    result = evaluate("def double(x):\n    return x + 2\n", "double", [(2,), (3,)])
    assert result.ok and result.values == [4, 5]  # judging is course.grading's job


def test_evaluate_trims_the_traceback_to_the_students_code():
    source = "def helper(x):\n    return 1 / x\n\ndef f(x):\n    return helper(x) + 1\n"
    call = evaluate(source, "f", [(0,)]).calls[0]
    assert call.status == "error"
    assert call.message == (
        "your function raised an error on one case: f(0)\n"
        "Traceback (your code only):\n"
        "  line 5, in f\n    return helper(x) + 1\n"
        "  line 2, in helper\n    return 1 / x\n"
        "ZeroDivisionError: division by zero"
    )
    assert "course/sandbox.py" not in call.message


def test_evaluate_stops_an_infinite_loop_and_still_runs_the_other_cases():
    source = "def f(x):\n    while x == 0:\n        pass\n    return x\n"
    result = evaluate(source, "f", [(1,), (0,), (2,)], timeout_per_call=0.5)
    assert [c.status for c in result.calls] == ["ok", "timeout", "ok"]
    assert result.calls[1].message == "your function took longer than 0.5 s on one case: f(0)"
    assert result.values == [1, None, 2]


def test_evaluate_kills_a_loop_that_swallows_the_timer_and_carries_on_in_a_new_process():
    source = textwrap.dedent(
        """
        def f(x):
            while x == 0:
                try:
                    while True:
                        pass
                except BaseException:
                    pass
            return x
        """
    )
    result = evaluate(source, "f", [(0,), (3,)], timeout_per_call=0.3)
    assert [c.status for c in result.calls] == ["timeout", "ok"]
    assert "took longer than 0.3 s on one case: f(0)" in result.calls[0].message
    assert result.values[1] == 3


def test_evaluate_skips_what_the_total_budget_cannot_cover():
    source = "def f(x):\n    while True:\n        pass\n"
    result = evaluate(source, "f", [(n,) for n in range(10)], timeout_per_call=0.3, total_timeout=1.5)
    assert {c.status for c in result.calls} <= {"timeout", "skipped"}
    assert result.calls[-1].status == "skipped"
    assert result.calls[-1].message == "not run: the total time budget of 1.5 s ran out"


def test_evaluate_contains_a_memory_bomb_and_the_parent_is_unaffected():
    before = resource.getrlimit(resource.RLIMIT_AS)
    source = "def f(n):\n    blocks = []\n    while True:\n        blocks.append(bytearray(10**7))\n"
    result = evaluate(source, "f", [(1,), (2,)], memory_mb=200)
    assert [c.status for c in result.calls] == ["memory", "memory"]
    assert result.calls[0].message == "your function used more than 200 MB of memory on one case: f(1)"
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    assert len(bytearray(300 * 2**20)) == 300 * 2**20  # this process may still allocate more


def test_evaluate_stops_an_output_flood_and_keeps_a_little_of_it():
    source = "def f(x):\n    while True:\n        print('again and again')\n"
    call = evaluate(source, "f", [(1,)], max_output=1000).calls[0]
    assert call.status == "output"
    assert call.message.startswith("your function printed more than 1000 characters on one case: f(1)")
    assert call.output.startswith("again and again\n")


def test_evaluate_keeps_what_a_passing_function_prints():
    call = evaluate("def f(x):\n    print('thinking')\n    return x\n", "f", [(1,)]).calls[0]
    assert call.ok and call.output == "thinking\n"


def test_evaluate_refuses_an_object_with_a_lying_eq():
    source = textwrap.dedent(
        """
        class Anything:
            def __eq__(self, other):
                return True

        class Four(int):
            def __eq__(self, other):
                return True

        def f(x):
            return Anything() if x else Four(4)
        """
    )
    result = evaluate(source, "f", [(1,), (0,)])
    assert [c.status for c in result.calls] == ["bad-return", "bad-return"]
    assert result.values == [None, None]
    assert "returned an Anything object on one case: f(1); return plain data" in result.calls[0].message
    assert "returned a Four object" in result.calls[1].message  # an int subclass is not an int


def test_evaluate_refuses_imports_outside_the_allowed_list():
    result = evaluate("def f(x):\n    import os\n    return os.getcwd()\n", "f", [(1,)])
    assert result.calls[0].status == "error"
    assert "ImportError: import of 'os' is not available here" in result.calls[0].message
    assert evaluate("def f(x):\n    import os\n    return 1\n", "f", [(1,)], allowed_imports=None).ok


@pytest.mark.parametrize(
    "source",
    [
        "from course.games import chicken\ndef f(x):\n    return 1\n",
        "from course import strategies\ndef f(x):\n    return 1\n",
        "from . import games\ndef f(x):\n    return 1\n",
    ],
)
def test_evaluate_keeps_the_kits_answer_bearing_modules_out(source):
    result = evaluate(source, "f", [(1,)])
    assert result.setup_error.startswith("your code raised an error while its definitions ran")
    assert "ImportError" in result.setup_error
    assert result.calls[0].status == "error"


def test_evaluate_allows_a_named_pure_kit_module():
    source = "from course.engine import IllegalMove\ndef f(x):\n    return IllegalMove.__name__\n"
    assert evaluate(source, "f", [(1,)], allowed_imports={"course.engine"}).values == ["IllegalMove"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def g(x):\n    return x\n", "your code does not define a function called 'f'"),
        ("def f(x:\n    return x\n", "SyntaxError"),
        ("raise ValueError('at import')\ndef f(x):\n    return x\n", "ValueError: at import"),
        ("open('secrets.txt')\n", "PermissionError: open() is not available to graded functions"),
    ],
)
def test_evaluate_names_a_setup_error_and_runs_no_case(source, expected):
    result = evaluate(source, "f", [(1,), (2,)])
    assert expected in result.setup_error
    assert [c.status for c in result.calls] == ["error", "error"]


def test_evaluate_reports_an_exit_and_a_process_that_ends():
    result = evaluate("def f(x):\n    raise SystemExit(0)\n", "f", [(1,)])
    assert result.calls[0].status == "error" and "SystemExit: 0" in result.calls[0].message
    source = "import os\ndef f(x):\n    if x:\n        os._exit(0)\n    return x\n"
    result = evaluate(source, "f", [(1,), (0,)], allowed_imports=None)
    assert [c.status for c in result.calls] == ["crashed", "ok"]
    assert result.calls[0].message == "your code ended the process on one case: f(1) (exit status 0)"


def test_evaluate_does_not_inherit_the_parents_monkeypatches(monkeypatch):
    import math

    monkeypatch.setattr(math, "sqrt", lambda x: 42.0)
    monkeypatch.setattr("builtins.abs", lambda x: 42)
    source = "import math\ndef f(x):\n    return math.sqrt(x) + abs(-1)\n"
    assert evaluate(source, "f", [(16,)]).values == [5.0]


def test_evaluate_rejects_a_case_that_is_not_a_tuple():
    with pytest.raises(TypeError, match="each case is a tuple"):
        evaluate(DOUBLE, "double", [2])


plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.frozensets(st.integers() | st.text(max_size=3), max_size=3)
        | st.dictionaries(st.text(max_size=3) | st.integers() | st.tuples(st.integers()), inner, max_size=3)
    ),
    max_leaves=12,
)


def _typed(value):
    """A structure of (type, value) pairs: equal only if every type is the same too."""
    if isinstance(value, list | tuple):
        return (type(value), tuple(_typed(v) for v in value))
    if isinstance(value, dict):
        return (dict, tuple((_typed(k), _typed(v)) for k, v in value.items()))
    if isinstance(value, frozenset | set):
        return (type(value), frozenset(_typed(v) for v in value))
    return (type(value), value)


@given(plain)
def test_property_encode_round_trips_with_exact_types(value):
    assert _typed(decode(json.loads(json.dumps(encode(value))))) == _typed(value)


def test_encode_refuses_subclasses_and_objects():
    class Flag(int):
        pass

    for bad in (Flag(1), object(), [1, {2: object()}], range(3)):
        with pytest.raises(NotPlainData):
            encode(bad)


def test_definitions_from_copies_helpers_constants_and_imports():
    namespace: dict = {}
    exec(  # a stand-in for a kernel namespace: functions whose __module__ is the student's
        compile("import math as m\nRATE = (0.5, float('nan'))\nclass Box:\n    pass\n", "<cell>", "exec"),
        {"__name__": "__student__"},
        namespace,
    )
    namespace["HELPER_SRC"] = "unused"
    source = definitions_from(namespace, ["RATE", "m"])
    assert source == "RATE = (0.5, float('nan'), )\nimport math as m\n"
    namespace["thing"] = object()
    text = definitions_from(namespace, ["thing"])
    assert text == "thing = __not_copied__('thing', 'object')\n"
    with pytest.raises(KeyError, match="'nothing' is not defined in the notebook"):
        definitions_from(namespace, ["nothing"])


def test_not_copied_placeholder_explains_itself():
    source = "thing = __not_copied__('thing', 'Widget')\ndef f(x):\n    return thing.value\n"
    message = evaluate(source, "f", [(1,)]).calls[0].message
    assert "NameError: 'thing' is a Widget object in your notebook" in message


KERNEL_CELLS = [
    "import math\nimport builtins\nimport course.sandbox as sandbox\nSCALE = 3",
    "def helper(x):\n    return math.sqrt(x) * SCALE",
    "class Counter:\n    start = 1\n\n    def bump(self, n):\n        return self.start + n",
    "def answer(x):\n    return helper(x) + Counter().bump(abs(-1))",
    # the student cheats in the kernel: the sandbox must not see it
    "math.sqrt = lambda x: 1000.0\nbuiltins.abs = lambda x: 1000",
    "src = sandbox.definitions_from(globals(), ['answer'])\n"
    "res = sandbox.evaluate(src, 'answer', [(16,), (9,)])\n"
    "import json\nprint(json.dumps({'src': src, 'values': res.values, 'local': answer(16)}))",
]


@pytest.mark.notebook
@pytest.mark.slow
def test_definitions_from_a_real_kernel_run_clean_in_the_sandbox(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in KERNEL_CELLS]
    path = tmp_path / "kernel.ipynb"
    nbformat.write(nb, path)
    done = execute(path)
    report = json.loads(done.cells[-1].outputs[0]["text"])
    assert report["local"] == 3000.0 + 1 + 1000  # the kernel is patched...
    assert report["values"] == [14.0, 11.0]  # ...the sandbox is not
    src = report["src"]
    assert "def helper(x):" in src and "class Counter:" in src and "SCALE = 3" in src
    assert src.index("def helper") < src.index("def answer")
    assert "import math" in src and "1000" not in src


def test_source_of_names_what_it_cannot_find():
    namespace: dict = {}
    exec("def made(x):\n    return x\n", namespace)
    with pytest.raises(sandbox.SourceUnavailable, match="cannot find the source of 'made'"):
        sandbox.source_of(namespace["made"])


def test_evaluate_with_no_cases_still_reports_a_broken_definition():
    assert evaluate(DOUBLE, "double", []).ok
    assert "SyntaxError" in evaluate("def double(:\n", "double", []).setup_error


def test_definitions_from_copies_a_lambda_bound_to_a_name():
    namespace = {"__name__": "__main__"}
    source = "halve = lambda x: x / 2\n"
    linecache.cache["/tmp/ipykernel_test/lambda.py"] = (len(source), None, [source], "/tmp/ipykernel_test/lambda.py")
    exec(compile(source, "/tmp/ipykernel_test/lambda.py", "exec"), namespace)
    text = definitions_from(namespace, ["halve"])
    assert text.strip() == "halve = lambda x: x / 2"
    assert evaluate(text, "halve", [(3,)]).values == [1.5]


def test_evaluate_works_under_a_grading_kernels_hard_memory_limit():
    # pact-course grade runs kernels under RLIMIT_AS (course.kernel_limits); the child may only lower it
    code = (
        "import resource\n"
        "resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))\n"
        "from course.sandbox import evaluate\n"
        "print(evaluate('def f(x):\\n    return x\\n', 'f', [(1,)], memory_mb=8000).values)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "[1]", done.stderr
