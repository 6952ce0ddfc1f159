# Armenian, after CLDR: "25 հոկտեմբերի, 2026 թ.", "25.10.2026", 1 234 567,5.
# The *_FORMAT strings use Django's date format syntax; "E" is the month as written inside a date
# (genitive in Armenian, from core's catalogue, see core/django_messages.py).
DATE_FORMAT = "j E, Y թ."
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E, Y թ., H:i"
YEAR_MONTH_FORMAT = "F, Y թ."
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# strftime syntax, for reading dates typed into forms.
DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # '25.10.2026'
    "%d.%m.%y",  # '25.10.26'
    "%Y-%m-%d",  # '2026-10-25'
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",  # '25.10.2026 14:30:59'
    "%d.%m.%Y %H:%M:%S.%f",  # '25.10.2026 14:30:59.000200'
    "%d.%m.%Y %H:%M",  # '25.10.2026 14:30'
    "%d.%m.%y %H:%M",  # '25.10.26 14:30'
    "%Y-%m-%d %H:%M:%S",  # '2026-10-25 14:30:59'
    "%Y-%m-%d %H:%M",  # '2026-10-25 14:30'
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # no-break space
NUMBER_GROUPING = 3
