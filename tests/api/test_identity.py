import pytest
from django.core import mail

from tests import factories
from tests.api.conftest import assert_error
from tradeloop.accounts.models import Invitation, Membership, Organization
from tradeloop.accounts.roles import CAPABILITIES


@pytest.mark.django_db
def test_me_lists_memberships_with_role_and_capabilities(merchant, owner_api):
    body = owner_api.get("me").json()

    assert body["email"] == merchant.owner.email
    [membership] = body["memberships"]
    assert membership["organization"] == {
        "id": merchant.pk,
        "name": merchant.name,
        "slug": merchant.slug,
        "kind": "merchant",
    }
    assert membership["role"] == "owner"
    assert membership["capabilities"] == sorted(CAPABILITIES)  # the owner's wildcard, spelled out


@pytest.mark.django_db
def test_create_organization_makes_me_its_owner(user, api_as):
    me = api_as(user)
    response = me.post("organizations", {"kind": "supplier", "name": "Yiwu Socks", "city": "Yiwu", "currency": "USD"})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Yiwu Socks"
    assert body["role"] == "owner"
    assert body["currency"] == "USD"
    listed = me.get("organizations").json()
    assert [o["id"] for o in listed["items"]] == [body["id"]]
    assert listed["next_cursor"] is None


@pytest.mark.django_db
def test_operator_kind_cannot_be_created(user, api_as):
    assert_error(api_as(user).post("organizations", {"kind": "operator", "name": "Me"}), 422, "invalid", "kind")
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_owner_edits_the_profile_and_null_leaves_fields_alone(merchant, owner_api):
    response = owner_api.patch(
        f"organizations/{merchant.pk}", {"name": "Fresh Fruit Co", "city": "Yantai", "description": None}
    )

    assert response.status_code == 200, response.content
    merchant.refresh_from_db()
    assert (merchant.name, merchant.city, merchant.description) == ("Fresh Fruit Co", "Yantai", "")


@pytest.mark.django_db
def test_another_tenants_organization_is_not_found(merchant, rival, owner_api):
    assert_error(owner_api.get(f"organizations/{rival.pk}"), 404, "not_found")
    assert_error(owner_api.patch(f"organizations/{rival.pk}", {"name": "Mine now"}), 404)
    assert_error(owner_api.get(f"organizations/{rival.pk}/members"), 404)
    assert_error(owner_api.post(f"organizations/{rival.pk}/members", {"email": "a@b.cn", "role": "catalog"}), 404)
    rival.refresh_from_db()
    assert rival.name == "Rival Goods"


@pytest.mark.django_db
def test_member_without_the_capability_is_forbidden(merchant, api_as):
    packer = api_as(factories.member(merchant, "fulfilment"))

    assert_error(packer.patch(f"organizations/{merchant.pk}", {"name": "Packers Inc"}), 403, "permission_denied")
    assert_error(packer.post(f"organizations/{merchant.pk}/members", {"email": "x@b.cn", "role": "catalog"}), 403)
    assert packer.get(f"organizations/{merchant.pk}/members").status_code == 200  # any member sees the team


