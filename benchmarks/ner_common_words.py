"""False persons on news sentences whose words are also surnames of the people list.

    python benchmarks/ner_common_words.py

Sentences written for this check (not taken from any corpus), tagged with the shipped model:

* 36 sentences that use a word in its everyday sense that is also a surname of a well-known
  person (`النقل البري`, `المحيط الهادئ`, `خطيب الجمعة`, `صافي أرباحها`, `هجوم بري` ...):
  how many come out with a person (sentence by sentence with `tag_tokens`, or with
  `find_entities`);
* 16 sentences that name those people (`نبيه بري`, `الرئيس مبارك` ...), four two-sentence
  articles with the surname alone after the full name, and seven invented people named right
  after an organisation (`… في الاتحاد الأوروبي سلمى الراشد إن …`): who is found.

To compare with an older model, check out its resource folder first
(`git checkout COMMIT -- src/khabar/resources/ner`).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from khabar.extract import find_entities, tag_tokens
from khabar.extract.ner import bio_to_spans

COMMON = [
    "وتواصلت حركة النقل البري بين البلدين رغم الأمطار .",
    "وتضرب عواصف قوية جزرا في المحيط الهادئ منذ أيام .",
    "ودعا المجلس إلى حل عادل وشامل للقضية .",
    "وصوت البرلمان لصالح القرار بأغلبية كبيرة .",
    "وشهد الحرم الشريف توافد آلاف المصلين أمس .",
    "وأرسلت جمعية الهلال الأحمر قافلة مساعدات إلى المدينة .",
    "وتحدث خطيب الجمعة عن فضل الصدقة .",
    "وأعلنت الشركة أن صافي أرباحها ارتفع في الربع الثاني .",
    "وقال المعلم إن الطلاب عادوا إلى المدارس .",
    "وتهنئ الشركة عملاءها بحلول شهر رمضان المبارك .",
    "وأعلنت الحكومة الحداد ثلاثة أيام على أرواح الضحايا .",
    "وحكمت المحكمة على المتهم بالسجن خمس سنوات .",
    "وحافظ الفريق على صدارة الدوري بعد فوزه أمس .",
    "ووزعت الجمعية سلال غذائية على الأسر المحتاجة .",
    "ويحيي الفلسطينيون ذكرى النكبة في الخامس عشر من مايو .",
    "ووقف الحجاج على صعيد عرفات يوم عرفة .",
    "وأكد أن الخطة نجحت بتوفيق من الله .",
    "وتحدث المسؤول عن جودة التعليم في المدارس الحكومية .",
    "ووقع صدام مسلح بين الطرفين قرب الحدود .",
    "وعاش الشاعر سنوات طويلة في المنفى قبل عودته .",
    "وسيطرت ميليشيا الحوثي على المدينة أمس .",
    "وأطلقت تركيا عملية غصن الزيتون في شمال سوريا .",
    "وتأهل المنتخب الجزائري إلى نهائي البطولة .",
    "وتواصل القصف المدفعي على الأحياء الشرقية .",
    "وقال إن الحل لا يأتي إلا عبر رد الجميل للشعب .",
    "وقدم الراعي الرسمي للبطولة جوائز للفائزين .",
    "وهطل مطر غزير على المدينة أمس .",
    "وبلغ عدد القتلى ستون شخصا في الهجوم .",
    "ولم يستبعد التحالف شن هجوم بري على المدينة .",
    "ووصلت القافلة إلى المدينة عبر المنفذ البري .",
    "وتقدمت ميليشيات الحوثي وصالح نحو المدينة .",
    "وأكد أن المنتج غير صالح للاستهلاك .",
    "وأدى المصلون صلاة الفجر في الحرم المكي .",
    "وتواصل العمل في مشروع النقل الحضري بالعاصمة .",
    "ووصف المحامي الحكم بأنه عادل .",
    "وقال المعلم الذي يعمل في المدرسة منذ عشرين عاما إن الرواتب تأخرت .",
]
PEOPLE = [
    ("وقال رئيس مجلس النواب اللبناني نبيه بري إن الحوار مستمر .", "نبيه بري"),
    ("واستقبل الرئيس اليمني عبدربه منصور هادي السفير الأمريكي .", "عبدربه منصور هادي"),
    ("وأكد رئيس الوزراء الباكستاني نواز شريف أن بلاده تدعم السلام .", "نواز شريف"),
    ("وحضر الرئيس المصري الأسبق حسني مبارك جلسة المحاكمة .", "حسني مبارك"),
    ("وقال وزير الخارجية السوري وليد المعلم إن بلاده ترفض التدخل .", "وليد المعلم"),
    ("وغنى الفنان كاظم الساهر في الحفل أمس .", "كاظم الساهر"),
    ("وقال الرئيس العراقي برهم صالح إن الانتخابات ستجرى في موعدها .", "برهم صالح"),
    ("وقال زعيم الجماعة عبدالملك الحوثي في خطاب متلفز إن القتال مستمر .", "عبدالملك الحوثي"),
    ("وفاز الرئيس الأفغاني أشرف غني بولاية ثانية .", "أشرف غني"),
    ("وقالت رئيسة المفوضية الأوروبية أورسولا فون دير لاين إن الاتحاد موحد .",
     "أورسولا فون دير لاين"),
    ("وقال الرئيس الفلسطيني الراحل ياسر عرفات إن القدس عاصمة الدولة .", "ياسر عرفات"),
    ("واجتمع رئيس الحكومة المغربية سعد الدين العثماني بالنقابات .", "سعد الدين العثماني"),
    ("وقال الرئيس هادي إن الحكومة ستعود إلى عدن .", "هادي"),
    ("وأكد الرئيس مبارك أن مصر تدعم الحوار .", "مبارك"),
    ("واتهم الرئيس صالح المعارضة بعرقلة الحوار .", "صالح"),
    ("وقال الرئيس عرفات إن السلام خيار استراتيجي .", "عرفات"),
]
DOCUMENTS = [
    (("وقال رئيس مجلس النواب نبيه بري إن الحوار مستمر . "
     "وأضاف بري أن الجلسة المقبلة ستعقد الأسبوع المقبل ."), "بري"),
    (("وقال الرئيس اليمني عبدربه منصور هادي إن الحرب ستنتهي . "
     "وأكد هادي أن الحكومة ستعود ."), "هادي"),
    ("وقال الرئيس الأفغاني أشرف غني إن المحادثات مستمرة . وأضاف غني أن الهدنة صامدة .", "غني"),
    (("وقال وزير الخارجية السوري وليد المعلم إن بلاده ترفض التدخل . "
     "وأضاف المعلم أن الحل سياسي ."), "المعلم"),
]
AFTER_ORGANISATION = ["سلمى الراشد", "ريم الخطيب", "ليلى الحسن", "نادية السعدي",
                      "هالة العمري", "منى الكبيسي", "دانة الشمري"]


def persons(text: str) -> tuple[list[str], list[str]]:
    """The persons of `text`: the model's, sentence by sentence, and `find_entities`'."""
    words = text.split()
    model = [" ".join(words[s:e]) for s, e, t in bio_to_spans(tag_tokens(words)) if t == "PERS"]
    return model, [e.text for e in find_entities(text) if e.label == "PER"]


def main() -> None:
    false_model = false_any = 0
    for text in COMMON:
        model, found = persons(text)
        false_model += bool(model)
        false_any += bool(model or found)
        if model or found:
            print(f"false person: {text}  model {model}  find_entities {found}")
    print(f"common words: {false_any} of {len(COMMON)} sentences with a false person "
          f"({false_model} by the model sentence by sentence)")
    exact = 0
    for text, person in PEOPLE:
        model, found = persons(text)
        exact += person in found
        if person not in found:
            print(f"missed: {person}  in {text}  find_entities {found}")
    print(f"people: {exact} of {len(PEOPLE)} found exactly")
    alone = sum(found.count(sur) == 1 for text, sur in DOCUMENTS
                for found in [[e.text for e in find_entities(text) if e.label == "PER"]])
    print(f"surname alone after the full name: {alone} of {len(DOCUMENTS)}")
    full = 0
    for name in AFTER_ORGANISATION:
        text = f"وقالت مفوضية الشؤون الخارجية في الاتحاد الأوروبي {name} إن الحوار هو الحل الوحيد ."
        model, found = persons(text)
        full += name in found
        if name not in found:
            print(f"after an organisation: {name}  find_entities {found}")
    print(f"after an organisation: {full} of {len(AFTER_ORGANISATION)} found in full")


if __name__ == "__main__":
    main()
