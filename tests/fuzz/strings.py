"""Strings that break naive code: mixed Arabic/Latin with RTL marks and NUL, injections, oversized."""
from __future__ import annotations

from hypothesis import strategies as st

RTL_MARKS = "\u200f\u200e\u202b\u202e\u2066\u2069\u061c"
INJECTIONS = ["' OR '1'='1", "'; DROP TABLE cases; --", "<script>alert(1)</script>",
              "\"><img src=x onerror=alert(1)>", "=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0",
              "@SUM(1+1)", "-2+3", "{{7*7}}", "${jndi:ldap://x}", "../../etc/passwd", "%00", "\\x00"]
ARABIC = "شكوى من انقطاع المياه في حي الزهور ٠١٢٣٤٥٦٧٨٩"

pieces = st.one_of(
    st.sampled_from(INJECTIONS),
    st.sampled_from(list(RTL_MARKS) + ["\x00", "\r\n", "\t", "\ufeff", "\U0001F600", "\ud7ff"]),
    st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), max_size=20),
    st.text(max_size=20),
    st.just(ARABIC))
nasty_text = st.lists(pieces, max_size=8).map("".join)
oversized_text = st.builds(lambda piece, n: (piece or "ش") * n, nasty_text, st.integers(2_000, 40_000))
