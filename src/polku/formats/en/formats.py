# English pages of a Finnish service show dates the Finnish way (23.11.2026), not the US way.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j.n.Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATETIME_FORMAT = "j.n.Y H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1
