"""zh-Hant formats that differ from Django's own: a time is written and read with its seconds
first (Django's first zh-Hant time format is ``%H:%M``, so the admin's 「現在」 and clock picker
filled a deadline without its seconds). Everything else comes from Django's zh_Hant module."""

TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
