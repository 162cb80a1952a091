import pytest

from tests import factories
from tests.console.conftest import login_as, queries_to_get, url
from tradeloop.accounts.models import Invitation, Membership


@pytest.mark.django_db
def test_invite_then_change_role_then_remove(owner_client, merchant):
    response = owner_client.post(url("invite", merchant), {"email": "Li.Na@Example.cn", "role": "catalog"}, follow=True)
    assert response.status_code == 200
    invitation = Invitation.objects.get(organization=merchant)
    assert (invitation.email, invitation.role.code, invitation.state) == ("li.na@example.cn", "catalog", "pending")
    assert "li.na@example.cn" in response.text
    assert "/accounts/invitations/" in " ".join(str(m) for m in response.context["messages"])

    person = factories.member(merchant, "support")
    membership = Membership.objects.get(organization=merchant, user=person)
    owner_client.post(url("member_role", merchant, membership.pk), {"role": "fulfilment"})
    membership.refresh_from_db()
    assert membership.role.code == "fulfilment"

    owner_client.post(url("member_remove", merchant, membership.pk))
    assert not Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_revoke_a_pending_invitation(owner_client, merchant):
    owner_client.post(url("invite", merchant), {"email": "late@example.cn", "role": "support"})
    invitation = Invitation.objects.get(organization=merchant)
    response = owner_client.post(url("invitation_revoke", merchant, invitation.pk), follow=True)
    invitation.refresh_from_db()
    assert invitation.state == "revoked"
    assert response.context["invitations"] == []


@pytest.mark.django_db
def test_invite_errors_show_on_the_form(owner_client, merchant):
    factories.member(merchant, "support")
    existing = merchant.memberships.exclude(user=merchant.owner).get().user.email
    response = owner_client.post(url("invite", merchant), {"email": existing, "role": "catalog"})
    assert response.status_code == 400
    assert "already a member" in response.context["invite_form"].errors["email"][0]

    response = owner_client.post(url("invite", merchant), {"email": "not an address", "role": "catalog"})
    assert response.status_code == 400
    assert response.context["invite_form"].errors["email"]
    assert not Invitation.objects.filter(state="pending").exists()


@pytest.mark.django_db
def test_the_last_owner_cannot_be_demoted_or_removed(owner_client, merchant):
    own = merchant.memberships.get(user=merchant.owner)
    response = owner_client.post(url("member_role", merchant, own.pk), {"role": "admin"}, follow=True)
    assert "at least one owner" in " ".join(str(m) for m in response.context["messages"])
    owner_client.post(url("member_remove", merchant, own.pk))
    own.refresh_from_db()
    assert own.role.code == "owner"


@pytest.mark.django_db
def test_admin_is_not_offered_the_owner_role_and_cannot_grant_it(client, merchant, staff):
    admin = staff("admin")
    login_as(client, admin)
    response = client.get(url("team", merchant))
    assert [code for code, _ in response.context["invite_form"].fields["role"].choices].count("owner") == 0
    support = factories.member(merchant, "support")
    membership = merchant.memberships.get(user=support)
    response = client.post(url("member_role", merchant, membership.pk), {"role": "owner"}, follow=True)
    membership.refresh_from_db()
    assert membership.role.code == "support"


@pytest.mark.django_db
def test_members_of_another_store_are_not_found(owner_client, merchant):
    other = factories.seller_with_owner(name="Rival")
    theirs = other.memberships.get()
    assert owner_client.post(url("member_remove", merchant, theirs.pk)).status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_team_page_query_count_does_not_grow_with_members(owner_client, merchant, django_assert_max_num_queries):
    owner_client.post(url("invite", merchant), {"email": "first.guest@example.cn", "role": "support"})
    alone = queries_to_get(owner_client, url("team", merchant))
    for role in ["catalog", "support", "fulfilment", "finance"] * 5:
        factories.member(merchant, role)
    for i in range(15):
        owner_client.post(url("invite", merchant), {"email": f"guest{i}@example.cn", "role": "support"})
    with django_assert_max_num_queries(alone):
        response = owner_client.get(url("team", merchant))
    assert len(response.context["members"]) == 21 and len(response.context["invitations"]) == 16
    assert alone <= 11
