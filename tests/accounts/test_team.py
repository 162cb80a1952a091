import pytest

from tests import factories
from tradeloop.accounts import services
from tradeloop.accounts.models import Invitation
from tradeloop.accounts.selectors import can
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied


@pytest.mark.django_db
def test_staff_member_can_do_only_what_the_role_allows(merchant):
    packer = factories.member(merchant, "fulfilment")
    assert can(packer, merchant, "orders.fulfil")
    assert not can(packer, merchant, "catalog.manage")
    assert not can(packer, merchant, "team.manage")


@pytest.mark.django_db
def test_outsider_gets_not_found_for_another_tenant(merchant, user):
    with pytest.raises(NotFound):
        services.invite(actor=user, organization=merchant, email="a@b.cn", role="catalog")


@pytest.mark.django_db
def test_invitation_expires_after_seven_days(merchant, clock):
    invitation, token = services.invite(actor=merchant.owner, organization=merchant, email="late@b.cn", role="support")
    clock.advance(days=7, seconds=1)
    assert services.sweep_expired_invitations(clock.now()) == 1
    assert services.sweep_expired_invitations(clock.now()) == 0
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.EXPIRED
    late = factories.UserFactory(email="late@b.cn")
    with pytest.raises(Conflict):
        services.accept_invitation(actor=late, token=token)


@pytest.mark.django_db
def test_last_owner_cannot_be_demoted(merchant):
    own = merchant.memberships.get(user=merchant.owner)
    with pytest.raises(Conflict):
        services.change_role(actor=merchant.owner, organization=merchant, membership_id=own.pk, role="admin")


@pytest.mark.django_db
def test_admin_cannot_make_owners(merchant):
    admin = factories.member(merchant, "admin")
    with pytest.raises(PermissionDenied):
        services.invite(actor=admin, organization=merchant, email="boss@b.cn", role="owner")


@pytest.mark.django_db
def test_an_expired_invitation_cannot_be_accepted_even_before_the_sweep(merchant, clock):
    _, token = services.invite(actor=merchant.owner, organization=merchant, email="slow@b.cn", role="support")
    clock.advance(days=8)
    slow = factories.UserFactory(email="slow@b.cn")
    with pytest.raises(Conflict):
        services.accept_invitation(actor=slow, token=token)
    assert not merchant.memberships.filter(user=slow).exists()
