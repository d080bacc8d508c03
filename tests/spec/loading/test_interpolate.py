from __future__ import annotations

from syncspec.spec.loading.interpolate import Reference, find_references, resolve


def test_find_references_in_order_skipping_escapes() -> None:
    refs = find_references("a ${env:PW} b $${env:NOT} ${var:host.name} ${other:X} ${var:}")
    assert [(r.source, r.name) for r in refs] == [("env", "PW"), ("var", "host.name")]
    assert refs[0] == Reference("env", "PW", 2, 11)
    assert str(refs[1]) == "${var:host.name}"


def test_resolve_vars_and_escapes() -> None:
    out = resolve(
        "https://${var:host}:${var:port}/$${x} ${var:on}", env={}, vars={"host": "h", "port": 80, "on": True}
    )
    assert out.value == "https://h:80/${x} true"
    assert not out.sensitive and out.missing == ()


def test_env_makes_the_result_sensitive_and_is_masked_in_repr() -> None:
    out = resolve("user:${env:PW}", env={"PW": "hunter2"}, vars={})
    assert out.value == "user:hunter2" and out.sensitive
    assert "hunter2" not in repr(out) and "hunter2" not in str(out)


def test_missing_references_are_reported_and_left_in_place() -> None:
    out = resolve("${env:UNSET}-${var:nope}-${var:ok}", env={}, vars={"ok": "y"})
    assert out.value == "${env:UNSET}-${var:nope}-y"
    assert [(r.source, r.name) for r in out.missing] == [("env", "UNSET"), ("var", "nope")]
    assert out.sensitive  # an env reference was asked for, even if unset


def test_plain_text_is_untouched() -> None:
    assert resolve("no refs, $ and { alone", env={}, vars={}).value == "no refs, $ and { alone"
