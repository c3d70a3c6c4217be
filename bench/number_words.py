"""Spoken Arabic numbers to digits: hotline.number_words against the arabic-itn package.

    python bench/number_words.py [--verbose]

Each case is what a recogniser writes for an Egyptian caller, and what the transcript should
read. A case is right when the converted text is exactly the expected one. arabic-itn (MIT,
0.1.0) was evaluated first, as the issue asked; it is built for Gulf voice agents, and on
Egyptian complaints it (measured here) turns Mansoura's 050 landlines into Saudi +966 mobiles,
leaves grouped phone numbers half in words (a 10-digit remainder then escapes redaction),
rewrites جنيه as "EGP" and times as 24-hour clocks in the citizen's own words, and reads
"ايه بي" ("what, B") as an order ID.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hotline import number_words  # noqa: E402

CASES = [
    # identifiers read digit by digit: what redaction and look-ups need
    ("رقمي القومي اتنين تسعة صفر صفر واحد صفر واحد واحد اتنين تلاتة اربعة خمسة ستة سبعة",
     "رقمي القومي 29001011234567"),
    ("كلمني على صفر واحد صفر واحد اتنين تلاتة اربعة خمسة ستة سبعة تمانية", "كلمني على 01012345678"),
    ("موبايلي صفر واحد واحد تسعة تمانية سبعة ستة خمسة اربعة تلاتة اتنين", "موبايلي 01198765432"),
    ("رقم الشكوى اتنين ستة صفر صفر صفر صفر واحد اتنين تلاتة", "رقم الشكوى 260000123"),
    # a Mansoura landline (050 + 7 digits)
    ("التليفون الأرضي صفر خمسة صفر اتنين تلاتة اربعة خمسة ستة سبعة تمانية",
     "التليفون الأرضي 0502345678"),
    ("تليفون البيت صفر اتنين اتنين خمسة خمسة خمسة واحد اتنين تلاتة اربعة",
     "تليفون البيت 0225551234"),
    # read in groups, as many callers do
    ("كلمني على صفر مية وعشرة اتنين تلاتة اربعة خمسة ستة سبعة تمانية", "كلمني على 01102345678"),
    ("رقمي صفر عشرة اتنين وتلاتين اربعة خمسة ستة سبعة تمانية", "رقمي 0103245678"),
    ("البطاقة تسعة وعشرين صفر صفر واحد صفر واحد واحد اتنين تلاتة اربعة خمسة ستة سبعة",
     "البطاقة 29001011234567"),
    ("صفر دبل واحد اتنين تلاتة اربعة خمسة ستة سبعة تمانية تسعة", "01123456789"),
    # numbers said as numbers
    ("العمارة رقم خمستاشر", "العمارة رقم 15"),
    ("الفصل فيه تمانين طالب", "الفصل فيه 80 طالب"),
    ("دفعت مية وخمسين جنيه", "دفعت 150 جنيه"),
    ("دفعت خمسين جنيه للعامل", "دفعت 50 جنيه للعامل"),
    ("الفاتورة جت تلات تلاف وخمسمية جنيه", "الفاتورة جت 3500 جنيه"),
    ("بقالنا خمسة وعشرين يوم", "بقالنا 25 يوم"),
    ("العقار اتبنى سنة ألف وتسعمية وتسعين", "العقار اتبنى سنة 1990"),
    ("الساعة تلاتة العصر", "الساعة تلاتة العصر"),
    # words that are not numbers here
    ("المية مقطوعة من تلات أيام", "المية مقطوعة من تلات أيام"),
    ("بقالنا تلات أيام من غير مية", "بقالنا تلات أيام من غير مية"),
    ("عايز اعرف ايه بي اللي حصل", "عايز اعرف ايه بي اللي حصل"),
    ("واحد صاحبي قالي اشتكي", "واحد صاحبي قالي اشتكي"),
    ("الناس ميتين من الحر", "الناس ميتين من الحر"),
    ("ألف شكر يا فندم", "ألف شكر يا فندم"),
    ("خمسة ستة أيام والزبالة مرمية", "خمسة ستة أيام والزبالة مرمية"),
    ("الست اللي ساكنة في الدور الخامس", "الست اللي ساكنة في الدور الخامس"),
]


def ours(text: str) -> str:
    return number_words.to_digits(text)


def theirs(text: str) -> str | None:
    try:
        from arabic_itn import normalize
    except ImportError:
        return None
    return normalize(text)["text"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print every case each gets wrong")
    args = parser.parse_args()
    scores = {}
    for name, convert in (("hotline.number_words", ours), ("arabic-itn 0.1.0", theirs)):
        if convert(CASES[0][0]) is None:
            print(f"{name}: not installed (pip install arabic-itn)")
            continue
        wrong = [(said, want, convert(said)) for said, want in CASES if convert(said) != want]
        scores[name] = 1 - len(wrong) / len(CASES)
        print(f"{name:<22} {len(CASES) - len(wrong):3d} of {len(CASES)} right ({scores[name]:.0%})")
        for said, want, got in wrong if args.verbose else ():
            print(f"    said: {said}\n    want: {want}\n    got:  {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
