"""Number parsing: Indonesian and English formats, and the ambiguous cases the reports contain."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.number_words import parse_words
from pipeline.numbers import NumberError, format_id, parse_number


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("1.234.567,89", None, 1234567.89),          # Indonesian
        ("1,234,567.89", None, 1234567.89),          # English
        ("3,92%", "percent", 3.92),                  # SPEC example
        ("5.39", "percent", 5.39),                   # English decimal (Bungo l.663)
        ("77.98%", "percent", 77.98),
        ("3.111", "persons", 3111),                  # thousands dot in a count (Muara Enim l.838)
        ("0,184%", "percent", 0.184),                # three decimals in a percentage (Paser l.99)
        ("8,093", "persons", 8093),                  # English thousands comma (Bungo l.1006)
        ("Rp. 912.283.357", None, 912283357),        # Rp prefix (Tanjung Jabung Barat l.347)
        ("Rp. 2.392.837.500,-", None, 2392837500),   # trailing ,- (Tanjung Jabung Barat l.838)
        ("813.399.847,00", None, 813399847),         # trailing ,00 (Tanjung Jabung Barat l.556)
        ("2,228,039,860,00", None, 2228039860),      # commas everywhere, last one decimal (TJB l.829)
        ("18.820.531.793.00", None, 18820531793),    # dots everywhere, last one decimal (Paser l.1119)
        ("10.732.839.677,54", None, 10732839677.54), # Muara Enim l.1272
        ("539.37", "persons", 539370),               # a count that lost its trailing zero (Lumajang l.156)
        ("2.61", "number", 2610),                    # same, unknown count unit (Lumajang l.178)
        ("1.05", None, 1.05),                        # an index stays a decimal (Bungo l.600)
        ("0.76", None, 0.76),
        ("100", None, 100),
        ("-2,66", None, -2.66),
    ],
)
def test_parse_examples(text, hint, expected):
    assert parse_number(text, hint).value == pytest.approx(expected)


def test_ambiguous_thousands_without_context_is_flagged():
    p = parse_number("1.109")
    assert p.value == 1109 and p.ambiguous and "could be 1.109" in p.note


def test_lost_trailing_zero_is_reported():
    p = parse_number("539.37", "persons")
    assert p.ambiguous and "trailing zeros" in p.note


@pytest.mark.parametrize("text", ["6,81,297,418.00", "12.34.567", "abc", "", "1,2,3"])
def test_malformed_numbers_raise(text):
    with pytest.raises(NumberError):
        parse_number(text)


def _indonesian(value: float, decimals: int) -> str:
    return format_id(value, decimals)


def _english(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


@given(st.integers(min_value=1000, max_value=10**13), st.sampled_from([0, 2]))
def test_roundtrip_indonesian_amounts(n, decimals):
    value = n / 100 if decimals else float(n)
    text = _indonesian(value, decimals)
    assert parse_number(text, "rupiah").value == pytest.approx(round(value, decimals))


@given(st.integers(min_value=1_000_000, max_value=10**13), st.sampled_from([0, 2]))
def test_roundtrip_english_amounts(n, decimals):
    value = n / 100 if decimals else float(n)
    text = _english(value, decimals)
    assert parse_number(text, "rupiah").value == pytest.approx(round(value, decimals))


@given(st.floats(min_value=0, max_value=100, allow_nan=False), st.sampled_from([1, 2]))
def test_roundtrip_percentages_both_styles(x, decimals):
    x = round(x, decimals)
    for text in (f"{x:.{decimals}f}".replace(".", ","), f"{x:.{decimals}f}"):
        assert parse_number(text + "%", "percent").value == pytest.approx(x)


@given(st.integers(min_value=1000, max_value=999_999))
def test_counts_with_thousands_dots(n):
    assert parse_number(_indonesian(n, 0), "persons").value == n


@given(st.text(alphabet="0123456789.,", min_size=1, max_size=14))
def test_parser_never_returns_nonsense(text):
    """Any digit/separator string either parses to a finite number or raises NumberError."""
    try:
        p = parse_number(text)
    except NumberError:
        return
    assert math.isfinite(p.value)


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("Sepuluh Milyar Enam Ratus Tiga Puluh Delapan Juta Enam Ratus Sembilan Belas Ribu Enam Puluh Rupiah", 10_638_619_060),
        ("Sepuluh Milyar Tujuh Ratus Tiga Puluh Dua Juta Delapan Ratus Tiga Puluh Sembilan Ribu Enam Ratus Tujuh Puluh Tujuh koma Lima Empat Rupiah", 10_732_839_677.54),
        ("Tujuh ratus dua puluh tiga juta seratus sembilan puluh satu ribu tiga ratus empat puluh dua rupiah", 723_191_342),
        ("Seribu Sebelas Rupiah", 1011),
    ],
)
def test_number_words(words, value):
    assert parse_words(words) == pytest.approx(value)


def test_number_words_rejects_prose():
    assert parse_words("Lima Ratus ribu kasus diselesaikan") is None


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=99),
       st.sampled_from([("ribu", 1e3), ("juta", 1e6), ("miliar", 1e9), ("milyar", 1e9), ("triliun", 1e12)]))
def test_scale_words_keep_the_printed_precision(whole, cents, scale):
    """'Rp 3,45 miliar' is 3.45e9, precise to 0.01 miliar: the printed decimals move with the scale."""
    from pipeline.observations.prose_tokens import tokens

    word, factor = scale
    tok = [t for t in tokens(f"anggaran Rp {whole},{cents:02d} {word}") if t.skip is None][0]
    parsed = tok.parse()
    assert parsed.value == pytest.approx((whole + cents / 100) * factor)
    assert 10 ** (-parsed.decimals) == pytest.approx(factor / 100)
