"""A generator of varied Arabic news articles for reliability tests and load benchmarks.

Every sentence is assembled here from hand-written fragments (nothing is copied from a real
corpus). Articles come from several fictional outlets, each with its own site chrome (lines
every article of the outlet carries), about a set of fictional events; an event is covered by
several outlets in their own words, some outlets reprint another's wire copy (near-duplicates:
new headline, a paragraph trimmed) and some records are sent twice (exact duplicates). A few
records are deliberately unreadable (broken JSON, no text) so the quarantine path runs too.

    python benchmarks/synthetic.py 3000 -o articles.jsonl --seed 7
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

OUTLETS = [
    ("صحيفة المرصد اليومي", ["تابعونا على منصات التواصل الاجتماعي", "جميع الحقوق محفوظة © المرصد اليومي"]),
    ("وكالة أنباء الواحة", ["اشترك في النشرة البريدية لتصلك آخر الأخبار", "حقوق النشر محفوظة لوكالة أنباء الواحة"]),
    ("موقع الخبر الأول", ["اقرأ أيضاً", "شارك هذا الخبر"]),
    ("جريدة الساحل الجديد", ["للإعلان على الموقع تواصل معنا", "جميع الحقوق محفوظة © الساحل الجديد"]),
    ("بوابة النهار الإخبارية", ["تابعنا على تويتر", "الأكثر قراءة"]),
    ("شبكة أخبار الجنوب", ["حمّل تطبيق الشبكة على هاتفك", "© شبكة أخبار الجنوب"]),
    ("راديو الأفق", ["استمع إلى البث المباشر", "كل الحقوق محفوظة لراديو الأفق"]),
]

PLACES = ["مدينة الزهراء", "وادي النخيل", "ميناء الرمال", "بلدة الصفصاف", "جزيرة اللؤلؤ", "سهل القمح",
          "مرتفعات الريح", "حي الياسمين", "قرية العين الباردة", "محافظة الشروق", "ضاحية السلام",
          "منطقة البحيرات"]
PEOPLE = ["سالم بن راشد الكعبي", "منى عبد الهادي", "يوسف الطحان", "ليلى مرزوق", "خالد الشمري",
          "نادية الحسيني", "عمر فاضل", "هدى القاسمي", "طارق الجبوري", "سعاد بن عيسى",
          "فيصل العتيبي", "رنا الخطيب"]
ROLES = ["وزير الزراعة", "محافظ الإقليم", "المتحدث باسم الدفاع المدني", "رئيس البلدية",
         "مدير هيئة الطرق", "وزيرة الصحة", "رئيس غرفة التجارة", "مدير الأرصاد الجوية"]
ORGS = ["هيئة الموانئ", "شركة الواحة للطاقة", "اتحاد المزارعين", "مجلس الأعمال المشترك",
        "جمعية الهلال الأخضر", "مصرف التنمية الوطني", "جامعة الشروق", "مؤسسة المياه"]

EVENTS = [
    ("سيول جارفة تضرب {place} وإجلاء {n} أسرة",
     ["ضربت سيول جارفة {place} مساء {day} بعد أمطار غزيرة استمرت ساعات.",
      "وأعلن {role} {person} إجلاء {n} أسرة من المناطق المنخفضة.",
      "وقال {person} إن \"فرق الإنقاذ تعمل منذ الفجر ولم تسجل أي وفيات حتى الآن\".",
      "وتوقعت الأرصاد استمرار الهطول حتى نهاية الأسبوع."]),
    ("افتتاح مصنع جديد للطاقة الشمسية في {place} بكلفة {m} مليون دولار",
     ["افتتحت {org} مصنعاً جديداً للألواح الشمسية في {place} بكلفة {m} مليون دولار.",
      "ويوفر المصنع نحو {n} فرصة عمل لأبناء المنطقة.",
      "وأكد {role} {person} أن المشروع \"خطوة أولى نحو اكتفاء ذاتي من الطاقة النظيفة\".",
      "ومن المتوقع أن يبدأ الإنتاج التجاري خلال الربع الثالث من العام."]),
    ("{org} توقع اتفاقية لتوسعة {place} بقيمة {m} مليون دولار",
     ["وقعت {org} اتفاقية لتوسعة المرافق في {place} بقيمة {m} مليون دولار.",
      "وتشمل الاتفاقية إنشاء {n} رصيفاً ومخازن مبردة.",
      "وصرح {person} بأن الأعمال ستنطلق الشهر المقبل وتستمر عامين.",
      "وأشار إلى أن التوسعة سترفع الطاقة الاستيعابية إلى الضعف."]),
    ("إصابة {n} أشخاص في حريق بسوق {place}",
     ["أصيب {n} أشخاص بجروح طفيفة في حريق اندلع صباح {day} في السوق القديم في {place}.",
      "وتمكنت فرق الإطفاء من السيطرة على النيران بعد ساعتين.",
      "وقال {role} {person} إن التحقيقات جارية لمعرفة أسباب الحريق.",
      "وقدرت الخسائر المادية بنحو {m} مليون ريال."]),
    ("انطلاق مهرجان الكتاب في {place} بمشاركة {n} دار نشر",
     ["انطلقت مساء {day} فعاليات مهرجان الكتاب في {place} بمشاركة {n} دار نشر.",
      "ويتضمن البرنامج ندوات وأمسيات شعرية وورشاً للأطفال.",
      "وقالت {person} إن المهرجان \"يحتفي هذا العام بالرواية العربية الحديثة\".",
      "ويستمر المهرجان عشرة أيام ويفتح أبوابه من العاشرة صباحاً."]),
    ("ارتفاع أسعار القمح في {place} بنسبة {p}%",
     ["ارتفعت أسعار القمح في أسواق {place} بنسبة {p}% خلال الأسبوع الماضي.",
      "وعزا {role} {person} الارتفاع إلى تراجع الإنتاج بسبب الجفاف.",
      "وأعلنت {org} عن خطة لدعم {n} مزارع بالبذور والأسمدة.",
      "ويخشى التجار من موجة غلاء جديدة قبل حلول الشتاء."]),
    ("{org} تطلق حملة تطعيم تشمل {n} طفل في {place}",
     ["أطلقت {org} حملة تطعيم واسعة في {place} تستهدف {n} طفل.",
      "وقالت {role} {person} إن الحملة تستمر أسبوعين وتشمل المدارس والمراكز الصحية.",
      "ودعت الأهالي إلى التعاون مع الفرق الميدانية.",
      "وخصصت الحكومة {m} مليون دينار لتمويل الحملة."]),
    ("إغلاق طريق {place} الدولي بسبب الضباب",
     ["أغلقت السلطات طريق {place} الدولي صباح {day} بسبب الضباب الكثيف.",
      "وقال {role} {person} إن مدى الرؤية انخفض إلى أقل من {n} متراً.",
      "ونصحت {org} السائقين باستخدام الطرق البديلة.",
      "وأعيد فتح الطريق جزئياً قرابة الظهر."]),
]
FILLERS = [
    "وتشهد المنطقة نشاطاً متزايداً منذ بداية العام.",
    "ولم يصدر أي تعليق رسمي من الجهات المعنية حتى ساعة إعداد هذا الخبر.",
    "ويأتي ذلك في إطار خطة حكومية أوسع لتحسين الخدمات.",
    "وكانت المنطقة قد شهدت حادثة مماثلة قبل ثلاثة أعوام.",
    "وتابع المواطنون التطورات عبر وسائل التواصل الاجتماعي.",
    "وأكد مراقبون أن الخطوة تحتاج إلى متابعة دقيقة.",
    "ويقطن المنطقة قرابة {n} ألف نسمة.",
    "وتعهدت الجهات المختصة بنشر التفاصيل تباعاً.",
]
DAYS = ["الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"]


def _event_facts(rng: random.Random) -> dict[str, str]:
    return {
        "place": rng.choice(PLACES), "person": rng.choice(PEOPLE), "role": rng.choice(ROLES),
        "org": rng.choice(ORGS), "n": str(rng.randint(3, 950)), "m": str(rng.randint(2, 400)),
        "p": str(rng.randint(2, 45)), "day": rng.choice(DAYS),
    }


def _render(template: str, facts: dict[str, str]) -> str:
    return template.format(**facts)


def _article_text(rng: random.Random, outlet: int, title: str, sentences: list[str]) -> str:
    """Title, sometimes a byline, the body paragraphs and the outlet's chrome lines."""
    _name, chrome = OUTLETS[outlet]
    lines = [title, ""]
    if rng.random() < 0.3:
        lines += [f"كتب {rng.choice(PEOPLE)}", ""]
    for sentence in sentences:
        lines += [sentence, ""]
    lines += chrome
    return "\n".join(lines)


