"""Company accounts: registering (web and API), the operator's decision in the back office (recorded), the company
page and its parts, members with spending limits, addresses, credit through the API; other companies answer 404."""
# ruff: noqa: F811 - the fixtures imported from tests.b2b.buying are arguments of the tests

import pytest
from django.utils import translation

from tests import factories
from tests.api.conftest import Api, assert_error
from tests.b2b.buying import adc, approved_company, company, operator, place, staff, supplier  # noqa: F401
from tradeloop.accounts.models import Organization, Role
from tradeloop.accounts.services import issue_token
from tradeloop.b2b import companies
from tradeloop.b2b.models import Company
from tradeloop.core import states
from tradeloop.core.errors import PermissionDenied


def api_as(client, user) -> Api:
    return Api(client, issue_token(user=user)[1])


def test_the_new_roles_are_seeded_and_translated(db):
    approver = Role.objects.get(code="approver")
    assert approver.grants("purchasing.approve") and not Role.objects.get(code="purchaser").grants("purchasing.approve")
    assert Role.objects.get(code="admin").grants("purchasing.approve")
    with translation.override("zh-hans"):
        assert (str(approver), str(Role.objects.get(code="purchaser"))) == ("审批人", "采购员")


def test_registering_on_the_web_makes_a_pending_company_with_its_owner(client, db):
    person = factories.UserFactory()
    client.force_login(person)
    assert client.get("/company/").url == "/company/register/"
    answer = client.post("/company/register/", {"name": "Beta Instruments", "city": "Shenzhen", "currency": "CNY"})
    company = Company.objects.get()
    assert answer.status_code == 302 and answer.url == f"/companies/{company.organization_id}/"
    assert company.state == "pending" and company.organization.kind == Organization.Kind.BUYER_COMPANY
    assert company.organization.memberships.get().user == person
    page = client.get(answer.url).content.decode()
    assert "Awaiting operator approval" in page and "Beta Instruments" in page
    assert client.post("/company/register/", {"name": "", "currency": "CNY"}).status_code == 400


def test_the_operator_approves_in_the_back_office_and_it_is_recorded(client, operator):
    company = companies.register_company(actor=factories.UserFactory(), name="Gamma GmbH")
    operator.is_superuser = True
    operator.save()
    client.force_login(operator)
    assert client.get(f"/admin/b2b/company/{company.pk}/change/").status_code == 200
    done = client.post(
        "/admin/b2b/company/", {"action": "approve_companies", "_selected_action": [company.pk]}, follow=True
    )
    assert done.status_code == 200
    company.refresh_from_db()
    assert company.state == "approved" and company.decided_at
    assert states.history(company).filter(old="pending", new="approved", actor=operator).exists()
    with pytest.raises(PermissionDenied):
        companies.decide(operator=company.organization.memberships.get().user, company=company, to="rejected")


def test_the_company_page_shows_members_limits_credit_and_addresses(client, company, adc):
    purchaser = staff(company, "purchaser", limit="200.00")
    place(company, company.owner, adc, quantity=30)
    client.force_login(company.owner)
    url = f"/companies/{company.organization_id}/"
    membership = company.organization.memberships.get(user=purchaser)
    assert client.post(f"{url}members/{membership.pk}/limit/", {"amount": "350"}).status_code == 302
    form = {"label": "Main warehouse", "name": "Li Wei", "phone": "138", "line1": "1 Keji Road", "city": "Shenzhen"}
    assert client.post(f"{url}addresses/", form | {"country": "CN"}).status_code == 302
    html = client.get(url).content.decode()
    assert "Net 30 days" in html and "350.00" in html and "Main warehouse" in html
    assert "¥300.00" in html and "¥700.00" in html  # outstanding, available
    client.force_login(purchaser)
    assert client.post(f"{url}members/{membership.pk}/limit/", {"amount": ""}).status_code == 302
    assert company.organization.memberships.get(user=purchaser).spending_limit.amount == 350  # not allowed
    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 404


def test_the_api_registers_and_reads_companies(client, operator, adc):
    person = factories.UserFactory()
    me = api_as(client, person)
    made = me.post("companies", {"name": "Delta Ltd", "currency": "CNY"})
    assert made.status_code == 201 and made.json()["state"] == "pending" and made.json()["payment_terms"] == "prepay"
    company_id = made.json()["id"]
    company = Company.objects.get(organization_id=company_id)
    companies.decide(operator=operator, company=company, to="approved")
    companies.set_terms(operator=operator, company=company, payment_terms="net60", credit_limit="5000")
    assert [c["id"] for c in me.get("companies").json()] == [company_id]
    credit = me.get(f"companies/{company_id}/credit").json()
    assert (credit["payment_terms"], credit["credit_limit"], credit["available"]) == ("net60", "5000.00", "5000.00")
    members = me.get(f"companies/{company_id}/members").json()
    assert members[0]["role"] == "owner" and members[0]["spending_limit"] is None
    limit = me.client.put(
        f"/api/v1/companies/{company_id}/members/{members[0]['membership_id']}/spending-limit",
        '{"amount": "120.50"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {me.token}"},
    )
    assert limit.status_code == 200 and limit.json()["spending_limit"]["amount"] == "120.50"
    address = me.post(f"companies/{company_id}/addresses", {"name": "Li", "phone": "1", "line1": "2 Rd", "city": "SZ"})
    assert address.status_code == 201 and address.json()["is_default"]
    stranger = api_as(client, factories.UserFactory())
    for path in ("", "/credit", "/members", "/addresses"):
        assert_error(stranger.get(f"companies/{company_id}{path}"), 404)
    assert_error(me.post("companies", {"name": "X", "currency": "XXX"}), 422)


def test_the_members_and_approvals_lists_take_a_fixed_number_of_queries(client, company, django_assert_max_num_queries):
    for _ in range(6):
        staff(company, "purchaser", limit="10")
    me = api_as(client, company.owner)
    with django_assert_max_num_queries(8):
        assert len(me.get(f"companies/{company.organization_id}/members").json()) == 7
    client.force_login(company.owner)
    with django_assert_max_num_queries(20):
        assert client.get(f"/companies/{company.organization_id}/").status_code == 200


def test_the_company_page_speaks_chinese(client, company):
    client.force_login(company.owner)
    client.cookies["django_language"] = "zh-hans"
    html = client.get(f"/companies/{company.organization_id}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "账期与信用额度" in html and "收货地址" in html
