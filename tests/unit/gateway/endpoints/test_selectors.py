"""Label and field selectors: k8s.io/apimachinery's grammar, errors and matching."""

from __future__ import annotations

import pytest

from annex_core.schema.names import LABEL_VALUE_MESSAGE as LABEL_VALUE
from annex_core.schema.names import SUBDOMAIN_MESSAGE as SUBDOMAIN
from annex_gateway.apierrors import StatusError
from annex_gateway.registry import selectors
from annex_gateway.registry.selectors import FieldRequirement, Requirement

NAMESPACED = ("metadata.name", "metadata.namespace")


def labels(text: str | None) -> tuple[Requirement, ...]:
    return selectors.parse_labels(text).requirements


def bad_label_selector(text: str) -> StatusError:
    with pytest.raises(StatusError) as caught:
        selectors.parse_labels(text)
    error = caught.value
    assert (error.code, error.reason) == (400, "BadRequest")
    assert error.status()["code"] == 400
    return error


# -- label selector grammar -------------------------------------------------------------------


@pytest.mark.parametrize("text", [None, "", "   "])
def test_empty_label_selector_matches_everything(text: str | None) -> None:
    selector = selectors.parse_labels(text)
    assert selector.empty
    assert selector.matches({})
    assert selector.matches({"a": "b"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a=b", Requirement("a", "=", ("b",))),
        ("a==b", Requirement("a", "=", ("b",))),
        ("a!=b", Requirement("a", "!=", ("b",))),
        ("a in (x,y)", Requirement("a", "in", ("x", "y"))),
        ("a notin (x,y)", Requirement("a", "notin", ("x", "y"))),
        ("a", Requirement("a", "exists")),
        ("!a", Requirement("a", "!")),
        ("a>1", Requirement("a", "gt", ("1",))),
        ("a<10", Requirement("a", "lt", ("10",))),
        ("a=", Requirement("a", "=", ("",))),
        ("a!=", Requirement("a", "!=", ("",))),
        ("app.kubernetes.io/name=web", Requirement("app.kubernetes.io/name", "=", ("web",))),
        ("a=B_c.d-9", Requirement("a", "=", ("B_c.d-9",))),
        ("in=notin", Requirement("in", "=", ("notin",))),
    ],
)
def test_single_requirements(text: str, expected: Requirement) -> None:
    assert labels(text) == (expected,)


def test_requirements_are_joined_by_commas() -> None:
    assert labels("a=b,c!=d,e in (f),g,!h") == (
        Requirement("a", "=", ("b",)),
        Requirement("c", "!=", ("d",)),
        Requirement("e", "in", ("f",)),
        Requirement("g", "exists"),
        Requirement("h", "!"),
    )


@pytest.mark.parametrize(
    "text",
    [
        " a = b , c in ( x , y ) , ! d ",
        "a=b,c in(x,y),!d",
        "\ta  =b,\nc   in   (x,y),!  d",
    ],
)
def test_whitespace_between_tokens_is_ignored(text: str) -> None:
    assert labels(text) == (
        Requirement("a", "=", ("b",)),
        Requirement("c", "in", ("x", "y")),
        Requirement("d", "!"),
    )


NAME_PART = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and "
    "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
    "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
GT_LT = "for 'Gt', 'Lt' operators, the value must be an integer"
PARSE = "unable to parse requirement: "
OPERATORS = "expected: in, notin, =, ==, !=, gt, lt"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # k8s.io/apimachinery/pkg/labels' parser: where an error comes from a requirement, it
        # says "unable to parse requirement"; between requirements, it does not.
        ("a b", f"{PARSE}found 'b', {OPERATORS}"),  # two identifiers
        ("a=b c", "found 'c', expected: ',' or 'end of string'"),
        ("a in x", f"{PARSE}found 'x' expected: '('"),  # values need parentheses
        ("a in (x", f"{PARSE}found '', expected: ',' or ')'"),  # unclosed
        ("a in (x y)", f"{PARSE}found 'y', expected: ',' or ')'"),  # values need commas
        ("a=(b)", f"{PARSE}found '(', expected: identifier"),
        ("=b", "found '=', expected: !, identifier, or 'end of string'"),
        ("!=b", "found '!=', expected: !, identifier, or 'end of string'"),
        (",a=b", "found ',', expected: !, identifier, or 'end of string'"),
        ("a=b,", "found '', expected: identifier after ','"),
        ("a=b,,c=d", "found ',', expected: identifier after ','"),
        ("!a=b", "found '=', expected: ',' or 'end of string'"),  # does-not-exist: no value
        ("!", f"{PARSE}found '', expected: identifier"),
        ("a>b", f'{PARSE}values[0]: Invalid value: "b": {GT_LT}'),  # gt/lt need integers
        ("a<1.5", f'{PARSE}values[0]: Invalid value: "1.5": {GT_LT}'),
        ("a>", f'{PARSE}values[0]: Invalid value: "": {GT_LT}'),
        (
            "a>--5",  # both checks fail: an aggregate
            f'{PARSE}[values[0]: Invalid value: "--5": {GT_LT}, '
            f'values[0][a]: Invalid value: "--5": {LABEL_VALUE}]',
        ),
        ("a>-5", f'{PARSE}values[0][a]: Invalid value: "-5": {LABEL_VALUE}'),  # not a value
        (
            "a>99999999999999999999",
            f'{PARSE}values[0]: Invalid value: "99999999999999999999": {GT_LT}',
        ),
        ("a>=1", f"{PARSE}found '=', expected: identifier"),
        ("a in (x,y", f"{PARSE}found '', expected: ',' or ')'"),
        ("a>+5", f'{PARSE}values[0][a]: Invalid value: "+5": {LABEL_VALUE}'),
        ("/a=b", f'{PARSE}<nil>: Invalid value: "/a": prefix part must be non-empty'),
        (
            "a/b/c=d",
            f'{PARSE}<nil>: Invalid value: "a/b/c": a valid label key {NAME_PART[10:]} with an '
            "optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
        ),
        ("a=b=c", "found '=', expected: ',' or 'end of string'"),
        ("a)", f"{PARSE}found ')', {OPERATORS}"),
        ("(a)", "found '(', expected: !, identifier, or 'end of string'"),
    ],
)
def test_bad_label_selectors_are_400(text: str, message: str) -> None:
    assert bad_label_selector(text).message == message


