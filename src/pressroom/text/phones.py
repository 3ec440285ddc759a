"""Phone numbers: checked with `phonenumbers` (Google's libphonenumber) and written E.164 in
`tel:` links, while the page prints them as the editor wrote them.

A number must carry its country code ('+41 22 917 9000'): a release is read abroad, and a
number without one cannot be dialled or linked. A trunk prefix in brackets ('+41 (0)22 ...')
is dropped from the link. `phonenumbers` is imported on first use.
"""

from __future__ import annotations

from functools import cache


@cache
def problem(text: str) -> str | None:
    """Why `text` is not a usable phone number, or None."""
    import phonenumbers

    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            if text.startswith("+"):
                return f"{text!r} has an unknown country code"
            return f"{text!r} has no country code: start it with + and the country code"
        return f"{text!r} is not a phone number"
    if not phonenumbers.is_valid_number(number):
        return (f"{text!r} is not a valid number for country code +{number.country_code}: "
                "check its digits")
    return None


@cache
def uri(text: str) -> str:
    """The `tel:` URI (RFC 3966) of a valid number: E.164, e.g. 'tel:+41229179000'."""
    import phonenumbers

    number = phonenumbers.parse(text, None)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"tel:{e164}" + (f";ext={number.extension}" if number.extension else "")