def generate(n: int, seed: int = 0, *, bad: bool = True) -> list[dict[str, object] | str]:
    """`n` input items: JSON objects (dicts) and, when `bad`, a few broken raw lines (str).

    About 12% are exact re-sends of an earlier record and 10% reprints of another outlet's
    copy (near-duplicates); the rest are independent write-ups of shared events."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 1, 6, 0)
    items: list[dict[str, object] | str] = []
    written: list[dict[str, object]] = []
    events: list[tuple[str, list[str], dict[str, str], datetime]] = []
    serial = 0
    while len(items) < n:
        roll = rng.random()
        if bad and roll < 0.01:
            items.append(rng.choice(['{"title": "خبر مقطوع", "text": "نص', '{"title": "بلا نص"}', "{not json"]))
            continue
        if written and roll < 0.13:
            items.append(dict(rng.choice(written)))  # the same record sent again
            continue
        if written and roll < 0.23:
            source = rng.choice(written)
            outlet = rng.randrange(len(OUTLETS))
            body = [line for line in str(source["text"]).split("\n")[2:] if line]
            body = [line for line in body if line not in OUTLETS[source["_outlet"]][1]]  # type: ignore[index]
            if len(body) > 3 and rng.random() < 0.5:
                body = body[:-1]  # a trimmed reprint
            title = str(source["title"]) if rng.random() < 0.5 else "عاجل: " + str(source["title"])
            record = _record(rng, serial, outlet, title, _article_text(rng, outlet, title, body),
                             datetime.fromisoformat(str(source["published"])) + timedelta(hours=rng.randint(1, 9)))
        else:
            if not events or rng.random() < 0.3:
                title_t, body_t = rng.choice(EVENTS)
                facts = _event_facts(rng)
                when = start + timedelta(hours=rng.randint(0, 24 * 20))
                events.append((title_t, body_t, facts, when))
            title_t, body_t, facts, when = rng.choice(events[-25:])
            outlet = rng.randrange(len(OUTLETS))
            sentences = [_render(s, facts) for s in body_t]
            if rng.random() < 0.3:
                tail = sentences[1:]
                rng.shuffle(tail)
                sentences = sentences[:1] + tail
            fillers = rng.sample(FILLERS, rng.randint(1, 4))
            sentences += [_render(f, {**facts, "n": str(rng.randint(2, 90))}) for f in fillers]
            title = _render(title_t, facts)
            if rng.random() < 0.4:
                title = f"{facts['place']}: " + title
            record = _record(rng, serial, outlet, title, _article_text(rng, outlet, title, sentences),
                             when + timedelta(minutes=rng.randint(0, 600)))
        serial += 1
        written.append(record)
        items.append(record)
    return [_public(item) for item in items]


def _record(rng: random.Random, serial: int, outlet: int, title: str, text: str, when: datetime) -> dict[str, object]:
    return {"id": f"syn-{serial:06d}", "title": title, "text": text, "source": OUTLETS[outlet][0],
            "published": when.isoformat(sep=" ", timespec="seconds"), "_outlet": outlet}


def _public(item: dict[str, object] | str) -> dict[str, object] | str:
    if isinstance(item, str):
        return item
    return {k: v for k, v in item.items() if not k.startswith("_")}


def write_jsonl(path: Path, items: list[dict[str, object] | str]) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        out.writelines((item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)) + "\n" for item in items)
    return path


def iter_lines(n: int, seed: int = 0) -> Iterator[str]:
    for item in generate(n, seed):
        yield item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    write_jsonl(args.output, generate(args.n, args.seed))
    print(f"{args.n} items → {args.output}")


if __name__ == "__main__":
    main()