def test_a_parsed_selector_is_reused_and_a_refused_one_refused_again() -> None:
    """Parsed once per text (controllers repeat theirs), and a refusal is never remembered."""
    assert selectors.parse_labels("app=web,tier!=db") is selectors.parse_labels("app=web,tier!=db")
    for _ in range(2):
        with pytest.raises(StatusError) as refused:
            selectors.parse_labels("app=web,")
        assert refused.value.code == 400


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-a=b", f'<nil>: Invalid value: "-a": {NAME_PART}'),
        ("!-a", f'<nil>: Invalid value: "-a": {NAME_PART}'),
        (
            "k" * 64 + "=v",
            f'<nil>: Invalid value: "{"k" * 64}": name part must be no more than 63 bytes',
        ),
        ("Example.com/a=b", f'<nil>: Invalid value: "Example.com/a": prefix part {SUBDOMAIN}'),
        ("/-a", f'<nil>: Invalid value: "/-a": prefix part must be non-empty; {NAME_PART}'),
        ("a=-b", f'values[0][a]: Invalid value: "-b": {LABEL_VALUE}'),
        ("a in (x,-y)", f'values[0][a]: Invalid value: "-y": {LABEL_VALUE}'),
        (
            "a=" + "v" * 64,
            f'values[0][a]: Invalid value: "{"v" * 64}": must be no more than 63 bytes',
        ),
    ],
)
def test_bad_keys_and_values_say_why_as_object_metadata_does(text: str, message: str) -> None:
    """Keys are qualified names and values label values, checked as ObjectMeta checks them."""
    assert bad_label_selector(text).message == f"unable to parse requirement: {message}"


# -- label selector matching ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "matching", "not_matching"),
    [
        ("a=b", [{"a": "b"}, {"a": "b", "c": "d"}], [{}, {"a": "c"}, {"b": "b"}]),
        ("a==b", [{"a": "b"}], [{"a": "B"}]),
        ("a!=b", [{}, {"a": "c"}, {"c": "b"}], [{"a": "b"}]),
        ("a in (x,y)", [{"a": "x"}, {"a": "y"}], [{}, {"a": "z"}]),
        ("a notin (x,y)", [{}, {"a": "z"}], [{"a": "x"}, {"a": "y"}]),
        ("a", [{"a": ""}, {"a": "x"}], [{}, {"b": "a"}]),
        ("!a", [{}, {"b": "a"}], [{"a": ""}, {"a": "x"}]),
        ("a=", [{"a": ""}], [{}, {"a": "x"}]),
        (
            "a>5",
            [{"a": "6"}, {"a": "100"}],
            [{"a": "5"}, {"a": "4"}, {}, {"a": "x"}, {"a": "5_0"}],  # Go's ParseInt refuses 5_0
        ),
        ("a<5", [{"a": "4"}, {"a": "0"}], [{"a": "5"}, {"a": "40"}, {}, {"a": "four"}]),
        (
            "a=b,c",
            [{"a": "b", "c": ""}],
            [{"a": "b"}, {"c": "x"}],
        ),
        ("app.kubernetes.io/name=web", [{"app.kubernetes.io/name": "web"}], [{"name": "web"}]),
    ],
)
def test_label_matching(
    text: str, matching: list[dict[str, str]], not_matching: list[dict[str, str]]
) -> None:
    selector = selectors.parse_labels(text)
    assert not selector.empty
    for labels_ in matching:
        assert selector.matches(labels_), labels_
    for labels_ in not_matching:
        assert not selector.matches(labels_), labels_


def test_empty_value_set_holds_the_empty_string() -> None:
    """k8s.io/apimachinery reads `in ()`, `(,x)` and `(x,)` with an empty value in the set."""
    assert labels("a in ()") == (Requirement("a", "in", ("",)),)
    assert set(labels("a in (x,)")[0].values) == {"x", ""}
    assert set(labels("a notin (,x)")[0].values) == {"", "x"}
    assert selectors.parse_labels("a in ()").matches({"a": ""})
    assert not selectors.parse_labels("a in ()").matches({"a": "x"})


