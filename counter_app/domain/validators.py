"""Validators for what a clerk types about an applicant (domain.md §4).

Each returns the normalised value plus an error code (or None); the service
decides which fields are required. Prefix lists and province codes are module
data so they can move to the reference data later without touching the logic.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

# --- phone ---------------------------------------------------------------------------

MOBILE_PREFIXES: tuple[str, ...] = ("03", "05", "07", "08", "09")
MOBILE_LENGTH = 10
LANDLINE_PREFIXES: tuple[str, ...] = ("02",)  # 02 + area code, e.g. 0233 Quảng Trị
LANDLINE_LENGTH = 11
COUNTRY_PREFIXES: tuple[str, ...] = ("+84", "0084")  # written before the number without its 0

_PHONE_SEPARATORS = str.maketrans("", "", " \t.-()/")


def normalize_phone(raw: str) -> str:
    """Normalise a phone: "+84 912.345.678", "84912345678" → "0912345678".

    A bare "84" is read as the country code only when the length fits a Vietnamese
    number after it (9 or 10 digits): local numbers always start with 0.
    """
    digits = "".join(raw.translate(_PHONE_SEPARATORS).split())
    rest: str | None = None
    for prefix in COUNTRY_PREFIXES:
        if digits.startswith(prefix):
            rest = digits[len(prefix):]
            break
    if rest is None and digits.startswith("84") and len(digits) - 2 in (MOBILE_LENGTH - 1, LANDLINE_LENGTH - 1):
        rest = digits[2:]
    if rest is None:
        return digits
    # Tolerate "+84 0912…"; the result never starts with "00", "+" or "84", so
    # normalising twice changes nothing.
    return "0" + rest.lstrip("0")


def validate_phone(raw: str) -> tuple[str, str | None]:
    phone = normalize_phone(raw)
    if not phone:
        return "", None
    if not phone.isascii() or not phone.isdigit():
        return phone, "phone.invalid"
    if len(phone) == MOBILE_LENGTH and phone.startswith(MOBILE_PREFIXES):
        return phone, None
    if len(phone) == LANDLINE_LENGTH and phone.startswith(LANDLINE_PREFIXES):
        return phone, None
    return phone, "phone.invalid"


# --- identity documents ----------------------------------------------------------------

# Province of birth registration in digits 1–3 of a CCCD: the 63 provinces before
# the 2025 mergers. Cards keep their number after a merger, so the old list stays valid.
CCCD_PROVINCES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "TP Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

_CCCD = re.compile(r"^[0-9]{12}$")
_CMND = re.compile(r"^[0-9]{9}$")
_PASSPORT = re.compile(r"^[A-Z][0-9]{7}$")
_ID_SEPARATORS = str.maketrans("", "", " \t.-")


@dataclass(frozen=True)
class IdInfo:
    """What an identity number says about its holder (fills message params)."""

    kind: str  # cccd | cmnd | passport
    province_code: str = ""
    province: str = ""
    birth_year: int | None = None
    female: bool | None = None


def describe_id(normalised: str) -> IdInfo | None:
    """Read a normalised number; None when it has none of the known shapes.

    CCCD digit 4 encodes century and sex: 0/1 = 1900s male/female, 2/3 = 2000s,
    4/5 = 2100s … (Circular 07/2016/TT-BCA); digits 5–6 are the birth year.
    """
    if _CCCD.match(normalised):
        century_sex = int(normalised[3])
        year = 1900 + (century_sex // 2) * 100 + int(normalised[4:6])
        province = CCCD_PROVINCES.get(normalised[:3], "")
        return IdInfo("cccd", normalised[:3], province, year, bool(century_sex % 2))
    if _CMND.match(normalised):
        return IdInfo("cmnd")
    if _PASSPORT.match(normalised):
        return IdInfo("passport")
    return None


def validate_id_number(raw: str, today: date) -> tuple[str, str | None, list[str]]:
    """(normalised, error code, warning codes) for a CCCD, old CMND or passport number.

    An unknown province blocks (a typo); a future birth year only warns, because a
    clerk cannot correct the citizen's card. No checksum exists. The province code
    and birth year for the messages come from ``describe_id``.
    """
    number = raw.strip().translate(_ID_SEPARATORS).upper()
    if not number:
        return "", None, []
    info = describe_id(number)
    if info is None:
        return number, "id.invalid_format", []
    if info.kind != "cccd":
        return number, None, []
    if not info.province:
        return number, "id.unknown_province", []
    warnings = ["id.future_birth_year"] if info.birth_year and info.birth_year > today.year else []
    return number, None, warnings


# --- email -------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
EMAIL_MAX = 254


def validate_email(raw: str) -> tuple[str, str | None]:
    """A plain ASCII address with a dotted domain; the domain is lower-cased."""
    email = raw.strip()
    if not email:
        return "", None
    if len(email) > EMAIL_MAX or not _EMAIL.match(email):
        return email, "email.invalid"
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}", None


# --- names --------------------------------------------------------------------------------

NAME_MAX = 100
# Apostrophes appear in Central Highlands names (H'Hen Niê); typists use ’ and ʼ too.
_NAME_PUNCTUATION = frozenset(" '’ʼ-.")


def validate_person_name(raw: str) -> tuple[str, str | None]:
    """NFC, single spaces; letters of any script, spaces, apostrophes, hyphens, dots.

    ``field.too_long`` takes ``max=NAME_MAX`` as its message parameter.
    """
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    if not name:
        return "", "applicant.name.required"
    if len(name) > NAME_MAX:
        return name, "field.too_long"
    has_letter = False
    for index, char in enumerate(name):
        category = unicodedata.category(char)
        if category.startswith("L"):
            has_letter = True
        elif category.startswith("M"):  # a combining mark NFC could not compose: only after a letter
            if index == 0 or unicodedata.category(name[index - 1])[0] not in "LM":
                return name, "applicant.name.invalid"
        elif char not in _NAME_PUNCTUATION:
            return name, "applicant.name.invalid"
    return name, (None if has_letter else "applicant.name.invalid")


# --- message parameters --------------------------------------------------------------------


def message_params(code: str | None, value: str) -> dict[str, object]:
    """The values the message of a validator's ``code`` names, read from the ``value`` checked.

    Validators return bare codes so callers can compare them; whoever shows the message
    passes these (the province digits, the birth year, the length limit).
    """
    if code == "id.unknown_province":
        return {"province": value[:3]}
    if code == "id.future_birth_year":
        info = describe_id(value)
        return {"year": info.birth_year if info else value[4:6]}
    if code == "field.too_long":
        return {"max": NAME_MAX}
    return {}
