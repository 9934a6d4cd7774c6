"""A hostile article for the web tests: markup, event handlers, `javascript:` links and bidi
override characters in its outlet, URL, title and body (written for khabar)."""

HOSTILE = {
    "id": "xss-1",
    "outlet": "موقع <b>الاختبار</b> \u202eالمعكوس",
    "url": "javascript:window.__xss=4",
    "date": "2026-03-16 10:00:00",
    "title": "عنوان <script>window.__xss=1</script> خبيث \u202eمعكوس",
    "text": (
        'قال الوزير أحمد السالم إن <img src=x onerror="window.__xss=2;alert(2)"> الحصيلة بلغت 12 شخصاً يوم الاثنين في عمّان.\n'
        'اضغط <a href="javascript:window.__xss=3">هنا</a أو javascript:alert(1) للمزيد \u202eمن التفاصيل.\n'
        "وأضاف أن السلطات <svg onload=window.__xss=5> تعمل على حصر الأضرار في المدينة منذ مساء أمس.\n"
    ),
}
