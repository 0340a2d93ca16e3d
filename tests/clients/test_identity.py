"""Personal identity codes (henkilötunnus): which codes are accepted, what a code tells, the message a
worker gets for each kind of mistake, masking, encryption with key rotation and the keyed lookup hash.
Every code here is synthetic."""

import hashlib
import hmac
from datetime import date, timedelta

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from polku.clients import identity
from tests.factories import synthetic_identity_code

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
EXAMPLE = "131052-308T"  # the Digital and Population Data Services Agency's published example


def code(birth: str, sign: str, individual: str) -> str:
    """A code with the right check character for whatever date and individual number it is given."""
    return f"{birth}{sign}{individual}{CHECK_CHARACTERS[int(birth + individual) % 31]}"


def refusal(value: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        identity.parse(value)
    return caught.value


def message(error: ValidationError) -> str:
    with translation.override("en"):
        return " ".join(error.messages)


# --- Accepted codes ----------------------------------------------------------------------------------


def test_the_published_example_gives_its_birth_date_and_sex():
    parsed = identity.parse(EXAMPLE)
    assert parsed.code == EXAMPLE
    assert parsed.birth_date == date(1952, 10, 13)
    assert parsed.sex == identity.Sex.FEMALE  # individual number 308 is even


def test_an_odd_individual_number_is_a_man():
    parsed = identity.parse(code("010180", "-", "123"))
    assert parsed.sex == identity.Sex.MALE
    assert parsed.birth_date == date(1980, 1, 1)


@pytest.mark.parametrize("sign", ["-", "Y", "X", "W", "V", "U"])
def test_every_century_sign_of_the_1900s_is_accepted(sign):
    born = date(1987, 6, 15)
    parsed = identity.parse(synthetic_identity_code(birth_date=born, sign=sign))
    assert parsed.birth_date == born


@pytest.mark.parametrize("sign", ["A", "B", "C", "D", "E", "F"])
def test_every_century_sign_of_the_2000s_is_accepted(sign):
    born = date(2005, 3, 4)
    parsed = identity.parse(synthetic_identity_code(birth_date=born, sign=sign))
    assert parsed.birth_date == born


def test_the_plus_sign_means_the_1800s():
    assert identity.parse(synthetic_identity_code(birth_date=date(1890, 3, 4), sign="+")).birth_date == date(
        1890, 3, 4
    )


def test_lower_case_and_spaces_are_tidied_away():
    parsed = identity.parse("  131052 -308t ")
    assert parsed.code == EXAMPLE


def test_someone_born_today_has_a_valid_code():
    today = timezone.localdate()
    assert identity.parse(synthetic_identity_code(birth_date=today)).birth_date == today


# --- Refused codes, each with its own reason ----------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["", "131052308T", "13105-308T", "131052-308", "131052-30AT", "1310522-308T"]
)
def test_a_code_of_the_wrong_shape_is_refused_with_an_example_of_the_right_one(value):
    error = refusal(value)
    assert error.code == "identity_code_format"
    assert "131052-308T" in message(error)


@pytest.mark.parametrize("sign", ["G", "Z", "*", "/"])
def test_an_unknown_century_sign_is_named_in_the_refusal(sign):
    error = refusal(code("131052", sign, "308"))
    assert error.code == "identity_code_century"
    assert f"“{sign}” is not a century sign" in message(error)


@pytest.mark.parametrize("birth", ["310299", "290201", "001080", "011380", "320180"])
def test_a_code_that_does_not_begin_with_a_real_date_is_refused(birth):
    error = refusal(code(birth, "-" if birth[-2:] > "30" else "A", "123"))
    assert error.code == "identity_code_date"
    assert birth in message(error)


def test_a_29_february_of_a_leap_year_is_a_date():
    assert identity.parse(code("290200", "A", "123")).birth_date == date(2000, 2, 29)


def test_a_birth_date_in_the_future_is_refused_and_points_to_the_century_sign():
    tomorrow = timezone.localdate() + timedelta(days=1)
    error = refusal(synthetic_identity_code(birth_date=tomorrow))
    assert error.code == "identity_code_future"
    assert "check the century sign" in message(error)


def test_the_2000s_sign_on_a_1900s_birth_year_is_a_future_date():
    error = refusal(code("010199", "A", "123"))  # 2099, meant to be 1999
    assert error.code == "identity_code_future"


@pytest.mark.parametrize("individual", ["900", "901", "950", "999"])
def test_a_temporary_identity_code_is_refused(individual):
    error = refusal(code("010190", "-", individual))
    assert error.code == "identity_code_temporary"
    assert "temporary identity code" in message(error)


@pytest.mark.parametrize("individual", ["000", "001"])
def test_individual_numbers_below_002_are_refused(individual):
    assert refusal(code("010190", "-", individual)).code == "identity_code_individual"


def test_the_highest_permanent_individual_number_is_accepted():
    assert identity.parse(code("010190", "-", "899")).sex == identity.Sex.MALE


