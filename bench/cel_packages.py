"""Three Python CEL packages measured on typical CRD validation rules: prints figures, asserts nothing.

For each package (cel-expr-python, common-expression-language, cel-python) and each rule:
whether it compiles, whether it evaluates to the expected answer, the compile time and the
evaluation time per object. Kubernetes library functions (quantity) are registered as each
package allows: a typed member overload over a protobuf message (cel-expr-python), a Python
callable (common-expression-language, cel-python).

Run it with an interpreter that has the packages installed (any missing one is reported):
python bench/cel_packages.py [--evals N]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

SELF: dict[str, Any] = {
    "minReplicas": 1,
    "replicas": 3,
    "baseImage": "registry/app:1.2",
    "items": [f"item-{i}" for i in range(20)],
    "name": "frontend",
    "mem": "512Mi",
}
OLD: dict[str, Any] = dict(SELF)

# (rule, expected answer)
RULES: list[tuple[str, bool]] = [
    ("self.minReplicas <= self.replicas", True),
    ("!self.baseImage.endsWith(':latest')", True),
    ("self.items.all(i, i.size() < 64)", True),
    ("self.items.map(i, i.size()).exists(n, n > 6)", True),
    ("has(self.x) || self.replicas > 0", True),
    ("self == oldSelf", True),
    ("self.name.matches('^[a-z]+$')", True),
    ("self.name.lowerAscii() == self.name", True),
    ("self.?x.orValue(1) >= 1", True),
    ("quantity(self.mem).isLessThan(quantity('1Gi'))", True),
]

_SUFFIX = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "k": 10**3, "M": 10**6, "G": 10**9}


def _qty(s: str) -> int:
    for suffix, factor in _SUFFIX.items():
        if s.endswith(suffix):
            return int(s[: -len(suffix)]) * factor
    return int(s)


Runner = tuple[Callable[[str], Any], Callable[[Any], Any]]


def cel_expr_python() -> Runner:
    from cel_expr_python import cel
    from cel_expr_python.ext import ext_optional, ext_strings
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    fdp = descriptor_pb2.FileDescriptorProto(
        name="bench.proto", package="kubernetes", syntax="proto3"
    )
    msg = fdp.message_type.add(name="Quantity")
    msg.field.add(name="v", number=1, type=descriptor_pb2.FieldDescriptorProto.TYPE_STRING, label=1)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    quantity = message_factory.GetMessageClass(pool.FindMessageTypeByName("kubernetes.Quantity"))
    t = cel.Type
    qt = t("kubernetes.Quantity")
    k8s = cel.CelExtension(
        "k8s",
        [
            cel.FunctionDecl(
                "quantity", [cel.Overload("q", qt, [t.STRING], impl=lambda s: quantity(v=s))]
            ),
            cel.FunctionDecl(
                "isLessThan",
                [
                    cel.Overload(
                        "q_lt",
                        t.BOOL,
                        [qt, qt],
                        is_member=True,
                        impl=lambda a, b: _qty(a.v) < _qty(b.v),
                    )
                ],
            ),
        ],
    )
    env = cel.NewEnv(
        descriptor_pool=pool,
        variables={"self": t.Map(t.STRING, t.DYN), "oldSelf": t.Map(t.STRING, t.DYN)},
        extensions=[ext_strings.ExtStrings(), ext_optional.ExtOptional(), k8s],
    )

    def evaluate(program: Any) -> Any:
        return program.eval(data={"self": SELF, "oldSelf": OLD}).value()

    return env.compile, evaluate


def common_expression_language() -> Runner:
    import cel

    functions = {
        "lowerAscii": lambda s: s.lower(),
        "quantity": lambda s: {"q": s},
        "isLessThan": lambda a, b: _qty(a["q"]) < _qty(b["q"]),
    }

    def evaluate(program: Any) -> Any:
        # A new context per object, as a request brings new values.
        return program.execute(
            cel.Context(variables={"self": SELF, "oldSelf": OLD}, functions=functions)
        )

    return cel.compile, evaluate


def cel_python() -> Runner:
    import celpy
    from celpy import celtypes

    env = celpy.Environment()
    functions = {
        "lowerAscii": lambda s: celtypes.StringType(s.lower()),
        "quantity": lambda s: celtypes.MapType({celtypes.StringType("q"): s}),
        "isLessThan": lambda a, b: celtypes.BoolType(
            _qty(a[celtypes.StringType("q")]) < _qty(b[celtypes.StringType("q")])
        ),
    }

    def compile_(expr: str) -> Any:
        return env.program(env.compile(expr), functions=functions)

    def evaluate(program: Any) -> Any:
        activation = {"self": celpy.json_to_cel(SELF), "oldSelf": celpy.json_to_cel(OLD)}
        return program.evaluate(activation)

    return compile_, evaluate


PACKAGES: dict[str, Callable[[], Runner]] = {
    "cel-expr-python": cel_expr_python,
    "common-expression-language": common_expression_language,
    "cel-python": cel_python,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--evals", type=int, default=2000)
    args = parser.parse_args()
    for name, setup in PACKAGES.items():
        try:
            compile_, evaluate = setup()
        except ImportError as exc:
            print(f"\n{name}: not installed ({exc})")
            continue
        print(f"\n{name}  (values converted per evaluation, as each request brings new ones)")
        print(f"  {'rule':<50} {'ok':<5} {'compile µs':>10} {'eval µs':>9}  note")
        supported_eval = 0.0
        supported = 0
        for rule, expected in RULES:
            note = ""
            try:
                t0 = time.perf_counter()
                program = compile_(rule)
                compile_us = (time.perf_counter() - t0) * 1e6
            except Exception as exc:
                print(
                    f"  {rule:<50} {'no':<5} {'-':>10} {'-':>9}  compile: {str(exc).splitlines()[0][:60]}"
                )
                continue
            try:
                result = evaluate(program)
                ok = bool(result == expected)
                if not ok:
                    note = f"got {result!r}"
            except Exception as exc:
                print(
                    f"  {rule:<50} {'no':<5} {compile_us:>10.0f} {'-':>9}  eval: {str(exc).splitlines()[0][:60]}"
                )
                continue
            n = args.evals if name != "cel-python" else max(1, args.evals // 20)
            t0 = time.perf_counter()
            for _ in range(n):
                evaluate(program)
            eval_us = (time.perf_counter() - t0) / n * 1e6
            if ok:
                supported += 1
                supported_eval += eval_us
            print(
                f"  {rule:<50} {'yes' if ok else 'NO':<5} {compile_us:>10.0f} {eval_us:>9.1f}  {note}"
            )
        print(
            f"  supported {supported}/{len(RULES)}; sum of eval µs over supported rules: {supported_eval:.0f}"
        )


if __name__ == "__main__":
    main()