@pytest.mark.django_db
def test_invite_accept_change_role_and_remove(merchant, owner_api, api_as):
    newcomer = factories.UserFactory(email="newcomer@example.com")

    invited = owner_api.post(f"organizations/{merchant.pk}/members", {"email": newcomer.email, "role": "catalog"})

    assert invited.status_code == 201, invited.content
    body = invited.json()
    assert (body["email"], body["role"], body["state"]) == (newcomer.email, "catalog", "pending")
    assert "token" not in body  # the secret goes to the invitee's mailbox only
    [letter] = mail.outbox
    token = letter.body.split("/accounts/invitations/")[1].split("/")[0]
    assert token not in invited.content.decode()

    joined = api_as(newcomer).post(f"invitations/{token}/accept")
    assert joined.status_code == 200, joined.content
    assert joined.json()["role"] == "catalog"
    membership_id = joined.json()["id"]

    changed = owner_api.patch(f"organizations/{merchant.pk}/members/{membership_id}", {"role": "fulfilment"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["role"] == "fulfilment"
    assert "catalog.manage" not in changed.json()["capabilities"]

    assert owner_api.delete(f"organizations/{merchant.pk}/members/{membership_id}").status_code == 204
    assert not Membership.objects.filter(pk=membership_id).exists()


@pytest.mark.django_db
def test_invitation_for_someone_else_cannot_be_accepted(merchant, owner_api, api_as, user):
    owner_api.post(f"organizations/{merchant.pk}/members", {"email": "right@example.com", "role": "support"})
    token = mail.outbox[0].body.split("/accounts/invitations/")[1].split("/")[0]

    assert_error(api_as(user).post(f"invitations/{token}/accept"), 403, "permission_denied")
    assert_error(api_as(user).post("invitations/not-a-token/accept"), 404, "not_found")
    assert not merchant.memberships.filter(user=user).exists()


@pytest.mark.django_db
def test_duplicate_invitation_conflicts(merchant, owner_api):
    path = f"organizations/{merchant.pk}/members"
    owner_api.post(path, {"email": "twice@example.com", "role": "support"})

    assert_error(owner_api.post(path, {"email": "twice@example.com", "role": "support"}), 409, "conflict", "email")
    assert_error(owner_api.post(path, {"email": "not an email", "role": "support"}), 400, "invalid", "email")
    assert_error(owner_api.post(path, {"email": "a@b.cn", "role": "emperor"}), 400, "invalid", "role")
    assert Invitation.objects.count() == 1


@pytest.mark.django_db
def test_pending_invitations_are_listed_and_revocable(merchant, owner_api):
    invitation = owner_api.post(f"organizations/{merchant.pk}/members", {"email": "p@b.cn", "role": "support"}).json()

    assert [i["id"] for i in owner_api.get(f"organizations/{merchant.pk}/invitations").json()] == [invitation["id"]]
    assert owner_api.delete(f"organizations/{merchant.pk}/invitations/{invitation['id']}").status_code == 204
    assert owner_api.get(f"organizations/{merchant.pk}/invitations").json() == []
    assert_error(owner_api.delete(f"organizations/{merchant.pk}/invitations/{invitation['id']}"), 409)


@pytest.mark.django_db
def test_last_owner_cannot_leave(merchant, owner_api):
    own = merchant.memberships.get(user=merchant.owner)

    assert_error(owner_api.delete(f"organizations/{merchant.pk}/members/{own.pk}"), 409, "conflict")
    assert_error(owner_api.patch(f"organizations/{merchant.pk}/members/{own.pk}", {"role": "admin"}), 409)
    assert merchant.memberships.filter(pk=own.pk, role__code="owner").exists()


@pytest.mark.django_db
def test_members_page_through_the_whole_team(merchant, owner_api):
    for _ in range(4):
        factories.member(merchant, "support")

    first = owner_api.get(f"organizations/{merchant.pk}/members", {"limit": 3}).json()
    second = owner_api.get(f"organizations/{merchant.pk}/members", {"limit": 3, "cursor": first["next_cursor"]}).json()

    assert len(first["items"]) == 3 and len(second["items"]) == 2
    assert second["next_cursor"] is None
    ids = [m["id"] for m in first["items"] + second["items"]]
    assert sorted(ids) == sorted(merchant.memberships.values_list("id", flat=True))
    assert first["items"][0]["user"]["email"] == merchant.owner.email


@pytest.mark.django_db
def test_coordinates_come_back_as_plain_decimals(merchant, owner_api):
    response = owner_api.patch(f"organizations/{merchant.pk}", {"latitude": "1E+1", "longitude": "121.5"})

    assert response.status_code == 200, response.content
    assert (response.json()["latitude"], response.json()["longitude"]) == ("10", "121.5")
