# Ukrainian writes the day without a leading zero ("1 грудня 2026 р."); Django's uk locale
# has "d", which gave "01 грудня". The short forms (01.12.2026) keep their zero.
DATE_FORMAT = "j E Y р."
DATETIME_FORMAT = "j E Y р. H:i"
