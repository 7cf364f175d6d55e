"""ID and phone numbers are masked in list views for roles without see_personal_data."""
from __future__ import annotations

from admin_helpers import ADMIN, AN, CLERK, SUPERVISOR, receive

from counter_app.domain.privacy import mask_id_number, mask_phone


def test_mask_formats():
    assert mask_phone("0912345678") == "0912***678"
    assert mask_id_number("045123456734") == "0451******34"
    assert mask_id_number("") == "" and mask_phone("12") == "*2"


def test_lists_are_masked_for_clerks_and_full_for_supervisors(demo):
    code = receive(demo)
    [clerk_row] = demo.lifecycle.not_handed_over(viewer=CLERK)
    assert (clerk_row.applicant.id_number, clerk_row.applicant.phone) == ("0450******34", "0912***678")
    assert clerk_row.applicant.name == AN.name  # the name is needed to call the citizen
    for viewer in (SUPERVISOR, ADMIN):
        [row] = demo.lifecycle.not_handed_over(viewer=viewer)
        assert (row.applicant.id_number, row.applicant.phone) == (AN.id_number, AN.phone)
    [anonymous] = demo.lifecycle.not_handed_over()
    assert anonymous.applicant.phone == "0912***678"  # nobody named: least privilege
    # The dossier being served stays complete for the clerk.
    assert demo.dossiers.get(code).applicant.id_number == AN.id_number