def test_a_wrong_check_character_is_refused_as_a_typing_error():
    valid = synthetic_identity_code()
    wrong = next(c for c in CHECK_CHARACTERS if c != valid[-1])
    error = refusal(valid[:-1] + wrong)
    assert error.code == "identity_code_checksum"
    assert "check character does not match" in message(error)


def test_swapped_digits_are_caught_by_the_check_character():
    assert refusal("130152-308T").code == "identity_code_checksum"


def test_a_refusal_never_repeats_the_whole_code():
    value = code("010190", "-", "950")
    assert value not in message(refusal(value))
    wrong = EXAMPLE[:-1] + "U"
    assert wrong not in message(refusal(wrong))


# --- Masking ------------------------------------------------------------------------------------------


def test_the_mask_shows_the_birth_date_and_century_sign_only():
    assert identity.mask(EXAMPLE) == "131052-****"
    assert identity.parse(EXAMPLE.lower()).masked == "131052-****"


@pytest.mark.parametrize("value", ["", "131052", "131052-308T1"])
def test_anything_but_a_whole_code_is_masked_entirely(value):
    assert identity.mask(value) == "***********"


def test_a_search_term_shaped_like_a_code_is_recognised_as_one():
    assert identity.looks_like_identity_code(" 131052-308t")
    assert not identity.looks_like_identity_code("131052")
    assert not identity.looks_like_identity_code("Virtanen")


# --- Encryption and key rotation ----------------------------------------------------------------------


def test_an_encrypted_code_decrypts_to_itself_and_does_not_contain_it():
    value = synthetic_identity_code()
    token = identity.encrypt(value)
    assert value not in token
    assert value[:6] not in token
    assert identity.decrypt(token) == value


def test_encrypting_the_same_code_twice_gives_different_tokens():
    value = synthetic_identity_code()
    assert identity.encrypt(value) != identity.encrypt(value)


def test_a_token_of_an_unknown_key_does_not_decrypt():
    stranger = Fernet(Fernet.generate_key()).encrypt(EXAMPLE.encode()).decode()
    with pytest.raises(InvalidToken):
        identity.decrypt(stranger)


@pytest.fixture
def new_key(settings):
    """A new key put first: it encrypts from now on, the old ones still decrypt."""
    old_keys = list(settings.IDENTITY_CODE_KEYS)
    key = Fernet.generate_key().decode()
    settings.IDENTITY_CODE_KEYS = [key, *old_keys]
    return key, old_keys


def test_after_a_new_key_is_added_codes_encrypted_with_the_old_key_still_decrypt(settings):
    value = synthetic_identity_code()
    old_token = identity.encrypt(value)
    settings.IDENTITY_CODE_KEYS = [Fernet.generate_key().decode(), *settings.IDENTITY_CODE_KEYS]
    assert identity.decrypt(old_token) == value


def test_new_codes_are_encrypted_with_the_first_key(new_key):
    key, old_keys = new_key
    value = synthetic_identity_code()
    token = identity.encrypt(value)
    assert Fernet(key).decrypt(token.encode()).decode() == value
    with pytest.raises(InvalidToken):
        Fernet(old_keys[0]).decrypt(token.encode())


def test_rotating_a_token_gives_one_that_the_new_key_alone_decrypts(settings):
    value = synthetic_identity_code()
    old_keys = list(settings.IDENTITY_CODE_KEYS)
    old_token = identity.encrypt(value)
    key = Fernet.generate_key().decode()
    settings.IDENTITY_CODE_KEYS = [key, *old_keys]

    rotated = identity.rotate(old_token)

    assert rotated != old_token
    assert Fernet(key).decrypt(rotated.encode()).decode() == value
    with pytest.raises(InvalidToken):
        Fernet(old_keys[0]).decrypt(rotated.encode())
    settings.IDENTITY_CODE_KEYS = [key]  # the old key can be dropped once everything is rotated
    assert identity.decrypt(rotated) == value
    with pytest.raises(InvalidToken):
        identity.decrypt(old_token)


# --- The keyed lookup hash ----------------------------------------------------------------------------


def test_the_lookup_hash_is_an_hmac_of_the_code_with_the_lookup_key(settings):
    expected = hmac.new(settings.IDENTITY_LOOKUP_KEY.encode(), EXAMPLE.encode(), hashlib.sha256).hexdigest()
    assert identity.lookup_hash(EXAMPLE) == expected
    assert identity.lookup_hash(EXAMPLE) != hashlib.sha256(EXAMPLE.encode()).hexdigest()


def test_the_lookup_hash_changes_with_the_lookup_key(settings):
    before = identity.lookup_hash(EXAMPLE)
    settings.IDENTITY_LOOKUP_KEY = "another-lookup-key-that-is-long-enough-0123"
    after = identity.lookup_hash(EXAMPLE)
    assert after != before
    assert len(after) == 64


def test_the_lookup_hash_ignores_case_and_whitespace():
    assert identity.lookup_hash(" 131052 -308t\n") == identity.lookup_hash(EXAMPLE)


def test_different_codes_have_different_lookup_hashes():
    assert identity.lookup_hash(synthetic_identity_code()) != identity.lookup_hash(synthetic_identity_code())
