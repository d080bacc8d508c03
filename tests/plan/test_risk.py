"""Risks no single change carries: how much one plan may delete; a connection left switched off."""

from __future__ import annotations

import pytest

from syncspec.plan.model import Action
from syncspec.plan.risk import DeleteLimit, delete_limit_problem, left_switched_off_risk
from tests.support.factories import desired, live, live_connection, make_plan

THREE = live(live_connection(), live_connection("b", conn_id=20), live_connection("c", conn_id=30))


def test_deleting_every_connection_is_refused_whatever_the_percentage() -> None:
    """The configuration names `main`; the tenant has only `gone`: a misdirected config_dir."""
    tenant = live(live_connection("gone", conn_id=20))
    plan = make_plan(desired(), tenant, allow_delete=True)
    assert delete_limit_problem(plan, tenant, DeleteLimit(100)) == (
        "the plan deletes every connection of the tenant (1)"
    )


@pytest.mark.parametrize(
    ("percent", "refused"),
    [pytest.param(50, True, id="2-of-3-over-50"), pytest.param(67, False, id="2-of-3-within-67")],
)
def test_more_than_the_share_is_refused(percent: int, refused: bool) -> None:
    plan = make_plan(desired(), THREE, allow_delete=True)
    assert plan.summary.delete == 2
    problem = delete_limit_problem(plan, THREE, DeleteLimit(percent))
    assert bool(problem) == refused
    if refused:
        assert problem == (
            "the plan deletes 2 of the tenant's 3 connections, more than max_delete_percent (50%)"
        )


def test_allow_all_lifts_the_limit() -> None:
    plan = make_plan(desired(), THREE, allow_delete=True)
    assert delete_limit_problem(plan, THREE, DeleteLimit(0, allow_all=True)) == ""


def test_a_plan_without_deletes_is_never_refused() -> None:
    assert delete_limit_problem(make_plan(desired(), THREE), THREE, DeleteLimit(0)) == ""


def test_a_connection_an_interrupted_apply_left_off_is_a_risky_activation() -> None:
    off = live(live_connection(active=False))
    plan = make_plan(desired(), off, left_switched_off=(("main", "a1"),))
    (activation,) = [c for c in plan.changes if c.action is Action.ACTIVATE]
    assert activation.risk == left_switched_off_risk("a1")
    assert "left switched off by an interrupted apply (a1)" in activation.risk


def test_without_the_journal_fact_or_when_the_configuration_wants_it_off_nothing_is_risky() -> None:
    off = live(live_connection(active=False))
    assert not [c for c in make_plan(desired(), off).changes if c.risky]
    # the journal names it, but the tenant has it on again: nothing left off
    on = live(live_connection(active=True))
    assert not [c for c in make_plan(desired(), on, left_switched_off=(("main", "a1"),)).changes if c.risky]
