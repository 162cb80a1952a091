"""Idempotency keys: a replay returns the stored answer, a different request with the same key is refused,
and concurrent duplicates run the work once."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from tests import factories
from tradeloop.core.errors import Conflict, ValidationFailed
from tradeloop.core.idempotency import replay_or_run
from tradeloop.core.models import IdempotencyKey


class Work:
    def __init__(self, status: int = 201):
        self.runs = 0
        self.status = status

    def __call__(self):
        self.runs += 1
        return self.status, {"run": self.runs, "total": Decimal("12.50")}


@pytest.mark.django_db
def test_without_a_key_the_work_runs_every_time(user):
    work = Work()
    replay_or_run(user=user, scope="checkout", key=None, request_data={}, run=work)
    replay_or_run(user=user, scope="checkout", key=None, request_data={}, run=work)
    assert work.runs == 2


@pytest.mark.django_db
def test_a_replay_returns_the_stored_answer_without_running_again(user):
    work = Work()
    first = replay_or_run(user=user, scope="checkout", key="k-1", request_data={"a": 1}, run=work)
    again = replay_or_run(user=user, scope="checkout", key="k-1", request_data={"a": 1}, run=work)
    assert work.runs == 1
    assert first == again == (201, {"run": 1, "total": "12.50"})


@pytest.mark.django_db
def test_the_same_key_with_another_request_is_a_409(user):
    work = Work()
    replay_or_run(user=user, scope="checkout", key="k-1", request_data={"a": 1}, run=work)
    with pytest.raises(Conflict) as caught:
        replay_or_run(user=user, scope="checkout", key="k-1", request_data={"a": 2}, run=work)
    assert caught.value.code == "idempotency_mismatch"
    assert caught.value.status == 409
    assert work.runs == 1


@pytest.mark.django_db
def test_keys_are_per_user_and_scope(user):
    other = factories.UserFactory()
    work = Work()
    replay_or_run(user=user, scope="checkout", key="k", request_data={}, run=work)
    replay_or_run(user=other, scope="checkout", key="k", request_data={}, run=work)
    replay_or_run(user=user, scope="payouts", key="k", request_data={}, run=work)
    assert work.runs == 3


@pytest.mark.django_db
def test_failed_work_is_not_remembered_so_a_retry_runs(user):
    def fails():
        raise Conflict("out of stock", code="out_of_stock")

    with pytest.raises(Conflict):
        replay_or_run(user=user, scope="checkout", key="k", request_data={}, run=fails)
    assert not IdempotencyKey.objects.exists()
    work = Work()
    assert replay_or_run(user=user, scope="checkout", key="k", request_data={}, run=work)[0] == 201


@pytest.mark.django_db
def test_an_overlong_key_is_bad_input(user):
    with pytest.raises(ValidationFailed) as caught:
        replay_or_run(user=user, scope="checkout", key="x" * 121, request_data={}, run=Work())
    assert caught.value.field == "Idempotency-Key"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_run_the_work_once():
    user = factories.UserFactory()
    runs, answers, errors = [], [], []
    barrier = threading.Barrier(4)

    def slow_work():
        runs.append(1)
        threading.Event().wait(0.3)  # hold the key while the duplicates arrive
        return 201, {"order": 1}

    def client():
        try:
            barrier.wait()
            answers.append(replay_or_run(user=user, scope="checkout", key="same", request_data={}, run=slow_work))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(runs) == 1
    assert answers == [(201, {"order": 1})] * 4