# -- field selectors --------------------------------------------------------------------------


def fields(text: str | None, supported: tuple[str, ...] = NAMESPACED) -> selectors.FieldSelector:
    return selectors.parse_fields(text, supported)


def bad_field_selector(text: str, supported: tuple[str, ...] = NAMESPACED) -> StatusError:
    with pytest.raises(StatusError) as caught:
        selectors.parse_fields(text, supported)
    error = caught.value
    assert (error.code, error.reason) == (400, "BadRequest")
    return error


@pytest.mark.parametrize("text", [None, "", ",", ",,"])
def test_empty_field_selector(text: str | None) -> None:
    selector = fields(text)
    assert selector.empty
    assert selector.matches({"metadata.name": "x"})
    assert selector.exact("metadata.name") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("  ", "invalid selector: '  '; can't understand '  '"),  # nothing is trimmed
        (" metadata.name = x", "field label not supported:  metadata.name "),
        # The terms are sorted first, and parsed before any field is checked.
        ("spec.z=1,spec.a=2", "field label not supported: spec.a"),
        ("spec.z=1,b", "invalid selector: 'spec.z=1,b'; can't understand 'b'"),
    ],
)
def test_field_selectors_are_read_as_go_reads_them(text: str, message: str) -> None:
    assert bad_field_selector(text).message == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("metadata.name=a", FieldRequirement("metadata.name", "a", False)),
        ("metadata.name==a", FieldRequirement("metadata.name", "a", False)),
        ("metadata.name!=a", FieldRequirement("metadata.name", "a", True)),
        ("metadata.name=", FieldRequirement("metadata.name", "", False)),
        (r"metadata.name=a\,b", FieldRequirement("metadata.name", "a,b", False)),
        (r"metadata.name=a\=b", FieldRequirement("metadata.name", "a=b", False)),
        (r"metadata.name=a\\b", FieldRequirement("metadata.name", "a\\b", False)),
        (r"metadata.name==\=a", FieldRequirement("metadata.name", "=a", False)),
    ],
)
def test_field_requirements(text: str, expected: FieldRequirement) -> None:
    assert fields(text).requirements == (expected,)


def test_field_requirements_are_joined_by_unescaped_commas() -> None:
    selector = fields(r"metadata.name=a\,b,metadata.namespace!=kube-system")
    assert selector.requirements == (
        FieldRequirement("metadata.name", "a,b", False),
        FieldRequirement("metadata.namespace", "kube-system", True),
    )
    assert selector.exact("metadata.name") == "a,b"
    assert selector.exact("metadata.namespace") is None  # negated: not pinned


def test_field_matching() -> None:
    selector = fields("metadata.name=web,metadata.namespace!=kube-system")
    assert selector.matches({"metadata.name": "web", "metadata.namespace": "default"})
    assert not selector.matches({"metadata.name": "web", "metadata.namespace": "kube-system"})
    assert not selector.matches({"metadata.name": "db", "metadata.namespace": "default"})
    assert fields("metadata.name!=web").matches({"metadata.name": "db"})
    assert not fields("metadata.name!=web").matches({"metadata.name": "web"})


@pytest.mark.parametrize(
    ("text", "supported", "field"),
    [
        ("spec.baseImage=debian", NAMESPACED, "spec.baseImage"),
        ("metadata.namespace=default", ("metadata.name",), "metadata.namespace"),
        ("metadata.name=a,status.phase=Ready", NAMESPACED, "status.phase"),
        ("metadata.labels=x", NAMESPACED, "metadata.labels"),
    ],
)
def test_unsupported_field_is_400(text: str, supported: tuple[str, ...], field: str) -> None:
    error = bad_field_selector(text, supported)
    assert error.message == f"field label not supported: {field}"


@pytest.mark.parametrize("text", ["metadata.name", "metadata.name~a", "metadata.name=a,junk"])
def test_field_terms_need_an_operator(text: str) -> None:
    error = bad_field_selector(text)
    assert "invalid selector" in error.message


@pytest.mark.parametrize(
    "text",
    [
        r"metadata.name=a\b",  # unknown escape sequence
        "metadata.name=a\\",  # a lone backslash at the end
        "metadata.name=a=b",  # an unescaped '=' in the value
        "metadata.name=a!=b",
        "metadata.name!=a==b",
    ],
)
def test_bad_escapes_and_unescaped_operators_in_values_are_400(text: str) -> None:
    error = bad_field_selector(text)
    assert error.message.startswith("invalid field selector")


def test_object_fields() -> None:
    obj = {"metadata": {"name": "web", "namespace": "default"}}
    assert selectors.object_fields(obj, namespaced=True) == {
        "metadata.name": "web",
        "metadata.namespace": "default",
    }
    assert selectors.object_fields(obj, namespaced=False) == {"metadata.name": "web"}
    assert selectors.object_fields({}, namespaced=True) == {
        "metadata.name": "",
        "metadata.namespace": "",
    }
