"""ISO code lists the DORA fields are checked against (bundled: a few hundred codes need no dependency)."""

from __future__ import annotations

# ISO 3166-1 alpha-2, officially assigned codes (249).
_COUNTRY_CODES = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO
FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE
JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO
MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW
PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM
TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""
COUNTRIES = frozenset(_COUNTRY_CODES.split())

# ISO 4217 active currency codes (funds and precious metals left out: no ICT contract is priced in them).
_CURRENCY_CODES = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF
CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD
HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD
MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN
PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY
TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
"""
CURRENCIES = frozenset(_CURRENCY_CODES.split())

# ICT service types of the register of information (Implementing Regulation (EU) 2024/2956): S01 to S19.
ICT_SERVICES = tuple(f"S{n:02d}" for n in range(1, 20))
SUBSTITUTABILITY = ("not-substitutable", "difficult", "medium", "easy")


def lei_problem(lei: str) -> str | None:
    """Why `lei` is no ISO 17442 LEI (20 characters, ISO 7064 mod 97-10 check digits), or None."""
    if len(lei) != 20 or not lei.isascii() or not lei.isalnum() or not lei[18:].isdigit():
        return "is no LEI (20 letters and digits, the last two digits)"
    if int("".join(str(int(c, 36)) for c in lei.upper())) % 97 != 1:
        return "is no LEI (its check digits do not match; a typo?)"
    return None


def lei_with_check(prefix18: str) -> str:
    """`prefix18` completed with its two check digits (for examples and tests)."""
    number = int("".join(str(int(c, 36)) for c in prefix18.upper() + "00"))
    return f"{prefix18.upper()}{98 - number % 97:02d}"
